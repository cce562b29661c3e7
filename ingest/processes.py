"""Stopping child processes (app workers, a server a benchmark or a test started): terminate them
all, give them ``timeout`` seconds together to exit, then kill the ones still running."""
from __future__ import annotations

import subprocess
import time
from typing import Iterable


def stop(procs: Iterable[subprocess.Popen], timeout: float = 30) -> None:
    procs = list(procs)
    for p in procs:
        if p.poll() is None:
            p.terminate()
    t_end = time.monotonic() + timeout
    for p in procs:
        try:
            p.wait(timeout=max(0.1, t_end - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
