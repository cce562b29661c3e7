"""The civilqa root: commands come from the layers' entry points; one escaping error printer."""
from __future__ import annotations

import subprocess
import sys
from importlib.metadata import EntryPoint, entry_points

import pytest
import typer

from ingest.console import fail, print_error, progress_printer
from ingest.errors import InputError

CLI = [sys.executable, "-m", "ui"]
COMMANDS = {"ingest", "list", "remove", "ask", "standards", "draft", "feedback", "eval", "bench", "bench-load", "ui"}


def test_every_layer_registers_its_commands_through_an_entry_point():
    by_name = {ep.name: ep.value for ep in entry_points(group="civilqa.commands")}
    assert set(by_name) == COMMANDS
    assert {by_name[c] for c in ("ingest", "list", "remove", "ask", "standards", "draft", "feedback")} == \
        {"assistant.cli:register"}
    assert {by_name[c] for c in ("eval", "bench", "bench-load")} == {"eval.cli:register"}
    assert by_name["ui"] == "ui.cli:register"
    for value in set(by_name.values()):  # each layer's register adds exactly the commands named for it
        app = typer.Typer()
        EntryPoint("x", value, "civilqa.commands").load()(app)
        names = {c.name or c.callback.__name__ for c in app.registered_commands} | {g.name for g in app.registered_groups}
        assert names == {c for c, v in by_name.items() if v == value}


def _root_then(args: list[str], then: str) -> subprocess.CompletedProcess:
    """``civilqa ARGS`` in a fresh interpreter, then the Python ``then`` there (what it imported)."""
    code = (f"import sys; sys.argv = ['civilqa', *{args!r}]\n"
            "from ui.root import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n" + then)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_a_command_loads_only_its_own_layer():
    p = _root_then(["ask", "--help"],
                   "root = {'ui', 'ui.root', 'ui.cli_text'}  # the root itself lives in ui/\n"
                   "print(sorted({m.split('.')[0] for m in sys.modules if m not in root}\n"
                   "             & {'assistant', 'index', 'ui', 'eval', 'gradio'}))")
    assert p.returncode == 0, p.stderr[-2000:]
    assert "--json" in p.stdout and p.stdout.strip().splitlines()[-1] == "['assistant', 'index']"


def test_help_lists_every_command_and_loads_no_heavy_module():
    p = _root_then(["--help"], "bad = [m for m in ('torch', 'gradio', 'sentence_transformers', 'matplotlib', 'httpx')"
                               " if m in sys.modules]\nassert not bad, bad")
    assert p.returncode == 0, p.stderr[-2000:]
    for name in COMMANDS:
        assert f" {name} " in p.stdout, name


def test_a_file_name_with_markup_is_an_error_message_not_a_traceback(tmp_path):
    """`civilqa ingest 'docs/[/x].txt'`: the name is printed as text (rich would read [/x] as a closing tag)."""
    env = {"CIVILQA_INDEX_DIR": str(tmp_path / "idx"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    p = subprocess.run(CLI + ["ingest", "docs/[/x].txt"], capture_output=True, text=True, timeout=300,
                       env=env, cwd=tmp_path)
    assert p.returncode == 2, p.stderr[-2000:]
    assert "错误：" in p.stderr and "[/x].txt" in p.stderr
    assert "Traceback" not in p.stderr and "MarkupError" not in p.stderr
    assert not (tmp_path / "idx" / "CURRENT").exists()


@pytest.mark.parametrize("message", ["[/x].txt", "[bold]不是样式[/bold]", "\x1b[31m红\x1b[0m", "[/]"])
def test_print_error_escapes_markup_and_controls(capsys, message):
    print_error(message)
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "\x1b" not in err
    assert message.replace("\x1b", "") in err


def test_fail_prints_the_message_and_exits_with_2(capsys):
    with pytest.raises(typer.Exit) as exc:
        fail(InputError("找不到文件：[/a].txt（file not found）"))
    assert exc.value.exit_code == 2
    assert "错误：找不到文件：[/a].txt" in capsys.readouterr().err


def test_progress_stage_names_are_text(capsys):
    progress, update = progress_printer()
    with progress:
        update("导入 [/x].txt", 1, 2)
        update("导入 [/x].txt", 2, 2)
