"""Positioned text -> lines, paragraphs and tables: for pages that come as boxes of text
(OCR output, OFD text objects) rather than as a text stream.

``page_units(boxes, page, extra)`` groups the boxes into lines (boxes whose vertical
centres are within half a line height), splits a line into cells where the gap between
two boxes is wider than ``CELL_GAP`` line heights, and reads a run of at least two
consecutive lines with two or more cells each as a table: the cells are put into columns
by their left edges and the grid goes through ``ingest.tables.Table.from_grid`` like any
other table. Everything else is the page's text, one line per line, for the cleaner to
join (``Unit(kind="raw")``).
"""
from __future__ import annotations

from dataclasses import dataclass
from statistics import median
from typing import Any, Iterable

from ..tables import Table
from .base import Unit

CELL_GAP = 1.6  # a gap this many line heights wide separates two cells
MIN_TABLE_ROWS = 2


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float  # top (y grows downwards)
    x1: float
    y1: float
    text: str

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def _join(a: str, b: str) -> str:
    sep = " " if a[-1:].isascii() and a[-1:].isalnum() and b[:1].isascii() and b[:1].isalnum() else ""
    return a + sep + b


def lines_of(boxes: Iterable[Box]) -> list[list[Box]]:
    """Boxes grouped into lines, top to bottom, each line left to right."""
    ordered = sorted((b for b in boxes if b.text.strip()), key=lambda b: (b.cy, b.x0))
    lines: list[list[Box]] = []
    for b in ordered:
        if lines:
            line = lines[-1]
            cy = sum(x.cy for x in line) / len(line)
            h = max(median(x.height for x in line), b.height, 1e-6)
            if abs(b.cy - cy) <= h / 2:
                line.append(b)
                continue
        lines.append([b])
    return [sorted(line, key=lambda b: b.x0) for line in lines]


def _cells(line: list[Box], height: float) -> list[tuple[float, str]]:
    """(left edge, text) of each cell of a line."""
    cells: list[list[Any]] = []
    for b in line:
        if cells and b.x0 - cells[-1][2] <= CELL_GAP * height:
            cells[-1][1] = _join(cells[-1][1], b.text.strip())
            cells[-1][2] = max(cells[-1][2], b.x1)
        else:
            cells.append([b.x0, b.text.strip(), b.x1])
    return [(c[0], c[1]) for c in cells]


def _grid(rows: list[list[tuple[float, str]]], height: float) -> list[list[str]]:
    """Cells into columns by their left edges (edges within two line heights are one column)."""
    edges = sorted(x for row in rows for x, _t in row)
    columns: list[float] = []
    for x in edges:
        if not columns or x - columns[-1] > 2 * height:
            columns.append(x)
    grid = []
    for row in rows:
        out = [""] * len(columns)
        for x, text in row:
            j = min(range(len(columns)), key=lambda k: abs(columns[k] - x))
            out[j] = _join(out[j], text) if out[j] else text
        grid.append(out)
    return grid


def page_units(boxes: Iterable[Box], page: int, extra: dict[str, Any] | None = None) -> list[Unit]:
    """The units of one page: its text (``raw``) and its tables, in reading order."""
    extra = dict(extra or {})
    lines = lines_of(boxes)
    if not lines:
        return []
    height = median(b.height for line in lines for b in line) or 1.0
    cells = [_cells(line, height) for line in lines]
    units: list[Unit] = []
    text: list[str] = []

    def flush_text() -> None:
        if text:
            units.append(Unit("\n".join(text), "raw", page, extra))
            text.clear()

    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and len(cells[j]) >= 2:
            j += 1
        if j - i >= MIN_TABLE_ROWS:
            flush_text()
            table = Table.from_grid(_grid(cells[i:j], height), location={"page": page, **extra})
            if table.header:
                units.append(Unit(table.text, "table", page, extra, table=table))
            i = j
            continue
        for k in range(i, max(j, i + 1)):
            text.append(" ".join(t for _x, t in cells[k]))
        i = max(j, i + 1)
    flush_text()
    return units
