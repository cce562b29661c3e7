"""Every quantity of a document as a :class:`Fact`.

``extract_facts(doc)`` reads each sentence once: its figures (:mod:`.figures`), the
benefits it names (the ``benefits`` vocabulary) and the words of the ``facts`` vocabulary
section, and turns every figure into a frozen fact:

- ``value`` verbatim, ``number``, ``unit``, and the exact span (``doc.text[start:end] == value``);
  ``text`` is the clause it is quoted with (``doc.text[span_start:span_end]``);
- ``kind``: standard (a level: 标准, 提高到), total (万元/亿元, 余, 发放/支出…), average, cap
  (不超过, 最高), floor (不低于), multiple-of (N倍), difference (提高50元), target (a plan's figure:
  力争将…提高到), amount (a sum of money none of those words explain), count, rate, date, duration, age, measure, number;
- ``measure``: the phrase the figure is of, without reference phrases; ``relative_to``: what a
  reference (``不低于城市低保标准的1.3倍``) is relative to — never what the figure is about
  (``…确定，为每人每月975元`` is the 特困 standard, not 城市低保);
- ``category``: the benefit category (for money), from the benefits named in the clause (else
  earlier in the sentence), outside reference phrases;
- ``qualifiers``: (kind, value) pairs — the benefit qualifiers (城市/农村, 散居/机构), care level
  and disability grade; ``age_band``: (low, high) of the age the figure is for;
- ``region``: the document's, unless the sentence names another place before the figure
  (a 北京 report quoting 焦作's figure keeps 焦作市); ``year`` stated before the figure in
  the sentence, else the document's; ``effective``: the ISO date of a 自…起执行 start;
- ``previous``: ``由X提高到Y`` gives Y with previous X (X is no fact of its own).

Text that talks to a model, and the rest of its paragraph, yields no facts (:mod:`.injection`).
The standards table (:mod:`assistant.standards`) is the view of the money facts of kind
standard/average that name a category and carry no age band or care level.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from index.lru import Bounded
from ingest.document import DocMeta, Document
from ingest.text import SENTENCE_BODY, YEAR

from ..benefits import Mention, Vocabulary, load_vocabulary
from ..vocabulary import LEVEL_KINDS
from .figures import PER_HEAD, PER_UNIT, Quantity, quantities
from .facts_reading import (RESPECTIVE, AmountList, Clause, Patterns, age_bands, amount_lists, choose_mentions,
                            clause_start, clauses_of, item_period, measure_of, patterns, read_qualifiers,
                            references, region_of, shift, unit_words)
from .injection import INJECTION, paragraph_end

KINDS = ("standard", "total", "average", "cap", "floor", "multiple-of", "difference", "amount", "target", "count",
         "rate", "date", "duration", "age", "measure", "number")


@dataclass(frozen=True)
class Fact:
    id: str
    source: str
    start: int  # the figure's span: doc.text[start:end] == value
    end: int
    value: str
    number: float
    unit: str
    kind: str
    measure: str
    categories: tuple[str, ...]  # the benefit categories (one; two for 城乡…统一为X元; none)
    qualifiers: tuple[tuple[str, str], ...]
    age_band: tuple[float | None, float | None] | None
    region: str | None
    year: int | None
    period: str | None  # 月 / 年: what the amount is per (每月, 年标准)
    per: str | None  # 人 / 人次
    effective: str | None  # ISO date this figure (or this date fact) takes effect
    previous: str | None  # 由X提高到Y: X, verbatim
    relative_to: str | None  # the phrase a multiple / reference is relative to
    span_start: int
    span_end: int
    text: str  # doc.text[span_start:span_end]

    @staticmethod
    def make_id(source: str, start: int, end: int, kind: str) -> str:
        return hashlib.sha256(f"{source}\x00{start}\x00{end}\x00{kind}".encode("utf-8")).hexdigest()[:16]

    @property
    def category(self) -> str | None:
        """The one benefit category the figure is of (None when none or several)."""
        return self.categories[0] if len(self.categories) == 1 else None

    def qualifier(self, kind: str) -> str | None:
        return dict(self.qualifiers).get(kind)

    def holds(self, kind: str, value: str) -> bool:
        """One of the figure's levels of ``kind`` is ``value`` (一级、二级残疾人…150元 holds 一级 and 二级)."""
        return (kind, value) in self.qualifiers

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


