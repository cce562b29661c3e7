"""OFD (GB/T 33190, the national layout-document format): text and tables, page by page.

An .ofd is a zip of XML parts: ``OFD.xml`` names each document's root
(``DocBody/DocRoot``, e.g. ``Doc_0/Document.xml``), which lists the pages
(``Pages/Page@BaseLoc``); each page's content holds ``TextObject``s, each with a
``Boundary`` ("x y w h", millimetres) and ``TextCode`` runs at ``X``/``Y`` inside it.
The text objects of a page become positioned boxes that ``layout.page_units`` turns
into lines and tables, as for an OCR'd page, so a county's row in an OFD table is a
row of a table. Templates (``Template@TemplateID``) are read too: a letterhead is text
of the page.

The package passes the same declared-size zip checks as a .docx before anything is
inflated; an XML part that declares a DTD or entities is refused (no entity
expansion); at most ``MAX_PAGES`` pages. Citations say 第N页.
"""
from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from ..errors import IngestError
from .base import Extracted, Unit, reading, require_text
from .docx_format import check_zip
from .layout import Box, page_units

MAX_PAGES = 500
MAX_PART_BYTES = 50 * 1024 * 1024


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(el: ET.Element, name: str):
    return [c for c in el.iter() if _local(c.tag) == name]


class _Package:
    def __init__(self, path: Path, zf: zipfile.ZipFile):
        self.path, self.zf = path, zf
        self.names = {n.lstrip("/"): n for n in zf.namelist()}

    def xml(self, name: str) -> ET.Element:
        key = name.lstrip("/")
        if key not in self.names:
            raise IngestError(f"OFD 文件结构不完整：{self.path.name} 缺少 {key}（missing part {key}）")
        info = self.zf.getinfo(self.names[key])
        if info.file_size > MAX_PART_BYTES:
            raise IngestError(f"OFD 文件部件过大：{self.path.name} 中 {key} 为 {info.file_size} 字节，"
                              f"上限 {MAX_PART_BYTES} 字节（part too large）")
        data = self.zf.read(self.names[key])
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise IngestError(f"OFD 文件含 DTD/实体声明，已拒绝：{self.path.name} 中 {key}"
                              f"（XML with a DTD or entities is not read）")
        return ET.fromstring(data)


def _floats(value: str | None, n: int) -> list[float]:
    parts = (value or "").replace(",", " ").split()
    out = [float(p) for p in parts[:n]]
    return out + [0.0] * (n - len(out))


def _deltas(value: str | None) -> list[float]:
    """DeltaX/DeltaY: numbers, where ``g N d`` stands for N times d (GB/T 33190 §11.3)."""
    tokens = (value or "").split()
    out: list[float] = []
    i = 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            out.extend([float(tokens[i + 2])] * min(int(float(tokens[i + 1])), 100_000))
            i += 3
        else:
            out.append(float(tokens[i]))
            i += 1
    return out


def _page_boxes(page: ET.Element) -> list[Box]:
    boxes = []
    for obj in _children(page, "TextObject"):
        bx, by, _bw, _bh = _floats(obj.get("Boundary"), 4)
        size = float(obj.get("Size") or 3.5)
        for code in _children(obj, "TextCode"):
            text = code.text or ""
            if not text.strip():
                continue
            x, y = float(code.get("X") or 0), float(code.get("Y") or 0)
            deltas = _deltas(code.get("DeltaX"))
            if deltas:  # the advance of every glyph but the last, plus the last one's
                width = sum(deltas[:len(text) - 1]) + size
            else:
                width = size * sum(1 if ord(ch) > 0x2E7F else 0.55 for ch in text)
            # Y is the baseline: the glyphs sit above it
            boxes.append(Box(bx + x, by + y - size, bx + x + width, by + y, text))
    return boxes


def extract_ofd(path: Path, max_pages: int = MAX_PAGES) -> Extracted:
    name = path.name
    check_zip(path, label="OFD 文件", hint="（.ofd 应为 zip 格式）")
    units: list[Unit] = []
    with reading("OFD 文件", name, ".ofd"):
        with zipfile.ZipFile(path) as zf:
            pkg = _Package(path, zf)
            root = pkg.xml("OFD.xml")
            doc_roots = [el.text.strip() for el in _children(root, "DocRoot") if el.text and el.text.strip()]
            if not doc_roots:
                raise IngestError(f"OFD 文件结构不完整：{name} 的 OFD.xml 没有 DocRoot（no DocRoot）")
            n = 0
            for doc_root in doc_roots:
                doc = pkg.xml(doc_root)
                base = posixpath.dirname(doc_root.lstrip("/"))
                templates = {t.get("ID"): t.get("BaseLoc") for t in _children(doc, "TemplatePage")}
                pages = _children(doc, "Page")
                if n + len(pages) > max_pages:
                    raise IngestError(f"OFD 页数过多：{name} 共 {n + len(pages)} 页以上，上限 {max_pages} 页"
                                      f"（too many pages）")
                for page in pages:
                    n += 1
                    loc = page.get("BaseLoc") or ""
                    part = loc.lstrip("/") if loc.startswith("/") else posixpath.join(base, loc)
                    content = pkg.xml(part)
                    boxes = _page_boxes(content)
                    for tpl in _children(content, "Template"):
                        tloc = templates.get(tpl.get("TemplateID"))
                        if tloc:
                            tpart = tloc.lstrip("/") if tloc.startswith("/") else posixpath.join(base, tloc)
                            boxes.extend(_page_boxes(pkg.xml(tpart)))
                    units.extend(page_units(boxes, n))
    require_text(units, name, "OFD 中没有文字对象，可能是扫描件；no text objects")
    return Extracted(units, "page", "ofd", join_across_units=True)
