"""The grounding check every answer passes before anyone sees it.

- every ``[n]`` refers to a citation that exists;
- every number in the answer occurs verbatim (as a whole number, not inside a
  longer one) in a cited span — a year counts when it is the year a cited
  report is about;
- every city the answer names is the city of a cited passage or occurs in one.
"""
from __future__ import annotations

import re
import unicodedata

from .types import Citation

_MARKER = re.compile(r"\[(\d+)\]")
_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?")


def numbers_in(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", _MARKER.sub(" ", text))
    return _NUMBER.findall(text)


def _occurs(num: str, text: str) -> bool:
    return re.search(rf"(?<![\d.]){re.escape(num)}(?![\d]|\.\d)", unicodedata.normalize("NFKC", text)) is not None


def check(answer: str, citations: list[Citation], known_cities: set[str] | None = None) -> tuple[bool, list[str]]:
    problems: list[str] = []
    markers = {int(m) for m in _MARKER.findall(answer)}
    valid = {c.marker for c in citations}
    for m in sorted(markers - valid):
        problems.append(f"引用[{m}]不存在")
    cited = [c for c in citations if c.marker in markers] or citations
    years = {str(c.year) for c in cited if c.year}
    for num in numbers_in(answer):
        if num in years:
            continue
        if not any(_occurs(num, c.text) for c in cited):
            problems.append(f"数字 {num} 不在所引原文中")
    for city in sorted(known_cities or ()):
        short = city[:-1] if city.endswith("市") else city
        if short and short in answer and not any(
                (c.city or "").startswith(short) or short in c.text for c in cited):
            problems.append(f"答案提到{city}，但所引原文不是关于{city}的")
    return not problems, problems
