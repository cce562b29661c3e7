"""Document metadata: the region a report is about, the year it reports on, a title.

Detected from the text, then corrected by an optional sidecar ``metadata.json``
in the source folder::

    {"004_6a9f14ed8234cc33.txt": {"year": 2016, "title": "...", "note": "why"}}

Only the keys ``city``, ``year``, ``title``, ``period``, ``publisher`` are read; an
unknown key or a wrongly typed value is an error naming the sidecar.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from .cleaning import Block
from .document import DocMeta
from .errors import IngestError
from .places import detect_region

SIDECAR_NAME = "metadata.json"
_FIELDS = {"city": (str, type(None)), "year": (int, type(None)), "title": str,
           "period": (str, type(None)), "publisher": (str, type(None)), "note": str}
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_MASTHEAD = re.compile(r"(时报|日报|晚报|特别报道|专刊)")
_NUMBERED = re.compile(r"^\d+\s")


def detect_year(text: str) -> int | None:
    counts = Counter(int(y) for y in _YEAR.findall(text))
    if not counts:
        return None
    # most mentioned; on a tie the later year (reports look back on one year)
    return max(counts, key=lambda y: (counts[y], y))


def detect_title(text: str, blocks: list[Block]) -> str | None:
    headings = [text[b.start:b.end] for b in blocks if b.kind == "heading"]
    for b in blocks[:3]:
        s = text[b.start:b.end]
        looks_like_title = b.kind == "heading" or (len(s) <= 40 and s[-1] not in "。！？")
        if looks_like_title and not _MASTHEAD.search(s) and not _NUMBERED.match(s):
            return s
    for s in headings:
        if not _MASTHEAD.search(s) and not _NUMBERED.match(s) and len(s) >= 8:
            return s
    return None


def detect(text: str, blocks: list[Block], source: str) -> DocMeta:
    city = detect_region(text)
    year = detect_year(text)
    title = detect_title(text, blocks) or f"{city or ''}民政工作报道（{source}）"
    period = None
    if year is not None:
        period = f"{year}年上半年" if text.count("上半年") >= 2 else f"{year}年"
    return DocMeta(city=city, year=year, title=title, period=period,
                   publisher=f"{city}民政局" if city else None)


def load_sidecar(folder: Path) -> dict[str, dict[str, Any]]:
    path = folder / SIDECAR_NAME
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IngestError(f"元数据文件格式错误：{path}：{exc}（invalid sidecar JSON）") from None
    if not isinstance(data, dict):
        raise IngestError(f"元数据文件应为 JSON 对象：{path}（sidecar must be an object）")
    for name, fields in data.items():
        if name.startswith("_"):
            continue
        if not isinstance(fields, dict):
            raise IngestError(f"元数据文件 {path} 中 {name!r} 的值应为对象（expected an object）")
        for key, value in fields.items():
            if key not in _FIELDS:
                raise IngestError(
                    f"元数据文件 {path} 中 {name!r} 有未知字段 {key!r}，可用字段：{', '.join(_FIELDS)}"
                    f"（unknown sidecar field）")
            if not isinstance(value, _FIELDS[key]) or isinstance(value, bool):
                raise IngestError(
                    f"元数据文件 {path} 中 {name!r}.{key} 的值 {value!r} 类型错误（wrong type）")
    return {k: v for k, v in data.items() if not k.startswith("_")}


def apply_sidecar(meta: DocMeta, fields: dict[str, Any] | None) -> DocMeta:
    if not fields:
        return meta
    d = meta.to_dict()
    for key in ("city", "year", "title", "period", "publisher"):
        if key in fields:
            d[key] = fields[key]
    if "year" in fields and "period" not in fields and d["year"] is not None:
        d["period"] = f"{d['year']}年"
    if "city" in fields and "publisher" not in fields and d["city"]:
        d["publisher"] = f"{d['city']}民政局"
    return DocMeta.from_dict(d)
