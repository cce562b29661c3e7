"""Cold start of ``civilqa ask`` with the index present: a figure, not a test.

    python -m eval.cold_start [--runs 7] [--index-dir DIR] [--code DIR]

Runs ``python -m civilqa ask --json <question>`` ``--runs`` times in fresh processes and
prints every wall time, the median and the minimum (the minimum is the least disturbed by other
work on a shared machine), then one in-process split of the median run's stages (imports, loading
the index and model, the first answer). ``--code DIR`` runs another checkout of the project (for
a before/after comparison on the same index and machine). The first run also builds the index
from seeds/ when there is none and is reported separately.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from .bench import COLD_QUESTION

SPLIT = """
import time
t0 = time.perf_counter()
import ui.root  # noqa: F401  (what `civilqa` imports before the command runs)
t1 = time.perf_counter()
from assistant.chain import Assistant
t2 = time.perf_counter()
a = Assistant()
t3 = time.perf_counter()
answer = a.ask({question!r})
t4 = time.perf_counter()
print({{"import_cli_s": t1 - t0, "import_chain_s": t2 - t1, "load_s": t3 - t2, "first_answer_s": t4 - t3}})
"""


def _env(index_dir: Path | None, code: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if index_dir:
        env["CIVILQA_INDEX_DIR"] = str(index_dir)
    if code:
        env["PYTHONPATH"] = str(code) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def run_once(env: dict[str, str], cwd: Path) -> float:
    t = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "ui", "ask", "--json", COLD_QUESTION],
                       capture_output=True, text=True, env=env, cwd=cwd, timeout=600)
    wall = time.perf_counter() - t
    if p.returncode != 0 or "4524" not in p.stdout:
        raise SystemExit(f"civilqa ask failed ({p.returncode}): {p.stdout[-500:]} {p.stderr[-1500:]}")
    json.loads(p.stdout)
    return wall


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="civilqa ask 冷启动时间（索引已存在）")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--index-dir", type=Path, default=None)
    ap.add_argument("--code", type=Path, default=None, help="另一份项目代码（对比改动前后）")
    args = ap.parse_args(argv)
    cwd = (args.code or Path(__file__).resolve().parents[1]).resolve()
    env = _env(args.index_dir, args.code)
    first = run_once(env, cwd)  # builds the index (and the word-table copy) when missing
    walls = [run_once(env, cwd) for _ in range(max(1, args.runs))]
    split = subprocess.run([sys.executable, "-c", SPLIT.format(question=COLD_QUESTION)], capture_output=True,
                           text=True, env=env, cwd=cwd, timeout=600)
    print(f"code: {cwd}")
    print(f"first run (may build the index): {first:.2f} s")
    print("runs: " + ", ".join(f"{w:.2f}" for w in walls) + " s")
    print(f"median {statistics.median(walls):.2f} s, min {min(walls):.2f} s  (target ≤ 1.0 s)")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("split: " + (split.stdout.strip() or split.stderr.strip()[-500:]))


if __name__ == "__main__":
    main()
