"""Does a figure or a sentence answer what was asked: the agreement checks of selection.

A 多少/几 question is answered by a figure of the asked kind, counted in the asked unit and
counting the asked thing; a question that asks no figure (``Asked.shape``) by a sentence that
holds its topic words. Each check is one function over plain text and
:class:`~.figures.Quantity` values, so the extractive and the LLM answerer share them.

>>> asked_units("救助了多少人？")
('人', '名', '位')
>>> counted_noun("儿童福利院院内有多少名孩子？")
'孩子'
>>> counts_asked("共组织100余名小记者来到", 2 + len("100余名"), "孩子")
False
"""
from __future__ import annotations

import re
from typing import Callable, Iterable

from ingest.text import HAN

from ..vocabulary import fact_words, qualifier_words
from .figures import UNITS, Quantity

_COUNT_UNITS = "|".join(sorted((u for u, d in UNITS.items() if d == "count"), key=len, reverse=True))
_ASKED_UNIT = re.compile(rf"(?:多少|几)\s*(?:个)?({_COUNT_UNITS})")
# what a count question counts: the Han words right after 多少名 / 几户 (孩子, 困难群众)
_NOUN_AFTER = re.compile(rf"(?:多少|几)\s*(?:{_COUNT_UNITS})([{HAN}]{{2,8}})")
_HAN_AFTER = re.compile(rf"[{HAN}]")  # a noun (or more) said after the asked unit
_PARTICLES = re.compile(r"[的了呢吗啊呀]")
NOUN_WINDOW = 6  # Han characters after a figure that say what it counts
MODIFIED_NOUN_WINDOW = 20  # …or, for a noun phrase of four characters or more, say it after a modifier


def asked_units(question: str) -> tuple[str, ...]:
    """The units a count question asks in, with the units counting the same thing
    (vocabulary ``facts.unit_families``): 多少人 → 人, 名, 位; () when it names none."""
    fw = fact_words()
    out: list[str] = []
    bare = dict(fw.asked).get("bare_units", ())
    for m in _ASKED_UNIT.finditer(question):
        unit = m.group(1)
        if unit != "个" and "个" in m.group()[:-len(unit)] and _HAN_AFTER.match(question, m.end()) \
                and not _PARTICLES.match(question, m.end()):
            continue  # 多少个名额 / 几个家庭: 个 is the unit, 名 and 家 begin the noun it counts
        if unit in fw.generic_units and not (unit in bare and not _HAN_AFTER.match(question, m.end())):
            # 多少个孤儿: 个 counts whatever follows it; a unit asked with nothing after it (清单有多少项？,
            # vocabulary facts.asked.bare_units) is the unit of the answer: 三张清单 does not say it
            continue
        out.extend(u for u in fw.unit_family(unit) if u not in out)
        # 多少家企业 is answered by 11个企业 too (vocabulary facts.unit_families.generic_counts)
        out.extend(u for u in dict(fw.generic_counts).get(unit, ()) if u not in out)
    return tuple(out)


_ASKS_FIGURE = re.compile(r"多少|几(?=[个次人名户家天年月倍岁])")
# 入户的和电话探访的各多少: two things joined, one 各/分别 asking a figure of each
_EACH_OF_TWO = re.compile(r"[和与及、][^，,。？?！!]{1,12}?(?:各|分别)(?:是|有|为|要)?(?:多少|几)")


def figures_asked(question: str) -> int:
    """How many figures ``question`` asks: one per asking word, two for a 各/分别 over two joined
    things (多少名儿童？入户的和电话探访的各多少？ → 3)."""
    return len(_ASKS_FIGURE.findall(question)) + len(_EACH_OF_TWO.findall(question))


def unit_agrees(q: Quantity, units: tuple[str, ...]) -> bool:
    """``q`` is counted in one of the asked ``units`` (any unit when none is asked)."""
    return not units or q.unit in units


