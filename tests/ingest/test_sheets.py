"""Spreadsheets and csv, built at test time: every sheet a table, rows located and cited."""
from __future__ import annotations


import pytest

from assistant.types import location_label
from ingest.errors import IngestError
from ingest.formats import locate
from ingest.formats.sheet_format import extract_sheets
from ingest.pipeline import process_file
from format_samples import refused, add_zip_padding, CSV_ROWS, SHEET_HEADER, SHEET_TITLE, make_csv, make_xlsx


def test_xlsx_sheets_merged_headers_rows_and_locations(tmp_path):
    ing = process_file(make_xlsx(tmp_path / "焦作低保标准.xlsx"))
    doc = ing.document
    assert doc.encoding == "xlsx" and doc.locations["unit"] == "row"
    for c in ing.chunks:
        assert doc.text[c.start:c.end] == c.text
    tables = [c for c in ing.chunks if c.kind == "table"]
    assert [c.meta["sheet"] for c in tables] == ["2023年标准", "2022年标准"]  # the hidden sheet is not read
    t2023 = tables[0]
    lines = t2023.text.split("\n")
    assert tuple(lines[0].split("\t")) == SHEET_HEADER  # merged 2-row header, empty column F and 备注 dropped
    assert lines[2].split("\t") == ["温县", "689", "1544", "5388", "3975"]
    assert len(lines) == 5  # header + 4 counties: the empty row is gone
    # the title row above the table is its heading (the sheet name is the heading above it)
    assert t2023.heading == SHEET_TITLE and t2023.meta["row"] == 2 and t2023.meta["row_end"] == 8
    # each row is located on its own: 温县 is on row 5, 博爱县 on row 7 (row 6 is empty)
    assert locate(doc.locations, doc.text.index("温县\t689")) == {"row": 5, "sheet": "2023年标准"}
    assert locate(doc.locations, doc.text.index("博爱县\t665")) == {"row": 7, "sheet": "2023年标准"}
    assert locate(doc.locations, doc.text.index("温县\t662")) == {"row": 3, "sheet": "2022年标准"}
    assert location_label(locate(doc.locations, doc.text.index("温县\t689"))) == "工作表“2023年标准”第5行"
    # the title and the note are text of the sheet, not rows of the table
    assert SHEET_TITLE in doc.text and "注：标准自2023年7月1日起执行。" in doc.text
    assert "不应读入" not in doc.text
    assert doc.meta.city == "焦作市" and doc.meta.year == 2023 and doc.meta.title == "焦作低保标准"


def test_structured_table_comes_with_the_units(tmp_path):
    units = extract_sheets(make_xlsx(tmp_path / "s.xlsx")).units
    table = next(u.table for u in units if u.kind == "table")
    assert table.header == SHEET_HEADER and table.location == {"sheet": "2023年标准"}
    assert table.row_numbers == (4, 5, 7, 8) and table.header_row == 2
    assert dict(zip(table.column("县区"), table.column("农村低保年标准（元）")))["温县"] == "5388"


def test_csv_in_gb18030_with_a_cell_over_two_lines(tmp_path):
    ing = process_file(make_csv(tmp_path / "特困人数.csv"))
    doc = ing.document
    assert doc.encoding == "csv:gb18030"
    table = next(c for c in ing.chunks if c.kind == "table")
    assert table.text.split("\n")[0] == "\t".join(CSV_ROWS[0])
    assert "温县\t388\t含分散供养，按季度发放" in table.text  # no space between Han text
    # file lines: the header is line 1; 温县's record starts on line 3 and ends on 4, so 博爱县 is line 5
    assert locate(doc.locations, doc.text.index("温县")) == {"row": 3}
    assert locate(doc.locations, doc.text.index("博爱县")) == {"row": 5}
    assert location_label({"row": 5}) == "第5行"
    assert doc.meta.title == "特困人数"  # the file's name heads a csv (it has no sheet names)


def test_csv_that_no_encoding_decodes_is_refused_by_name(tmp_path):
    p = tmp_path / "坏.csv"
    p.write_bytes("县区,人数\n温县,3\n".encode("utf-8") + b"\xff\xfe\x81")
    refused(p)


def test_xlsx_zip_bomb_damaged_file_and_cell_limit(tmp_path):
    bomb = make_xlsx(tmp_path / "bomb.xlsx")
    add_zip_padding(bomb, "xl/media/padding.bin", megabytes=8)
    refused(bomb, "电子表格压缩比异常")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(make_xlsx(tmp_path / "ok.xlsx").read_bytes()[:3000])
    refused(broken, "电子表格")
    with pytest.raises(IngestError) as info:
        extract_sheets(tmp_path / "ok.xlsx", max_cells=20)
    assert "ok.xlsx" in str(info.value) and "上限 20 个" in str(info.value)


