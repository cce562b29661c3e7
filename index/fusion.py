"""Pure ranking arithmetic of hybrid retrieval: reciprocal-rank fusion, document pooling and the
region/year boosts. No index, no model: unit-tested with plain lists.

Why a document level: a question is about one document far more often than about one
200-character chunk, and the words that pick the document (its title, its region, the
programme it is about) are often not in the chunk that holds the answer. Documents are
ranked on their own (their best chunk's BM25 score over the whole index, and the similarity
of the question to the document's mean chunk vector), and every chunk gets a share of its
document's rank.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Sequence

from ingest.places import DESCENDANT, NATIONAL, relation


def rrf(rankings: Iterable[Sequence[int]], k: int = 60, weights: Sequence[float] | None = None) -> dict[int, float]:
    """Reciprocal-rank fusion: id -> sum over rankings of ``weight / (k + rank)`` (rank from 1)."""
    fused: dict[int, float] = {}
    for n, ranking in enumerate(rankings):
        w = 1.0 if weights is None else weights[n]
        for r, i in enumerate(ranking, 1):
            fused[i] = fused.get(i, 0.0) + w / (k + r)
    return fused


def short_region(name: str) -> str:
    """The form a text uses for a region when it names it briefly: 平遥县 -> 平遥, 晋中市 -> 晋中;
    a name of two characters (祁县, 易县) keeps its suffix, since its stem alone is too common."""
    for suffix in ("自治区", "自治州", "特别行政区", "地区", "新区", "省", "市", "区", "县", "盟", "旗"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def region_signal(doc_region: str | None, text: str, wanted: Sequence[str],
                  matches: "callable", contains: "callable | None" = None) -> str | None:
    """How a chunk relates to the regions a question names.

    ``"region"``: its document is known to be about one of them (``matches(doc_region, w)``),
    or about a wider region holding one of them (``contains(doc_region, w)``: a province's
    notice, a city asked) and the chunk names it (the province's table row of that city, its
    rule for the city). The other chunks of such a wider document get nothing: lifted for every
    city of the province, they brought its unrelated paragraphs into the answerer's reading
    (NCPPolicies: a 江苏省 paragraph on farm goods answered what 淮安市 offers firms);
    ``"mention"``: the document's region is unknown or another one, but the chunk (with its
    context: title, heading) names the most specific region asked itself — a county row of a city's table, a
    province's notice filed under its capital. A document whose region is unknown is never
    lifted for a place it does not name."""
    if not wanted:
        return None
    if doc_region and any(matches(doc_region, w) for w in wanted):
        return "region"
    if not _names_asked_place(text, wanted):
        return None
    wider = bool(doc_region and contains is not None and any(contains(doc_region, w) for w in wanted))
    return "region" if wider else "mention"


def asked_leaves(wanted: Sequence[str]) -> list[str]:
    """The most specific regions asked, by their own names, full and short (平遥县, 平遥 of
    晋中市平遥县 asked with 晋中市); a parent named for its county is no leaf.

    >>> asked_leaves(("海南省五指山市", "海南省"))
    ['五指山市', '五指山']
    """
    out: list[str] = []
    for w in wanted:
        if any(o != w and o.startswith(w) for o in wanted):
            continue  # a parent named for its county (晋中市 for 晋中市平遥县): the county decides
        # 晋中市平遥县 named with its city 晋中市: the county's own name is 平遥县
        parents = [o for o in wanted if o != w and w.startswith(o)]
        leaf = w[max(map(len, parents)):] if parents else w
        out.extend(n for n in dict.fromkeys((leaf, short_region(leaf))) if len(n) >= 2 and n not in out)
    return out


def opens_with_place(text: str, names: Sequence[str]) -> bool:
    r"""One of ``names`` opens a line, a table cell or a clause of ``text``: a row or an item about
    that place (五指山市\t720…, …；红塔区由每人每月770元提高到800元), not a mention in passing.

    >>> opens_with_place("县\t标准\n五指山市\t720", ["五指山市"]), opens_with_place("浙江多地如温州", ["温州"])
    (True, False)
    """
    return any(re.search(rf"(?:^|[\n\t；;。，,、：:])\s*{re.escape(n)}", text) for n in names)


def _names_asked_place(text: str, wanted: Sequence[str]) -> bool:
    """``text`` names the most specific region asked (full or short name)."""
    return any(name in text for name in asked_leaves(wanted))


def region_matches(doc_region: str | None, wanted: str) -> bool:
    """成都市 matches 成都市武侯区 (a district of it); 绵阳市 matches 绵阳市."""
    if not doc_region:
        return False
    return doc_region == wanted or doc_region.startswith(wanted) or wanted.startswith(doc_region)


@lru_cache(maxsize=4096)
def region_contains(doc_region: str | None, wanted: str) -> bool:
    """The document's region is a province (or prefecture) the asked place lies in, by the
    gazetteer's chain, which region labels do not spell out (成都市, not 四川省成都市): a 四川省
    notice when 成都市 is asked, whose rule is the city's too. 全国 is no place: a national
    document is not lifted for every place asked."""
    return bool(doc_region) and doc_region != NATIONAL and relation(wanted, doc_region) == DESCENDANT
