"""A benefit standard stated in a report as a row (:class:`Standard`), and the rows of a document:
:func:`extract_standards`, the view of the facts layer (money facts of kind standard or average
that name a benefit category)."""
from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING, Any

from ..answer.facts import extract_facts
from ..benefits import Vocabulary

if TYPE_CHECKING:  # pragma: no cover
    from ingest.document import Document


@dataclass(frozen=True)
class Standard:
    """One benefit amount stated in a report.

    ``amount``/``previous`` are verbatim from the text (``"4524"``,
    ``"203.45"``). ``kind`` is ``"standard"`` (a 保障标准) or ``"average"``
    (a statistic such as 平均每人次救助支出706元 — never present it as a
    standard). ``period``: ``"月"``, ``"年"`` or None; ``per``: ``"人"``
    (每人/人均), ``"人次"`` (每人次) or None. ``text == doc.text[start:end]``:
    the clause with the amount, widened to the clauses that name its category,
    its qualifier or its year when those come earlier in the sentence.
    """

    id: str
    region: str | None
    year: int | None
    category: str
    amount: str
    unit: str
    period: str | None
    per: str | None
    previous: str | None
    kind: str
    source: str
    start: int
    end: int
    text: str

    @staticmethod
    def make_id(source: str, start: int, end: int, category: str) -> str:
        return hashlib.sha256(f"{source}\x00{start}\x00{end}\x00{category}".encode("utf-8")).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Standard":
        names = {f.name for f in fields(cls)}
        missing = names - set(d)
        extra = set(d) - names
        if missing or extra:
            raise ValueError(f"Standard fields: missing {sorted(missing)}, unexpected {sorted(extra)}")
        return cls(**d)

    @property
    def number(self) -> float:
        return float(self.amount)


_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def _written_digits(value: str) -> str | None:
    """4524元 → 4524; None for an amount not written in Arabic digits (一万元: no row quotes it)."""
    m = _DIGITS.match(value)
    return m.group() if m else None


def extract_standards(doc: "Document", vocab: Vocabulary | None = None) -> list[Standard]:
    """Benefit standards (and labelled averages) stated in ``doc.text``: the money facts
    (:func:`assistant.answer.facts.extract_facts`) of kind standard or average that name a
    category. A figure for an age band, care level or grade is no row: a row has no place
    for the band, and without it the figure would answer for every age."""
    rows: list[Standard] = []
    seen: set[str] = set()
    for f in extract_facts(doc, vocab):
        if f.kind not in ("standard", "average") or f.unit != "元" or not f.categories:
            continue
        if f.age_band is not None or f.qualifiers:
            continue
        amount = _written_digits(f.value)
        if amount is None:
            continue
        previous = _written_digits(f.previous) if f.previous else None
        for cat in f.categories:
            rid = Standard.make_id(doc.source, f.span_start, f.span_end, cat)
            if rid in seen:
                continue
            seen.add(rid)
            rows.append(Standard(
                id=rid, region=f.region, year=f.year, category=cat, amount=amount, unit="元", period=f.period,
                per=f.per, previous=previous, kind=f.kind, source=doc.source, start=f.span_start,
                end=f.span_end, text=f.text))
    return rows
