"""OCR (rapidocr-onnxruntime in a child process) on pages rendered at test time from text and
made scanned-looking: a picture, a scanned PDF page beside a text page, the limits."""
from __future__ import annotations


from assistant.types import location_label
from ingest.formats import locate, ocr
from ingest.pipeline import process_file
from format_samples import refused, SCAN_LINES, make_scan_png, make_scanned_image_pdf, render_scan

from PIL import Image


def _accuracy(truth: str, got: str) -> float:
    import difflib

    t, g = "".join(truth.split()), "".join(got.split())
    return difflib.SequenceMatcher(None, t, g, autojunk=False).ratio()


def test_scanned_picture_is_read_with_its_table_and_cited_as_ocr(tmp_path):
    ing = process_file(make_scan_png(tmp_path / "通知扫描.png"))
    doc = ing.document
    assert doc.encoding == "ocr" and ing.problems == ()
    text = doc.text[:doc.text.index("县区\t")]  # the notice above its table
    assert _accuracy("".join(SCAN_LINES), text) > 0.97
    # the cleaner joins the hard-wrapped lines of the notice into one sentence
    assert "每人每月706元，农村低保标准提高到每人每年5520元。" in text
    assert "706元" in doc.text and "5520元" in doc.text  # figures survive, for grounding
    at = locate(doc.locations, doc.text.index("5520"))
    assert at == {"page": 1, "ocr": True} and location_label(at) == "第1页（文字识别）"
    table = next(c for c in ing.chunks if c.kind == "table")
    assert table.text.split("\n") == ["县区\t特困供养人数", "温县\t388", "修武县\t412"]
    assert table.meta["ocr"] is True and doc.meta.city == "焦作市"


def test_pdf_with_a_text_page_and_a_scanned_page_is_read_page_by_page(tmp_path):
    scan = render_scan(SCAN_LINES, table=None)
    blank = Image.new("L", scan.size, 255)
    p = make_scanned_image_pdf(tmp_path / "混合.pdf", [blank, scan],
                               text_pages={0: ["焦作市民政局2023年工作要点", "全市养老机构床位达到9120张。"]})
    ing = process_file(p)
    doc = ing.document
    assert doc.encoding == "pdf+ocr"
    assert locate(doc.locations, doc.text.index("9120")) == {"page": 1}
    assert locate(doc.locations, doc.text.index("5520")) == {"page": 2, "ocr": True}


def test_ocr_time_limit_names_the_pages_and_missing_engine_names_the_package(tmp_path, monkeypatch):
    scan = render_scan(SCAN_LINES[:2])
    p = make_scanned_image_pdf(tmp_path / "慢.pdf", [scan, scan])
    read, failed = ocr.run_ocr(p, "pdf", [1, 2], timeout=0.5)  # killed while loading its models
    assert read == {} and failed == {1: "识别超时（0.5 秒）", 2: "识别超时（0.5 秒）"}
    monkeypatch.setattr(ocr, "available", lambda: False)
    refused(p, "rapidocr-onnxruntime")
    refused(make_scan_png(tmp_path / "图.png"), "rapidocr-onnxruntime")


def test_an_image_that_is_not_one_is_refused_by_name(tmp_path):
    p = tmp_path / "坏图.jpg"
    p.write_bytes(b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 10)
    refused(p)


def test_a_page_ocr_cannot_read_is_named_and_the_others_are_kept(tmp_path, monkeypatch, embedder):
    from index.builder import build_index

    monkeypatch.setattr(ocr, "MAX_PIXELS", 3_000_000)
    page1 = Image.open(make_scan_png(tmp_path / "p1.png"))  # 1654 x 1040: under the limit
    page2 = Image.new("L", (2000, 2000), 255)  # 4 megapixels: over it
    p = tmp_path / "两页.tif"
    page1.save(p, save_all=True, append_images=[page2])
    report = build_index([p], tmp_path / "idx", embedder)  # one OCR run: the ingest report says it
    assert report.errors == ["部分内容未能读入：两页.tif（第2页页面过大）"] and report.added == ["两页.tif"]
    assert "5520" in report.documents[0].text
