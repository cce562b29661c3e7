"""Word, PDF and HTML sources, built at test time: text, offsets, page/paragraph numbers,
and the malformed cases (zip bomb, truncated, scanned, endless, encrypted PDF; script-laden HTML)."""
from __future__ import annotations

import time
import zipfile

import pytest

from ingest.errors import ConfigError, IngestError
from ingest.formats import Extracted, Locations, Unit, assemble, locate
from ingest.formats.docx_format import check_zip
from ingest.formats.pdf_format import default_timeout, extract_pdf
from ingest.pipeline import discover, process_file
from kb_samples import (make_docx, make_endless_pdf, make_html, make_pdf, make_scanned_pdf,
                        make_zip_bomb_docx)


def _consistent(ing) -> None:
    """Every chunk quotes the cleaned text at its offsets (what the UI highlight relies on)."""
    assert ing.chunks
    for c in ing.chunks:
        assert ing.document.text[c.start:c.end] == c.text


def _chunk_with(ing, needle: str):
    return next(c for c in ing.chunks if needle in c.text)


# -- .docx ----------------------------------------------------------------------------------

def test_docx_paragraphs_headings_table_and_paragraph_numbers(tmp_path):
    ing = process_file(make_docx(tmp_path / "焦作总结.docx"))
    doc = ing.document
    _consistent(ing)
    assert doc.encoding == "docx" and doc.meta.city == "焦作市" and doc.meta.year == 2021
    assert doc.meta.title == "焦作市民政局2021年工作总结"
    assert doc.locations["unit"] == "paragraph" and doc.locations["numbers"] == [1, 2, 3, 4, 5, 6]
    # paragraph 4 holds the standard, the table is paragraph 5, the last paragraph is 6
    assert _chunk_with(ing, "4524").meta["paragraph"] == 4
    table = _chunk_with(ing, "火化率")
    assert table.kind == "table" and table.meta["paragraph"] == 5 and "温县\t100%" in table.text
    assert _chunk_with(ing, "5880").meta["paragraph"] == 6
    # the heading is the chunk's section, not a chunk of its own
    assert _chunk_with(ing, "4524").heading == "一、社会救助"
    assert locate(doc.locations, doc.text.index("5880")) == {"paragraph": 6}


def test_docx_blank_paragraphs_are_not_counted_and_rare_characters_survive(tmp_path):
    p = make_docx(tmp_path / "rare.docx", [
        ("blank", ""), ("p", "郑州市惠济区民政局2016年为𠮷祥社区的堃喆两位老人发放高龄津贴每人每月100元。"),
        ("blank", ""), ("p", "惠济区城市低保标准为每人每月550元。")])
    ing = process_file(p)
    _consistent(ing)
    assert "𠮷祥社区的堃喆两位老人" in ing.document.text  # GB18030-only and GBK-only characters
    assert _chunk_with(ing, "550").meta["paragraph"] == 2
    assert ing.document.meta.city.startswith("郑州市")


def test_zip_bomb_docx_is_refused_by_its_declared_ratio(tmp_path):
    p = make_zip_bomb_docx(tmp_path / "bomb.docx", megabytes=64)
    assert p.stat().st_size < 1_000_000  # 64 MB of zeros in under 1 MB
    t0 = time.perf_counter()
    with pytest.raises(IngestError) as info:
        process_file(p)
    msg = str(info.value)
    assert "bomb.docx" in msg and "压缩炸弹" in msg and "100:1" in msg
    assert time.perf_counter() - t0 < 5  # refused from the directory, never inflated


def test_zip_declaring_too_much_in_total_is_refused(tmp_path):
    p = make_docx(tmp_path / "big.docx", [("p", "焦作市民政局。")])
    declared = sum(i.file_size for i in zipfile.ZipFile(p).infolist())
    with pytest.raises(IngestError) as info:
        check_zip(p, max_total=declared - 1)
    msg = str(info.value)
    assert "big.docx" in msg and str(declared - 1) in msg and "解压后过大" in msg
    check_zip(p, max_total=declared)  # at the limit: fine


@pytest.mark.parametrize("name, data, words", [
    ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "不是有效的 Word 文档"),
    ("text.docx", "焦作市民政局".encode("utf-8"), "不是有效的 Word 文档"),
])
def test_not_a_docx_is_an_error_naming_the_file(tmp_path, name, data, words):
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(IngestError) as info:
        process_file(p)
    assert name in str(info.value) and words in str(info.value)


def test_zip_without_a_document_part_is_an_error(tmp_path):
    p = tmp_path / "hollow.docx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(IngestError) as info:
        process_file(p)
    assert "hollow.docx" in str(info.value) and "Word" in str(info.value)


