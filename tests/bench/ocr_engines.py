"""OCR candidates on scanned-looking pages rendered from the seed reports: character accuracy
against the source text and seconds per page. Figures, not a test:

    .venv/bin/python tests/bench/ocr_engines.py [--dpi 200 --dpi 300] [--pages 5]

For each seed report, the first ``--chars`` characters are wrapped into lines, printed on an A4
page at each dpi, rotated 0.6°, speckled and blurred (tests/format_samples.render_scan), then
read by Debian's tesseract (chi_sim, `tesseract-ocr-chi-sim`, --psm 6) and by
rapidocr-onnxruntime (PP-OCRv4 models from its wheel; the text-angle classifier off, as in
ingest/formats/ocr_worker.py: with it on, whole lines of an upright page were turned 180° and lost). Accuracy = 1 − edit distance / length, over the text with
all whitespace removed (tesseract puts spaces between Han characters) and ASCII/full-width
punctuation folded (，, ：: …).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from format_samples import render_scan, wrap_lines  # noqa: E402


def normalise(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def accuracy(truth: str, got: str) -> float:
    t, g = normalise(truth), normalise(got)
    return max(0.0, 1 - edit_distance(t, g) / max(len(t), 1))


def tesseract(png: Path) -> str:
    out = subprocess.run(["tesseract", str(png), "-", "-l", "chi_sim", "--psm", "6"],
                         capture_output=True, text=True, timeout=300)
    return out.stdout


_rapid = None


def rapidocr(png: Path) -> str:
    global _rapid
    if _rapid is None:
        from rapidocr_onnxruntime import RapidOCR

        # as ocr_worker: no angle classifier (it flips whole lines), one inference thread
        _rapid = RapidOCR(use_cls=False, intra_op_num_threads=1, inter_op_num_threads=1)
    result, _ = _rapid(str(png))
    return "\n".join(r[1] for r in (result or []))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dpi", type=int, action="append")
    ap.add_argument("--pages", type=int, default=5)
    ap.add_argument("--chars", type=int, default=700)
    args = ap.parse_args()
    dpis = args.dpi or [200]
    seeds = sorted((ROOT / "seeds").glob("*.txt"))[:args.pages]
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    engines = {"tesseract chi_sim": tesseract, "rapidocr-onnxruntime": rapidocr}
    rapidocr_warm = time.perf_counter()
    rapidocr(_blank())  # model load, reported apart from the per-page time
    print(f"rapidocr model load {time.perf_counter() - rapidocr_warm:.1f} s")
    totals: dict[tuple[str, int], list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for dpi in dpis:
            for k, seed in enumerate(seeds):
                text = seed.read_text(encoding="utf-8")[:args.chars]
                lines = wrap_lines(text)
                png = Path(tmp) / f"{seed.stem}_{dpi}.png"
                render_scan(lines, dpi=dpi, seed=k).save(png)
                truth = "".join(lines)
                for name, fn in engines.items():
                    t0 = time.perf_counter()
                    got = fn(png)
                    dt = time.perf_counter() - t0
                    acc = accuracy(truth, got)
                    totals.setdefault((name, dpi), []).append((acc, dt))
                    print(f"{dpi} dpi {seed.name[:3]} {name:22s} accuracy {acc:6.1%}  {dt:5.1f} s/page")
    print("\nengine                  dpi  pages  char accuracy  s/page")
    for (name, dpi), rows in totals.items():
        acc = sum(a for a, _ in rows) / len(rows)
        sec = sum(t for _, t in rows) / len(rows)
        print(f"{name:22s} {dpi:4d}  {len(rows):5d}  {acc:12.1%}  {sec:6.1f}")
    print(f"load average {os.getloadavg()[0]:.1f}")


def _blank() -> Path:
    from PIL import Image

    p = Path(tempfile.gettempdir()) / "ocr_bench_blank.png"
    Image.new("L", (200, 60), 255).save(p)
    return p


if __name__ == "__main__":
    main()
