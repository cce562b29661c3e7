"""Every quantity in a text, once: the one figures-and-units module.

``quantities(text)`` finds each figure with its unit and returns it as a
:class:`Quantity`: the span verbatim (``9600元``, ``3.5万余人``, ``一万元``,
``百分之九十``, ``二〇二三年五月一日``, ``80–89周岁``), its value as a number
(Chinese numerals parsed with cn2an), its unit and the dimension the unit
measures (money, count, rate, multiple, age, duration, date, measure).

Extraction (facts), answer selection, the English first line and grounding
all read figures through this module, so a figure is recognised the same way
everywhere.

>>> [q.text for q in quantities("城乡低保标准分别为每人每月600元、一万元")]
['600元', '一万元']
>>> quantities("百分之九十")[0].value
90.0
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.text import HAN, nfkc_keeping_enumerators

# unit -> dimension; longer units first when matching
UNITS: dict[str, str] = {
    "元": "money", "块钱": "money", "块": "money",
    "%": "rate", "％": "rate", "‰": "rate",
    "个百分点": "rate", "百分点": "rate",  # 降低0.5个百分点: a change of a rate, said in points
    "倍": "multiple",
    "周岁": "age", "岁": "age",
    "个工作日": "duration", "工作日": "duration", "个月": "duration", "小时": "duration", "天": "duration",
    "日内": "duration",  # 30日内告知: a time limit in days (a bare 15日 is a day of the month)
    "周": "duration", "年": "duration",
    "人次": "count", "车次": "count", "人": "count", "户": "count", "家": "count", "个": "count",
    "名": "count", "张": "count", "所": "count", "处": "count", "对": "count", "件": "count", "次": "count",
    "床": "count", "场": "count", "站": "count", "例": "count", "辆": "count", "份": "count", "位": "count",
    "座": "count", "间": "count", "台": "count", "套": "count", "条": "count", "批": "count", "项": "count",
    "支": "count", "期": "count", "类": "count", "车": "count",  # 11车物资 (车间, 车道: _NOT_UNIT_AFTER)
    "吨": "measure", "平方米": "measure", "亩": "measure", "公里": "measure", "米": "measure", "斤": "measure",
}
DIMENSIONS = ("money", "count", "rate", "multiple", "age", "duration", "date", "measure", "number", "ordinal")
MULTIPLIERS = {"百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}

_UNIT_ALT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_CN = "零〇一二两三四五六七八九十百千万亿"
_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUM = r"(?:\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
# a unit word that is the start of another word, not a unit: 一次性, 一站式, 个人, 人员
# (车 of 车间, 车道, 车位); and a unit said twice is a reduplication, no count (一项项, 一个个)
_NOT_UNIT_AFTER = r"(?!性|式|体|一体|人员|人民|人口|人群|人士|人家|个人|人们|(?<=车)[间道位辆型库厢站])(?!(?P=unit))"
_CN_NUM = rf"[{_CN}]*[一二两三四五六七八九十][{_CN}]*"

_DATE = re.compile(
    rf"(?P<y>(?:19|20)\d\d|[〇零一二三四五六七八九]{{4}})\s*年"
    rf"(?:\s*(?P<m>\d{{1,2}}|十[一二]?|[一二三四五六七八九])\s*月"
    rf"(?:\s*(?P<d>\d{{1,2}}|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])\s*[日号])?)?")
# 5月份 / 于5月补发: a month said alone (no 5个月, no 5月28日's day), for what says a time (answer.invariants)
MONTH_ALONE = re.compile(r"(?<![\d个])(?:1[0-2]|[1-9])\s*月(?:份)?(?!\s*\d)")
# 6月28日, 今年6月28日 (a year in digits before it is the full date's)
_MONTH_DAY = re.compile(r"(?<!\d)(?<!\d年)(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]")
# a time of day, or a span of them: 12:00-13:00 / 8:30至17:30 (unit 时刻, dimension date)
_CLOCK = re.compile(r"(?<!\d)(?<!\d[:：])(?P<h>[01]?\d|2[0-3])[:：](?P<mi>[0-5]\d)"
                    r"(?:\s*[-–—~～至到]\s*(?:[01]?\d|2[0-3])[:：][0-5]\d)?(?![\d:：])")
CLOCK_UNIT = "时刻"
_STAMP = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\s*$")
# 每月10日前: a day of every month (ISO 8601's recurring ---DD)
_DAY_OF_MONTH = re.compile(r"每月(?:的)?\s*(?P<d>\d{1,2}|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])\s*[日号]")
_PERCENT_CN = re.compile(rf"百分之(?P<n>[{_CN}点]+|{_NUM})")
# 80–89周岁, and an age band with its unit said twice (80周岁至99周岁 / 60岁-69岁), in Chinese numerals
# too (八十周岁至八十九周岁)
_RANGE = re.compile(rf"(?P<a>{_NUM}|{_CN_NUM})\s*(?P<u0>周岁|岁)?\s*(?:[-–—~～至到])\s*(?P<b>{_NUM}|{_CN_NUM})\s*"
                    rf"(?P<unit>周岁|岁|%|元|天|个月|个工作日|工作日)")
# 百岁老人: a lone 百 before 岁 is the age 100, and as a band 100周岁以上 (the numeral parser wants
# a digit word before 百)
HUNDRED_YEARS = re.compile(r"(?<![\d一二两三四五六七八九十])百岁")
_ARABIC = re.compile(
    rf"(?<![\d.第])(?P<n>{_NUM})\s*(?P<lead>余|多(?=[万亿千]))?(?P<mult>[万亿千百](?![分之]))?\s*(?P<approx>余|多)?\s*"
    rf"(?P<unit>{_UNIT_ALT}){_NOT_UNIT_AFTER}")
# 9600万 with no unit after it: a figure all the same (its multiplier is part of what it says)
_ARABIC_MULT = re.compile(rf"(?<![\d.第])(?P<n>{_NUM})\s*(?P<mult>[万亿])(?P<approx>余|多)?")
# 几十位 / 数十名 say "some tens": no figure (a vague amount is never quoted as 十位)
_HAN = re.compile(
    rf"(?<![第几数{_CN}])(?P<n>{_CN_NUM})(?P<approx>余|多)?(?P<unit>{_UNIT_ALT}){_NOT_UNIT_AFTER}")
# 百余人 / 千余户 / 万多名: a lone magnitude with 余/多 is about that many (the numeral parser wants a
# digit word before it)
_MAGNITUDE = re.compile(rf"(?<![第{_CN}\d.])(?P<n>[百千万])(?P<approx>余|多)(?P<unit>{_UNIT_ALT}){_NOT_UNIT_AFTER}")
# 第七年 / 第8次 / 第三届: a place in a series, no amount (quantities never reads it: :func:`ordinals`)
_ORDINAL = re.compile(rf"第(?P<n>{_NUM}|{_CN_NUM})(?P<unit>[{HAN}]?)")
_BARE_NUMBER = re.compile(r"(?<!\d)(?<!\d\.)\d+(?:\.\d+)?")
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")


@dataclass(frozen=True)
class Quantity:
    """One figure of a text. ``text == source[start:end]`` (after :func:`fold`)."""

    text: str  # verbatim: 9600元, 3.5万余人, 一万元, 百分之九十, 2023年5月1日, 80–89周岁
    start: int
    end: int
    value: float  # in the unit's base (3.5万人 → 35000.0; 百分之九十 → 90.0; a date → its year)
    unit: str  # 元, 人, %, 倍, 周岁, 天, ... ("日期" for a date)
    dimension: str  # one of DIMENSIONS
    number: str = ""  # the digits as written (9600, 3.5), or the Arabic form of a Chinese numeral
    multiplier: str = ""  # 万/亿/千/百 as written
    approx: bool = False  # 余/多: a lower bound, not an exact figure
    upper: float | None = None  # the top of a range (80–89周岁 → 89)
    date: str | None = None  # ISO form of a date (2023-05-01, 2023-05, 2023)

    @property
    def is_range(self) -> bool:
        return self.upper is not None


def fold(text: str) -> str:
    """NFKC (full-width digits and ％ → ASCII) with thousands separators dropped (4,524 → 4524).
    The length changes only where a separator is dropped; a list item's 3．before a figure stays."""
    return _THOUSANDS.sub("", nfkc_keeping_enumerators(text))


