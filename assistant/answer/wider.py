"""A place asked, a wider region cited: which wider region's figure a citation gives for the place
(:func:`only_wider`), whether that figure is a level the place applies (:func:`level_asked`,
:func:`of_parent`: a county of its own city, a standard, no count or total), and how such an answer says
so (:data:`WIDER_LEVEL`, :func:`wider_level`). Read by answer.compose and the LLM answerer."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ingest.metadata import without_datelines
from ingest.places import DESCENDANT, find_places, relation

from ..types import Answer, Citation
from ..vocabulary import fact_words
from .corpus import most_specific
from .wording import asked_figure, asks_standard, benefit_terms

if TYPE_CHECKING:  # pragma: no cover
    from ..query import QueryAnalysis

# how an answer giving a wider region's level for a place inside it says so (资料中没有X单列的标准；以下是Y市的…)
WIDER_LEVEL = "标准；以下是"


def wider_level(answer: Answer) -> bool:
    """``answer`` gives the wider region's level for the place asked, said as such (answer.compose.finish)."""
    return answer.answerable and answer.answer.startswith("资料中没有") and WIDER_LEVEL in answer.answer.split("\n", 1)[0]


def level_asked(analysis: QueryAnalysis, figure: bool) -> bool:
    """The figure asked is a level (a standard, an allowance per person, a rate a rule sets), not a
    count or a total (多少人, 发放了多少资金: vocabulary facts.asked.total, selection.total_asked)."""
    q = analysis.normalized
    totals = (*dict(fact_words().asked).get("total", ()), *dict(fact_words().selection).get("total_asked", ()))
    return figure and asked_figure(analysis) not in ("count", "measure") and not any(w in q for w in totals) \
        and (asks_standard(q) or bool(benefit_terms(q)[0]))


def of_parent(analysis: QueryAnalysis, citations: list[Citation]) -> bool:
    """A county is asked, every citation is of its own city, and no cited span names another place
    (a province's row of another city, 太原市…830元 in a province's notice): the city's level is
    the one the county applies."""
    asked = most_specific(analysis.places)
    if len(asked) != 1 or asked[0].level != "county":
        return False
    own = set(asked[0].chain)
    return all(c.city == asked[0].parent for c in citations) and all(
        p.name in own for c in citations for p, _, _ in find_places(c.text))


def only_wider(analysis: QueryAnalysis, citations: list[Citation]) -> tuple[str, str] | None:
    """(place asked, regions cited) when every citation is about a region containing the place
    asked and none names it: the answer is about the wider region, not the place."""
    for p in most_specific(analysis.places):
        if not citations or not all(relation(p, c.city) == DESCENDANT for c in citations):
            continue
        names = {p.name, p.short} - {"", None}
        # a dateline (新华社太原3月2日电) names where the news was filed, not what it is about
        if any(n in without_datelines(c.text) for c in citations for n in names):
            continue
        return p.name, "、".join(dict.fromkeys(c.city or "" for c in citations))
    return None
