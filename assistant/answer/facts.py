"""Every quantity of a document as a :class:`Fact`.

``extract_facts(doc)`` reads each sentence once: its figures (:mod:`.figures`), the
benefits it names (the ``benefits`` vocabulary) and the words of the ``facts`` vocabulary
section, and turns every figure into a frozen fact:

- ``value`` verbatim, ``number``, ``unit``, and the exact span (``doc.text[start:end] == value``);
  ``text`` is the clause it is quoted with (``doc.text[span_start:span_end]``);
- ``kind``: standard (a level: 标准, 提高到), total (万元/亿元, 余, 发放/支出…), average, cap
  (不超过, 最高), floor (不低于), multiple-of (N倍), difference (提高50元), amount (a sum of money
  none of those words explain), count, rate, date, duration, age, measure, number;
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
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ingest.places import find_places
from ingest.text import YEAR

from ..benefits import Mention, Vocabulary, load_vocabulary
from ..vocabulary import FactWords, fact_words
from .figures import PER_HEAD, Quantity, quantities
from .injection import INJECTION, paragraph_end

if TYPE_CHECKING:  # pragma: no cover
    from ingest.document import Document

KINDS = ("standard", "total", "average", "cap", "floor", "multiple-of", "difference", "amount", "count", "rate",
         "date", "duration", "age", "measure", "number")
_SENTENCE = re.compile(r"[^。！？；!?;\n]+")
_CLAUSE = re.compile(r"[^，,]+")
_PER_PERSON_TIME = re.compile(r"每人次")
_PER_PERSON = re.compile(r"[每第]人|人均|/人")
_PERIOD_MONTH = re.compile(r"[每第]人每月|每月|(?<!\d)月(?:标准|补差|人均|补助)|按月|/月|·月")
_PERIOD_YEAR = re.compile(r"[每第]人每年|每年|(?<!\d)年(?:标准|人均|补助)|按年|/年|·年")
_SUFFIX_UNIT = re.compile(r"\s*(?:/人)?(?:[/·](?:人|月|年))*")
_LIST_JOIN = re.compile(r"^\s*[、和与及]\s*$")
_LIST_HEAD = re.compile(r"((?:\d+(?:\.\d+)?\s*[、和与及]\s*)+)$")  # 9600、6000元: the bare numbers of a list
_RESPECTIVE = re.compile(r"分别[为是]?")
_LEAD = re.compile(r"^(?:其中|同时|另外|此外|并|并且|将|把|对|按|全市|全省|全县|全区)")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_ARTICLE = re.compile(r"^第[一二三四五六七八九十百零〇\d]+条")
# how an amount is introduced, not what it is of: 为每人每月 / 提高到 / 达到
_AMOUNT_GRAMMAR = re.compile(r"(?:为|是|达到|达|提高到|提高至|提高为|调整为|调整到|统一为|"
                             r"每人每月|每人每年|每月|每年|人均|每人|按月|按年|月|年)+$")


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

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


# ---------------------------------------------------------------------------
# words (from the vocabulary file)
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Patterns:
    standard: re.Pattern[str]
    total: re.Pattern[str]
    average: re.Pattern[str]
    cap: re.Pattern[str]
    floor: re.Pattern[str]
    delta_before: re.Pattern[str]
    pair_between: re.Pattern[str]
    pair_before: re.Pattern[str]
    effective_after: re.Pattern[str]
    qualifier_words: tuple[tuple[str, re.Pattern[str], dict[str, str]], ...]


@lru_cache(maxsize=1)
def patterns() -> _Patterns:
    w = fact_words()
    alt = FactWords.alternation
    per = r"(?:[每第]人每[月年]|每[月年]|人均)?"
    # 高/低 alone are a difference only when not 最高/最低 (最高不超过 is a cap)
    delta = "|".join(f"(?<!最){re.escape(x)}" if len(x) == 1 else re.escape(x)
                     for x in sorted(w.delta, key=len, reverse=True))
    quals = []
    for kind, values in w.qualifiers:
        of_word = {word: value for value, words in values for word in words}
        quals.append((kind, re.compile(alt(tuple(of_word))), of_word))
    return _Patterns(
        standard=re.compile(alt(w.standard)),
        total=re.compile(alt(w.total_verbs)),
        average=re.compile(alt(w.average)),
        cap=re.compile(rf"(?:{alt(w.cap)})[^，,；;。\d]{{0,16}}$"),
        floor=re.compile(rf"(?:{alt(w.floor)})[^，,；;。\d]{{0,16}}$"),
        delta_before=re.compile(rf"(?:{delta})了?\s*(?:每人每[月年]|每[月年])?\s*$"),
        pair_between=re.compile(rf"^\s*(?:{alt(w.raise_)})(?:到|至|为)\s*{per}\s*$"),
        pair_before=re.compile(rf"(?:由|从)\s*{per}\s*$"),
        effective_after=re.compile(rf"\s*(?:{alt(w.effective)})"),
        qualifier_words=tuple(quals),
    )


# ---------------------------------------------------------------------------
# amount lists: 600元 / 9600元、6000元 / 9600、6000元 / 由520元提高到550元
# ---------------------------------------------------------------------------

@dataclass
class _List:
    start: int  # absolute offsets
    end: int
    items: list[Quantity]  # money quantities (absolute offsets); bare list heads carry unit 元 too
    total: bool  # 万元/亿元 or 余/多
    previous_of: "_List | None" = None
    previous: "_List | None" = None
    scope_start: int = 0  # where this amount's own words begin in its clause


@dataclass
class _Clause:
    start: int
    end: int
    text: str


def _clauses(text: str, s_start: int, s_end: int) -> list[_Clause]:
    out = []
    for m in _CLAUSE.finditer(text, s_start, s_end):
        a, b = m.start(), m.end()
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append(_Clause(a, b, text[a:b]))
    return out


def _clause_start(clauses: list[_Clause], pos: int) -> int:
    """Start of the clause holding ``pos`` (or of the first clause after it)."""
    for c in clauses:
        if pos < c.end:
            return min(c.start, pos)
    return pos


def _shift(q: Quantity, offset: int) -> Quantity:
    from dataclasses import replace

    return replace(q, start=q.start + offset, end=q.end + offset)


def _amount_lists(text: str, cl: _Clause, money: list[Quantity], p: _Patterns) -> list[_List]:
    lists: list[_List] = []
    for q in money:
        if lists and _LIST_JOIN.match(text[lists[-1].end:q.start]):
            lists[-1].items.append(q)
            lists[-1].end = q.end
        else:
            lists.append(_List(q.start, q.end, [q], False))
    for lst in lists:
        head = _LIST_HEAD.search(text, cl.start, lst.start)
        if head:  # 9600、6000元: the bare numbers share the list's unit
            heads = [Quantity(m.group(), head.start() + m.start(), head.start() + m.end(), float(m.group()), "元",
                              "money", m.group()) for m in re.finditer(r"\d+(?:\.\d+)?", head.group())]
            lst.items[:0] = heads
            lst.start = heads[0].start
        lst.total = any(q.multiplier in ("万", "亿", "千", "百") or q.approx for q in lst.items)
    # 由X元提高到Y元 / 从每人每月600元提高到700元
    for a, b in zip(lists, lists[1:]):
        if (not a.total and not b.total and len(a.items) == len(b.items)
                and p.pair_between.match(text[a.end:b.start])
                and p.pair_before.search(text[cl.start:a.start])):
            a.previous_of, b.previous = b, a
    scope = cl.start
    for lst in lists:
        if lst.previous is not None:
            lst.scope_start = lst.previous.scope_start
            continue
        lst.scope_start = scope
        if lst.previous_of is None:
            scope = lst.end
    return lists


def _unit_words(text: str, lst: _List, clause_end: int) -> tuple[str | None, str | None]:
    """(period, per) from the amount's own words: its clause part before it and a /人/月 suffix."""
    suffix = _SUFFIX_UNIT.match(text, lst.end, clause_end)
    local = text[lst.scope_start:lst.start] + (suffix.group() if suffix else "")
    if lst.previous is not None:
        local = text[lst.scope_start:lst.start]
    period = "月" if _PERIOD_MONTH.search(local) else "年" if _PERIOD_YEAR.search(local) else None
    per = "人次" if _PER_PERSON_TIME.search(local) else "人" if _PER_PERSON.search(local) else None
    return period, per


