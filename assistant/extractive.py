"""The default answerer: extractive, offline, and strict about scope.

Given the question analysis and the retrieved chunks it

1. refuses when the question is outside the reports: a place no report covers,
   a year no report of that place covers, or content words the reports do not
   contain (天气, 护照) — saying what was not found and what is covered;
2. keeps only chunks about the named place (a county counts as its city);
3. scores every sentence of the remaining chunks by the IDF-weighted share of
   the question's content words it contains (synonyms count), whether it holds
   a figure of the kind asked (元 for amounts; 人/户/家/个/张… for counts; % for
   ratios), and whether its qualifiers agree (农村 vs 城市, 散居 vs 机构);
4. answers with the minimal clause that holds the figure, led by the region,
   marked ``[n]`` and followed by the region and year the source is about; a
   question naming no place that several reports answer gets one line per
   region, each with its own citation.

Standard questions (``洛阳孤儿一个月给多少钱``, ``哪个城市的农村低保标准最高``) are
answered from the benefit-standards table (``standards.json``) first, after the
scope refusals of step 1 and only from rows of reports in scope; each row is
cited with its own span. Comparisons list one line per region with its year
and compare only figures with the same period (月 vs 年). When no row matches,
the sentence-based steps 2–4 answer as before.

No figure is ever written that is not in the cited span (``grounding.check``).
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Callable

from ingest.chunking import split_sentences
from ingest.document import Chunk

from index.lru import Bounded

from .answer.corpus import Corpus, Scope
from .answer.figures import PER_HEAD, Quantity, numbers, of_dimension, phone_numbers, quantities
from .answer.tables import number
from .answer.passages import asks_passage
from .grounding import check as check_grounding
from .query import QueryAnalysis, synonyms
from .types import Answer, Citation
from .vocabulary import fact_words, filler, off_topic, topic_term

if TYPE_CHECKING:  # pragma: no cover
    from .answer.passages import PassageFinder  # noqa: F811 (the class, for the annotation)
    from .standards import Standard, StandardsTable

# the dimension of figure (answer.figures) each figure-asking intent wants
FIGURE = {"amount": "money", "count": "count", "ratio": "rate"}
# a question asking no figure is answered by a sentence holding at least this share of its
# topic words (IDF-weighted), or refused
MIN_TOPIC_COVERAGE = 0.45
DOC_LEAD_CHARS = 200  # a document's title lines and opening: what its own start date is the start of
NO_REGION = "资料未注明地区"  # the label of a source that states neither its region nor its year
FACT_CACHE = 2048  # documents whose facts are kept extracted (least recently used go)
_CLAUSE = re.compile(r"[^，,；;。！？!?]+[，,；;。！？!?]*")


def _domain() -> re.Pattern[str]:
    """Civil-affairs words (vocabulary ``domain``): a question holding one is about civil affairs."""
    from .vocabulary import domain_words

    return _compiled(tuple(domain_words()))


@lru_cache(maxsize=8)
def _compiled(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


@dataclass
class Candidate:
    chunk: Chunk
    rank: int
    start: int  # sentence offsets in the document
    end: int
    clause_start: int
    clause_end: int
    score: float
    coverage: float
    figure: str | None = None
    quantity: Quantity | None = None
    notes: list[str] = field(default_factory=list)


class ExtractiveAnswerer:
    """``ExtractiveAnswerer(catalog)(analysis, chunks) -> Answer``.

    ``catalog`` maps each source to its metadata and text (``LoadedIndex.documents``);
    it tells which places and years the reports cover. ``standards`` (optional)
    is the benefit-standards table extracted from the same documents.
    """

    name = "extractive"

    def __init__(self, documents: dict[str, dict], all_chunks: list[Chunk], min_coverage: float = 0.5,
                 max_regions: int = 6, standards: "StandardsTable | None" = None,
                 passages: "PassageFinder | None" = None,
                 token_df: "Callable[[str], int | None] | None" = None) -> None:
        from .answer.passages import PassageFinder

        self.documents = documents
        # without an embedder (a bare answerer) passages are scored on terms and retrieval rank alone
        self.passages = passages or PassageFinder(documents)
        self._doc_texts = {s: d["text"] for s, d in documents.items()}
        self.standards = standards
        self.min_coverage = min_coverage
        self.max_regions = max_regions
        # document frequencies, the region index and the coverage note: built once, and what a
        # question asks of them does not grow with the collection (answer.corpus)
        self.corpus = Corpus(documents, all_chunks, token_df=token_df, forms=synonyms)
        self._facts = Bounded(FACT_CACHE)  # source -> its facts (answer.facts), extracted on first use
        self._fact_index = Bounded(FACT_CACHE)  # source -> figure offset -> fact

    # -- corpus facts ----------------------------------------------------------
    def coverage_note(self) -> str:
        return self.corpus.coverage_note

    def _idf(self, term: str) -> float:
        return self.corpus.idf(term)

    @staticmethod
    def _contains(text: str, term: str) -> bool:
        if term in ("城市", "农村") and "城乡" in text:
            return True
        return any(f in text for f in synonyms(term))

    def _fact_at(self, source: str, start: int):
        """The fact of ``source`` whose figure starts at document offset ``start``, or None."""
        at = self._fact_index.get(source)
        if at is None:
            at = {}
            for f in self.facts_of(source):
                at.setdefault(f.start, f)
            self._fact_index.put(source, at)
        return at.get(start)

    def _banded(self, source: str, start: int) -> bool:
        """The figure at ``start`` is one of several levels or age bands (中度失能的…500元)."""
        f = self._fact_at(source, start)
        return f is not None and (f.age_band is not None or bool(f.qualifier("care_level") or
                                                                  f.qualifier("disability_grade")))

    def _fact_kind(self, source: str, start: int) -> str | None:
        """The kind the facts layer gives the figure starting at document offset ``start``."""
        f = self._fact_at(source, start)
        return f.kind if f is not None else None

    def _known(self, term: str) -> bool:
        """Some chunk of the corpus holds ``term`` or a synonym of it."""
        return self.corpus.known(term)

    def _terms_in(self, text: str, weights: dict[str, float]) -> set[str]:
        return {t for t in weights if self._contains(text, t)}

    def _docs_for(self, analysis: QueryAnalysis, chunks: list[Chunk] = ()) -> tuple[Scope | None, str | None]:
        """Sources in scope, or a refusal message. None means every source.

        A document is in scope for a place asked when its region is that place, contains it
        (a county asked, a city's document) or lies inside it (a province asked, a city's
        document): :func:`ingest.places.relation`. A document that states no region answers a
        question naming a place only when it names that place itself (outside a dateline); of
        those, only the retrieved ones (``chunks``) are read. The regions come from the corpus
        stage's region index (answer.corpus), never from a loop over every document."""
        places = _most_specific(analysis.places)
        if not places:
            return None, None
        corpus = self.corpus
        cities: set[str] = set()
        extra: set[str] = set()
        missing = []
        unstated = {c.source for c in chunks if not corpus.city_of(c.source)}
        for p in places:
            regions = corpus.regions_for(p)
            named = {s for s in unstated if corpus.names_place(s, p)}
            if regions or named:
                cities |= regions
                extra |= named
            else:
                missing.append(p.name)
        scope = Scope(cities, extra, corpus.city_of)
        if missing and not scope:
            return scope, "、".join(missing)
        return scope, None

    # -- answering ---------------------------------------------------------------
    def __call__(self, analysis: QueryAnalysis, chunks: list[Chunk]) -> Answer:
        topic = self._topic(analysis)
        scope, missing = self._docs_for(analysis, chunks)
        if missing:
            return self._refuse(analysis, f"资料中没有{missing}{topic}的相关内容。"
                                          f"现有资料涉及：{self.coverage_note()}。")
        pool = [c for c in chunks if scope is None or c.source in scope]
        if analysis.years:
            pool = [c for c in pool if c.meta.get("year") in analysis.years
                    or any(f"{y}年" in c.text for y in analysis.years)]
            if not pool:
                where = "、".join(analysis.regions) if analysis.regions else ""
                covered = self.corpus.years_covered(scope)
                return self._refuse(analysis, f"资料中没有{where}{'、'.join(map(str, analysis.years))}年"
                                              f"{topic}的相关内容（现有{where or ''}资料的年份：{'、'.join(covered)}年）。")
        fill = filler()
        terms = [t for t in dict.fromkeys(map(topic_term, analysis.terms)) if t]  # 搞, 咋, 我家: never a topic
        if not terms and not analysis.places:
            return self._refuse(analysis, "没有理解问题所问的内容，请换个说法，例如：焦作市农村低保标准是多少？")
        weights = {t: self._idf(t) for t in terms}
        total_w = sum(weights.values()) or 1.0
        known = {t: w for t, w in weights.items() if self.corpus.known(t)}
        in_domain = bool(_domain().search(analysis.normalized)) or bool(self._benefits().mentions(analysis.normalized))
        # A civil-affairs question may use words the reports never use (城里, 一共, English filler):
        # those are ignored. A question with no civil-affairs word must be about what the reports say,
        # and never about an off-topic thing (vocabulary "off_topic": 天气) a report merely mentions.
        off = [t for t in terms if any(w in t for w in off_topic())]
        if terms and not in_domain and (off or sum(known.values()) / total_w < 0.99):
            unknown = off or [t for t in terms if t not in known]
            what = "、".join(unknown or terms)
            return self._refuse(analysis, f"资料中没有关于“{what}”的内容。本助手只回答所收录民政工作报告中的问题，"
                                          f"现有资料涉及：{self.coverage_note()}。")
        asked_weights = weights  # a figure-free question's words, those the reports never use too
        if known:
            weights = known
            total_w = sum(weights.values())
        if not pool:
            return self._refuse(analysis, f"资料中没有{'、'.join(analysis.regions)}{topic}的相关内容。")

        from .answer.asked import understand

        asked = understand(analysis)
        if asked.kind == "contact":  # 咨询电话多少: a phone line, not an amount or a count
            analysis = replace(analysis, intent="general")
        if asked.figure_free:  # 是什么关系 / 可以换现金吗 / 什么情况下 / 哪些措施: sentences, never a figure
            return self._answer_sentences(analysis, pool, asked_weights, asked)
        # every scope refusal is behind us: a table row or column the question names comes first,
        # then a standard question is answered from the standards table
        data = self._answer_data_tables(analysis, pool)
        if data is None:
            data = self._answer_facts(analysis, pool, weights, total_w)
        if data is not None:
            return data
        from_table = self._answer_standards(analysis, scope)
        if from_table is None and analysis.bare:  # 焦作 低保: a keyword query naming a benefit asks its standard
            from_table = self._answer_standards(
                replace(analysis, intent="amount", normalized=analysis.normalized + " 标准"), scope)
        if from_table is not None:
            return from_table
        if any(c.kind == "table" for c in pool[:3]):
            table = self._answer_table(analysis, [c for c in pool[:3] if c.kind == "table"][0])
            if table is not None:
                return table
        if asks_passage(analysis.normalized, analysis.intent in FIGURE) and understand(analysis).kind != "contact":
            # what / how / which / who / conditions: the one to three sentences that answer (answer.passages)
            required = [words for word, words in fact_words().must_cite if word in analysis.normalized]
            passage = self.passages(analysis.normalized, weights, pool, self._contains, required)
            if passage is not None:
                return self._finish(analysis, passage.answer(), [passage.citation()], answerable=True)
        cands = self._candidates(analysis, pool, weights, total_w)
        if analysis.intent in FIGURE:
            cands = [c for c in cands if c.figure is not None]
        if analysis.intent == "amount" and _asks_standard(analysis.normalized):
            # a standard question is never answered with a spending total
            doc = self._doc_texts
            cands = [c for c in cands if _standard_words().search(doc[c.chunk.source][c.clause_start:c.clause_end])
                     and not (c.quantity and c.quantity.multiplier in ("万", "亿"))]
        if not cands:
            return self._refuse(analysis, f"资料中没有{'、'.join(analysis.regions)}{topic}的具体"
                                          f"{'数据' if analysis.intent in FIGURE else '内容'}。"
                                          f"现有资料涉及：{self.coverage_note()}。")
        best = cands[0]
        if best.coverage < 0.5 and analysis.intent in FIGURE:
            return self._refuse(analysis, f"资料中没有{'、'.join(analysis.regions)}{topic}的具体数据。")
        picks = [best]
        if (not analysis.places or len(analysis.places) > 1) and analysis.intent in FIGURE:
            # one answer per region when the question names none
            # one answer per region when the question names none: the best, and per other region
            # a figure whose sentence says everything the best one's says of the question (取暖补助
            # answered in one report: another report's 冬春救助 figure without 取暖 is not it)
            doc = self._doc_texts
            said = self._terms_in(doc[best.chunk.source][best.start:best.end], weights)
            by_region: dict[str, Candidate] = {best.chunk.meta.get("city") or "": best}
            for c in cands:
                region = c.chunk.meta.get("city") or ""
                if region not in by_region and c.coverage >= max(0.6, best.coverage - 0.2) \
                        and said <= self._terms_in(doc[c.chunk.source][c.start:c.end], weights):
                    by_region[region] = c
            picks = list(by_region.values())[: self.max_regions]
        return self._render(analysis, picks)

    def _answer_sentences(self, analysis: QueryAnalysis, pool: list[Chunk], weights: dict[str, float],
                          asked) -> Answer:
        """A question that asks no figure (``Asked.shape``) is answered by the sentence that holds
        what it asks: for a relation both sides (X和Y), otherwise most of its topic words (weighted
        by IDF, a word no report uses counting against it: 可以换成购物卡吗 is not answered by a
        sentence about 低保金 alone); a 什么情况下 question prefers a sentence saying when (因, 遭遇, 符合). No such
        sentence: a refusal naming the topic, never a figure sentence about something else."""
        from .answer.asked import STRONG_SHAPES
        from .answer.selection import holds_topic, mark_score, shared_run

        intent = "procedure" if asked.shape in ("conditions", "materials", "steps") else "general"
        analysis = replace(analysis, intent=intent, units=(), multiple=False)
        # the words that ask (关系, 措施, 情况) are no topic a sentence must hold; a word no report
        # uses counts half (我儿子在外地打工…能申请低保吗 tells circumstances the reports word otherwise)
        w = {t: v if self._known(t) else v / 2 for t, v in weights.items()
             if not any(t in a for a in asked.shape_words)} or weights
        if asked.shape == "conditions":
            # 什么情况下可以申请临时救助: the benefit is the topic, 申请/领取 only frame the question
            q = analysis.normalized
            named = [q[m.start:m.end] for m in self._benefits().mentions(q)]
            w = {t: v for t, v in w.items() if any(t in n or n in t for n in named)} or w
        # what a notice's sentence is about may be said by its section heading or the title
        # (四、资金来源 / 所需资金由…承担 in a 尊老金 notice); a relation is said in one sentence
        cands = self._candidates(analysis, pool, w, sum(w.values()) or 1.0, with_context=asked.shape != "relation")
        doc = self._doc_texts
        if asked.shape == "relation":
            sides = [t for t in w if self._known(t)]  # both sides, as the reports write them
            cands = [c for c in cands if holds_topic(doc[c.chunk.source][c.start:c.end], sides, self._contains)]
            for c in cands:  # X与Y said together, as the question says it, is about their relation
                c.score *= 1 + 0.1 * min(shared_run(analysis.normalized, doc[c.chunk.source][c.start:c.end]), 10)
            cands.sort(key=lambda c: -c.score)
        else:
            cands = [c for c in cands if c.coverage >= MIN_TOPIC_COVERAGE]
        # an item of a numbered list stands for the whole list (1.申请书；2.身份证；3.户口簿)
        seen: set[tuple[str, int]] = set()
        whole = []
        for c in cands:
            c.start, c.end = _whole_list(doc[c.chunk.source], c.start, c.end)
            if (c.chunk.source, c.start) not in seen:
                seen.add((c.chunk.source, c.start))
                whole.append(c)
        cands = whole
        marks = dict(fact_words().shape_marks).get(asked.shape, ())
        if marks:
            def marked(c: Candidate) -> int:  # its heading counts: 三、所需材料 / 1.…；2.…
                text = doc[c.chunk.source]
                return mark_score(_heading_before(text, c.start) + text[c.start:c.end], marks)

            for c in cands:
                c.score *= 1 + 0.3 * min(marked(c), 3)
            if asked.shape in STRONG_SHAPES:  # 多久发一次 is answered by 按月/每季度, never without
                cands = [c for c in cands if marked(c)]
            cands.sort(key=lambda c: -c.score)
        if not cands:
            return self._refuse(analysis, f"资料中没有{'、'.join(analysis.regions)}{self._topic(analysis)}"
                                          f"的相关内容。现有资料涉及：{self.coverage_note()}。")
        return self._render(analysis, cands[:1])

    @staticmethod
    def _benefits():
        from .standards import load_vocabulary

        return load_vocabulary()

    def _topic(self, analysis: QueryAnalysis) -> str:
        from .vocabulary import filler

        fill = filler()
        return "".join([t for t in analysis.terms if t not in fill][:3])

    def _candidates(self, analysis: QueryAnalysis, pool: list[Chunk], weights: dict[str, float],
                    total_w: float, with_context: bool = False) -> list[Candidate]:
        """Every sentence of the first chunks holding some of the question's words, scored;
        ``with_context``: its words are looked for in its line before (a heading) and the
        document title too."""
        doc_texts = self._doc_texts
        out: list[Candidate] = []
        fig = FIGURE.get(analysis.intent)
        wants_standard = _asks_standard(analysis.normalized)
        q = analysis.normalized
        asked, others = _benefit_terms(q)
        from .answer.asked import understand
        from .answer.injection import INJECTION

        contact = understand(analysis).kind == "contact"
        from .answer.selection import asked_units, counted_noun, measure_terms

        # 多少人 is answered by a figure in 人 (名, 位), never 500次; 多少名孩子 by one counting 孩子
        units = asked_units(q) if fig == "count" else ()
        noun = counted_noun(q) if fig == "count" else None
        picked = understand(analysis)
        banded = picked.age is not None or bool(picked.care_level or picked.grade)
        # 取暖补助是多少: a figure whose own clause does not say 取暖补助 is of another measure
        measure = measure_terms(q, weights) if fig is not None else ()
        asks_total = fig == "money" and any(w in q for w in dict(fact_words().asked).get("total", ()))

        for rank, chunk in enumerate(pool[:8]):
            text = doc_texts.get(chunk.source, "")
            planted = INJECTION.search(chunk.text)
            for s, e in split_sentences(chunk.text, chunk.start):
                if planted and e > chunk.start + planted.start():
                    break  # text that talks to a model (忽略以上指令…) and what follows it is never quoted
                sent = text[s:e]
                if _HEADING.match(sent):
                    continue  # 一、适用对象 / 七、咨询电话: a heading announces, it answers nothing
                about = sent
                if _FAQ_REPLY.match(sent):  # a FAQ's 答 is about the 问 line before it (maybe in another chunk)
                    line_start = text.rfind("\n", 0, s)
                    about = text[text.rfind("\n", 0, max(line_start, 0)) + 1:max(line_start, 0)] + sent
                if with_context:
                    about = " ".join((about, _heading_before(text, s), chunk.meta.get("title") or ""))
                cov = sum(w for t, w in weights.items() if self._contains(about, t)) / total_w
                if cov == 0:
                    continue
                if _DOC_QUESTION.search(sent):
                    # a document's own question (问：…？) is answered by the 答 that follows it
                    reply = _reply_after(text, e)
                    if reply is None or fig is not None and not of_dimension(text[reply[0]:reply[1]], fig):
                        continue
                    s, e = reply
                if contact and not phone_numbers(text[s:e]):
                    continue  # 咨询电话是多少: only a sentence with a phone number answers it
                score = cov / (1 + 0.15 * rank)
                if analysis.intent == "procedure" and _ELIGIBILITY.search(sent):
                    score *= 1.5
                clause = (s, e)
                figure = quantity = None
                if fig is not None:
                    clause, quantity, cscore = self._best_clause(sent, s, fig, weights, total_w, wants_standard, q,
                                                                 units, noun)
                    figure = quantity.text if quantity else None
                    if figure is None:
                        score *= 0.3
                    else:
                        score *= 1 + cscore
                if figure is not None and wants_standard and fig == "money" and \
                        self._fact_kind(chunk.source, quantity.start) in ("difference", "total"):
                    continue  # 低保标准是多少: 在…基础上每人每月增发200元 is an addition, not the standard
                if figure is not None and asks_total:
                    ctext = text[clause[0]:clause[1]]
                    if quantity.multiplier in ("万", "亿") or _total_words().search(ctext):
                        score *= 1.5  # 发了多少钱: the amount paid out, never a per-person level
                    elif PER_HEAD.search(ctext):
                        score *= 0.3
                if figure is not None and analysis.years and any(f"{y}年" in sent for y in analysis.years):
                    score *= 1.2  # the year asked is said of this figure, not only of its report
                if figure is not None and measure:
                    ctext = text[clause[0]:clause[1]]
                    score *= 0.5 + 0.5 * sum(1 for t in measure if self._contains(ctext, t)) / len(measure)
                # qualifier agreement: 农村 asked, only 城市 stated -> wrong figure
                if _qualifier_conflict(q, text[clause[0]:clause[1]]):
                    if figure is not None:
                        continue  # a 城市 figure is never the answer to a 农村 question
                    score *= 0.2
                if figure is not None and _qualifier_missing(q, sent):
                    continue  # 农村 asked, the sentence does not say 农村 (or 城乡): not its figure
                if figure is not None and asked and not any(t in sent for t in asked) \
                        and any(t in sent for t in others):
                    continue  # 高龄津贴 asked, the sentence's figure is another benefit's (慈善购物卡 50元)
                if quantity is not None and analysis.units and quantity.unit in analysis.units:
                    score *= 1.3  # 多少人 is answered by a figure in 人
                if figure is not None and not banded and self._banded(chunk.source, quantity.start):
                    # levels or age bands the question does not pick: every one of them (to the 。)
                    stops = [i for i in (text.find("。", e - 1), text.find("\n", e - 1)) if i >= 0]
                    e = min(min(stops, default=len(text)) + 1, s + MAX_REPLY_CHARS, len(text))
                    clause = (s, e)
                elif figure is not None and (analysis.multiple or _asks_measures(analysis.normalized)):
                    clause = (clause[0], _extend_to_next_figure(text, clause[1], e))
                out.append(Candidate(chunk, rank, s, e, clause[0], clause[1], score, cov, figure, quantity))
        out.sort(key=lambda c: -c.score)
        return out

    def _best_clause(self, sent: str, offset: int, fig: str, weights: dict[str, float],
                     total_w: float, wants_standard: bool, q: str = "", units: tuple[str, ...] = (),
                     noun: str | None = None) -> tuple[tuple[int, int], Quantity | None, float]:
        """The clause of ``sent`` that best answers, with its first figure of dimension ``fig``
        counted in one of ``units`` and counting ``noun`` when the question names them."""
        from .answer.selection import counts_asked, unit_agrees

        clauses = [(m.start(), m.end()) for m in _CLAUSE.finditer(sent)]
        best: tuple[float, tuple[int, int], Quantity | None] = (-1.0, (offset, offset + len(sent)), None)
        for i, (cs, ce) in enumerate(clauses):
            ctext = sent[cs:ce]
            found = [x for x in of_dimension(ctext, fig) if unit_agrees(x, units) and counts_asked(ctext, x.end, noun)]
            if not found:
                continue
            cov = sum(w for t, w in weights.items() if self._contains(ctext, t)) / total_w
            start = cs
            # borrow the previous clause when this one lacks the subject or a time phrase
            if i > 0 and (cov < 1 or re.match(r"^(自|从|截至|截止|在)", sent[clauses[i - 1][0]:])):
                prev = sent[clauses[i - 1][0]:clauses[i - 1][1]]
                pcov = sum(w for t, w in weights.items() if self._contains(prev, t)) / total_w
                if (pcov > 0 and not of_dimension(prev, fig)) or re.match(r"^(自|从|截至|截止|在)", prev):
                    start = clauses[i - 1][0]
                    cov = cov + 0.5 * max(pcov - cov, 0)  # context helps, the figure's own clause counts more
            bonus = 0.0
            if wants_standard and _standard_words().search(ctext):
                bonus += 0.5
            if wants_standard and _total_words().search(ctext) and not _standard_words().search(ctext):
                bonus -= 0.3
            if "平均" in ctext and "平均" not in q:
                bonus -= 0.6
            score = cov + bonus + 0.6 * _narrowing_held(q, sent[start:ce])
            if _qualifier_conflict(q, ctext):
                score *= 0.2
            if score > best[0]:
                end = ce
                while end > start and sent[end - 1] in "，,；;。！？!? ":
                    end -= 1
                q0 = found[0]
                best = (score, (offset + start, offset + end),
                        replace(q0, start=offset + cs + q0.start, end=offset + cs + q0.end))  # document offsets
        return best[1], best[2], max(best[0], 0.0)

    # -- tables ------------------------------------------------------------------
    def _answer_table(self, analysis: QueryAnalysis, chunk: Chunk) -> Answer | None:
        """A row the question names (a county, or any row label it quotes, e.g. 示范区), or the rows
        a ranking / lowest / highest / rise / fall question picks out of the table."""
        table = _parse_table(chunk.text)
        if table is None:
            return None
        cols, rows, measure = table
        q = analysis.normalized
        names = {p.name for p in analysis.places if p.level == "county"}
        names |= {p.name for p in analysis.places if p.level == "city" and p.name != chunk.meta.get("city")}
        picked = [r for r in rows if any(_label_matches(r.label, n) for n in names) or r.label in q]
        note = ""
        if not picked:
            picked, note = _table_select(q, cols, rows, measure)
        if not picked:
            return None
        value_cols = list(range(len(cols)))
        if analysis.years and len(picked) == 1 and not note:
            value_cols = [i for i, c in enumerate(cols) if any(str(y) in c for y in analysis.years)] or value_cols
        parts = []
        for r in picked:
            vals = "，".join(f"{cols[i]}{measure}为{r.values[i]}" for i in value_cols if i < len(r.values))
            rank = f"，排名第{r.rank}" if r.rank else ""
            parts.append(f"{r.label}：{vals}{rank}")
        lead = f"{note}：" if note else ""
        title = chunk.heading or "表格"
        text = f"{lead}{'；'.join(parts)}[1]（{chunk.meta.get('city')}，{title}）。"
        span_end = chunk.start + max(r.end for r in picked)
        cit = self._citation(1, chunk, chunk.start, span_end)
        return self._finish(analysis, text, [cit], answerable=True)

    def _answer_data_tables(self, analysis: QueryAnalysis, pool: list[Chunk]) -> Answer | None:
        """A cell of a header-plus-rows table (answer.tables): the row the question names (a county)
        in the column its measure, qualifier and period fit; or the highest / lowest row of that
        column; or, when the question names a place below the table's region that no row lists,
        a refusal that says so (never the region-wide figure in its place)."""
        from .answer.tables import column_score, number, parse_tables, pick_rows
        from .vocabulary import qualifier_words

        from .answer.asked import understand

        if understand(analysis).kind in ("when", "duration", "contact"):
            return None  # a date, a time limit or a phone line is no table cell here
        q = analysis.normalized
        plain = _LOW_WORDS.sub(" ", q)
        extreme = "max" if _SUPERLATIVE_HIGH.search(plain) else "min" if _SUPERLATIVE_LOW.search(plain) else None
        quals = qualifier_words()
        terms = [t for t in analysis.terms if t not in quals]
        seen: set[tuple[str, int]] = set()
        for chunk in pool[:8]:
            if "\t" not in chunk.text and "|" not in chunk.text:
                continue
            if _parse_table(chunk.text) is not None:
                continue  # a 序号/名称/值/排名 ranking table with a two-line header: _answer_table reads it
            region = chunk.meta.get("city") or ""
            below = [p for p in analysis.places if p.name != region and p.region != region
                     and (p.level in ("county", "town") or (p.level == "city" and region.endswith("省")))]
            for table in parse_tables(chunk.text, chunk.start):
                if (chunk.source, table.start) in seen:
                    continue
                seen.add((chunk.source, table.start))
                cols = table.value_columns()
                if not cols:
                    continue
                scored = sorted(((column_score(table.header[i], q, quals, terms), i) for i in cols), reverse=True)
                best, col = scored[0]
                if best < 1:
                    continue  # no column is about what was asked
                rows = pick_rows(table, [p.name for p in below], q)
                note = ""
                if not rows and extreme and not below:
                    vals = [(v, r) for r in table.rows if (v := number(r.cells[col])) is not None]
                    if not vals:
                        continue
                    pick = max(v for v, _ in vals) if extreme == "max" else min(v for v, _ in vals)
                    rows = [r for v, r in vals if v == pick]
                    note = f"{_header_name(table.header[col])}{'最高' if extreme == 'max' else '最低'}的是"
                if not rows:
                    if below and any(p.parent == region or region in p.chain for p in below):
                        names = "、".join(p.name for p in below)
                        listed = "、".join(r.label for r in table.rows[:12])
                        return self._refuse(analysis, f"资料中没有{names}单列的{_header_name(table.header[col])}"
                                                      f"（{region}的表格列出：{listed}）。")
                    continue
                return self._table_cells(analysis, chunk, table, rows[:6], col, note)
        return None

    # -- facts (answer.facts) ----------------------------------------------------------
    def facts_of(self, source: str) -> list:
        """The facts of one document, extracted on first use and kept (bounded by the corpus)."""
        from ingest.document import DocMeta, Document

        from .answer.facts import extract_facts

        facts = self._facts.get(source)
        if facts is None:
            d = self.documents[source]
            meta = d["meta"]
            doc = Document(source=source, text=d["text"], sha256="", encoding="utf-8",
                           meta=DocMeta(city=meta.get("city"), year=meta.get("year"), title=meta.get("title") or ""))
            facts = extract_facts(doc)
            self._facts.put(source, facts)
        return facts

    def _answer_facts(self, analysis: QueryAnalysis, pool: list[Chunk], weights: dict[str, float],
                      total_w: float) -> Answer | None:
        """A question asking a date, a start date, a duration, a multiple or a cap, or an amount for
        an age / care level / grade, is answered by a fact of that kind whose clause matches the
        question's words; with no such fact it is refused (never answered by another sentence)."""
        from .answer.asked import band_holds, understand
        from .vocabulary import fact_words

        asked = understand(analysis)
        banded = asked.age is not None or asked.care_level or asked.grade
        if asked.kind is None and not (banded and (analysis.intent == "amount" or "多少" in analysis.normalized)):
            return None
        if asked.kind == "contact":
            return None  # a phone line is no quantity: the sentence path answers it
        ignore = set(asked.words) | set(asked.latest) | (
            {w for k, ws in fact_words().asked if k == "start" for w in ws} if asked.start else set())
        w = {t: v for t, v in weights.items() if not any(t in a or a in t for a in ignore)} or weights
        tw = sum(w.values()) or 1.0
        best: tuple[float, Chunk, object] | None = None
        any_banded = False
        # the facts of the documents retrieved first, anywhere in them: a FAQ's 答 follows its 问,
        # a guide's 【办理时限】 line is its own paragraph
        sources = list(dict.fromkeys(c.source for c in pool[:8]))[:3]
        first_chunk = {c.source: c for c in reversed(pool[:8])}
        for rank, source in enumerate(sources):
            chunk = first_chunk[source]
            doc_text = self._doc_texts[source]
            for f in self.facts_of(source):
                if asked.kind == "when" and f.kind != "date":
                    continue
                if asked.kind == "when" and asked.start and not f.effective:
                    continue
                if asked.kind == "duration" and f.kind != "duration":
                    continue
                if asked.kind == "multiple" and f.unit != "倍":
                    continue
                if asked.kind == "cap" and f.kind != "cap":
                    continue
                if asked.kind is None:  # an amount for an age / care level / grade
                    if f.unit != "元" or f.kind not in ("standard", "cap", "amount"):
                        continue
                    if f.age_band is not None or f.qualifiers:
                        any_banded = True
                    if asked.age is not None and not band_holds(f.age_band, asked.age):
                        continue
                    if asked.care_level and f.qualifier("care_level") != asked.care_level:
                        continue
                    if asked.grade and f.qualifier("disability_grade") != asked.grade:
                        continue
                sentence = _sentence_at(doc_text, f.start)
                # what the figure is of may be said in its sentence, the line before it (a heading,
                # a FAQ's 问) or the title
                line_start = doc_text.rfind("\n", 0, sentence[0])
                prev_line = doc_text[doc_text.rfind("\n", 0, max(line_start, 0)) + 1:max(line_start, 0)]
                context = " ".join((doc_text[sentence[0]:sentence[1]], prev_line, chunk.meta.get("title") or ""))
                if f.kind == "date" and f.effective and f.effective == self.documents[source]["meta"].get("effective"):
                    # 本公告自…起执行: the document's own start date is about what the whole document is
                    context += " " + doc_text[:DOC_LEAD_CHARS]
                cov = sum(v for t, v in w.items() if self._contains(context, t)) / tw
                score = cov / (1 + 0.15 * rank)
                if asked.kind == "duration" and any("天" in w or "日" in w for w in asked.words):
                    score *= 1.5 if f.unit in ("天", "工作日", "个工作日") else 0.5  # 多少天: days, not months
                if best is None or score > best[0] or (score == best[0] and _newer(f, best[2], asked)):
                    best = (score, chunk, f)
        if best is None or best[0] < 0.5:
            if asked.kind is None and not any_banded:
                return None  # no figure here is for an age or level: the standard paths answer
            if asked.kind is not None and not asked.strict:
                return None  # 多久 / 什么时候 may be answered in words (每季度): the sentence path tries
            what = {"when": "日期", "duration": "办理时限", "multiple": "倍数", "cap": "上限"}.get(asked.kind or "", "标准")
            topic = self._topic(analysis)
            return self._refuse(analysis, f"资料中没有{'、'.join(analysis.regions)}{topic}的具体{what}。")
        _, chunk, f = best
        region = f.region or chunk.meta.get("city") or ""
        doc_text = self._doc_texts[chunk.source]
        if asked.kind is None:
            level = asked.care_level or asked.grade
            piece = doc_text[f.span_start:f.end]
            bands = [m for m in _AGE_BAND.finditer(piece) if m.start() < f.start - f.span_start]
            if f.age_band is not None and bands:
                # 全市高龄津贴标准调整为：80–89周岁…60元，90–99周岁…220元 → the subject and the asked band
                colon = piece.find("：", 0, bands[0].start())
                claim = _lead_with_region(piece[:colon + 1] + piece[bands[-1].start():] if colon >= 0
                                          else piece[bands[-1].start():], region)
            else:
                # 特困人员照料护理标准分为全自理、半护理、全护理三档，分别为…: the subject, the level, its figure
                subject = re.split(r"分为|分别|[，,：:（(]", _ARTICLE.sub("", piece).strip())[0]
                per = {("人", "月"): "每人每月", ("人", "年"): "每人每年"}.get((f.per or "", f.period or ""), "")
                words = dict(dict(fact_words().qualifiers).get("care_level", ())).get(level, ()) if level else ()
                sent_start = _sentence_at(doc_text, f.start)[0]
                said = max((doc_text.rfind(w, sent_start, f.start) for w in words), default=-1)
                if said >= 0 and not of_dimension(doc_text[said:f.start], "money") \
                        and "分别" not in doc_text[said:f.start]:
                    # 中度失能的，每人每月补贴500元: from the level the sentence names to its figure (not
                    # 分为全自理、半护理、全护理三档，分别为…: the level's figure is read off the list)
                    claim = _lead_with_region(doc_text[said:f.end], region)
                else:
                    claim = _lead_with_region(f"{subject}（{level}）为{per}{f.value}" if level else piece, region)
            start, end = f.span_start, f.span_end
        else:  # a date or a duration: the sentence that says what it is the date / time limit of
            start, end = _sentence_at(doc_text, f.start)
            claim = _lead_with_region(doc_text[start:end].strip("，,；;。 "), region)
        period = f"{f.year}年" if f.year else ""
        label = "，".join(x for x in (region, period) if x)
        cit = self._citation(1, chunk, start, end, best[0])
        return self._finish(analysis, f"{claim}[1]（{label}）。", [cit], answerable=True)

    def _table_cells(self, analysis: QueryAnalysis, chunk: Chunk, table, rows, col: int, note: str) -> Answer:
        from .answer.tables import number

        region = chunk.meta.get("city") or ""
        unit = table.unit(col)
        name = _header_name(table.header[col])
        citations, lines = [], []
        for n, r in enumerate(rows, 1):
            label = r.label if not region or r.label.startswith(region) else f"{region}{r.label}"
            citations.append(self._citation(n, chunk, r.start, r.end, 1.0))
            lines.append(f"{label}{name}为{r.cells[col]}{unit}[{n}]")
        year = chunk.meta.get("year")
        tail = f"（{region}{'，' + str(year) + '年' if year else ''}，表格）" if region else "（表格）"
        if len(lines) == 1:
            text = f"{note}{lines[0]}{tail}。"
        else:
            text = (f"{note}：\n" if note else "") + "\n".join(f"- {ln}" for ln in lines) + f"\n{tail}"
            if len(rows) == 2 and not note:
                a, b = (number(r.cells[col]) for r in rows)
                if a is not None and b is not None:
                    rel = "高于" if a > b else "低于" if a < b else "等于"
                    text += f"\n{rows[0].label}{rel}{rows[1].label}。"
        return self._finish(analysis, text, citations, answerable=True, dimension=None)

    # -- the standards table -------------------------------------------------------
    def _standard_rows(self, analysis: QueryAnalysis, scope: Scope | None) -> list["Standard"]:
        """Table rows that answer a standard question about places in ``scope``, or []."""
        if self.standards is None or analysis.intent != "amount":
            return []
        q = analysis.normalized
        # 平均 asks for a statistic: only the labelled average rows answer it, never a standard
        kind = "average" if "平均" in q else "standard"
        if kind == "standard" and not _asks_standard(q):
            return []
        cats = self.standards.vocab.detect(_QUESTION_PHRASES.sub(" ", q))
        if not cats:
            return []
        years = set(analysis.years)
        rows: list[Standard] = []
        seen: set[str] = set()
        for cat in cats:
            for r in self.standards.query(category=cat, latest=not years, include_averages=kind == "average"):
                if r.kind != kind or r.id in seen or r.source not in self.documents:
                    continue
                if scope is not None and r.source not in scope:
                    continue  # the table never answers for a place the question did not ask about
                if years and r.year not in years:
                    continue
                text = self.documents[r.source]["text"]
                if text[r.start:r.end] != r.text:
                    continue  # a stale table: never cite a span that is not there
                seen.add(r.id)
                rows.append(r)
        return rows

    def _answer_standards(self, analysis: QueryAnalysis, scope: Scope | None) -> Answer | None:
        from .standards import format_row

        rows = self._standard_rows(analysis, scope)
        if not rows:
            return None
        vocab = self.standards.vocab
        rows = rows[: self.max_regions * 2]
        # one citation per span (城乡特困...分别为9600元、6000元 holds two rows)
        groups: dict[tuple[str, int, int], list[Standard]] = {}
        for r in rows:
            groups.setdefault((r.source, r.start, r.end), []).append(r)
        citations: list[Citation] = []
        lines: list[str] = []
        for n, ((source, start, end), grp) in enumerate(groups.items(), 1):
            r = grp[0]
            citations.append(self._row_citation(n, r))
            if _respective(r.text):
                region = r.region or ""
                claim = _lead_with_region(r.text.strip("，,；; "), region)
                picked = _respectively(r.text, " ".join(x.category for x in grp))
                year = f"（{r.year}年）" if r.year else ""
                lines.append(f"{claim}{picked}[{n}]{year}")
            else:
                lines.extend(format_row(x, n, vocab) for x in grp)
        regions = list(dict.fromkeys(r.region or "" for r in rows))
        if len(lines) == 1:
            text = lines[0] + "。"
        elif len(regions) == 1:
            text = f"{regions[0]}的相关标准如下：\n" + "\n".join(f"- {ln}" for ln in lines)
        else:
            text = "各地资料中的标准如下（各报告年份不同，请注意年份）：\n" + "\n".join(f"- {ln}" for ln in lines)
        extra = _superlative_notes(analysis.normalized, rows, vocab) if len(regions) > 1 else []
        if extra:
            text += "\n" + "\n".join(extra)
        return self._finish(analysis, text, citations, answerable=True)

    def _row_citation(self, marker: int, row: "Standard") -> Citation:
        m = self.documents[row.source]["meta"]
        text = self.documents[row.source]["text"][row.start:row.end]
        return Citation(marker=marker, source=row.source, title=m.get("title") or "", city=m.get("city"),
                        year=m.get("year"), text=text, start=row.start, end=row.end, score=1.0)

    # -- output ------------------------------------------------------------------
    def _citation(self, marker: int, chunk: Chunk, start: int, end: int, score: float = 0.0) -> Citation:
        text = self.documents[chunk.source]["text"][start:end]
        m = chunk.meta
        return Citation(marker=marker, source=chunk.source, title=m.get("title") or "", city=m.get("city"),
                        year=m.get("year"), text=text, start=start, end=end, score=round(score, 4))

    def _render(self, analysis: QueryAnalysis, picks: list[Candidate]) -> Answer:
        citations = []
        lines = []
        for n, c in enumerate(picks, 1):
            doc_text = self.documents[c.chunk.source]["text"]
            if analysis.intent in ("procedure", "general"):
                c.clause_start, c.clause_end = c.start, _extend_sentence(doc_text, c)
                c.clause_start, c.clause_end = _whole_list(doc_text, c.clause_start, c.clause_end)
                c.start, c.end = min(c.start, c.clause_start), max(c.end, c.clause_end)
            claim = doc_text[c.clause_start:c.clause_end].strip("，,；; ")
            if _respectively_about(claim, analysis.normalized):
                claim += _respectively(claim, analysis.normalized)
            region = c.chunk.meta.get("city") or ""
            period = c.chunk.meta.get("period") or (f"{c.chunk.meta.get('year')}年" if c.chunk.meta.get("year") else "")
            claim = _lead_with_region(claim, region)
            citations.append(self._citation(n, c.chunk, min(c.start, c.clause_start), max(c.end, c.clause_end), c.score))
            label = "，".join(x for x in (region, period) if x) or NO_REGION
            lines.append(f"{claim}[{n}]（{label}）")
        if len(lines) == 1:
            text = lines[0] + "。"
        else:
            text = "各地资料中的相关内容如下（各报告年份不同，请注意年份）：\n" + "\n".join(f"- {ln}" for ln in lines)
        return self._finish(analysis, text, citations, answerable=True)

    def _finish(self, analysis: QueryAnalysis, text: str, citations: list[Citation], answerable: bool,
                dimension: str | None = "asked") -> Answer:
        """The answer, once grounding (figures and places in cited spans) and the invariants
        (answer.invariants) hold; otherwise a refusal that says what could not be verified."""
        from .answer.asked import understand
        from .answer.invariants import violations

        ok, problems = check_grounding(text, citations, self.known_cities())
        if dimension == "asked":
            dimension = self.asked_dimension(analysis)
        problems += violations(text, answerable, citations, dimension, question=analysis.normalized,
                               must_cite=fact_words().must_cite)
        if problems:  # never show a figure we cannot point at, nor an answer without its source
            return self._refuse(analysis, "资料中没有能够核实的答案。（" + "；".join(problems) + "）")
        wider = _only_wider(analysis, citations) if answerable else None
        if wider is not None:
            # a county asked, only its city's figure cited: said outright, never silently substituted.
            # Not ``answerable``: the documents do not answer for the place asked (an evaluation
            # counts it as the refusal it is, drafting builds no reply on it); the wider region's
            # figure is shown with its citations as what the documents do say.
            asked, regions = wider
            if "平均" in " ".join(c.text for c in citations):  # a wider region's average is no figure of the place
                return self._refuse(analysis, f"资料中没有{asked}的数据（所找到的是{regions}的平均数）。")
            return Answer(question=analysis.question, answerable=False, citations=citations, answerer=self.name,
                          answer=f"资料中没有{asked}单列的数据；以下是{regions}的资料（不是{asked}单列的）：\n{text}")
        if answerable and dimension == "money":
            from .answer.selection import period_note

            note = period_note(analysis.normalized, " ".join(c.text for c in citations))
            if note:  # 每年多少 asked, 每人每月950元 cited: said, never silently a yearly figure
                text = f"{note}\n{text}"
        return Answer(question=analysis.question, answer=text, answerable=answerable, citations=citations,
                      answerer=self.name)

    @staticmethod
    def asked_dimension(analysis: QueryAnalysis) -> str | None:
        """The dimension of figure (answer.figures) a cited span must hold for ``analysis``: a
        多少/几 question about money, people, a rate asks that figure; 最多给多少 with no unit word
        asked still a figure, of whatever unit (never a list of materials); None otherwise."""
        from .answer.asked import understand

        asked = understand(analysis)
        if asked.figure_free:
            return None  # 几个月发一次 / 带什么材料: asked in words
        kind = asked.kind
        asks = re.search(r"多少|几", analysis.normalized) and kind in (None, "cap", "multiple")
        return (FIGURE.get(analysis.intent, "quantity") if kind is None else "quantity") if asks else None

    def known_cities(self) -> frozenset[str]:
        return self.corpus.cities

    def _refuse(self, analysis: QueryAnalysis, message: str) -> Answer:
        from .answer.invariants import violations
        from .vocabulary import filler

        if violations(message, False, [], filler=filler()):  # a refusal never names a filler word as the topic
            message = f"资料中没有相关内容。现有资料涉及：{self.coverage_note()}。"
        return Answer(question=analysis.question, answer=message, answerable=False, citations=[],
                      answerer=self.name)