def counted_noun(question: str) -> str | None:
    """What a count question counts when it says so after the unit (多少名孩子 → 孩子)."""
    m = _NOUN_AFTER.search(question)
    if not m:
        return None
    noun = _PARTICLES.split(m.group(1))[0]
    return noun if len(noun) >= 2 else None


def counts_asked(text: str, figure_end: int, noun: str | None) -> bool:
    """The figure ending at ``figure_end`` of ``text`` counts ``noun``: the words right after it
    share a two-character piece with it, or say nothing (the figure ends its clause). A figure
    followed by another noun (100余名小记者 for 多少名孩子) counts something else."""
    if not noun:
        return True
    after = re.match(rf"[{HAN}]*", text[figure_end:figure_end + NOUN_WINDOW]).group()
    if len(after) < 2:
        return True
    pieces = {noun[i:i + 2] for i in range(len(noun) - 1)}
    if any(p in after for p in pieces):
        return True
    # a longer noun phrase may come after a modifier (15个涉京津冀协同发展养老项目 for 多少个养老项目):
    # the whole phrase, said before the clause ends, is what the figure counts
    run = re.match(rf"[{HAN}]*", text[figure_end:figure_end + MODIFIED_NOUN_WINDOW]).group()
    return len(noun) >= 4 and noun in run


def holds_topic(text: str, terms: Iterable[str], contains: Callable[[str, str], bool]) -> bool:
    """Every one of ``terms`` is said in ``text`` (``contains`` decides, with synonyms): a relation
    question (X和Y是什么关系) is answered only by a sentence naming both X and Y."""
    return all(contains(text, t) for t in terms)


def mark_score(text: str, marks: Iterable[str]) -> int:
    """How many of a shape's words (vocabulary ``facts.shape_marks``: 因, 遭遇 for conditions;
    按月 for frequency; 身份证 for materials) ``text`` holds."""
    return sum(1 for m in marks if m in text)


def marked_run(text: str, start: int, end: int, marks: Iterable[str], max_chars: int) -> tuple[int, int]:
    """``start:end`` widened over the clauses of its sentence joined to it by ； that hold a mark
    of ``marks`` too (one list of materials said in several clauses), within ``max_chars``."""
    while (head := text[:start].rstrip()).endswith(("；", ";")):
        sep = len(head) - 1  # the ； joining the clause before
        prev = max(text.rfind(ch, 0, sep) for ch in "。；;\n：:") + 1
        if end - prev > max_chars or not mark_score(text[prev:sep], marks):
            break
        start = prev
    while text[start:end].rstrip().endswith(("；", ";")):
        stops = [i for i in (text.find(ch, end) for ch in "。；;\n") if i >= 0]
        nxt = min(stops, default=len(text)) + 1
        if nxt - start > max_chars or not mark_score(text[end:nxt], marks):
            break
        end = nxt
    return start, end


def options_said(question: str, marks: Iterable[str]) -> tuple[str, ...]:
    """The shape's words a choice question names as its options (按月发还是按季度发: 按月, 按季度),
    which alone answer it (每月 in a standard's sentence says neither option); every mark when the
    question names fewer than two (多久发一次).

    >>> options_said("是按月发还是按季度发？", ("按月", "按季度", "每月")), options_said("多久发一次", ("按月", "每月"))
    (('按月', '按季度'), ('按月', '每月'))
    """
    marks = tuple(marks)
    said = tuple(m for m in marks if m in question)
    return said if len(said) >= 2 else marks


def earlier_words() -> tuple[str, ...]:
    """The words that make a column's header (调整前农村低保年标准, 原标准) or a clause an earlier
    value, and by which a question asks one (提标前): fact_words' selection ``previous`` and
    ``earlier_asked``."""
    sel = dict(fact_words().selection)
    return tuple(dict.fromkeys((*sel.get("earlier_asked", ()), *sel.get("previous", ()))))


