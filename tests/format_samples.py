"""Builders for the office formats of issue 17, made at test time: a workbook with a title row,
merged two-row headers, an empty column and row, a note and two sheets (openpyxl), a GB18030
csv, a scanned-looking page rendered from text (Pillow, rotated, noisy), an OFD package.

Not a test module: imported by tests/ingest/test_sheets.py, test_ocr.py, test_ofd.py and
tests/assistant/test_office_formats.py.
"""
from __future__ import annotations

from pathlib import Path

# 焦作 (2023) standards by county: row 5 of sheet 2023年标准 is 温县
SHEET_TITLE = "焦作市2023年各县（市、区）城乡低保标准"
COUNTIES_2023 = [  # county, urban monthly, urban recipients, rural yearly, rural recipients
    ("修武县", 672, 1830, 5316, 4120),
    ("温县", 689, 1544, 5388, 3975),
    ("博爱县", 665, 1702, 5290, 4433),
    ("武陟县", 681, 2210, 5352, 6021),
]
COUNTIES_2022 = [("修武县", 650), ("温县", 662), ("博爱县", 640)]
SHEET_HEADER = ("县区", "城市低保月标准（元）", "城市低保保障人数", "农村低保年标准（元）", "农村低保保障人数")


def make_xlsx(path: Path) -> Path:
    """Sheet 2023年标准: row 1 a title merged across, rows 2–3 the header (县区 merged down,
    城市低保 / 农村低保 merged across), an empty column F, data from row 4 with an empty row 6
    (so 温县 is row 5, 博爱县 row 7), a note below. Sheet 2022年标准: a plain table."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2023年标准"
    ws["A1"] = SHEET_TITLE
    ws.merge_cells("A1:G1")
    ws["A2"] = "县区"
    ws.merge_cells("A2:A3")
    ws["B2"] = "城市低保"
    ws.merge_cells("B2:C2")
    ws["D2"] = "农村低保"
    ws.merge_cells("D2:E2")
    ws["B3"], ws["C3"], ws["D3"], ws["E3"] = "月标准（元）", "保障人数", "年标准（元）", "保障人数"
    ws["G2"] = "备注"
    ws.merge_cells("G2:G3")
    row = 4
    for i, (county, um, un, ry, rn) in enumerate(COUNTIES_2023):
        if i == 2:
            row += 1  # an empty row between the counties
        ws.cell(row, 1, county)
        ws.cell(row, 2, um)
        ws.cell(row, 3, un)
        ws.cell(row, 4, float(ry))  # a float that is a whole number reads as 5290, not 5290.0
        ws.cell(row, 5, rn)
        row += 1
    ws.cell(row + 1, 1, "注：标准自2023年7月1日起执行。")
    old = wb.create_sheet("2022年标准")
    old.append(["县区", "城市低保月标准（元）"])
    for county, um in COUNTIES_2022:
        old.append([county, um])
    hidden = wb.create_sheet("隐藏")
    hidden.append(["县区", "不应读入"])
    hidden.append(["温县", 1])
    hidden.sheet_state = "hidden"
    wb.save(str(path))
    return path


CSV_ROWS = [
    ["县区", "特困供养人数", "说明"],
    ["修武县", "412", "集中供养"],
    ["温县", "388", "含分散供养，\n按季度发放"],  # a quoted cell over two lines
    ["博爱县", "405", ""],
]


def make_csv(path: Path, encoding: str = "gb18030") -> Path:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(CSV_ROWS)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path
