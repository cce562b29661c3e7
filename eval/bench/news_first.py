"""``python -m eval.bench_news first DIR``: where the first round's answer time goes (issue 18).

The real ``Assistant`` over a big generation asks the question set once (each question new to the
process, as ``ask`` round 1) with timers around the parts of the answer stage that do work only
the first time something is seen: the passage finder embedding sentences
(``PassageFinder.sentence_vectors``), fact extraction from a document's text
(``extract_facts`` as the fact-answers stage calls it), document-frequency counting
(``Corpus._count``), the regions matching a place (``Corpus.regions_for``), Chinese numerals
(``chinese_number``: its first call imports cn2an) and jieba dictionary loads
(``jieba.Tokenizer.initialize``); and in the retrieve stage the question's embedding, a common
BM25 term's impact-ordered postings and a document's mean vector. Printed: per part the total over the round, and the questions
of the slowest answer stage (the top 8%, the ones above p95) with their parts. The timers are
plain wrappers (no profiler), so totals are the round's own; an answer-stage time is the
``answer`` entry of ``Answer.timings_ms``.

With ``--cold`` the warm-up that ``open_assistant`` starts (``Assistant.warm_up``) is not run,
as before there was one; a code version without it is measured cold anyway."""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from assistant.answer import corpus, fact_answers, figures, passages
from assistant.chain import Assistant
from index import bm25lib, hybrid
from index.embedders import make_embedder

from ..metrics import percentile
from .common import _peak_mb, _rss_mb
from .latency import timed
from .news_ask import questions

PARTS = ("passage_embed", "extract_facts", "df_count", "regions_for", "chinese_number", "jieba_load")
# first-sight parts of the retrieve stage (index layer): the question's embedding (round 2 takes it
# from the searcher's cache), a common BM25 term's impact-ordered postings, a document's mean vector;
# then the retrieve stage's every-question parts, which hold them: BM25's top k, the vector search,
# the document level (BM25 of the candidate documents' chunks and their mean vectors)
RETRIEVE_PARTS = ("query_embed", "bm25_prefix", "doc_vector", "bm25_topk", "dense_search", "doc_level", "bm25_rows")


def _instrument(acc: dict[str, float]) -> None:
    import jieba

    targets = [(passages.PassageFinder, "sentence_vectors", "passage_embed"),
               (fact_answers, "extract_facts", "extract_facts"), (corpus.Corpus, "_count", "df_count"),
               (corpus.Corpus, "regions_for", "regions_for"), (figures, "chinese_number", "chinese_number"),
               (jieba.Tokenizer, "initialize", "jieba_load"), (hybrid.HybridSearcher, "query_vector", "query_embed"),
               (bm25lib.PrunedBM25, "_impact_prefix", "bm25_prefix"), (hybrid.HybridSearcher, "_doc_vector", "doc_vector"),
               (bm25lib.PrunedBM25, "top_k", "bm25_topk"), (hybrid.HybridSearcher, "dense_ranking", "dense_search"),
               (hybrid.HybridSearcher, "doc_rankings", "doc_level"), (bm25lib.PrunedBM25, "score_rows", "bm25_rows")]
    for owner, name, label in targets:
        setattr(owner, name, timed(acc, label, getattr(owner, name)))


def first(root: Path, cold: bool = False) -> dict[str, Any]:
    import faiss

    acc: dict[str, float] = {}
    _instrument(acc)
    out: dict[str, Any] = {"rss_start_mb": _rss_mb(), "cold": cold}
    t = time.perf_counter()
    a = Assistant(root, make_embedder(None))
    out["load_s"] = time.perf_counter() - t
    warm = getattr(a, "warm_up", None)
    out["warm_up"] = bool(warm) and not cold
    if warm is not None and not cold:
        t = time.perf_counter()
        warm().join()
        out["warm_up_s"] = time.perf_counter() - t
    qs = questions(len(a.index.chunks))
    faiss.omp_set_num_threads(1)
    a.ask(qs[0])  # as `ask`: one question before the clock (the embedder's first call)
    acc.clear()
    rows = []
    for q in qs:
        acc.clear()
        t = time.perf_counter()
        ans = a.ask(q)
        rows.append({"question": q, "total_ms": (time.perf_counter() - t) * 1000,
                     "answer_ms": ans.timings_ms.get("answer", 0.0), "retrieve_ms": ans.timings_ms.get("retrieve", 0.0),
                     **{k: round(v, 2) for k, v in acc.items()}})
    answer = [r["answer_ms"] for r in rows]
    total = [r["total_ms"] for r in rows]
    top = sorted(rows, key=lambda r: -r["answer_ms"])[:max(1, round(len(rows) * 0.08))]
    out.update({"questions": len(rows), "loadavg": os.getloadavg()[0], "chunks": len(a.index.chunks),
                "total_p50_ms": percentile(total, 50), "total_p95_ms": percentile(total, 95), "total_max_ms": max(total),
                "answer_p50_ms": percentile(answer, 50), "answer_p95_ms": percentile(answer, 95),
                "answer_sum_ms": sum(answer), "parts_sum_ms": {k: sum(r.get(k, 0.0) for r in rows) for k in PARTS},
                "slowest": top, "retrieve_p95_ms": percentile([r["retrieve_ms"] for r in rows], 95),
                "retrieve_parts_sum_ms": {k: sum(r.get(k, 0.0) for r in rows) for k in RETRIEVE_PARTS},
                "slowest_total": sorted(rows, key=lambda r: -r["total_ms"])[:max(1, round(len(rows) * 0.08))],
                "peak_rss_mb": _peak_mb()})
    return out
