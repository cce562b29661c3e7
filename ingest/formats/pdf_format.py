"""PDF with a text layer (pypdf), one unit per page.

The text is extracted by ``pdf_worker.py`` in a child process that is killed
after ``timeout`` seconds (``CIVILQA_PDF_TIMEOUT``, default 60) and whose memory
is capped, so a malformed PDF cannot hang or exhaust the ingest. A PDF with
more than ``max_pages`` pages is refused before any page is read. Pages without
a text layer (scans; fewer than ``MIN_TEXT_CHARS`` characters) are read by OCR
(``ocr.read_scanned_pages``), page by page, so a PDF may mix both; a PDF of which
nothing can be read is an error ``无可提取文字``, never an empty document.

Running page headers that are only a page number (``- 3 -``, ``第 3 页``, ``3/12``)
are dropped from the first and last line of each page.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from ..errors import IngestError
from ..settings import settings
from ..tables import Table
from .base import Extracted, Unit
from .ocr import read_scanned_pages  # pages without a text layer are read by OCR, page by page

MAX_PAGES = 500
MIN_TEXT_CHARS = 10  # a page with less text than this (a scan, a stamp) is read by OCR
TABLE_SHARE = 0.5  # of the time limit, what looking for tables (pdfplumber) may take at most
DEFAULT_TIMEOUT_S = 60.0
MAX_WORKER_MEMORY = 2 * 1024 * 1024 * 1024
WORKER = Path(__file__).with_name("pdf_worker.py")

_PAGE_NUMBER = re.compile(r"^[\s\-—–·.]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?"
                          r"[\s\-—–·.]*$")


def default_timeout() -> float:
    seconds = settings().pdf_timeout  # CIVILQA_PDF_TIMEOUT
    return DEFAULT_TIMEOUT_S if seconds is None else seconds


def _strip_page_numbers(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    if lines and _PAGE_NUMBER.match(lines[-1]):
        lines.pop()
    if lines and _PAGE_NUMBER.match(lines[0]):
        lines.pop(0)
    return "\n".join(lines)


def run_worker(path: Path, timeout: float, max_pages: int) -> dict:
    name = path.name
    try:
        proc = subprocess.run([sys.executable, "-P", str(WORKER), str(path), str(max_pages),
                               str(MAX_WORKER_MEMORY), str(timeout * TABLE_SHARE)],
                              capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise IngestError(f"PDF 解析超时：{name} 超过 {timeout:g} 秒仍未读完，文件可能已损坏"
                          f"（PDF text extraction timed out after {timeout:g} s）") from None
    try:
        out = json.loads(proc.stdout.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise IngestError(f"PDF 解析失败：{name}（PDF reader exited with code {proc.returncode}: "
                          f"{tail[0][:200]}）") from None
    return out


def _table_page_units(segments: list[dict], page: int) -> list[Unit]:
    """A page on which tables were found: its text around them and each table, in order."""
    units = []
    last = len(segments) - 1
    for i, seg in enumerate(segments):
        if "rows" in seg:
            table = Table.from_grid(seg["rows"], location={"page": page})
            if table.header:
                units.extend(Unit(t, "para", page) for _n, t in table.captions)
                units.append(Unit(table.text, "table", page, table=table))
                units.extend(Unit(t, "para", page) for _n, t in table.notes)
            continue
        text = seg.get("text") or ""
        if i in (0, last):  # the running page number sits above the first or below the last
            text = _strip_page_numbers(text)
        if text.strip():
            units.append(Unit(text, "raw", page))
    return units


def extract_pdf(path: Path, timeout: float | None = None, max_pages: int = MAX_PAGES) -> Extracted:
    name = path.name
    timeout = default_timeout() if timeout is None else timeout
    out = run_worker(path, timeout, max_pages)
    error = out.get("error")
    if error == "encrypted":
        raise IngestError(f"PDF 已加密，无法读取：{name}（请先解除密码保护；encrypted PDF）")
    if error == "too_many_pages":
        raise IngestError(f"PDF 页数过多：{name} 共 {out.get('detail')} 页，上限 {max_pages} 页"
                          f"（too many pages）")
    if error == "memory":
        raise IngestError(f"PDF 解析所需内存超出上限：{name}（文件可能已损坏；PDF needs too much memory）")
    if error:
        raise IngestError(f"PDF 文件损坏或无法解析：{name}（cannot read PDF: {out.get('detail', '')}）")
    pages = [_strip_page_numbers(t) for t in out.get("pages", [])]
    scanned = [n for n, text in enumerate(pages, 1) if len("".join(text.split())) < MIN_TEXT_CHARS]

    ocr, problems = read_scanned_pages(path, scanned, len(pages), text_pages=len(pages) - len(scanned))
    tables = out.get("tables") or {}
    units = []
    for n, text in enumerate(pages, 1):
        if str(n) in tables and n not in ocr:
            units.extend(_table_page_units(tables[str(n)], n))
            continue
        units.extend(ocr.get(n) or ([Unit(text, "raw", n)] if text.strip() else []))
    if not units:
        raise IngestError(f"无可提取文字：{name}（PDF 没有文字层，文字识别（OCR）也没有读出文字"
                          f"{'：' + '、'.join(problems) if problems else ''}；no text, {len(pages)} page(s)）")
    return Extracted(units, "page", "pdf+ocr" if ocr else "pdf", join_across_units=True, problems=problems)
