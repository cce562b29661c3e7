"""``civilqa``: the root app; each layer registers its own commands.

A layer names a ``register(app)`` function under the ``civilqa.commands`` entry-point group in
``pyproject.toml`` (as simonw/llm's plugins do with ``register_commands``)::

    [project.entry-points."civilqa.commands"]
    assistant = "assistant.cli:register"    # ingest list remove ask standards draft feedback
    eval = "eval.cli:register"              # eval bench bench-load
    ui = "ui.cli:register"                  # ui

Only ``CivilQAError`` is caught by the commands: its message is printed (``ingest.console.fail``)
and the exit code is 2. Heavy modules (torch, gradio, matplotlib) load inside the command that
needs them: ``ask`` never imports torch or gradio.
"""
from __future__ import annotations

from importlib.metadata import entry_points

import typer

from ingest.errors import ConfigError

from .cli_text import install as _chinese_cli_text

GROUP = "civilqa.commands"

_chinese_cli_text()  # click/typer's own help and error words in Chinese, help never cut with "…"


def build_app() -> typer.Typer:
    """The app with every installed layer's commands, in the entry points' name order."""
    root = typer.Typer(add_completion=False, no_args_is_help=True,
                       help="民政政策问答助手：基于民政工作报告的带引用问答。")
    found = sorted(entry_points(group=GROUP), key=lambda ep: ep.name)
    if not found:
        raise ConfigError(f"没有找到任何命令（entry-point group {GROUP!r} is empty）："
                          f"请先安装本项目：pip install -e .")
    for ep in found:
        ep.load()(root)
    return root


app = build_app()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
