"""A document's period: its dates, the year it is about and its issue date.

The issue date (a date alone in the tail, after 印发日期, or a web page's publication stamp
on the first line: ``2023-07-25 17:43，正文：``), the effective date
(``自2023年7月1日起施行``; ``自印发之日起施行`` is the issue date), and the year: the title's,
else the body's most mentioned year not a target (``到2025年底``, ``2021—2025年``, ``2025年前``),
else the issue date's. The words are in ``ingest/data/document_words.json``.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .datafiles import document_words
from .text import YEAR, alternation

_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "Ｏ": "0", "O": "0"}
_CN_DATE = re.compile(r"([〇零○Ｏ一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ISO_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?!\d)")
SHORT_DATE = r"\d{1,2}月\d{1,2}日"


def _cn_small(s: str) -> int:
    """十 → 10, 十二 → 12, 二十 → 20, 二十一 → 21, 七 → 7."""
    if "十" not in s:
        return int(_CN_DIGITS[s])
    tens, _, ones = s.partition("十")
    return (int(_CN_DIGITS[tens]) if tens else 1) * 10 + (int(_CN_DIGITS[ones]) if ones else 0)


def _iso(y: int, m: int, d: int) -> str | None:
    if 1 <= m <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{m:02d}-{d:02d}"
    return None


def find_dates(text: str) -> list[tuple[str, int, int]]:
    """Full dates in ``text`` as (ISO date, start, end): 2023年7月1日, 2023-07-01,
    二〇二三年五月一日."""
    out = []
    for m in _DATE.finditer(text):
        iso = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if iso:
            out.append((iso, m.start(), m.end()))
    for m in _ISO_DATE.finditer(text):
        iso = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if iso:
            out.append((iso, m.start(), m.end()))
    for m in _CN_DATE.finditer(text):
        try:
            y = int("".join(_CN_DIGITS[c] for c in m.group(1)))
            iso = _iso(y, _cn_small(m.group(2)), _cn_small(m.group(3)))
        except (KeyError, ValueError):
            continue
        if iso:
            out.append((iso, m.start(), m.end()))
    return sorted(out, key=lambda t: t[1])



_CLOCK = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)")


def stamp_date(line: str) -> str | None:
    """The date of a line that is nothing but a date (and a time, and a site's opening marker):
    ``2023-07-25 17:43，正文：``, ``2023年8月3日``; None for a line that says anything else."""
    w = document_words()
    dates = find_dates(line)
    if not dates:
        return None
    rest = line
    for _, s, e in reversed(dates):
        rest = rest[:s] + rest[e:]
    rest = _CLOCK.sub("", rest)
    for marker in w["opening_markers"]:
        rest = rest.replace(marker, "")
    return dates[0][0] if not re.sub(r"[\s，,。：:（）()|/\-]", "", rest) else None


_MONTH_DAY = re.compile(r"(?<!\d)\d{1,2}[/-]\d{1,2}(?!\d)")


def _is_stamp(segment: str) -> bool:
    """A web page's header before its text: it holds a publication stamp (a date, a clock, a
    month/day whose year the page cut) and no sentence (``2024-03-05 09:12``, ``[2023年07月23日]``,
    ``来源：某日报 | 2023年07月25日 06:36:10``, ``07/28``)."""
    if re.search(r"[。！？；]", segment):
        return False
    return bool(find_dates(segment) or _CLOCK.search(segment) or _MONTH_DAY.search(segment))


def _is_byline(segment: str) -> bool:
    """A site's byline before the text (``记者：李洋，``): a label, a short name, nothing more."""
    w = document_words()
    segment = segment.strip(" ，,")
    return any(segment.startswith(label) and 0 < len(segment) - len(label) <= w["byline_name_max"]
               and not re.search(r"[。；！？]", segment) for label in w["byline_labels"])


