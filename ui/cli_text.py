"""The command line's own words in Chinese: click's and typer's messages and help, never cut short.

click and typer look their texts up through ``gettext`` (``_("Show this message and exit.")``,
``_("Missing option")``...); ``install()`` points those look-ups at ``MESSAGES`` (from
``ui/data/cli_text.json``) and makes the help
panels fold long Chinese lines instead of cutting them with "…" (rich's table cells cut a line that
has no space to break at). A text with no translation stays as click wrote it.

Called once by ``ui/root.py`` when the CLI root loads; safe to call again.
"""
from __future__ import annotations

import gettext
import sys
from pathlib import Path
from typing import Any

from ingest.datafiles import bad, read_json

DATA = Path(__file__).with_name("data") / "cli_text.json"


def _load() -> tuple[dict[str, str], list[tuple[str, str]]]:
    """``messages``: msgid (as written in click 8 / typer 0.2x) -> Chinese, placeholders kept exactly;
    ``error_patterns``: typer >= 0.2x ships its own copy of click (typer._click) whose texts are plain
    English literals, translated by pattern (the English is kept after the Chinese when no pattern
    matches, so nothing is lost)."""
    data = read_json(DATA)
    messages, patterns = data.get("messages"), data.get("error_patterns")
    if not isinstance(messages, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in messages.items()):
        raise bad(DATA, "messages", "应为“原文 → 中文”的对象")
    if not isinstance(patterns, list) or not all(isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p)
                                                 for p in patterns):
        raise bad(DATA, "error_patterns", "应为 [正则, 替换] 的列表")
    return messages, [(p, r) for p, r in patterns]


MESSAGES, ERROR_PATTERNS = _load()
_COMPILED: list[tuple[Any, str]] = []


def translate_error(message: str) -> str:
    """A click/typer error message in Chinese (pattern by pattern; unknown words stay)."""
    import re

    if not _COMPILED:
        _COMPILED.extend((re.compile(p), r) for p, r in ERROR_PATTERNS)
    for pattern, repl in _COMPILED:
        message = pattern.sub(repl, message)
    return message


# modules that bind ``_ = gettext.gettext`` / ``ngettext`` at import (click itself, and typer)
_MODULES = ("click.core", "click.exceptions", "click.types", "click.parser", "click.formatting",
            "click.decorators", "click.termui", "typer.core", "typer.main", "typer.rich_utils")
# typer's help panels read these module constants, computed once at import
_RICH_CONSTANTS = ("DEPRECATED_STRING", "DEFAULT_STRING", "ENVVAR_STRING", "REQUIRED_LONG_STRING",
                   "ARGUMENTS_PANEL_TITLE", "OPTIONS_PANEL_TITLE", "COMMANDS_PANEL_TITLE",
                   "ERRORS_PANEL_TITLE", "ABORTED_TEXT", "RICH_HELP")
_ORIGINAL = "_civilqa_original"


def translate(message: str) -> str:
    return MESSAGES.get(message, gettext.gettext(message))


def ntranslate(singular: str, plural: str, n: int) -> str:
    chosen = singular if n == 1 else plural
    return MESSAGES.get(chosen, gettext.ngettext(singular, plural, n))


def _wrap(owner: Any, name: str, make) -> None:
    """Replace ``owner.name`` by ``make(original)`` once (the original is kept on the wrapper)."""
    original = owner.__dict__.get(name) if isinstance(owner, type) else getattr(owner, name, None)
    if original is None or hasattr(original, _ORIGINAL):
        return
    wrapper = make(original)
    setattr(wrapper, _ORIGINAL, original)
    setattr(owner, name, wrapper)


def _fold(make_rich_text):
    """typer's help text maker, returning text that folds at the panel's edge instead of ending in "…"."""
    def make(*args: Any, **kwargs: Any):
        out = make_rich_text(*args, **kwargs)
        if getattr(out, "overflow", "fold") in (None, "ellipsis"):
            out.overflow = "fold"
        return out

    return make


def _chinese_help_option(get_help_option):
    def get(self, ctx):
        opt = get_help_option(self, ctx)
        if opt is not None and opt.help in MESSAGES:
            opt.help = MESSAGES[opt.help]
        return opt

    return get


def _chinese_usage(write_usage):
    def write(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        return write_usage(self, prog, args, MESSAGES["Usage:"] if prefix is None else prefix)

    return write


def _chinese_error(format_message):
    def fmt(self) -> str:
        return translate_error(format_message(self))

    return fmt


def _vendored_click() -> None:
    try:
        from typer._click import core, exceptions, formatting
    except ImportError:  # a typer that uses click itself: gettext covers it
        return
    _wrap(core.Command, "get_help_option", _chinese_help_option)
    _wrap(formatting.HelpFormatter, "write_usage", _chinese_usage)
    for value in vars(exceptions).values():
        if isinstance(value, type) and issubclass(value, Exception) and "format_message" in value.__dict__:
            _wrap(value, "format_message", _chinese_error)


def install() -> None:
    """Chinese click/typer messages and unabridged help panels (idempotent)."""
    for name in _MODULES:
        mod = sys.modules.get(name)  # only what typer loaded: importing click itself costs ~0.15 s
        if mod is None:
            continue
        if getattr(mod, "_", None) is gettext.gettext:
            mod._ = translate
        if getattr(mod, "ngettext", None) is gettext.ngettext:
            mod.ngettext = ntranslate
    _vendored_click()
    rich_utils = sys.modules.get("typer.rich_utils")
    if rich_utils is not None:
        _patch_rich(rich_utils)
    elif not any(isinstance(f, _RichUtilsHook) for f in sys.meta_path):
        # typer imports its help/error renderer only when it prints help or an error (~0.15 s):
        # patch it as it loads rather than load it for every question
        sys.meta_path.insert(0, _RichUtilsHook())


def _patch_rich(rich_utils) -> None:
    originals = getattr(rich_utils, "_civilqa_english", None)
    if originals is None:
        originals = {k: getattr(rich_utils, k) for k in _RICH_CONSTANTS if hasattr(rich_utils, k)}
        rich_utils._civilqa_english = originals
    for key, english in originals.items():
        setattr(rich_utils, key, MESSAGES.get(english, english))
    _wrap(rich_utils, "_make_rich_text", _fold)
    _wrap(rich_utils, "_get_parameter_help", _fold_columns)


def _fold_columns(get_parameter_help):
    """An option's help cell (help, [环境变量：…], [默认：…]) folding instead of ending in "…"."""
    def get(*args: Any, **kwargs: Any):
        out = get_parameter_help(*args, **kwargs)
        for item in getattr(out, "renderables", ()):
            if getattr(item, "overflow", "fold") in (None, "ellipsis"):
                item.overflow = "fold"
        return out

    return get


class _RichUtilsHook:
    """A meta-path finder that lets ``typer.rich_utils`` load normally, then patches it."""

    name = "typer.rich_utils"

    def find_spec(self, fullname, path, target=None):
        if fullname != self.name:
            return None
        import importlib.machinery

        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return None
        spec.loader = _PatchingLoader(spec.loader)
        return spec


class _PatchingLoader:
    def __init__(self, inner) -> None:
        self.inner = inner

    def create_module(self, spec):
        return self.inner.create_module(spec)

    def exec_module(self, module) -> None:
        self.inner.exec_module(module)
        _patch_rich(module)
