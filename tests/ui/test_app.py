"""The Gradio app: pure helpers, and the real server answering over HTTP."""
from __future__ import annotations

from ui.app import chat_turn, format_answer, render_source


def test_render_source_highlights_and_escapes():
    text = "前文<script>x</script>。农村最低生活保障年标准提高到4524元。后文"
    s = text.index("农村")
    e = text.index("元。") + 1
    html = render_source(text, {"marker": 1, "title": "<b>标题</b>", "city": "焦作市", "year": 2021,
                                "source": "a.txt", "start": s, "end": e})
    assert '<mark id="cited-span">农村最低生活保障年标准提高到4524元</mark>' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>" not in html


def test_chat_turn_answers_and_escapes(assistant):
    history, cits, choices = chat_turn(assistant, "<b>洛阳孤儿一个月给多少钱</b>", [])
    assert "700" in history[-1]["content"] and "[1]" in history[-1]["content"]
    assert "<b>" not in history[0]["content"]
    assert cits and choices and choices[0].startswith("[1]")


def test_chat_turn_turns_user_errors_into_a_reply(assistant):
    history, cits, choices = chat_turn(assistant, "", [])
    assert "问题不能为空" in history[-1]["content"] and cits == []


def test_format_answer_lists_sources():
    md = format_answer({"answer": "a[1]", "citations": [{"marker": 1, "title": "T", "city": "焦作市", "year": 2021}]})
    assert "来源" in md and "[1] T（焦作市，2021年）" in md


def test_server_answers_over_http(app_server):
    from gradio_client import Client

    client = Client(app_server, verbose=False)
    history, picker, source_html, box = client.predict("焦作市农村最低生活保障年标准是多少？", [], api_name="/ask")
    text = str(history[-1]["content"])
    assert "4524" in text
    assert "<mark" in source_html and "4524" in source_html


def _refused(base: str, path: str) -> None:
    import httpx

    r = httpx.get(base + path, timeout=10)
    assert r.status_code in (400, 403, 404), (path, r.status_code)
    assert "root:" not in r.text and "manifest_sha256" not in r.text and "民政" not in r.text, path


def test_server_binds_localhost_and_refuses_file_paths(app_server):
    assert app_server.startswith("http://127.0.0.1:")
    for path in ["gradio_api/file=/etc/passwd", "file=/etc/passwd", "gradio_api/file=../../seeds/metadata.json",
                 "gradio_api/file=%2Fetc%2Fpasswd", "gradio_api/file=../../../../../../etc/passwd",
                 "gradio_api/file=..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd", "gradio_api/file=/proc/self/environ",
                 "gradio_api/file=seeds/metadata.json", "gradio_api/file=./seeds/000_634e09650f0b344e.txt",
                 "static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "assets/..%2f..%2f..%2f..%2fetc%2fpasswd",
                 "gradio_api/static/..%2f..%2f..%2f..%2fetc%2fpasswd"]:
        _refused(app_server, path)


def test_server_refuses_the_index_and_the_seeds_by_absolute_path(app_server, seed_index_dir):
    from assistant.chain import default_seeds_dir
    from index import store

    gen = store.load(seed_index_dir).generation
    for p in [gen / "manifest.json", gen / "documents.json", gen / "chunks.jsonl", gen / "faiss.index",
              seed_index_dir / "CURRENT", seed_index_dir, default_seeds_dir() / "metadata.json",
              default_seeds_dir() / "002_39dfedb441b95935.txt"]:
        _refused(app_server, f"gradio_api/file={p}")
        _refused(app_server, f"file={p}")


def test_server_does_not_fetch_urls_for_a_client(app_server):
    """/gradio_api/file=<url> fetches public URLs server-side; an address on this machine is refused."""
    _refused(app_server, f"gradio_api/file={app_server}config")
    _refused(app_server, "gradio_api/file=http://localhost:22/")


def test_page_config_names_no_local_path(app_server, seed_index_dir):
    import httpx

    from assistant.chain import default_seeds_dir

    config = httpx.get(app_server + "config", timeout=10).text
    assert str(seed_index_dir) not in config and str(default_seeds_dir()) not in config
    assert "民政政策问答助手" in config