def shared_run(question: str, text: str) -> int:
    """The length of the longest run of characters ``question`` and ``text`` share: a sentence
    repeating the question's own phrase (农村低保线与扶贫线) speaks of what it asks."""
    best = 0
    prev = [0] * (len(text) + 1)
    for a in question:
        cur = [0] * (len(text) + 1)
        for j, b in enumerate(text, 1):
            if a == b:
                cur[j] = prev[j - 1] + 1
                best = max(best, cur[j])
        prev = cur
    return best


_ASKING = re.compile(r"多少|几")  # the words before it (是, 要达到, 签约了) are bridges: _before_bridges


# a period (一个月, 每年) says how a figure is counted, not what it is of
# a period or a per-head word (每月, 一年, 每人每月; 每人, 每户 of 城市低保每人每月是多少): no measure
_PERIOD_TERM = re.compile(r"^(?:(?:每|一个?|每个)?(?:人)?(?:每)?(?:月|年|季度|季|天|日)|每(?:人|户|名|位))$")


def measure_terms(question: str, terms: Iterable[str]) -> tuple[str, ...]:
    """The terms naming what a 多少/几 question asks the figure of: those written one after the
    other right before its asking word (冬春救助给低保户的取暖补助是多少 → 取暖, 补助), without
    periods (每月) and qualifiers (农村, 一级: vocabulary benefits.qualifiers, facts.disability_grade).
    () when no term stands there."""
    quals = set(qualifier_words()) | {w for _, vs in fact_words().qualifiers for _, ws in vs for w in ws}
    found = _measure_run(question, terms)
    out = tuple(t for t in found if not _PERIOD_TERM.match(t) and t not in quals)
    return out[:-1] + (_suffix_compound(question, terms, out[-1]),) if out else out


def suffixed(measure: tuple[str, ...]) -> str | None:
    """The head of ``measure`` (measure_terms) when a measure suffix closes it (劝和率, 火化费): a rate
    or fee named so is one figure of its own, and a sentence's clause saying another (辅导率) is
    not it. Other heads (就业, 指标) stand for a whole a clause may leave unsaid (其中城镇…2000人)."""
    suffixes = dict(fact_words().selection).get("measure_suffixes", ())
    return measure[-1] if measure and len(measure[-1]) > 1 and measure[-1].endswith(tuple(suffixes)) else None


SUFFIX_REACH = 3  # how far before a measure suffix (率) the word it closes may start (劝和率)


def _suffix_compound(question: str, terms: Iterable[str], head: str) -> str:
    """A one-character measure suffix (率, 费: vocabulary ``facts.selection.measure_suffixes``) read
    with the word it closes (劝和率, 保障率): 率 alone would let any rate answer. The word is the
    question term starting at most ``SUFFIX_REACH`` characters before it (jieba may cut 劝和率 into
    劝 / 和 / 率 and drop 和); ``head`` itself when none does."""
    if head not in dict(fact_words().selection).get("measure_suffixes", ()):
        return head
    end = question.rfind(head)
    starts = [i for t in terms if t != head and 0 <= (i := question.rfind(t, 0, end)) and end - SUFFIX_REACH <= i
              and re.fullmatch(f"[{HAN}]*", question[i:end])]
    return question[min(starts):end + len(head)] if starts else head


def _measure_run(question: str, terms: Iterable[str]) -> tuple[str, ...]:
    m = _ASKING.search(question)
    if not m:
        return ()
    spans = []
    for t in terms:
        i = question.rfind(t, 0, m.start())
        if i >= 0 and i + len(t) <= m.start():
            spans.append((i, i + len(t), t))
    out: list[str] = []
    pos = _before_bridges(question, m.start(), spans)
    while True:
        hit = next(((s, t) for s, e, t in spans if e == pos and t not in out), None)
        if hit is None:
            return tuple(reversed(out))
        pos = hit[0]
        out.append(hit[1])


