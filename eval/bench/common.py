"""What every benchmark shares: the question, the targets, memory readings, child processes."""
from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the checkout
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
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "ui"]


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
