"""The office formats end to end: `civilqa ingest` of a workbook, a scanned notice (a picture),
a GB18030 csv and an OFD, made at test time; `civilqa ask` answers from the scan and cites
第1页（文字识别）; a county's figure is answered from its row of the workbook (the answer layer's
table cells), cited by sheet and row (工作表“2023年标准”第5行)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.types import location_label
from ingest.formats import locate
from format_samples import make_csv, make_ofd, make_scan_png, make_xlsx

CLI = [sys.executable, "-m", "ui"]


def run(args, env, timeout=600):
    return subprocess.run(CLI + args, env=env, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    base = tmp_path_factory.mktemp("office")
    src = base / "src"
    src.mkdir()
    make_xlsx(src / "焦作低保标准.xlsx")
    make_scan_png(src / "低保通知扫描.png")
    make_csv(src / "特困人数.csv")
    make_ofd(src / "洛阳通知.ofd")
    env = dict(os.environ, CIVILQA_INDEX_DIR=str(base / "idx"), CIVILQA_LIBRARY_DIR=str(base / "lib"),
               CIVILQA_SEEDS_DIR=str(src), COLUMNS="200")
    p = run(["ingest", str(src)], env)
    assert p.returncode == 0, p.stderr[-3000:]
    assert "新增 4、更新 0、未变 0、删除 0 个文件" in p.stdout
    return base, env


def test_list_shows_formats_sheets_and_ocr(office):
    _, env = office
    rows = {r["source"]: r for r in json.loads(run(["list", "--json"], env).stdout)}
    assert rows["焦作低保标准.xlsx"]["format"] == "xlsx" and rows["焦作低保标准.xlsx"]["sheets"] == 2
    assert rows["低保通知扫描.png"]["format"] == "png" and rows["低保通知扫描.png"]["ocr_pages"] == [1]
    assert rows["洛阳通知.ofd"]["pages"] == 2 and rows["特困人数.csv"]["rows"] == 4  # header + 3 records (lines 1, 2, 3, 5)
    table = run(["list"], env).stdout
    assert "png+OCR" in table and "2个工作表" in table


def test_ask_answers_from_the_scanned_notice_citing_the_ocr_page(office):
    _, env = office
    p = run(["ask", "--json", "焦作市2023年农村低保标准是多少？"], env)
    assert p.returncode == 0, p.stderr[-2000:]
    out = json.loads(p.stdout)
    assert "5520" in out["answer"] and out["answerable"]
    c = out["citations"][0]
    assert c["source"] == "低保通知扫描.png" and c["page"] == 1 and c["ocr"] is True
    assert "5520" in c["text"]
    p = run(["ask", "焦作市2023年农村低保标准是多少？"], env)
    assert "（焦作市，2023年，第1页（文字识别））" in p.stdout and "文件 低保通知扫描.png，第" in p.stdout, p.stdout


def test_county_row_of_the_workbook_is_answered_and_cited_by_sheet_and_row(office, embedder):
    from assistant.chain import Assistant

    base, _ = office
    a = Assistant(base / "idx", embedder)
    ans = a.ask("温县2023年城市低保月标准是多少？")
    top = ans.retrieved[0]
    assert top.source == "焦作低保标准.xlsx" and top.kind == "table" and top.meta["sheet"] == "2023年标准"
    row = next(ln for ln in top.text.split("\n") if ln.startswith("温县\t"))
    assert row.split("\t")[1] == "689"
    doc = a.index.documents["焦作低保标准.xlsx"]
    where = locate(doc.get("locations"), top.start + top.text.index(row))
    assert where == {"row": 5, "sheet": "2023年标准"} and location_label(where) == "工作表“2023年标准”第5行"
    # and the answer layer picks that cell, cited by its sheet and row
    assert ans.answerable and "温县" in ans.answer and "689元" in ans.answer, ans.answer
    c = ans.citations[0]
    assert (c.source, c.sheet, c.row) == ("焦作低保标准.xlsx", "2023年标准", 5) and "689" in c.text
    # the OFD notice answers its own figure, cited by page
    ofd = a.ask("洛阳市农村低保标准是多少？")
    assert "5328" in ofd.answer and ofd.citations[0].source == "洛阳通知.ofd" and ofd.citations[0].page == 1
