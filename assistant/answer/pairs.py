"""Each of two things asked: a question joining two things and asking each (审核和审批各要多少个工作日,
法定办结时限和承诺办结时限分别是多少) is answered by a fact for each, never by one of them alone.

The two sides are the runs of the question's terms on either side of a join (和 / 与 / 、 / 及),
each told by the words the other lacks (审核 | 审批; 法定 | 承诺). A fact's side is the side word its
own clause says after the figure (…3个工作日内作出审批决定: what the limit is of), else before it
(法定办结时限：30个工作日) — 自收到审核意见之日起 before the 审批 limit says where it starts, not
what it is of. Entry points: :func:`joined_sides` and :func:`each_side`.

>>> joined_sides("审核和审批各要多少个工作日?", ("审核", "审批", "工作日"), ())
[('审核',), ('审批',)]
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .spans import clause_span

if TYPE_CHECKING:  # pragma: no cover
    from ..query import QueryAnalysis

EACH = re.compile(r"分别|各|哪")
# two things compared or each asked (哪个…多, 分别, 各有): a side not cited leaves the question unanswered
COMPARED = re.compile(r"哪(?:个|家|里|边)[^，,。？?]{0,12}(?:多|少|高|低|大|小|早|晚|长|短)|分别|各(?:是|有|自|要|需)")
JOIN = re.compile(r"[和与、跟及同]")
_EACH_ASKED = re.compile(r"分别|各(?:是|有|自|要|需|为)")
# a side's fact scores at least this share of the best fact's (and what any fact needs to answer)
SIDE_SHARE = 0.5
ANSWERS = 0.5


def run_of_terms(q: str, terms, at: int, step: int) -> list[str]:
    """The question's terms written one after the other ending at (``step`` -1) or starting at (1) ``at``."""
    out: list[str] = []
    while True:
        hit = next((t for t in terms if (q.endswith(t, 0, at) if step < 0 else q.startswith(t, at))), None)
        if hit is None:
            return out
        out = [hit] + out if step < 0 else out + [hit]
        at += -len(hit) if step < 0 else len(hit)


def joined_sides(q: str, terms, places, each_said: bool = True) -> list[tuple[str, ...]]:
    """The words only each side says of two things the question joins and asks each of (分别 / 各是…;
    ``each_said=False``: or not, as a time or an age asked of two things is asked of each: 多大年龄的老年人和
    未成年人算无劳动能力), or [] (no such pair, or a side is a place: the region logic answers places)."""
    if each_said and not _EACH_ASKED.search(q):
        return []
    terms = [t for t in terms if not EACH.search(t)]
    for m in JOIN.finditer(q):
        left, right = run_of_terms(q, terms, m.start(), -1), run_of_terms(q, terms, m.end(), 1)
        if any(t in p or p in t for t in left + right for p in places):
            continue
        sides = [tuple(t for t in a if t not in b and len(t) >= 2) for a, b in ((left, right), (right, left))]
        if all(sides):
            return sides
    return []


def side_of(text: str, fact, sides, contains) -> int | None:
    """Which side (0 or 1) fact ``fact``'s own clause says: after its figure first, else before it."""
    start, end = clause_span(text, fact.start)
    for piece in (text[fact.end:end], text[start:fact.start]):
        said = [i for i, side in enumerate(sides) if any(contains(piece, t) for t in side)]
        if len(said) == 1:
            return said[0]
        if said:
            return None
    return None


def each_side(ex, analysis: QueryAnalysis, best: tuple, scored: list[tuple]) -> tuple[tuple, tuple] | None:
    """``best`` and, of ``scored`` ((score, chunk, fact)), the best fact of the side ``best``'s does not
    say, scoring at least half as well (and enough to answer), in the question's order, when the
    question asks each of two joined things; None otherwise (the best fact says both, or no fact
    says the other side)."""
    sides = joined_sides(analysis.normalized, analysis.terms, {n for p in analysis.places for n in (p.name, p.short) if n},
                         each_said=analysis.asked.kind not in ("age", "duration", "when"))
    if not sides:
        return None
    top, chunk, fact = best
    own = side_of(ex.doc_texts[chunk.source], fact, sides, ex.contains)
    if own is None:
        return None
    for score, other_chunk, other in sorted(scored, key=lambda s: -s[0]):
        if score < max(SIDE_SHARE * top, ANSWERS):
            return None
        if other is not fact and side_of(ex.doc_texts[other_chunk.source], other, sides, ex.contains) == 1 - own:
            pair = (score, other_chunk, other)
            return (best, pair) if own == 0 else (pair, best)
    return None
