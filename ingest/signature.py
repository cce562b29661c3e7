"""The lines that sign a document: its issuers' line and its date (one home for both).

>>> issuer_line("某省民政厅　某省财政厅　2025年3月"), signature_line("二〇二五年十二月十五日")
(True, True)
"""
from __future__ import annotations

import re

from .datafiles import document_words
from .doc_period import find_dates

_ISSUE_DATE = re.compile(r"\s*(?:19|20)\d\d\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?\s*$")


def issuer_line(line: str) -> bool:
    """A line that is only the issuing bodies' names (某省民政厅, 某县民政局; joint issuers
    separated by spaces, then perhaps the date: 某省民政厅　某省财政厅　2025年3月): it says who, not what."""
    w = document_words()
    ends = tuple(w["organ_words"]) + tuple(w["organ_endings"])
    parts = _ISSUE_DATE.sub("", line).split()
    return bool(parts) and all(len(p) <= 20 and p.endswith(ends) for p in parts)


def signature_line(line: str) -> bool:
    """A document's signature: its issuers' line, its date alone (2026年1月10日, 二〇二五年十二月十五日),
    or both on one line. It closes the document and heads no section."""
    dates = find_dates(line)
    rest = line
    for _iso, s, e in reversed(dates):
        rest = rest[:s] + " " + rest[e:]
    rest = rest.strip()
    return (bool(dates) and not rest) or (bool(rest) and issuer_line(rest))
