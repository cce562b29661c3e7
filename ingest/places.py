"""Place names: the national gazetteer, places in a text, and how two regions relate.

The data files and their loading are ``ingest.gazetteer`` (whose names are imported here too).

Levels are ``"province"``, ``"city"`` (prefecture level: 地级市, 自治州, 地区, 盟),
``"county"`` (县, 县级市, 市辖区, 旗…) and ``"town"``; ``NATIONAL`` (全国) stands above
them all. A region label is a place's name prefixed by its parent below the
province (郑州市惠济区, 北京市朝阳区, 焦作市); :func:`place_of` reads one back.

The one question the answer layer asks is :func:`relation`: is the asked place the
document's region, an ancestor of it, a descendant of it, or unrelated?

Example::

    >>> [(p.region, s) for p, s, _ in find_places("北京市朝阳区和辽宁省朝阳市")]
    [('北京市', 0), ('北京市朝阳区', 3), ('辽宁省', 6), ('朝阳市', 9)]
    >>> relation("河南省", "郑州市惠济区")
    'ancestor'
"""
from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from .gazetteer import (  # noqa: F401  (the gazetteer's names, read through this module too)
    DATA,
    GAZETTEER,
    GAZETTEER_FORMAT,
    LEVELS,
    NATIONAL,
    RANK,
    Place,
    candidates,
    gazetteer,
    places,
    prefer,
    question_not_places,
    resolve_label,
    short_name,
    tables,
)

SAME, ANCESTOR, DESCENDANT, UNRELATED, UNKNOWN = "same", "ancestor", "descendant", "unrelated", "unknown"


# -- reading region labels ----------------------------------------------------------------

def place_of(label: str | None) -> Place | None:
    """The place a region label (as in ``DocMeta.city``) or a name stands for, or None
    (also for 全国, which is no place)."""
    if not label or label == NATIONAL:
        return None
    return resolve_label(label.strip(), tables().by_name)


def lookup(name: str) -> Place | None:
    """The most likely place for a name or region label (焦作, 武陟县, 郑州市惠济区)."""
    return place_of(name)


# -- places in text -----------------------------------------------------------------------

@dataclass(frozen=True)
class Mention:
    place: Place
    start: int
    end: int
    ambiguous: bool  # several places have this name and nothing in the text decided
    by_short: bool = False  # matched by a county's short name (武陟), not its full name or an alias

    @property
    def weak(self) -> bool:
        """Not evidence of what a document is about: an undecided name, or a county's
        short name, which is often part of an ordinary word (惠民政策, 和政策)."""
        return self.ambiguous or (self.by_short and self.place.level == "county")


def _scan(text: str, question: bool = False) -> list[tuple[str, int, int]]:
    """Gazetteer names in ``text`` (name, start, end), longest first at each offset. In a question,
    a name right after 在 (俺家在汝城乡下) is a place even where its last character begins a word."""
    t = tables()
    out = []
    i, n = 0, len(text)
    while i < n:
        for length in t.lengths.get(text[i], ()):
            if i + length > n:
                continue
            name = text[i:i + length]
            if name not in t.text_names:
                continue
            if name not in t.full_names and text.startswith(t.not_after, i + length):
                continue  # 焦作日报, 洛阳路: a short name used as a brand or a street
            if length == 2 and name in t.full_names and text.startswith(t.two_char_not_before, i + 2):
                continue  # 市和县级, 新县城: a one-character stem inside a word
            if (name not in t.full_names and text[i + length - 1:i + length + 1] in t.boundary_words
                    and not splits_at(text, i, i + length) and not (question and text[:i].endswith("在"))):
                continue  # 美丽新乡村, 新安置: the name's last character begins a word
            out.append((name, i, i + length))
            i += length
            break
        else:
            i += 1
    return out


_jieba_lock = threading.Lock()
_jieba = None


def segmenter():
    """The jieba tokenizer :func:`splits_at` asks, its dictionary loaded on the first call
    (about 0.5 s; a server loads it at start-up, ``assistant.warm``)."""
    global _jieba
    with _jieba_lock:
        if _jieba is None:
            import logging

            import jieba

            jieba.setLogLevel(logging.WARNING)
            seg = jieba.Tokenizer()
            seg.initialize()
            _jieba = seg
    return _jieba


def splits_at(text: str, start: int, end: int) -> bool:
    """Does jieba cut the text around [start, end) at both ends? Asked when a short name
    runs into a word (新乡|村 or 新|乡村) or stands alone in a question (阆中|低保, not
    和|政策); jieba loads on the first such call."""
    lo = max(0, start - 8)
    cuts, pos = set(), lo
    for tok in segmenter().cut(text[lo:end + 8]):
        cuts.add(pos)
        pos += len(tok)
    cuts.add(pos)
    return start in cuts and end in cuts


