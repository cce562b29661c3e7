"""Data that flows between stages: small frozen dataclasses with deterministic ids."""
from __future__ import annotations

import bisect
import hashlib
from dataclasses import asdict, dataclass, field, fields
from typing import Any


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class DocMeta:
    """What a document is about: its region and its period.

    Region (see :mod:`ingest.places`):

    - ``city``: the region's full name, as a label: 河南省, 焦作市, 郑州市惠济区,
      北京市朝阳区; ``全国`` for a national document (民政部…); ``None`` when the
      document does not state its region (``region_source`` says why).
    - ``region_level``: ``"province"``, ``"city"`` (prefecture level: 地级市, 自治州,
      地区, 盟), ``"county"`` (县, 县级市, 市辖区, 旗), ``"town"``, ``"national"``; ``None``
      with ``city``.
    - ``region_parents``: the full names of the region's ancestors, province first
      (``("河南省", "郑州市")`` for 郑州市惠济区; ``()`` for a province, the nation
      or no region).
    - ``region_code``: the administrative-division code (``"410108"``) or ``None``.
    - ``region_source``: where the region came from: ``"issuer"`` (the issuing body,
      e.g. 某省民政厅), ``"title"``, ``"body"``, ``"sidecar"``; or why there is none:
      ``"not_stated"`` (no place named), ``"ambiguous"`` (several regions named evenly).

    Period:

    - ``year``: the year the document reports on or was issued in; ``period`` its
      label (``2017年上半年``, ``2021年``); never the year of a plan's target
      (``到2025年底``, ``“十四五”期间``).
    - ``issued``: the issue date (成文/印发 date) as ISO ``YYYY-MM-DD``, or ``None``.
    - ``effective``: the date it takes effect (``自2023年7月1日起施行``) as ISO, or ``None``.

    ``publisher``: the issuing body (河南省民政厅) or, failing that, ``{city}民政局``.
    Manifests written before these fields existed load with :meth:`from_dict`.
    """

    city: str | None
    year: int | None
    title: str
    period: str | None = None
    publisher: str | None = None
    region_level: str | None = None
    region_parents: tuple[str, ...] = ()
    region_code: str | None = None
    region_source: str | None = None
    issued: str | None = None
    effective: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["region_parents"] = list(self.region_parents)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "DocMeta":
        """Read ``to_dict`` output, old or new: missing keys take their defaults,
        unknown keys are ignored."""
        known = {f.name for f in fields(cls)}
        kw = {k: v for k, v in d.items() if k in known}
        kw.setdefault("city", None)
        kw.setdefault("year", None)
        kw.setdefault("title", "")
        kw["region_parents"] = tuple(kw.get("region_parents") or ())
        return cls(**kw)


@dataclass(frozen=True)
class Document:
    """A cleaned source report. ``text`` is what chunk offsets refer to."""

    source: str  # file name, e.g. 002_39dfedb441b95935.txt
    text: str
    sha256: str  # of the raw file bytes
    encoding: str
    meta: DocMeta
    # where each PDF page / docx paragraph starts in ``text`` (ingest.formats.Locations.to_dict())
    locations: dict[str, Any] | None = None


@dataclass(frozen=True)
class Chunk:
    """A span of a cleaned document. ``text == document.text[start:end]``.

    ``context`` is prepended to the text for indexing only (title, section
    heading, table header) so that a chunk can be found by what it is about.
    """

    id: str
    source: str
    start: int
    end: int
    text: str
    heading: str | None
    context: str
    meta: dict[str, Any] = field(default_factory=dict)
    kind: str = "text"  # "text" or "table"

    @staticmethod
    def make_id(source: str, start: int, end: int, text: str) -> str:
        return sha256_text(f"{source}\x00{start}\x00{end}\x00{text}")[:32]

    @property
    def index_text(self) -> str:
        """The text that is embedded and BM25-indexed."""
        return f"{self.context}\n{self.text}" if self.context else self.text

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Chunk":
        return cls(**d)


LOCATION_UNITS = ("page", "paragraph", "row")


@dataclass(frozen=True)
class Locations:
    """Where each page/paragraph/row starts in the cleaned text: ``starts[i]`` is the
    offset at which unit ``numbers[i]`` begins (ascending).

    ``unit``: ``"page"`` (PDF, scans, images, OFD), ``"paragraph"`` (docx, .doc, .wps)
    or ``"row"`` (spreadsheets and csv: a sheet's row number, 1-based).
    ``extra`` (optional, same length as ``starts`` when present): what else is known
    about location ``i`` — ``{"sheet": "2023年标准"}`` for a spreadsheet row,
    ``{"ocr": True}`` for a page whose text was read by OCR, ``{}`` otherwise. It is
    written to ``to_dict()`` only when some entry is non-empty, so a document without
    it reads and writes exactly as before (``extra`` absent = all empty)."""

    unit: str  # "page", "paragraph" or "row"
    starts: list[int] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    extra: list[dict[str, Any]] = field(default_factory=list)

    def _index(self, offset: int) -> int | None:
        if not self.numbers:
            return None
        return max(bisect.bisect_right(self.starts, offset) - 1, 0)

    def at(self, offset: int) -> int | None:
        i = self._index(offset)
        return None if i is None else self.numbers[i]

    def where(self, offset: int) -> dict[str, Any]:
        """``{"page": 3}``, ``{"page": 3, "ocr": True}``, ``{"row": 5, "sheet": "…"}`` or ``{}``."""
        i = self._index(offset)
        if i is None:
            return {}
        return {self.unit: self.numbers[i], **(self.extra[i] if i < len(self.extra) else {})}

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"unit": self.unit, "starts": list(self.starts), "numbers": list(self.numbers)}
        if any(self.extra):
            d["extra"] = [dict(e) for e in self.extra]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> "Locations | None":
        if not d or d.get("unit") not in LOCATION_UNITS:
            return None
        return cls(d["unit"], [int(x) for x in d.get("starts", [])], [int(x) for x in d.get("numbers", [])],
                   [dict(e) for e in d.get("extra", [])])


def locate(locations: dict[str, Any] | None, start: int) -> dict[str, Any]:
    """Where an offset of a document is: ``{"page": n}``, ``{"paragraph": n}``, ``{"page": n,
    "ocr": True}``, ``{"row": n, "sheet": name}``... or ``{}``."""
    loc = Locations.from_dict(locations)
    return loc.where(start) if loc is not None else {}
