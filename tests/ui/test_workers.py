"""``civilqa ui --workers 2`` (ui/workers.py): two real app processes over one index answer alike,
and an ingest made by a third process is picked up by both without a restart: over the FAISS files
of one index directory, and as Milvus replicas (a milvus-lite server; the workers have no index
directory of their own)."""
from __future__ import annotations

import asyncio
import os
import shutil
import time

import pytest

from eval.load import ask_once, free_port, wait_until_up

NEW_DOC = ("新乡市民政局2023年工作总结\n\n新乡市2023年农村最低生活保障标准提高到每人每年5987元，"
           "城市最低生活保障标准提高到每人每月777元。")


def _ask(url: str, question: str) -> str:
    async def go():
        import httpx

        async with httpx.AsyncClient(base_url=url, timeout=120) as client:
            return await ask_once(client, question)

    text, err = asyncio.run(go())
    assert err is None, err
    return text


def _two_free_ports() -> int:
    while True:
        port = free_port()
        if _free(port + 1):
            return port


def _free(port: int) -> bool:
    import socket

    try:
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False


def _start_two_workers(env: dict[str, str], attempts: int = 3):
    """Two workers on two free ports. The ports are free when chosen and bound later, so under
    ``pytest -n`` another test's socket can take one in between: workers that exit at start-up are
    started again on other ports, and a fault that is not a port's fails every attempt and the test."""
    from ui.workers import spawn, stop

    for attempt in range(attempts):
        port = _two_free_ports()
        procs = spawn(2, "127.0.0.1", port, env=env, quiet=True)
        urls = [f"http://127.0.0.1:{port + i}/" for i in range(2)]
        try:
            for u, p in zip(urls, procs):
                wait_until_up(u, p, timeout=240)
            return procs, urls
        except RuntimeError:  # a worker exited at start-up: a port taken meanwhile, or a real fault
            stop(procs)
            if attempt == attempts - 1:
                raise


@pytest.fixture()
def milvus_server(tmp_path, milvus_lite_db):
    """``milvus-lite server`` in a process of its own: what several app processes share."""
    import subprocess
    import sys

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "milvus_lite", "server", "--data-dir", str(tmp_path / "milvus"),
                             "--host", "127.0.0.1", "--port", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    import socket

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, "milvus-lite server exited"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    yield f"milvus://127.0.0.1:{port}?collection=workers"
    proc.terminate()
    proc.wait(timeout=30)


@pytest.mark.parametrize("where", ["faiss", "milvus"])
def test_two_workers_answer_alike_and_both_pick_up_a_new_generation(where, seed_index_dir, embedder, tmp_path,
                                                                   request):
    from index.backend import parse, publish
    from index.builder import build_index
    from ui.workers import stop

    idx = tmp_path / "idx"
    shutil.copytree(seed_index_dir, idx)
    env = dict(os.environ, CIVILQA_INDEX_DIR=str(idx), CIVILQA_WATCH_SECONDS="0.5")
    backend = None
    if where == "milvus":
        value = request.getfixturevalue("milvus_server")
        backend = parse(value)
        publish(idx, backend)  # the ingest host's generation, in Milvus
        (tmp_path / "replica").mkdir()  # the workers: no index of their own
        env.update(CIVILQA_BACKEND=value, CIVILQA_INDEX_DIR=str(tmp_path / "replica" / "index"))
    env.pop("CIVILQA_UI_AUTH", None)
    procs, urls = _start_two_workers(env)
    try:
        for q in ("焦作市农村低保标准是多少？", "洛阳孤儿一个月给多少钱？"):
            a, b = (_ask(u, q) for u in urls)
            assert a == b and "资料中没有" not in a
        q = "新乡市2023年农村低保标准是多少？"
        assert all("5987" not in _ask(u, q) for u in urls)
        (tmp_path / "new").mkdir()
        (tmp_path / "new" / "xinxiang.txt").write_text(NEW_DOC, encoding="utf-8")
        build_index([tmp_path / "new"], idx, embedder, mode="add", backend=backend)  # another process's ingest
        deadline = time.monotonic() + 60
        seen = {u: False for u in urls}
        while not all(seen.values()) and time.monotonic() < deadline:
            for u in urls:
                seen[u] = seen[u] or "5987" in _ask(u, q)
            time.sleep(0.5)
        assert all(seen.values()), seen
        assert _ask(urls[0], q) == _ask(urls[1], q)
        if where == "milvus":
            assert not (tmp_path / "replica" / "index").exists()  # the replicas never built one
    finally:
        stop(procs)
