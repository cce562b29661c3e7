"""The web app under concurrent users, over real HTTP (a reduced version of ``civilqa bench-load``),
and what a client sees when the queue is full."""
from __future__ import annotations

import asyncio
import os

import pytest

from eval.load import LoadReport, ask_once, baseline, eval_questions, free_port, rss_kb, run_load

USERS, SECONDS = 20, 10
QUESTIONS = eval_questions()[::12]  # 18 questions across the categories of the evaluation set


def test_concurrent_users_get_the_same_answers_without_errors(app_server):
    served = app_server
    expected = asyncio.run(baseline(served, QUESTIONS))
    assert sum("资料中没有" not in a for a in expected.values()) >= len(QUESTIONS) // 2
    # a first round settles what any server allocates once (thread pools, caches, first sessions)
    asyncio.run(run_load(served, QUESTIONS, USERS, 2))
    report = asyncio.run(run_load(served, QUESTIONS, USERS, SECONDS, pid=os.getpid(), expected=expected))
    print("\n" + report.summary())
    assert not report.errors, report.errors
    assert report.mismatches == 0
    assert len(report.latencies_ms) >= USERS  # every user got answers
    # bounded memory: the server (this process) grows by less than 100 MiB over the run (each API
    # call is a session of ~115 KiB until ui.app.MAX_SESSIONS; `civilqa bench-load` shows the level)
    assert report.rss_after_kb - report.rss_before_kb < 100 * 1024, report.summary()


def test_a_full_queue_refuses_at_once_and_the_admitted_requests_complete(assistant, serve):
    async def burst(url):
        import httpx

        async with httpx.AsyncClient(base_url=url, timeout=120) as client:
            posts = await asyncio.gather(*(client.post("gradio_api/call/ask", json={"data": [q, []]})
                                           for q in QUESTIONS * 2))
            answers = []
            for q, r in zip(QUESTIONS * 2, posts):
                if r.status_code == 200:
                    text, err = None, None
                    async with client.stream("GET", f"gradio_api/call/ask/{r.json()['event_id']}") as s:
                        async for line in s.aiter_lines():
                            if line.startswith("event: complete"):
                                text = "complete"
                            elif line.startswith("event: error"):
                                err = "error"
                    answers.append((text, err))
            return posts, answers

    with serve(assistant, concurrency_limit=1, max_queue=2) as url:
        posts, answers = asyncio.run(burst(url))
    refused = [r for r in posts if r.status_code == 503]
    assert refused, [r.status_code for r in posts]
    assert all(r.status_code in (200, 503) for r in posts)
    for r in refused:
        assert "Queue is full. Max size is 2" in r.json()["detail"]
    assert answers and all(a == ("complete", None) for a in answers)


def test_report_percentiles_and_summary():
    r = LoadReport(users=2, seconds=10, latencies_ms=[float(x) for x in range(1, 101)], rss_before_kb=1024,
                   rss_after_kb=2048, rss_peak_kb=4096)
    assert r.percentile(50) == pytest.approx(50.5) and r.percentile(95) == pytest.approx(95.05)
    text = r.summary()
    assert "p50 50 ms" in text and "p95 95 ms" in text and "10.0 次/秒" in text and "峰值 4 MiB" in text
    assert r.requests == 100 and "错误 0" in text


def test_rss_reads_this_process():
    now, peak = rss_kb(os.getpid())
    assert 10 * 1024 < now <= peak


def test_ask_once_reports_a_refused_request_as_an_error():
    """A port where nothing listens: a connection error, counted, not raised."""
    import httpx

    async def go():
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{free_port()}/", timeout=5) as client:
            return await ask_once(client, "焦作市农村低保标准")

    text, err = asyncio.run(go())
    assert text is None and err == "ConnectError"


def test_bench_load_cli_against_a_running_server(app_server, cli_env):
    served = app_server
    import subprocess
    import sys

    p = subprocess.run([sys.executable, "-m", "ui", "bench-load", "--url", served, "--users", "3",
                        "--seconds", "2", "--questions", "4"], capture_output=True, text=True, env=cli_env,
                       timeout=180)
    assert p.returncode == 0, p.stderr[-2000:]
    assert "并发用户 3" in p.stdout and "p50" in p.stdout and "p95" in p.stdout
    assert "错误 0；与单独提问时答案不同 0 次" in p.stdout


def test_bench_load_only_targets_this_machine(cli_env):
    import subprocess
    import sys

    p = subprocess.run([sys.executable, "-m", "ui", "bench-load", "--url", "http://192.0.2.1:7860/",
                        "--seconds", "1"], capture_output=True, text=True, env=cli_env, timeout=60)
    assert p.returncode == 2 and "本机" in p.stderr
