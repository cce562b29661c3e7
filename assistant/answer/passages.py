"""Passages for "what / how / which / who / conditions" questions: the one to three sentences of
one retrieved document that answer, in document order.

``PassageFinder(documents, embedder, query_vector)(question, weights, chunks, contains) -> Passage | None``

Every sentence of the retrieved chunks (the first ``max_chunks``, best first) is a candidate. It
is scored on

- the IDF-weighted share of the question's content terms it holds (``weights``; ``contains``
  decides with synonyms, as the rest of the answerer does);
- the embedder's similarity of question and sentence, where the terms leave it close (the second
  best within ``close`` of the best): the question's vector is the one retrieval computed
  (``query_vector``, cached by the searcher); only the ``budget`` best sentences by terms are
  embedded, and sentence vectors are kept in a bounded cache, so a question costs at most
  ``budget`` sentence embeddings and a repeated one none;
- the question's terms side by side in it (a phrase of the question, not its words scattered);
- the retrieval rank of its chunk (a sentence of the first hit beats an equal one further down),
  where every chunk of the first hit's document counts as the first hit: within the document
  retrieval put first, the sentences compete on what they say, not on which of its chunks
  ranked higher (a lower chunk's sentence naming 中午 answers 中午吃什么 before the opening's).
  Not its opening (the first ``DOC_LEAD_CHARS``: a headline and lede restate the topic), nor
  another document's chunks: they keep their own ranks. A sign-off line (issuer and date) is
  no candidate.

The best sentence anchors the passage. A heading or a sentence that only announces (ends with
``：``, is short: ``四、实施援企稳岗政策。``) is followed by the sentences after it; otherwise the
following sentences of the same paragraph are added while the passage stays short — the
measures of a paragraph come as a run of short sentences. Never the document's first sentence
by default: a sentence holding less than ``MIN_COVERAGE`` of the question's weighted terms is no
candidate, and no candidate means ``None`` (the caller refuses or tries its other ways).

A candidate must also say what the question asks of its topic (:mod:`.focus`: where to apply,
which ones, what else, how to do it), not only share its words: checked on the sentence (or, for
an announcing one, on what it announces) before the embedder ranks, so it ranks only passages
that answer.

Text that talks to a model (:mod:`.injection`) and what follows it in its paragraph is never quoted.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Sequence

from ingest.chunking import split_sentences
from index.lru import Bounded
from ingest.document import Chunk
from ingest.errors import ConfigError
from ingest.text import HAN

from ..types import Citation
from ..vocabulary import FactWords, passage_heads, passage_words

from .asked import compared_sides, side_named
from .focus import Focus, answers_other, asked_focus, says_focus
from .injection import paragraph_end, poisoned_from
from .wording import DOC_LEAD_CHARS

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

# 一、适用对象 / （二）工作要求 / 第三条 / 【办理流程】: a heading announces what follows it
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|【[^】]{1,12}】|"
                      r"第[一二三四五六七八九十百\d]+[章节条]|\d+[.、．](?!\d))")
_ANNOUNCES = re.compile(r"[：:]\s*$")
_DOC_QUESTION = re.compile(r"^\s*问[：:]|[？?]\s*$")  # a FAQ's own question is answered by what follows it
# a question asking for a passage although its words suggest a figure (有何补贴政策, 如何拨付资金): a
# wh-word and no 多少/几; who / which people / conditions asked: a sentence that states who qualifies
# (对…的…予以/给予/纳入, 条件, 符合) answers it rather than one that only names the programme. The
# words are the vocabulary's section "passages" (:func:`_patterns`); the shape 对…的…<verb> is here.
# a document's header: its file number (财资环〔2020〕3号) with the title it restates shares the
# question's words without answering. Penalised, never excluded (a news item's first line holds
# its headline and its lede, which often answers)
_FILE_NO = re.compile(r"[〔\[［(（]\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*\d+\s*号")
HEADER_PENALTY = 0.5
# a question's words inside a book title (起草了《…救助供养办法》) name a document, not what it says:
# they count this much of what they count in the sentence's own words
_BOOK_TITLE = re.compile(r"《[^《》]{1,80}》")
TITLE_WEIGHT = 0.3
PHRASE_BONUS = 0.3
# a document's opening sentence (its headline and lede) not naming what a which/what question asks
# for (什么卡 → 卡; vocabulary passage_heads) counts this much: it names the topic, not the card asked.
# Only the opening one: a later sentence answers a 哪些优惠政策 / 哪个媒介 by listing the instances
# (停征…费; 在…报开设), without the category word
HEAD_MISSING = 0.5
_HEAD_CHARS = 4
SIM_WINDOW = 0.1
# a sentence holding less than this share of the question's weighted terms (after the bonuses and
# penalties above) answers nothing the question asks: a passage that weak is a guess from another
# topic (渔民保险 for a 申报指南 question, an unrelated notice's title), so no passage is returned
# and the caller refuses or tries its other ways
MIN_COVERAGE = 0.2


_REPLY = re.compile(r"\s*(答[：:])")
# a notice's sign-off: its issuer and full date, no punctuation (某某联防联控机制2020年2月5日)
_SIGN_OFF = re.compile(r"^\s*[^，,。；;：:！!？?]{0,40}?(?:19|20)\d{2}年\d{1,2}月\d{1,2}日\s*[。.]?\s*$")


@dataclass(frozen=True)
class _Patterns:
    wh: re.Pattern
    how_many: re.Pattern
    bare_head: re.Pattern
    who: re.Pattern
    eligibility: re.Pattern


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    """The vocabulary's ``passages`` words as the patterns they are read by."""
    w = passage_words()
    alt = FactWords.alternation
    return _Patterns(wh=re.compile(alt(w.wh)), how_many=re.compile(alt(w.how_many)),
                     bare_head=re.compile(f"(?:{alt(w.bare_heads)})[？?。！!\\s]*$"), who=re.compile(alt(w.who)),
                     eligibility=re.compile(f"对.{{2,60}}的.{{0,30}}(?:{alt(w.eligibility_verbs)})|"
                                            f"{alt(w.eligibility_words)}"))