def _before_bridges(question: str, pos: int, spans: list[tuple[int, int, str]]) -> int:
    """Where the measure of a 多少/几 question ends: before the words it may put between the
    measure and the asking word (入住率要达到多少, 签约了多少个: vocabulary
    ``facts.selection.bridges``) — a bridge that is only the end of a longer question term
    (the term ends there too) is part of that term, not a bridge."""
    # 原来 / 调整前 (城市低保原来是多少) say which value of the measure is asked, not what it is of
    bridges = sorted({*dict(fact_words().selection).get("bridges", ()), *earlier_words()}, key=len, reverse=True)
    while pos > 0:
        b = next((b for b in bridges if question.endswith(b, 0, pos)), None)
        if b is None or any(e == pos and len(t) > len(b) for s, e, t in spans):
            return pos
        pos -= len(b)
    return pos


def periods_said(text: str) -> set[str]:
    """The periods (年, 月: vocabulary ``facts.periods``) ``text`` counts a figure by."""
    return {p for p, words in fact_words().periods if any(w in text for w in words)}


def period_note(question: str, cited: str) -> str | None:
    """When the question asks one period (每年) and the cited text states only the other (每人每月):
    the note that says so (the figure is never converted unless the document converts it)."""
    asked = periods_said(question)
    said = periods_said(cited)
    if len(asked) != 1 or not said or asked & said:
        return None
    name = {"年": "按年", "月": "按月"}
    (a,) = asked
    other = "、".join(name.get(p, p) for p in sorted(said))
    return f"资料中没有{name.get(a, a)}计的数字，所引原文是{other}计的："


# a year a span states: 2021年, or the year of a full date (2023-08-01)
_YEAR_SAID = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:\s*年|-\d{1,2}-\d{1,2})")


def years_said(text: str) -> tuple[set[int], set[int]]:
    """The years ``text`` states a figure of (2021年, 2023-08-01), and those it counts from
    (2021年以来: vocabulary ``facts.selection.since``); a year it compares with (比2022年增加:
    ``year_reference``) is neither.

    >>> years_said("2021年以来累计救助300人，比2020年增加20人")
    ({2021}, {2021})
    """
    words = dict(fact_words().selection)
    since, ref = words.get("since", ()), words.get("year_reference", ())
    said: set[int] = set()
    since_years: set[int] = set()
    for m in _YEAR_SAID.finditer(text):
        if any(text.endswith(w, 0, m.start()) for w in ref):
            continue
        said.add(int(m.group(1)))
        if any(text.startswith(w, m.end()) for w in since):
            since_years.add(int(m.group(1)))
    return said, since_years


def year_unsaid(years: Iterable[int], cited: Iterable[tuple[str, int | None, str]]) -> str | None:
    """The years the cited spans speak of, when the question asks others and no span speaks of
    one asked: a span stating another year (2021年…累计捐款 for 2023年 asked), or stating none
    in a document of another year whose text before the span in its paragraph says no year
    asked either. ``cited``: (span, document year, the paragraph's text before the span) per
    citation. None when they agree or nothing says otherwise.

    >>> year_unsaid([2023], [("2021年防汛期间累计捐款1.3亿元", 2023, "")])
    '2021年'
    >>> year_unsaid([2022], [("截至目前已救助6000人", 2023, "")]), year_unsaid([2023], [("全年救助6000人", 2023, "")])
    ('2023年', None)
    """
    asked = set(years)
    cited = list(cited)
    if not asked or not cited:
        return None
    other: set[int] = set()
    for span, _, _ in cited:
        said, since = years_said(span)
        if said & asked or any(s <= a for s in since for a in asked):
            return None
        other |= said
    if not other:
        if any(year in asked or year is None for _, year, _ in cited):
            return None
        if any(years_said(before)[0] & asked for _, _, before in cited):
            return None
        other = {year for _, year, _ in cited if year is not None}
    return "、".join(f"{y}年" for y in sorted(other))
