"""How often the text decoder picks the right encoding: figures, not a test.

    python -m eval.encodings [--seeds DIR]

Every seed report is cut into pieces of 4, 12, 60 and 400 characters and used whole, written in
GB18030, Big5 (its traditional form, OpenCC s2tw), UTF-16 LE and BE without BOM, and decoded by
``ingest.loading.decode_bytes`` (right = the original text), by charset-normalizer alone
(``from_bytes(data).best()``), and by the order main used (UTF-8, GB18030, then
charset-normalizer, after its binary check on the bytes). Prints the share right per encoding and length, and the decode time.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from ingest.errors import IngestError
from ingest.loading import decode_bytes
from ingest.text import converter

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
LENGTHS = (4, 12, 60, 400, None)  # None: the whole report
ENCODINGS = ("gb18030", "big5", "utf-16-le", "utf-16-be")


def _cn_only(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return str(best) if best is not None else None


def _old_order(data: bytes) -> str | None:
    sample = data[:8192]  # main's binary check, on the bytes
    if b"\x00" in sample or sum(b < 32 and b not in (9, 10, 12, 13, 27) for b in sample) > max(4, len(sample) // 100):
        return None
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            pass
    return _cn_only(data)


def _ours(data: bytes) -> str | None:
    try:
        return decode_bytes(data, "x.txt")[0]
    except IngestError:
        return None


def pieces(texts: list[str], length: int | None, per_text: int = 8) -> list[str]:
    if length is None:
        return texts
    out = []
    for t in texts:
        t = "".join(t.split())  # no line breaks: a piece of the running text
        step = max(length, len(t) // per_text)
        out += [t[i:i + length] for i in range(0, len(t) - length, step)][:per_text]
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=Path, default=SEEDS)
    args = ap.parse_args(argv)
    texts = [p.read_text(encoding="utf-8") for p in sorted(args.seeds.glob("*.txt"))]
    to_big5 = converter("s2tw")
    deciders = {"decode_bytes": _ours, "charset-normalizer": _cn_only, "main (utf-8, gb18030, cn)": _old_order}
    print(f"{'encoding':10} {'length':>6} {'n':>4}  " + "  ".join(f"{k:>26}" for k in deciders))
    seconds = {k: 0.0 for k in deciders}
    for enc in ENCODINGS:
        for length in LENGTHS:
            cases = []
            for t in pieces(texts, length):
                src = to_big5.convert(t) if enc == "big5" else t
                data = src.encode(enc, errors="replace")
                cases.append((data, data.decode(enc)))
            row = []
            for name, decide in deciders.items():
                t0 = time.perf_counter()
                right = sum(decide(data) == src for data, src in cases)
                seconds[name] += time.perf_counter() - t0
                row.append(f"{right}/{len(cases)} ({right / len(cases):.0%})")
            print(f"{enc:10} {length or 'whole':>6} {len(cases):>4}  " + "  ".join(f"{r:>26}" for r in row))
    print("seconds in total: " + ", ".join(f"{k} {v:.2f}" for k, v in seconds.items()))


if __name__ == "__main__":
    main()
