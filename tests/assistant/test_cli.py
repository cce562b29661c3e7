"""civilqa as a user runs it: a real subprocess against the prebuilt seed index."""
from __future__ import annotations

import json
import subprocess
import sys

CLI = [sys.executable, "-m", "ui"]


def run(args, env, stdin=None, timeout=120):
    return subprocess.run(CLI + args, env=env, input=stdin, capture_output=True, text=True, timeout=timeout)


def test_ask_json_contract(cli_env):
    p = run(["ask", "--json", "焦作市农村最低生活保障年标准是多少？"], cli_env)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert set(out) >= {"question", "answer", "answerable", "citations", "timings_ms"}
    assert out["answerable"] is True and "4524" in out["answer"]
    c = out["citations"][0]
    assert c["source"] == "002_39dfedb441b95935.txt"
    assert set(c) >= {"marker", "source", "title", "city", "year", "text", "start", "end", "score"}
    assert c["city"] == "焦作市" and c["year"] == 2021 and "4524" in c["text"]
    assert set(out["timings_ms"]) >= {"retrieve", "answer", "total"}


def test_ask_json_unanswerable(cli_env):
    p = run(["ask", "--json", "北京市2023年城市低保标准是多少？"], cli_env)
    out = json.loads(p.stdout)
    assert out["answerable"] is False and out["answer"].startswith("资料中没有")
    assert out["citations"] == []


def test_ask_batch_from_stdin_one_json_per_line(cli_env):
    p = run(["ask"], cli_env, stdin="洛阳孤儿一个月给多少钱\n\n北京市低保标准\n漯河农村低保一年多少钱\n")
    lines = [json.loads(x) for x in p.stdout.splitlines()]
    assert [x["answerable"] for x in lines] == [True, False, True]
    assert "700" in lines[0]["answer"] and "4560" in lines[2]["answer"]


def test_batch_reports_bad_lines_and_continues(cli_env):
    p = run(["ask"], cli_env, stdin="问" * 600 + "\n焦作市农村低保标准\n")
    lines = [json.loads(x) for x in p.stdout.splitlines()]
    assert "error" in lines[0] and "过长" in lines[0]["error"]
    assert "4524" in lines[1]["answer"]
    assert p.returncode == 1


def test_readable_output_lists_sources(cli_env):
    p = run(["ask", "惠济区城市低保标准是多少"], cli_env)
    assert p.returncode == 0
    assert "550" in p.stdout and "来源" in p.stdout and "003_8547944d577de060.txt" in p.stdout


def test_empty_question_is_a_clear_error(cli_env):
    p = run(["ask", "  "], cli_env)
    assert p.returncode == 2 and "问题不能为空" in p.stderr and "Traceback" not in p.stderr


def test_bad_index_is_a_clear_error(cli_env, tmp_path):
    (tmp_path / "CURRENT").write_text("gen-missing", encoding="utf-8")
    env = dict(cli_env, CIVILQA_INDEX_DIR=str(tmp_path))
    p = run(["ask", "焦作市农村低保标准"], env)
    assert p.returncode == 2 and "civilqa ingest" in p.stderr and "Traceback" not in p.stderr


def test_ask_does_not_import_torch_or_gradio(cli_env):
    p = subprocess.run([sys.executable, "-X", "importtime", "-m", "ui", "ask", "--json",
                        "焦作市农村低保标准"], env=cli_env, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]
    imported = {line.split("|")[-1].strip().split(".")[0] for line in p.stderr.splitlines() if "|" in line}
    assert "torch" not in imported and "gradio" not in imported and "sentence_transformers" not in imported


def test_ingest_builds_index_and_reports_bad_files(tmp_path, embedder):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("焦作市民政局报告。2021年，焦作市农村最低生活保障年标准提高到4524元。", encoding="utf-8")
    (src / "b.txt").write_bytes("漯河市2020年农村低保金提高到每人每年4560元。".encode("gb18030"))
    (src / "empty.txt").write_bytes(b"")
    env = {**__import__("os").environ, "CIVILQA_INDEX_DIR": str(tmp_path / "idx")}
    p = run(["ingest", str(src)], env)
    assert p.returncode == 1  # one file skipped
    assert "empty.txt" in p.stderr and "已导入 2 个文件" in p.stdout
    p = run(["ask", "--json", "漯河农村低保标准"], env)
    assert "4560" in json.loads(p.stdout)["answer"]
