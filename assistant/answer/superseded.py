"""Earlier and superseded values: how much less a figure answers because its own clause says it is
no longer the one in force.

Two kinds, both words of vocabulary ``facts.selection``:

- ``previous`` (去年, 原标准, 的基础上): an earlier figure beside the current one
  (在去年每户最高3万元的基础上，今年…6万元): it counts a little less;
- ``superseded`` (停止执行, 废止) anywhere in the clause, or ``superseded_open`` (原, 此前) opening it
  (not one of ``superseded_open_not``: 原则, 原籍): a rule that was replaced (原…最高免除300元的规定同时
  停止执行; 原标准为每人每月300元，现调整为360元): its figure is the old one and answers only a question
  asking the earlier value (``earlier_asked``, ``previous``).

>>> earlier_weight("原每人最高补助300元的规定同时停止执行。", 6, "每人最高补助多少")
0.3
>>> earlier_weight("原则上每人最高补助300元。", 6, "每人最高补助多少"), earlier_weight("原标准为300元。", 5, "原标准是多少")
(1.0, 1.0)
"""
from __future__ import annotations

from ..vocabulary import fact_words
from .selection import earlier_words
from .spans import clause_at

PREVIOUS = 0.9  # an earlier figure beside the current one
SUPERSEDED = 0.3  # the figure of a rule replaced


def _words(key: str) -> tuple[str, ...]:
    return dict(fact_words().selection).get(key, ())


def superseded(clause: str) -> bool:
    """The clause states a replaced rule's figure (原…的规定同时停止执行, 原标准为…)."""
    if any(w in clause for w in _words("superseded")):
        return True
    head = clause.lstrip("，,；;。 \n")
    return any(head.startswith(w) for w in _words("superseded_open")) \
        and not any(head.startswith(w) for w in _words("superseded_open_not"))


def earlier_weight(text: str, at: int, question: str, before: str = "") -> float:
    """The factor for the figure at offset ``at`` of ``text`` (``before``: its clause up to the
    figure): 1 unless its clause says an earlier or a replaced value the question does not ask."""
    previous = _words("previous")
    if superseded(clause_at(text, at)) and not any(w in question for w in earlier_words()):
        return SUPERSEDED
    return PREVIOUS if any(p in before for p in previous) and not any(p in question for p in previous) else 1.0
