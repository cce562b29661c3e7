"""Parse time per source format: each kind of file built as the tests build it (tests/kb_samples.py,
tests/format_samples.py), then read by ``ingest.pipeline.process_file`` (extraction in its child
process where there is one, cleaning, metadata, chunking; no embedding). Figures, not a test:

    .venv/bin/python tests/bench/parse_formats.py [--repeat 3]

Prints the median wall time of ``--repeat`` runs per file, with the machine's load average.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import format_samples as fs  # noqa: E402
import kb_samples as kb  # noqa: E402
from ingest.pipeline import process_file  # noqa: E402


def build(tmp: Path) -> list[tuple[str, Path]]:
    from PIL import Image

    scan = fs.render_scan(fs.SCAN_LINES, table=fs.SCAN_TABLE)
    seed = (ROOT / "seeds").glob("*.txt").__next__().read_text(encoding="utf-8")[:700]
    full = fs.render_scan(fs.wrap_lines(seed))
    doc = fs.make_doc(tmp / "焦作.doc")
    wps = tmp / "焦作.wps"
    wps.write_bytes(doc.read_bytes())
    return [
        ("docx (6 paragraphs, 1 table)", kb.make_docx(tmp / "焦作.docx")),
        (".doc via LibreOffice", doc),
        (".wps via LibreOffice", wps),
        ("pdf, 3 text pages", kb.make_pdf(tmp / "洛阳.pdf")),
        ("pdf, 1 page with a ruled table", fs.make_pdf_with_table(tmp / "表.pdf")),
        ("pdf, 1 text + 1 scanned page (OCR)", fs.make_scanned_image_pdf(
            tmp / "混合.pdf", [Image.new("L", scan.size, 255), full], text_pages={0: ["焦作市民政局2023年工作要点"]})),
        ("png, 1/2 A4 notice (OCR)", fs.make_scan_png(tmp / "通知.png")),
        ("xlsx, 2 sheets, merged headers", fs.make_xlsx(tmp / "标准.xlsx")),
        ("csv GB18030, 4 rows", fs.make_csv(tmp / "人数.csv")),
        ("ofd, 2 pages", fs.make_ofd(tmp / "通知.ofd")),
        ("html", kb.make_html(tmp / "漯河.html")),
    ]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        for label, path in build(Path(tmp)):
            times = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                ing = process_file(path)
                times.append(time.perf_counter() - t0)
            print(f"{label:38s} {statistics.median(times):7.2f} s  ({len(ing.document.text)} chars, "
                  f"{len(ing.chunks)} chunks, {ing.document.encoding})")
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
