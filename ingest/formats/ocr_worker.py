"""Read the text of scanned pages (OCR); run as a child process by ``ocr``.

    python -P ocr_worker.py FILE KIND PAGES MAX_PIXELS MAX_MEMORY_BYTES DPI

``KIND`` is ``pdf`` (``PAGES``: comma-separated 1-based page numbers to render with
pypdfium2 and read) or ``image`` (a .png/.jpg/.tif/.bmp; every frame of a multi-page
TIFF is a page, ``PAGES`` gives how many at most). Prints one JSON line per page as
soon as it is read — ``{"page": n, "width": w, "height": h, "boxes": [[x0, y0, x1, y1,
text, score], ...]}`` or ``{"page": n, "error": code, "detail": ...}`` (codes:
too_large, unreadable) — then ``{"done": true}``; a file that cannot be opened at all is
one line ``{"error": code, "detail": ...}``. Lines printed before the parent kills this
process at its time limit are kept by the parent, so a slow page costs only the pages
after it. It imports nothing from the project; the address space is capped.

The engine is rapidocr-onnxruntime (PP-OCRv4 detection and recognition models shipped
inside its wheel: nothing is downloaded); see docs/operations.md for why.
"""
from __future__ import annotations

import json
import sys


def _limit_memory(max_bytes: int) -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))
    except (ImportError, ValueError, OSError):
        pass


def _emit(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")  # ASCII: safe under any locale
    sys.stdout.flush()


def _pdf_pages(path: str, pages: list[int], dpi: int, max_pixels: int):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    for n in pages:
        page = pdf[n - 1]
        w, h = page.get_size()  # points
        scale = dpi / 72
        if w * h * scale * scale > max_pixels:  # an oversized page is read at a lower resolution
            scale = (max_pixels / (w * h)) ** 0.5
        yield n, page.render(scale=scale, grayscale=True).to_pil()


def _image_pages(path: str, max_pages: int, max_pixels: int):
    from PIL import Image, ImageSequence

    Image.MAX_IMAGE_PIXELS = max_pixels  # larger: DecompressionBombError, reported as too_large
    with Image.open(path) as im:
        for n, frame in enumerate(ImageSequence.Iterator(im), 1):
            if n > max_pages:
                break
            if frame.width * frame.height > max_pixels:
                yield n, None
                continue
            yield n, frame.convert("L")


def main(argv: list[str]) -> int:
    path, kind, pages_arg, max_pixels, max_memory, dpi = (argv[0], argv[1], argv[2], int(argv[3]),
                                                          int(argv[4]), int(argv[5]))
    _limit_memory(max_memory)
    try:
        import numpy as np
        from rapidocr_onnxruntime import RapidOCR

        # no text-angle classifier: on upright scans it turned whole lines 180° and they were lost.
        # One inference thread: on the shared 2 cores, 2 threads spinning against other jobs took
        # 21.6 s for a page that one thread reads in 11.7 s (load average 13).
        engine = RapidOCR(use_cls=False, intra_op_num_threads=1, inter_op_num_threads=1)
        if kind == "pdf":
            pages = _pdf_pages(path, [int(p) for p in pages_arg.split(",") if p], dpi, max_pixels)
        else:
            pages = _image_pages(path, int(pages_arg), max_pixels)
        for n, image in pages:
            if image is None:
                _emit({"page": n, "error": "too_large", "detail": ""})
                continue
            try:
                result, _ = engine(np.asarray(image.convert("RGB")))
                boxes = []
                for quad, text, score in result or []:
                    xs, ys = [p[0] for p in quad], [p[1] for p in quad]
                    boxes.append([min(xs), min(ys), max(xs), max(ys), text, float(score)])
                _emit({"page": n, "width": image.width, "height": image.height, "boxes": boxes})
            except MemoryError:
                _emit({"page": n, "error": "memory", "detail": ""})
            except Exception as exc:  # noqa: BLE001 - one unreadable page is reported, the rest go on
                _emit({"page": n, "error": "unreadable", "detail": f"{type(exc).__name__}: {exc}"[:300]})
    except MemoryError:
        _emit({"error": "memory", "detail": ""})
        return 0
    except Exception as exc:  # noqa: BLE001 - any failure to open the file is reported to the parent
        name = type(exc).__name__
        _emit({"error": "too_large" if name == "DecompressionBombError" else "unreadable",
               "detail": f"{name}: {exc}"[:300]})
        return 0
    _emit({"done": True})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