@lru_cache(maxsize=256)
def chinese_numeral(n: int) -> str:
    """92 → 九十二, 101 → 一百零一: how a text writes a whole number in Chinese numerals (cn2an)."""
    import cn2an  # lazy, as in chinese_number

    return cn2an.an2cn(n)


@lru_cache(maxsize=4096)
def chinese_number(text: str) -> float | None:
    """一万 → 10000, 九十 → 90, 三点五 → 3.5, 二〇二三 → 2023 (digit by digit); None if not a numeral."""
    if not text:
        return None
    if all(ch in "〇零一二三四五六七八九" for ch in text) and len(text) >= 2:
        return float("".join(str(_CN_DIGIT[ch]) for ch in text))
    import cn2an  # lazy: only texts with Chinese numerals pay for it

    try:
        return float(cn2an.cn2an(text, "normal"))
    except (ValueError, KeyError, TypeError):
        return None


def _month_day(value: str | None) -> int | None:
    if not value:
        return None
    if value.isdigit():
        return int(value)
    n = chinese_number(value)
    return int(n) if n is not None else None


def _digits(written: str) -> str:
    """4,524 / ４５２４ → 4524."""
    return fold(written).replace(",", "").replace("，", "")


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def quantities(text: str) -> list[Quantity]:
    """Every figure of ``text``, in text order, spans not overlapping; offsets are into ``text``
    as given (full-width digits and 4,524 are read, not rewritten).

    Dates first (so 2023年 is a date, not a duration), then ranges, percentages in words,
    Arabic figures with a unit, then Chinese numerals with a unit.

    A pure function of the text, read from a cache: a question reads the same document sentences
    and clauses as the questions before it (~28 calls a question on the seeds, most of them on
    texts read before), and the scan is the answer stage's largest own cost. A new list each call
    (the quantities are frozen), so a caller may change its copy.
    """
    return list(_quantities(text))


