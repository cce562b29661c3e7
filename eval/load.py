"""A bounded load test of the running web app over its HTTP API.

Each simulated user is an asyncio task that asks questions one after another through Gradio's
REST route for the 提问 button (``POST /gradio_api/call/ask`` then the server-sent events of
``GET /gradio_api/call/ask/<event_id>``), the same queue the page uses. Every answer is compared
with the answer the server gave to the same question asked alone beforehand: under load an answer
must not change (a race would show up as a mismatch, not just as an error).

``civilqa bench-load`` (``bench_load``) starts ``civilqa ui`` in a subprocess on a free localhost
port, measures, prints p50/p95, errors and the server's memory, and stops it. Traffic only ever
goes to the server's own address; the run stops by itself after ``seconds``.
"""
from __future__ import annotations

import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.processes import stop

EVAL_QUESTIONS = Path(__file__).resolve().with_name("questions.jsonl")
REQUEST_TIMEOUT = 120.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kb(pid: int) -> tuple[int, int]:
    """(current, peak) resident memory of a process in KiB, from /proc (Linux)."""
    values = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
    return values.get("VmRSS", 0), values.get("VmHWM", 0)


def eval_questions(limit: int | None = None) -> list[str]:
    """Questions of the evaluation set (answerable or not), in file order."""
    out = []
    with open(EVAL_QUESTIONS, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                out.append(json.loads(line)["question"])
    return out[:limit] if limit else out


def message_text(content: Any) -> str:
    """The text of a chat message as the API returns it (a string, or a list of typed parts)."""
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)


def answer_text(data: list[Any]) -> str:
    """The assistant's message from the ``ask`` endpoint's output (history, picker, source, box)."""
    return message_text(data[0][-1]["content"])


async def ask_once(client, question: str) -> tuple[str | None, str | None]:
    """(answer text, None) or (None, error kind)."""
    import httpx

    try:
        r = await client.post("gradio_api/call/ask", json={"data": [question, []]})
        if r.status_code != 200:
            detail = r.text[:120]
            return None, f"HTTP {r.status_code}" + (" queue full" if "Queue is full" in detail else "")
        event_id = r.json()["event_id"]
        event = None
        async with client.stream("GET", f"gradio_api/call/ask/{event_id}") as s:
            if s.status_code != 200:
                return None, f"HTTP {s.status_code} on the result stream"
            async for line in s.aiter_lines():
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:") and event in ("complete", "error"):
                    if event == "error":
                        return None, "error event"
                    return answer_text(json.loads(line[5:])), None
        return None, "stream ended without a result"
    except httpx.TimeoutException:
        return None, "timeout"
    except httpx.HTTPError as exc:
        return None, type(exc).__name__


@dataclass
class LoadReport:
    users: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    mismatches: int = 0
    rss_before_kb: int = 0
    rss_after_kb: int = 0
    rss_peak_kb: int = 0
    workers: int = 1

    @property
    def requests(self) -> int:
        return len(self.latencies_ms) + sum(self.errors.values())

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        if len(self.latencies_ms) == 1:
            return self.latencies_ms[0]
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[int(q) - 1]

    def summary(self) -> str:
        lat = self.latencies_ms
        errors = "、".join(f"{k}×{v}" for k, v in self.errors.items()) or "0"
        return "\n".join([
            f"并发用户 {self.users}，{self.workers} 个工作进程，持续 {self.seconds:.0f} 秒：完成 {len(lat)} 次回答，"
            f"{len(lat) / self.seconds:.1f} 次/秒",
            f"延迟 p50 {self.percentile(50):.0f} ms，p95 {self.percentile(95):.0f} ms，"
            f"最大 {max(lat) if lat else float('nan'):.0f} ms",
            f"错误 {errors}；与单独提问时答案不同 {self.mismatches} 次",
            f"服务器内存 RSS{'（各进程之和）' if self.workers > 1 else ''}：开始 {self.rss_before_kb / 1024:.0f} MiB，结束 {self.rss_after_kb / 1024:.0f} MiB，"
            f"峰值 {self.rss_peak_kb / 1024:.0f} MiB",
        ])


async def _login(client, auth: tuple[str, str] | None) -> None:
    if auth:
        r = await client.post("login", data={"username": auth[0], "password": auth[1]})
        r.raise_for_status()


async def baseline(url: str, questions: list[str], auth: tuple[str, str] | None = None) -> dict[str, str]:
    """Each question asked alone, one after another: the answers load must not change."""
    import httpx

    out = {}
    async with httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT) as client:
        await _login(client, auth)
        for q in dict.fromkeys(questions):
            text, err = await ask_once(client, q)
            if err:
                raise RuntimeError(f"baseline question failed ({err}): {q}")
            out[q] = text
    return out


