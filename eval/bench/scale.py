"""The synthetic-scale benchmark (``civilqa bench --scale N``), run in a child process per size."""
from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any, Callable

from assistant.chain import open_assistant
from index.hybrid import build_bm25
from index.tokenize import Tokenizer
from ingest.places import gazetteer
from ingest.text import normalize, split_sentences

from ..dataset import load_questions
from ..metrics import percentile
from .common import ROOT, TARGETS, _peak_mb, _rss_mb


@dataclass(frozen=True)
class Synthetic:
    chunk_sentences: Any  # int32 array (n, 2): variant ids of the chunk's two sentences
    variant_template: Any  # int32 array: template id of each variant
    variant_tokens: list[list[str]]
    variant_chars: list[int]
    template_vectors: Any  # float32 (templates, d): real passage vectors of the templates


_NUM = re.compile(r"\d+(?:\.\d+)?")
_YEAR = re.compile(r"20[0-2]\d(?=年)")


def template_sentences(documents: dict[str, dict[str, Any]], min_chars: int = 12,
                       max_chars: int = 160) -> list[str]:
    out, seen = [], set()
    for _, d in sorted(documents.items()):
        text = d["text"]
        for s, e in split_sentences(text):
            sent = re.sub(r"\s+", "", text[s:e])
            if min_chars <= len(sent) <= max_chars and sent not in seen:
                seen.add(sent)
                out.append(sent)
    return out


def vary(sentence: str, rng: random.Random, places: list[str], place_re: re.Pattern[str]) -> str:
    """The sentence with other places, years and figures (same number of digits)."""
    s = place_re.sub(lambda m: rng.choice(places), sentence)
    s = _YEAR.sub(lambda m: str(rng.randint(2012, 2025)), s)

    def number(m: re.Match[str]) -> str:
        text = m.group(0)
        if re.fullmatch(r"20[12]\d", text):
            return text
        whole, _, frac = text.partition(".")
        first = str(rng.randint(1, 9)) if len(whole) > 1 or whole != "0" else "0"
        new = first + "".join(str(rng.randint(0, 9)) for _ in range(len(whole) - 1))
        if frac:
            new += "." + "".join(str(rng.randint(0, 9)) for _ in frac)
        return new

    return _NUM.sub(number, s)


def make_synthetic(n: int, templates: list[str], template_vectors: Any, variants: int, seed: int = 7,
                   tokenizer: Callable[[str], list[str]] | None = None) -> tuple[Synthetic, dict[str, float]]:
    import numpy as np

    rng = random.Random(seed)
    names = sorted({p.name for p in gazetteer().values()})
    place_re = re.compile("|".join(re.escape(x) for x in sorted(names, key=len, reverse=True)))
    tok = tokenizer or Tokenizer()
    n_var = min(variants, 2 * n)
    t = time.perf_counter()
    var_template = np.empty(n_var, dtype=np.int32)
    texts = []
    for i in range(n_var):
        j = i % len(templates) if i < len(templates) else rng.randrange(len(templates))
        var_template[i] = j
        texts.append(templates[j] if i < len(templates) else vary(templates[j], rng, names, place_re))
    gen_s = time.perf_counter() - t
    t = time.perf_counter()
    tokens = [tok(x) for x in texts]
    tok_s = time.perf_counter() - t
    nprng = np.random.default_rng(seed)
    chunk_sentences = nprng.integers(0, n_var, size=(n, 2), dtype=np.int32)
    chars = sum(len(x) for x in texts)
    return (Synthetic(chunk_sentences, var_template, tokens, [len(x) for x in texts], template_vectors),
            {"variants": n_var, "generate_s": gen_s, "tokenize_s": tok_s,
             "tokenize_chars_per_s": chars / tok_s if tok_s else None,
             "avg_chunk_chars": 2 * chars / n_var})


def synthetic_vectors(syn: Synthetic, kind: str, sigma: float, seed: int = 11, batch: int = 100_000):
    import numpy as np

    n = len(syn.chunk_sentences)
    d = syn.template_vectors.shape[1]
    rng = np.random.default_rng(seed)
    out = np.empty((n, d), dtype=np.float32)
    for s in range(0, n, batch):
        e = min(n, s + batch)
        if kind == "random":
            v = rng.standard_normal((e - s, d), dtype=np.float32)
        else:
            tids = syn.variant_template[syn.chunk_sentences[s:e]]
            v = syn.template_vectors[tids[:, 0]] + syn.template_vectors[tids[:, 1]]
            v += sigma * rng.standard_normal((e - s, d), dtype=np.float32)
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        out[s:e] = v
    return out


