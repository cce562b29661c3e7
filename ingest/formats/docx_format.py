"""Word ``.docx``: body paragraphs and tables in document order (python-docx).

A .docx is a zip archive. Before python-docx reads anything, the sizes that the
archive's central directory declares are checked: a total uncompressed size
limit and a compression-ratio limit per member, so a zip bomb is refused
without being inflated. (Python's ``zipfile`` never inflates a member past its
declared size, so the declared sizes bound what is read.)

Paragraph numbers (第N段) count the non-empty paragraphs of the body, headings
included, in order; a table counts as one paragraph. Headers, footers,
footnotes and text boxes are not read.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import IngestError
from ..limits import MAX_DOCX_XML_BYTES, MAX_FILE_CHARS, check_chars
from ..tables import Table
from .base import Extracted, Unit, reading, require_text

MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # all members together, as declared
MAX_RATIO = 100  # uncompressed / compressed, for members over RATIO_MIN_BYTES
RATIO_MIN_BYTES = 1024 * 1024
MAX_MEMBERS = 5000


def check_zip(path: Path, max_total: int = MAX_UNCOMPRESSED_BYTES, max_ratio: float = MAX_RATIO,
              max_members: int = MAX_MEMBERS, label: str = "Word 文档",
              hint: str = "（.docx 应为 zip 格式；旧版 .doc 请另存为 .docx）") -> None:
    """Refuse an archive whose declared sizes exceed the limits (nothing is inflated).
    ``label`` names the kind of file in the messages (xlsx, ods and ofd are zips too)."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        sep = " " if label[:1].isascii() else ""
        raise IngestError(f"不是有效的{sep}{label}{hint}：{name}"
                          f"（not a valid {path.suffix.lower()} archive: {exc}）") from None
    if len(infos) > max_members:
        raise IngestError(f"{label}结构异常：{name} 含 {len(infos)} 个部件，上限 {max_members}"
                          f"（too many zip members）")
    body = next((i for i in infos if i.filename == "word/document.xml"), None)
    if body is not None and body.file_size > MAX_DOCX_XML_BYTES:
        raise IngestError(f"Word 文档正文过大：{name} 的正文 word/document.xml 声明解压后 {body.file_size} 字节，"
                          f"上限 {MAX_DOCX_XML_BYTES} 字节，请拆分后再导入（document body over the limit）")
    total = sum(i.file_size for i in infos)
    if total > max_total:
        raise IngestError(f"{label}解压后过大（疑似压缩炸弹）：{name} 声明解压后 {total} 字节，"
                          f"上限 {max_total} 字节（declared uncompressed size over the limit）")
    for i in infos:
        if i.file_size > RATIO_MIN_BYTES or i.file_size > max_total // 4:
            ratio = i.file_size / max(i.compress_size, 1)
            if ratio > max_ratio:
                raise IngestError(
                    f"{label}压缩比异常（疑似压缩炸弹）：{name} 中 {i.filename} 压缩比 {ratio:.0f}:1，"
                    f"上限 {max_ratio:.0f}:1（compression ratio over the limit）")


def _is_heading(paragraph) -> bool:
    try:
        style = (paragraph.style.name or "").lower()
    except (AttributeError, KeyError, ValueError):
        return False
    return style.startswith(("heading", "title", "标题"))


def _is_list_item(paragraph) -> bool:
    """A paragraph Word numbers or bullets (its own numbering, or a list style's)."""
    p_pr = paragraph._p.pPr
    if p_pr is not None and p_pr.numPr is not None:
        return True
    try:
        return (paragraph.style.name or "").lower().startswith("list")
    except (AttributeError, KeyError, ValueError):
        return False


def _table(table, paragraph: int):
    """The table as ``ingest.tables.Table``: python-docx returns a merged cell once per grid
    column (and per row it spans), so its value already fills its range; the grid goes through
    the same header resolution (two-row headers) and empty row/column dropping as every table."""
    grid, merges = [], []
    for i, row in enumerate(table.rows):
        cells = list(row.cells)
        grid.append([cell.text for cell in cells])
        j = 0
        while j < len(cells):  # a cell spanning columns: the same element in a run of columns
            k = j
            while k + 1 < len(cells) and cells[k + 1]._tc is cells[j]._tc:
                k += 1
            if k > j and i == 0:
                merges.append((0, j, 0, k))
            j = k + 1
    return Table.from_grid(grid, merges, location={"paragraph": paragraph})


def extract_docx(path: Path, max_total: int = MAX_UNCOMPRESSED_BYTES,
                 max_ratio: float = MAX_RATIO) -> Extracted:
    check_zip(path, max_total=max_total, max_ratio=max_ratio)
    with reading("Word 文档", path.name, ".docx"):
        import docx
        from docx.table import Table

        document = docx.Document(str(path))
        units: list[Unit] = []
        n = chars = 0
        for item in document.iter_inner_content():
            if chars > MAX_FILE_CHARS:  # stop reading as soon as the file is over the limit
                check_chars(path.name, chars)
            if isinstance(item, Table):
                table = _table(item, n + 1)
                if table.header:
                    n += 1
                    units.extend(Unit(t, "para", n) for _r, t in table.captions)
                    units.append(Unit(table.text, "table", n, table=table))
                    units.extend(Unit(t, "para", n) for _r, t in table.notes)
                    chars += len(table.text)
                continue
            text = item.text
            chars += len(text)
            if not text.strip():
                continue
            n += 1
            units.append(Unit(text, "heading" if _is_heading(item) else "item" if _is_list_item(item) else "para", n))
    require_text(units, path.name, "Word 文档正文为空；no text in the document body")
    return Extracted(units, "paragraph", "docx")
