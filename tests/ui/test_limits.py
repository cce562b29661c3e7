"""Bounded work per request (issue 14): request body size, chat history length, login before
anything. A real Gradio server (``app_server``), real HTTP."""
from __future__ import annotations

import json
import os

import httpx
import pytest

from ui.limits import MAX_HISTORY_CHARS, MAX_HISTORY_MESSAGES, MAX_REQUEST_BYTES, trim_history
from eval.load import answer_text, message_text, rss_kb

FOLLOW_UP = "那农村的呢？"
RSS_BOUND_MIB = 60  # 20 requests of 12.8 MB each may not grow the server by more than this


def _history(n: int, text: str = "焦作市城市低保标准是多少？") -> list[dict]:
    return [{"role": "user" if i % 2 == 0 else "assistant", "content": [{"type": "text", "text": f"{i}:{text}"}]}
            for i in range(n)]


def _result(base: str, event_id: str) -> list:
    with httpx.stream("GET", base + f"gradio_api/call/ask/{event_id}", timeout=60) as s:
        lines = list(s.iter_lines())
    assert "event: complete" in lines, lines[-4:]
    return json.loads(next(line[5:] for line in lines if line.startswith("data:") and "[" in line))


def test_huge_history_is_refused_before_it_is_read_and_memory_stays_bounded(app_server):
    """Defect 1: 100 000 chat messages (12.8 MB) per /ask, 20 times. Each is refused with 413
    before Gradio parses it, fast, and the server (this process) grows by less than the bound."""
    body = json.dumps({"data": [FOLLOW_UP, _history(100_000, "城市低保标准为每人每月700元" * 4)]},
                      ensure_ascii=False).encode("utf-8")
    assert len(body) > 12_000_000
    with httpx.Client(timeout=60) as client:
        client.get(app_server)  # warm up
        before = rss_kb(os.getpid())[0]
        for _ in range(20):
            r = client.post(app_server + "gradio_api/call/ask", content=body,
                            headers={"content-type": "application/json"})
            assert r.status_code == 413, (r.status_code, r.text[:200])
            detail = r.json()["detail"]
            assert "请求过大" in detail and str(MAX_REQUEST_BYTES) in detail
        after = rss_kb(os.getpid())[0]
    assert (after - before) / 1024 < RSS_BOUND_MIB, (before, after)


def test_a_chunked_body_past_the_limit_is_refused(app_server):
    """No Content-Length (chunked): read up to the limit, then 413."""
    def chunks():
        piece = b'{"data": ["' + "焦".encode() * 20_000
        for _ in range(40):
            yield piece
    r = httpx.post(app_server + "gradio_api/call/ask", content=chunks(),
                   headers={"content-type": "application/json"}, timeout=60)
    assert r.status_code == 413 and "请求过大" in r.json()["detail"]


def test_a_long_history_is_cut_and_never_echoed_back_whole(app_server):
    """Under the body limit, 600 messages: the answer uses the last turn, the history sent back
    keeps the newest messages only."""
    history = _history(600)
    r = httpx.post(app_server + "gradio_api/call/ask", json={"data": [FOLLOW_UP, history]}, timeout=60)
    assert r.status_code == 200
    data = _result(app_server, r.json()["event_id"])
    chat = data[0]
    assert len(chat) <= MAX_HISTORY_MESSAGES + 2
    assert chat[0]["content"] != history[0]["content"] and "599:" in json.dumps(chat, ensure_ascii=False)
    assert sum(len(message_text(m["content"])) for m in chat[:-2]) <= MAX_HISTORY_CHARS
    assert "农村" in answer_text(data)  # resolved against the last turn kept


def test_trim_history_keeps_the_newest_turns():
    assert trim_history(None) == [] and trim_history("x" * 10) == [] and trim_history({"a": 1}) == []
    h = _history(10)
    assert trim_history(h) == h
    long = _history(MAX_HISTORY_MESSAGES * 3)
    cut = trim_history(long)
    assert cut == long[-len(cut):] and len(cut) <= MAX_HISTORY_MESSAGES and cut[0]["role"] == "user"
    big = [{"role": "user", "content": "问" * (MAX_HISTORY_CHARS - 10)},
           {"role": "assistant", "content": [{"type": "text", "text": "答" * 20}]}]
    assert trim_history(big) == []  # the answer alone is left: its question was cut off


def test_lone_surrogates_in_an_earlier_turn_of_the_history_are_replaced(app_server):
    history = [{"role": "user", "content": [{"type": "text", "text": "\ud800焦作市城市低保标准是多少？"}]},
               {"role": "assistant", "content": [{"type": "text", "text": "焦作\udfff市城市低保标准……"}]}]
    cleaned = json.dumps(trim_history(history) + trim_history([{"role": "user", "content": "\ud800问"}]))
    assert "\\ud800" not in cleaned and "\\udfff" not in cleaned, cleaned
    body = json.dumps({"data": ["那农村的呢？", history]})  # ensure_ascii: the surrogates travel as \ud800
    r = httpx.post(app_server + "gradio_api/call/ask", content=body,
                   headers={"content-type": "application/json"}, timeout=60)
    assert r.status_code == 200, r.text[:300]
    with httpx.stream("GET", app_server + f"gradio_api/call/ask/{r.json()['event_id']}", timeout=60) as s:
        events = list(s.iter_lines())
    assert "event: complete" in events, events[-4:]