def extract_facts(doc: "Document", vocab: "Vocabulary | None" = None) -> list[Fact]:
    """Every quantity of ``doc.text`` as a fact (see the module docstring), in text order."""
    vocab = vocab or load_vocabulary()
    p = patterns()
    text = doc.text
    facts: list[Fact] = []
    skip_to = -1
    for sm in SENTENCE_BODY.finditer(text):
        s_start, s_end = sm.span()
        if s_start < skip_to:
            continue
        sentence = sm.group()
        if INJECTION.search(sentence):
            skip_to = paragraph_end(text, s_start)  # the instruction and its payload: never a fact
            continue
        figs = [shift(q, s_start) for q in quantities(sentence)]
        if not figs:
            continue
        clauses = clauses_of(text, s_start, s_end)
        refs = references(text, clauses, figs)
        in_ref = lambda pos: any(a <= pos < b for a, b, _ in refs)  # noqa: E731
        mentions = [Mention(m.start + s_start, m.end + s_start, m.term_start + s_start, m.term, m.family,
                            m.categories) for m in vocab.mentions(sentence)]
        mentions = [m for m in mentions if not in_ref(m.term_start)]
        bands = age_bands(figs, text, s_start, s_end)
        quals = read_qualifiers(text, s_start, s_end, p)
        # the levels a 分别 list may go on from (照料护理分三档：能自理的…；部分丧失…的…。三档标准分别为…):
        # those the sentence before says, in its paragraph
        lead = max(text.rfind("。", 0, s_start - 1), text.rfind("\n", 0, s_start - 1)) + 1
        earlier = read_qualifiers(text, lead, s_start, p) if s_start and text[s_start - 1] != "\n" else []
        years = [(m.start(), int(m.group(1))) for m in YEAR.finditer(text, s_start, s_end)]
        starts = [q for q in figs if q.dimension == "date" and p.effective_after.match(text, q.end)
                  and re.search(r"(?:自|从|于)\s*$", text[max(s_start, q.start - 3):q.start])]
        effective = starts[0].date if starts else None

        def common(q: Quantity, kind: str, span: tuple[int, int], **kw: Any) -> Fact:
            year = next((y for s, y in reversed(years) if s < q.start and not (s == q.start)), None)
            band = next((b for s, b in reversed(bands) if s < q.start), None) if q.dimension == "money" else None
            return Fact(id=Fact.make_id(doc.source, q.start, q.end, kind), source=doc.source, start=q.start,
                        end=q.end, value=q.text, number=q.value, unit=q.unit, kind=kind,
                        measure=kw.pop("measure", None) or measure_of(text, clauses, q.start, refs),
                        categories=tuple(kw.pop("categories", ())), qualifiers=tuple(kw.pop("qualifiers", ())),
                        age_band=band, region=region_of(doc, sentence, s_start, q.start),
                        year=year if year is not None else doc.meta.year, period=kw.pop("period", None),
                        per=kw.pop("per", None), effective=kw.pop("effective", effective),
                        previous=kw.pop("previous", None), relative_to=kw.pop("relative_to", None),
                        span_start=span[0], span_end=span[1], text=text[span[0]:span[1]])

        money_done: set[int] = set()
        prev_kind: str | None = None
        for ci, cl in enumerate(clauses):
            money = [q for q in figs if q.dimension == "money" and cl.start <= q.start < cl.end]
            for lst in amount_lists(text, cl, money, p):
                if lst.previous_of is not None:
                    money_done.update(q.start for q in lst.items)
                    continue  # the X of 由X提高到Y is Y's previous value, not a fact of its own
                made = _money_facts(doc, text, vocab, p, clauses, ci, cl, lst, mentions, quals, refs,
                                    s_start, years, common, prev_kind, earlier)
                facts.extend(made)
                prev_kind = made[-1].kind if made else prev_kind
                money_done.update(q.start for q in lst.items)
        for q in figs:
            if q.dimension == "money" or q.start in money_done:
                continue
            kind, span, rel, eff = _other_fact(q, text, clauses, refs, p, starts, effective)
            facts.append(common(q, kind, span, relative_to=rel, effective=eff))
    facts.sort(key=lambda f: (f.start, f.kind))
    return facts


