"""The chat with the LLM answerer: tokens stream in from a real OpenAI-protocol server
(``tests/llm_server.py``); the checked answer — or the extractive fallback, quietly
noted — replaces the stream. Also through a real Gradio server (gradio_client)."""
from __future__ import annotations

import secrets

import pytest
from llm_server import ScriptedOpenAI, llm_assistant, status, text

from ui.llm_stream import CURSOR, FALLBACK_NOTE, LLM_NOTE, stream_chat_turn, streams
from eval.load import free_port

KEY = "sk-ui-test-" + secrets.token_hex(12)
Q = "焦作市农村最低生活保障年标准是多少？"
GOOD = "焦作市2021年农村最低生活保障年标准提高到4524元[1]。"
WRONG = "焦作市2021年农村最低生活保障年标准提高到5000元[1]。"


@pytest.fixture(scope="module")
def server():
    s = ScriptedOpenAI().start()
    yield s
    s.close()


@pytest.fixture(scope="module")
def chat_llm(seed_index_dir, embedder, server):
    return llm_assistant(seed_index_dir, embedder, server, KEY)


def test_only_the_llm_answerer_streams(chat_llm, assistant):
    assert streams(chat_llm) and not streams(assistant)


def test_stream_grows_then_the_checked_answer_replaces_it(chat_llm, server):
    server.play(text(GOOD))
    turns = list(stream_chat_turn(chat_llm, Q, []))
    partial = [h[-1]["content"] for h, cits, _ in turns[:-1]]
    assert len(partial) >= 5 and all(p.endswith(CURSOR) for p in partial)
    assert all(cits == [] for _, cits, _ in turns[:-1])
    history, cits, choices = turns[-1]
    final = history[-1]["content"]
    assert history[0] == {"role": "user", "content": Q}
    assert not final.endswith(CURSOR) and GOOD in final and LLM_NOTE in final and "来源" in final
    assert cits[0]["marker"] == 1 and "4524" in cits[0]["text"] and choices[0].startswith("[1]")


def test_failed_check_replaces_the_stream_with_the_extractive_answer(chat_llm, server):
    server.play(text(WRONG))
    turns = list(stream_chat_turn(chat_llm, Q, []))
    assert any("5000" in h[-1]["content"] for h, _, _ in turns[:-1])  # it was streamed...
    history, cits, _ = turns[-1]
    final = history[-1]["content"]
    assert "5000" not in final and "4524" in final and FALLBACK_NOTE in final  # ...and replaced
    assert "check failed" not in final  # the reason is in the JSON, the UI only notes it quietly
    assert cits and "4524" in cits[0]["text"]
    assert not [h for h, _, _ in turns if KEY in str(h)]


def test_server_error_gives_the_extractive_answer_without_a_stream(chat_llm, server):
    server.play(status(503))
    turns = list(stream_chat_turn(chat_llm, Q, []))
    assert len(turns) == 1 and FALLBACK_NOTE in turns[0][0][-1]["content"]


def test_user_errors_are_a_chat_reply(chat_llm, server):
    [(history, cits, choices)] = list(stream_chat_turn(chat_llm, "   ", [{"role": "user", "content": "旧"}]))
    assert history[0]["content"] == "旧" and "问题不能为空" in history[-1]["content"] and cits == []


def _text(message) -> str:
    """A chat message's text (gradio 6 returns content as a list of typed parts)."""
    content = message["content"]
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)


def test_gradio_server_streams_the_llm_answer(chat_llm, server):
    from gradio_client import Client

    from ui.app import launch

    port = free_port()
    demo = launch(chat_llm, host="127.0.0.1", port=port, prevent_thread_lock=True, quiet=True)
    try:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        server.play(text(GOOD, chunk_delay=0.05))
        job = client.submit(Q, [], api_name="/ask")
        history, picker, source_html, box = job.result(timeout=60)
        outputs = job.outputs()
        assert len(outputs) >= 3  # partial messages came before the final one
        assert any(_text(o[0][-1]).endswith(CURSOR) for o in outputs[:-1])
        final = _text(history[-1])
        assert "4524元[1]" in final and LLM_NOTE in final
        assert "<mark" in source_html and "4524" in source_html
        server.play(text(WRONG))
        history, *_ = client.predict(Q, [], api_name="/ask")
        final = _text(history[-1])
        assert "5000" not in final and "4524" in final and FALLBACK_NOTE in final and KEY not in final
    finally:
        demo.close()


def test_a_follow_up_reaches_the_model_resolved(chat_llm, server):
    server.play(text(GOOD))
    first = list(stream_chat_turn(chat_llm, Q, []))[-1][0]
    server.play(text("焦作市2021年城市最低生活保障月标准为600元[1]。"))
    history, cits, _ = list(stream_chat_turn(chat_llm, "那城市的呢？", first))[-1]
    asked = server.requests[-1]["body"]["messages"][1]["content"].split("问题：", 1)[1]
    assert "焦作" in asked and "城市" in asked and "那城市的呢" not in asked
    final = history[-1]["content"]
    assert "已理解为" in final and "600元[1]" in final and LLM_NOTE in final and len(history) == 4
