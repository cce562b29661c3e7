"""What every ``civilqa`` command prints with: one console factory, one escaping error printer.

The lowest layer holds it (like ``errors.py``) so the commands of every layer (``assistant/cli.py``,
``ui/cli.py``, ``eval/cli.py``) print the same way and the CLI root (``ui/root.py``) needs no
import of theirs. Anything from a document, a file name or the user passes through ``plain``:
control characters and surrogates removed, rich markup escaped (a file named ``[/x].txt`` is text,
never a markup tag that raises ``MarkupError``).
"""
from __future__ import annotations

from typing import Callable, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .safe_text import terminal_safe

ERROR_EXIT = 2  # a CivilQAError: the message is the user's, the exit code says "bad input or state"


def console(stderr: bool = False) -> Console:
    """Every console of the CLI: no emoji codes (``:100:`` in a report stays text), no highlighting."""
    return Console(stderr=stderr, highlight=False, emoji=False)


def plain(text: object) -> str:
    """Document-supplied text for the terminal: control characters and surrogates removed, rich
    markup escaped."""
    return escape(terminal_safe(text))


def print_error(message: object, label: str = "错误：") -> None:
    """``错误：<message>`` on stderr, the message escaped (it may quote a file name or a question)."""
    console(stderr=True).print(f"[bold red]{label}[/]{plain(message)}", markup=True, soft_wrap=True)


def fail(exc: object) -> NoReturn:
    """Print a ``CivilQAError`` (or a message) as ``错误：…`` and exit with code 2."""
    print_error(exc)
    raise typer.Exit(ERROR_EXIT)


def progress_printer() -> tuple[Progress, Callable[[str, int, int], None]]:
    """A rich progress bar on stderr, driven by (stage, done, total) callbacks."""
    progress = Progress(TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=console(stderr=True), transient=True)
    tasks: dict[str, int] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = progress.add_task(terminal_safe(stage), total=total)
        progress.update(tasks[stage], completed=done, total=total)

    return progress, update
