"""How the facts layer reads a sentence (answer.facts): the vocabulary's fact words as patterns,
clauses, figure lists (分别为X元、Y元), units, references (不低于…的1.3倍), the region and
qualifiers named before a figure, age bands and the phrase a figure is of."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ingest.places import find_places
from ingest.text import CLAUSE_BODY, HAN, HAN_CHAR

from ..benefits import Mention, Vocabulary
from ..vocabulary import FactWords, fact_words
from .figures import HUNDRED_YEARS, PER_UNIT, Quantity

if TYPE_CHECKING:  # pragma: no cover
    from ingest.document import Document

_PER_PERSON_TIME = re.compile(r"每人次")
_PER_PERSON = re.compile(r"[每第]人|人均|/人")
_PERIOD_MONTH = re.compile(r"[每第]人每月|每月|(?<!\d)月(?:标准|补差|人均|补助)|按月|/月|·月")
_PERIOD_YEAR = re.compile(r"[每第]人每年|每年|(?<!\d)年(?:标准|人均|补助)|按年|/年|·年")
_SUFFIX_UNIT = re.compile(r"\s*(?:/人)?(?:[/·](?:人|月|年))*")
_LIST_JOIN = re.compile(r"^\s*[、和与及]\s*$")
_LIST_HEAD = re.compile(r"((?:\d+(?:\.\d+)?\s*[、和与及]\s*)+)$")  # 9600、6000元: the bare numbers of a list
RESPECTIVE = re.compile(r"分别[为是]?")
_LEAD = re.compile(r"^(?:其中|同时|另外|此外|并|并且|将|把|对|按|全市|全省|全县|全区)")
_ARTICLE = re.compile(r"^第[一二三四五六七八九十百零〇\d]+条")
# how an amount is introduced, not what it is of: 为每人每月 / 提高到 / 达到
_AMOUNT_GRAMMAR = re.compile(r"(?:为|是|达到|达|提高到|提高至|提高为|调整为|调整到|统一为|"
                             r"每人每月|每人每年|每月|每年|人均|每人|按月|按年|月|年)+$")


# ---------------------------------------------------------------------------
# words (from the vocabulary file)
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Patterns:
    standard: re.Pattern[str]
    total: re.Pattern[str]
    average: re.Pattern[str]
    cap: re.Pattern[str]
    floor: re.Pattern[str]
    delta_before: re.Pattern[str]
    pair_between: re.Pattern[str]
    pair_before: re.Pattern[str]
    effective_after: re.Pattern[str]
    target: re.Pattern[str]
    qualifier_words: tuple[tuple[str, re.Pattern[str], dict[str, str]], ...]


@lru_cache(maxsize=1)
def patterns() -> Patterns:
    w = fact_words()
    alt = FactWords.alternation
    per = rf"(?:[每第]人每[月年]|每[月年]|人均|{PER_UNIT})?"  # 由每立方米3.60元调整为3.80元 too
    # 高/低 alone are a difference only when not 最高/最低 (最高不超过 is a cap)
    delta = "|".join(f"(?<!最){re.escape(x)}" if len(x) == 1 else re.escape(x)
                     for x in sorted(w.delta, key=len, reverse=True))
    quals = []
    for kind, values in w.qualifiers:
        of_word = {word: value for value, words in values for word in words}
        quals.append((kind, re.compile(alt(tuple(of_word))), of_word))
    return Patterns(
        standard=re.compile(alt(w.standard)),
        total=re.compile(alt(w.total_verbs)),
        average=re.compile(alt(w.average)),
        cap=re.compile(rf"(?:{alt(w.cap)})[^，,；;。\d]{{0,16}}$"),
        floor=re.compile(rf"(?:{alt(w.floor)})[^，,；;。\d]{{0,16}}$"),
        delta_before=re.compile(rf"(?:{delta})了?\s*(?:每人每[月年]|每[月年])?\s*$"),
        pair_between=re.compile(rf"^\s*(?:{alt(w.raise_)})(?:到|至|为)\s*{per}\s*$"),
        pair_before=re.compile(rf"(?:由|从)\s*{per}\s*$"),
        effective_after=re.compile(rf"\s*(?:{alt(w.effective)})"),
        target=re.compile(alt(w.target)),
        qualifier_words=tuple(quals),
    )


# ---------------------------------------------------------------------------
# amount lists: 600元 / 9600元、6000元 / 9600、6000元 / 由520元提高到550元
# ---------------------------------------------------------------------------

@dataclass
class AmountList:
    start: int  # absolute offsets
    end: int
    items: list[Quantity]  # money quantities (absolute offsets); bare list heads carry unit 元 too
    total: bool  # 万元/亿元 or 余/多
    previous_of: "AmountList | None" = None
    previous: "AmountList | None" = None
    scope_start: int = 0  # where this amount's own words begin in its clause


@dataclass
class Clause:
    start: int
    end: int
    text: str


def clauses_of(text: str, s_start: int, s_end: int) -> list[Clause]:
    out = []
    for m in CLAUSE_BODY.finditer(text, s_start, s_end):
        a, b = m.start(), m.end()
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append(Clause(a, b, text[a:b]))
    return out


def clause_start(clauses: list[Clause], pos: int) -> int:
    """Start of the clause holding ``pos`` (or of the first clause after it)."""
    for c in clauses:
        if pos < c.end:
            return min(c.start, pos)
    return pos


def shift(q: Quantity, offset: int) -> Quantity:
    from dataclasses import replace

    return replace(q, start=q.start + offset, end=q.end + offset)


def amount_lists(text: str, cl: Clause, money: list[Quantity], p: Patterns) -> list[AmountList]:
    lists: list[AmountList] = []
    for q in money:
        if lists and _joined(text[lists[-1].end:q.start]):
            lists[-1].items.append(q)
            lists[-1].end = q.end
        else:
            lists.append(AmountList(q.start, q.end, [q], False))
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


def _joined(between: str) -> bool:
    """Two amounts are one list when only 、/和 stands between them, or 、 and the second's own
    period (城乡低保标准分别达到每人每月1045元、每人每年9540元: two amounts, two periods)."""
    return bool(_LIST_JOIN.match(between) or re.fullmatch(r"\s*[、和与及]\s*(?:每人|每户)?每[月年]\s*", between))


def item_period(text: str, lst: AmountList, i: int, period: str | None) -> str | None:
    """The period of the ``i``-th amount of a list: its own when its own words say one
    (…每人每月1045元、每人每年9540元), else the list's ``period``."""
    if i == 0:
        return period
    own = text[lst.items[i - 1].end:lst.items[i].start]
    return "月" if _PERIOD_MONTH.search(own) else "年" if _PERIOD_YEAR.search(own) else period


