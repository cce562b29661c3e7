"""Builders for the office formats of issue 17, made at test time: a workbook with a title row,
merged two-row headers, an empty column and row, a note and two sheets (openpyxl), a GB18030
csv, a scanned-looking page rendered from text (Pillow, rotated, noisy), an OFD package.

Not a test module: imported by tests/ingest/test_sheets.py, test_ocr.py, test_ofd.py and
tests/assistant/test_office_formats.py.
"""
from __future__ import annotations

from pathlib import Path


def refused(path: Path, *needles: str) -> str:
    """Ingesting ``path`` is refused with a message naming it and holding every needle."""
    import pytest

    from ingest.errors import IngestError
    from ingest.pipeline import process_file

    with pytest.raises(IngestError) as info:
        process_file(path)
    msg = str(info.value)
    for needle in (path.name, *needles):
        assert needle in msg, (needle, msg)
    return msg


def add_zip_padding(path: Path, member: str, megabytes: int) -> Path:
    """Append a member of ``megabytes`` MB of zeros (~1000:1 compressed): a zip bomb's shape."""
    import zipfile

    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        with zf.open(member, "w", force_zip64=True) as f:
            for _ in range(megabytes):
                f.write(b"\x00" * (1 << 20))
    return path

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


# -- scanned-looking pages ----------------------------------------------------------------------

def cjk_font_path() -> str:
    """A font file with Chinese glyphs (fonts-wqy-microhei, installed by `make install`)."""
    import subprocess

    out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True).stdout
    files = sorted(line.split(":")[0].strip() for line in out.splitlines() if line.strip())
    if not files:
        raise RuntimeError("no Chinese font: apt-get install fonts-wqy-microhei")
    return next((f for f in files if "microhei" in f), files[0])


def wrap_lines(text: str, width: int = 30) -> list[str]:
    """Hard-wrap ``text`` into lines of ``width`` characters, paragraph by paragraph."""
    lines: list[str] = []
    for para in text.split("\n"):
        para = para.strip()
        lines.extend(para[i:i + width] for i in range(0, len(para), width))
    return lines