def test_docx_with_an_empty_body(tmp_path):
    p = make_docx(tmp_path / "empty.docx", [("blank", ""), ("blank", "")])
    with pytest.raises(IngestError) as info:
        process_file(p)
    assert "无可提取文字" in str(info.value) and "empty.docx" in str(info.value)


# -- .pdf -----------------------------------------------------------------------------------------

def test_pdf_pages_numbers_and_a_sentence_across_a_page_break(tmp_path):
    ing = process_file(make_pdf(tmp_path / "洛阳报告.pdf"))
    doc = ing.document
    _consistent(ing)
    assert doc.encoding == "pdf" and doc.meta.city == "洛阳市" and doc.meta.year == 2017
    assert doc.locations["unit"] == "page" and doc.locations["numbers"] == [1, 2, 3]
    # running page numbers are dropped; the wrapped lines are joined
    assert "- 1 -" not in doc.text and "第 3 页" not in doc.text
    assert "各项工作取得新进展。" in doc.text
    assert _chunk_with(ing, "1685").meta["page"] == 1
    orphans = _chunk_with(ing, "700元")
    assert orphans.meta["page"] == 2
    # "全市" ends page 2 and "共有孤儿2318名" starts page 3: one sentence, one block
    assert "全市共有孤儿2318名" in doc.text
    assert locate(doc.locations, doc.text.index("共有孤儿2318名")) == {"page": 3}
    assert locate(doc.locations, doc.text.index("1000元")) == {"page": 2}
    spanning = _chunk_with(ing, "2318")
    assert spanning.meta["page"] in (2, 3) and spanning.meta.get("page_end", spanning.meta["page"]) == 3
    assert _chunk_with(ing, "殡葬改革").meta["page"] == 3


@pytest.mark.slow  # the scan goes through OCR first
def test_scanned_pdf_is_an_error_not_an_empty_document(tmp_path):
    with pytest.raises(IngestError) as info:
        process_file(make_scanned_pdf(tmp_path / "扫描件.pdf"))
    msg = str(info.value)
    assert "无可提取文字" in msg and "扫描件.pdf" in msg and "OCR" in msg


@pytest.mark.parametrize("fraction", [0.5, 0.1])
def test_truncated_pdf_is_an_error_naming_the_file(tmp_path, fraction):
    good = make_pdf(tmp_path / "good.pdf").read_bytes()
    p = tmp_path / "cut.pdf"
    p.write_bytes(good[:int(len(good) * fraction)])
    with pytest.raises(IngestError) as info:
        process_file(p)
    assert "cut.pdf" in str(info.value)


def test_garbage_with_a_pdf_suffix(tmp_path):
    p = tmp_path / "fake.pdf"
    p.write_bytes("这不是PDF文件".encode("utf-8") * 10)
    with pytest.raises(IngestError) as info:
        process_file(p)
    assert "fake.pdf" in str(info.value) and "PDF" in str(info.value)


def test_endless_pdf_is_stopped_at_the_time_limit(tmp_path):
    p = make_endless_pdf(tmp_path / "endless.pdf")
    assert p.stat().st_size < 200_000
    t0 = time.perf_counter()
    with pytest.raises(IngestError) as info:
        extract_pdf(p, timeout=2)
    elapsed = time.perf_counter() - t0
    msg = str(info.value)
    assert "endless.pdf" in msg and "超时" in msg and "2 秒" in msg
    assert elapsed < 10  # the child was killed, not waited for


def test_pdf_time_limit_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CIVILQA_PDF_TIMEOUT", "1.5")
    assert default_timeout() == 1.5
    with pytest.raises(IngestError, match="1.5 秒"):
        process_file(make_endless_pdf(tmp_path / "endless.pdf"))
    for bad in ("0", "-3", "abc"):
        monkeypatch.setenv("CIVILQA_PDF_TIMEOUT", bad)
        with pytest.raises(ConfigError, match="CIVILQA_PDF_TIMEOUT"):
            default_timeout()


def test_pdf_page_limit(tmp_path):
    p = make_pdf(tmp_path / "long.pdf")
    with pytest.raises(IngestError) as info:
        extract_pdf(p, max_pages=2)
    msg = str(info.value)
    assert "long.pdf" in msg and "3 页" in msg and "上限 2 页" in msg
    assert len(extract_pdf(p, max_pages=3).units) == 3


