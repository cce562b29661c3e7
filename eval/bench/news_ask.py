"""``python -m eval.bench_news ask DIR`` / ``milvus DIR``: the real ``Assistant`` over a big
index generation (FAISS files, or the same generation published to milvus-lite): load, ``ask``
p50/p95 end to end with its stages, BM25 top-10 against bm25s unpruned, recall@10 of the vector
search against exact search for the real query vectors."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np

from assistant.chain import Assistant
from assistant.query import analyze
from index import ann
from index import backend as backends
from index import store
from index.bm25lib import PrunedBM25
from index.embedders import make_embedder
from index.fusion import rrf
from index.hybrid import in_vocabulary
from index.tokenize import Tokenizer
from ingest.text import normalize

from ..dataset import load_questions
from ..metrics import percentile
from .common import _peak_mb, _rss_mb
from .news_data import CACHE
from .seeds import time_asks


def questions(n_chunks: int, step: int | None = None) -> list[str]:
    qs = [q.question for q in load_questions().questions]
    # every other question at 10^6: two rounds of all 209 take too long here
    return qs[::step or (2 if n_chunks > 500_000 else 1)]


def ask(root: Path, rounds: int = 2, backend: Any = None, step: int | None = None,
        nprobe: int | None = None) -> dict[str, Any]:
    """The real Assistant over the big index: load, ask p50/p95 with stages, BM25 overlap, recall.
    With ``backend`` (Milvus) the references are the local generation's bm25s and vectors; ``step``:
    every step-th question only; ``nprobe``: search the IVF index with this nprobe instead of the
    manifest's (what recall and latency would be at a chosen setting; FAISS only)."""
    import faiss

    out: dict[str, Any] = {"rss_start_mb": _rss_mb()}
    embedder = make_embedder(None)
    t = time.perf_counter()
    a = Assistant(root, embedder, backend=backend) if backend is not None else Assistant(root, embedder)
    out["load_s"] = time.perf_counter() - t
    # as `civilqa ui` starts (open_assistant(warm=True)): the one-time loads in the background, done before
    # the first user asks (a server takes longer than that to start listening)
    t = time.perf_counter()
    a.warm_up().join()
    out["warm_up_s"] = time.perf_counter() - t
    out["rss_loaded_mb"] = _rss_mb()
    if nprobe is not None:
        ann.ivf_part(a.index.faiss_index).nprobe = int(nprobe)
        out["nprobe_override"] = int(nprobe)
    qs = questions(len(a.index.chunks), step)
    out["question_step"] = step
    faiss.omp_set_num_threads(1)  # one question at a time, as served; see eval.bench._time_queries
    a.ask(qs[0])
    out["rounds"] = []
    # round 1 meets every question for the first time; round 2 asks them again, as a server does
    # once the answerer's per-term and per-document caches are filled
    for _ in range(rounds):
        out["rounds"].append({**time_asks(a, qs), "loadavg": os.getloadavg()[0]})
    out["ask"] = out["rounds"][0]
    out["rss_after_ask_mb"] = _rss_mb()
    out["retrieve_split"] = retrieval_split(a.searcher, qs)
    local = a.index if backend is None else store.load(root)
    out["bm25"] = bm25_overlap(a.index, local.bm25, qs)
    qv, te = [], []
    for q in qs:  # the query embedding alone: the part of `retrieve` that does not depend on N
        t = time.perf_counter()
        qv.append(embedder.encode_query(normalize(q)))
        te.append((time.perf_counter() - t) * 1000)
    out["query_embed"] = {"p50_ms": percentile(te, 50), "p95_ms": percentile(te, 95), "loadavg": os.getloadavg()[0]}
    out["vector"] = vector_recall(a.index, local.vectors(), np.stack(qv).astype(np.float32))
    out["peak_rss_mb"] = _peak_mb()
    out["chunks"] = len(a.index.chunks)
    return out


def retrieval_split(searcher, qs: list[str]) -> dict[str, Any]:
    """Where ``retrieve`` spends its time, per question (p50/p95 ms): the query embedding (not
    cached), the BM25 and dense rankings, the document level over the candidates' documents, and
    the whole search again with the query vector cached (fusion, boosts, passages included)."""
    parts: dict[str, list[float]] = {k: [] for k in ("embed", "bm25", "dense", "doc_level", "search_cached_vector")}

    def timed(name: str, f):
        t = time.perf_counter()
        r = f()
        parts[name].append((time.perf_counter() - t) * 1000)
        return r

    for q in qs:
        hints = analyze(q).hints()
        v = timed("embed", lambda: searcher.embedder.encode_query(q))
        searcher._qv.put(q, v)  # the whole search below then finds it cached
        qv = v[None, :]
        bm = timed("bm25", lambda: searcher.bm25_ranking(q, hints.extra_terms))
        de = timed("dense", lambda: searcher.dense_ranking(q, qv))
        fused = rrf([[i for i, _ in bm], [i for i, _ in de]], searcher.options.rrf_k)
        docs = sorted({int(searcher._owner[i]) for i in fused})
        timed("doc_level", lambda: searcher.doc_rankings(q, hints.extra_terms, qv, docs))
        timed("search_cached_vector", lambda: searcher(q, hints))
    return {"loadavg": os.getloadavg()[0], "questions": len(qs),
            **{k: {"p50_ms": percentile(v, 50), "p95_ms": percentile(v, 95)} for k, v in parts.items()}}


