"""Several app processes sharing one index: ``civilqa ui --workers N``.

One Python process answers ~20–24 questions/s (the embedder and the searcher hold the GIL); more
cores need more processes. ``serve`` starts N ``civilqa ui`` workers on consecutive ports
(``port`` … ``port+N-1``) and supervises them: Ctrl+C or SIGTERM stops all, and if one exits the
others are stopped too (a supervisor such as systemd then restarts the set). Each worker loads the
index itself (the FAISS generation in the index directory, or the collection the Milvus alias
names: ``CIVILQA_BACKEND``) and checks every ``CIVILQA_WATCH_SECONDS`` (2) whether another
process made a new generation (an ingest, an upload in another worker), then reloads.

A Gradio session lives in the process that created it (the queue, the SSE stream of an answer,
the citations a click opens): a front proxy must send one client to one worker, e.g. nginx
``upstream`` with ``ip_hash`` (docs/operations.md). ``bench-load --workers N`` gives each
simulated user one worker, as such a proxy would.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from ingest.processes import stop  # noqa: F401  (ui.workers.stop: the workers are stopped with it)

MAX_WORKERS = 16


def worker_command(port: int, host: str, extra: list[str]) -> list[str]:
    return [sys.executable, "-m", "ui", "ui", "--host", host, "--port", str(port), *extra]


def spawn(n: int, host: str, port: int, extra: list[str] | None = None, *, env: dict[str, str] | None = None,
          quiet: bool = False) -> list[subprocess.Popen]:
    """Start ``n`` workers on ``port`` … ``port+n-1`` (the index must exist: each would otherwise
    build it at the same time)."""
    procs = []
    out = subprocess.DEVNULL if quiet else None
    for i in range(n):
        procs.append(subprocess.Popen(worker_command(port + i, host, list(extra or [])), env=env,
                                      stdout=out, stderr=out, start_new_session=True))
    return procs


def serve(n: int, host: str, port: int, extra: list[str], index_dir: Path | None = None) -> int:
    """Run ``n`` workers until interrupted or until one exits; returns the exit code."""
    env = dict(os.environ)
    if index_dir is not None:
        env["CIVILQA_INDEX_DIR"] = str(index_dir)
    procs = spawn(n, host, port, extra, env=env)
    stopping = {"sig": None}

    def on_signal(signum, _frame) -> None:
        stopping["sig"] = signum

    old = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        while stopping["sig"] is None:
            dead = [p for p in procs if p.poll() is not None]
            if dead:
                return dead[0].returncode or 1
            time.sleep(0.5)
        return 0
    finally:
        stop(procs)
        for s, h in old.items():
            signal.signal(s, h)
