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


_LISTS = ("organ_words", "organ_endings", "national_issuers", "national_prefixes", "national_not_before",
          "national_addressees", "dateline_agencies", "dateline_after", "report_words", "reporter_words",
          "venue_before", "venue_after", "recipient_before", "target_before", "as_of_before", "target_after", "range_joiners",
          "effective_verbs", "from_issue_words", "issue_labels", "national_endings", "opening_markers", "byline_labels", "from_words",
          "speech_verbs", "set_words", "title_openers", "title_endings")
_INTS = ("organ_gap_max", "head_chars", "tail_chars", "byline_name_max", "issuer_list_min", "list_read_chars",
         "speaker_gap_max")
_STRS = ("organ_gap_stop", "local_chars")
_MAPS = ("half_year_words",)


@lru_cache(maxsize=1)
def document_words() -> dict[str, Any]:
    """``document_words.json``, checked key by key (lists of words, positive integers,
    a string of characters, a word -> label mapping); unknown keys are errors too."""
    path = DOCUMENT_WORDS
    data = read_json(path)
    unknown = [k for k in data if not k.startswith("_") and k not in _LISTS + _INTS + _STRS + _MAPS]
    if unknown:
        raise bad(path, "、".join(unknown), "未知的键")
    missing = [k for k in _LISTS + _INTS + _STRS + _MAPS if k not in data]
    if missing:
        raise bad(path, "、".join(missing), "缺少这些键")
    out: dict[str, Any] = {k: string_list(path, data, k) for k in _LISTS}
    for k in _INTS:
        v = data[k]
        if not isinstance(v, int) or isinstance(v, bool) or v <= 0:
            raise bad(path, k, f"应为正整数，实为 {v!r}")
        out[k] = v
    for k in _STRS:
        if not isinstance(data[k], str) or not data[k]:
            raise bad(path, k, f"应为非空字符串，实为 {data[k]!r}")
        out[k] = data[k]
    for k in _MAPS:
        v = data[k]
        if not isinstance(v, dict) or not all(isinstance(a, str) and a and isinstance(b, str) for a, b in v.items()):
            raise bad(path, k, "应为“词 → 标签”的对象")
        out[k] = dict(v)
    return out