def test_encrypted_pdf_is_an_error(tmp_path):
    from reportlab.lib import pdfencrypt

    from kb_samples import pdf_canvas

    p = tmp_path / "secret.pdf"
    c = pdf_canvas(p)
    c.setEncrypt(pdfencrypt.StandardEncryption("user-pw", canPrint=0))
    c.setFont("STSong-Light", 12)
    c.drawString(50, 800, "焦作市农村低保标准4524元。")
    c.showPage()
    c.save()
    with pytest.raises(IngestError) as info:
        process_file(p)
    assert "secret.pdf" in str(info.value) and "加密" in str(info.value)


# -- .html ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("charset, encoding", [("utf-8", "utf-8"), ("gb2312", "gb18030"), ("GBK", "gbk")])
def test_html_main_text_only(tmp_path, charset, encoding):
    ing = process_file(make_html(tmp_path / "page.html", charset, encoding))
    doc = ing.document
    _consistent(ing)
    assert doc.encoding == f"html:{'gb18030' if charset.lower() in ('gb2312', 'gbk') else 'utf-8'}"
    for noise in ("9999", "8888", "7777", "6666", "网站", "首页", "版权所有", "相关阅读", "color"):
        assert noise not in doc.text, noise
    assert doc.meta.city == "漯河市" and doc.meta.year == 2020 and doc.meta.title == "漯河市2020年民政工作总结"
    # whitespace collapses like a browser's: the hard-wrapped <p> is one sentence again
    assert "农村低保金提高到每人每年4560元" in doc.text
    assert "全市共有特困人员5200人，其中集中供养1200人。" in doc.text
    table = _chunk_with(ing, "源汇区")
    assert table.kind == "table" and "县区\t低保人数" in table.text
    assert doc.locations is None


def test_html_without_article_keeps_the_body_but_not_the_chrome(tmp_path):
    p = tmp_path / "plain.htm"
    p.write_text("<html><body><nav>导航 首页</nav><h1>温县民政工作</h1>"
                 "<p>温县2021年火化率达到100%，殡葬改革<br>稳步推进。</p><li>第一项<li>第二项"
                 "<footer>联系我们</footer></body></html>", encoding="utf-8")
    ing = process_file(p)
    assert "导航" not in ing.document.text and "联系我们" not in ing.document.text
    assert "温县2021年火化率达到100%" in ing.document.text and "第一项" in ing.document.text
    # a page about 温县 is filed under 温县, with 焦作市 in its parent chain
    assert ing.document.meta.city == "焦作市温县"
    assert ing.document.meta.region_parents == ("河南省", "焦作市")


def test_page_furniture_marked_by_class_or_id_is_dropped_and_the_release_date_kept(tmp_path):
    # government sites mark breadcrumbs and footers with classes, not <nav>/<footer>
    p = tmp_path / "page.html"
    p.write_text("<html><body><div class='bread-crumb'>首页 &gt; 政务公开</div>"
                 "<div id='topNav'>网站导航</div><h1>某市惠民殡葬政策</h1>"
                 "<p>来源：某市民政局　发布时间：2025-02-20</p>"
                 "<div class='content'><p>减免标准为每具遗体最高1200元。</p></div>"
                 "<div class='footer-copyright'>版权所有</div></body></html>", encoding="utf-8")
    ing = process_file(p)
    text = ing.document.text
    assert "首页" not in text and "网站导航" not in text and "版权所有" not in text
    assert "最高1200元" in text
    assert ing.document.meta.title == "某市惠民殡葬政策"
    assert ing.document.meta.issued == "2025-02-20" and ing.document.meta.year == 2025


def test_html_with_only_scripts_is_an_error(tmp_path):
    p = tmp_path / "app.html"
    p.write_text("<html><head><script>var a='焦作市低保4524元'</script></head><body>"
                 "<nav>首页</nav><script>render()</script></body></html>", encoding="utf-8")
    with pytest.raises(IngestError) as info:
        process_file(p)
    assert "无可提取文字" in str(info.value) and "app.html" in str(info.value)


def test_html_with_a_wrong_charset_declaration_falls_back_to_detection(tmp_path):
    p = tmp_path / "liar.html"
    p.write_bytes('<meta charset="utf-8"><p>漯河市农村低保金提高到每人每年4560元。</p>'.encode("gb18030"))
    ing = process_file(p)
    assert "4560元" in ing.document.text and ing.document.encoding == "html:gb18030"


# -- plain text still works, the folder scan finds every format -----------------------------------------

def test_gb18030_text_with_four_byte_characters(tmp_path):
    p = tmp_path / "gb.txt"
    p.write_bytes("焦作市民政局\n\n𠮷祥村2021年农村低保标准为每人每年4524元。".encode("gb18030"))
    ing = process_file(p)
    assert ing.document.encoding == "gb18030" and "𠮷祥村" in ing.document.text
    assert ing.document.locations is None and "page" not in ing.chunks[0].meta