def _most_specific(places) -> list:
    """The places asked, without those that only name where another asked place lies
    (重庆市江北区 asks about 江北区)."""
    return [p for p in places if not any(o is not p and p.name in getattr(o, "parents", ()) for o in places)]


def _only_wider(analysis: QueryAnalysis, citations: list[Citation]) -> tuple[str, str] | None:
    """(place asked, regions cited) when every citation is about a region containing the place
    asked and none names it: the answer is about the wider region, not the place."""
    from ingest.metadata import without_datelines
    from ingest.places import DESCENDANT, relation

    for p in _most_specific(analysis.places):
        if not citations or not all(relation(p, c.city) == DESCENDANT for c in citations):
            continue
        names = {p.name, p.short} - {"", None}
        # a dateline (新华社太原3月2日电) names where the news was filed, not what it is about
        if any(n in without_datelines(c.text) for c in citations for n in names):
            continue
        return p.name, "、".join(dict.fromkeys(c.city or "" for c in citations))
    return None


def _newer(f, other, asked) -> bool:
    """Between two facts that match as well: the start date when a start is asked, else the
    newer year (a question naming no year asks what holds now)."""
    if asked.start and (f.effective == f.date) != (other.effective == other.date):
        return f.effective == f.date
    return (f.year or 0) > (other.year or 0)