def _other_fact(q: Quantity, text: str, clauses, refs, p: Patterns, starts, effective):
    """(kind, span, relative_to, effective) of a figure that is no amount of money."""
    span = (clause_start(clauses, q.start), next((c.end for c in clauses if c.start <= q.start < c.end),
                                                  q.end))
    before = text[span[0]:q.start]
    rel = next((r for a, b, r in refs if a <= q.start < b), None)
    if q.dimension == "multiple":
        kind = "cap" if p.cap.search(before) else "floor" if p.floor.search(before) else "multiple-of"
    elif q.dimension == "date":
        kind = "date"
    elif q.dimension in ("count", "rate", "duration", "age", "measure", "number"):
        kind = q.dimension if q.dimension != "number" else "number"
        if q.dimension in ("count", "duration") and p.cap.search(before):
            kind = "cap"
    else:
        kind = q.dimension
    if kind == "date":  # a date is the start only of what it starts (自…起执行), not of its neighbours
        eff = q.date if q in starts else None
    else:
        eff = effective
    return kind, span, rel, eff


def _band_or_level(text: str, cl: Clause, quals, p: Patterns) -> bool:
    """The clause names an age or a care level / grade of its own."""
    return bool(any(cl.start <= pos < cl.end for _, _, pos in quals)
                or any(q.dimension == "age" for q in quantities(cl.text)))


def _money_facts(doc, text, vocab, p: Patterns, clauses, ci, cl, lst: AmountList, mentions, quals, refs, s_start,
                 years, common, prev_kind: str | None = None, earlier=()) -> list[Fact]:
    """The facts of one amount list (one or several amounts said together). A 分别 list with
    fewer levels said before it in its sentence than amounts maps its amounts, in order, to the
    last levels of the ``earlier`` sentence when those are one distinct level per amount."""
    first = lst.previous.start if lst.previous else lst.start
    kind = _money_kind(text, p, clauses, ci, cl, lst, quals, prev_kind)
    cats, span_start = _categories(vocab, mentions, clauses, ci, cl, lst)
    n = len(lst.items)
    # care levels / grades said before the list: one per amount (分别为), or one for all
    said = [(k, v) for k, v, pos in quals if pos < lst.start]
    if n > 1 and len(said) < n and RESPECTIVE.search(text, cl.start, lst.start) \
            and len(earlier) >= n and len({v for _, v, _ in earlier[-n:]}) == n:
        said = [(k, v) for k, v, _ in earlier[-n:]]
    own = [(k, v) for k, v, pos in quals if cl.start <= pos < lst.start]
    if n > 1 and len(said) >= n:
        per_item = [[said[len(said) - n + i]] for i in range(n)]
    elif n == 1 and len(own) > 1 and len(set(own)) == len(own):
        per_item = [own]  # 一级、二级残疾人每人每月150元: one amount for each level its clause names
    elif n == 1 and not own and len(since := _levels_since_figure(text, s_start, first, quals)) > 1:
        # 残疾等级为三级、四级的，每人每月110元: the levels said since the last figure, quoted from their clause
        per_item = [[(k, v) for k, v, _ in since]]
        span_start = min(span_start, clause_start(clauses, since[0][2]))
    else:
        per_item = [said[-1:] for _ in range(n)]
    if n == len(cats):
        cat_of = [(c,) for c in cats]
    elif n == 1:
        cat_of = [tuple(cats)]  # 城乡低保标准统一为X元: one amount, both categories
    else:
        cat_of = [()] * n  # 标准为600元、700元 without saying which is which
    year_stated = [y for s, y in years if s < first]
    if year_stated:
        ys = next(s for s, y in reversed(years) if s < first)
        span_start = min(span_start, clause_start(clauses, ys))
    period, per = unit_words(text, lst, cl.end)
    out = []
    for i, q in enumerate(lst.items):
        prev = lst.previous.items[i].text if lst.previous else None
        out.append(common(q, kind, (span_start, cl.end), categories=cat_of[i], qualifiers=per_item[i],
                          period=item_period(text, lst, i, period), per=per, previous=prev,
                          relative_to=next((r for a, b, r in refs if a < first and b <= first
                                            and a >= cl.start - 60), None)))
    return out