def unit_words(text: str, lst: AmountList, clause_end: int) -> tuple[str | None, str | None]:
    """(period, per) from the amount's own words: its clause part before it and a /人/月 suffix."""
    suffix = _SUFFIX_UNIT.match(text, lst.end, clause_end)
    local = text[lst.scope_start:lst.start] + (suffix.group() if suffix else "")
    if lst.previous is not None:
        local = text[lst.scope_start:lst.start]
    period = "月" if _PERIOD_MONTH.search(local) else "年" if _PERIOD_YEAR.search(local) else None
    per = "人次" if _PER_PERSON_TIME.search(local) else "人" if _PER_PERSON.search(local) else None
    return period, per


def choose_mentions(vocab: "Vocabulary", cand: list["Mention"], lst: AmountList) -> list["Mention"]:
    """The mentions (one family) an amount belongs to, best first."""
    def dist(m: "Mention") -> int:
        return lst.start - m.end if m.end <= lst.start else (m.start - lst.end) + 3
    best_family = min(cand, key=lambda m: (-vocab.priority(m.family), dist(m))).family
    same = [m for m in cand if m.family == best_family]
    return sorted(same, key=dist)


# ---------------------------------------------------------------------------
# extraction
# ---------------------------------------------------------------------------

def references(text: str, clauses: list[Clause], figs: list[Quantity]) -> list[tuple[int, int, str]]:
    """(start, end, what it is relative to) of each ``…的N倍`` reference phrase: from the clause's
    start (after 按/不低于…) to the 倍."""
    out = []
    for q in figs:
        if q.dimension != "multiple":
            continue
        cs = clause_start(clauses, q.start)
        before = text[cs:q.start]
        de = before.rfind("的")
        if de < 0:
            continue
        lead = re.match(r"^(?:.*(?:按照|按|参照|依照|不低于|不高于|不超过|不得低于|不得超过|相当于|为|是))?", before[:de])
        rel_start = cs + (lead.end() if lead else 0)
        out.append((rel_start, q.end, text[rel_start:cs + de].strip()))
    return out


def region_of(doc: "Document", sentence: str, s_start: int, pos: int) -> str | None:
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


def read_qualifiers(text: str, start: int, end: int, p: Patterns) -> list[tuple[str, str, int]]:
    """(kind, value, offset) of the care-level / disability-grade words in ``text[start:end]``."""
    out = []
    for kind, pat, of_word in p.qualifier_words:
        for m in pat.finditer(text, start, end):
            out.append((kind, of_word[m.group()], m.start()))
    out.sort(key=lambda t: t[2])
    return out


def age_bands(figs: list[Quantity], text: str, start: int = 0,
              end: int | None = None) -> list[tuple[int, tuple[float | None, float | None]]]:
    """(offset, band) of each age a following figure is for: 80–89周岁 → (80, 89);
    100周岁以上 and 百岁 → (100, None); 60周岁以下 → (None, 60). ``figs`` are the figures of
    ``text[start:end]`` (one sentence), offsets into ``text``."""
    out = [(m.start(), (100.0, None)) for m in HUNDRED_YEARS.finditer(text, start, len(text) if end is None else end)]
    for q in figs:
        if q.dimension != "age":
            continue
        if q.upper is not None:
            out.append((q.start, (q.value, q.upper)))
        elif re.match(r"\s*(?:及)?以上", text[q.end:q.end + 4]):
            out.append((q.start, (q.value, None)))
        elif re.match(r"\s*(?:及)?以下", text[q.end:q.end + 4]):
            out.append((q.start, (None, q.value)))
    return sorted(out)


def measure_of(text: str, clauses: list[Clause], pos: int, refs: list[tuple[int, int, str]]) -> str:
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
        phrase = re.sub(rf"[\d.%]+[^{HAN}]*$", "", phrase)
        phrase = _LEAD.sub("", _ARTICLE.sub("", phrase))
        phrase = _AMOUNT_GRAMMAR.sub("", phrase)
        if len(HAN_CHAR.findall(phrase)) >= 2:
            return phrase
    return ""
