"""Benchmarks on the seed reports: cold start, warm latency, ingest."""
from __future__ import annotations

import os
import re
import shutil
import statistics
import time
from pathlib import Path
from typing import Any

from assistant.chain import Assistant

from ..dataset import load_questions
from ..metrics import percentile
from .common import COLD_QUESTION, _child, _civilqa


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
    qs = questions or [q.question for q in load_questions().questions]
    a = Assistant(index_dir, embedder)
    a.ask(COLD_QUESTION)
    return time_asks(a, qs, rounds)


def time_asks(assistant: Any, questions: list[str], rounds: int = 1) -> dict[str, Any]:
    """Wall time of ``assistant.ask`` per question (p50/p95/max) and its per-stage split."""
    totals: list[float] = []
    stages: dict[str, list[float]] = {}
    for _ in range(rounds):
        for q in questions:
            t = time.perf_counter()
            ans = assistant.ask(q)
            totals.append((time.perf_counter() - t) * 1000)
            for k, v in ans.timings_ms.items():
                if k != "total":
                    stages.setdefault(k, []).append(v)
    return {"questions": len(questions) * rounds, "p50_ms": percentile(totals, 50), "p95_ms": percentile(totals, 95),
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
