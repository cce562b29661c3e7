"""What a person sees on first start (ui/starting.py) and the feedback handlers (ui/feedback_tab.py)."""
from __future__ import annotations

import httpx
import pytest

from assistant.feedback import FeedbackStore
from ui.feedback_tab import add_comment, record_turn, staff_rows, vote
from eval.load import free_port
from ui.render import answer_markdown
from ui.starting import BuildingPage


def test_building_page_says_the_index_is_being_built_then_frees_the_port():
    port = free_port()
    with BuildingPage("127.0.0.1", port) as page:
        assert page.serving
        page.update("向量化<script>", 12, 40)
        r = httpx.get(f"http://127.0.0.1:{port}/any/path", timeout=5)
        assert r.status_code == 503 and r.headers["retry-after"] == "2"
        assert "正在建立资料索引" in r.text and "向量化&lt;script&gt;：12/40" in r.text and "<script>" not in r.text
        assert 'http-equiv="refresh"' in r.text
    with pytest.raises(httpx.ConnectError):  # closed: the app can take the port
        httpx.get(f"http://127.0.0.1:{port}/", timeout=2)


def test_building_page_on_a_taken_port_does_not_stop_the_build():
    port = free_port()
    with BuildingPage("127.0.0.1", port) as first, BuildingPage("127.0.0.1", port) as second:
        assert first.serving and not second.serving
        second.update("读取", 1, 5)  # still usable as a progress callback


def _history(question: str, answer: str) -> list[dict]:
    return [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]


def test_a_vote_stores_the_question_answer_and_citations_shown(tmp_path):
    store = FeedbackStore(tmp_path / "f.sqlite3")
    cits = [{"marker": 1, "source": "a.txt", "title": "报告", "city": "焦作市", "year": 2021, "start": 1, "end": 3}]
    history = _history("焦作&lt;b&gt;低保", answer_markdown("标准为4524元[1]\n- 第二行") + "\n\n**来源**：[1] 报告")
    turns = record_turn(history, cits, {})
    assert turns[1]["question"] == "焦作<b>低保" and turns[1]["answer"].startswith("标准为4524元[1]\n- 第二行")
    vote_id, note = vote(store, turns, 1, False)
    assert vote_id is not None and "选填" in note
    assert "已记录" in add_comment(store, vote_id, "太旧")
    row = staff_rows(store)[0]
    assert row[2] == "👎" and row[3] == "太旧" and row[4] == "焦作<b>低保"
    assert store.list()[0].citations[0]["source"] == "a.txt"
    assert vote(store, turns, 7, True)[0] is None  # an unknown message is not stored
    assert "请先点" in add_comment(store, None, "x")
    assert "上限" in add_comment(store, vote_id, "长" * 5000) and store.list()[0].comment == "太旧"
