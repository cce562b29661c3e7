"""What the scripts that generate data files share (``build_gazetteer.py``,
``build_place_names_en.py``, ``assistant/data/build_english_lexicon.py``): jieba's dictionary, and the
layout of a generated JSON file (a header of one field a line, then one entry a line, readable and
diffable). Imported only by those scripts, never at run time.
"""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any


def jieba_dictionary() -> dict[str, tuple[int, str]]:
    """word -> (frequency, part-of-speech tag) of jieba's own dictionary file."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("jieba is not installed (it is a project dependency: make install)")
    words: dict[str, tuple[int, str]] = {}
    dict_txt = Path(list(spec.submodule_search_locations)[0]) / "dict.txt"
    for line in dict_txt.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 3:
            words[parts[0]] = (int(parts[1]), parts[2])
    return words


def render_generated(header: dict[str, Any], key: str, entries: dict[str, Any] | list[Any]) -> str:
    """The text of a generated file: ``header``'s fields one a line, then ``key`` holding
    ``entries`` (an object or a list) one entry a line; UTF-8 as it is (Chinese stays readable)."""
    lines = ["{"] + [f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in header.items()]
    if isinstance(entries, dict):
        body = [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in entries.items()]
        opening, closing = "{", "}"
    else:
        body = [f"  {json.dumps(v, ensure_ascii=False)}" for v in entries]
        opening, closing = "[", "]"
    lines += [f" {json.dumps(key)}: {opening}", ",\n".join(body), f" {closing}", "}"]
    return "\n".join(lines) + "\n"