def _choose_mentions(vocab: "Vocabulary", cand: list["Mention"], lst: _List) -> list["Mention"]:
    """The mentions (one family) an amount belongs to, best first."""
    def dist(m: "Mention") -> int:
        return lst.start - m.end if m.end <= lst.start else (m.start - lst.end) + 3
    best_family = min(cand, key=lambda m: (-vocab.priority(m.family), dist(m))).family
    same = [m for m in cand if m.family == best_family]
    return sorted(same, key=dist)


# ---------------------------------------------------------------------------
# extraction
# ---------------------------------------------------------------------------

def _references(text: str, clauses: list[_Clause], figs: list[Quantity]) -> list[tuple[int, int, str]]:
    """(start, end, what it is relative to) of each ``…的N倍`` reference phrase: from the clause's
    start (after 按/不低于…) to the 倍."""
    out = []
    for q in figs:
        if q.dimension != "multiple":
            continue
        cs = _clause_start(clauses, q.start)
        before = text[cs:q.start]
        de = before.rfind("的")
        if de < 0:
            continue
        lead = re.match(r"^(?:.*(?:按照|按|参照|依照|不低于|不高于|不超过|不得低于|不得超过|相当于|为|是))?", before[:de])
        rel_start = cs + (lead.end() if lead else 0)
        out.append((rel_start, q.end, text[rel_start:cs + de].strip()))
    return out