def _announces(sentence: str) -> bool:
    """四、实施援企稳岗政策。 / 具体措施如下： announce what follows them (short, or ending on ：)."""
    return bool(_ANNOUNCES.search(sentence) or len(sentence) < 25)


def _reply_after(text: str, end: int, stop: int | None = None, max_chars: int = 400) -> tuple[int, int] | None:
    """The 答 paragraph right after a document's own question ending at ``end``, or None."""
    m = _REPLY.match(text, end)
    if not m:
        return None
    start = m.start(1)
    line_end = paragraph_end(text, start)
    if stop is not None:
        line_end = min(line_end, stop)
    return (start, min(line_end, start + max_chars)) if line_end > start else None


def asked_head(question: str) -> str:
    """What a which/what question asks for: the characters after its 什么/哪些/哪几个…, up to four
    (发到什么卡里 → 卡里, 哪几个部门 → 部门); "" when it asks with a generic noun (哪些措施, 什么要求)
    or none. A sentence names it when it holds its first two characters or its first one."""
    words, generic = passage_heads()
    for w in words:
        i = question.find(w)
        if i < 0:
            continue
        m = re.match(rf"(?:样的|的)?([{HAN}]{{1,{_HEAD_CHARS}}})", question[i + len(w):])
        if not m or any(g in m.group(1) for g in generic):  # 优惠政策 is a kind of 政策: a way of asking
            return ""
        return m.group(1)
    return ""


def _names_head(sentence: str, head: str, words=()) -> bool:
    """``sentence`` names what is asked for: the head's first two characters, or its first one
    (卡里 is said 社保卡) — but a head whose first two characters are a word of the question
    (``words``: 哪几类人群 → 人群) is named by that word only, never by a character of it (人 of 老年人)."""
    if not head:
        return True
    if head[:2] in words:
        return head[:2] in sentence
    return head[:2] in sentence or head[0] in sentence


