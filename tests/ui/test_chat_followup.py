"""A follow-up through the real Gradio server: the Chatbot history makes the round trip."""
from __future__ import annotations


def _text(message) -> str:
    content = message["content"]
    if isinstance(content, list):
        return " ".join(str(c.get("text", c)) if isinstance(c, dict) else str(c) for c in content)
    return str(content)


def test_follow_up_over_http(app_server):
    from gradio_client import Client

    client = Client(app_server, verbose=False)
    history, _, _, _ = client.predict("焦作市城市低保标准是多少？", [], api_name="/ask")
    assert "600" in _text(history[-1])
    history, _, source_html, _ = client.predict("那农村的呢？", history, api_name="/ask")
    reply = _text(history[-1])
    assert "已理解为：焦作市农村低保标准是多少？" in reply and "4524" in reply
    assert "<mark" in source_html and "4524" in source_html
    history, _, _, _ = client.predict("What about Luohe?", history, api_name="/ask")
    reply = _text(history[-1])
    assert "已理解为：漯河市农村低保标准是多少？" in reply
    assert "Answer (in Chinese, from the Luohe 2020 report [1]): 4560 yuan." in reply
