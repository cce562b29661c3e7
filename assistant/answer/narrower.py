"""A figure asked of a wider region, only a region inside it cited: 辽宁省特困人员基本生活标准是多少,
answered from 锦州市's notice alone. One city's figure is no figure of its province (nor one
county's of its city); the documents do not answer for the place asked. Entry point:
:func:`only_narrower`, read by answer.compose before an answer leaves."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ingest.metadata import without_datelines
from ingest.places import ANCESTOR, relation

from ..vocabulary import fact_words
from .corpus import most_specific

if TYPE_CHECKING:  # pragma: no cover
    from ..query import QueryAnalysis
    from ..types import Citation

# the question asks about the places inside the one it names (哪个市, 各县, 分别, 比较, 最高): a
# region inside it answers that
_INSIDE_ASKED = re.compile(r"哪|谁|各|分别|比较|排名|最高|最低|最多|最少|所辖|下辖|辖区")


def only_narrower(analysis: QueryAnalysis, citations: list[Citation]) -> tuple[str, str] | None:
    """(place asked, regions cited) when the question names one place and asks no place inside
    it, and every citation is about a region inside that place whose span does not name it;
    None otherwise."""
    places = most_specific(analysis.places)
    q = analysis.normalized
    if analysis.asked.kind == "cap":  # 一次最高不超过多少: the cap asked (answer.asked), no place inside ranked
        q = re.sub("|".join(map(re.escape, dict(fact_words().asked).get("cap", ()))) or "$^", "", q)
    if len(places) != 1 or not citations or _INSIDE_ASKED.search(q):
        return None
    asked = places[0]
    if not all(relation(asked, c.city) == ANCESTOR for c in citations):
        return None
    names = {asked.name, asked.short} - {"", None}
    # a district's 本市…标准 (a municipality is a province that calls itself 市)
    names |= set(dict(fact_words().selection).get("self_city" if asked.name.endswith("市") else
                                                   f"self_{asked.level}", ()))
    if any(n in without_datelines(c.text) for c in citations for n in names):
        return None  # the span says the wider region's own figure (辽宁省…平均标准)
    return asked.name, "、".join(dict.fromkeys(c.city or "" for c in citations))