HEADING_CHARS = 30  # a line this short, ending without 。, heads what follows it


def _heading_before(text: str, pos: int) -> str:
    """The line before offset ``pos``'s line when it is a heading (三、所需材料, 【申请材料】), else ""."""
    line = _line_before(text, pos).strip()
    return line if len(line) <= HEADING_CHARS and not line.endswith(("。", "；", ";")) else ""


def _line_before(text: str, pos: int) -> str:
    """The nearest non-blank line before the one holding offset ``pos`` (a heading, a FAQ's 问)."""
    line_start = max(text.rfind("\n", 0, pos), 0)
    while line_start > 0:
        prev = text.rfind("\n", 0, line_start) + 1
        if text[prev:line_start].strip():
            return text[prev:line_start]
        line_start = max(prev - 1, 0)
    return ""


def _sentence_at(text: str, pos: int) -> tuple[int, int]:
    """The sentence of ``text`` holding offset ``pos`` (split as ingest splits)."""
    a = max(text.rfind(ch, 0, pos) for ch in "。！？；!?;\n") + 1
    ends = [i for i in (text.find(ch, pos) for ch in "。！？；!?;\n") if i >= 0]
    b = min(ends) if ends else len(text)
    while a < b and text[a].isspace():
        a += 1
    return a, b