def past_stamp(line: str) -> int:
    """Where a line's own words start after a web page's publication stamp, byline and a site's
    labels (``2024-03-05 09:12，正文：原标题：X`` → the offset of X): each label within the head
    counts when only a stamp, a byline or punctuation stands before it; 0 when there is none."""
    w = document_words()
    cut = 0
    for marker in w["opening_markers"]:
        i = line.find(marker, cut)
        if not 0 <= i < w["head_chars"]:
            continue
        before = line[cut:i]
        if not before.strip(" ，,：:") or _is_stamp(before) or _is_byline(before):
            cut = i + len(marker)
    return cut


def _target_years(text: str) -> set[int]:
    """Start offsets of years that are a plan's target or a range's ends."""
    w = document_words()
    spans: set[int] = set()
    as_of = tuple(w["as_of_before"])
    for m in YEAR.finditer(text):
        before = text[max(0, m.start() - 4):m.start()]
        after = text[m.end() - 1:m.end() + 4]
        if before.endswith(as_of):
            continue
        if before.endswith(tuple(w["target_before"])) or after.startswith(tuple(w["target_after"])):
            spans.add(m.start())
    joiners = alternation(w["range_joiners"])
    for m in re.finditer(rf"(?<!\d)((?:19|20)\d{{2}})\s*年?\s*(?:{joiners})\s*((?:19|20)\d{{2}})\s*年", text):
        spans.add(m.start(1))
        spans.add(m.start(2))
    return spans


def detect_year(text: str) -> int | None:
    """The most mentioned year that is not a target (到2025年, 2021—2025年); on a tie the later."""
    targets = _target_years(text)
    counts = Counter(int(m.group(1)) for m in YEAR.finditer(text) if m.start() not in targets)
    if not counts:
        return None
    return max(counts, key=lambda y: (counts[y], y))


@dataclass(frozen=True)
class Period:
    year: int | None
    period: str | None
    issued: str | None
    effective: str | None


def detect_period(text: str, title: str | None = None) -> Period:
    w = document_words()
    dates = find_dates(text)
    tail_start = max(0, len(text) - w["tail_chars"])
    issued = None
    labels = alternation(w["issue_labels"])
    for iso, s, e in dates:
        if re.search(rf"(?:{labels})[:：\s]*$", text[max(0, s - 10):s]):
            issued = iso
    if issued is None:  # a web page's publication stamp on the first line: 2023-07-25 17:43，正文：
        first = text.lstrip().split("\n", 1)[0]
        header = first[:past_stamp(first)]  # 2023-08-17 08:16，正文：原标题：… on one line
        if header:
            issued = next((iso for iso, _, _ in find_dates(header)), None)
        else:
            issued = stamp_date(first) if len(first) <= 40 else None
    if issued is None:
        for iso, s, e in reversed(dates):
            line_start = text.rfind("\n", 0, s) + 1
            line_end = text.find("\n", e)
            line = text[line_start:line_end if line_end >= 0 else len(text)].strip()
            if s >= tail_start and len(line) <= 40 and not re.search(r"[，。；]", line):
                issued = iso  # a date on a line of its own at the end: the signature date
                break
    effective = None
    verbs = alternation(w["effective_verbs"])
    from_words = tuple(w["from_words"])
    for iso, s, e in dates:
        after = text[e:e + 10]
        # 2023年7月1日起施行 / 开始执行; 自2023年7月1日起，… (a deadline, 1月1日前, is neither)
        if re.match(rf"\s*(?:起|开始)\s*(?:{verbs})", after) or (
                text[max(0, s - 2):s].endswith(from_words) and re.match(r"\s*起", after)):
            effective = iso
            break
    if effective is None and issued:
        if re.search(rf"自(?:{alternation(w['from_issue_words'])})起\s*(?:{verbs})", text):
            effective = issued
    year = None
    if title:
        year = detect_year(title)
    if year is None:
        year = detect_year(text)
    if year is None and (issued or effective):
        year = int((issued or effective)[:4])
    period = None
    if year is not None:
        period = f"{year}年"
        for word, label in w["half_year_words"].items():
            if text.count(word) >= 2 or (title and word in title):
                period = f"{year}年{label}"
                break
    return Period(year, period, issued, effective)
