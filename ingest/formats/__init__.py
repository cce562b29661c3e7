"""Source formats beyond plain text, one reader module each:

- Word ``.docx`` (``docx_format``); ``.doc``/``.wps`` converted to .docx by LibreOffice
  (``office_convert``);
- PDF (``pdf_format``: text layer page by page, ruled tables through pdfplumber, scanned
  pages through OCR), pictures of pages ``.png/.jpg/.tif/...`` (``ocr``), OFD (``ofd_format``);
- spreadsheets ``.xlsx/.xls/.ods`` and ``.csv`` (``sheet_format``);
- web pages ``.html`` (``html_format``).

Each reader turns a file into ``Unit``s (a PDF page, a Word paragraph or table, an
HTML block, a sheet) without cleaning them; ``assemble`` then cleans each unit with the
same cleaner as the ``.txt`` reports and joins them into one text whose offsets
every chunk and citation refers to, remembering where each page, paragraph or row
starts (``Locations``) so that a citation can say 第N页 / 第N段 / 工作表“X”第N行.
Tables are ``ingest.tables.Table``; positioned text (OCR boxes, OFD text objects)
becomes lines and tables in ``layout``.

Heavy parsers (python-docx, pypdf, calamine) are imported only when such a file is read;
PDF text, OCR and the LibreOffice conversion run in child processes with time limits.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..cleaning import Block, clean_with_blocks
from ..text import CLAUSE_END, TERMINAL

TEXT_SUFFIXES = (".txt", ".md")
DOCX_SUFFIXES = (".docx",)
PDF_SUFFIXES = (".pdf",)
HTML_SUFFIXES = (".html", ".htm")
SHEET_SUFFIXES = (".xlsx", ".xls", ".ods")
CSV_SUFFIXES = (".csv",)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp")
OFFICE_SUFFIXES = (".doc", ".wps")  # converted to .docx by LibreOffice
OFD_SUFFIXES = (".ofd",)
SUPPORTED_SUFFIXES = (TEXT_SUFFIXES + DOCX_SUFFIXES + OFFICE_SUFFIXES + PDF_SUFFIXES + OFD_SUFFIXES
                      + HTML_SUFFIXES + SHEET_SUFFIXES + CSV_SUFFIXES + IMAGE_SUFFIXES)
SUPPORTED_LABEL = "、".join(SUPPORTED_SUFFIXES)


@dataclass(frozen=True)
class Unit:
    """A piece of a source before cleaning.

    ``kind``: ``"raw"`` free text whose lines may be hard-wrapped (a PDF page, a
    ``<pre>``), ``"para"`` one logical paragraph (docx, html), ``"heading"``,
    ``"table"`` (rows separated by newlines, cells by tabs, header first: see
    ``ingest.tables.Table.text``). ``number`` is the page (PDF), paragraph (docx)
    or row (spreadsheet) number the unit carries, if any.

    ``extra`` is what every location inside the unit also carries (``{"ocr": True}``
    for a page read by OCR, ``{"sheet": "2023年标准"}`` for a sheet's rows).
    ``line_numbers`` (a table unit only): the source row of each line of ``text``,
    so that each row is located on its own (``工作表“2023年标准”第5行``).
    ``table`` is the structured table the text was made from, when there is one.
    """

    text: str
    kind: str = "para"
    number: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    line_numbers: tuple[int, ...] = ()
    table: Any = None  # ingest.tables.Table


@dataclass(frozen=True)
class Extracted:
    units: list[Unit]
    unit_name: str | None  # "page", "paragraph" or None
    encoding: str  # how the text was obtained: "docx", "pdf", "html:utf-8", ...
    join_across_units: bool = False  # PDF: a sentence may run on to the next page
    problems: tuple[str, ...] = ()  # parts that could not be read (第3页无法识别), for the ingest report


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


def _clean_unit(u: Unit) -> tuple[str, list[Block]]:
    if u.kind == "heading":
        return clean_with_blocks("# " + " ".join(u.text.split()))
    if u.kind == "para":
        # one logical paragraph: no hard wraps to repair, tabs are not table cells
        return clean_with_blocks(u.text.replace("\t", " "))
    return clean_with_blocks(u.text)


def assemble(extracted: Extracted) -> tuple[str, list[Block], Locations | None]:
    """Clean every unit and join them: (text, blocks, locations)."""
    parts: list[str] = []
    blocks: list[Block] = []
    starts: list[int] = []
    numbers: list[int] = []
    extras: list[dict[str, Any]] = []
    pos = 0
    for u in extracted.units:
        text, ublocks = _clean_unit(u)  # a page's paragraph cut mid-sentence runs on (joined below)
        if not text.strip() or not ublocks:
            continue
        joined = False
        tail = parts[-1].rstrip() if parts else ""
        if (extracted.join_across_units and blocks and ublocks[0].kind == "text"
                and (blocks[-1].kind == "text" or tail.endswith(tuple(CLAUSE_END)))
                and not tail.endswith(tuple(TERMINAL)) and not tail.endswith(("”", "’", "）", ")"))):
            # a paragraph that runs on from the previous page: one block across the break
            a, b = parts[-1][-1:], text[:1]
            sep = " " if a.isascii() and a.isalnum() and b.isascii() and b.isalnum() else ""
            joined = True
        else:
            sep = "\n\n" if parts else ""
        parts.append(sep)
        pos += len(sep)
        rows = [b for b in ublocks if b.kind == "table"] if u.line_numbers else []
        if rows and len(rows) == len(u.line_numbers):  # each table row is a location of its own
            for b, n in zip(rows, u.line_numbers):
                starts.append(pos + b.start)
                numbers.append(n)
                extras.append(dict(u.extra))
        elif u.number is not None and (not numbers or (numbers[-1], extras[-1]) != (u.number, u.extra)):
            starts.append(pos)
            numbers.append(u.number)
            extras.append(dict(u.extra))
        shifted = [Block(b.kind, b.start + pos, b.end + pos) for b in ublocks]
        if joined:
            first = shifted.pop(0)
            blocks[-1] = Block("text", blocks[-1].start, first.end)
        blocks.extend(shifted)
        parts.append(text)
        pos += len(text)
    locations = (Locations(extracted.unit_name, starts, numbers, extras if any(extras) else [])
                 if extracted.unit_name and numbers else None)
    return "".join(parts), blocks, locations


def env_seconds(var: str, default: float) -> float:
    """A time limit from the environment variable ``var`` (seconds, > 0), else ``default``."""
    import os

    from ..errors import ConfigError

    raw = os.environ.get(var)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1
    if value <= 0:
        raise ConfigError(f"{var} 应为正数（秒），当前为 {raw!r}（must be a positive number）")
    return value


def extract(path: Path, data: bytes) -> Extracted:
    """Read a .docx/.pdf/.html file (already size-checked) into units."""
    suffix = path.suffix.lower()
    if suffix in DOCX_SUFFIXES:
        from .docx_format import extract_docx

        return extract_docx(path)
    if suffix in PDF_SUFFIXES:
        from .pdf_format import extract_pdf

        return extract_pdf(path)
    if suffix in HTML_SUFFIXES:
        from .html_format import extract_html

        return extract_html(data, path.name)
    if suffix in SHEET_SUFFIXES:
        from .sheet_format import extract_sheets

        return extract_sheets(path)
    if suffix in CSV_SUFFIXES:
        from .sheet_format import extract_csv

        return extract_csv(data, path.name)
    if suffix in IMAGE_SUFFIXES:
        from .ocr import extract_image

        return extract_image(path)
    if suffix in OFFICE_SUFFIXES:
        from .office_convert import extract_office

        return extract_office(path)
    if suffix in OFD_SUFFIXES:
        from .ofd_format import extract_ofd

        return extract_ofd(path)
    raise ValueError(f"not a structured format: {path.name}")