_ARTICLE = re.compile(r"^\s*第[一二三四五六七八九十百零〇\d]+条\s*")
_AGE_BAND = re.compile(r"\d+\s*[-–—~～至到]\s*\d+\s*周?岁|\d+\s*周?岁(?:及)?以[上下]")
_ELIGIBILITY = re.compile(r"对.{2,60}的.{0,30}(予以|给予|纳入|实行)|条件|符合|程序|申请")
_RESPECTIVE_LEAD = re.compile(r"城乡(.{0,20}?)分别为")


def _respective(claim: str) -> tuple[str, str, str] | None:
    """城乡…分别为X元、Y元: (what the pair is of, the urban figure, the rural figure) as written,
    the figures read by answer.figures; None for any other claim."""
    m = _RESPECTIVE_LEAD.search(claim)
    if not m:
        return None
    pair = [q for q in of_dimension(claim[m.end():], "money")][:2]
    if len(pair) < 2 or "、" not in claim[m.end() + pair[0].end:m.end() + pair[1].start]:
        return None
    return m.group(1), pair[0].number, pair[1].number


def _qualifier_missing(q: str, sent: str) -> bool:
    """The question restricts to 农村/城市/散居/机构 but the sentence never says so."""
    for word in ("农村", "城市", "散居", "机构"):
        if word in q and word not in sent and not (word in ("农村", "城市") and "城乡" in sent):
            return True
    return False


