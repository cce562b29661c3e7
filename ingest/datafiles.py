"""The one reader of ingest's editable data files (``ingest/data/*.json``).

A file that is missing, not UTF-8 JSON, or not shaped as expected is a
:class:`ConfigError` naming the file and the key, so an edit that breaks it is
reported where it was made.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import ConfigError

DATA_DIR = Path(__file__).with_name("data")
DOCUMENT_WORDS = DATA_DIR / "document_words.json"


def bad(path: Path, where: str, what: str) -> ConfigError:
    return ConfigError(f"数据文件有误：{path} 中 {where}：{what}（invalid data file）")


def read_json(path: Path) -> dict[str, Any]:
    """A data file's top-level object."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"找不到数据文件：{path}（data file missing）") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise bad(path, "文件", f"不是有效的 UTF-8 JSON：{exc}") from None
    if not isinstance(data, dict):
        raise bad(path, "顶层", "应为 JSON 对象")
    return data


def string_list(path: Path, data: dict[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise bad(path, key, "应为非空字符串的列表")
    return tuple(value)


@lru_cache(maxsize=1)
def document_words() -> dict[str, Any]:
    """``document_words.json``, checked: lists of strings, strings, positive integers, a mapping."""
    data = read_json(DOCUMENT_WORDS)
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key.startswith("_"):
            continue
        if isinstance(value, list):
            out[key] = string_list(DOCUMENT_WORDS, data, key)
        elif isinstance(value, int) and not isinstance(value, bool) and value > 0:
            out[key] = value
        elif isinstance(value, str) and value:
            out[key] = value
        elif isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            out[key] = dict(value)
        else:
            raise bad(DOCUMENT_WORDS, key, f"值 {value!r} 的类型不对")
    needed = ("organ_words", "national_issuers", "dateline_agencies", "dateline_after", "report_words",
              "reporter_words", "venue_before", "venue_after", "target_before", "as_of_before", "target_after",
              "range_joiners", "national_not_before", "national_prefixes", "national_addressees", "effective_verbs", "from_issue_words", "issue_labels", "half_year_words",
              "organ_endings", "organ_gap_stop", "organ_gap_max", "head_chars", "tail_chars")
    missing = [k for k in needed if k not in out]
    if missing:
        raise bad(DOCUMENT_WORDS, "、".join(missing), "缺少这些键")
    return out
