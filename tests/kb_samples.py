"""Builders for the knowledge-base tests: real .docx (python-docx), .pdf (reportlab, with
its built-in Adobe CJK font STSong-Light, so no font file is needed) and .html files,
made at test time, plus the malformed cases (zip bomb, truncated, scanned, endless PDF).

Not a test module: imported by tests/ingest/test_formats.py, tests/index/test_incremental.py,
tests/assistant/test_kb_cli.py and tests/ui/test_kb_tab.py.
"""
from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

# 焦作 (2021) in Word: paragraph 4 holds the rural standard, the table is paragraph 5
DOCX_ITEMS = [
    ("h1", "焦作市民政局2021年工作总结"),
    ("p", "2021年，焦作市民政局认真贯彻落实各项民生政策，兜牢基本民生保障底线。"),
    ("h2", "一、社会救助"),
    ("p", "焦作市农村最低生活保障年标准提高到每人每年4524元，城市低保月标准为每人每月600元。"),
    ("table", [["县区", "火化率"], ["温县", "100%"], ["武陟县", "98.5%"]]),
    ("p", "全市特困供养人员3000人，分散供养标准为每人每年5880元。"),
]

# 洛阳 (2017) as a PDF: the orphan standard is on page 2, a sentence runs on to page 3
PDF_PAGES = [
    ["洛阳市民政局2017年工作报告", "2017年，洛阳市民政局围绕中心、服务大局，各项工作取得", "新进展。全市新增养老床位1685张。", "- 1 -"],
    ["二、儿童福利", "洛阳市散居孤儿基本生活保障标准提高到每人每月700元，", "机构养育孤儿提高到每人每月1000元。全市", "- 2 -"],
    ["共有孤儿2318名，均纳入保障范围。", "三、社会事务", "全市殡葬改革稳步推进，火化率达到百分之九十。", "第 3 页"],
]

# 漯河 (2020) as a web page with navigation, script and footer noise around the article
HTML_PAGE = """<!DOCTYPE html><html><head><meta charset="{charset}"><title>漯河市民政局</title>
<style>p {{ color: red }}</style><script>var fake = "漯河市农村低保标准 9999元";</script></head>
<body><header><h1>漯河市民政局网站</h1></header>
<nav><a href="/">首页</a> <a href="/gk">政务公开</a> 农村低保 8888元</nav>
<div class="content"><article>
<h2>漯河市2020年民政工作总结</h2>
<p>2020年，漯河市农村低保金
提高到每人每年4560元，城市低保金提高到每人每月630元。</p>
<p>全市共有特困人员<b>5200</b>人&nbsp;，其中集中供养1200人。
<table><tr><th>县区<th>低保人数<tr><td>源汇区<td>3200</table>
<div hidden>隐藏的文字 7777元</div>
<script>document.write("脚本里的 6666元")</script>
</article></div>
<aside>相关阅读：洛阳市养老服务</aside>
<footer>版权所有 漯河市民政局 备案号 12345</footer>
</body></html>
"""


def make_docx(path: Path, items=DOCX_ITEMS) -> Path:
    import docx

    d = docx.Document()
    for kind, content in items:
        if kind == "h1":
            d.add_heading(content, level=1)
        elif kind == "h2":
            d.add_heading(content, level=2)
        elif kind == "table":
            t = d.add_table(rows=len(content), cols=len(content[0]))
            for i, row in enumerate(content):
                for j, cell in enumerate(row):
                    t.cell(i, j).text = cell
        elif kind == "blank":
            d.add_paragraph("")
        else:
            d.add_paragraph(content)
    d.save(str(path))
    return path


def pdf_canvas(path: Path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return canvas.Canvas(str(path))


def make_pdf(path: Path, pages=PDF_PAGES) -> Path:
    c = pdf_canvas(path)
    for lines in pages:
        c.setFont("STSong-Light", 12)
        y = 800
        for line in lines:
            c.drawString(50, y, line)
            y -= 20
        c.showPage()
    c.save()
    return path


def make_scanned_pdf(path: Path, pages: int = 1) -> Path:
    """What a scanner produces as far as text goes: pages of pictures, no text layer. One page by
    default: OCR reads each page (~10 s a page at load 17), and a second picture page checked
    nothing the first does not."""
    c = pdf_canvas(path)
    for _ in range(pages):
        for i in range(40):  # "scanned lines": filled strips, no text operators
            c.rect(50, 780 - i * 18, 300 + (i * 37) % 200, 10, fill=1, stroke=0)
        c.showPage()
    c.save()
    return path


def make_endless_pdf(path: Path, operators: int = 3_000_000) -> Path:
    """A valid, tiny PDF whose single page holds millions of text operators (a few KB
    compressed): extracting it takes far longer than any sane time limit."""
    content = zlib.compress(b"BT /F1 12 Tf " + b"(x) Tj 0 0 Td " * operators + b"ET", 9)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def make_zip_bomb_docx(path: Path, megabytes: int = 64) -> Path:
    """A .docx whose document part inflates to ``megabytes`` MB of zeros (ratio ~1000:1)."""
    make_docx(path, [("p", "焦作市民政局。")])
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        with zf.open("word/media/padding.bin", "w", force_zip64=True) as f:
            block = b"\x00" * (1 << 20)
            for _ in range(megabytes):
                f.write(block)
    return path


def make_html(path: Path, charset: str = "utf-8", encoding: str = "utf-8") -> Path:
    path.write_bytes(HTML_PAGE.format(charset=charset).encode(encoding))
    return path