def asks_passage(question: str, figure_intent: bool) -> bool:
    """Whether the answer is a passage: a question that does not ask 多少/几 (a 几 of a wh-word,
    哪几个, asks which), when its intent asks no figure, or when it does (补贴, 资金) but it asks
    with a wh-word (有何补贴政策) or, with no asking word, ends in a policy noun (补助政策？)."""
    pats = _patterns()
    # 哪几个部门 / 哪几项税费 ask which ones, not how many: a 几 inside a wh-word is no 几
    if pats.how_many.search(pats.wh.sub("", question)):
        return False
    # 确诊患者医疗费用补助政策？: no asking word, and the noun it ends in names a policy, not a level
    return not figure_intent or bool(pats.wh.search(question)) or bool(pats.bare_head.search(question))


@dataclass(frozen=True)
class Passage:
    chunk: Chunk  # the retrieved chunk the anchor sentence was read from
    start: int  # offsets of the passage in the document text
    end: int
    text: str
    score: float
    sentences: int

    def citation(self, marker: int = 1) -> Citation:
        m = self.chunk.meta
        return Citation(marker=marker, source=self.chunk.source, title=m.get("title") or "", city=m.get("city"),
                        year=m.get("year"), text=self.text, start=self.start, end=self.end,
                        score=round(self.score, 4))

    def answer(self, marker: int = 1) -> str:
        """The passage verbatim (a FAQ's 答： label dropped), its marker, and the region and period
        the document is about; a document that states no region says so (资料未注明地区)."""
        m = self.chunk.meta
        claim = re.sub(r"^\s*答[：:]\s*", "", self.text).rstrip("，,；;。 \n")
        period = m.get("period") or (f"{m['year']}年" if m.get("year") else "")
        label = "，".join(x for x in (m.get("city") or "资料未注明地区", period) if x)
        return f"{claim}[{marker}]（{label}）。"


