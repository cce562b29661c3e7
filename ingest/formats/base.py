"""What every reader produces: ``Unit``s in an ``Extracted``.

The readers import these from here, not from the package, so the package's dispatcher
(``ingest.formats.extract``) can import the readers without a cycle.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

from ..errors import IngestError


@dataclass(frozen=True)
class Unit:
    """A piece of a source before cleaning.

    ``kind``: ``"raw"`` free text whose lines may be hard-wrapped (a PDF page, a
    ``<pre>``), ``"para"`` one logical paragraph (docx, html), ``"item"`` one list item
    (an html ``<li>``, a numbered Word paragraph: a paragraph never read as a heading), ``"heading"``,
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


@contextmanager
def reading(what: str, name: str, en: str) -> Iterator[None]:
    """A reader's parsing: any parser error inside is a damaged file, an ``IngestError`` naming it
    (``{what}损坏或无法解析：{name}``); an ``IngestError`` raised inside passes as it is."""
    try:
        yield
    except IngestError:
        raise
    except Exception as exc:  # a damaged file: any parser error names the file
        raise IngestError(f"{what}损坏或无法解析：{name}（cannot read {en}: "
                          f"{type(exc).__name__}: {str(exc)[:200]}）") from None


def require_text(units: list[Unit], name: str, why: str) -> None:
    """Nothing read is an error (``无可提取文字：{name}（{why}）``), never an empty document."""
    if not units:
        raise IngestError(f"无可提取文字：{name}（{why}）")
