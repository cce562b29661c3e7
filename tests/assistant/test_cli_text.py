"""The command line as a person reads it: Chinese help and errors, nothing cut with "…", answers not
hard-wrapped (real subprocesses; the terminal width is forced narrow through COLUMNS)."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

CLI = [sys.executable, "-m", "ui"]
ENGLISH = ["Show this message and exit", "Usage:", "Missing option", "Missing argument", "Invalid value",
           "No such option", "No such command", "Try '", "for help", "[default:", "[env var:", "Options",
           "Commands", "Arguments", "Error"]


def run(args, env, width=80, stdin=None):
    env = {**env, "COLUMNS": str(width), "TERMINAL_WIDTH": str(width)}
    return subprocess.run(CLI + args, env=env, input=stdin, capture_output=True, text=True, timeout=120)


def _english(text: str) -> list[str]:
    return [w for w in ENGLISH if w in text]


@pytest.mark.parametrize("args", [["--help"], ["ask", "--help"], ["draft", "--help"], ["feedback", "--help"],
                                  ["feedback", "export", "--help"], ["standards", "--help"]])
def test_help_is_chinese_and_never_cut(cli_env, args):
    p = run(args, cli_env, width=60)
    assert p.returncode == 0, p.stderr
    assert "用法：" in p.stdout and "显示本帮助并退出" in p.stdout
    assert _english(p.stdout) == [], p.stdout
    assert "…" not in p.stdout, p.stdout


def test_every_command_help_text_is_shown_whole(cli_env):
    from ui.root import app

    p = run(["--help"], cli_env, width=60)
    flat = re.sub(r"[\s│]+", "", p.stdout)
    for cmd in app.registered_commands:
        first = (cmd.callback.__doc__ or "").strip().split("\n\n")[0]
        assert re.sub(r"\s+", "", first) in flat, first


@pytest.mark.parametrize("args, expected", [
    (["draft"], "缺少选项 '--in'"),
    (["bench-load", "--users", "x"], "'--users' 的取值无效：应为整数"),
    (["bench-load", "--users", "0"], "应不小于 1"),
    (["ask", "--nope"], "没有这个选项：--nope"),
    (["nosuch"], "没有这个命令"),
    (["ask", "a", "b"], "多余的参数：b"),
])
def test_usage_errors_are_chinese(cli_env, args, expected):
    p = run(args, cli_env)
    assert p.returncode == 2
    assert expected in p.stderr, p.stderr
    assert "用法：" in p.stderr and "查看帮助" in p.stderr
    assert _english(p.stderr) == [], p.stderr


def test_answer_and_sources_are_not_hard_wrapped(cli_env):
    p = run(["ask", "各地的农村低保标准分别是多少？"], cli_env, width=40)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert max(len(ln) for ln in lines) > 40  # lines longer than the width were left whole
    for name in ("001_121c05062443fa9f.txt", "002_39dfedb441b95935.txt"):
        line = next(ln for ln in lines if name in ln)  # the file name whole, on its details line
        assert re.search(r"文件 \S+\.txt，第\d+–\d+字$", line.strip()), line
    for marker in ("[1]", "[2]"):
        label = next(ln for ln in lines if ln.startswith(marker))
        assert len(label) > len(marker) + 5 and "（" in label  # the marker is on its title's line
    assert any("4524" in ln and "[" in ln for ln in lines)  # the answer line keeps its [n]


def test_errors_are_not_hard_wrapped(cli_env, tmp_path):
    p = run(["feedback", "export", str(tmp_path / "out.pdf"), "--db", str(tmp_path / "f.sqlite3")], cli_env,
            width=30)
    assert p.returncode == 2
    assert len(p.stderr.strip().splitlines()) == 1 and "不支持的导出格式：out.pdf" in p.stderr