class PassageFinder:
    """See the module docstring. ``embedder`` (optional) embeds candidate sentences;
    ``query_vector`` (optional) gives the question's vector as retrieval computed it; without
    it the embedder's ``encode_query`` is called (and cached here). Without an embedder the
    sentences are scored on terms and rank alone."""

    def __init__(self, documents: dict[str, dict], embedder: Any = None,
                 query_vector: Callable[[str], np.ndarray] | None = None, budget: int = 4,
                 max_chunks: int = 8, max_sentences: int = 3, max_chars: int = 400,
                 cache_size: int = 4096, sim_weight: float = 0.2, close: float = 0.8) -> None:
        if budget < 0 or max_chunks < 1 or max_sentences < 1 or max_chars < 1:
            raise ConfigError(f"段落选择参数无效：budget={budget}，max_chunks={max_chunks}，"
                              f"max_sentences={max_sentences}，max_chars={max_chars}（out of range）")
        self.documents = documents
        self.embedder = embedder
        self._query_vector = query_vector
        self.budget = budget
        self.max_chunks = max_chunks
        self.max_sentences = max_sentences
        self.max_chars = max_chars
        self.sim_weight = sim_weight
        self.close = close
        self._vectors = Bounded(cache_size)
        self._queries = Bounded(64)

    # -- vectors ---------------------------------------------------------------
    def query_vector(self, question: str) -> np.ndarray | None:
        import numpy as np

        if self.embedder is None:
            return None
        if self._query_vector is not None:
            return np.asarray(self._query_vector(question), dtype=np.float32).reshape(-1)
        v = self._queries.get(question)
        if v is None:
            v = np.asarray(self.embedder.encode_query(question), dtype=np.float32).reshape(-1)
            self._queries.put(question, v)
        return v

    def sentence_vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of ``texts`` (rows), from the cache or embedded in one batch."""
        import numpy as np

        keys = [hashlib.sha256(t.encode("utf-8")).digest() for t in texts]
        got = [self._vectors.get(k) for k in keys]
        todo = [i for i, v in enumerate(got) if v is None]
        if todo:
            fresh = self.embedder.encode_passages([texts[i] for i in todo])
            for i, v in zip(todo, fresh):
                got[i] = np.asarray(v, dtype=np.float32)
                self._vectors.put(keys[i], got[i])
        return np.vstack(got) if got else np.zeros((0, 0), dtype=np.float32)

    # -- selection ---------------------------------------------------------------
    def __call__(self, question: str, weights: dict[str, float], chunks: Sequence[Chunk],
                 contains: Callable[[str, str], bool],
                 required: Sequence[Sequence[str]] = ()) -> Passage | None:
        """The passage that answers best, or None. ``required``: groups of words one of each the
        passage must hold (vocabulary ``must_cite``: 什么材料 wants 材料/证件/…)."""
        total = sum(weights.values())
        if total <= 0:
            return None
        pats = _patterns()
        who = bool(pats.who.search(question))
        head = asked_head(question)
        terms = list(weights)  # in the question's order
        pairs = [a + b for a, b in zip(terms, terms[1:])]
        cands: list[tuple[float, float, int, Chunk, int, int]] = []  # pre-score, coverage, rank, chunk, s, e
        seen: set[tuple[str, int]] = set()
        first = chunks[0].source if chunks else None
        for chunk_rank, chunk in enumerate(chunks[: self.max_chunks]):
            text = self.documents.get(chunk.source, {}).get("text", "")
            if not text:
                continue
            planted = poisoned_from(text, chunk.start, chunk.end)
            for s, e in split_sentences(chunk.text, chunk.start):
                if planted is not None and e > planted:
                    break
                if (chunk.source, s) in seen:
                    continue  # overlapping chunks repeat a sentence: it is scored once, at its best rank
                seen.add((chunk.source, s))
                sent = text[s:e]
                if _SIGN_OFF.match(sent):
                    continue  # 某某局2020年2月5日: a notice's sign-off names its issuer, it answers nothing
                if _DOC_QUESTION.search(sent):
                    # a FAQ's own question (问：…？) is answered by the 答 that follows it: the reply is
                    # the candidate, scored on the question's words and its own
                    reply = _reply_after(text, e, stop=planted)
                    if reply is None:
                        continue
                    s, e = reply
                    sent = sent + text[s:e]
                own = _BOOK_TITLE.sub("", sent)
                cov = sum(w if contains(own, t) else TITLE_WEIGHT * w
                          for t, w in weights.items() if contains(sent, t)) / total
                if cov <= 0:
                    continue
                if pairs:  # the question's words side by side (居住地申办低保) say more than scattered
                    cov *= 1 + PHRASE_BONUS * sum(p in sent for p in pairs) / len(pairs)
                if who and pats.eligibility.search(sent):
                    cov *= 1.5
                if _FILE_NO.search(sent):
                    cov *= HEADER_PENALTY
                if not _names_head(own, head, weights):
                    cov *= HEAD_MISSING
                if cov < MIN_COVERAGE:
                    continue
                rank = 0 if chunk.source == first and s >= DOC_LEAD_CHARS else chunk_rank  # see the docstring
                prior = 1.0 / (1.0 + 0.15 * rank)
                cands.append((cov * prior, cov, rank, chunk, s, e))
        focus = asked_focus(question, terms)
        cands = self._saying_focus(cands, focus, contains)
        if not cands:
            return None
        cands.sort(key=lambda c: (-c[0], c[2], c[4]))
        scored = [(c[0], c) for c in cands]
        # the embedder decides between close candidates only: a clear best by terms costs nothing
        close = len(cands) > 1 and cands[1][0] >= self.close * cands[0][0]
        qv = self.query_vector(question) if self.budget and close else None
        if qv is not None:
            top = cands[: self.budget]
            texts = [self.documents[c[3].source]["text"][c[4]:c[5]] for c in top]
            sims = self.sentence_vectors(texts) @ qv
            hi = float(sims.max())
            scored = []
            for c, sim in zip(top, sims):
                # the best similarity counts 1, one SIM_WINDOW of cosine below it 0: e5 similarities
                # of sentences of one topic lie close together, so small gaps must not weigh as large
                sim_n = max(0.0, 1.0 - (hi - float(sim)) / SIM_WINDOW)
                prior = 1.0 / (1.0 + 0.15 * c[2])
                scored.append((prior * ((1 - self.sim_weight) * c[1] + self.sim_weight * sim_n), c))
            scored.sort(key=lambda x: (-x[0], x[1][2], x[1][4]))
        return self._first_fitting(scored, required, compared_sides(question, terms), contains, focus)

    def _saying_focus(self, cands: list, focus: Focus, contains) -> list:
        """The candidates whose passage says what the question asks of its topic (:mod:`.focus`:
        where to apply, which ones, what else, who does it): a sentence only repeating the topic
        is none, however many of the question's words it holds. Checked before the embedder
        ranks, so it ranks among the passages that answer."""
        if focus.role is None:
            return cands
        out = []
        for c in cands:
            text = self.documents[c[3].source]["text"]
            # a sentence says it itself; one that announces (具体办法如下：) by what it announces
            said = self._passage(c[3], c[4], c[5], c[0], focus).text if _announces(text[c[4]:c[5]]) else text[c[4]:c[5]]
            if says_focus(focus, said, contains):
                out.append(c)
        return out

    def _first_fitting(self, scored, required, sides, contains, focus: Focus) -> Passage | None:
        """The best passage holding one word of each ``required`` group and, when two things are
        compared (A和B，哪个…多), naming both ``sides``: one side's passage answers no comparison."""
        for score, (_, _, _, chunk, s, e) in scored:
            p = self._passage(chunk, s, e, score, focus)
            if all(any(w in p.text for w in group) for group in required) \
                    and all(side_named(side, p.text, contains) for side in sides):
                return p
        return None

    def _passage(self, chunk: Chunk, s: int, e: int, score: float, focus: Focus | None = None) -> Passage:
        """The anchor sentence and what follows it (see the module docstring); never a following
        sentence that answers another question than ``focus`` asks (an office's filing list after
        the materials an applicant brings: :func:`.focus.answers_other`)."""
        text = self.documents[chunk.source]["text"]
        anchor = text[s:e]
        # 四、实施援企稳岗政策。 / 具体措施如下： announce what follows; an article (第十一条…) is content
        announces = _announces(anchor)
        listing = anchor.rstrip().endswith(("：", ":"))
        # the text after the anchor that may be added: a planted instruction ends it
        stop = len(text)
        planted = poisoned_from(text, e)
        if planted is not None:
            stop = planted
        para_end = paragraph_end(text, e)
        end, n = e, 1
        for ns, ne in split_sentences(text[e:min(stop, e + self.max_chars)], e):
            if ne - s > self.max_chars or (n >= self.max_sentences and text[end - 1] not in "；;"):
                break  # clauses of one sentence (a list 1.…；2.…；) count as one
            nxt = text[ns:ne]
            # the same sentence goes on: （二）…； after （一）…； — across paragraphs too after a lead ending on
            # a colon (…分档确定：) whose items are paragraphs of their own (<li>…；</li>)
            clause = text[end - 1] in "；;" and (ns < para_end or listing)
            if _DOC_QUESTION.search(nxt) or (focus is not None and answers_other(focus, nxt)):
                break  # the next 问：…？ starts another topic
            if _HEADING.match(nxt) and not announces and not clause:
                break  # the next heading starts another section
            if ns >= para_end and not announces and not clause:
                break  # another paragraph: only a heading's or an announcement's content is read on
            n += text[end - 1] not in "；;"
            end = ne
            para_end = paragraph_end(text, ne)
            if not announces:
                continue
            announces = bool(_HEADING.match(nxt) and len(nxt) < 25)  # a sub-heading announces in turn
        return Passage(chunk, s, end, text[s:end], score, n)
