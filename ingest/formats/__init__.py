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

from pathlib import Path
from typing import Any

from ..cleaning import Block, clean_with_blocks
from ..document import LOCATION_UNITS, Locations, locate  # noqa: F401 (re-exported)
from ..suffixes import (  # noqa: F401 (re-exported)
    CSV_SUFFIXES,
    DOCX_SUFFIXES,
    HTML_SUFFIXES,
    IMAGE_SUFFIXES,
    OFD_SUFFIXES,
    OFFICE_SUFFIXES,
    PDF_SUFFIXES,
    SHEET_SUFFIXES,
    SUPPORTED_LABEL,
    SUPPORTED_SUFFIXES,
    TEXT_SUFFIXES,
)
from ..text import CLAUSE_END, TERMINAL
from .base import Extracted, Unit  # noqa: F401 (re-exported)
from .docx_format import extract_docx
from .html_format import extract_html
from .ocr import extract_image
from .ofd_format import extract_ofd
from .office_convert import extract_office
from .pdf_format import extract_pdf
from .sheet_format import extract_csv, extract_sheets


def _clean_unit(u: Unit) -> tuple[str, list[Block]]:
    if u.kind == "heading":
        return clean_with_blocks("# " + " ".join(u.text.split()))
    if u.kind in ("para", "item"):
        # one logical paragraph: no hard wraps to repair, tabs are not table cells
        text, blocks = clean_with_blocks(u.text.replace("\t", " "))
        if u.kind == "item":  # a list item (<li>, a numbered Word paragraph) is no heading, however short
            blocks = [Block("text", b.start, b.end) if b.kind == "heading" else b for b in blocks]
        return text, blocks
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


def extract(path: Path, data: bytes) -> Extracted:
    """Read a .docx/.pdf/.html file (already size-checked) into units."""
    suffix = path.suffix.lower()
    if suffix in DOCX_SUFFIXES:
        return extract_docx(path)
    if suffix in PDF_SUFFIXES:
        return extract_pdf(path)
    if suffix in HTML_SUFFIXES:
        return extract_html(data, path.name)
    if suffix in SHEET_SUFFIXES:
        return extract_sheets(path)
    if suffix in CSV_SUFFIXES:
        return extract_csv(data, path.name)
    if suffix in IMAGE_SUFFIXES:
        return extract_image(path)
    if suffix in OFFICE_SUFFIXES:
        return extract_office(path)
    if suffix in OFD_SUFFIXES:
        return extract_ofd(path)
    raise ValueError(f"not a structured format: {path.name}")