def _levels_since_figure(text: str, s_start: int, first: int, quals) -> list[tuple[str, str, int]]:
    """The distinct levels of one kind, with their offsets, said in the sentence between its last
    amount before ``first`` (or its start) and ``first``; [] when they are of several kinds or repeat."""
    last = max((s_start + q.end for q in quantities(text[s_start:first]) if q.dimension == "money"), default=s_start)
    since = [(k, v, pos) for k, v, pos in quals if last <= pos < first]
    levels = [(k, v) for k, v, _ in since]
    return since if len(set(levels)) == len(levels) and len({k for k, _ in levels}) == 1 else []


def _money_kind(text: str, p: Patterns, clauses, ci: int, cl: Clause, lst: AmountList, quals,
                prev_kind: str | None) -> str:
    """standard, total, average, cap, floor, difference, target or amount, for one amount list."""
    first = lst.previous.start if lst.previous else lst.start
    before = text[lst.scope_start:first]
    clause_before = text[cl.start:first]
    if p.target.search(text[clauses[0].start:first]):
        kind = "target"  # 2026年力争将城市低保标准提高到…870元，农村…: a plan's figure, no standard in force
    elif p.delta_before.search(clause_before):
        kind = "difference"
    elif p.cap.search(clause_before):
        kind = "cap"
    elif p.floor.search(clause_before):
        kind = "floor"
    elif lst.total:
        kind = "total"
    elif p.average.search(before):
        kind = "average"
    else:
        std_here = list(p.standard.finditer(cl.text))
        if not std_here and ci > 0 and not _has_money(clauses[ci - 1].text) \
                and p.standard.search(clauses[ci - 1].text) and not p.total.search(clause_before):
            std_here = [None]  # the clause before says 标准
        kind = "standard" if std_here else ("total" if p.total.search(clause_before) else "amount")
        if kind == "amount" and prev_kind == "standard" and _band_or_level(text, cl, quals, p):
            kind = "standard"  # 标准为：80–89周岁…120元，90–99周岁…240元: each band of the same standard
        if std_here:
            # 发放补贴...元 with no standard word between the verb and the amount
            verbs = list(p.total.finditer(text, cl.start, first))
            if verbs:
                last_std = max((cl.start + m.end() for m in std_here if m is not None
                                and cl.start + m.end() <= first), default=-1)
                if verbs[-1].start() > last_std:
                    kind = "total"
        if kind == "total" and PER_HEAD.search(text[max(cl.start, first - 8):first].rstrip()[-6:]):
            kind = "standard"  # 分档发放：一级每人每月120元: an amount per person and period is a level, not a total
        elif kind == "total" and _per_head(text[cl.start:first]):
            # 在校期间每人每年发放生活补助6000元: paid per person and period, so no total; yet what it is
            # paid as (a grant to students) is no standard of the benefit the sentence names either
            kind = "amount"
        if kind == "total" and re.search(rf"{PER_UNIT}\s*$", text[max(cl.start, first - 8):first]):
            kind = "amount"  # 销售价格由每立方米3.60元…: a price per unit bought is no spending total
    return kind


