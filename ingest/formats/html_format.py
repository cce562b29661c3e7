"""Web pages (.html/.htm): the main text only, parsed by lxml (libxml2's HTML parser, linear).

Dropped: ``<script>``, ``<style>``, ``<nav>``, ``<header>``, ``<footer>``, ``<aside>``,
forms, embedded objects, elements marked ``hidden``/``aria-hidden``, and page furniture
marked by class or id (``<div class="nav">``, ``id="footer"``, ``class="bread-crumb"``). When
the page has ``<main>`` or ``<article>``, only their content is kept. Headings
(``<h1>``–``<h6>``) stay headings and table rows keep their cells apart, so the
cleaner treats them as in the text reports. Whitespace collapses as a browser
collapses it (except in ``<pre>``).

Bounded work: libxml2 parses in one linear pass (a stray end tag costs nothing) and stops at
``MAX_DEPTH`` nested elements; a page nested deeper is refused (its text past that depth would
be lost silently). Walking the tree checks a deadline every ``_CHECK_EVERY`` elements: a page
that takes longer than ``MAX_SECONDS`` is refused, as a PDF past its worker's time limit.

The encoding is the one a ``<meta charset>`` declares (GB2312/GBK read as GB18030, their
superset) when the bytes agree with it; else UTF-8 or GB18030 as for text files. Bytes that are
valid UTF-8 are read as UTF-8 whatever the page declares (a UTF-8 page that claims GBK or UTF-16
would otherwise become mojibake), and declarations of encodings that cannot be an HTML page's
(UTF-16/32, Python's pseudo-codecs such as ``undefined``) are ignored.
"""
from __future__ import annotations

import codecs
import re
import time

from ..errors import IngestError
from ..loading import decode_bytes
from .base import Extracted, Unit, require_text

SKIP = {"script", "style", "nav", "header", "footer", "aside", "noscript", "template", "iframe",
        "svg", "math", "form", "button", "select", "textarea", "object", "canvas", "head", "menu",
        "dialog"}
# page furniture marked by class or id rather than by tag (<div class="nav">, id="footer",
# class="bread-crumb"): a token of the class/id split at -, _ and spaces
SKIP_CLASS_TOKENS = {"nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "crumb",
                     "crumbs", "footer", "foot", "copyright", "sidebar", "share", "toolbar"}
