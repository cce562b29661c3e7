"""One table type for every source format: header, rows and where it came from.

Every reader that finds a table (a spreadsheet sheet, a csv file, a Word or HTML
table, a table pdfplumber finds on a PDF page, an OCR'd table) hands its grid of
cell strings to ``resolve_grid`` and builds a ``Table`` from what comes back, so
that the answer layer sees one shape whatever the file was:

>>> t = Table.from_grid([["县区", "2023年标准", None], [None, "城市", "农村"],
...                      ["温县", "620", "480"]], merges=[(0, 0, 1, 0), (0, 1, 0, 2)])
>>> t.header
('县区', '2023年标准城市', '2023年标准农村')
>>> t.text
'县区\\t2023年标准城市\\t2023年标准农村\\n温县\\t620\\t480'

- a merged cell's value fills every cell of its range (a header spanning two
  columns names both; a county merged over two rows is on both rows);
- header rows: the first row, plus every row that a merged header cell spans,
  joined top to bottom into one name per column (``2023年标准`` + ``城市``);
  without merge information (csv, PDF) a first row with gaps over a second row
  without figures is read the same way;
- empty rows and empty columns are dropped, and so is a column that has a name
  but no value in any row;
- ``row_numbers`` give each data row's number in the source (a sheet's row
  number, 1-based), ``header_row`` the header's first row.

``Table.text`` is what goes into the document (rows by newlines, cells by tabs,
header first): the ``Unit(kind="table")`` representation the cleaner and the
chunker know. ``Table.from_text`` reads it back.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, NamedTuple, Sequence

from .document import Locations

Merge = tuple[int, int, int, int]  # (first row, first col, last row, last col), 0-based, inclusive

_FIGURE = re.compile(r"\d")


def _cell(value: Any) -> str:
    """A cell as one line of text: None -> "", floats that are whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, _dt.datetime) and value.time() == _dt.time():
        value = value.date()
    if isinstance(value, (_dt.date, _dt.time)):
        value = value.isoformat()
    parts = str(value).split()  # a cell wrapped over lines: Han text joins without a space
    out = parts[0] if parts else ""
    for p in parts[1:]:
        out += (" " if out[-1].isascii() or p[0].isascii() else "") + p
    return out


def _fill_merges(grid: list[list[str]], merges: Iterable[Merge]) -> None:
    for r0, c0, r1, c1 in merges:
        if not (0 <= r0 < len(grid)) or r1 < r0 or c1 < c0 or c0 < 0:
            continue
        value = grid[r0][c0] if c0 < len(grid[r0]) else ""
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            row = grid[r]
            for c in range(c0, min(c1, len(row) - 1) + 1):
                row[c] = value


def _header_rows(grid: list[list[str]], merges: list[Merge]) -> int:
    """How many of the first rows make up the header (at least 1)."""
    if merges:
        n = 1
        changed = True
        while changed:  # a merged cell inside the header may reach further down
            changed = False
            for r0, _c0, r1, _c1 in merges:
                if r0 < n and r1 + 1 > n:
                    n, changed = r1 + 1, True
        # a header cell spanning columns names a group: the row below names the columns
        if n == 1 and any(r0 == 0 and c1 > c0 for r0, c0, _r1, c1 in merges) and len(grid) > 2:
            n = 2
        return min(n, max(1, len(grid) - 1))
    if len(grid) > 2 and any(not c for c in grid[0][1:]) and grid[0][0] \
            and not any(_FIGURE.search(c) and not c.endswith("年") for c in grid[1] if c) \
            and any(b and not a for a, b in zip(grid[0], grid[1])):
        # a group header without merge information: fill its gaps from the left
        row, last = grid[0], ""
        for i, c in enumerate(row):
            row[i] = last = c or last
        return 2
    return 1


def _join_names(parts: Sequence[str]) -> str:
    out: list[str] = []
    for p in parts:
        if p and (not out or out[-1] != p):
            out.append(p)
    return "".join(out)


class Resolved(NamedTuple):
    header: tuple[str, ...]
    rows: list[tuple[str, ...]]
    header_row: int  # source row of the header's first row
    row_numbers: list[int]  # source row of each data row
    captions: list[tuple[int, str]]  # (source row, text) of title rows above the table
    notes: list[tuple[int, str]]  # (source row, text) of note rows below it (注：…)


def _single(row: list[str]) -> str | None:
    """The text of a row that holds one value only (a title or a note), else None."""
    values = {c for c in row if c}
    return values.pop() if len(values) == 1 else None


