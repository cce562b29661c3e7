"""The command line's own words in Chinese: click's and typer's messages and help, never cut short.

click and typer look their texts up through ``gettext`` (``_("Show this message and exit.")``,
``_("Missing option")``...); ``install()`` points those look-ups at ``MESSAGES`` and makes the help
panels fold long Chinese lines instead of cutting them with "…" (rich's table cells cut a line that
has no space to break at). A text with no translation stays as click wrote it.

Called once by ``ui/root.py`` when the CLI root loads; safe to call again.
"""
from __future__ import annotations

import gettext
import sys
from typing import Any

# msgid (as written in click 8 / typer 0.2x) -> Chinese. Placeholders are kept exactly.
MESSAGES: dict[str, str] = {
    # help
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "Usage:": "用法：",
    "Options": "选项",
    "Arguments": "参数",
    "Positional arguments": "位置参数",
    "Commands": "命令",
    "[default: {}]": "[默认：{}]",
    "[env var: {}]": "[环境变量：{}]",
    "[required]": "[必填]",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "required": "必填",
    "(deprecated) ": "（已弃用）",
    "deprecated": "已弃用",
    "(dynamic)": "（动态）",
    # errors
    "Error": "错误",
    "Error: {message}": "错误：{message}",
    "Try [blue]'{command_path} {help_option}'[/] for help.": "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing command.": "缺少命令。",
    "No such option {name!r}.": "没有这个选项：{name!r}。",
    "No such command {name!r}.": "没有这个命令：{name!r}。",
    "Invalid value: {message}": "取值无效：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的取值无效：{message}",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Did you mean {possibility}?": "是不是要输入 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是不是要输入其中之一：{possibilities}？）",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受取值。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在允许范围 {range} 内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是有效的是/否值，可用：{states}",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不在可选值 {choices} 中。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是一个文件。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是一个目录。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "file": "文件",
    "directory": "目录",
    "path": "路径",
    "unknown error": "未知错误",
    "Aborted!": "已中止。",
    "Aborted.": "已中止。",
}

# typer >= 0.2x ships its own copy of click (typer._click) whose texts are plain English literals:
# its error messages are translated by pattern (the English is kept after the Chinese when no
# pattern matches, so nothing is lost)
ERROR_PATTERNS: list[tuple[str, str]] = [
    (r"^Missing option\b", "缺少选项"),
    (r"^Missing argument\b", "缺少参数"),
    (r"^Missing parameter\b", "缺少参数"),
    (r"^Missing command\.", "缺少命令。"),
    (r"^Invalid value for (.+?): ", r"\1 的取值无效："),
    (r"^Invalid value: ", "取值无效："),
    (r"^No such option: ", "没有这个选项："),
    (r"^No such command ", "没有这个命令 "),
    (r"^Got unexpected extra argument\(s\) \((.*)\)", r"多余的参数：\1"),
    (r" ?\(Possible options: (.+)\)", r"（相近的选项：\1）"),
    (r" ?\(Did you mean (.+)\?\)", r"（是不是要输入 \1？）"),
    (r"^Option (\S+) requires an argument\.", r"选项 \1 需要一个值。"),
    (r"^Option (\S+) does not take a value\.", r"选项 \1 不接受取值。"),
    (r"Input should be a valid integer, unable to parse string as an integer", "应为整数"),
    (r"Input should be a valid number, unable to parse string as a number", "应为数字"),
    (r"Input should be a valid boolean, unable to interpret input", "应为是/否值（true/false）"),
    (r"Input should be greater than or equal to (\S+)", r"应不小于 \1"),
    (r"Input should be less than or equal to (\S+)", r"应不大于 \1"),
    (r"Input should be greater than (\S+)", r"应大于 \1"),
    (r"Input should be less than (\S+)", r"应小于 \1"),
    (r" is not one of ", " 不在可选值中："),
    (r" does not exist\.", " 不存在。"),
    (r" is a directory\.", " 是一个目录。"),
    (r" is a file\.", " 是一个文件。"),
    (r"\.$", "。"),
]
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
