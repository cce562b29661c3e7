"""civilqa draft as a user runs it: a real subprocess against the prebuilt seed index."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

CLI = [sys.executable, "-m", "ui", "draft"]
MESSAGE = ("领导您好！\n我是焦作市温县的低保户，想咨询几个问题：\n"
           "1、焦作市农村低保标准是多少？\n"
           "2、洛阳孤儿一个月给多少钱？\n"
           "3、北京市城市低保标准是多少？\n"
           "麻烦了，谢谢！")
NOT_COVERED = "经查，现有资料未涉及“北京市城市低保标准”的相关内容，建议咨询当地民政部门。"


def run(args, env, stdin=None, timeout=180, text=True):
    return subprocess.run(CLI + args, env=env, input=stdin, capture_output=True, text=text, timeout=timeout,
                          check=False)


@pytest.fixture()
def message_file(tmp_path):
    p = tmp_path / "message.txt"
    p.write_text(MESSAGE, encoding="utf-8")
    return p


def test_draft_to_docx(cli_env, message_file, tmp_path):
    import docx

    out = tmp_path / "reply.docx"
    p = run(["--in", str(message_file), "--out", str(out)], cli_env)
    assert p.returncode == 0, p.stderr
    assert "3 个问题，2 个有资料依据，1 个资料未涉及" in p.stderr and p.stdout == ""
    paras = [x.text for x in docx.Document(str(out)).paragraphs]
    text = "\n".join(paras)
    assert "焦作市农村最低生活保障年标准为4524元（2021年）[1]" in text
    assert "每人每月700元" in text and "每人每月1100元" in text
    assert NOT_COVERED in text
    assert "政策依据" in paras
    for title, source in [("焦作市民政局2021年工作回顾（焦作日报民政专版）", "002_39dfedb441b95935.txt"),
                          ("织密社会救助网 办好民生实在事", "000_634e09650f0b344e.txt")]:
        assert any(f"《{title}》" in x and source in x for x in paras if x.startswith("["))
    assert "“农村最低生活保障年标准提高到4524元”" in text  # the quoted span


def test_draft_to_markdown_file_and_stdout(cli_env, message_file, tmp_path):
    out = tmp_path / "reply.md"
    p = run(["--in", str(message_file), "--out", str(out)], cli_env)
    assert p.returncode == 0, p.stderr
    md = out.read_text(encoding="utf-8")
    assert md.startswith("# ") and "4524" in md and "700" in md and NOT_COVERED in md and "## 政策依据" in md
    p = run(["--in", str(message_file)], cli_env)
    assert p.returncode == 0 and p.stdout.split("\n", 3)[:3] == md.split("\n", 3)[:3]
    assert "4524" in p.stdout and NOT_COVERED in p.stdout


def test_draft_json_from_gb18030_stdin(cli_env):
    p = run(["--in", "-", "--json"], cli_env, stdin=MESSAGE.encode("gb18030"), text=False)
    assert p.returncode == 0, p.stderr.decode("utf-8", "replace")
    d = json.loads(p.stdout.decode("utf-8"))
    assert [x["answerable"] for x in d["points"]] == [True, True, False]
    assert d["points"][0]["citations"][0]["text"] == "农村最低生活保障年标准提高到4524元"
    assert d["salutation"] == "您好！" and d["sources"][0]["marker"] == 1


@pytest.mark.parametrize("content, message", [
    (b"", "文件为空"),
    (b"  \n\n ", "文件为空"),
    (("问" * 100_000).encode(), "上限 5000 字"),
    (b"PK\x03\x04\x00\x00binary\x00" * 100, "不是文本文件"),
    ("您好！谢谢！".encode(), "没有找到问题"),
])
def test_bad_message_is_a_clear_error_and_writes_nothing(cli_env, tmp_path, content, message):
    src = tmp_path / "bad.txt"
    src.write_bytes(content)
    out = tmp_path / "reply.docx"
    p = run(["--in", str(src), "--out", str(out)], cli_env)
    assert p.returncode == 2, p.stderr
    assert p.stderr.startswith("错误：") and "Traceback" not in p.stderr
    assert re.search(message, p.stderr), p.stderr
    assert not out.exists() and sorted(x.name for x in tmp_path.iterdir()) == ["bad.txt"]


def test_missing_file_bad_output_and_bad_template(cli_env, message_file, tmp_path):
    p = run(["--in", str(tmp_path / "none.txt")], cli_env)
    assert p.returncode == 2 and "找不到留言文件" in p.stderr
    p = run(["--in", str(message_file), "--out", str(tmp_path / "reply.pdf")], cli_env)
    assert p.returncode == 2 and "不支持的导出格式" in p.stderr
    bad = tmp_path / "tpl.toml"
    bad.write_text('title = "x"\n', encoding="utf-8")
    p = run(["--in", str(message_file), "--out", str(tmp_path / "r.md"), "--template", str(bad)], cli_env)
    assert p.returncode == 2 and "缺少条目" in p.stderr and "tpl.toml" in p.stderr
    assert not (tmp_path / "r.md").exists() and "Traceback" not in p.stderr


def test_draft_to_markdown_imports_neither_gradio_nor_docx(cli_env, message_file, tmp_path):
    p = subprocess.run([sys.executable, "-X", "importtime", "-m", "ui", "draft", "--in", str(message_file),
                        "--out", str(tmp_path / "r.md")], env=cli_env, capture_output=True, text=True, timeout=180,
                       check=False)
    assert p.returncode == 0, p.stderr[-2000:]
    imported = {line.split("|")[-1].strip().split(".")[0] for line in p.stderr.splitlines() if "|" in line}
    assert "gradio" not in imported and "docx" not in imported and "torch" not in imported