_NEXT_CLAUSE = re.compile(r"[，,、][^，,；;。！？]*")


def _asks_measures(q: str) -> bool:
    """有什么补助/哪些补贴: every benefit the sentence gives is asked (vocabulary facts.asked.measures)."""
    return any(w in q for w in dict(fact_words().asked).get("measures", ()))


def _extend_to_next_figure(text: str, end: int, sent_end: int) -> int:
    """For a question asking two figures: take the following clause too when it holds a figure."""
    m = _NEXT_CLAUSE.match(text, end) if end < sent_end else None
    if m and m.end() <= sent_end and (numbers(m.group()) or quantities(m.group())):
        return m.end()
    return end


def _standard_words() -> re.Pattern[str]:
    """A clause that states a level (标准, 提高到, 每人每月): the facts vocabulary's standard words
    plus the per-person amount phrases."""
    from .vocabulary import fact_words

    return _compiled(fact_words().standard + ("每人每月", "每人每年", "人均", "提至"))


def _total_words() -> re.Pattern[str]:
    from .vocabulary import fact_words

    return _compiled(fact_words().total_verbs + ("共",))


@lru_cache(maxsize=1)
def _qualifier_pairs() -> tuple[tuple[str, str], ...]:
    """(asked, other) for every two base values of one benefits qualifier kind (农村/城市, 散居/机构)."""
    from .vocabulary import qualifier_values

    out = []
    for values in qualifier_values().values():
        for a in values:
            out.extend((a, b) for b in values if b != a)
    return tuple(out)


