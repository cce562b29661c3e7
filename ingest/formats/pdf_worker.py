"""Extract the text of each page of a PDF; run as a child process by ``pdf_format``.

    python -P pdf_worker.py FILE MAX_PAGES MAX_MEMORY_BYTES

Prints one JSON object: ``{"pages": [text, ...]}`` or ``{"error": code, "detail": ...}``
(codes: encrypted, too_many_pages, unreadable). It imports nothing from the
project, so a malformed PDF that makes pypdf loop or balloon only costs this
process, which the parent kills at its time limit; the address space is capped.
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


def main(argv: list[str]) -> int:
    path, max_pages, max_memory = argv[0], int(argv[1]), int(argv[2])
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
    except MemoryError:
        out = {"error": "memory", "detail": ""}
    except Exception as exc:  # noqa: BLE001 - any parser failure is reported to the parent
        out = {"error": "unreadable", "detail": f"{type(exc).__name__}: {exc}"[:300]}
    sys.stdout.write(json.dumps(out))  # ASCII: safe under any locale
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
