"""The scope stage: which documents may answer, and the refusals that come before any answer —
a place no document covers, a year no document of that place covers, a question with no topic
word, an off-topic question (天气, 护照). Entry point: :func:`screen`."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ingest.document import Chunk

from ..types import Answer
from index.tokenize import is_nominal

from ..vocabulary import fact_words, filler, off_topic, topic_term
from .compose import refuse
from .figures import phone_numbers, quantities
from ..examples import first_example
from .corpus import Corpus, Scope, most_specific
from .wording import domain

if TYPE_CHECKING:  # pragma: no cover
    from ..query import QueryAnalysis
    from .candidates import Candidate


@dataclass
class Screened:
    """What passed the scope stage: the chunks in scope, the IDF weights of the question's words
    the documents use (``weights``, ``total``) and of all its topic words (``asked_weights``)."""
    scope: Scope | None
    pool: list[Chunk]
    weights: dict[str, float]
    total: float
    asked_weights: dict[str, float]


def docs_for(corpus: Corpus, analysis: QueryAnalysis, chunks: list[Chunk] = ()) -> tuple[Scope | None, str | None]:
    """Sources in scope, or the places no document covers. None means every source.

    A document is in scope for a place asked when its region is that place, contains it (a
    county asked, a city's document) or lies inside it (a province asked, a city's document):
    :func:`ingest.places.relation`, through the corpus stage's region index. A document that
    states no region answers a question naming a place only when it names that place itself
    (outside a dateline); of those, only the retrieved ones (``chunks``) are read."""
    places = most_specific(analysis.places)
    if not places:
        return None, None
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


def names_topic(term: str, question: str = "") -> bool:
    """``term`` says what a question is about, so the documents must hold it to answer: a noun
    (房价, 护照, 模式), not a verb, adverb, pronoun or measure phrase (采用, 考上, 最多能, 这户),
    not filler (干什么) and not a word that asks a kind of fact (上限, 多久: vocabulary
    ``facts.asked``), nor a piece jieba cut across such a word in ``question`` (哪天起施行 → 天起).
    Asked of words the documents never use only (jieba's tagger loads then)."""
    if term in filler():
        return False
    asked = [w for _, words in fact_words().asked for w in words if len(w) >= 2]
    if any(w in term for w in asked):
        return False
    if question and _across_asked(term, question, asked):
        return False
    return is_nominal(term)


def _across_asked(term: str, question: str, asked: list[str]) -> bool:
    """Every place ``term`` is said in ``question`` overlaps a word that asks a kind of fact."""
    spans = [(m.start(), m.start() + len(w)) for w in asked for m in re.finditer(re.escape(w), question)]
    at = [m.start() for m in re.finditer(re.escape(term), question)]
    return bool(at) and all(any(a < i + len(term) and i < b for a, b in spans) for i in at)


# a document's headline: its text up to the first comma or sentence end (a web page glues its
# headline to the lede: 国家邮政局启动邮政快递业复工复产工作 2月21日，…), at most this long
_HEADLINE_END = re.compile(r"[，,。；;！!？?\n]")
HEADLINE_CHARS = 60


def _headline_names(ex, pool: list[Chunk], word: str) -> bool:
    """The first document in scope is about ``word``: its headline names it (国家邮政局…快递业…
    for a 快递 question). An off-topic word (vocabulary ``off_topic``) a report merely mentions
    in its body stays off topic; one its headline names is what the document is about."""
    if not pool:
        return False
    text = ex.doc_texts.get(pool[0].source, "").lstrip()
    m = _HEADLINE_END.search(text, 0, HEADLINE_CHARS)
    return word in text[:m.start() if m else HEADLINE_CHARS]


# the shortest known word an unknown word may be glued to or made of (not 用 + 药)
MIN_PART = 2


def modifies_known(known, term: str, question: str, asked_known) -> bool:
    """An unknown noun of ``question`` only qualifies a word the documents use: it is glued, at
    every place it is said, to a known word of the question (``asked_known``: 花样 of 花样互助模式,
    窍门 of 兑换窍门), or it is made of known words (``known``: 积分优惠 → 积分, 优惠). Such a question
    is about the known word; the unknown one names no topic of its own the documents lack."""
    if _made_of_known(known, term):
        return True
    heads = [k for k in asked_known if len(k) >= MIN_PART and k != term]
    at = [m.start() for m in re.finditer(re.escape(term), question)]
    return bool(at) and all(any(question.startswith(k, i + len(term)) or question.endswith(k, 0, i) for k in heads)
                            for i in at)


def _made_of_known(known, term: str) -> bool:
    """``term`` is a run of two or more known words of at least ``MIN_PART`` characters each."""
    return any(known(term[:j]) and (known(term[j:]) or _made_of_known(known, term[j:]))
               for j in range(MIN_PART, len(term) - MIN_PART + 1))


# how many of the first retrieved documents in scope may answer a question read by its known head
HEAD_DOCS = 3


def _holding(ex, pool: list[Chunk], words) -> list[Chunk]:
    """The chunks of those of the first ``HEAD_DOCS`` documents in scope that hold every one of
    ``words`` of ``MIN_PART`` characters or more (a synonym counts; a single character such as 多
    is no topic): a question whose unknown modifier is read as its known head is answered only
    from a document about all it asks."""
    firsts = list(dict.fromkeys(c.source for c in pool))[:HEAD_DOCS]
    ok = {s for s in firsts if all(ex.contains(ex.doc_texts.get(s, ""), w) for w in words if len(w) >= MIN_PART)}
    return [c for c in pool if c.source in ok]


def _in_period(analysis: QueryAnalysis, pool: list[Chunk]) -> list[Chunk]:
    """The chunks of the years asked: a document of that year, or a chunk that writes the year. A
    full date asked (2020年1月25日) also keeps a chunk of a document whose year is unknown that writes
    that very day without its year (a news item's 1月25日晚上): the day is what the question quotes."""
    days = {q.date[-6:] for q in quantities(analysis.normalized) if q.date and len(q.date) == 10}

    def writes_day(c: Chunk) -> bool:
        return bool(days) and c.meta.get("year") is None and any(
            q.date[-6:] in days for q in quantities(c.text) if q.date and len(q.date) in (7, 10))

    return [c for c in pool if c.meta.get("year") in analysis.years
            or any(f"{y}年" in c.text for y in analysis.years) or writes_day(c)]


def screen(ex, analysis: QueryAnalysis, chunks: list[Chunk]) -> Answer | Screened:
    """The refusal a question gets before any answer is looked for, or what passed."""
    topic = ex.topic(analysis)
    note = ex.corpus.coverage_note
    scope, missing = docs_for(ex.corpus, analysis, chunks)
    if missing:
        return refuse(ex, analysis, f"资料中没有{missing}{topic}的相关内容。现有资料涉及：{note}。")
    pool = [c for c in chunks if scope is None or c.source in scope]
    if analysis.years:
        pool = _in_period(analysis, pool)
        if not pool:
            where = "、".join(analysis.regions) if analysis.regions else ""
            covered = ex.corpus.years_covered(scope)
            return refuse(ex, analysis, f"资料中没有{where}{'、'.join(map(str, analysis.years))}年"
                                       f"{topic}的相关内容（现有{where or ''}资料的年份：{'、'.join(covered)}年）。")
    terms = [t for t in dict.fromkeys(map(topic_term, analysis.terms)) if t]  # 搞, 咋, 我家: never a topic
    if not terms and not analysis.places:
        example = first_example(ex.standards, ex.corpus.example_place)
        return refuse(ex, analysis, f"没有理解问题所问的内容，请换个说法，例如：{example}")
    weights = {t: ex.corpus.idf(t) for t in terms}
    total_w = sum(weights.values()) or 1.0
    known = {t: w for t, w in weights.items() if ex.corpus.known(t)}
    in_domain = bool(domain().search(analysis.normalized)) or bool(ex.benefits().mentions(analysis.normalized))
    # A civil-affairs question may use words the reports never use (城里, 一共, English filler):
    # those are ignored. A question with no civil-affairs word must be about what the reports say,
    # and never about an off-topic thing (vocabulary "off_topic": 天气) a report merely mentions.
    # Only topic words count (names_topic): a verb or a way of asking the documents never use
    # (采用, 考上, 最多能, 这户) neither blocks an answer nor is quoted in a refusal.
    off = [t for t in terms if any(w in t and not _headline_names(ex, pool, w) for w in off_topic())]
    if terms and not in_domain and (off or sum(known.values()) / total_w < 0.99):
        unknown = off or [t for t in terms if t not in known and names_topic(t, analysis.normalized)]
        holding = _holding(ex, pool, known) if not off and unknown and all(
            modifies_known(ex.corpus.known, t, analysis.normalized, known) for t in unknown) else []
        if holding:  # 花样互助模式: what the question is about is the known word
            unknown, pool = [], holding
        if off or unknown or not known:
            what = f"关于“{'、'.join(unknown)}”的" if unknown else "相关"
            return refuse(ex, analysis, f"资料中没有{what}内容。本助手只回答所收录民政工作报告中的问题，"
                                       f"现有资料涉及：{note}。")
    asked_weights = weights  # a figure-free question's words, those the reports never use too
    if known:
        weights = known
        total_w = sum(weights.values())
    if not pool:
        return refuse(ex, analysis, f"资料中没有{'、'.join(analysis.regions)}{topic}的相关内容。")
    return Screened(scope, pool, weights, total_w, asked_weights)


def of_place_asked(ex, analysis: QueryAnalysis, cands: list[Candidate]) -> list[Candidate]:
    """In a document filed under another region than the one asked, or under none (a national
    report naming 浙江省 in one sentence), only a figure whose sentence names the place asked is
    the place's; the document's other figures (全国…6399.93万元) are not, so they go. In a wider
    region's document the candidates naming the county asked come first (a phone line asked: cut
    to that county's own number)."""
    names = {n for p in analysis.places for n in (p.name, p.short) if n and len(n) >= 2}
    doc = ex.doc_texts

    def names_place(c: Candidate, names: set[str] = names) -> bool:
        return any(n in doc[c.chunk.source][c.start:c.end] for n in names)

    def filed_there(c: Candidate) -> bool:
        city = c.chunk.meta.get("city") or ""
        return any(n in city or (city and city in n) for n in names)

    sourced = {c.chunk.source for c in cands if c.figure is not None and names_place(c) and not filed_there(c)}
    # a document that states no region (a national news item) says nothing of the place asked
    # except in a sentence naming it: its other figures are of wherever it reports on
    kept = [c for c in cands if names_place(c) or (c.chunk.source not in sourced and c.chunk.meta.get("city"))]
    # a county asked of its city's document listing each county's figure or phone line
    # (王益区…；耀州区医保中心…): the clause naming the county asked comes first, never a sibling's;
    # in the county's own document every clause is the county's
    below = [p for p in analysis.places if p.level in ("county", "town")]
    own = {n for p in below for n in (p.name, p.short) if n and len(n) >= 2}

    def wider(c: Candidate) -> bool:
        city = c.chunk.meta.get("city") or ""
        return bool(city) and not any(p.name in city for p in below)

    naming = [wider(c) and names_place(c, own) for c in kept]
    if analysis.asked.kind == "contact":  # 川汇区民政局：0394-…沈丘县民政局：0394-… run together: its own number
        kept = [_own_line(doc[c.chunk.source], c, own) if y else c for c, y in zip(kept, naming)]
    return [c for c, y in zip(kept, naming) if y] + [c for c, y in zip(kept, naming) if not y]


def _own_line(text: str, c: Candidate, names: set[str]) -> Candidate:
    """Candidate ``c`` cut to the place it names and the first phone number after it, when its span
    lists several numbers (a contact list whose lines the cleaner ran together); else ``c``."""
    span = text[c.start:c.end]
    at = min((span.find(n) for n in names if n in span), default=-1)
    own = phone_numbers(span[at:]) if at >= 0 and len(phone_numbers(span)) > 1 else []
    end = span.find(own[0], at) if own else -1
    if end < 0:  # (a number written in full-width digits is found folded, not as written)
        return c
    stop = c.start + end + len(own[0])
    return replace(c, start=c.start + at, end=stop, clause_start=c.start + at, clause_end=stop)
