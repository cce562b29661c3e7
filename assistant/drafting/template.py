"""The reply template (``assistant/data/reply_template.toml``, or ``CIVILQA_REPLY_TEMPLATE``):
read and checked once; any problem is a ``ConfigError`` naming the file, the key and the placeholder."""
from __future__ import annotations

import string
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import ConfigError
from ingest.settings import settings

TEMPLATE_PATH = Path(__file__).resolve().parents[1] / "data" / "reply_template.toml"

# key: (placeholders it may use, placeholders it must use)
TEMPLATE_FIELDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "title": (frozenset({"date"}), frozenset()),
    "salutation": (frozenset(), frozenset()),
    "opening": (frozenset({"count"}), frozenset()),
    "answered": (frozenset({"number", "question", "answer", "scope", "basis"}), frozenset({"answer", "basis"})),
    "not_covered": (frozenset({"number", "question", "topic"}), frozenset({"topic"})),
    "basis_item": (frozenset({"title", "publisher", "city", "year", "period", "markers", "source"}),
                   frozenset({"title"})),
    "basis_separator": (frozenset(), frozenset()),
    "closing": (frozenset({"date"}), frozenset()),
    "signature": (frozenset({"date"}), frozenset()),
    "sources_heading": (frozenset(), frozenset()),
    "source_item": (frozenset({"marker", "title", "publisher", "city", "year", "period", "source", "start",
                               "end", "text"}), frozenset({"marker", "title"})),
}


@dataclass(frozen=True)
class ReplyTemplate:
    path: str
    title: str
    salutation: str
    opening: str
    answered: str
    not_covered: str
    basis_item: str
    basis_separator: str
    closing: str
    signature: str
    sources_heading: str
    source_item: str


def template_path(path: str | Path | None = None) -> Path:
    if path:
        return Path(path).expanduser()
    return settings().reply_template or TEMPLATE_PATH  # CIVILQA_REPLY_TEMPLATE


def load_template(path: str | Path | None = None) -> ReplyTemplate:
    """Read and check the reply template; any problem is a ``ConfigError`` naming the file."""
    p = template_path(path)
    where = f"答复模板 {p}"
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"找不到{where}（reply template not found）") from None
    except OSError as exc:
        raise ConfigError(f"无法读取{where}：{exc.strerror or exc}（cannot read reply template）") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{where} 不是 UTF-8 文本（第 {exc.start} 字节）（template must be UTF-8）") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where} 格式错误：{exc}（invalid TOML）") from None
    unknown = sorted(set(data) - set(TEMPLATE_FIELDS))
    if unknown:
        raise ConfigError(f"{where} 中有未知条目：{'、'.join(unknown)}；可用条目：{'、'.join(TEMPLATE_FIELDS)}"
                          f"（unknown template keys）")
    missing = [k for k in TEMPLATE_FIELDS if k not in data]
    if missing:
        raise ConfigError(f"{where} 缺少条目：{'、'.join(missing)}（missing template keys）")
    for key, (allowed, required) in TEMPLATE_FIELDS.items():
        value = data[key]
        if not isinstance(value, str):
            raise ConfigError(f"{where} 中 {key} 应为文本（字符串），现为 {type(value).__name__}"
                              f"（template value must be a string）")
        used = _placeholders(value, f"{where} 中 {key}")
        bad = sorted(used - allowed)
        if bad:
            raise ConfigError(f"{where} 中 {key} 使用了未知占位符："
                              f"{'、'.join('{' + b + '}' for b in bad)}；可用："
                              f"{'、'.join('{' + a + '}' for a in sorted(allowed)) or '无'}"
                              f"（unknown placeholder）")
        lacking = sorted(required - used)
        if lacking:
            raise ConfigError(f"{where} 中 {key} 缺少必需的占位符："
                              f"{'、'.join('{' + b + '}' for b in lacking)}（missing placeholder）")
    return ReplyTemplate(path=str(p), **{k: data[k] for k in TEMPLATE_FIELDS})


def _placeholders(text: str, where: str) -> set[str]:
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise ConfigError(f"{where} 的花括号不成对（{exc}）；文字中的花括号请写成 {{{{ 或 }}}}"
                          f"（unbalanced braces）") from None
    names = set()
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise ConfigError(f"{where} 的占位符 {{{name}{'!' + conversion if conversion else ''}"
                              f"{':' + spec if spec else ''}}} 无效：只能写 {{名称}}（invalid placeholder）")
        names.add(name)
    return names

