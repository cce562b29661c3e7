"""The standards table: rows saved as versioned UTF-8 JSON beside the index, with queries by
region, category and year; :func:`build_table_json` is the ingest hook and
:func:`table_fingerprint` its version (``TABLE_ARTIFACT``, ``assistant.kb.ARTIFACTS``)."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from index.artifacts import Artifact, code_fingerprint
from ingest.atomic import write_json_atomic
from ingest.errors import REINGEST, IndexStoreError
from ingest.places import DATA as PLACES_DATA
from ingest.places import GAZETTEER

from ..benefits import VOCABULARY_PATH, Vocabulary, load_vocabulary
from .rows import Standard, extract_standards

if TYPE_CHECKING:  # pragma: no cover
    from ingest.document import Document

FORMAT_VERSION = 2  # of the saved standards table (2: table and band rows, ``qualifier``)
# the kinds of row the tab and ``civilqa standards`` list (averages only when asked for)
LISTED_KINDS = ("standard", "table", "band")


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
                f"福利标准表版本不符：{path} 的版本是 {version!r}，本程序需要 {cls.FORMAT_VERSION}。{REINGEST}"
                f"（standards table format_version {version!r} != {cls.FORMAT_VERSION}）")
        try:
            rows = [Standard.from_dict(d) for d in raw["rows"]]
        except (KeyError, TypeError, ValueError) as e:
            raise IndexStoreError(f"福利标准表已损坏：{path}。{REINGEST}（bad rows: {e}）") from None
        return cls(rows, vocab)

    def save(self, path: Path | str) -> Path:
        """Write atomically (``ingest.atomic``: a temporary file in the same folder, fsynced, then
        ``os.replace``)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_json_atomic(path, self.to_json())
        return path

    @classmethod
    def load(cls, path: Path | str, vocab: Vocabulary | None = None) -> "StandardsTable":
        path = Path(path)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise IndexStoreError(f"福利标准表不存在：{path}。{REINGEST}（standards table not found: {path}）") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise IndexStoreError(f"福利标准表已损坏：{path}。{REINGEST}（standards table unreadable: {e}）") from None
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
        Without ``include_averages`` the rows are those the tab lists (:data:`LISTED_KINDS`:
        prose standards, table cells, age-band rows); answers keep only the kind they ask for.
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
            rows = [r for r in rows if r.kind in LISTED_KINDS]
        if unique:
            seen: set[tuple] = set()
            kept = []
            for r in rows:
                key = (r.region, r.year, r.category, r.amount, r.period, r.per, r.kind, r.qualifier)
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
