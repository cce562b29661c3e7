"""A cap asked as the highest (最高能救助多少): when a cap's sentence sits beside another cap of the same
thing said as the top one (一般…不超过…的3倍；情况特殊的，最高不超过…元), the answer quotes both, never only
the ordinary limit. The words are vocabulary facts.selection.top_cap."""
from __future__ import annotations

from ..vocabulary import fact_words
from .spans import sentence_at

_SPLITS = "；;"  # a cap's sentences of one rule are split by ；, a new sentence (。) is another rule


def top_words() -> tuple[str, ...]:
    return dict(fact_words().selection).get("top_cap", ())


def _said_top(text: str, start: int, at: int) -> bool:
    """A top-cap word is said in ``text[start:at]`` (the sentence before the figure)."""
    return any(w in text[start:at] for w in top_words())


def with_top_cap(text: str, facts, span: tuple[int, int], f, question: str) -> tuple[int, int]:
    """``span`` (the sentence quoted for cap ``f``) widened to the ；-joined sentence beside it that
    states a cap said as the top one, when the question asks the top (a top_cap word) and ``f``'s own
    sentence says none; ``span`` unchanged otherwise."""
    start, end = span
    words = top_words()
    if not any(w in question for w in words) or _said_top(text, start, f.start):
        return span
    nxt = sentence_at(text, end + 1) if end < len(text) and text[end] in _SPLITS else None
    prev = sentence_at(text, start - 2) if start > 0 and text[start - 1] in _SPLITS else None
    for g in facts:
        if g.kind != "cap" or g.start == f.start:
            continue
        for side in (nxt, prev):
            if side is not None and side[0] <= g.start < side[1] and _said_top(text, side[0], g.start):
                return (start, side[1]) if side is nxt else (side[0], end)
    return span