def _narrowing_held(q: str, text: str) -> int:
    """How many of the question's narrowing words (vocabulary ``facts.must_cite``: 低保边缘, 原来,
    大学) ``text`` speaks to: the clause about them answers, not its neighbour in the sentence."""
    return sum(1 for word, span_words in fact_words().must_cite
               if word in q and any(w in text for w in span_words))


def _qualifier_conflict(q: str, ctext: str) -> bool:
    """农村 asked but only 城市 stated (or 散居 vs 机构): the clause is about something else."""
    return any(want in q and other not in q and other in ctext and want not in ctext and "城乡" not in ctext
               for want, other in _qualifier_pairs())


# question phrases that look like qualifiers: 哪个城市的低保 asks about 城市 and 农村 alike
_QUESTION_PHRASES = re.compile(r"(?:哪个|哪些|哪几个|各个|各|每个|所有)城市")
_SUPERLATIVE_HIGH = re.compile(r"最高|最多|(?:哪个|哪里|哪些|谁)[^，,。？?]{0,12}(?:更|比较)?高")
_SUPERLATIVE_LOW = re.compile(r"最低|最少|(?:哪个|哪里|哪些|谁)[^，,。？?]{0,12}(?:更|比较)?低")
_LOW_WORDS = re.compile(r"最低生活保障|最低生活|最低养育|低保|低收入")
_PERIOD_WORD = {"月": "月标准", "年": "年标准"}


