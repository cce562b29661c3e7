"""``civilqa ui --workers 2`` (ui/workers.py): two real app processes over one index answer alike,
and an ingest made by a third process is picked up by both without a restart."""
from __future__ import annotations

import asyncio
import os
import shutil
import time

from ui.load import ask_once, free_port, wait_until_up

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


def test_two_workers_answer_alike_and_both_pick_up_a_new_generation(seed_index_dir, embedder, tmp_path):
    from index.builder import build_index
    from ui.workers import spawn, stop

    idx = tmp_path / "idx"
    shutil.copytree(seed_index_dir, idx)
    port = free_port()
    while True:  # two consecutive free ports
        try:
            import socket

            with socket.socket() as s:
                s.bind(("127.0.0.1", port + 1))
            break
        except OSError:
            port = free_port()
    env = dict(os.environ, CIVILQA_INDEX_DIR=str(idx), CIVILQA_WATCH_SECONDS="0.5")
    env.pop("CIVILQA_UI_AUTH", None)
    procs = spawn(2, "127.0.0.1", port, env=env, quiet=True)
    urls = [f"http://127.0.0.1:{port + i}/" for i in range(2)]
    try:
        for u, p in zip(urls, procs):
            wait_until_up(u, p, timeout=240)
        for q in ("焦作市农村低保标准是多少？", "洛阳孤儿一个月给多少钱？"):
            a, b = (_ask(u, q) for u in urls)
            assert a == b and "资料中没有" not in a
        q = "新乡市2023年农村低保标准是多少？"
        assert all("5987" not in _ask(u, q) for u in urls)
        (tmp_path / "new").mkdir()
        (tmp_path / "new" / "xinxiang.txt").write_text(NEW_DOC, encoding="utf-8")
        build_index([tmp_path / "new"], idx, embedder, mode="add")  # another process's ingest
        deadline = time.monotonic() + 60
        seen = {u: False for u in urls}
        while not all(seen.values()) and time.monotonic() < deadline:
            for u in urls:
                seen[u] = seen[u] or "5987" in _ask(u, q)
            time.sleep(0.5)
        assert all(seen.values()), seen
        assert _ask(urls[0], q) == _ask(urls[1], q)
    finally:
        stop(procs)
