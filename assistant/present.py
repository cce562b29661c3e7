"""How a citation reads to a person: report title, region and year, where in the report, a short quote.

The file name and character offsets are for staff checking a source: they go in a separate
``details`` line (and stay in the JSON), never in the label. Works on ``Citation`` objects and on
their dicts (``Citation.to_dict()``, or the standards table's rows), so the CLI, the chat, the
standards tab and the draft's 政策依据 all say the same thing.

>>> c = {"marker": 1, "title": "焦作市民政局2021年工作回顾", "city": "焦作市", "year": 2021, "page": 3,
...      "source": "002.txt", "start": 206, "end": 225, "text": "农村低保年标准提高到4524元"}
>>> citation_label(c)
'[1] 焦作市民政局2021年工作回顾（焦作市，2021年，第3页）'
>>> citation_details(c)
'文件 002.txt，第206–225字'
"""
from __future__ import annotations

import re
from typing import Any

from .types import location_label

QUOTE_CHARS = 60


def _get(c: Any, key: str) -> Any:
    return c.get(key) if isinstance(c, dict) else getattr(c, key, None)


def citation_where(c: Any) -> str:
    """焦作市，2021年，第3页 (whatever is known)."""
    year = _get(c, "year")
    return "，".join(x for x in (_get(c, "city"), f"{year}年" if year else None, location_label(c) or None) if x)


def citation_title(c: Any) -> str:
    """The report's title; the file name only when the report has none."""
    return " ".join(str(_get(c, "title") or "").split()) or str(_get(c, "source") or "")


def citation_label(c: Any) -> str:
    """[1] 报告标题（焦作市，2021年，第3页）"""
    where = citation_where(c)
    marker = _get(c, "marker")
    return (f"[{marker}] " if marker is not None else "") + citation_title(c) + (f"（{where}）" if where else "")


def citation_details(c: Any) -> str:
    """文件 002.txt，第206–225字: for checking, not for reading."""
    start, end = _get(c, "start"), _get(c, "end")
    span = f"，第{start}–{end}字" if start is not None and end is not None else ""
    return f"文件 {_get(c, 'source') or ''}{span}"


def per_label(row: Any, with_period: bool = True) -> str:
    """Who and how often a standard is paid: 每人次 / 每人每月 / 每人每年 / 人均 / 每月 / 每年, or ""
    when the report does not say (a standards row, or its dict). ``with_period=False`` leaves the
    period out (the subject already names it: 月标准).

    >>> per_label({"per": "人", "period": "月"}), per_label({"per": "人", "period": None}), per_label({})
    ('每人每月', '人均', '')
    """
    per, period = _get(row, "per"), _get(row, "period") if with_period else None
    if per == "人次":
        return "每人次"
    every = {"月": "每月", "年": "每年"}.get(period or "", "")
    if per == "人":
        return "每人" + every if every else "人均"
    return every


def amount_label(row: Any) -> str:
    """``700元（每人每月）``: a standard's amount with ``per_label`` (``（周期未注明）`` when unknown)."""
    per = per_label(row)
    return f"{_get(row, 'amount')}{_get(row, 'unit')}" + (f"（{per}）" if per else "（周期未注明）")


def short_quote(text: Any, limit: int = QUOTE_CHARS) -> str:
    """The cited words on one line, at most ``limit`` characters (… when cut)."""
    flat = re.sub(r"\s+", " ", str(text or "")).strip()
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"
