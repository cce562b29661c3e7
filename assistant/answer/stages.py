"""Time limits: how surely a duration is the one asked (:func:`duration_said`), and limits tied to
the stages of a procedure, chosen by the qualifier a question asks them by.

A guide's 时限 paragraph may hold several limits of one procedure, each tied to a stage
(乡镇初审10个工作日，县级审核5个工作日，…，全程不超过18个工作日). A question asking the whole
(全程 / 全部 / 总共: vocabulary ``facts.selection.whole_asked``) is answered only by a limit whose
clause says the whole (``whole_said``); a stage's limit (its clause names one of ``stages``: 初审,
审核, 公示 …) never answers it. A paragraph with one limit only, or whose limits name no stage,
is no such paragraph: its limit is the procedure's.

>>> whole_asked("全程不超过多少个工作日？")
True
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..vocabulary import fact_words
from .figures import UNITS
from .spans import clause_at

if TYPE_CHECKING:  # pragma: no cover
    from .facts import Fact


def _words(key: str) -> tuple[str, ...]:
    return dict(fact_words().selection).get(key, ())


def is_limit(f: "Fact") -> bool:
    """Fact ``f`` is a time limit: a duration, or a cap / floor counted in days, months, hours
    (全程不超过18个工作日 is a cap the facts layer reads by its 不超过)."""
    return f.kind == "duration" or (f.kind in ("cap", "floor") and UNITS.get(f.unit) == "duration")


def whole_asked(question: str) -> bool:
    """The question asks the whole procedure's limit (全程 / 全部办完 / 总共要多久)."""
    return any(w in question for w in _words("whole_asked"))


def _paragraph(text: str, at: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return start, end if end >= 0 else len(text)


def _role(text: str, f: "Fact") -> str | None:
    """``whole`` when the limit's clause says the whole, ``stage`` when it names a stage, else None."""
    clause = clause_at(text, f.start)
    if any(w in clause for w in _words("whole_said")):
        return "whole"
    return "stage" if any(w in clause for w in _words("stages")) else None


def stage_only(text: str, facts: "list[Fact]", f: "Fact") -> bool:
    """Limit ``f`` is one stage's of a paragraph that holds several limits tied to stages (or to
    the whole), and says nothing of the whole itself: it never answers a question asking the whole."""
    if not is_limit(f) or _role(text, f) != "stage":
        return False
    start, end = _paragraph(text, f.start)
    tied = [g for g in facts if g.start != f.start and start <= g.start < end and is_limit(g) and _role(text, g)]
    return bool(tied)


def duration_said(text: str, f, question: str) -> float:
    """How surely duration ``f`` is the one asked: introduced by a duration word (为期6个月: vocabulary
    facts.selection.duration_lead) 1.3, by the one the question says (为期多久) 2; a stretch already
    past, pointed at (从这两个月…来看: facts.selection.elapsed right before it), 0.3 — it states no
    duration — or 2 when the question points at it in the same words (最近多长时间 / 最近12个月); one followed by facts.selection.elapsed_after (2年来) 0; else 1."""
    words = dict(fact_words().selection)
    before = text[max(0, f.start - 4):f.start]
    lead = next((w for w in words.get("duration_lead", ()) if before.endswith(w)), None)
    if lead is not None:
        return 2.0 if lead in question else 1.3
    if any(before.endswith(w) for w in words.get("elapsed", ())):
        # …unless the question points at the same stretch (最近多长时间内 asked, 最近12个月内 said): the one asked
        return 2.0 if len(before) >= 2 and before[-2:] in question else 0.3
    if any(text.startswith(w, f.end) for w in words.get("elapsed_after", ())):
        return 0.0  # 运营2年来 / 成立5年以来: how long something has run, never a duration it is granted for
    return 1.0