def resolve_grid(grid: Sequence[Sequence[Any]], merges: Iterable[Merge] = (), first_row: int = 1) -> Resolved:
    """Header, data rows and their source rows of a grid of cells (see the module docstring).

    ``first_row`` is the source row number of ``grid[0]`` (a sheet whose data starts on row 3
    passes 3). The grid may be ragged; cells may be any value (see ``_cell``). Rows above the
    table that hold a single value (a title, merged across or not) are ``captions``, rows below
    it that hold a single value are ``notes``; neither is part of the table."""
    width = max((len(r) for r in grid), default=0)
    cells = [[_cell(v) for v in r] + [""] * (width - len(r)) for r in grid]
    _fill_merges(cells, merges)  # a merged title repeats across its row: still one value
    numbered = [(first_row + i, r) for i, r in enumerate(cells) if any(r)]
    captions: list[tuple[int, str]] = []
    notes: list[tuple[int, str]] = []
    if width > 1:
        while numbered and (text := _single(numbered[0][1])) is not None:
            captions.append((numbered.pop(0)[0], text))
        while len(numbered) > 1 and (text := _single(numbered[-1][1])) is not None:
            notes.insert(0, (numbered.pop()[0], text))
    if not numbered:
        return Resolved((), [], first_row, [], captions, notes)
    # merges in terms of the rows kept (a merge's rows that were dropped do not count)
    index = {n - first_row: k for k, (n, _r) in enumerate(numbered)}
    kept = []
    for r0, c0, r1, c1 in merges:
        rows_in = [index[r] for r in range(r0, r1 + 1) if r in index]
        if rows_in:
            kept.append((rows_in[0], c0, rows_in[-1], c1))
    rows = [r for _n, r in numbered]
    columns = [j for j in range(width) if any(r[j] for r in rows)]
    rows = [[r[j] for j in columns] for r in rows]
    col_index = {j: k for k, j in enumerate(columns)}
    kept_cols = []
    for r0, c0, r1, c1 in kept:
        cols_in = [col_index[c] for c in range(c0, c1 + 1) if c in col_index]
        if cols_in:
            kept_cols.append((r0, cols_in[0], r1, cols_in[-1]))
    n_header = _header_rows(rows, kept_cols)
    header = tuple(_join_names([rows[i][j] for i in range(n_header)]) for j in range(len(columns)))
    data = [tuple(r) for r in rows[n_header:]]
    if data:  # a column with a name but no value in any row (an empty 备注) says nothing
        full = [j for j in range(len(header)) if any(r[j] for r in data)]
        header = tuple(header[j] for j in full)
        data = [tuple(r[j] for j in full) for r in data]
    return Resolved(header, data, numbered[0][0], [n for n, _r in numbered[n_header:]], captions, notes)


@dataclass(frozen=True)
class Table:
    """A table of a source: ``header`` (one name per column), ``rows`` (cells as text) and
    ``location`` (where it is: ``{"sheet": "2023年标准"}``, ``{"page": 3}``, ``{"page": 3,
    "ocr": True}``, ``{"paragraph": 5}``...). ``row_numbers[i]`` is the source row of
    ``rows[i]`` when the source numbers its rows (spreadsheets, csv), else empty."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    location: dict[str, Any] = field(default_factory=dict)
    header_row: int | None = None
    row_numbers: tuple[int, ...] = ()
    captions: tuple[tuple[int, str], ...] = ()  # title rows above the table: (source row, text)
    notes: tuple[tuple[int, str], ...] = ()  # note rows below it
    row_spans: tuple[tuple[int, int], ...] = ()  # (start, end) of each row in the document text

    @classmethod
    def from_grid(cls, grid: Sequence[Sequence[Any]], merges: Iterable[Merge] = (), *,
                  location: dict[str, Any] | None = None, first_row: int | None = None) -> "Table":
        """``first_row``: the source row number of ``grid[0]`` when the source numbers its rows
        (then ``header_row``/``row_numbers`` are set)."""
        r = resolve_grid(grid, merges, first_row or 1)
        numbered = first_row is not None
        return cls(r.header, tuple(r.rows), dict(location or {}), r.header_row if numbered else None,
                   tuple(r.row_numbers) if numbered else (), tuple(r.captions), tuple(r.notes))

    @classmethod
    def from_text(cls, text: str, location: dict[str, Any] | None = None) -> "Table":
        """Read back a table unit's text (header line first, cells by tabs)."""
        lines = [ln.split("\t") for ln in text.split("\n") if ln.strip()]
        width = max((len(r) for r in lines), default=0)
        padded = [tuple(r + [""] * (width - len(r))) for r in lines]
        return cls(padded[0] if padded else (), tuple(padded[1:]), dict(location or {}))

    @classmethod
    def from_chunk(cls, text: str, start: int, meta: dict[str, Any] | None = None,
                   locations: dict[str, Any] | None = None) -> "Table":
        """The table of an indexed table chunk (``chunk.text``, ``chunk.start``, ``chunk.meta``)
        with each row's offsets in the document (``row_spans``, what a citation of that row
        quotes) and, given the document's ``locations``, where it is and each row's source row
        (``工作表“2023年标准”第5行``). A later part of a long table takes its header from
        ``meta["table_header"]``."""
        header = (meta or {}).get("table_header")
        spans, pos = [], start
        for line in text.split("\n"):
            if line.strip():
                spans.append((pos, pos + len(line)))
            pos += len(line) + 1
        table = cls.from_text(f"{header}\n{text}" if header else text)
        if not header:
            spans = spans[1:]  # the first line is the header
        loc = Locations.from_dict(locations)
        where = loc.where(spans[0][0] if spans else start) if loc else {}
        numbers: tuple[int, ...] = ()
        if loc is not None and loc.unit == "row":
            numbers = tuple(loc.at(s) for s, _e in spans)
            where = {k: v for k, v in where.items() if k != "row"}
        return cls(table.header, table.rows, where, row_numbers=numbers, row_spans=tuple(spans))

    def row_location(self, i: int) -> dict[str, Any]:
        """Where row ``i`` is: ``{"row": 5, "sheet": "2023年标准"}``, ``{"page": 3}``..."""
        where = dict(self.location)
        if i < len(self.row_numbers):
            where["row"] = self.row_numbers[i]
        return where

    @property
    def text(self) -> str:
        return "\n".join("\t".join(r) for r in (self.header, *self.rows))

    @property
    def line_numbers(self) -> tuple[int, ...]:
        """The source row of each line of ``text`` (header first), or () when not numbered."""
        if not self.row_numbers or self.header_row is None:
            return ()
        return (self.header_row, *self.row_numbers)

    def column(self, name: str) -> list[str]:
        """The cells of the column called ``name`` (exact header text)."""
        j = self.header.index(name)
        return [r[j] for r in self.rows]

    def records(self) -> list[dict[str, str]]:
        """Each row as {column name: cell}."""
        return [dict(zip(self.header, r)) for r in self.rows]