def mentions(text: str, context: Iterable[str] = (), county_shorts: bool = False) -> list[Mention]:
    """Places named in ``text``, in order. A name several places share (朝阳区, 鼓楼区)
    is decided by the place right before it (北京市朝阳区), then by the other places the
    text (or ``context``, e.g. a document's region) names; failing that it is the most
    likely one and marked ambiguous.

    A county's short name (昌平 for 昌平区) is returned with ``county_shorts``, or when the
    text or ``context`` names its city in full (北京市……昌平): alone in running text it is too
    often part of a person's name or a word (李新和, 和政策)."""
    t = tables()
    raw = _scan(text, question=county_shorts)
    named: set[str] = set()
    for c in context:
        p = place_of(c)
        if p:
            named.update(p.chain)
    for name, _, _ in raw:
        cands = t.text_names[name]
        if len(cands) == 1:
            named.update(cands[0].chain)
    out: list[Mention] = []
    for name, s, e in raw:
        cands = t.text_names[name]
        prev = out[-1] if out and out[-1].end == s else None
        chosen = None
        if prev is not None:  # 北京市朝阳区, 北京朝阳: the place right before is the parent
            inside = [p for p in t.by_name[name] if prev.place.name in p.parents]
            chosen = inside[0] if inside else None
        if chosen is None and len(cands) == 1:
            chosen = cands[0]
        if chosen is None:
            fits = [p for p in cands if named.intersection(p.parents)]
            if len(fits) > 1:  # 开封的鼓楼区: the nearest place named before decides
                for m in reversed(out):
                    near = [p for p in fits if p == m.place or m.place.name in p.parents]
                    if near:
                        fits = near
                        break
            if fits and (len(fits) == 1 or RANK[fits[0].level] < RANK[fits[1].level]):
                chosen = fits[0]
        if chosen is None and RANK[cands[0].level] < RANK[cands[1].level]:
            chosen = cands[0]  # 吉林 the province before 吉林市
        out.append(Mention(chosen or cands[0], s, e, chosen is None))
    full = {m.place.name for m in out if m.place.name == text[m.start:m.end]}
    marked = [Mention(m.place, m.start, m.end, m.ambiguous,
                      by_short=text[m.start:m.end] not in t.full_names and text[m.start:m.end] not in t.aliases
                      and m.place.name not in full)
              for m in out]
    if county_shorts:
        return marked
    # a county's short name counts in running text when the text (or its context) names the
    # county's city by a full name: 焦作市民政局……武陟低保
    cities = {m.place.name for m in marked if not m.by_short} | {n for c in context if (p := place_of(c)) for n in p.chain}
    return [m for m in marked if not (m.by_short and m.place.level == "county" and m.place.parent not in cities)]


def shared_shorts(text: str, regions: Iterable[str]) -> list[tuple[Place, int, int]]:
    """Short names several counties share (海城: 鞍山's 海城市 and 北海's 海城区), which running text
    never reads (the gazetteer's ``text_short``), where jieba cuts ``text`` (a question) around
    them as a word of its own: the one county among ``regions`` (a collection's places), when only
    one of them is there."""
    regions = frozenset(regions)
    if not regions:
        return []
    out, pos = [], 0
    for tok in segmenter().cut(text):
        start, pos = pos, pos + len(tok)
        cands = candidates(tok) if len(tok) >= 2 else ()
        if len(cands) < 2 or any(p.name == tok or p.level != "county" for p in cands):
            continue
        covered = [p for p in cands if p.name in regions]
        if len(covered) == 1:
            out.append((covered[0], start, pos))
    return out


def find_places(text: str) -> list[tuple[Place, int, int]]:
    """All gazetteer places mentioned in ``text`` with their offsets, in order."""
    return [(m.place, m.start, m.end) for m in mentions(text)]


# -- which region a text is about ------------------------------------------------------------

DOMINANT_SHARE = 0.6  # of the mentions one level up, for a place to be the subject


def dominant(found: Iterable[Mention | Place]) -> tuple[Place | None, str]:
    """The region most mentions are about, with a reason: ``(place, "body")``; or
    ``(None, "not_stated")`` when no place is named, ``(None, "ambiguous")`` when
    several regions are named about evenly.

    A mention counts for its place and each ancestor. From the top, the place with
    most mentions one level down is taken while it holds ``DOMINANT_SHARE`` of its
    parent's mentions; a county also needs two mentions unless it is all the text
    names (a city report names its counties in passing). Weak mentions
    (:attr:`Mention.weak`) do not count; a place written out with its parents (贵州省六盘水市水城区)
    is one mention, of the deepest place: the parents it is written with are no mentions of their own."""
    chains: Counter[tuple[str, ...]] = Counter()
    total = 0
    for m in _deepest_of_chains(found):
        if isinstance(m, Mention):
            if m.weak:
                continue
            m = m.place
        total += 1
        for depth in range(1, len(m.chain) + 1):
            chains[m.chain[:depth]] += 1
    if not total:
        return None, "not_stated"
    current: tuple[str, ...] = ()
    current_n = total
    while True:
        children = [(c, n) for c, n in chains.items() if len(c) == len(current) + 1 and c[:-1] == current]
        if not children:
            break
        best, n = max(children, key=lambda cn: cn[1])
        place = _place_of_chain(best)
        if place is None or n < DOMINANT_SHARE * current_n:
            break
        if place.level == "county" and n < 2 and n != total:
            break
        current, current_n = best, n
    if not current:
        return None, "ambiguous"
    return _place_of_chain(current), "body"


