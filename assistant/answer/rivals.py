"""Rival figures: a question naming no place, answered by a figure of a document that states no
region, when another document gives a different figure for the same thing just as well (one
解读 says 10个工作日, another 20个工作日). Neither is the answer alone — which one applies depends
on where the asker lives — so both are said, each with its own citation and label. Entry points:
:func:`rival` (of the scored facts, the one to say beside the best) and :func:`both` (two answers
as one, their citations numbered in order)."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from ..types import Answer
from .spans import clause_at

if TYPE_CHECKING:  # pragma: no cover
    from ..query import QueryAnalysis

# a rival scores at least this share of the best fact's score (which holds the rank of its document
# in retrieval: a second document is already lowered) and at least what any fact needs to answer
RIVAL_SHARE = 0.5
ANSWERS = 0.5
_MARKER = re.compile(r"\[(\d+)\]")


def rival(ex, analysis: QueryAnalysis, best: tuple, scored: list[tuple], weights: dict[str, float]) -> tuple | None:
    """Of ``scored`` ((score, chunk, fact) of every fitting fact), the best one of another document
    whose figure differs from ``best``'s in the same unit, scoring at least half as well (and enough
    to answer at all), whose clause says every question word (of ``weights``) the best one's says —
    the same thing, not another step of a procedure (乡镇…调查核实 beside 县级…作出决定) —, when the
    question names no place and one of the two documents states no region; None otherwise."""
    if analysis.places or not scored:
        return None
    top, chunk, fact = best
    regionless = not (fact.region or chunk.meta.get("city"))
    said = ex.terms_in(clause_at(ex.doc_texts[chunk.source], fact.start), weights)
    for score, other_chunk, other in sorted(scored, key=lambda s: -s[0]):
        if score < max(RIVAL_SHARE * top, ANSWERS):
            return None
        if other_chunk.source == chunk.source or other.unit != fact.unit or other.number == fact.number:
            continue
        if (regionless or not (other.region or other_chunk.meta.get("city"))) \
                and said <= ex.terms_in(clause_at(ex.doc_texts[other_chunk.source], other.start), weights):
            return score, other_chunk, other
    return None


def shifted(text: str, citations: list, by: int) -> tuple[str, list]:
    """``text`` and its ``citations`` with every marker moved ``by`` on ([1] → [3] after two citations)."""
    return (_MARKER.sub(lambda m: f"[{int(m.group(1)) + by}]", text),
            [replace(c, marker=c.marker + by) for c in citations])


def both(first: Answer, second: Answer) -> Answer:
    """``first`` and ``second`` (each answerable, each with its markers from 1) as one answer of
    two lines, the second's markers and citations following the first's."""
    text, later = shifted(second.answer, second.citations, len(first.citations))
    citations = [*first.citations, *later]
    lines = "\n".join(f"- {t.rstrip('。')}" for t in (first.answer, text))
    return replace(first, answer=f"资料中不同文件的说法不一（请看各自适用的地区）：\n{lines}", citations=citations)