@lru_cache(maxsize=16384)
def _quantities(text: str) -> tuple[Quantity, ...]:
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def add(q: Quantity) -> None:
        if free(q.start, q.end):
            found.append(q)
            taken.append((q.start, q.end))

    for m in _DATE.finditer(text):
        y = m.group("y")
        year = int(y) if y.isdigit() else int(chinese_number(y) or 0)
        month, day = _month_day(m.group("m")), _month_day(m.group("d"))
        if month is not None and not 1 <= month <= 12 or day is not None and not 1 <= day <= 31:
            continue
        iso = f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")
        add(Quantity(m.group(), m.start(), m.end(), float(year), "日期", "date", str(year), date=iso))
    for m in _MONTH_DAY.finditer(text):
        month, day = int(m.group("m")), int(m.group("d"))
        if 1 <= month <= 12 and 1 <= day <= 31:
            add(Quantity(m.group(), m.start(), m.end(), float(month), "日期", "date", m.group("m"),
                         date=f"--{month:02d}-{day:02d}"))
    for m in _CLOCK.finditer(text):
        if _STAMP.search(text, max(0, m.start() - 12), m.start()):
            continue  # 2023-08-09 08:34: when a page was published, no time of anything it says
        h, mi = int(m.group("h")), m.group("mi")
        add(Quantity(m.group(), m.start(), m.end(), float(h), CLOCK_UNIT, "date", f"{h}:{mi}", date=f"T{h:02d}:{mi}"))
    for m in _DAY_OF_MONTH.finditer(text):
        day = _month_day(m.group("d"))
        if day is not None and 1 <= day <= 31:
            add(Quantity(text[m.start("d"):m.end()], m.start("d"), m.end(), float(day), "日期", "date", str(day),
                         date=f"---{day:02d}"))
    for m in _RANGE.finditer(text):
        unit = fold(m.group("unit"))
        if m.group("u0") and UNITS[unit] != "age":
            continue  # 80岁至100元 is no band
        low, high = (float(_digits(x)) if x[0].isdigit() else chinese_number(x) for x in (m.group("a"), m.group("b")))
        if low is None or high is None or m.group("a")[0].isdigit() != m.group("b")[0].isdigit():
            continue  # a band is written in one script (二至3天 is no range read here)
        add(Quantity(m.group(), m.start(), m.end(), low, unit, UNITS[unit], _fmt(low), upper=high))
    for m in _PERCENT_CN.finditer(text):
        raw = m.group("n")
        value = float(_digits(raw)) if raw[0].isdigit() else chinese_number(raw)
        if value is not None:
            add(Quantity(m.group(), m.start(), m.end(), value, "%", "rate", _fmt(value)))
    for m in _ARABIC.finditer(text):
        unit, mult = fold(m.group("unit")), m.group("mult") or ""
        digits = _digits(m.group("n"))
        value = float(digits) * MULTIPLIERS.get(mult, 1)
        add(Quantity(m.group(), m.start(), m.end(), value, unit, UNITS[unit], digits, mult,
                     bool(m.group("approx") or m.group("lead"))))  # 3.5万余人 and 280余万名 alike
    for m in _ARABIC_MULT.finditer(text):
        digits = _digits(m.group("n"))
        add(Quantity(m.group(), m.start(), m.end(), float(digits) * MULTIPLIERS[m.group("mult")], "", "number",
                     digits, m.group("mult"), bool(m.group("approx"))))
    for m in _HAN.finditer(text):
        n = m.group("n")
        if n in ("万", "亿", "千", "百"):
            continue
        value = chinese_number(n)
        if value is None:
            continue
        unit = m.group("unit")
        mult = n[-1] if n[-1] in "万亿" else ""
        add(Quantity(m.group(), m.start(), m.end(), value, unit, UNITS[unit], _fmt(value), mult,
                     bool(m.group("approx"))))
    for m in _MAGNITUDE.finditer(text):
        unit, value = m.group("unit"), float(MULTIPLIERS[m.group("n")])
        add(Quantity(m.group(), m.start(), m.end(), value, unit, UNITS[unit], _fmt(value), m.group("n"), True))
    found.sort(key=lambda q: q.start)
    return tuple(found)


