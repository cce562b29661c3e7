"""The event a when / how-long question asks about, and whether a figure's clause says it.

A time figure answers only the event its own clause carries: 有效期一般为1年 is how long a result
holds, not how long the procedure takes (多长时间办完); 7个工作日内审核 is the review stage's limit,
not the payment's (审核通过后多长时间内发放). The events and the words saying them are the
vocabulary's ``facts.events`` table (event -> words, synonyms in one list); the question's event is
the one said closest to its asking word (多长时间办完, 多长时间内发放, 审核要多久). The clause of a
figure runs on through the clauses after it that hold no figure (安葬之日起60日内，向…提出申请).

>>> event_of("审核通过后多长时间内发放？", ("多长时间",))
'发放'
>>> event_of("多长时间办完？", ("多长时间",))
'办结'
>>> event_of("一个月多少钱？", ()) is None
True
"""
from __future__ import annotations

from ..vocabulary import fact_words, filler
from .figures import quantities
from .spans import clause_at, clause_span


def _events() -> dict[str, tuple[str, ...]]:
    return dict(fact_words().events)


def _distance(span: tuple[int, int], at: tuple[int, int]) -> int:
    """Characters between two spans (0 when they touch or overlap)."""
    return max(0, span[0] - at[1], at[0] - span[1])


_EVENT_NEAR = 4  # 低保审核一般要多长时间: at most this far from the asking word (审核确认实施细则从哪天起 names a title)
_FROM_GAP = 3  # 审核通过后 / 申请之后: at most this far after an event word, 后 makes it a starting point


def event_of(question: str, asking: tuple[str, ...]) -> str | None:
    """The event ``question`` asks the time of: of the ``facts.events`` words it says, the one
    closest to its asking word (``asking``: the words that asked the date or duration; a longer
    word first between two as close), not one the time runs from (审核通过后: ``facts.selection.event_from``); None when it says none, or asks no time."""
    spans = [(question.find(w), question.find(w) + len(w)) for w in asking if w in question]
    if not spans:
        return None
    since = dict(fact_words().selection).get("event_from", ())
    found = [(min(_distance((i, i + len(w)), s) for s in spans), -len(w), event)
             for event, words in _events().items() for w in words if (i := question.find(w)) >= 0
             and not any(x in question[i + len(w):i + len(w) + _FROM_GAP] for x in since)
             and not any(i < b and i + len(w) > a for a, b in spans)]  # 办理时限是多少: 时限 asks, says no event
    found = [x for x in found if x[0] <= _EVENT_NEAR]
    return min(found)[2] if found else None


def event_said(text: str, at: int, event: str | None) -> bool:
    """The clause of the figure at offset ``at`` of ``text`` says ``event`` (any of its words), or
    no event is asked."""
    if event is None:
        return True
    start, end = clause_span(text, at)
    while end < len(text) and text[end] in "，," and not quantities(text[end + 1:(nxt := clause_span(text, end + 1)[1])]):
        end = nxt  # 在安葬之日起60日内，向…提出申请: the clauses after it that hold no figure say what it is of
    return any(w in text[start:end] for w in _events().get(event, ()))


def event_asked(analysis, asked) -> str | None:
    """The event a 哪天/什么时候 question asks the date of: its word right after the asking word
    (是哪天开业的, 什么时候成立) — a word of two characters or more, no filler, no place; None when
    none is said (延期到哪天 asks a deadline, whatever its clause says)."""
    q = analysis.normalized
    at = min((q.find(w) for w in asked.words if w in q), default=-1)
    if at < 0:
        return None
    end = at + max(len(w) for w in asked.words if q.find(w) == at)
    places = {n for p in analysis.places for n in (p.name, p.short) if n}
    fill = filler()
    usable = [t for t in analysis.terms if len(t) >= 2 and t not in fill and not any(t in p or p in t for p in places)
              and not any(t in w or w in t for w in asked.words)]
    after = [t for t in usable if 0 <= q.find(t, end) - end <= _EVENT_GAP]
    return (after or [None])[0]


_EVENT_GAP = 2  # 是哪天开业的 / 什么时候正式成立: at most this many characters between asking word and event


def term_event(ex, analysis, sources) -> str | None:
    """The event a 哪天 question asks by a term of its own (:func:`event_asked`), kept only when some
    date's clause of ``sources`` says it (else the documents word it otherwise)."""
    asked = analysis.asked
    event = event_asked(analysis, asked) if asked.kind == "when" and not asked.start else None
    if event is not None and not any(event in clause_at(ex.doc_texts[s], f.start)
                                     for s in sources for f in ex.facts.of(s) if f.kind == "date"):
        return None
    return event


def answers_event(text: str, at: int, asked, term: str | None) -> bool:
    """The date or limit at offset ``at`` of ``text`` is of the event asked: its clause says the
    question's term event (自7月25日开业; 7月31日下午，…送餐 is no date of 开业) and the vocabulary
    event asked (有效期为1年 is no 办结 limit)."""
    return (term is None or term in clause_at(text, at)) and event_said(text, at, asked.event)
