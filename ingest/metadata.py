"""Document metadata: the region a document is about, its period, a title.

Detected from the text, then corrected by an optional sidecar ``metadata.json``
in the source folder::

    {"004_6a9f14ed8234cc33.txt": {"year": 2016, "title": "...", "note": "why"}}

Only the keys ``city``, ``year``, ``title``, ``period``, ``publisher`` are read; an
unknown key or a wrongly typed value is an error naming the sidecar.

Region (:func:`detect_document_region`), in this order of evidence:

1. the issuing body: a place followed by an organ word (河南省民政厅, 郑州市人民政府办公室,
   武陟县民政局) in the title, then in the head or the tail (signature) of the text;
   a national organ (民政部, 国务院) as issuer with no place makes it 全国;
2. the places the title names, when they form one chain (河南省焦作市); with no title
   line, the place the text opens with (``贵州推出…``, ``河南郑州：…``);
3. the places the body names, when one region holds most mentions
   (:func:`ingest.places.dominant`), at least twice or as the only place named.

Never from datelines (``新华社太原3月2日电``, ``中新网长春7月31日电``, ``记者 田甜 枣庄报道``)
or venues (``在长春召开``): those mentions are masked first. No evidence is a real
value: ``city`` None with ``region_source`` ``not_stated`` or ``ambiguous``.

Period (:func:`detect_period`): the issue date (a date alone in the tail or after
印发日期), the effective date (``自2023年7月1日起施行``; ``自印发之日起施行`` is the issue
date), and the year: the title's, else the body's most mentioned year not a
target (``到2025年底``, ``2021—2025年``, ``2025年前``), else the issue date's.

All the words are in ``ingest/data/document_words.json``.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .cleaning import Block
from .datafiles import document_words
from .document import DocMeta
from .errors import IngestError
from .places import NATIONAL, Mention, Place, dominant, mentions, place_of
from .text import HAN, YEAR

SIDECAR_NAME = "metadata.json"
_FIELDS = {"city": (str, type(None)), "year": (int, type(None)), "title": str,
           "period": (str, type(None)), "publisher": (str, type(None)), "note": str}
_MASTHEAD = re.compile(r"(时报|日报|晚报|特别报道|专刊)")
_NUMBERED = re.compile(r"^\d+\s")
_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "Ｏ": "0", "O": "0"}
_CN_DATE = re.compile(r"([〇零○Ｏ一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ISO_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?!\d)")
_SHORT_DATE = r"\d{1,2}月\d{1,2}日"


def _cn_small(s: str) -> int:
    """十 → 10, 十二 → 12, 二十 → 20, 二十一 → 21, 七 → 7."""
    if "十" not in s:
        return int(_CN_DIGITS[s])
    tens, _, ones = s.partition("十")
    return (int(_CN_DIGITS[tens]) if tens else 1) * 10 + (int(_CN_DIGITS[ones]) if ones else 0)


def _iso(y: int, m: int, d: int) -> str | None:
    if 1 <= m <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{m:02d}-{d:02d}"
    return None


def find_dates(text: str) -> list[tuple[str, int, int]]:
    """Full dates in ``text`` as (ISO date, start, end): 2023年7月1日, 2023-07-01,
    二〇二三年五月一日."""
    out = []
    for m in _DATE.finditer(text):
        iso = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if iso:
            out.append((iso, m.start(), m.end()))
    for m in _ISO_DATE.finditer(text):
        iso = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if iso:
            out.append((iso, m.start(), m.end()))
    for m in _CN_DATE.finditer(text):
        try:
            y = int("".join(_CN_DIGITS[c] for c in m.group(1)))
            iso = _iso(y, _cn_small(m.group(2)), _cn_small(m.group(3)))
        except (KeyError, ValueError):
            continue
        if iso:
            out.append((iso, m.start(), m.end()))
    return sorted(out, key=lambda t: t[1])


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# -- period ---------------------------------------------------------------------------------

def _target_years(text: str) -> set[int]:
    """Start offsets of years that are a plan's target or a range's ends."""
    w = document_words()
    spans: set[int] = set()
    as_of = tuple(w["as_of_before"])
    for m in YEAR.finditer(text):
        before = text[max(0, m.start() - 4):m.start()]
        after = text[m.end() - 1:m.end() + 4]
        if before.endswith(as_of):
            continue
        if before.endswith(tuple(w["target_before"])) or after.startswith(tuple(w["target_after"])):
            spans.add(m.start())
    joiners = _alt(w["range_joiners"])
    for m in re.finditer(rf"(?<!\d)((?:19|20)\d{{2}})\s*年?\s*(?:{joiners})\s*((?:19|20)\d{{2}})\s*年", text):
        spans.add(m.start(1))
        spans.add(m.start(2))
    return spans


def detect_year(text: str) -> int | None:
    """The most mentioned year that is not a target (到2025年, 2021—2025年); on a tie the later."""
    targets = _target_years(text)
    counts = Counter(int(m.group(1)) for m in YEAR.finditer(text) if m.start() not in targets)
    if not counts:
        return None
    return max(counts, key=lambda y: (counts[y], y))


@dataclass(frozen=True)
class Period:
    year: int | None
    period: str | None
    issued: str | None
    effective: str | None


def detect_period(text: str, title: str | None = None) -> Period:
    w = document_words()
    dates = find_dates(text)
    tail_start = max(0, len(text) - w["tail_chars"])
    issued = None
    labels = _alt(w["issue_labels"])
    for iso, s, e in dates:
        if re.search(rf"(?:{labels})[:：\s]*$", text[max(0, s - 10):s]):
            issued = iso
    if issued is None:
        for iso, s, e in reversed(dates):
            line_start = text.rfind("\n", 0, s) + 1
            line_end = text.find("\n", e)
            line = text[line_start:line_end if line_end >= 0 else len(text)].strip()
            if s >= tail_start and len(line) <= 40 and not re.search(r"[，。；]", line):
                issued = iso  # a date on a line of its own at the end: the signature date
                break
    effective = None
    verbs = _alt(w["effective_verbs"])
    from_words = tuple(w["from_words"])
    for iso, s, e in dates:
        after = text[e:e + 10]
        # 2023年7月1日起施行 / 开始执行; 自2023年7月1日起，… (a deadline, 1月1日前, is neither)
        if re.match(rf"\s*(?:起|开始)\s*(?:{verbs})", after) or (
                text[max(0, s - 2):s].endswith(from_words) and re.match(r"\s*起", after)):
            effective = iso
            break
    if effective is None and issued:
        if re.search(rf"自(?:{_alt(w['from_issue_words'])})起\s*(?:{verbs})", text):
            effective = issued
    year = None
    if title:
        year = detect_year(title)
    if year is None:
        year = detect_year(text)
    if year is None and (issued or effective):
        year = int((issued or effective)[:4])
    period = None
    if year is not None:
        period = f"{year}年"
        for word, label in w["half_year_words"].items():
            if text.count(word) >= 2 or (title and word in title):
                period = f"{year}年{label}"
                break
    return Period(year, period, issued, effective)


# -- region ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class RegionFinding:
    place: Place | None  # None: national (see ``national``) or not stated
    source: str  # issuer, title, body, not_stated, ambiguous
    national: bool = False
    publisher: str | None = None  # the issuing body as written, when found


def _masked(text: str, found: list[Mention]) -> set[int]:
    """Indexes (into ``found``) of mentions in datelines, reporter credits and venues."""
    w = document_words()
    agencies = _alt(w["dateline_agencies"])
    after = _alt(w["dateline_after"])
    report = _alt(w["report_words"])
    reporter = _alt(w["reporter_words"])
    venue_b = tuple(w["venue_before"])
    venue_a = _alt(w["venue_after"])
    out = set()
    for i, m in enumerate(found):
        before = text[max(0, m.start - 12):m.start]
        rest = text[m.end:m.end + 12]
        if re.match(rf"\s*{_SHORT_DATE}\s*(?:{after})", rest):
            out.add(i)  # 太原3月2日电, 长春7月31日电
        elif re.search(rf"(?:{agencies})\s*$", before):
            out.add(i)  # 中新网长春…
        elif re.match(rf"\s*(?:{report})", rest) and re.search(rf"(?:{reporter})", before):
            out.add(i)  # 记者 田甜 枣庄报道
        elif before.endswith(venue_b) and re.match(rf"\S{{0,4}}?(?:{venue_a})", rest):
            out.add(i)  # 在长春召开
    return out


def without_datelines(text: str) -> str:
    """``text`` with the places of its datelines, reporter credits and venues blanked out
    (``新华社太原3月2日电`` does not say anything about 太原), offsets kept."""
    found = mentions(text)
    chars = list(text)
    for i in _masked(text, found):
        chars[found[i].start:found[i].end] = "　" * (found[i].end - found[i].start)
    return "".join(chars)


def _issuers(text: str, found: list[Mention], lo: int, hi: int) -> list[tuple[Place, str]]:
    """(place, organ) for each place in text[lo:hi] followed by an organ word (民政局,
    商务局, 人民政府办公室); of adjacent places (河南省焦作市民政局) the last, the deepest."""
    w = document_words()
    stop = re.escape(w["organ_gap_stop"])
    organ = re.compile(rf"(?:{_alt(w['organ_words'])})|[^{stop}\W\d]{{1,{w['organ_gap_max']}}}?(?:{_alt(w['organ_endings'])})")
    out = []
    for i, m in enumerate(found):
        if not (lo <= m.start < hi) or m.weak:
            continue
        nxt = found[i + 1] if i + 1 < len(found) else None
        if nxt is not None and nxt.start == m.end:
            continue  # the next place continues the name
        om = organ.match(text, m.end)
        if om and not any(n.start < om.end() for n in found[i + 1:i + 2]):
            out.append((m.place, text[m.end:om.end()]))
    return out


def _head_issuer(places_: list[Place]) -> Place | None:
    """The body a text's head or tail names first is its own; bodies of the same place
    named more often than any other outweigh it (a province's 住建厅, 医保局 and 民政厅
    reporting at a meeting where one city's 人民政府 also speaks is the province's text)."""
    if not places_:
        return None
    counts = Counter(p.region for p in places_)
    top, n = counts.most_common(1)[0]
    if n >= 2 and n > counts[places_[0].region]:
        return next(p for p in places_ if p.region == top)
    return places_[0]


def _one_chain(places_: list[Place]) -> Place | None:
    """The deepest place when all lie on one chain (河南省, 焦作市, 武陟县), else None."""
    if not places_:
        return None
    deepest = max(places_, key=lambda p: len(p.chain))
    if all(p.chain == deepest.chain[:len(p.chain)] for p in places_):
        return deepest
    return None


def _opening(text: str) -> int:
    """Where the document's own words start: after a site's ``…，正文：原标题：`` prefix."""
    w = document_words()
    head = text[:w["head_chars"]]
    pos = 0
    for marker in w["opening_markers"]:
        i = head.find(marker, pos)
        if i >= 0:
            pos = i + len(marker)
    return pos


def _last_line(text: str) -> str:
    """The last non-empty line with no date: the signature of a notice (民政部)."""
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line and not find_dates(line):
            return line
    return ""


def _national_opening(segment: str) -> str | None:
    """A national organ at the very start of ``segment`` not followed by a place."""
    w = document_words()
    segment = segment.lstrip("【[（( ")
    found = _national_issuer(segment)
    if found and segment.startswith(found):
        name = found
    else:
        local = re.escape(w["local_chars"])
        m = re.match(rf"[^{local}\W\d]{{2,6}}?(?:{_alt(w['national_endings'])})(?![{HAN}]*?关于)", segment)
        if m is None or mentions(m.group()):
            return None
        name = m.group()
    after = mentions(segment[len(name):len(name) + 12])
    if after and after[0].start == 0:
        return None
    return name


def _national_issuer(segment: str) -> str | None:
    w = document_words()
    not_before = _alt(w["national_not_before"])
    m = re.search(rf"(?:{_alt(w['national_issuers'])})(?!{not_before})", segment)
    if m is None:
        stop = re.escape(w["organ_gap_stop"])
        m = re.search(rf"(?:{_alt(w['national_prefixes'])})[^{stop}\W\d]{{1,{w['organ_gap_max']}}}?"
                      rf"(?:{_alt(w['organ_endings'])})(?!{not_before})", segment)
    return m.group() if m else None


def detect_document_region(text: str, title: str | None = None) -> RegionFinding:
    w = document_words()
    found = mentions(text)
    masked = _masked(text, found)
    kept = [m for i, m in enumerate(found) if i not in masked]
    # 0. a national organ opening the document (民政部关于…, 农业农村部等三部门印发通知),
    #    unless a place follows it (国家税务总局南阳市税务局 is a local bureau)
    head, tail = w["head_chars"], max(0, len(text) - w["tail_chars"])
    opening = _national_opening(title or text[:head]) or (title and _national_opening(text[:head]))
    if opening:
        return RegionFinding(None, "issuer", national=True, publisher=opening)
    # 1. the issuing body: in the title, then the head and the tail
    if title:
        t_found = [m for m in mentions(title) if not m.weak]
        t_iss = _issuers(title, t_found, 0, len(title))
        place = _one_chain([p for p, _ in t_iss]) or (t_iss[0][0] if t_iss else None)
        if place is not None:
            return RegionFinding(place, "issuer", publisher=place.region + next(o for p, o in t_iss if p == place))
    for lo, hi in ((0, head), (tail, len(text))):
        iss = _issuers(text, kept, lo, hi)
        place = _head_issuer([p for p, _ in iss])
        if place is not None:
            return RegionFinding(place, "issuer", publisher=place.region + next(o for p, o in iss if p == place))
    # a national organ as issuer: at the head (before 关于) with no place of its own, or
    # as the signature, a short line at the end; or a head addressed to every province
    head_seg = text[:head].split("关于")[0]
    title_seg = (title or "").split("关于")[0]
    signature = _last_line(text)
    for segment, own_place in ((title_seg, [m for m in mentions(title_seg) if not m.weak]),
                               (head_seg, [m for m in kept if m.start < len(head_seg) and not m.weak]),
                               (signature if len(signature) <= 30 else "", [])):
        national = _national_issuer(segment)
        if national and not own_place:
            return RegionFinding(None, "issuer", national=True, publisher=national)
    if any(a in text[:head] for a in w["national_addressees"]):
        return RegionFinding(None, "issuer", national=True)
    # 2. the places the title names, if they form one chain; or, with no title line
    #    (a one-line document: title and body run together), the place it opens with
    if title:
        place = _one_chain([m.place for m in mentions(title) if not m.weak])
        if place is not None:
            return RegionFinding(place, "title")
    opening = _opening(text)
    run = [m for m in kept if not m.weak and m.start >= opening]
    if run and run[0].start == opening:
        j = 0
        while j + 1 < len(run) and run[j + 1].start == run[j].end:
            j += 1  # 河南郑州：… → 郑州市
        place = _one_chain([m.place for m in run[:j + 1]])
        if place is not None:
            return RegionFinding(place, "title")
    # 3. the body's dominant region, named at least twice
    place, why = dominant(kept)
    if place is not None:
        strong = [m for m in kept if not m.weak]
        n = sum(1 for m in strong if place.name in m.place.chain)
        if n < 2 and n < len(strong):
            return RegionFinding(None, "not_stated")  # one mention among others: in passing
        return RegionFinding(place, "body")
    return RegionFinding(None, why)


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
