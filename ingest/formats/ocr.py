"""OCR of scanned PDF pages and images (``.png/.jpg/.jpeg/.tif/.tiff/.bmp``), offline.

The pages are read by ``ocr_worker.py`` in a child process (rapidocr-onnxruntime,
whose wheel carries the PP-OCRv4 models) whose memory is capped and which is killed
after ``MAX_SECONDS_PER_PAGE`` seconds per page asked for (plus 10 s to start), at most
``default_timeout()`` seconds in
all (``CIVILQA_OCR_TIMEOUT``, default 1200); at most ``MAX_OCR_PAGES`` pages of one
file are read. Pages the worker printed before a kill are kept; a page that could
not be read is named by its number (``第3页无法识别``), and a file none of whose
pages could be read is an error. The boxes of each page go through ``layout`` into
text and tables; every location of an OCR'd page carries ``{"ocr": True}``, so that
its citations say ``第3页（文字识别）``.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ..errors import IngestError
from ..settings import settings
from .base import Extracted, Unit
from .layout import Box, page_units

MAX_OCR_PAGES = 50
MAX_SECONDS_PER_PAGE = 120.0  # ~6–35 s measured per A4 page on 2 shared cores
DEFAULT_TIMEOUT_S = 1200.0
MAX_PIXELS = 40_000_000  # a page larger than this (e.g. A0 at 300 dpi) is read at a lower resolution
MAX_WORKER_MEMORY = 3 * 1024 * 1024 * 1024
DPI = 200
MIN_SCORE = 0.5  # boxes the recogniser is less sure of are dropped (speckle read as 一 or 、)
WORKER = Path(__file__).with_name("ocr_worker.py")
PACKAGE = "rapidocr-onnxruntime"


def default_timeout() -> float:
    seconds = settings().ocr_timeout  # CIVILQA_OCR_TIMEOUT
    return DEFAULT_TIMEOUT_S if seconds is None else seconds


def available() -> bool:
    import importlib.util

    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


def _require(name: str) -> None:
    if not available():
        raise IngestError(f"需要文字识别（OCR）才能读取：{name}，但未安装 OCR 组件。请安装：pip install {PACKAGE}"
                          f"（或 make install）（OCR engine {PACKAGE} is not installed）")


def run_ocr(path: Path, kind: str, pages: list[int] | int, timeout: float | None = None,
            per_page: float = MAX_SECONDS_PER_PAGE) -> tuple[dict[int, list[Box]], dict[int, str]]:
    """({page: boxes}, {page: why it could not be read}) for the given pages of a PDF (a list),
    or for up to ``pages`` pages of an image."""
    name = path.name
    _require(name)
    count = len(pages) if isinstance(pages, list) else pages
    limit = min(default_timeout() if timeout is None else timeout, per_page * max(count, 1) + 10)
    arg = ",".join(str(p) for p in pages) if isinstance(pages, list) else str(pages)
    cmd = [sys.executable, "-P", str(WORKER), str(path), kind, arg, str(MAX_PIXELS),
           str(MAX_WORKER_MEMORY), str(DPI)]
    timed_out = False
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=limit, stdin=subprocess.DEVNULL)
        out, err = proc.stdout, proc.stderr
    except subprocess.TimeoutExpired as exc:
        out, err, timed_out = exc.stdout or b"", exc.stderr or b"", True
    read: dict[int, list[Box]] = {}
    failed: dict[int, str] = {}
    done = False
    for line in out.decode("ascii", "replace").splitlines():
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if obj.get("done"):
            done = True
        elif "page" not in obj:
            detail = obj.get("detail", "")
            if obj.get("error") == "too_large":
                raise IngestError(f"图片过大：{name}（超过 {MAX_PIXELS} 像素；image too large: {detail}）")
            raise IngestError(f"无法读取图片或扫描件：{name}（cannot open for OCR: {detail}）")
        elif "error" in obj:
            failed[obj["page"]] = {"too_large": "页面过大", "memory": "所需内存超出上限"}.get(
                obj["error"], "无法识别")
        else:
            read[obj["page"]] = [Box(b[0], b[1], b[2], b[3], b[4]) for b in obj["boxes"] if b[5] >= MIN_SCORE]
    if not done and not timed_out and not read and not failed:
        tail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise IngestError(f"文字识别失败：{name}（OCR worker exited: {tail[0][:200]}）")
    wanted = pages if isinstance(pages, list) else []
    for p in wanted:
        if p not in read and p not in failed:
            failed[p] = f"识别超时（{limit:g} 秒）" if timed_out else "无法识别"
    if timed_out and not wanted and not read:
        raise IngestError(f"文字识别超时：{name} 超过 {limit:g} 秒仍未读完（OCR timed out after {limit:g} s）")
    return read, failed


def ocr_units(read: dict[int, list[Box]]) -> dict[int, list[Unit]]:
    """Each OCR'd page's units (text and tables), every one marked ``ocr``."""
    return {n: page_units(boxes, n, {"ocr": True}) for n, boxes in sorted(read.items())}


def _problems(failed: dict[int, str]) -> tuple[str, ...]:
    return tuple(f"第{n}页{why}" for n, why in sorted(failed.items()))


def read_scanned_pages(path: Path, pages: list[int], total: int,
                       text_pages: int = 0) -> tuple[dict[int, list[Unit]], tuple[str, ...]]:
    """OCR the scanned ``pages`` of a PDF: ({page: units}, what could not be read).
    Without the OCR engine a PDF that has no text page at all is an error naming the
    package; one that has text pages keeps them and reports the scanned ones."""
    if not pages:
        return {}, ()
    if not available():
        if not text_pages:
            raise IngestError(f"无可提取文字：{path.name}（PDF 没有文字层，是扫描件；需要文字识别（OCR），"
                              f"请安装：pip install {PACKAGE}（或 make install）；no text layer, {total} page(s)）")
        return {}, tuple(f"第{n}页为扫描页，未安装文字识别组件 {PACKAGE}，未读入" for n in pages)
    wanted, over = pages[:MAX_OCR_PAGES], pages[MAX_OCR_PAGES:]
    read, failed = run_ocr(path, "pdf", wanted)
    failed.update({n: f"超过文字识别页数上限（{MAX_OCR_PAGES} 页）" for n in over})
    return ocr_units(read), _problems(failed)


def extract_image(path: Path) -> Extracted:
    """A picture of a page (or a multi-page TIFF): every page read by OCR."""
    read, failed = run_ocr(path, "image", MAX_OCR_PAGES)
    units = [u for page in ocr_units(read).values() for u in page]
    if not units:
        why = f"：{'、'.join(_problems(failed))}" if failed else ""
        raise IngestError(f"无可提取文字：{path.name}（文字识别没有读出文字{why}；OCR found no text）")
    return Extracted(units, "page", "ocr", join_across_units=True, problems=_problems(failed))