def test_pdf_table_keeps_its_rows_and_columns(tmp_path):
    from format_samples import PDF_TABLE, make_pdf_with_table

    ing = process_file(make_pdf_with_table(tmp_path / "洛阳人数.pdf"))
    doc = ing.document
    table = next(c for c in ing.chunks if c.kind == "table")
    assert table.text.split("\n") == ["\t".join(r) for r in PDF_TABLE]
    assert table.meta["page"] == 1
    text = doc.text
    assert text.index("统计如下") < text.index("孟津区") < text.index("截至2022年12月底")
    assert "- 1 -" not in text


def test_docx_table_with_a_merged_two_row_header_is_one_table_type(tmp_path):
    import docx

    from ingest.formats.docx_format import extract_docx

    d = docx.Document()
    d.add_paragraph("焦作市2023年各县低保标准如下。")
    t = d.add_table(rows=4, cols=3)
    t.cell(0, 0).merge(t.cell(1, 0)).text = "县区"
    t.cell(0, 1).merge(t.cell(0, 2)).text = "低保标准"
    t.cell(1, 1).text, t.cell(1, 2).text = "城市", "农村"
    for i, row in enumerate([("温县", "689", "5388"), ("修武县", "672", "5316")], 2):
        for j, v in enumerate(row):
            t.cell(i, j).text = v
    d.save(str(tmp_path / "t.docx"))
    unit = next(u for u in extract_docx(tmp_path / "t.docx").units if u.kind == "table")
    assert unit.table.header == ("县区", "低保标准城市", "低保标准农村")
    assert unit.table.rows == (("温县", "689", "5388"), ("修武县", "672", "5316"))
    assert unit.table.location == {"paragraph": 2} and unit.number == 2
    assert unit.text.split("\n")[1] == "温县\t689\t5388"


def test_a_long_sheet_is_cut_between_rows_and_every_part_keeps_the_header(tmp_path):
    import openpyxl

    from ingest.tables import Table

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "村级名单"
    ws.append(["村名", "低保户数", "特困人数"])
    for i in range(300):
        ws.append([f"第{i + 1}村", 10 + i, i % 7])
    wb.save(str(tmp_path / "村.xlsx"))
    ing = process_file(tmp_path / "村.xlsx")
    parts = [c for c in ing.chunks if c.kind == "table"]
    assert len(parts) > 3 and all(len(c.text) <= 1000 for c in parts)
    assert "table_header" not in parts[0].meta
    rows = []
    for c in parts:
        assert ing.document.text[c.start:c.end] == c.text
        t = Table.from_text(c.text) if c is parts[0] else Table.from_text(c.meta["table_header"] + "\n" + c.text)
        assert t.header == ("村名", "低保户数", "特困人数")
        rows.extend(t.rows)
    assert len(rows) == 300 and rows[149] == ("第150村", "159", str(149 % 7))
    later = parts[2]
    assert "村名 低保户数 特困人数" in later.context  # found by what its columns are
    assert later.meta["row"] == int(later.text.split("\t")[0][1:-1]) + 1  # 第N村 sits on row N+1


def test_ods_group_header_and_rows(tmp_path):
    from format_samples import make_ods

    ing = process_file(make_ods(tmp_path / "标准.ods"))
    doc = ing.document
    table = next(c for c in ing.chunks if c.kind == "table")
    assert doc.encoding == "ods" and table.meta["sheet"] == "2023年标准"
    lines = table.text.split("\n")
    assert lines[0] == "县区\t城市低保月标准（元）\t城市低保保障人数"
    assert lines[2] == "温县\t689\t1544"
    assert locate(doc.locations, doc.text.index("温县")) == {"row": 4, "sheet": "2023年标准"}


def test_a_table_chunk_reads_back_as_a_table_with_each_rows_place(tmp_path):
    from ingest.tables import Table

    ing = process_file(make_xlsx(tmp_path / "焦作低保标准.xlsx"))
    doc = ing.document
    chunk = next(c for c in ing.chunks if c.kind == "table")
    t = Table.from_chunk(chunk.text, chunk.start, chunk.meta, doc.locations)
    assert t.header == SHEET_HEADER and t.location == {"sheet": "2023年标准"}
    i = t.column("县区").index("温县")
    assert t.row_location(i) == {"row": 5, "sheet": "2023年标准"}
    s, e = t.row_spans[i]
    assert doc.text[s:e] == "温县\t689\t1544\t5388\t3975"
    assert location_label(locate(doc.locations, s)) == "工作表“2023年标准”第5行"
    pdf = Table.from_chunk("县区\t人数\n温县\t3", 100, {"page": 2}, {"unit": "page", "starts": [0, 90],
                                                                       "numbers": [1, 2]})
    assert pdf.location == {"page": 2} and pdf.row_location(0) == {"page": 2} and pdf.row_spans == ((106, 110),)