def _superlative_notes(q: str, rows: list["Standard"], vocab) -> list[str]:
    """最高/最低 across regions: compared only within one category and one period (月 vs 年),
    plus a note when the figures come from different years."""
    q = _LOW_WORDS.sub(" ", q)
    wants = [w for w, pat in (("最高", _SUPERLATIVE_HIGH), ("最低", _SUPERLATIVE_LOW)) if pat.search(q)]
    if not wants:
        return []
    notes: list[str] = []
    by_cat: dict[str, list[Standard]] = {}
    for r in rows:
        by_cat.setdefault(r.category, []).append(r)
    for cat, cat_rows in by_cat.items():
        if len({r.region for r in cat_rows}) < 2:
            continue
        label = vocab.label(cat) if cat in vocab.names else cat
        compared = False
        for period in ("年", "月"):
            same = [r for r in cat_rows if r.period == period]
            if len({r.region for r in same}) < 2:
                continue
            compared = True
            for w in wants:
                pick = max(same, key=lambda r: r.number) if w == "最高" else min(same, key=lambda r: r.number)
                ties = [r.region for r in same if r.number == pick.number]
                who = "、".join(dict.fromkeys(x or "" for x in ties))
                others = [r for r in same if r.region not in ties]
                notes.append(f"在按{_PERIOD_WORD[period]}计的{label}中，{who}{w}（{pick.amount}{pick.unit}，"
                             f"{pick.year}年）" + ("" if others else "，各地相同") + "。")
            left = [r for r in cat_rows if r.period != period]
            if left:
                notes.append("未参与比较：" + "、".join(
                    f"{r.region}（{'未注明按月还是按年' if r.period is None else '按' + r.period + '计'}）"
                    for r in left) + "，计算周期不同，不能直接比较。")
        if not compared:
            desc = "、".join(f"{r.region}{'未注明周期' if r.period is None else '按' + r.period + '计'}"
                             for r in cat_rows)
            notes.append(f"各地{label}的计算周期不同或未注明（{desc}），无法直接比较高低。")
    years = {r.year for r in rows}
    if len(years) > 1:
        per_region = "、".join(dict.fromkeys(f"{r.region}{r.year}年" for r in rows if r.year))
        notes.append(f"注意：各地数据年份不同（{per_region}），比较时请留意年份。")
    return notes


def _header_name(header: str) -> str:
    """城市低保月标准（元） → 城市低保月标准."""
    return re.sub(r"[（(][^（）()]*[）)]", "", header).strip()


def _asks_standard(q: str) -> bool:
    return bool(re.search(r"标准|一个月|每月|每个月|一年|每年|每人", q))


def _respectively_about(claim: str, q: str) -> bool:
    """Is the 城乡…分别为X元、Y元 list of ``claim`` about the benefit the question names?
    (焦作 低保 must not be told 其中农村为6000元 from 城乡特困…分别为9600元、6000元.)"""
    from .standards import load_vocabulary

    pair = _respective(claim)
    if not pair:
        return False
    vocab = load_vocabulary()
    asked = {x.family for x in vocab.mentions(q)}
    listed = {x.family for x in vocab.mentions("城乡" + pair[0])}
    return not asked or bool(asked & listed)


def _respectively(claim: str, q: str) -> str:
    """城乡…分别为X元、Y元: say which figure is which when the question picks one."""
    pair = _respective(claim)
    if not pair:
        return ""
    _, urban, rural = pair
    if "城市" in q and "农村" not in q:
        return f"（其中城市为{urban}元）"
    if "农村" in q and "城市" not in q:
        return f"（其中农村为{rural}元）"
    return f"（城市{urban}元、农村{rural}元）"


_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|【[^】]{1,10}】|第[一二三四五六七八九十]+[章节])"
                      r"[^，,。；;]{0,12}[：:]?\s*$")
_FAQ_REPLY = re.compile(r"^\s*答[：:]")
_DOC_QUESTION = re.compile(r"^\s*问[：:]|[？?]\s*$")
_LIST_ITEM = re.compile(r"(?:^|[；;：:])\s*(?:\d+[.、．]|[（(]\d+[）)]|[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、)")
MAX_REPLY_CHARS = 400