def render_scan(lines: list[str], dpi: int = 200, angle: float = 0.6, noise: float = 12.0,
                seed: int = 0, table: list[list[str]] | None = None):
    """An A4 page as a scanner makes it: the lines (and an optional ruled table below them)
    printed at ``dpi``, rotated by ``angle`` degrees, with grey noise and a slight blur.
    Returns a greyscale PIL image."""
    import random

    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    w, h = int(8.27 * dpi), int(11.69 * dpi)
    img = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(img)
    size = int(dpi * 0.16)  # ~11.5 pt
    font = ImageFont.truetype(cjk_font_path(), size)
    x, y = int(dpi * 0.9), int(dpi * 1.0)
    for line in lines:
        draw.text((x, y), line, fill=0, font=font)
        y += int(size * 1.7)
    if table:
        y += size
        col = int((w - 2 * x) / len(table[0]))
        row_h = int(size * 1.8)
        for i, row in enumerate(table):
            for j, cell in enumerate(row):
                draw.rectangle([x + j * col, y + i * row_h, x + (j + 1) * col, y + (i + 1) * row_h], outline=0)
                draw.text((x + j * col + size // 3, y + i * row_h + size // 3), cell, fill=0, font=font)
    img = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    rng = random.Random(seed)
    px = img.load()
    for _ in range(w * h // 40):  # speckle: scanner dust and paper grain
        i, j = rng.randrange(w), rng.randrange(h)
        px[i, j] = max(0, min(255, px[i, j] + int(rng.gauss(0, noise * 6))))
    return img.filter(ImageFilter.GaussianBlur(0.6))


def make_scanned_image_pdf(path: Path, pages: list, dpi: int = 200, text_pages: dict | None = None) -> Path:
    """A PDF whose pages are pictures (``pages``: PIL images), as a scanner writes it; with
    ``text_pages`` ({page index: lines}) some pages are text pages instead (a mixed PDF)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader

    from kb_samples import pdf_canvas

    c = pdf_canvas(path)
    for i, img in enumerate(pages):
        if text_pages and i in text_pages:
            c.setFont("STSong-Light", 12)
            yy = 800
            for line in text_pages[i]:
                c.drawString(50, yy, line)
                yy -= 20
        else:
            c.drawImage(ImageReader(img.convert("RGB")), 0, 0, width=A4[0], height=A4[1])
        c.showPage()
    c.save()
    return path


# a scanned notice of 焦作 (2023): text lines and a ruled table, for the OCR tests
SCAN_LINES = [
    "焦作市民政局关于调整城乡低保标准的通知",
    "各县（市、区）民政局：",
    "经市政府同意，自2023年7月1日起，全市城市低保",
    "标准提高到每人每月706元，农村低保标准提高到",
    "每人每年5520元。请各地按新标准发放。",
]
SCAN_TABLE = [["县区", "特困供养人数"], ["温县", "388"], ["修武县", "412"]]


def make_scan_png(path: Path, dpi: int = 200) -> Path:
    render_scan(SCAN_LINES, dpi=dpi, table=SCAN_TABLE).crop((0, 0, int(8.27 * dpi), int(5.2 * dpi))).save(path)
    return path


# -- OFD --------------------------------------------------------------------------------------

OFD_NS = "http://www.ofdspec.org/2016"
OFD_PAGES = [  # 洛阳 (2022): page 1 text, page 2 a table of counties after a line of text
    {"lines": ["洛阳市民政局关于2022年城乡低保标准的通知", "各县（市、区）民政局：",
               "经研究，全市城市低保标准调整为每人每月688元，", "农村低保标准调整为每人每年5328元。"]},
    {"lines": ["附件：各县低保人数"],
     "table": [["县区", "城市低保人数", "农村低保人数"], ["孟津区", "1210", "5630"], ["新安县", "980", "6120"]]},
]


def _text_object(oid: int, x: float, y: float, text: str, size: float = 4.2, delta: bool = True) -> str:
    from xml.sax.saxutils import escape

    width = size * len(text) + 2
    dx = f' DeltaX="g {len(text) - 1} {size}"' if delta and len(text) > 1 else ""
    return (f'<ofd:TextObject ID="{oid}" Boundary="{x} {y} {width} {size * 1.4}" Font="2" Size="{size}">'
            f'<ofd:TextCode X="0" Y="{size}"{dx}>{escape(text)}</ofd:TextCode></ofd:TextObject>')


def make_ofd(path: Path, pages=OFD_PAGES) -> Path:
    """An OFD package as GB/T 33190 lays it out: OFD.xml → Doc_0/Document.xml → one
    Content.xml per page of positioned TextObjects (millimetres), a table as cells on rows."""
    import zipfile

    head = '<?xml version="1.0" encoding="UTF-8"?>'
    ofd = (f'{head}<ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.0" DocType="OFD"><ofd:DocBody>'
           f'<ofd:DocInfo><ofd:DocID>0</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>'
           f'</ofd:DocBody></ofd:OFD>')
    page_refs = "".join(f'<ofd:Page ID="{10 + i}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
    document = (f'{head}<ofd:Document xmlns:ofd="{OFD_NS}"><ofd:CommonData><ofd:MaxUnitID>999</ofd:MaxUnitID>'
                f'<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>'
                f'<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>'
                f'<ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>')
    res = (f'{head}<ofd:Res xmlns:ofd="{OFD_NS}" BaseLoc="Res"><ofd:Fonts>'
           f'<ofd:Font ID="2" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("OFD.xml", ofd)
        zf.writestr("Doc_0/Document.xml", document)
        zf.writestr("Doc_0/PublicRes.xml", res)
        for i, page in enumerate(pages):
            objs, oid, y = [], 100, 30.0
            for line in page.get("lines", []):
                objs.append(_text_object(oid, 25, y, line))
                oid += 1
                y += 8
            for row in page.get("table", []):
                for j, cell in enumerate(row):
                    objs.append(_text_object(oid, 25 + 55 * j, y, cell, delta=False))
                    oid += 1
                y += 8
            zf.writestr(f"Doc_0/Pages/Page_{i}/Content.xml",
                        f'{head}<ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content><ofd:Layer ID="{oid}">'
                        + "".join(objs) + "</ofd:Layer></ofd:Content></ofd:Page>")
    return path


# -- Word 97 / WPS ------------------------------------------------------------------------------

def make_doc(path: Path, items=None) -> Path:
    """A Word 97 binary document written by LibreOffice from the .docx of kb_samples. A ``.wps``
    (WPS Office's word-processor file, a Word 97-compatible OLE document since WPS 2005) is the
    same bytes under the other name: LibreOffice detects the format from the content."""
    import shutil
    import subprocess
    import tempfile

    from kb_samples import DOCX_ITEMS, make_docx

    with tempfile.TemporaryDirectory() as tmp:
        src = make_docx(Path(tmp) / "source.docx", items or DOCX_ITEMS)
        exe = shutil.which("soffice")
        subprocess.run([exe, f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}", "--headless",
                        "--convert-to", "doc:MS Word 97", "--outdir", tmp, str(src)],
                       check=True, capture_output=True, timeout=120)
        shutil.copyfile(Path(tmp) / "source.doc", path)
    return path


# -- a PDF with a ruled table -------------------------------------------------------------------

PDF_TABLE = [["县区", "城市低保人数", "农村低保人数"], ["孟津区", "1210", "5630"], ["新安县", "980", "6120"],
             ["栾川县", "1105", "7012"]]


def make_pdf_with_table(path: Path, rows=PDF_TABLE) -> Path:
    """Page 1: a line of text, a table ruled with lines (as Word and WPS print them), a note."""
    from kb_samples import pdf_canvas

    c = pdf_canvas(path)
    c.setFont("STSong-Light", 12)
    c.drawString(60, 780, "洛阳市民政局2022年各县低保人数统计如下：")
    top, row_h, col_w, x0 = 760, 22, 130, 60
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            c.drawString(x0 + j * col_w + 6, top - (i + 1) * row_h + 7, cell)
    for i in range(len(rows) + 1):
        c.line(x0, top - i * row_h, x0 + col_w * len(rows[0]), top - i * row_h)
    for j in range(len(rows[0]) + 1):
        c.line(x0 + j * col_w, top, x0 + j * col_w, top - len(rows) * row_h)
    c.drawString(60, top - len(rows) * row_h - 30, "以上数据截至2022年12月底。")
    c.drawString(280, 40, "- 1 -")
    c.showPage()
    c.save()
    return path


# -- OpenDocument spreadsheet -------------------------------------------------------------------

def make_ods(path: Path, title: str = "2023年标准") -> Path:
    """An .ods as LibreOffice writes one (mimetype first, stored; content.xml with one table):
    a group header spanning two columns (``number-columns-spanned``) over a second header row."""
    import zipfile
    from xml.sax.saxutils import escape

    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')

    def cell(v, span=1):
        attr = f' table:number-columns-spanned="{span}"' if span > 1 else ""
        if isinstance(v, (int, float)):
            return (f'<table:table-cell office:value-type="float" office:value="{v}"{attr}>'
                    f'<text:p>{v}</text:p></table:table-cell>')
        return f'<table:table-cell office:value-type="string"{attr}><text:p>{escape(v)}</text:p></table:table-cell>'

    rows = [cell("县区") + cell("城市低保", 2) + "<table:covered-table-cell/>",
            cell("") + cell("月标准（元）") + cell("保障人数"),
            *(cell(c) + cell(um) + cell(un) for c, um, un, _ry, _rn in COUNTIES_2023)]
    body = "".join(f"<table:table-row>{r}</table:table-row>" for r in rows)
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="{escape(title)}">'
               f'<table:table-column table:number-columns-repeated="3"/>{body}'
               f'</table:table></office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type='
                '"application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        zf.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path
