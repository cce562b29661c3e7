"""The region a document is about (``detect_document_region``), in this order of evidence:

1. the issuing body: a place followed by an organ word (河南省民政厅, 郑州市人民政府办公室,
   武陟县民政局) in the title, then in the head or the tail (signature) of the text;
   a national organ (民政部, 国务院) as issuer with no place makes it 全国;
2. the places the title names, when they form one chain (河南省焦作市); with no title
   line, the place the text opens with (``贵州推出…``, ``河南郑州：…``);
3. the places the body names, when one region holds most mentions
   (:func:`ingest.places.dominant`), at least twice or as the only place named.

Never from datelines (``新华社太原3月2日电``, ``中新网长春7月31日电``, ``记者 田甜 枣庄报道``)
or venues (``在长春召开``): those mentions are masked first (``without_datelines``). No evidence
is a real value: ``city`` None with ``region_source`` ``not_stated`` or ``ambiguous``. The words
are in ``ingest/data/document_words.json``.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .datafiles import document_words
from .doc_period import SHORT_DATE, find_dates, past_stamp
from .places import Mention, Place, dominant, mentions, place_of
from .text import HAN, alternation

SITE_LABEL = re.compile(r"\s*[【\[][^】\]\s]{1,10}[】\]]\s*")


@dataclass(frozen=True)
class RegionFinding:
    place: Place | None  # None: national (see ``national``) or not stated
    source: str  # issuer, title, body, not_stated, ambiguous
    national: bool = False
    publisher: str | None = None  # the issuing body as written, when found


def _masked(text: str, found: list[Mention]) -> set[int]:
    """Indexes (into ``found``) of mentions in datelines, reporter credits and venues."""
    w = document_words()
    agencies = alternation(w["dateline_agencies"])
    after = alternation(w["dateline_after"])
    report = alternation(w["report_words"])
    reporter = alternation(w["reporter_words"])
    venue_b = tuple(w["venue_before"])
    venue_a = alternation(w["venue_after"])
    out = set()
    for i, m in enumerate(found):
        before = text[max(0, m.start - 12):m.start]
        rest = text[m.end:m.end + 12]
        if re.match(rf"\s*{SHORT_DATE}\s*(?:{after})", rest):
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


def _issuers(text: str, found: list[Mention], lo: int, hi: int, tail: bool = False) -> list[tuple[Place, str]]:
    """(place, organ) for each place in text[lo:hi] followed by an organ word (民政局,
    商务局, 人民政府办公室); of adjacent places (江苏省扬州市民政局) the last, the deepest.
    In the ``tail`` window the organ of a quoted speaker (…社区党委书记杨某某说) is no signature
    unless the body is about its place or the place's parent (:func:`_speaker_of_subject`)."""
    w = document_words()
    speaker = re.compile(rf"[^\W\d]{{0,{w['speaker_gap_max']}}}?(?:{alternation(w['speech_verbs'])})")
    stop = re.escape(w["organ_gap_stop"])
    organ = re.compile(rf"(?:{alternation(w['organ_words'])})|[^{stop}\W\d]{{1,{w['organ_gap_max']}}}?(?:{alternation(w['organ_endings'])})")
    out = []
    for i, m in enumerate(found):
        if not (lo <= m.start < hi) or m.weak or _recipient(text, m):
            continue
        nxt = found[i + 1] if i + 1 < len(found) else None
        if nxt is not None and nxt.start == m.end:
            continue  # the next place continues the name
        om = organ.match(text, m.end)
        if om and not any(n.start < om.end() for n in found[i + 1:i + 2]) \
                and not (tail and speaker.match(text, om.end()) and not _speaker_of_subject(m.place, found)):
            out.append((m.place, text[m.end:om.end()]))
    return out


def _speaker_of_subject(place: Place, found: list[Mention]) -> bool:
    """The body's dominant region is ``place`` or its parent (a county's bureau chief quoted in a
    report on the county); not a wider region the speaker's place lies far inside (a district's
    community secretary quoted last in a province's round-up)."""
    body, _ = dominant(found)
    return body is not None and place.chain[:len(body.chain)] == body.chain and len(place.chain) - len(body.chain) <= 1


def _recipient(text: str, m: Mention) -> bool:
    """The place's body is given to or addressed, not the issuer: 捐赠给湖北省慈善总会, 向某省民政厅报告,
    支援某市, or what a reporter learned from (记者从某自治区民政厅获悉) — ``recipient_before`` of
    document_words.json right before it."""
    return text[max(0, m.start - 4):m.start].endswith(tuple(document_words()["recipient_before"]))


def _head_issuer(places_: list[Place], listed: set[str] | None = None) -> Place | None:
    """The body a text's head or tail names first is its own; bodies of the same place
    named more often than any other outweigh it (a province's 住建厅, 医保局 and 民政厅
    reporting at a meeting where one city's 人民政府 also speaks is the province's text).
    Bodies of ``issuer_list_min`` or more places of one level (a closing contact list of every
    county's 民政局) are a list, no issuer: they are left out (``listed``: the levels so listed, read
    from a window wider than ``places_``'s when given)."""
    listed = _listed_levels(places_) | (listed or set())
    places_ = [p for p in places_ if p.level not in listed]
    if not places_:
        return None
    counts = Counter(p.region for p in places_)
    top, n = counts.most_common(1)[0]
    if n >= 2 and n > counts[places_[0].region]:
        return next(p for p in places_ if p.region == top)
    return places_[0]