_CLASS_SPLIT = re.compile(r"[\s_\-]+|(?<=[a-z])(?=[A-Z])")  # bread-crumb, foot_nav, topNav
MAIN = {"main", "article"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr"}
BLOCK = {"p", "div", "section", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "table",
         "tr", "td", "th", "caption", "figure", "figcaption", "address", "center", "body", "html",
         "main", "article", "h1", "h2", "h3", "h4", "h5", "h6", "thead", "tbody", "tfoot", "hr", "br"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_WS = re.compile(r"[ \t\n\r\f\u200b]+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_GB = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "gb18030"}


MAX_DEPTH = 200  # nested elements; libxml2 itself stops at 256
MAX_SECONDS = 10.0
_CHECK_EVERY = 2000

def _furniture(attrs) -> bool:
    names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    return bool(names.strip()) and not SKIP_CLASS_TOKENS.isdisjoint(
        t.lower() for t in _CLASS_SPLIT.split(names))


class _MainText:
    """The main text of a parsed page, from start/data/end events of a tree walk."""

    def __init__(self) -> None:
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, skip, main)
        self.blocks: list[tuple[str, str, bool]] = []  # (kind, text, inside main/article)
        self.buf: list[str] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.rows: list[str] = []
        self.pre = 0

    # -- state ------------------------------------------------------------------
    @property
    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    @property
    def in_main(self) -> bool:
        return bool(self.stack) and self.stack[-1][2]

    def _flush(self, kind: str = "para") -> None:
        raw = "".join(self.buf)
        self.buf = []
        text = raw.strip("\n") if self.pre else _WS.sub(" ", raw).strip()
        if text.strip():
            self.blocks.append(("raw" if self.pre else kind, text, self.in_main))

    def _flush_table(self) -> None:
        if self.rows:
            self.blocks.append(("table", "\n".join(self.rows), self.in_main))
        self.rows = []

    # -- events ------------------------------------------------------------------
    def start(self, tag: str, attrs) -> None:
        if tag in VOID:
            if tag in ("br", "hr") and not self.skipping:
                if self.cell is not None:
                    self.cell.append(" ")
                elif self.pre:
                    self.buf.append("\n")
                else:
                    self._flush()
            self.stack.append((tag, True, self.in_main))  # a void element holds no text
            return
        skip = (self.skipping or tag in SKIP or "hidden" in attrs or attrs.get("aria-hidden") == "true"
                or _furniture(attrs))
        if not skip and tag in BLOCK and self.cell is None:
            self._flush()
        if not skip:
            if tag == "table":
                self._flush_table()
            elif tag == "tr":
                self.row = []
            elif tag in ("td", "th") and self.row is not None:
                self.cell = []
            elif tag == "pre":
                self.pre += 1
        self.stack.append((tag, skip, self.in_main or tag in MAIN))

    def end(self) -> None:
        tag, skip, _ = self.stack[-1]
        if not skip:
            self._close(tag)
        self.stack.pop()

    def _close(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(_WS.sub(" ", "".join(self.cell)).strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if any(self.row):
                self.rows.append("\t".join(self.row))
            self.row = None
        elif tag == "table":
            self._flush_table()
        elif tag in HEADINGS:
            self._flush("heading")
        elif tag == "pre":
            self._flush()
            self.pre = max(0, self.pre - 1)
        elif tag in BLOCK and self.cell is None:
            self._flush("item" if tag == "li" else "para")

    def data(self, data: str | None) -> None:
        if not data or self.skipping:
            return
        if self.cell is not None:
            self.cell.append(data)
        else:
            self.buf.append(data)

    def close(self) -> None:
        while self.stack:
            self.end()
        self._flush()
        self._flush_table()


def _walk(root, name: str, max_depth: int, max_seconds: float) -> _MainText:
    """One pass over the tree (lxml's iterwalk: no recursion), text then children then tail."""
    from lxml import etree

    out = _MainText()
    deadline = time.monotonic() + max_seconds
    n = 0
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if not isinstance(el.tag, str):  # a comment or processing instruction
            if event == "end":
                out.data(el.tail)
            continue
        if event == "start":
            n += 1
            if n % _CHECK_EVERY == 0 and time.monotonic() > deadline:
                raise IngestError(f"网页解析超时：{name} 超过 {max_seconds:g} 秒仍未读完"
                                  f"（HTML parsing took longer than {max_seconds:g} s）")
            if len(out.stack) >= max_depth:
                raise _too_deep(name, max_depth)
            out.start(el.tag.lower(), el.attrib)
            out.data(el.text)
        else:
            out.end()
            out.data(el.tail)
    out.close()
    return out


def _too_deep(name: str, max_depth: int) -> IngestError:
    return IngestError(f"网页嵌套过深：{name} 的元素嵌套超过 {max_depth} 层，无法可靠提取正文"
                       f"（HTML nested deeper than {max_depth} elements）")


def _page_encoding(label: str) -> str | None:
    """The codec a ``<meta charset>`` names, if an HTML page can be in it: it must exist and
    encode ASCII as ASCII (the tag itself was read as ASCII). UTF-16/32 and pseudo-codecs fail."""
    enc = "gb18030" if label in _GB else label
    probe = '<meta charset="x">'
    try:
        codecs.lookup(enc)
        return enc if probe.encode(enc) == probe.encode("ascii") else None
    except (LookupError, UnicodeError, TypeError, ValueError):
        return None


def decode_html(data: bytes, name: str) -> tuple[str, str]:
    m = _META_CHARSET.search(data[:4096])
    if m and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        enc = _page_encoding(m.group(1).decode("ascii").lower())
        if enc is not None and not (enc.replace("_", "-") not in ("utf-8", "utf8") and _is_utf8(data)):
            try:
                return data.decode(enc), enc
            except UnicodeError:
                pass  # a wrong declaration: fall back to detection
    return decode_bytes(data, name)


def _is_utf8(data: bytes) -> bool:
    """Non-ASCII bytes that decode as UTF-8: text in another encoding hardly ever does."""
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def extract_html(data: bytes, name: str, max_depth: int = MAX_DEPTH, max_seconds: float = MAX_SECONDS) -> Extracted:
    from lxml import etree

    text, encoding = decode_html(data, name)
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except (etree.LxmlError, ValueError) as exc:
        raise IngestError(f"网页无法解析：{name}（cannot parse HTML: {exc}）") from None
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        raise _too_deep(name, max_depth)
    blocks = _walk(root, name, max_depth, max_seconds).blocks if root is not None else []
    if any(in_main for _, _, in_main in blocks):
        blocks = [b for b in blocks if b[2]]
    units = [Unit(t, kind) for kind, t, _ in blocks]
    require_text(units, name, "网页正文为空；no main text in the page")
    return Extracted(units, None, f"html:{encoding}")