# 每立方米 / 每吨 / 每度: a price per unit of what is bought (an amount, as 每人每月 is a level)
PER_UNIT = r"每(?:立方米|立方|吨|度|千瓦时|平方米|公斤|千克|斤|升)"

# 每人每月 / 每户每年: an amount paid per head and period (a level, never a spending total)
PER_HEAD = re.compile(r"每(?:人|户|名)(?:每)?(?:月|年|季度)")


# 0731-28680345 / 023-67821590 / (0776)2825316 / 400-123-4567 / 12345 / 13800000000: a phone line is
# no quantity, but is asked for
_PHONE = re.compile(r"(?<![\d.])(?:(?:0\d{2,3}[-－—\s]?|[(（]0\d{2,3}[)）]\s*)\d{7,8}|[48]00[-－—\s]?\d{3}[-－—\s]?\d{4}"
                    r"|1[3-9]\d{9}|123\d{2}|96\d{3,4})(?![\d.])")
# 2825316 / 8765-4321: a local number without its area code, a phone line only where a heading or a
# word beside it says so (七、咨询电话 / 联系电话：), which the caller checks
_LOCAL_PHONE = re.compile(r"(?<![\d.\-－—])[2-9]\d{2,3}[-－—]?\d{4}(?![\d.\-－—])")


