"""Extract the text of each page of a PDF; run as a child process by ``pdf_format``.

    python -P pdf_worker.py FILE MAX_PAGES MAX_MEMORY_BYTES [TABLE_SECONDS]

Prints one JSON object: ``{"pages": [text, ...], "tables": {page: segments}}`` or
``{"error": code, "detail": ...}``. With ``TABLE_SECONDS`` > 0, pdfplumber looks for ruled
tables page by page for at most that long (see ``_tables``).
(codes: encrypted, too_many_pages, unreadable). It imports nothing from the
project, so a malformed PDF that makes pypdf loop or balloon only costs this
process, which the parent kills at its time limit; the address space is capped.
"""
from __future__ import annotations

import json
import sys
import time


def _limit_memory(max_bytes: int) -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))
    except (ImportError, ValueError, OSError):
        pass


def _tables(path: str, budget: float) -> dict[str, list[dict]]:
    """{page number: segments} for the pages on which pdfplumber finds ruled tables: the page
    cut into text above, between and below its tables (``{"text": ...}``) and the tables
    (``{"rows": [[cell, ...], ...]}``), top to bottom. Pages are looked at until ``budget``
    seconds have gone (``{"checked": n}`` says how many were)."""
    import pdfplumber

    t0 = time.monotonic()
    out: dict[str, list[dict]] = {}
    checked = 0
    with pdfplumber.open(path) as pdf:
        for n, page in enumerate(pdf.pages, 1):
            if time.monotonic() - t0 > budget:
                break
            checked = n
            found = sorted(page.find_tables(), key=lambda t: t.bbox[1])
            if found:
                segs, top = [], page.bbox[1]
                for t in found:
                    t_top, t_bottom = max(t.bbox[1], top), min(t.bbox[3], page.bbox[3])
                    if t_top > top:
                        segs.append({"text": page.crop((page.bbox[0], top, page.bbox[2], t_top)).extract_text() or ""})
                    segs.append({"rows": [[c or "" for c in row] for row in t.extract()]})
                    top = max(top, t_bottom)
                if top < page.bbox[3]:
                    segs.append({"text": page.crop((page.bbox[0], top, page.bbox[2], page.bbox[3])).extract_text() or ""})
                out[str(n)] = segs
            page.close()
    out["checked"] = checked  # type: ignore[assignment]
    return out


def main(argv: list[str]) -> int:
    path, max_pages, max_memory = argv[0], int(argv[1]), int(argv[2])
    table_budget = float(argv[3]) if len(argv) > 3 else 0.0
    t0 = time.monotonic()
    _limit_memory(max_memory)
    out: dict
    try:
        import logging

        logging.disable(logging.WARNING)  # pypdf warns on stderr about every repaired object
        from pypdf import PdfReader

        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:  # noqa: BLE001 - an unsupported cipher is still "encrypted"
                ok = 0
            if not ok:
                print(json.dumps({"error": "encrypted", "detail": ""}))
                return 0
        n = len(reader.pages)
        if n > max_pages:
            print(json.dumps({"error": "too_many_pages", "detail": str(n)}))
            return 0
        out = {"pages": [(page.extract_text() or "") for page in reader.pages]}
        if table_budget > 0:
            out["tables"] = _tables(path, table_budget - (time.monotonic() - t0))
    except MemoryError:
        out = {"error": "memory", "detail": ""}
    except Exception as exc:  # noqa: BLE001 - any parser failure is reported to the parent
        out = {"error": "unreadable", "detail": f"{type(exc).__name__}: {exc}"[:300]}
    sys.stdout.write(json.dumps(out))  # ASCII: safe under any locale
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