def test_discover_finds_every_supported_format(tmp_path):
    make_docx(tmp_path / "a.docx")
    make_pdf(tmp_path / "b.pdf")
    make_html(tmp_path / "c.html")
    (tmp_path / "d.htm").write_text("<p>正文。</p>", encoding="utf-8")
    (tmp_path / "e.txt").write_text("正文。", encoding="utf-8")
    (tmp_path / "f.doc").write_bytes(b"\xd0\xcf\x11\xe0")  # found: .doc is read through LibreOffice
    (tmp_path / "g.key").write_bytes(b"PK\x03\x04")  # not a supported type: left out
    assert [p.name for p in discover([tmp_path])] == ["a.docx", "b.pdf", "c.html", "d.htm", "e.txt", "f.doc"]


# -- assembling units ----------------------------------------------------------------------------------

def test_locations_lookup():
    loc = Locations("page", [0, 10, 25], [1, 2, 4])
    assert [loc.at(x) for x in (0, 9, 10, 24, 25, 999)] == [1, 1, 2, 2, 4, 4]
    assert Locations.from_dict(loc.to_dict()) == loc
    assert locate(None, 5) == {} and locate({"unit": "chapter"}, 5) == {}


def test_assemble_joins_a_run_on_paragraph_only_across_pages():
    long = "第二段是一个很长的段落，写到页面底部的时候还没有说完这一句话就到了"
    pages = [Unit("第一段。\n\n" + long, "raw", 1), Unit("下一页才继续。", "raw", 2),
             Unit("短的开头，", "raw", 3), Unit("接着说完。", "raw", 4), Unit("二、新的标题", "raw", 5),
             Unit("正文从这里开始。", "raw", 6)]
    text, blocks, loc = assemble(Extracted(pages, "page", "pdf", join_across_units=True))
    assert text == f"第一段。\n\n{long}下一页才继续。\n\n短的开头，接着说完。\n\n二、新的标题\n\n正文从这里开始。"
    assert [text[b.start:b.end] for b in blocks] == [
        "第一段。", long + "下一页才继续。", "短的开头，接着说完。", "二、新的标题", "正文从这里开始。"]
    assert [b.kind for b in blocks] == ["text", "text", "text", "heading", "text"]
    assert loc.at(text.index("下一页")) == 2 and loc.at(text.index("第二段")) == 1
    assert loc.at(text.index("接着")) == 4 and loc.at(text.index("正文")) == 6
    # docx paragraphs are never joined, even without final punctuation
    paras = [Unit(long, "para", 1), Unit("下一页才继续。", "para", 2)]
    text, blocks, _ = assemble(Extracted(paras, "paragraph", "docx"))
    assert text == f"{long}\n\n下一页才继续。" and len(blocks) == 2


def test_html_list_items_are_in_the_chunks_however_short(tmp_path):
    # a guide's materials as <li>, some without any punctuation: none may vanish as a "heading"
    page = ("<html><head><meta charset='utf-8'><title>某县孤儿基本生活费办事指南</title></head><body>"
            "<h1>某县孤儿基本生活费办事指南</h1><h2>申请材料</h2><ul><li>申请书；</li><li>户口簿；</li>"
            "<li>监护人身份证明。</li></ul><h2>办理流程</h2><ol><li>提出申请</li><li>乡镇审核</li>"
            "<li>县民政局审批</li></ol><p>县民政局自受理之日起20个工作日内作出决定。</p></body></html>")
    f = tmp_path / "zhinan.html"
    f.write_text(page, encoding="utf-8")
    chunks = process_file(f, {}).chunks
    for item in ("申请书", "户口簿", "监护人身份证明", "提出申请", "乡镇审核", "县民政局审批"):
        assert any(item in c.text for c in chunks), item


def test_word_list_paragraphs_are_in_the_chunks_however_short(tmp_path):
    import docx

    d = docx.Document()
    d.add_heading("某县孤儿基本生活费办事指南", level=1)
    d.add_heading("办理流程", level=2)
    for step in ("提出申请", "乡镇审核", "县民政局审批"):
        d.add_paragraph(step, style="List Number")
    d.add_paragraph("县民政局自受理之日起20个工作日内作出决定。")
    d.save(str(tmp_path / "zhinan.docx"))
    chunks = process_file(tmp_path / "zhinan.docx", {}).chunks
    for step in ("提出申请", "乡镇审核", "县民政局审批"):
        assert any(step in c.text for c in chunks), step
