"""Benefit standards (保障标准) stated in the reports, as data.

Citizens ask "how much is X where I live". The reports answer in running prose
(``农村最低生活保障年标准提高到4524元``, ``城乡特困基本生活年标准分别为9600元、6000元``,
``自2016年7月1日起,城市低保标准由520元提高到550元``). This module turns such
clauses into :class:`Standard` rows with exact offsets into ``Document.text``.

Public API
----------
- :class:`Vocabulary` (section ``benefits`` of ``assistant/data/vocabulary.json``): benefit categories and
  their synonyms; ``detect(question)`` names the categories a text asks about.
- :func:`extract_standards` (``Document -> list[Standard]``): rule-based.
- :class:`StandardsTable`: rows with ``save``/``load`` (versioned JSON) and
  ``query(region=, category=, year=)``; :func:`build_table_json` is the ingest
  hook (``assistant.kb.ARTIFACTS``).
- :func:`format_row`: one cited sentence per row for answers.

Rules (see :func:`extract_standards`): a text is cut into sentences
(``。！？；`` and line breaks) and clauses (``，,``). An amount is a number
followed by 元 (lists like ``9600元、6000元`` are one amount list). It becomes a
row when

- the clause (or, failing that, the clause before it in the same sentence) has a
  standard word (标准, 提高到, 提高至, 提标, 调整为, ...) → ``kind="standard"``;
  or the clause says 平均 before the amount → ``kind="average"`` (a statistic,
  labelled as such, never presented as a standard);
- and a benefit category is named in the clause (else in an earlier clause of
  the same sentence).

Never rows: amounts in 万元/亿元 or with 余/多 (spending totals), amounts right
after 发放/支出/下拨/累计/... with no standard word in between, differences
(``比...高25.45元``, ``提高50元``) and the ``X`` of ``由X元提高到Y元`` (that is
``previous``).

Only the standard library is used (no torch, gradio or ingest side effects).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from index.artifacts import Artifact, code_fingerprint
from ingest.errors import IndexStoreError
from ingest.places import DATA as PLACES_DATA
from ingest.places import GAZETTEER

from .answer.facts import extract_facts
from .benefits import (  # noqa: F401 (re-exported)
    VOCABULARY_PATH,
    VOCABULARY_VERSION,
    Mention,
    Vocabulary,
    load_vocabulary,
)

if TYPE_CHECKING:  # pragma: no cover
    from ingest.document import Document

# the shared vocabulary file (assistant/vocabulary.py); its "benefits" section is read here
FORMAT_VERSION = 1  # of the saved standards table
# same wording as index.store.REINGEST (not imported: index.store pulls in numpy)
_REINGEST = "请重新导入：civilqa ingest（re-run `civilqa ingest`）"

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


# ---------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------
# Extraction: the view of the facts layer
# ---------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------
# Table
# ---------------------------------------------------------------------------

_REGION_PART = re.compile(r"(.{2,}?)(?:特别行政区|自治区|自治州|市|县|区|省|旗|盟)")


def _region_parts(name: str) -> list[str]:
    """郑州市惠济区 → [郑州, 惠济]; 焦作 → [焦作]."""
    parts, pos = [], 0
    for m in _REGION_PART.finditer(name):
        if m.start() != pos:
            break
        parts.append(m.group(1))
        pos = m.end()
    if pos < len(name):
        parts.append(name[pos:])
    return [p for p in parts if p]


def region_matches(asked: str, region: str | None, broader: bool = False) -> bool:
    """Does a row's ``region`` answer for the region a user ``asked`` about?

    Short names and parents match: 焦作 / 焦作市 → 焦作市; 郑州 / 惠济 / 惠济区 /
    郑州市惠济区 → 郑州市惠济区. With ``broader`` a row for a containing region
    matches too (郑州市惠济区 asked → 郑州市 rows: city-wide standards apply).
    """
    if not region or not asked or not asked.strip():
        return False
    row = _region_parts(region)
    want = "".join(_region_parts(asked.strip()))
    for i in range(len(row)):
        for j in range(i + 1, len(row) + 1):
            if "".join(row[i:j]) == want:
                return True
    if broader:
        asked_parts = "".join(_region_parts(asked.strip()))
        return asked_parts.startswith("".join(row)) and len(row) > 0
    return False


class StandardsTable:
    """Extracted rows, saved as versioned UTF-8 JSON next to the index.

    ``StandardsTable.from_documents(docs)`` extracts; ``save(path)`` /
    ``StandardsTable.load(path)``; ``query(...)`` filters.
    """

    FORMAT_VERSION = FORMAT_VERSION

    def __init__(self, rows: Iterable[Standard] = (), vocab: Vocabulary | None = None):
        self._rows: list[Standard] = list(rows)
        self._vocab = vocab

    @property
    def vocab(self) -> Vocabulary:
        return self._vocab or load_vocabulary()

    @classmethod
    def from_documents(cls, docs: Iterable["Document"], vocab: Vocabulary | None = None) -> "StandardsTable":
        rows: list[Standard] = []
        for d in docs:
            rows.extend(extract_standards(d, vocab))
        return cls(rows, vocab)

    @property
    def rows(self) -> list[Standard]:
        return list(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self):
        return iter(self._rows)

    # -- persistence ---------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {"format_version": self.FORMAT_VERSION, "kind": "civilqa.standards",
                "rows": [r.to_dict() for r in self._rows]}

    @classmethod
    def from_json(cls, raw: Any, path: Path | str = "standards.json",
                  vocab: Vocabulary | None = None) -> "StandardsTable":
        """Rebuild a table from ``to_json()`` output (validates the version and rows)."""
        version = raw.get("format_version") if isinstance(raw, dict) else None
        if version != cls.FORMAT_VERSION:
            raise IndexStoreError(
                f"福利标准表版本不符：{path} 的版本是 {version!r}，本程序需要 {cls.FORMAT_VERSION}。{_REINGEST}"
                f"（standards table format_version {version!r} != {cls.FORMAT_VERSION}）")
        try:
            rows = [Standard.from_dict(d) for d in raw["rows"]]
        except (KeyError, TypeError, ValueError) as e:
            raise IndexStoreError(f"福利标准表已损坏：{path}。{_REINGEST}（bad rows: {e}）") from None
        return cls(rows, vocab)

    def save(self, path: Path | str) -> Path:
        """Write atomically (temp file in the same folder + ``os.replace``)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps(self.to_json(), ensure_ascii=False, indent=1)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
        return path

    @classmethod
    def load(cls, path: Path | str, vocab: Vocabulary | None = None) -> "StandardsTable":
        path = Path(path)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise IndexStoreError(f"福利标准表不存在：{path}。{_REINGEST}（standards table not found: {path}）") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise IndexStoreError(f"福利标准表已损坏：{path}。{_REINGEST}（standards table unreadable: {e}）") from None
        return cls.from_json(raw, path, vocab)

    # -- queries -------------------------------------------------------
    def query(self, region: str | None = None, category: str | None = None, year: int | None = None,
              include_averages: bool = False, *, unique: bool = True, latest: bool = False,
              broader: bool = False) -> list[Standard]:
        """Rows matching all given filters, in table order.

        ``region``: see :func:`region_matches` (short names and parents;
        ``broader`` adds containing regions). ``category``: a category, a
        family (低保 → 城市低保, 农村低保) or any text (``五保`` → 农村特困, via
        :meth:`Vocabulary.resolve`); a row whose category is a family name
        (qualifier unknown) matches that family's categories too.
        ``unique`` drops repeats of the same fact (a report that states
        4524元 twice); ``latest`` keeps only the newest year per region and
        category.
        """
        rows = self._rows
        if region is not None:
            rows = [r for r in rows if region_matches(region, r.region, broader)]
        if category is not None:
            wanted = set(self.vocab.resolve(category))
            families = {self.vocab.family_of(c) for c in wanted}
            wanted |= families
            rows = [r for r in rows if r.category in wanted]
        if year is not None:
            rows = [r for r in rows if r.year == year]
        if not include_averages:
            rows = [r for r in rows if r.kind == "standard"]
        if unique:
            seen: set[tuple] = set()
            kept = []
            for r in rows:
                key = (r.region, r.year, r.category, r.amount, r.period, r.per, r.kind)
                if key not in seen:
                    seen.add(key)
                    kept.append(r)
            rows = kept
        if latest:
            newest: dict[tuple, int] = {}
            for r in rows:
                k = (r.region, r.category, r.kind)
                newest[k] = max(newest.get(k, r.year or 0), r.year or 0)
            rows = [r for r in rows if (r.year or 0) == newest[(r.region, r.category, r.kind)]]
        return list(rows)

    def regions(self) -> list[str]:
        return sorted({r.region for r in self._rows if r.region})

    def categories(self) -> list[str]:
        order = {c: i for i, c in enumerate(self.vocab.names + self.vocab.families)}
        return sorted({r.category for r in self._rows}, key=lambda c: (order.get(c, len(order)), c))


def build_table_json(documents: Iterable["Document"], vocab: Vocabulary | None = None) -> dict[str, Any]:
    """Ingest hook: the standards of ``documents`` as the JSON that ``StandardsTable.save``
    writes (the index store writes it as ``standards.json``; read it back with
    ``StandardsTable.load(path)``)."""
    return StandardsTable.from_documents(documents, vocab).to_json()


def table_fingerprint() -> str:
    """The version of the table :func:`build_table_json` builds: this module's code, every project
    module it imports (the facts layer, the vocabulary loaders, ingest's places and text), and the
    data files they read (the vocabulary, the gazetteer). A change to any of them makes an index's
    saved table stale, and ``ensure_index`` rebuilds it from the stored documents."""
    return code_fingerprint((__name__,), ("assistant", "ingest"), (VOCABULARY_PATH, GAZETTEER, PLACES_DATA))


# the ingest hook with its version (assistant.kb.ARTIFACTS)
TABLE_ARTIFACT = Artifact(build_table_json, table_fingerprint)


# ---------------------------------------------------------------------------
# Presentation
# ---------------------------------------------------------------------------

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
