"""One cited sentence per standards row, for answers (:func:`format_row`)."""
from __future__ import annotations

import re

from ingest.text import HAN

from ..benefits import Vocabulary, load_vocabulary
from .rows import Standard


_SUBJECT = {"standard": re.compile(rf"[{HAN}]{{0,24}}?标准"),
            "average": re.compile(rf"[{HAN}]{{0,24}}?平均水平")}


def _subject(row: Standard, vocab: Vocabulary) -> str | None:
    """The text's own words for what the amount is (社会散居孤儿基本生活最低养育标准,
    农村低保金实际月补差平均水平), when they name exactly the row's category."""
    amount_at = row.text.rfind(row.amount + row.unit)
    if amount_at < 0:
        amount_at = len(row.text)
    pattern = _SUBJECT.get(row.kind)
    for m in reversed(vocab.mentions(row.text)):
        if m.start >= amount_at or m.categories != (row.category,):
            continue
        s = pattern.match(row.text, m.start) if pattern else None
        if s and s.end() <= amount_at and not any(ch.isdigit() for ch in s.group()):
            return s.group()
        return None
    return None


def _amount_phrase(row: Standard, subject_has_period: bool) -> str:
    period = None if subject_has_period else row.period
    if row.per == "人次":
        pre = "每人次"
    elif row.per == "人":
        pre = {"月": "每人每月", "年": "每人每年"}.get(period or "", "人均")
    else:
        pre = {"月": "每月", "年": "每年"}.get(period or "", "")
    return f"{pre}{row.amount}{row.unit}"


def format_row(row: Standard, marker: int, vocab: Vocabulary | None = None) -> str:
    """One sentence for an answer, region first, ending with the citation marker ``[marker]``.

    ``洛阳市社会散居孤儿基本生活最低养育标准为每人每月700元（2017年由600元提高）[1]``.
    Every number in it is verbatim from ``row.text``, except the row's year.
    Averages say so: ``漯河市农村低保平均水平为每月203.45元（2020年统计的平均值，不是保障标准）[2]``.
    """
    vocab = vocab or load_vocabulary()
    region = row.region or ""
    year = f"{row.year}年" if row.year else ""
    if row.kind == "average":
        subject = _subject(row, vocab)
        has_period = bool(subject and re.search(r"[月年]", subject))
        subject = subject or f"{vocab.label(row.category)}平均水平"
        return (f"{region}{subject}为{_amount_phrase(row, has_period)}"
                f"（{year}统计的平均值，不是保障标准）[{marker}]")
    subject = _subject(row, vocab)
    has_period = bool(subject and re.search(r"[月年]标准$", subject))
    subject = subject or f"{vocab.label(row.category)}标准"
    note = year
    if row.previous:
        note += f"由{row.previous}{row.unit}提高"
    paren = f"（{note}）" if note else ""
    return f"{region}{subject}为{_amount_phrase(row, has_period)}{paren}[{marker}]"
