"""Web pages (.html/.htm): the main text only, with the standard library's parser.

Dropped: ``<script>``, ``<style>``, ``<nav>``, ``<header>``, ``<footer>``, ``<aside>``,
forms, embedded objects, and elements marked ``hidden``/``aria-hidden``. When
the page has ``<main>`` or ``<article>``, only their content is kept. Headings
(``<h1>``–``<h6>``) stay headings and table rows keep their cells apart, so the
cleaner treats them as in the text reports. Whitespace collapses as a browser
collapses it (except in ``<pre>``).

The encoding is the one a ``<meta charset>`` declares (GB2312/GBK read as
GB18030, their superset), else UTF-8 or GB18030 as for text files.
"""
from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

from ..errors import IngestError
from ..loading import decode_bytes
from . import Extracted, Unit

SKIP = {"script", "style", "nav", "header", "footer", "aside", "noscript", "template", "iframe",
        "svg", "math", "form", "button", "select", "textarea", "object", "canvas", "head", "menu",
        "dialog"}
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


class _MainText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
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
    def handle_starttag(self, tag: str, attrs) -> None:
        a = dict(attrs)
        if tag in VOID:
            if tag in ("br", "hr") and not self.skipping:
                if self.cell is not None:
                    self.cell.append(" ")
                elif self.pre:
                    self.buf.append("\n")
                else:
                    self._flush()
            return
        self._close_implied(tag)
        skip = self.skipping or tag in SKIP or "hidden" in a or a.get("aria-hidden") == "true"
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

    def _close_implied(self, tag: str) -> None:
        """HTML lets </p>, </li>, </td>, </tr> be omitted: a new sibling closes the open one."""
        closes = {"td": ("td", "th"), "th": ("td", "th"), "tr": ("tr",), "li": ("li",), "p": ("p",)}
        stop = {"td": ("tr", "table"), "th": ("tr", "table"), "tr": ("table",), "li": ("ul", "ol"),
                "p": tuple(BLOCK - {"p"})}
        if tag not in closes:
            return
        for t, _, _ in reversed(self.stack):
            if t in stop[tag]:
                return
            if t in closes[tag]:
                self.handle_endtag(t)
                return

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if not any(t == tag for t, _, _ in self.stack):
            return  # a stray end tag
        while self.stack:
            t, skip, _ = self.stack[-1]
            if not skip:
                self._close(t)
            self.stack.pop()
            if t == tag:
                break

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
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.cell is not None:
            self.cell.append(data)
        else:
            self.buf.append(data)

    def close(self) -> None:
        super().close()
        while self.stack:
            t, skip, _ = self.stack.pop()
            if not skip:
                self._close(t)
        self._flush()
        self._flush_table()


def decode_html(data: bytes, name: str) -> tuple[str, str]:
    m = _META_CHARSET.search(data[:4096])
    if m and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        declared = m.group(1).decode("ascii").lower()
        enc = "gb18030" if declared in _GB else declared
        try:
            codecs.lookup(enc)
            return data.decode(enc), enc
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: fall back to detection
    return decode_bytes(data, name)


def extract_html(data: bytes, name: str) -> Extracted:
    text, encoding = decode_html(data, name)
    parser = _MainText()
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError) as exc:  # HTMLParser's own complaints
        raise IngestError(f"网页无法解析：{name}（cannot parse HTML: {exc}）") from None
    blocks = parser.blocks
    if any(in_main for _, _, in_main in blocks):
        blocks = [b for b in blocks if b[2]]
    units = [Unit(t, kind) for kind, t, _ in blocks]
    if not units:
        raise IngestError(f"无可提取文字：{name}（网页正文为空；no main text in the page）")
    return Extracted(units, None, f"html:{encoding}")