async def run_load(url: str, questions: list[str], users: int, seconds: float, *, pid: int | None = None,
                   expected: dict[str, str] | None = None,
                   auth: tuple[str, str] | None = None) -> LoadReport:
    """``users`` clients asking in a loop for ``seconds``; a request started in time is awaited."""
    import httpx

    report = LoadReport(users, seconds)
    if pid:
        report.rss_before_kb = rss_kb(pid)[0]
    limits = httpx.Limits(max_connections=users * 2, max_keepalive_connections=users * 2)
    async with httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT, limits=limits) as client:
        await _login(client, auth)
        deadline = time.perf_counter() + seconds

        async def user(n: int) -> None:
            i = n
            while time.perf_counter() < deadline:
                q = questions[i % len(questions)]
                i += 1
                t0 = time.perf_counter()
                text, err = await ask_once(client, q)
                if err:
                    report.errors[err] += 1
                    continue
                report.latencies_ms.append((time.perf_counter() - t0) * 1000)
                if expected is not None and expected.get(q) != text:
                    report.mismatches += 1

        t_start = time.perf_counter()
        await asyncio.gather(*(user(n) for n in range(users)))
        report.seconds = time.perf_counter() - t_start
    if pid:
        report.rss_after_kb, report.rss_peak_kb = rss_kb(pid)
    return report


def wait_until_up(url: str, proc: subprocess.Popen | None = None, timeout: float = 300) -> None:
    import httpx

    t_end = time.monotonic() + timeout
    while time.monotonic() < t_end:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited with code {proc.returncode}")
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"no answer from {url} after {timeout:.0f} s")


async def run_load_many(urls: list[str], questions: list[str], users: int, seconds: float, *,
                        pids: list[int] | None = None, expected: dict[str, str] | None = None,
                        auth: tuple[str, str] | None = None) -> LoadReport:
    """``run_load`` against several workers at once, each user bound to one worker (as a proxy
    with ``ip_hash`` binds a client); one report: all latencies, memory summed over the workers."""
    share = [users // len(urls) + (1 if i < users % len(urls) else 0) for i in range(len(urls))]
    parts = await asyncio.gather(*(run_load(u, questions, n, seconds, pid=(pids or [None] * len(urls))[i],
                                            expected=expected, auth=auth)
                                   for i, (u, n) in enumerate(zip(urls, share)) if n))
    report = LoadReport(users, max(p.seconds for p in parts), workers=len(urls))
    for p in parts:
        report.latencies_ms += p.latencies_ms
        report.errors.update(p.errors)
        report.mismatches += p.mismatches
        report.rss_before_kb += p.rss_before_kb
        report.rss_after_kb += p.rss_after_kb
        report.rss_peak_kb += p.rss_peak_kb
    return report


def bench_load(users: int = 50, seconds: float = 60, url: str | None = None, pid: int | None = None,
               questions: list[str] | None = None, auth: tuple[str, str] | None = None,
               index_dir: Path | None = None, workers: int = 1) -> LoadReport:
    """Start ``workers`` ``civilqa ui`` processes on free localhost ports (unless ``url`` is given),
    warm each up with every question asked once (the workers must answer alike), then load them."""
    questions = questions or eval_questions()
    procs: list[subprocess.Popen] = []
    if url is None:
        port = free_port()
        while workers > 1 and not all(_port_free(port + i) for i in range(workers)):
            port = free_port()
        urls = [f"http://127.0.0.1:{port + i}/" for i in range(workers)]
        env = dict(os.environ)
        env.pop("CIVILQA_UI_AUTH", None)
        if index_dir:
            env["CIVILQA_INDEX_DIR"] = str(index_dir)
        # one `civilqa ui` process (python -m ui): with --workers it makes the index ready once, then
        # starts the workers on port … port+workers-1 and stops them when it is terminated
        cmd = [sys.executable, "-m", "ui", "ui", "--host", "127.0.0.1", "--port", str(port)]
        procs = [subprocess.Popen(cmd + (["--workers", str(workers)] if workers > 1 else []), env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
        auth = None
    else:
        urls, pids = [url], [pid] if pid else None
    try:
        for u in urls:
            wait_until_up(u, procs[0] if procs else None)
        if procs:  # the processes that answer (with --workers, the children of the one started)
            pids = [procs[0].pid] if workers == 1 else _children(procs[0].pid)[:workers] or None
        expected = asyncio.run(baseline(urls[0], questions, auth))
        for u in urls[1:]:
            other = asyncio.run(baseline(u, questions, auth))
            differ = [q for q in expected if other.get(q) != expected[q]]
            if differ:
                raise RuntimeError(f"workers {urls[0]} and {u} answer {len(differ)} questions differently: {differ[:3]}")
        if len(urls) == 1:
            return asyncio.run(run_load(urls[0], questions, users, seconds, pid=pids[0] if pids else None,
                                        expected=expected, auth=auth))
        return asyncio.run(run_load_many(urls, questions, users, seconds, pids=pids, expected=expected, auth=auth))
    finally:
        stop(procs, timeout=60)


def _children(pid: int) -> list[int]:
    """The child processes of ``pid`` in the order they were started (Linux /proc; [] elsewhere)."""
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except (OSError, ValueError):
        return []


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True
