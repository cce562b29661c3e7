"""Document metadata: the region a document is about, its period, a title.

Detected from the text, then corrected by an optional sidecar ``metadata.json``
in the source folder::

    {"004_6a9f14ed8234cc33.txt": {"year": 2016, "title": "...", "note": "why"}}

Only the keys ``city``, ``year``, ``title``, ``period``, ``publisher`` are read; an
unknown key or a wrongly typed value is an error naming the sidecar.

Region: :func:`detect_document_region` (``ingest/doc_regions.py``: the issuing body, then the
title's places, then the body's dominant region; never a dateline or a venue). Period:
:func:`detect_period` (``ingest/doc_period.py``: issue and effective dates, the year that is not a
target). This module puts them together with the title (``detect``) and applies the sidecar. All
the words are in ``ingest/data/document_words.json``.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .cleaning import Block
from .datafiles import document_words
from .doc_period import Period, detect_period, detect_year, find_dates, past_stamp, stamp_date  # noqa: F401  (read from here too)
from .doc_regions import RegionFinding, detect_document_region, without_datelines  # noqa: F401
from .document import DocMeta
from .errors import IngestError
from .places import NATIONAL, Place, place_of
from .signature import issuer_line

SIDECAR_NAME = "metadata.json"
_FIELDS = {"city": (str, type(None)), "year": (int, type(None)), "title": str,
           "period": (str, type(None)), "publisher": (str, type(None)), "note": str}
_MASTHEAD = re.compile(r"(时报|日报|晚报|特别报道|专刊)")
_NUMBERED = re.compile(r"^\d+\s")


def _without_marker(s: str) -> str:
    """原标题：X → X, 2024-03-05 09:12，正文：原标题：X → X: a site's publication stamp and labels
    before the headline it copied."""
    return s[past_stamp(s):].strip() or s


# a document number's year and serial after the title line (娄星民发〔2026〕6号, 通民联发[2026]4号)
_FILE_NUMBER = re.compile(r"[〔\[［(（]\s*(?:19|20)\d\d\s*[〕\]］)）]\s*第?\d+\s*号\s*$")


def _without_file_number(line: str) -> str:
    """关于…的通知娄星民发〔2026〕6号 → 关于…的通知: the title ends at its last genre word
    (document_words title_endings) before the number."""
    m = _FILE_NUMBER.search(line)
    if not m:
        return line
    head = line[:m.start()]
    cut = max((head.rfind(e) + len(e) for e in document_words()["title_endings"] if e in head), default=0)
    return head[:cut] if cut else line


def detect_title(text: str, blocks: list[Block]) -> str | None:
    """The first heading-like block of the head, past a publication stamp (2023-07-25 17:43，正文：)
    and without a site's label (原标题：). An official document's issuer line followed by its
    关于… line (vocabulary document_words title_openers) is one title, without its document number:
    娄底市娄星区民政局 / 关于提高…补贴标准的通知 / 娄星民发〔2026〕6号."""
    heads = [b for b in blocks[:4] if stamp_date(text[b.start:b.end]) is None][:3]
    headings = [text[b.start:b.end] for b in blocks if b.kind == "heading" and stamp_date(text[b.start:b.end]) is None]
    for i, b in enumerate(heads):
        s = _without_marker(text[b.start:b.end])
        looks_like_title = b.kind == "heading" or (len(s) <= 40 and s[-1] not in "。！？")
        if looks_like_title and not _MASTHEAD.search(s) and not _NUMBERED.match(s):
            nxt = text[heads[i + 1].start:heads[i + 1].end].strip() if i + 1 < len(heads) else ""
            if nxt.startswith(tuple(document_words()["title_openers"])) and issuer_line(s):
                return s + _without_file_number(nxt)
            return s
    for s in headings:
        if not _MASTHEAD.search(s) and not _NUMBERED.match(s) and len(s) >= 8:
            return s
    return None


def _region_fields(place: Place | None, national: bool, source: str) -> dict[str, Any]:
    if national:
        return {"city": NATIONAL, "region_level": "national", "region_parents": (), "region_code": None,
                "region_source": source}
    if place is None:
        return {"city": None, "region_level": None, "region_parents": (), "region_code": None,
                "region_source": source}
    return {"city": place.region, "region_level": place.level, "region_parents": place.parents,
            "region_code": place.code, "region_source": source}


def detect(text: str, blocks: list[Block], source: str) -> DocMeta:
    title = detect_title(text, blocks)
    region = detect_document_region(text, title)
    fields = _region_fields(region.place, region.national, region.source)
    city = fields["city"]
    period = detect_period(text, title)
    publisher = region.publisher
    if publisher is None and city and not region.national:
        publisher = f"{city}民政局"
    return DocMeta(title=title or f"{city or ''}民政工作报道（{source}）", year=period.year,
                   period=period.period, publisher=publisher, issued=period.issued,
                   effective=period.effective, **fields)


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
    if "city" in fields:
        place = place_of(fields["city"])
        national = fields["city"] == NATIONAL
        d.update(_region_fields(place, national, "sidecar"))
        d["city"] = fields["city"]  # as the sidecar writes it
    return DocMeta.from_dict(d)
