"""What a question asks of the facts, read once from its analysis.

``understand(analysis) -> Asked``: the kind of fact asked (a date, the date something starts, a
duration, a multiple, a cap, a contact line), the age it is about (85岁 selects the 80–89
band), the care level and the disability grade it names. The words are the ``facts.asked``,
``facts.care_level`` and ``facts.disability_grade`` lists of the vocabulary file.

>>> understand_text("我奶奶今年85岁，尊老金一个月多少钱？").age
85.0
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..vocabulary import fact_words
from .figures import quantities

# 百岁老人: a lone 百 before 岁 is the age 100 (the numeral parser wants a digit word before 百)
_HUNDRED = re.compile(r"(?<![\d一二两三四五六七八九十])百岁")


@dataclass(frozen=True)
class Asked:
    kind: str | None  # when | duration | contact | multiple | cap | None (amount/count/… by intent)
    start: bool  # a date asked for when something starts (开始执行, 起施行)
    age: float | None
    care_level: str | None
    grade: str | None
    words: tuple[str, ...]  # the question words that said so (never the topic of a refusal)
    strict: bool = False  # asked with 多少/几 (几天, 多少倍): only a fact of that kind answers it
    latest: tuple[str, ...] = ()  # 新/现行/目前: the newest is asked (a period, not a topic word)


def _first(words: dict[str, tuple[str, ...]], kind: str, text: str) -> str | None:
    return next((w for w in sorted(words.get(kind, ()), key=len, reverse=True) if w in text), None)


def understand_text(text: str) -> Asked:
    fw = fact_words()
    asked = dict(fw.asked)
    said: list[str] = []
    kind = None
    for k in ("contact", "duration", "when", "multiple", "cap"):
        w = _first(asked, k, text)
        if w:
            kind = kind or k
            said.append(w)
    start = bool(kind == "when" and _first(asked, "start", text))
    age = next((q.value for q in quantities(text) if q.dimension == "age"), None)
    if age is None and _HUNDRED.search(text):
        age = 100.0
    levels = dict(fw.qualifiers)

    def level(kind_: str) -> str | None:
        for value, words in levels.get(kind_, ()):
            if any(w in text for w in words):
                return value
        return None

    strict = any(w.startswith(("多少", "几")) for w in said)
    latest = tuple(w for w in asked.get("latest", ()) if w in text)
    return Asked(kind, start, age, level("care_level"), level("disability_grade"), tuple(said), strict, latest)


def understand(analysis) -> Asked:
    """The facts a ``QueryAnalysis`` asks for (see the module docstring). 最高/最多 in a question
    comparing places (哪个城市…最高) asks for the highest, not for a cap."""
    asked = understand_text(analysis.normalized)
    if asked.kind == "cap" and analysis.comparison:
        from dataclasses import replace

        return replace(asked, kind=None, words=(), strict=False)
    return asked


def band_holds(band: tuple[float | None, float | None] | None, age: float) -> bool:
    if band is None:
        return False
    low, high = band
    return (low is None or age >= low) and (high is None or age <= high)
