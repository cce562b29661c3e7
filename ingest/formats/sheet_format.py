"""Spreadsheets ``.xlsx``/``.xls``/``.ods`` (python-calamine) and ``.csv``: every sheet a table.

The file's name heads the text (it is the title unless a sidecar gives one); each
visible sheet becomes a heading (its name) and one table unit built by
``ingest.tables.Table.from_grid``: merged cells fill their range (calamine
reports the merged ranges of .xlsx), multi-row headers are joined into one
name per column, empty rows and columns are dropped. Every row is a location
of its own — ``{"row": 5, "sheet": "2023年标准"}`` — the sheet's own row number
(1-based), so a citation reads ``工作表“2023年标准”第5行``. A ``.csv`` is one
table; its rows are the file's line numbers (``第5行``), and its bytes are
decoded with the same strict detection as the text reports (UTF-8, GB18030...).

Limits: an .xlsx/.ods is a zip and passes the same declared-size checks as a
.docx before anything is inflated; at most ``MAX_SHEETS`` sheets and
``MAX_CELLS`` cells (a sheet's used range, checked before its cells are read).
"""
from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

from ..errors import IngestError
from ..loading import decode_bytes
from ..tables import Table
from .base import Extracted, Unit, reading, require_text
from .docx_format import check_zip

ZIPPED_SUFFIXES = (".xlsx", ".ods")
MAX_SHEETS = 50
MAX_CELLS = 500_000  # over all sheets, counted from each sheet's used range


def _too_many_cells(name: str, cells: int, limit: int) -> IngestError:
    return IngestError(f"表格过大：{name} 共约 {cells} 个单元格，上限 {limit} 个"
                       f"（请拆分后导入；too many cells）")


def _sheet_units(name: str, table: Table) -> list[Unit]:
    if not table.header:
        return []
    sheet = table.location.get("sheet")
    extra = {"sheet": sheet} if sheet else {}
    units = []
    if sheet:
        units.append(Unit(sheet, "heading", table.header_row, extra))
    units.extend(Unit(text, "para", n, extra) for n, text in table.captions)
    units.append(Unit(table.text, "table", table.header_row, extra, table.line_numbers, table))
    units.extend(Unit(text, "para", n, extra) for n, text in table.notes)
    return units


def extract_sheets(path: Path, max_cells: int = MAX_CELLS, max_sheets: int = MAX_SHEETS) -> Extracted:
    name = path.name
    if path.suffix.lower() in ZIPPED_SUFFIXES:
            check_zip(path, label="电子表格", hint="（.xlsx/.ods 应为 zip 格式）")
    with reading("电子表格", name, "spreadsheet"):
        from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

        book = CalamineWorkbook.from_path(str(path))
        # hidden sheets and chart sheets are not part of what the office published
        sheets = [m.name for m in book.sheets_metadata
                  if m.visible == SheetVisibleEnum.Visible and m.typ == SheetTypeEnum.WorkSheet]
        if len(book.sheet_names) > max_sheets:
            raise IngestError(f"工作表过多：{name} 共 {len(book.sheet_names)} 个工作表，上限 {max_sheets} 个"
                              f"（too many sheets）")
        units: list[Unit] = []
        cells = 0
        for sheet_name in sheets:
            sheet = book.get_sheet_by_name(sheet_name)
            cells += sheet.height * sheet.width
            if cells > max_cells:
                raise _too_many_cells(name, cells, max_cells)
            if not sheet.height:
                continue
            r0, c0 = sheet.start
            grid = sheet.to_python()
            merges = [(a[0] - r0, a[1] - c0, b[0] - r0, b[1] - c0)
                      for a, b in (sheet.merged_cell_ranges or ())]
            table = Table.from_grid(grid, merges, location={"sheet": sheet_name}, first_row=r0 + 1)
            units.extend(_sheet_units(name, table))
    require_text(units, name, "电子表格中没有数据；no cells with data")
    # the file's name heads the workbook (and is its title), as for a csv; each sheet's name follows
    first = units[0]
    units.insert(0, Unit(path.stem, "heading", first.number, dict(first.extra)))
    return Extracted(units, "row", path.suffix.lower().lstrip("."))


def extract_csv(data: bytes, name: str, max_cells: int = MAX_CELLS) -> Extracted:
    text, encoding = decode_bytes(data, name)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), dialect)
    grid: list[list[str]] = []
    lines: list[int] = []
    cells, line = 0, 1
    try:
        for record in reader:
            cells += len(record)
            if cells > max_cells:
                raise _too_many_cells(name, cells, max_cells)
            grid.append(record)
            lines.append(line)
            line = reader.line_num + 1
    except csv.Error as exc:
        raise IngestError(f"CSV 格式错误：{name} 第 {reader.line_num} 行（{exc}）") from None
    table = Table.from_grid(grid, first_row=1)
    if not table.header:
        raise IngestError(f"无可提取文字：{name}（CSV 中没有数据；no cells with data）")
    # records may span lines (a quoted cell with a newline): map grid rows to file lines
    by_row = dict(enumerate(lines, 1))
    table = dataclasses.replace(table, header_row=by_row[table.header_row],
                                row_numbers=tuple(by_row[n] for n in table.row_numbers),
                                captions=tuple((by_row[n], t) for n, t in table.captions),
                                notes=tuple((by_row[n], t) for n, t in table.notes))
    # a csv has no sheet name: its file name heads it (and is its title unless the file has one)
    units = [Unit(Path(name).stem, "heading", table.header_row), *_sheet_units(name, table)]
    return Extracted(units, "row", f"csv:{encoding}")
