"""What a question names that a cited span must speak of too, or the answer is a near miss:

- the month asked (8月 asked, a span of 7月 cited: :func:`month_unsaid`), as a year asked
  already must be (:func:`assistant.answer.selection.year_unsaid`), and the quarter asked
  (:func:`quarter_unsaid`);
- the institution asked by its place-name part (甲地殡仪馆 asked, 乙地殡仪馆's fee cited:
  :func:`institution_unnamed`; the kinds of institution are vocabulary
  ``facts.selection.institution_kinds``);
- the level asked (国家级 asked, a span of 市级 cited: :func:`level_unsaid`; vocabulary
  ``facts.selection.levels``);
- every figure asked (X多少？Y多少？ answered with one figure: :func:`figures_short`);
- an alternative asked that the figure's list leaves out (海葬 asked, a reward for 骨灰撒散、树葬、花坛葬
  cited, 海葬 listed beside them elsewhere: :func:`alternative_unsaid`).

Each returns what to say in a refusal, or None when the answer stands.
"""
from __future__ import annotations

import re
from typing import Iterable

from ingest.text import HAN_CHAR

from ..vocabulary import fact_words
from .figures import chinese_number, of_dimension

_MONTH_NUM = r"1[0-2]|[1-9]|十[一二]?|[一二三四五六七八九]"
# a single month a question asks: 8月 / 八月份, never a day (8月17日), nor the end of a range (1到6月)
_MONTH_ASKED = re.compile(rf"(?<![\d到至\-—–~～、])(?<![一二三四五六七八九十])({_MONTH_NUM})\s*月(?:份)?(?![\d一二三四五六七八九十]|\s*[日号])")
_RANGE_BEFORE = re.compile(rf"(?:{_MONTH_NUM})\s*月?\s*(?:[到至\-—–~～])\s*$")
# any month a text speaks of: 7月, 7月份, 1—7月, 7月31日 (not 3个月: a duration)
_MONTH_SAID = re.compile(rf"(?<![\d个])({_MONTH_NUM})\s*月")
# the text just before a span that may say its month (原标题：7月，全国因灾…)
BEFORE_CHARS = 80


def _month(written: str) -> int | None:
    if written.isdigit():
        return int(written)
    value = chinese_number(written)
    return int(value) if value else None


def months_asked(question: str) -> set[int]:
    """The single months ``question`` asks of (2023年8月 → {8}); a range (1到6月) or a day (8月8号) is none.

    >>> sorted(months_asked("2023年8月全国有多少人")), months_asked("1到6月收到多少"), months_asked("8月8号领证")
    ([8], set(), set())
    """
    out = set()
    for m in _MONTH_ASKED.finditer(question):
        if _RANGE_BEFORE.search(question, 0, m.start()):
            continue
        month = _month(m.group(1))
        if month:
            out.add(month)
    return out


def months_said(text: str) -> set[int]:
    """Every month ``text`` speaks of (1—7月 → {1, 7})."""
    return {m for m in (_month(x.group(1)) for x in _MONTH_SAID.finditer(text)) if m and m <= 12}


def month_unsaid(question: str, cited: Iterable[tuple[str, str]]) -> str | None:
    """The months the cited spans speak of, when the question asks a single other month: a
    span stating another month, or stating none after text (its headline, its lead clause)
    that does. ``cited``: (span, the text just before it) per citation. None when they agree,
    no month is asked, or nothing says a month.

    >>> month_unsaid("8月有多少人", [("全国因灾死亡失踪147人", "原标题：7月，")])
    '7月'
    >>> month_unsaid("8月有多少人", [("1至8月共147人", "")]), month_unsaid("8月有多少人", [("共147人", "")])
    (None, None)
    """
    other = _other_said(months_asked(question), cited, months_said)
    return "、".join(f"{m}月" for m in sorted(other)) or None


def _other_said(asked: set[int], cited: Iterable[tuple[str, str]], said_in) -> set[int]:
    """The parts of the year (months, quarters: ``said_in``) the cited spans — or, for a span saying
    none, the text just before it — speak of when none of them speaks of one ``asked``; empty when
    nothing is asked, a span agrees, or a span and the text before it say none."""
    if not asked:
        return set()
    other: set[int] = set()
    for span, before in cited:
        said = said_in(span) or said_in(before[-BEFORE_CHARS:])
        if not said or said & asked:
            return set()
        other |= said
    return other


# a quarter of the year: 第二季度 / 二季度 / 第2季度 (never 本季度, 每季度: no quarter named)
_QUARTER = re.compile(r"(?<![每本上下])第?([1-4一二三四])\s*季度")


def quarters_said(text: str) -> set[int]:
    """The quarters ``text`` names (2025年第三季度 → {3}).

    >>> sorted(quarters_said("第三季度共实施临时救助，较第2季度末增加")), quarters_said("每季度发放一次")
    ([2, 3], set())
    """
    return {int(m.group(1)) if m.group(1).isdigit() else "一二三四".index(m.group(1)) + 1
            for m in _QUARTER.finditer(text)}


def quarter_unsaid(question: str, cited: Iterable[tuple[str, str]]) -> str | None:
    """The quarters the cited spans name, when the question asks a quarter none of them names (第二季度
    asked, a span of 第三季度 cited), as :func:`month_unsaid` does for a month; None when they agree,
    no quarter is asked, or a span names none (its heading or title may: the answer stands).

    >>> quarter_unsaid("第二季度发放了多少", [("第三季度共发放386万元", "")]), quarter_unsaid("二季度发了多少", [("共发放", "")])
    ('第三季度', None)
    """
    return quarter_names(_other_said(quarters_said(question), cited, quarters_said)) or None


