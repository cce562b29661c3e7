"""How documents' regions and periods are detected, on documents nobody tuned for.

    .venv/bin/python -m eval.doc_regions            # the figures below, for the code in this tree

Prints, for the 58 news items of ``../shared/corpus/news`` and the 599 documents of
``../shared/benchmarks/ncppolicies/docs.jsonl`` (read in place, never copied): the
distribution of detected levels and "not stated"; then the accuracy of region (and
level) on the hand-labelled sample ``eval/data/doc_region_labels.jsonl`` (docid → the
region read off the document by a person; ``sample``: ``tuning`` — 40 documents whose
errors were looked at while writing the rules — or ``holdout`` — 20 labelled later and
only measured) and on the team's own fixture documents
(``tests/ingest/fixtures/regions.jsonl``, by split).
"""
from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from ingest.cleaning import clean_with_blocks
from ingest.metadata import detect

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
LABELS = Path(__file__).with_name("data") / "doc_region_labels.jsonl"
FIXTURES = ROOT / "tests" / "ingest" / "fixtures"


def _meta(text: str, name: str):
    cleaned, blocks = clean_with_blocks(text)
    if not cleaned.strip():
        return None
    return detect(cleaned, blocks, name)


def corpora(shared: Path) -> dict[str, dict[str, str]]:
    news = {p.stem: p.read_text(encoding="utf-8") for p in sorted((shared / "corpus" / "news").glob("news_*.txt"))}
    ncp = {}
    path = shared / "benchmarks" / "ncppolicies" / "docs.jsonl"
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            ncp[d["docid"]] = d["text"]
    return {"news": news, "ncppolicies": ncp}


def _level(m) -> str:
    if m is None:
        return "(dropped)"
    if not m.city:
        return f"not stated ({getattr(m, 'region_source', None) or '-'})"
    return getattr(m, "region_level", None) or "(no level field)"


def _row(label: dict, m) -> tuple[bool, bool]:
    city = m.city if m is not None else None
    ok = city == label["city"]
    level_ok = ok and (label.get("region_level") is None or getattr(m, "region_level", None) == label["region_level"])
    return ok, level_ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--show-wrong", action="store_true", help="list the labelled documents detected wrongly")
    args = ap.parse_args(argv)
    sets = corpora(args.shared)
    metas: dict[str, dict[str, object]] = {}
    for name, docs in sets.items():
        metas[name] = {k: _meta(t, k) for k, t in docs.items()}
        levels = Counter(_level(m) for m in metas[name].values())
        years = sum(1 for m in metas[name].values() if m is not None and m.year)
        print(f"{name}: {len(docs)} documents; region level: "
              + ", ".join(f"{k} {v}" for k, v in levels.most_common()) + f"; with a year {years}")
    if LABELS.is_file():
        labels = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
        by_set: Counter[tuple[str, str]] = Counter()
        right: Counter[tuple[str, str]] = Counter()
        right_level: Counter[tuple[str, str]] = Counter()
        for lab in labels:
            m = metas.get(lab["set"], {}).get(lab["docid"])
            ok, level_ok = _row(lab, m)
            key = (lab.get("sample", "tuning"), lab["set"])
            by_set[key] += 1
            right[key] += ok
            right_level[key] += level_ok
            if args.show_wrong and not ok:
                print(f"  wrong {key[0]} {lab['set']} {lab['docid'][:12]}: expected {lab['city']!r}, got "
                      f"{getattr(m, 'city', None)!r} ({getattr(m, 'region_source', None)})")
        for sample in sorted({k[0] for k in by_set}, reverse=True):
            keys = [k for k in by_set if k[0] == sample]
            for k in keys:
                print(f"labelled {sample} {k[1]}: region right {right[k]}/{by_set[k]} ({right[k] / by_set[k]:.0%}), "
                      f"region and level right {right_level[k]}/{by_set[k]}")
            n, r = sum(by_set[k] for k in keys), sum(right[k] for k in keys)
            print(f"labelled {sample} all: region right {r}/{n} ({r / n:.0%})")
    fx = FIXTURES / "regions.jsonl"
    if fx.is_file():
        rows = [json.loads(line) for line in fx.read_text(encoding="utf-8").splitlines() if line.strip()]
        for split in ("dev", "test"):
            part = [r for r in rows if r["split"] == split]
            got = [_meta((FIXTURES / "regions" / r["file"]).read_text(encoding="utf-8"), r["file"]) for r in part]
            region = sum(_row(r, m)[1] for r, m in zip(part, got))
            period = sum(m is not None and all(getattr(m, k, None) == r[k] for k in ("year", "period", "issued", "effective"))
                         for r, m in zip(part, got))
            print(f"fixtures {split}: region+level right {region}/{len(part)}, period fields right {period}/{len(part)}")
            if args.show_wrong:
                for r, m in zip(part, got):
                    if not _row(r, m)[1]:
                        print(f"  wrong {r['file']}: expected {r['city']!r}, got {getattr(m, 'city', None)!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