def _region(doc: "Document", sentence: str, s_start: int, pos: int) -> str | None:
    """The place a figure is about: the document's, unless the sentence names another
    place before the figure (and not the document's own place after it)."""
    own = doc.meta.city
    named = [(p, s) for p, s, _ in find_places(sentence) if p.level != "province" and s_start + s < pos]
    if not named:
        return own
    place, _ = named[-1]
    region = place.region
    if own and (own == region or own.startswith(place.name) or region.startswith(own)
                or place.name in own or (own.endswith(place.name))):
        return own
    return region


def _qualifiers(text: str, start: int, end: int, p: _Patterns) -> list[tuple[str, str, int]]:
    """(kind, value, offset) of the care-level / disability-grade words in ``text[start:end]``."""
    out = []
    for kind, pat, of_word in p.qualifier_words:
        for m in pat.finditer(text, start, end):
            out.append((kind, of_word[m.group()], m.start()))
    out.sort(key=lambda t: t[2])
    return out


def _age_bands(figs: list[Quantity], text: str) -> list[tuple[int, tuple[float | None, float | None]]]:
    """(offset, band) of each age a following figure is for: 80–89周岁 → (80, 89);
    100周岁以上 → (100, None); 60周岁以下 → (None, 60)."""
    out = []
    for q in figs:
        if q.dimension != "age":
            continue
        if q.upper is not None:
            out.append((q.start, (q.value, q.upper)))
        elif re.match(r"\s*(?:及)?以上", text[q.end:q.end + 4]):
            out.append((q.start, (q.value, None)))
        elif re.match(r"\s*(?:及)?以下", text[q.end:q.end + 4]):
            out.append((q.start, (None, q.value)))
    return out


def _measure(text: str, clauses: list[_Clause], pos: int, refs: list[tuple[int, int, str]]) -> str:
    """The words a figure is of: its clause up to the figure, reference phrases cut out;
    the clause before when its own has no words."""
    idx = next((i for i, c in enumerate(clauses) if c.start <= pos < c.end), None)
    if idx is None:
        return ""
    for i in range(idx, -1, -1):
        c = clauses[i]
        upto = pos if i == idx else c.end
        chars = list(text[c.start:upto])
        for rs, re_, _ in refs:
            for k in range(max(rs, c.start), min(re_, upto)):
                chars[k - c.start] = " "
        phrase = re.sub(r"\s+", "", "".join(chars))
        phrase = re.sub(r"[\d.%]+[^\u4e00-\u9fff]*$", "", phrase)
        phrase = _LEAD.sub("", _ARTICLE.sub("", phrase))
        phrase = _AMOUNT_GRAMMAR.sub("", phrase)
        if len(_HAN.findall(phrase)) >= 2:
            return phrase
    return ""