def _listed_levels(places_: list[Place]) -> set[str]:
    """Levels at which ``places_`` holds ``issuer_list_min`` or more distinct places."""
    distinct = Counter(level for level, _ in {(p.level, p.region) for p in places_})
    return {level for level, n in distinct.items() if n >= document_words()["issuer_list_min"]}


def _one_chain(places_: list[Place]) -> Place | None:
    """The deepest place when all lie on one chain (河南省, 焦作市, 武陟县), else None."""
    if not places_:
        return None
    deepest = max(places_, key=lambda p: len(p.chain))
    if all(p.chain == deepest.chain[:len(p.chain)] for p in places_):
        return deepest
    return None


def _inner_subject(kept: list[Mention], place: Place | None) -> Place | None:
    """The body's dominant region when it lies inside ``place`` (the place a one-line page opens
    with) and is named at least twice: a news headline names the city, its body the county."""
    if place is None:
        return None
    inner, _ = dominant(kept)
    if inner is None or len(inner.chain) <= len(place.chain) or inner.chain[:len(place.chain)] != place.chain:
        return None
    named = sum(1 for m in kept if not m.weak and inner.name in m.place.chain)
    return inner if named >= 2 else None


def _set_parent(m: Mention, kept: list[Mention]) -> Place | None:
    """The parent of a title's place one of several (甲市等6个地（市）) when the text names another
    place of that parent and none outside it; else None (the several are not known to share it)."""
    parent = place_of(m.place.parent)
    strong = [k.place for k in kept if not k.weak]
    if parent is None or not any(p.parent == parent.name and p != m.place for p in strong):
        return None
    return parent if all(parent.name in p.chain for p in strong) else None


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
        m = re.match(rf"[^{local}\W\d]{{2,6}}?(?:{alternation(w['national_endings'])})(?![{HAN}]*?关于)", segment)
        if m is None or mentions(m.group()):
            return None
        name = m.group()
    after = mentions(segment[len(name):len(name) + 12])
    if after and after[0].start == 0:
        return None
    return name


def _national_issuer(segment: str) -> str | None:
    w = document_words()
    not_before = alternation(w["national_not_before"])
    m = re.search(rf"(?:{alternation(w['national_issuers'])})(?!{not_before})", segment)
    if m is None:
        stop = re.escape(w["organ_gap_stop"])
        m = re.search(rf"(?:{alternation(w['national_prefixes'])})[^{stop}\W\d]{{1,{w['organ_gap_max']}}}?"
                      rf"(?:{alternation(w['organ_endings'])})(?!{not_before})", segment)
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
    for lo, hi, in_tail in ((0, head, False), (tail, len(text), True)):
        iss = _issuers(text, kept, lo, hi, tail=in_tail)
        # a contact list the head window cuts (月湖区医保中心…；余江区医保中心…) is read to its block's end
        # (at most list_read_chars on) to tell it is a list
        block = text.find("\n\n", hi)
        wide = min(len(text) if block < 0 else block, hi + w["list_read_chars"]) if not in_tail else hi
        place = _head_issuer([p for p, _ in iss], _listed_levels([p for p, _ in _issuers(text, kept, lo, wide)]))
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
        # a county's short name right after its city's (黑河逊克：…) is the county's, when the text
        # names that city in full
        t_m = mentions(title, context={m.place.name for m in kept if not m.by_short})
        # 关于公布日喀则市等6个地（市）…: a place one of several (document_words set_words) stands for their parent
        named = [_set_parent(m, kept) if title.startswith(w["set_words"], m.end + (title[m.end:m.end + 1] in "市州盟"))
                 else m.place
                 for i, m in enumerate(t_m) if not m.weak or (
                     i and t_m[i - 1].end == m.start and t_m[i - 1].place.name == m.place.parent and not m.ambiguous)]
        place = _one_chain([p for p in named if p is not None]) if named and None not in named else None
        if place is not None:
            return RegionFinding(place, "title")
    opening = past_stamp(text)
    label = SITE_LABEL.match(text, opening)  # 【新华网】成都推出…: a site's label before the headline
    opening = label.end() if label else opening
    run = [m for m in kept if not m.weak and m.start >= opening]
    if run and run[0].start == opening:
        j = 0
        while j + 1 < len(run) and run[j + 1].start == run[j].end:
            j += 1  # 河南郑州：… → 郑州市
        place = _one_chain([m.place for m in run[:j + 1]])
        inner = _inner_subject(kept, place)
        if inner is not None:  # 贵州六盘水：…水城区…水城区: the headline's city, the body's district
            return RegionFinding(inner, "body")
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
