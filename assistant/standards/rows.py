"""A benefit standard stated in a report as a row (:class:`Standard`), and the rows of a document:
:func:`extract_standards`, the view of the facts layer (money facts of kind standard or average
that name a benefit category), plus the cells of a document's standards tables (one row per
place and column) and the figures stated for an age band or a care level (with that band)."""
from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, fields, replace
from typing import TYPE_CHECKING, Any

from ingest.places import find_places, lookup
from ingest.text import SENTENCE_END

from ..answer.facts import extract_facts
from ..answer.facts_reading import patterns
from ..answer.tables import parse_tables
from ..benefits import Vocabulary, load_vocabulary

if TYPE_CHECKING:  # pragma: no cover
    from ingest.document import Document


@dataclass(frozen=True)
class Standard:
    """One benefit amount stated in a report.

    ``amount``/``previous`` are verbatim from the text (``"4524"``,
    ``"203.45"``). ``kind`` is ``"standard"`` (a 保障标准) or ``"average"``
    (a statistic such as 平均每人次救助支出706元 — never present it as a
    standard), ``"table"`` (a cell of a standards table: ``text`` is its row) or ``"band"`` (a
    standard for one age band or care level, named by ``qualifier``: ``80—89周岁``, ``全护理``).
    Answers read only ``standard`` and ``average`` rows; the tab lists every kind but averages.
    ``period``: ``"月"``, ``"年"`` or None; ``per``: ``"人"``
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
    qualifier: str | None = None

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
_FULL_STOP = re.compile(r"[。！？!?\n]")  # bands are listed with ；, within one sentence
_SENTENCE_END = re.compile(f"[{SENTENCE_END}\\n]")
_LOOK_BACK = 200  # characters before a row's span searched for the place it is of


def _written_digits(value: str) -> str | None:
    """4524元 → 4524; None for an amount not written in Arabic digits (一万元: no row quotes it)."""
    m = _DIGITS.match(value)
    return m.group() if m else None


def _band_label(band: tuple[float | None, float | None] | None, qualifiers: tuple[tuple[str, str], ...]) -> str:
    """(80, 89) → 80—89周岁; (100, None) → 100周岁以上; (None, 60) → 60周岁以下; care levels and
    grades by their value (全护理)."""
    parts = []
    if band is not None:
        lo, hi = band
        parts.append(f"{lo:g}—{hi:g}周岁" if lo is not None and hi is not None
                     else f"{lo:g}周岁以上" if lo is not None else f"{hi:g}周岁以下")
    parts.extend(value for _, value in qualifiers)
    return "、".join(parts)


def _named_region(region: str | None, text: str, span_start: int, amount_at: int) -> str | None:
    """The place below ``region`` named last before the amount in its sentence (其中，某区城市低保
    标准为…元，农村低保标准为…元 in a city's report), else ``region``: the facts layer files such a
    figure under the document's region, and the tab would list a county's figure as its city's."""
    if not region:
        return region
    start = max(span_start - _LOOK_BACK, 0)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, start, span_start)]
    start = ends[-1] if ends else start
    below = [p for p, _, _ in find_places(text[start:amount_at]) if p.region != region and p.region.startswith(region)]
    return below[-1].region if below else region


def _period_of(header: str) -> str | None:
    if "月" in header:
        return "月"
    return "年" if "年" in header.replace("年份", "") else None


def table_standards(doc: "Document", vocab: Vocabulary | None = None) -> list[Standard]:
    """The cells of ``doc``'s standards tables (``assistant.answer.tables.parse_tables``): a value
    column whose header is a standard (a standard word, not an average) of one benefit category in
    元, a row whose label is a place. The row's region is its label under the document's region
    (as the table answerer writes it); the row's line is the span."""
    vocab = vocab or load_vocabulary()
    p = patterns()
    region = doc.meta.city or ""
    rows: list[Standard] = []
    for table in parse_tables(doc.text):
        for col in table.value_columns():
            header = table.header[col]
            cats = vocab.detect(header)
            if (len(cats) != 1 or not table.unit(col).startswith("元") or not p.standard.search(header)
                    or p.average.search(header)):
                continue
            for row in table.rows:
                label = "".join(row.label.split())
                amount = _written_digits(row.cells[col]) if col < len(row.cells) else None
                text = doc.text[row.start:row.end]
                if amount is None or amount not in text or lookup(label) is None:
                    continue
                rows.append(Standard(
                    id=Standard.make_id(doc.source, row.start, row.end, f"{cats[0]}\x00{col}"),
                    region=label if not region or label.startswith(region) else f"{region}{label}",
                    year=doc.meta.year, category=cats[0], amount=amount, unit="元", period=_period_of(header),
                    per=None, previous=None, kind="table", source=doc.source, start=row.start, end=row.end,
                    text=text))
    return rows


def extract_standards(doc: "Document", vocab: Vocabulary | None = None) -> list[Standard]:
    """Benefit standards (and labelled averages) stated in ``doc.text``: the money facts
    (:func:`assistant.answer.facts.extract_facts`) of kind standard or average that name a
    category, then the cells of its standards tables (:func:`table_standards`). A figure for an
    age band, care level or grade is a ``band`` row that names its band, so that it never answers
    for every age."""
    rows: list[Standard] = []
    seen: set[str] = set()
    last_band: tuple[int, tuple[str, ...]] = (-1, ())  # (end, categories) of the last band figure
    for f in extract_facts(doc, vocab):
        band = _band_label(f.age_band, f.qualifiers) if f.age_band is not None or f.qualifiers else None
        if band is not None and f.unit == "元" and f.kind in ("standard", "amount"):
            # 80—89周岁每人每月60元；90—99周岁每人每月150元: the later bands of one sentence share its benefit
            if not f.categories and last_band[1] and not _FULL_STOP.search(doc.text, last_band[0], f.start):
                f = replace(f, categories=last_band[1])
            last_band = (f.end, f.categories)
        if f.unit != "元" or not f.categories or f.kind not in (("standard", "amount") if band else ("standard", "average")):
            continue
        amount = _written_digits(f.value)
        if amount is None:
            continue
        previous = _written_digits(f.previous) if f.previous else None
        region = _named_region(f.region, doc.text, f.span_start, f.start)
        for cat in f.categories:
            rid = Standard.make_id(doc.source, f.span_start, f.span_end, cat if band is None else f"{cat}\x00{f.start}")
            if rid in seen:
                continue
            seen.add(rid)
            rows.append(Standard(
                id=rid, region=region, year=f.year, category=cat, amount=amount, unit="元", period=f.period,
                per=f.per, previous=previous, kind=f.kind if band is None else "band", source=doc.source,
                start=f.span_start, end=f.span_end, text=f.text, qualifier=band))
    return rows + table_standards(doc, vocab)