def extract_facts(doc: "Document", vocab: "Vocabulary | None" = None) -> list[Fact]:
    """Every quantity of ``doc.text`` as a fact (see the module docstring), in text order."""
    vocab = vocab or load_vocabulary()
    p = patterns()
    text = doc.text
    facts: list[Fact] = []
    skip_to = -1
    for sm in _SENTENCE.finditer(text):
        s_start, s_end = sm.span()
        if s_start < skip_to:
            continue
        sentence = sm.group()
        if INJECTION.search(sentence):
            skip_to = paragraph_end(text, s_start)  # the instruction and its payload: never a fact
            continue
        figs = [_shift(q, s_start) for q in quantities(sentence)]
        if not figs:
            continue
        clauses = _clauses(text, s_start, s_end)
        refs = _references(text, clauses, figs)
        in_ref = lambda pos: any(a <= pos < b for a, b, _ in refs)  # noqa: E731
        mentions = [Mention(m.start + s_start, m.end + s_start, m.term_start + s_start, m.term, m.family,
                            m.categories) for m in vocab.mentions(sentence)]
        mentions = [m for m in mentions if not in_ref(m.term_start)]
        bands = _age_bands(figs, text)
        quals = _qualifiers(text, s_start, s_end, p)
        years = [(m.start(), int(m.group(1))) for m in YEAR.finditer(text, s_start, s_end)]
        starts = [q for q in figs if q.dimension == "date" and p.effective_after.match(text, q.end)
                  and re.search(r"(?:自|从|于)\s*$", text[max(s_start, q.start - 3):q.start])]
        effective = starts[0].date if starts else None

        def common(q: Quantity, kind: str, span: tuple[int, int], **kw: Any) -> Fact:
            year = next((y for s, y in reversed(years) if s < q.start and not (s == q.start)), None)
            band = next((b for s, b in reversed(bands) if s < q.start), None) if q.dimension == "money" else None
            return Fact(id=Fact.make_id(doc.source, q.start, q.end, kind), source=doc.source, start=q.start,
                        end=q.end, value=q.text, number=q.value, unit=q.unit, kind=kind,
                        measure=kw.pop("measure", None) or _measure(text, clauses, q.start, refs),
                        categories=tuple(kw.pop("categories", ())), qualifiers=tuple(kw.pop("qualifiers", ())),
                        age_band=band, region=_region(doc, sentence, s_start, q.start),
                        year=year if year is not None else doc.meta.year, period=kw.pop("period", None),
                        per=kw.pop("per", None), effective=kw.pop("effective", effective),
                        previous=kw.pop("previous", None), relative_to=kw.pop("relative_to", None),
                        span_start=span[0], span_end=span[1], text=text[span[0]:span[1]])

        money_done: set[int] = set()
        prev_kind: str | None = None
        for ci, cl in enumerate(clauses):
            money = [q for q in figs if q.dimension == "money" and cl.start <= q.start < cl.end]
            for lst in _amount_lists(text, cl, money, p):
                if lst.previous_of is not None:
                    money_done.update(q.start for q in lst.items)
                    continue  # the X of 由X提高到Y is Y's previous value, not a fact of its own
                made = _money_facts(doc, text, vocab, p, clauses, ci, cl, lst, mentions, quals, refs,
                                    s_start, years, common, prev_kind)
                facts.extend(made)
                prev_kind = made[-1].kind if made else prev_kind
                money_done.update(q.start for q in lst.items)
        for q in figs:
            if q.dimension == "money" or q.start in money_done:
                continue
            span = (_clause_start(clauses, q.start), next((c.end for c in clauses if c.start <= q.start < c.end),
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
            facts.append(common(q, kind, span, relative_to=rel, effective=eff))
    facts.sort(key=lambda f: (f.start, f.kind))
    return facts


def _band_or_level(text: str, cl: _Clause, quals, p: _Patterns) -> bool:
    """The clause names an age or a care level / grade of its own."""
    return bool(any(cl.start <= pos < cl.end for _, _, pos in quals)
                or any(q.dimension == "age" for q in quantities(cl.text)))


def _money_facts(doc, text, vocab, p: _Patterns, clauses, ci, cl, lst: _List, mentions, quals, refs, s_start,
                 years, common, prev_kind: str | None = None) -> list[Fact]:
    """The facts of one amount list (one or several amounts said together)."""
    first = lst.previous.start if lst.previous else lst.start
    before = text[lst.scope_start:first]
    clause_before = text[cl.start:first]
    if p.delta_before.search(clause_before):
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
        chosen = _choose_mentions(vocab, cand, lst)
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
                span_start = min(span_start, _clause_start(clauses, ref.start))
            else:
                cats = [family]
    n = len(lst.items)
    # care levels / grades said before the list: one per amount (分别为), or one for all
    said = [(k, v) for k, v, pos in quals if pos < lst.start]
    if n > 1 and len(said) >= n:
        per_item = [[said[len(said) - n + i]] for i in range(n)]
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
        span_start = min(span_start, _clause_start(clauses, ys))
    period, per = _unit_words(text, lst, cl.end)
    out = []
    for i, q in enumerate(lst.items):
        prev = lst.previous.items[i].text if lst.previous else None
        out.append(common(q, kind, (span_start, cl.end), categories=cat_of[i], qualifiers=per_item[i], period=period, per=per, previous=prev,
                          relative_to=next((r for a, b, r in refs if a < first and b <= first
                                            and a >= cl.start - 60), None)))
    return out


def _has_money(text: str) -> bool:
    return any(q.dimension == "money" for q in quantities(text))