def _time_queries(search: Callable[[Any], Any], queries: Any, repeat: int = 1) -> tuple[list[float], list[Any]]:
    """One query at a time, as the app serves them. FAISS runs single-threaded here: for a
    single query its OpenMP threads only add hand-off and spin costs (a server gets its
    parallelism from concurrent requests instead)."""
    import faiss

    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    times, results = [], []
    try:
        for _ in range(repeat):
            results = []
            for q in queries:
                t = time.perf_counter()
                results.append(search(q))
                times.append((time.perf_counter() - t) * 1000)
    finally:
        faiss.omp_set_num_threads(threads)
    return times, results


def _recall(truth: list[Any], got: list[Any], k: int = 10) -> float:
    hits = sum(len(set(t[:k]) & set(g[:k])) for t, g in zip(truth, got))
    return hits / (k * len(truth))


def _faiss_size_mb(index: Any) -> float:
    import faiss

    return faiss.serialize_index(index).nbytes / 2**20


def bench_scale(n: int, vectors: str = "structured", sigma: float = 0.02, variants: int = 200_000,
                hnsw_max: int = 200_000, seed: int = 7, assistant: Any = None,
                templates_max: int = 0) -> dict[str, Any]:
    """One scale case (run it in its own process for a clean peak-memory figure).
    ``assistant`` supplies the seed documents and the embedder (default: the product index);
    ``templates_max`` (0: all) caps the real template sentences embedded (~14 a second here),
    which is most of a small case's time."""
    import numpy as np

    out: dict[str, Any] = {"n": n, "vectors": vectors, "sigma": sigma if vectors == "structured" else None,
                           "rss_start_mb": _rss_mb()}
    a = assistant or open_assistant()
    templates = template_sentences(a.index.documents)
    templates = templates[:templates_max] if templates_max > 0 else templates
    t = time.perf_counter()
    tvec = a.embedder.encode_passages(templates).astype(np.float32)
    out["templates"] = len(templates)
    out["template_embed_s"] = time.perf_counter() - t
    questions = [q.question for q in load_questions().questions]
    qvec = np.stack([a.embedder.encode_query(normalize(q)) for q in questions]).astype(np.float32)
    tok = Tokenizer()
    qtokens = [tok(normalize(q)) for q in questions]
    del a

    syn, facts = make_synthetic(n, templates, tvec, variants, seed=seed, tokenizer=tok)
    out["synthetic"] = facts
    _bench_bm25(out, syn, qtokens)

    t = time.perf_counter()
    xb = synthetic_vectors(syn, vectors, sigma)
    out["vectors_s"] = time.perf_counter() - t
    truth = _bench_flat(out, xb, qvec)
    _bench_ivf(out, xb, qvec, truth, seed)
    if n <= hnsw_max:
        _bench_hnsw(out, xb, qvec, truth)
    out["peak_rss_mb"] = _peak_mb()
    out["queries"] = len(questions)
    return out


def _bench_bm25(out: dict[str, Any], syn: Synthetic, qtokens: list[list[str]]) -> None:
    """BM25 build and query time: a chunk's tokens are its two sentences' tokens."""
    t = time.perf_counter()
    corpus = [syn.variant_tokens[i] + syn.variant_tokens[j] for i, j in syn.chunk_sentences.tolist()]
    out["bm25_assemble_s"] = time.perf_counter() - t
    t = time.perf_counter()
    bm25 = build_bm25(corpus)
    out["bm25_build_s"] = time.perf_counter() - t
    del corpus
    arrays = getattr(bm25, "scores", {}) or {}
    out["bm25_size_mb"] = sum(getattr(v, "nbytes", 0) for v in arrays.values()) / 2**20
    vocab = set(getattr(bm25, "vocab_dict", {}) or {})
    qt = [[x for x in q if x in vocab] or ["\u2205"] for q in qtokens]
    times, _ = _time_queries(lambda q: bm25.retrieve([q], k=40, show_progress=False, n_threads=1), qt)
    out["bm25_query_p50_ms"], out["bm25_query_p95_ms"] = percentile(times, 50), percentile(times, 95)
    out["rss_after_bm25_mb"] = _rss_mb()