def says_part_asked(question: str, text: str) -> bool:
    """``text`` names a month or a quarter the question asks (9月份… for 2025年9月份…多少): such a
    sentence is read before others of the same document, whose other month is a near miss."""
    return bool(months_asked(question) & months_said(text) or quarters_said(question) & quarters_said(text))


def of_part_asked(question: str, cands: list, doc: dict[str, str]) -> list:
    """Candidates (answer.candidates) with the figures whose sentence names the month or quarter
    asked first (:func:`says_part_asked`), in their order otherwise."""
    return sorted(cands, key=lambda c: not (c.figure is not None  # a stable sort: the others keep their order
                                            and says_part_asked(question, doc[c.chunk.source][c.start:c.end])))


def quarter_names(quarters: Iterable[int]) -> str:
    """第二季度、第三季度 for {2, 3}."""
    return "、".join(f"第{'一二三四'[q - 1]}季度" for q in sorted(quarters))


# characters that end an institution's place-name part going backwards (在武昌殡仪馆: 在 is no name)
_NOT_NAME = set("的在去到从这那个家哪里和与及、是为给往我你他她们该此本其各每某")
_ADMIN = "市区县镇乡省"


def _name_before(text: str, end: int) -> str | None:
    """The two characters naming a place before ``end`` (an administrative suffix 市/区/县 skipped)."""
    i = end
    if i > 0 and text[i - 1] in _ADMIN:
        i -= 1
    name = text[max(0, i - 2):i]
    if len(name) < 2 or any(ch in _NOT_NAME or not HAN_CHAR.match(ch) for ch in name):
        return None
    return name


def _named(text: str, kind: str) -> set[str]:
    return {n for m in re.finditer(re.escape(kind), text) if (n := _name_before(text, m.start()))}


def institution_unnamed(question: str, documents: str) -> tuple[str, str] | None:
    """(the institution asked, those the cited documents name instead) when the question names
    an institution by its place-name part (甲地殡仪馆) and the cited documents never name it
    but name another of its kind (乙地殡仪馆): a near miss, not an answer.

    >>> institution_unnamed("汉口殡仪馆收费多少", "武昌殡仪馆公示的收费标准")
    ('汉口殡仪馆', '武昌殡仪馆')
    >>> institution_unnamed("在武昌殡仪馆火化", "送往武昌殡仪馆"), institution_unnamed("殡仪馆收费多少", "武昌殡仪馆")
    (None, None)
    """
    kinds = sorted(dict(fact_words().selection).get("institution_kinds", ()), key=len, reverse=True)
    for kind in kinds:
        asked = _named(question, kind)
        if not asked:
            continue
        said = _named(documents, kind)
        if asked & said or not said:
            return None
        return f"{min(asked)}{kind}", "、".join(f"{n}{kind}" for n in sorted(said))
    return None


def level_unsaid(question: str, cited: str) -> tuple[str, str] | None:
    """(the levels asked, those the cited text names instead) when ``question`` names a level
    (国家级) and ``cited`` names only others (市级): a near miss, not an answer.

    >>> level_unsaid("有多少个国家级地名文化遗产", "新入选市级文化遗产34个")
    ('国家级', '市级')
    >>> level_unsaid("有多少个市级地名文化遗产", "新入选市级文化遗产34个"), level_unsaid("有多少个", "市级")
    (None, None)
    """
    levels = dict(fact_words().selection).get("levels", ())
    asked = [w for w in levels if w in question]
    said = [w for w in levels if w in cited]
    if not asked or not said or set(asked) & set(said):
        return None
    return "、".join(asked), "、".join(said)


# a clause of a question asking a figure: 多少 / 几 (split at question marks and semicolons)
_CLAUSES = re.compile(r"[？?；;。]")
_HOW_MANY = re.compile(r"多少|几")


def figures_short(question: str, body: str, dimension: str | None) -> int | None:
    """How many figures a question asks in clauses of their own (收到多少？支出了多少？) when
    the answer ``body`` states fewer figures (of any dimension: 多少人次？支出多少？ asks a count
    and a sum); None when it states as many, or no figure is asked (``dimension`` None).

    >>> figures_short("收到多少钱？支出了多少？", "支出30306.28元", "money")
    2
    >>> figures_short("收到多少钱？支出了多少？", "收到35306.28元，支出30306.28元", "money")
    >>> figures_short("救助多少人次？支出多少？", "救助9584人次，支出资金677万元", "count")
    """
    if dimension is None:
        return None
    asked = sum(1 for clause in _CLAUSES.split(question) if _HOW_MANY.search(clause))
    if asked < 2:
        return None
    stated = {q.text for q in of_dimension(body, "figure")}
    return asked if len(stated) < asked else None


def alternative_unsaid(word: str, document: str, span: tuple[int, int], contains, others: Iterable[str]) -> bool:
    """``word`` (a question's rarest) is one of a list of alternatives the cited span lists without it:
    the cited ``document`` never says it, while one of the ``others`` (other retrieved texts) lists it
    beside an item of the span's lists — the figure is of the other items.

    >>> alternative_unsaid("海葬", "对选择骨灰撒散、树葬、花坛葬等方式的，奖补800元。", (0, 23), str.__contains__,
    ...                    ["选择骨灰撒散、海葬、树葬、花坛葬等方式的，给予奖补"])
    True
    """
    if contains(document, word):
        return False
    cited = set().union(*_lists(document[span[0]:span[1]]))
    return any(word in items and (items - {word}) & cited for text in others for items in _lists(text))


def _lists(text: str) -> list[set[str]]:
    """The items of each 、-joined list of ``text``'s clauses (甲、乙、丙等: {甲, 乙, 丙等})."""
    return [set(clause.split("、")) for clause in re.split(r"[，,。；;：:！？\n]", text) if "、" in clause]