# what makes a per-head amount's clause a sum after all (每人每月…，全年共发放): a word of summing after it
_SUMMED = re.compile(r"共|累计|合计|总计|总额")


def _per_head(before: str) -> bool:
    """The clause before an amount says it is per person and period before the verb and the thing
    paid (每人每年发放助学金6000元), with no summing word after (每人每月…，全年共发放)."""
    per = list(PER_HEAD.finditer(before))
    return bool(per) and not _SUMMED.search(before[per[-1].end():])


def _categories(vocab: Vocabulary, mentions, clauses, ci: int, cl: Clause, lst: AmountList) -> tuple[list[str], int]:
    """(the benefit categories of an amount list, where its span starts): the mentions in its
    clause, else in earlier clauses of the sentence."""
    # the category: mentions in this clause, else in earlier clauses of the sentence
    span_start = cl.start
    cand = [m for m in mentions if cl.start <= m.term_start < cl.end]
    if not cand:
        for pc in reversed(clauses[:ci]):
            cand = [m for m in mentions if pc.start <= m.term_start < pc.end]
            if cand:
                span_start = pc.start
                break
    cats: list[str] = []
    if cand:
        chosen = choose_mentions(vocab, cand, lst)
        family = chosen[0].family
        qualified = [m for m in chosen if m.qualified]
        if qualified:
            ordered = sorted(qualified, key=lambda m: m.start) if len(lst.items) > 1 else qualified[:1]
            for m in ordered:
                cats.extend(c for c in m.categories if c not in cats)
        else:
            # 将低保金提高到... after 提高农村低保标准: the qualifier said earlier in the sentence
            earlier = [m for m in mentions if m.family == family and m.qualified
                       and m.term_start < chosen[0].term_start]
            if earlier:
                ref = earlier[-1]
                cats = list(ref.categories)
                span_start = min(span_start, clause_start(clauses, ref.start))
            else:
                cats = [family]
    return cats, span_start


def _has_money(text: str) -> bool:
    return any(q.dimension == "money" for q in quantities(text))


FACT_CACHE = 2048  # documents whose facts are kept extracted (least recently used go)


class DocumentFacts:
    """The facts (answer.facts) of each document, extracted on first use; the least recently used
    documents' facts go past ``size``."""

    def __init__(self, documents: dict[str, dict], size: int = FACT_CACHE) -> None:
        self.documents = documents
        self._facts = Bounded(size)
        self._at = Bounded(size)  # source -> figure offset -> fact

    def of(self, source: str) -> list[Fact]:
        facts = self._facts.get(source)
        if facts is None:
            d = self.documents[source]
            meta = d["meta"]
            doc = Document(source=source, text=d["text"], sha256="", encoding="utf-8",
                           meta=DocMeta(city=meta.get("city"), year=meta.get("year"), title=meta.get("title") or ""))
            facts = extract_facts(doc)
            self._facts.put(source, facts)
        return facts

    def at(self, source: str, start: int) -> Fact | None:
        """The fact of ``source`` whose figure starts at document offset ``start``, or None."""
        at = self._at.get(source)
        if at is None:
            at = {}
            for f in self.of(source):
                at.setdefault(f.start, f)
            self._at.put(source, at)
        return at.get(start)

    def banded(self, source: str, start: int) -> bool:
        """The figure at ``start`` is one of several levels or age bands (中度失能的…500元)."""
        f = self.at(source, start)
        return f is not None and (f.age_band is not None or any(f.qualifier(k) for k in LEVEL_KINDS))

    def kind(self, source: str, start: int) -> str | None:
        """The kind the facts layer gives the figure starting at document offset ``start``."""
        f = self.at(source, start)
        return f.kind if f is not None else None