def _bench_flat(out: dict[str, Any], xb: Any, qvec: Any, k: int = 10) -> list[Any]:
    """Exact search: its figures, and the true neighbours the approximate indexes are held to."""
    import faiss

    flat = faiss.IndexFlatIP(xb.shape[1])
    t = time.perf_counter()
    flat.add(xb)
    out["flat"] = {"build_s": time.perf_counter() - t, "size_mb": _faiss_size_mb(flat)}
    times, truth = _time_queries(lambda q: flat.search(q[None, :], k)[1][0].tolist(), qvec)
    out["flat"].update(p50_ms=percentile(times, 50), p95_ms=percentile(times, 95), recall_at_10=1.0)
    return truth


def _bench_ivf(out: dict[str, Any], xb: Any, qvec: Any, truth: list[Any], seed: int, k: int = 10) -> None:
    import faiss
    import numpy as np

    n, d = xb.shape
    nlist = 1024 if n <= 300_000 else 4096
    nlist = min(nlist, max(1, n // 39))
    quantizer = faiss.IndexFlatIP(d)
    ivf = faiss.IndexIVFFlat(quantizer, d, nlist, faiss.METRIC_INNER_PRODUCT)
    train = xb[np.random.default_rng(seed).choice(n, size=min(n, 64 * nlist), replace=False)]
    t = time.perf_counter()
    ivf.train(train)
    train_s = time.perf_counter() - t
    t = time.perf_counter()
    ivf.add(xb)
    out["ivf"] = {"nlist": nlist, "train_s": train_s, "add_s": time.perf_counter() - t,
                  "build_s": train_s + time.perf_counter() - t, "size_mb": _faiss_size_mb(ivf), "sweep": []}
    probes = {p for p in (1, 2, 4, 8, 16, 32, 64, 128, 256, 512) if p <= nlist}
    if nlist <= 512:
        probes.add(nlist)  # exhaustive: recall must be 1.0
    for nprobe in sorted(probes):
        ivf.nprobe = nprobe
        times, got = _time_queries(lambda q: ivf.search(q[None, :], k)[1][0].tolist(), qvec)
        out["ivf"]["sweep"].append({"nprobe": nprobe, "recall_at_10": _recall(truth, got),
                                    "p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95)})
    del train
    out["rss_after_ivf_mb"] = _rss_mb()


def _bench_hnsw(out: dict[str, Any], xb: Any, qvec: Any, truth: list[Any], k: int = 10) -> None:
    import faiss

    hnsw = faiss.IndexHNSWFlat(xb.shape[1], 32, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = 40
    t = time.perf_counter()
    hnsw.add(xb)
    out["hnsw"] = {"M": 32, "efConstruction": 40, "build_s": time.perf_counter() - t,
                   "size_mb": _faiss_size_mb(hnsw), "sweep": []}
    for ef in (16, 32, 64, 128, 256):
        hnsw.hnsw.efSearch = ef
        times, got = _time_queries(lambda q: hnsw.search(q[None, :], k)[1][0].tolist(), qvec)
        out["hnsw"]["sweep"].append({"efSearch": ef, "recall_at_10": _recall(truth, got),
                                     "p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95)})


def chosen(sweep: list[dict[str, Any]], recall: float = TARGETS["scale_recall"]) -> dict[str, Any] | None:
    """The cheapest setting of an approximate index that reaches the recall target."""
    ok = [s for s in sweep if s["recall_at_10"] >= recall]
    return ok[0] if ok else None


def run_scale_child(n: int, vectors: str, sigma: float, variants: int, hnsw_max: int,
                    env: dict[str, str] | None = None, templates_max: int = 0) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "eval.bench", "scale", str(n), vectors, str(sigma), str(variants), str(hnsw_max),
           str(templates_max)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=4 * 3600)
    if proc.returncode != 0:
        raise RuntimeError(f"scale benchmark n={n} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])