def ordinals(text: str) -> list[Quantity]:
    """The places in a series ``text`` states (第七年, 第8次, 第三届), dimension ``ordinal``; the unit
    is the character after the number (年, 次, 届), "" when none."""
    out = []
    folded = fold(text)
    for m in _ORDINAL.finditer(folded):
        n = m.group("n")
        value = float(n) if n[0].isdigit() else chinese_number(n)
        if value is not None:
            out.append(Quantity(m.group(), m.start(), m.end(), value, m.group("unit"), "ordinal",
                                number=_fmt(value)))
    return out


def phone_numbers(text: str, local: bool = False) -> list[str]:
    """The telephone numbers written in ``text``; ``local``: a local number without its area code
    (2825316) counts too (the caller knows the text is a phone line)."""
    folded = fold(text)
    found = _PHONE.findall(folded)
    return found or (_LOCAL_PHONE.findall(folded) if local else [])


def of_dimension(text: str, dimension: str) -> list[Quantity]:
    """The figures of ``text`` whose unit measures ``dimension`` (money, count, rate, ...);
    ``"quantity"``: any figure with a unit (a bare list number such as ``1.`` is none);
    ``"figure"``: any of those but a date, an age or a 一 that is an article (举行了一场仪式), and a
    number with its multiplier (26万毫升: a unit not listed), what a
    多少 naming no unit asks (每天服务多少老人 is never answered by 7月24日 or 一场, 60岁以上的老人有多少
    by 60岁: a date answers 哪天, an age 多大);
    ``"change"``: what a rise is said in, money or a rate (提高50元, 平均提高7%);
    ``"share"``: what a part of an amount is said in, a rate or a multiple (按上年额度的50%, 标准的1.3倍)."""
    if dimension == "quantity":
        return [q for q in quantities(text) if q.dimension != "number"]
    if dimension == "figure":
        return [q for q in quantities(text) if (q.dimension not in ("number", "date", "age") or
                                                q.dimension == "number" and q.multiplier) and not is_article(q)]
    if dimension == "change":
        return [q for q in quantities(text) if q.dimension in ("money", "rate")]
    if dimension == "ordinal":  # 第几年 asked: 第七年
        return ordinals(text)
    if dimension == "share":
        return [q for q in quantities(text) if q.dimension in ("rate", "multiple")]
    return [q for q in quantities(text) if q.dimension == dimension]


def is_article(q: Quantity) -> bool:
    """一场 / 一个 / 一次 written in Chinese: as often "a" as a count of one."""
    return q.dimension == "count" and q.text[0] == "一" and q.value == 1


def numbers(text: str) -> list[str]:
    """Every Arabic number of ``text`` as written (after :func:`fold`), whole numbers only:
    the 3 of 3.5 is not a number of its own."""
    return _BARE_NUMBER.findall(fold(text))


def occurs(number: str, text: str) -> bool:
    """``number`` occurs in ``text`` as a whole number (not inside a longer one)."""
    return re.search(rf"(?<!\d)(?<!\d\.){re.escape(number)}(?![\d]|\.\d)", fold(text)) is not None


def quantity_occurs(q: Quantity, text: str) -> bool:
    """``q`` is stated in ``text``: verbatim, or the same value, unit, multiplier and 余 written
    another way (一万元 for 10000元 is not the same writing and does not count; 4,524元 is 4524元)."""
    folded = fold(text)
    if q.text in folded:
        return True
    return any(o.value == q.value and o.unit == q.unit and o.approx == q.approx and o.upper == q.upper
               and o.multiplier == q.multiplier and o.number == q.number for o in quantities(folded))