def _reply_after(text: str, end: int) -> tuple[int, int] | None:
    """The 答 paragraph right after a document's own question ending at ``end``, or None."""
    m = re.compile(r"\s*(答[：:])").match(text, end)
    if not m:
        return None
    start = m.start(1)
    stop = text.find("\n", start)
    stop = len(text) if stop < 0 else stop
    return start, min(stop, start + MAX_REPLY_CHARS)


def _extend_sentence(doc_text: str, c: "Candidate") -> int:
    """For procedure/general answers: the sentence, plus the next one of the chunk when
    the first only announces the topic (short); a list (1.…；2.…) to the end of its paragraph."""
    line_end = doc_text.find("\n", c.start)
    line_end = len(doc_text) if line_end < 0 else line_end
    if _LIST_ITEM.search(doc_text, c.start, line_end) and line_end > c.end:
        return min(line_end, c.start + MAX_REPLY_CHARS)
    if c.end - c.start >= 40:
        return c.end
    nxt = split_sentences(doc_text[c.end:c.chunk.end], c.end)
    if not nxt:
        return c.end
    following = doc_text[nxt[0][0]:nxt[0][1]]
    if "\n\n" in doc_text[c.end:nxt[0][1]].strip():
        return c.end  # a paragraph ends here: what follows (a signature, the next item) is another matter
    if _DOC_QUESTION.search(following) or _HEADING.match(following):
        return c.end  # the next 问：…？ or 二、… starts another topic: it answers nothing asked here
    return nxt[0][1]


_ITEM_LINE = re.compile(r"[ \t\u3000]*(?:\d+\s*[.、．]|[（(]\d+[）)]|[（(][一二三四五六七八九十]+[）)])")


def _whole_list(text: str, start: int, end: int) -> tuple[int, int]:
    """An item of a numbered list (1.申请书；2.身份证…, on one line or one line per item) answers
    with the whole list, from its first item to its last (bounded by MAX_REPLY_CHARS); any other
    span as given."""
    if not _ITEM_LINE.match(text, start):
        return start, end
    line_start = text.rfind("\n", 0, start) + 1
    first = next((m.start() for m in _ITEM_LINE.finditer(text, line_start, start + 1)
                  if m.start() == line_start or text[m.start() - 1] in "；;。：: 】]"), start)
    while first == line_start and first > 0:  # one item per line: the lines of items before
        prev = text.rfind("\n", 0, first - 1) + 1
        if prev == first or not _ITEM_LINE.match(text, prev):
            break
        first = line_start = prev
    last = text.find("\n", end)
    last = len(text) if last < 0 else last
    while last + 1 < len(text) and _ITEM_LINE.match(text, last + 1) and last - first < MAX_REPLY_CHARS:
        nxt = text.find("\n", last + 1)
        last = len(text) if nxt < 0 else nxt
    return first, min(max(last, end), first + MAX_REPLY_CHARS)


def _lead_with_region(claim: str, region: str) -> str:
    claim = re.sub(r"^\s*答[：:]\s*", "", claim)  # a FAQ's 答： label is the document's layout, not the answer
    claim = _ARTICLE.sub("", claim)  # so is a 办法's 第三条
    if not region:
        return claim
    m = re.match(r"^(全市|我市|本市|全区|我区|本区|该市|市)(?=[\u4e00-\u9fff])", claim)
    if m:
        return region + claim[m.end():]
    m = re.search(r"(全市|我市|本市)", claim[:12])
    if m:
        return claim[:m.start()] + region + claim[m.end():]
    short = region[:-1] if region.endswith(("市", "区", "县")) else region
    if short in claim[:12] or (len(region) > 4 and region[-3:-1] in claim[:12]):
        return claim
    return f"{region}{claim}"


# -- tables (the 火化率 table of 002 and any table of the same shape) ---------------------------

@dataclass(frozen=True)
class TableRow:
    label: str  # 县市区
    values: tuple[str, ...]  # one per value column, as printed (71.82%)
    rank: int | None
    end: int  # offset of the row's end inside the chunk text


_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _cn_number(text: str) -> int | None:
    """3, 三, 十一, 二十 → int."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return _CN_DIGITS.get(text)


def _label_matches(label: str, name: str) -> bool:
    short = name[:-1] if len(name) > 2 else name
    return label == name or label == short or label.startswith(short)


def _parse_table(text: str) -> tuple[list[str], list[TableRow], str] | None:
    """(value column names, rows, what the values measure) of a ``序号 名称 值… 排名`` table
    (one or two header lines); None for any other shape."""
    lines = text.split("\n")
    header = [ln for ln in lines if not re.match(r"^\d+\t", ln)]
    if not header:
        return None
    top = header[0].split("\t")
    has_rank = bool(top) and "排名" in top[-1]
    cols = [c for c in header[-1].split("\t") if c] if len(header) > 1 else [c for c in top[2:-1 if has_rank else None] if c]
    rows, offset = [], 0
    for ln in lines:
        start = text.index(ln, offset)
        offset = start + len(ln)
        if not re.match(r"^\d+\t", ln):
            continue
        cells = [c for c in ln.split("\t")]
        if len(cells) < 3:
            continue
        values = [c for c in cells[2:] if c]
        rank = None
        if has_rank and len(values) > len(cols):
            rank = int(values[-1]) if values[-1].isdigit() else None
            values = values[:-1]
        rows.append(TableRow(cells[1], tuple(values), rank, start + len(ln)))
    if not rows or not cols:
        return None
    measure = next((c for c in top[2:] if c and "排名" not in c), "") if len(header) > 1 else ""
    return cols, rows, measure


def _table_select(q: str, cols: list[str], rows: list[TableRow], measure: str = "") -> tuple[list[TableRow], str]:
    """The rows a ranking / extreme / change question asks for, and a lead that says which."""
    if "排名" in q or "名次" in q or "第" in q:
        if re.search(r"最后|末位|倒数第一", q):
            last = max((r.rank for r in rows if r.rank), default=None)
            return [r for r in rows if r.rank == last], f"排名最后（第{last}名）的是"
        m = re.search(r"第([0-9一二两三四五六七八九十]+)", q)
        if m and (n := _cn_number(m.group(1))):
            return [r for r in rows if r.rank == n], f"排名第{n}的是"
        if re.search(r"(并列)?第一|最好|最高", q):
            return [r for r in rows if r.rank == 1], "排名第1的是"
    col = 0
    for i, c in enumerate(cols):
        year = re.match(r"(\d{4})年", c)
        if year and year.group(1) in q and (len(c) <= 5 or c[5:] in q or "月" not in q):
            col = i
    if len(cols) >= 2 and re.search(r"下降|降低|减少|回落", q):
        out = [r for r in rows if len(r.values) >= 2 and _lt(r.values[-1], r.values[0])]
        return out, f"{cols[-1]}{measure}比{cols[0]}下降的是"
    if len(cols) >= 2 and re.search(r"上升|提高|增长|增加", q) and "最" not in q:
        out = [r for r in rows if len(r.values) >= 2 and _lt(r.values[0], r.values[-1])]
        return out, f"{cols[-1]}{measure}比{cols[0]}上升的是"
    for words, pick, label in ((r"最低|最少|最差", min, "最低"), (r"最高|最多|最好", max, "最高")):
        if re.search(words, q):
            scored = [(v, r) for r in rows if col < len(r.values) and (v := number(r.values[col])) is not None]
            if not scored:
                return [], ""
            best = pick(v for v, _ in scored)
            return [r for v, r in scored if v == best], f"{cols[col]}{measure}{label}的是"
    return [], ""


def _lt(a: str, b: str) -> bool:
    x, y = number(a), number(b)
    return x is not None and y is not None and x < y


def _benefit_terms(q: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(words naming the benefit families the question names, words naming every other family)."""
    from .standards import load_vocabulary

    vocab = load_vocabulary()
    asked: list[str] = []
    others: list[str] = []
    for family in vocab.families:
        terms = vocab.terms(family)
        (asked if any(t in q for t in terms) else others).extend(terms)
    return tuple(asked), tuple(t for t in others if not any(t in a for a in asked))