def _deepest_of_chains(found: Iterable[Mention | Place]) -> list[Mention | Place]:
    """``found`` without each mention that is followed right after it by a place inside it
    (六盘水市 of 六盘水市水城区): a parent written with its child."""
    found = list(found)
    out = []
    for i, m in enumerate(found):
        nxt = found[i + 1] if i + 1 < len(found) else None
        if isinstance(m, Mention) and isinstance(nxt, Mention) and nxt.start == m.end and not nxt.weak \
                and len(nxt.place.chain) > len(m.place.chain) and nxt.place.chain[:len(m.place.chain)] == m.place.chain:
            continue
        out.append(m)
    return out


def _place_of_chain(chain: tuple[str, ...]) -> Place | None:
    for p in candidates(chain[-1]):
        if p.chain == chain:
            return p
    return None


def detect_region(text: str) -> str | None:
    """The region label a text is about by its mentions (see :func:`dominant`), or None."""
    place, _ = dominant(mentions(text))
    return place.region if place else None


# -- how two regions relate -----------------------------------------------------------------

def relation(asked: Place | str, region: Place | str | None) -> str:
    """How the place a user asked about relates to a document's region.

    ``"same"``; ``"ancestor"`` (the asked place contains the region: province asked,
    city document); ``"descendant"`` (the asked place lies inside it: county asked,
    city document; anything asked of a national 全国 document); ``"unrelated"``; and
    ``"unknown"`` when the document states no region or a name is not in the gazetteer.
    """
    if region is None or region == "":
        return UNKNOWN
    if asked == NATIONAL:
        return SAME if region == NATIONAL else ANCESTOR
    if region == NATIONAL:
        return DESCENDANT
    a = asked if isinstance(asked, Place) else place_of(asked)
    r = region if isinstance(region, Place) else place_of(region)
    if a is None or r is None:
        return UNKNOWN
    if a.chain == r.chain:
        return SAME
    if a.name in r.parents and r.parents[:len(a.chain)] == a.chain:
        return ANCESTOR
    if r.name in a.parents and a.parents[:len(r.chain)] == r.chain:
        return DESCENDANT
    return UNRELATED


# 勐海镇 / 武陟乡: a county's short name before 镇/乡 names the town that bears its county's name
# (most county seats do), a place of that county
_TOWN_MARKS = ("镇", "乡")
# what ends a town's name (老观镇, 城关街道): the level below the gazetteer's counties
TOWN_ENDINGS = ("街道", "镇", "乡")


def question_short_places(norm: str, found: list[tuple[Place, int, int]] = (),
                          regions: frozenset[str] = frozenset()) -> list[tuple[Place, int, int]]:
    """Counties a question names by their short name (阆中低保标准, 我家在定州，…, 住在武陟), or
    the town bearing one's name (勐海镇敬老院). A question is short and about a place, so such a
    name counts where running text would need its city named: when it is unambiguous and may be
    read in text at all (the gazetteer's ``text_short``: one place of that name, no ordinary
    word), is no word of a question (places.json ``not_in_question``: 新建, 长寿), and jieba cuts the
    question around it (阆中|低保, not 和|政策), or it follows 在 or comes before a clause break or
    镇/乡. A town written right after a place ``found`` that does not contain the county of that
    name (建湖县宝塔镇: a town of 建湖县, not of 宝塔区) is that place's town, no county. A name
    several counties share (海城: 鞍山's 海城市, 北海's 海城区) is the one inside the collection's
    ``regions``, when only one is; otherwise it stays unread."""
    words = question_not_places()
    out = []
    for m in mentions(norm, county_shorts=True):
        if (not m.by_short or m.ambiguous or m.place.level != "county" or norm[m.start:m.end] in words
                or any(s < m.end and m.start < e for _, s, e in found)):
            continue  # 洛阳 (a city's short name) is among ``found`` already
        town = norm[m.end:m.end + 1] in _TOWN_MARKS  # 勐海镇 is masked whole: 镇 is no topic
        if town and any(e == m.start and p.chain != m.place.chain[:len(p.chain)] for p, _, e in found):
            continue
        if (town or norm[:m.start].endswith("在") or norm[m.end:m.end + 1] in ("，", ",", "、")
                or splits_at(norm, m.start, m.end)):
            out.append((m.place, m.start, m.end + town))
    taken = [*found, *out]
    out += [(p, s, e) for p, s, e in shared_shorts(norm, regions) if norm[s:e] not in words
            and not any(s < te and ts < e for _, ts, te in taken)]
    return out


def question_places(norm: str, regions: frozenset[str] = frozenset()) -> list[tuple[Place, int, int]]:
    """Every place a normalized question names, in order: full names and the short names of
    :func:`question_short_places` (``regions``: the collection's, which decide a shared one)."""
    found = find_places(norm)
    return sorted(found + question_short_places(norm, found, regions), key=lambda f: f[1])
