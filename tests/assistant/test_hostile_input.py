"""Batch and app inputs that cannot be encoded (issue 14, defect 7), terminal escapes from
documents (defect 9): a real `civilqa ask` subprocess, the real app over HTTP."""
from __future__ import annotations

import json
import subprocess
import sys

import httpx

CLI = [sys.executable, "-m", "ui"]
LINES = "焦作市农村低保标准是多少？\n焦作\xff低保\n洛阳孤儿一个月给多少钱\n"


def test_invalid_utf8_in_a_batch_line_does_not_end_the_batch(cli_env):
    data = "焦作市农村低保标准是多少？\n".encode() + "焦作".encode() + b"\xff" + "低保\n洛阳孤儿一个月给多少钱\n".encode()
    p = subprocess.run(CLI + ["ask"], input=data, capture_output=True, env=cli_env, timeout=180)
    assert b"Traceback" not in p.stderr, p.stderr.decode("utf-8", "replace")[-2000:]
    lines = [json.loads(x) for x in p.stdout.decode("utf-8").splitlines()]
    assert len(lines) == 3
    assert "4524" in lines[0]["answer"] and "700" in lines[2]["answer"]


def test_lone_surrogates_in_json_lines_and_arguments(cli_env):
    batch = '{"question": "\\ud800焦作市农村低保标准是多少？"}\n洛阳孤儿一个月给多少钱\n'
    p = subprocess.run(CLI + ["ask"], input=batch.encode(), capture_output=True, env=cli_env, timeout=180)
    assert b"Traceback" not in p.stderr, p.stderr.decode("utf-8", "replace")[-2000:]
    lines = [json.loads(x) for x in p.stdout.decode("utf-8").splitlines()]
    assert len(lines) == 2 and "4524" in lines[0]["answer"] and "700" in lines[1]["answer"]
    # an argument with an undecodable byte (the shell passes bytes; Python makes them surrogates)
    arg = "焦作市农村".encode() + b"\xff" + "低保标准是多少？".encode()
    p = subprocess.run(CLI[:1] + ["-c", "import sys; from ui.root import main; sys.argv[0] = 'civilqa'; main()",
                                  "ask", "--json", arg], capture_output=True, env=cli_env, timeout=180)
    assert b"Traceback" not in p.stderr and p.returncode == 0, p.stderr.decode("utf-8", "replace")[-2000:]
    assert "4524" in json.loads(p.stdout.decode("utf-8"))["answer"]


def test_lone_surrogates_through_the_app(app_server):
    for api, data in (("ask", ["\ud800焦作市农村低保标准是多少？", []]), ("draft", ["\ud800焦作市农村低保标准是多少？"])):
        body = json.dumps({"data": data})  # ensure_ascii: the surrogate travels as \ud800
        r = httpx.post(app_server + f"gradio_api/call/{api}", content=body,
                       headers={"content-type": "application/json"}, timeout=60)
        assert r.status_code == 200, (api, r.text[:300])
        with httpx.stream("GET", app_server + f"gradio_api/call/{api}/{r.json()['event_id']}", timeout=60) as s:
            events = list(s.iter_lines())
        assert "event: complete" in events, (api, events[-4:])
        assert "4524" in "".join(events), api


# -- terminal escapes from documents (defect 9) ---------------------------------------------------------------

def test_terminal_escapes_in_documents_never_reach_the_terminal(tmp_path, cli_env):
    src = tmp_path / "src"
    src.mkdir()
    (src / "esc\x1b[5mname.txt").write_text(
        "焦作市2021年民政工作报告\n\n\x1b[2J\x1b[31m焦作市城市低保标准为每人每月:100:元，农村低保\x07标准为每人每年4524元。\x1b[0m\n",
        encoding="utf-8")
    env = dict(cli_env, CIVILQA_INDEX_DIR=str(tmp_path / "idx"))
    p = subprocess.run(CLI + ["ingest", str(src)], capture_output=True, env=env, timeout=300)
    assert p.returncode == 0, p.stderr.decode("utf-8", "replace")[-2000:]
    out = p.stdout + p.stderr
    assert b"\x1b" not in out and b"esc[5mname.txt" in out
    p = subprocess.run(CLI + ["ask", "焦作市城市低保标准是多少？"], capture_output=True, env=env, timeout=300)
    assert p.returncode == 0, p.stderr.decode("utf-8", "replace")[-2000:]
    shown = p.stdout.decode("utf-8")
    assert "\x1b" not in shown and "\x07" not in shown
    assert "每人每月:100:元" in shown and "💯" not in shown  # emoji codes stay text
    from index import store

    text = next(iter(store.load(tmp_path / "idx").documents.values()))["text"]
    assert "\x1b" not in text and "\x07" not in text and "[2J" in text  # the bytes around ESC stay text


def test_terminal_safe_keeps_tabs_and_newlines():
    from ingest.safe_text import terminal_safe

    assert terminal_safe("a\tb\nc\x1b[31md\x07\x9b\ud800") == "a\tb\nc[31md\ufffd"


def test_a_stdin_line_of_megabytes_is_refused_by_its_limit_and_the_batch_goes_on(cli_env):
    from assistant.session import MAX_LINE_BYTES

    data = ("低" * (MAX_LINE_BYTES * 2)).encode() + "\n洛阳孤儿一个月给多少钱\n".encode()  # 6 x the read limit
    p = subprocess.run(CLI + ["ask"], input=data, capture_output=True, env=cli_env, timeout=180)
    assert b"Traceback" not in p.stderr, p.stderr.decode("utf-8", "replace")[-2000:]
    lines = [json.loads(x) for x in p.stdout.decode("utf-8").splitlines()]
    assert len(lines) == 2 and "过长" in json.dumps(lines[0], ensure_ascii=False) and len(p.stdout) < 20_000
    assert "700" in lines[1]["answer"]
