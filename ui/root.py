"""``civilqa``: the command-line root above every layer; each layer registers its own commands.

The root builds the typer app and asks each layer for its commands through the
``civilqa.commands`` entry points (``pyproject.toml``); it imports no layer itself (it lives in
``ui/`` only because the top-level layout is fixed), so the layers stay one-way
(ingest → index → assistant → ui | eval) and a layer that is not installed simply adds no command.

A layer names its commands under the ``civilqa.commands`` entry-point group in ``pyproject.toml``,
each pointing at the layer's ``register(app)`` (as simonw/llm's plugins do with
``register_commands``)::

    [project.entry-points."civilqa.commands"]
    ask = "assistant.cli:register"          # and ingest, list, remove, standards, draft, feedback
    eval = "eval.cli:register"              # and bench, bench-load
    ui = "ui.cli:register"

The root imports no layer: a command's layer loads when that command runs (``civilqa ask`` never
loads ``eval`` or ``ui``), every layer when the help lists them all. Only ``CivilQAError`` is
caught by the commands: its message is printed (``ingest.console.fail``) and the exit code is 2.
"""
from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points

import click
import typer
from typer.core import TyperGroup

from ingest.errors import ConfigError

from .cli_text import install as _chinese_cli_text

GROUP = "civilqa.commands"

_chinese_cli_text()  # click/typer's own help and error words in Chinese, help never cut with "…"


def commands() -> dict[str, EntryPoint]:
    """Command name -> the entry point of the layer that registers it (by name)."""
    found = {ep.name: ep for ep in entry_points(group=GROUP)}
    if not found:
        raise ConfigError(f"没有找到任何命令（entry-point group {GROUP!r} is empty）：请先安装本项目：pip install -e .")
    return found


class LayerCommands(TyperGroup):
    """The root's commands, loaded from their layer on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(commands())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        known = commands()
        if cmd_name not in known:
            return None
        if cmd_name not in self.commands:
            layer = typer.Typer()
            known[cmd_name].load()(layer)  # the layer's register(app)
            for name, command in typer.main.get_group(layer).commands.items():
                self.commands.setdefault(name, command)
        return self.commands.get(cmd_name)


app = typer.Typer(cls=LayerCommands, add_completion=False, no_args_is_help=True,
                  help="民政政策问答助手：基于民政工作报告的带引用问答。")


@app.callback()
def _root() -> None:
    """民政政策问答助手：基于民政工作报告的带引用问答。"""


def main() -> None:
    app()


if __name__ == "__main__":
    main()
