"""``python -m eval.bench_news bm25 DIR``: BM25's top 40 past the prefixes, max-score against the
plain sum (``index.bm25lib.PrunedBM25(maxscore=False)``), on the question set's tokens over a big
generation's bm25s arrays only (no embedder, no Assistant: seconds even at 10^6).

Both are warmed first (the common terms' impact-ordered prefixes are cached in each; that pass is
timed too, as ``first_sight``: the plain sum's pass is the process's first read of the postings), then timed in
turn twice, interleaved, so load changes fall on both; printed: p50/p95/max per way and how many
questions got the same top 40 (chunk for chunk, scores equal)."""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import numpy as np

from index.bm25lib import PrunedBM25, bm25s_module
from index.hybrid import in_vocabulary
from index.store import current_generation
from index.tokenize import Tokenizer

from ..metrics import percentile
from .news_ask import questions

K = 40  # the searcher's candidates per side


def bm25_paths(root: Path, rounds: int = 2) -> dict[str, Any]:
    gen = current_generation(root)
    bm25 = bm25s_module().BM25.load(str(gen / "bm25"), allow_pickle=False)
    qs = questions(int(bm25.scores["num_docs"]))
    tok, vocab = Tokenizer(), set(bm25.vocab_dict)
    tokens = [in_vocabulary(tok(q), vocab) for q in qs]
    ways = {"sum": PrunedBM25(bm25, maxscore=False), "maxscore": PrunedBM25(bm25)}
    first: dict[str, list[float]] = {w: [] for w in ways}  # each question's first sight (maxscore's after sum's)
    for w, p in ways.items():
        for t in tokens:
            s = time.perf_counter()
            p.top_k(t, K)
            first[w].append((time.perf_counter() - s) * 1000)
    times: dict[str, list[float]] = {w: [] for w in ways}
    got: dict[str, list] = {}
    for _ in range(rounds):
        for w, p in ways.items():
            got[w] = []
            for t in tokens:
                s = time.perf_counter()
                got[w].append(p.top_k(t, K))
                times[w].append((time.perf_counter() - s) * 1000)
    same = sum(np.array_equal(a[0], b[0]) and np.allclose(a[1], b[1], rtol=1e-9)
               for a, b in zip(got["sum"], got["maxscore"]))
    out: dict[str, Any] = {"chunks": int(bm25.scores["num_docs"]), "questions": len(qs), "rounds": rounds,
                           "loadavg": os.getloadavg()[0], "identical_top_k": same}
    for w, ts in times.items():
        out[w] = {"p50_ms": percentile(ts, 50), "p95_ms": percentile(ts, 95), "max_ms": max(ts),
                  "first_sight_p95_ms": percentile(first[w], 95), "first_sight_max_ms": max(first[w])}
    return out