def bm25_overlap(index, reference, qs: list[str], k: int = 10) -> dict[str, Any]:
    """The product's BM25 top-k (``PrunedBM25``, or the backend's own ranker as ``HybridSearcher``
    uses it) against bm25s' unpruned top-k of ``reference``, with both timings."""
    ranker = index.bm25 if hasattr(index.bm25, "top_k") else PrunedBM25(index.bm25)
    vocab = set(reference.vocab_dict)
    tok = Tokenizer()
    qtok = [x for x in (in_vocabulary(tok(normalize(q)), vocab) for q in qs) if x]
    overlaps, exact, tp, tu = [], 0, [], []
    for x in qtok:
        t = time.perf_counter()
        ids, got_scores, ex = ranker.top_k(x, k)
        tp.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        docs, scores = reference.retrieve([x], k=k, show_progress=False, n_threads=1)
        tu.append((time.perf_counter() - t) * 1000)
        ref = [(int(d), float(s)) for d, s in zip(docs[0], scores[0]) if s > 0]
        # a chunk tied with the unpruned k-th score is as good a k-th as bm25s' (ties are arbitrary)
        kth = ref[-1][1] * (1 - 1e-6) if len(ref) == k else float("inf")
        same = {d for d, _ in ref} | {int(d) for d, s in zip(ids, got_scores) if s >= kth}
        overlaps.append(sum(int(d) in same for d in ids[:len(ref)]) / len(ref) if ref else 1.0)
        exact += ex
    return {"queries": len(qtok), "top10_overlap": float(np.mean(overlaps)), "exact_share": exact / len(qtok),
            "min_overlap": float(min(overlaps)),
            "pruned_p50_ms": percentile(tp, 50), "pruned_p95_ms": percentile(tp, 95),
            "unpruned_p50_ms": percentile(tu, 50), "unpruned_p95_ms": percentile(tu, 95)}


def vector_recall(index, vectors: np.ndarray, qv: np.ndarray, k: int = 10) -> dict[str, Any]:
    """recall@k of ``index.search`` (one query at a time, as served) against exact search."""
    import faiss

    got, ts = [], []
    for q in qv:
        t = time.perf_counter()
        got.append(index.search(q[None, :], k)[1][0].tolist())
        ts.append((time.perf_counter() - t) * 1000)
    truth = faiss.knn(qv, vectors, k, metric=faiss.METRIC_INNER_PRODUCT)[1]
    return {"info": index.vector_index, "queries": len(qv), "mean_search_ms": float(np.mean(ts)),
            "p50_ms": percentile(ts, 50), "p95_ms": percentile(ts, 95),
            "recall_at_10": sum(len(set(g) & set(r)) for g, r in zip(got, truth.tolist())) / truth.size}


def sweep(root: Path, values: list[int]) -> dict[str, Any]:
    """recall@10 of the real query vectors (all questions) and the search time (one query, one
    thread, k = 40 as ``dense_ranking`` asks) at each value of the index's search parameter
    (IVF nprobe, HNSW efSearch), next to the probe queries' recall at ingest for the same value:
    how well the probes track real questions."""
    import faiss

    index = store.load(root, verify=False)
    kind = index.vector_index["kind"]
    if kind == "flat":
        raise SystemExit("a Flat index has no search parameter")
    embedder = make_embedder(None)
    qs = [q.question for q in load_questions().questions]
    qv = np.stack([embedder.encode_query(normalize(q)) for q in qs]).astype(np.float32)
    x = index.vectors()
    truth = faiss.knn(qv, x, 10, metric=faiss.METRIC_INNER_PRODUCT)[1].tolist()
    config = ann.IndexConfig()
    probes = ann.probe_queries(x, config.sample, config.seed)
    probe_truth = faiss.knn(probes, x, 10, metric=faiss.METRIC_INNER_PRODUCT)[1].tolist()
    target = ann.ivf_part(index.faiss_index) if kind in ("ivf", "ivf_sq") else index.faiss_index.hnsw
    attr = "nprobe" if kind in ("ivf", "ivf_sq") else "efSearch"
    faiss.omp_set_num_threads(1)
    rows = []
    for value in values:
        setattr(target, attr, int(value))
        got, ts = [], []
        for q in qv:
            t = time.perf_counter()
            got.append(index.search(q[None, :], 40)[1][0][:10].tolist())
            ts.append((time.perf_counter() - t) * 1000)
        rows.append({attr: int(value), "recall_at_10": ann.recall(truth, got),
                     "probe_recall_at_10": ann.recall(probe_truth, index.search(probes, 10)[1].tolist()),
                     "p50_ms": percentile(ts, 50), "p95_ms": percentile(ts, 95), "loadavg": os.getloadavg()[0]})
    return {"chunks": len(x), "kind": kind, "queries": len(qs), "probe_noise": ann.QUERY_NOISE, "rows": rows}


def milvus(root: Path, step: int = 10, rounds: int = 1) -> dict[str, Any]:
    """The generation in ``root`` published to a fresh milvus-lite file (the product's publish:
    dense index by size, nprobe/ef tuned there), then ``ask`` on it over every ``step``-th
    question (milvus-lite 3 takes seconds per sparse search at 10^5 rows: see the report)."""
    db = CACHE / f"milvus-{root.name}.db"
    shutil.rmtree(db, ignore_errors=True)
    if db.is_file():
        db.unlink()
    lite = backends.parse(f"milvus-lite://{db}?collection=bench")
    out: dict[str, Any] = {"rss_start_mb": _rss_mb()}
    t = time.perf_counter()
    backends.publish(root, lite)
    out["publish_s"] = time.perf_counter() - t
    out["rss_published_mb"] = _rss_mb()
    out["loadavg_publish"] = os.getloadavg()[0]
    out.update(ask(root, rounds, backend=lite, step=step))
    out["milvus_lite"] = _version("milvus-lite")
    out["pymilvus"] = _version("pymilvus")
    return out


def _version(dist: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return None
