"""The grounding check every answer passes before anyone sees it.

- every ``[n]`` refers to a citation that exists;
- every number in the answer occurs verbatim (as a whole number, not inside a
  longer one) in a cited span, and a figure in Chinese numerals (一万元) as written — a year counts when it is the year a cited
  report is about;
- every city the answer names is the city of a cited passage or occurs in one.
"""
from __future__ import annotations

import re

from ingest.places import find_places
from ingest.text import HAN_RUN, SENTENCE_END, SENTENCE_PIECE

from .answer.figures import Quantity, numbers, occurs, quantities, quantity_occurs
from .synonyms import synonym_groups
from .types import Citation

_MARKER = re.compile(r"\[(\d+)\]")


def numbers_in(text: str) -> list[str]:
    """The Arabic numbers of ``text`` (citation markers aside), as :func:`answer.figures.numbers` reads them."""
    return numbers(_MARKER.sub(" ", text))


def quoted_bracket(m: int, texts) -> bool:
    """``[m]`` is quoted text, not a citation marker: a cited text holds it as written (a file
    number such as 某政办发[2023]12号)."""
    return any(f"[{m}]" in t for t in texts)


def check(answer: str, citations: list[Citation], known_cities: set[str] | None = None) -> tuple[bool, list[str]]:
    problems: list[str] = []
    markers = {int(m) for m in _MARKER.findall(answer)}
    valid = {c.marker for c in citations}
    for m in sorted(markers - valid):
        if not quoted_bracket(m, [c.text for c in citations]):
            problems.append(f"引用[{m}]不存在")
    cited = [c for c in citations if c.marker in markers] or citations
    years = {str(c.year) for c in cited if c.year}
    for num in numbers_in(answer):
        if num in years:
            continue
        if not any(occurs(num, c.text) for c in cited):
            problems.append(f"数字 {num} 不在所引原文中")
    for q in quantities(_MARKER.sub(" ", answer)):  # 一万元: a figure in Chinese numerals is quoted as written
        if not re.search(r"\d", q.text) and not any(q.text in c.text for c in cited):
            problems.append(f"数字 {q.text} 不在所引原文中")
    for city in sorted(known_cities or ()):
        short = city[:-1] if city.endswith("市") else city
        if short and short in answer and not any(
                (c.city or "").startswith(short) or short in c.text for c in cited):
            problems.append(f"答案提到{city}，但所引原文不是关于{city}的")
    return not problems, problems


# -- the stricter, per-claim check for generated (LLM) answers ----------------------------
#
# A generated answer is split into sentences; the markers of a sentence are its citations.
# For every sentence that cites:
# - each [n] must be a passage that was given;
# - each figure (number with its multiplier and unit: 4524元, 3.5万人, 98.6%) must occur, with
#   that same unit, in a passage the sentence cites (a year may also be the cited report's year);
# - each city or county it names must be the cited passage's region or be named in that passage;
# - most of its wording (Han-character bigrams) must come from the cited passages, so a claim
#   that cites a passage but says something else (an obeyed injected instruction) fails.
# A sentence that cites nothing may hold no figure except a year or number the question holds.
# An answer with no citation at all must be a refusal (资料中没有…).

_MARKERS_AFTER_END = re.compile(rf"([{SENTENCE_END}]+)((?:\s*\[\d+\])+)")
_FILLER = re.compile(r"根据资料|根据|资料显示|资料中|资料|显示|其中|此外|另外|同时|具体|如下|以下|相关|情况|"
                     r"规定|表示|提到|指出|可以|已经|为|是|的|了|和|与|及|在|对|等|约|共")
REFUSAL = "资料中没有"
MIN_SUPPORT = 0.4  # share of a citing sentence's content bigrams found in its cited passages


Figure = Quantity  # a figure of an answer is a quantity of the one figures module


def figures_in(text: str) -> list[Quantity]:
    """Every figure of ``text`` (citation markers aside): see :func:`answer.figures.quantities`."""
    return quantities(_MARKER.sub(" ", text))


def _figure_occurs(fig: Quantity, text: str) -> bool:
    """The figure with the same number, multiplier, 余 and unit is in ``text``."""
    return quantity_occurs(fig, text)


def _bare_numbers(text: str, figs: list[Quantity]) -> list[str]:
    """Numbers of ``text`` outside every figure (a number with no unit)."""
    rest = list(text)
    for f in figs:
        rest[f.start:f.end] = [" "] * (f.end - f.start)
    return numbers("".join(rest))


def sentences(answer: str) -> list[tuple[str, list[int]]]:
    """(sentence, its markers). Markers written after the full stop (…元。[1]) belong to the
    sentence before it."""
    text = _MARKERS_AFTER_END.sub(r"\2\1", answer)
    out = []
    for m in SENTENCE_PIECE.finditer(text):
        s = m.group().strip()
        if s and not re.fullmatch(rf"[\s{SENTENCE_END}]*", s):
            out.append((s, [int(x) for x in _MARKER.findall(s)]))
    return out


def _bigrams(text: str) -> set[str]:
    text = _FILLER.sub(" ", _MARKER.sub(" ", text))
    grams: set[str] = set()
    for run in HAN_RUN.findall(text):
        grams.update(run[i:i + 2] for i in range(len(run) - 1))
    return grams


def _with_synonyms(text: str) -> str:
    """The text plus every synonym of the terms it holds (低保 for 最低生活保障 and back)."""
    extra = [w for group in synonym_groups() if any(t in text for t in group) for w in group]
    return text + " " + " ".join(extra)


def support(sentence: str, texts: list[str]) -> float:
    """Share of the sentence's content bigrams that occur in ``texts`` or their synonyms
    (1.0 for a sentence with fewer than 4)."""
    mine = _bigrams(sentence)
    if len(mine) < 4:
        return 1.0
    theirs: set[str] = set()
    for t in texts:
        theirs |= _bigrams(_with_synonyms(t))
    return len(mine & theirs) / len(mine)


def _place_ok(place, cited: list[Citation]) -> bool:
    names = {place.name, place.short or place.name}
    for c in cited:
        if any(n and n in c.text for n in names):
            return True
        city = c.city or ""
        if place.level == "county" and city == place.region:
            return True
        if place.level == "city" and city == place.name:
            return True
    return False


def _is_year(f: Quantity) -> bool:
    return f.dimension == "date" and f.date is not None and len(f.date) == 4


_CLAUSE_END = "；;"  # ends a clause of a sentence, not the sentence


def claims(answer: str) -> list[tuple[str, list[int]]]:
    """:func:`sentences`, with a clause that ends in ； and has no marker given the markers of the
    clause that ends its sentence (80—89周岁…50元；90—99周岁…200元[1]。 cites [1] for both)."""
    out = sentences(answer)
    markers: list[int] = []
    for i in range(len(out) - 1, -1, -1):
        sent, own = out[i]
        if not sent.rstrip().endswith(tuple(_CLAUSE_END)):
            markers = own
        elif own:
            markers = own
        elif markers:
            out[i] = (sent, list(markers))
    return out


def check_claims(answer: str, passages: list[Citation], question: str = "") -> tuple[bool, list[str]]:
    """The check of a generated answer against the passages it was given (see above).
    ``passages[i].text`` is the text the model was shown; ``marker`` its number."""
    problems: list[str] = []
    by_marker = {p.marker: p for p in passages}
    q_numbers = set(numbers_in(question))
    years = {str(p.year) for p in passages if p.year}
    cited_any = False
    refusal = REFUSAL in answer
    for sent, markers in claims(answer):
        body = _MARKER.sub("", sent)
        for m in sorted(set(markers)):
            if m not in by_marker and not quoted_bracket(m, [p.text for p in passages]):
                problems.append(f"引用[{m}]不存在（只给了{len(passages)}条资料）")
        cited = [by_marker[m] for m in dict.fromkeys(markers) if m in by_marker]
        body = _MARKER.sub(" ", body)
        figs = figures_in(body)
        bare = _bare_numbers(body, figs)
        if not markers:
            for f in figs:
                # a year in a refusal (资料中没有2023年的…) claims nothing
                if f.number in q_numbers or (_is_year(f) and (f.number in years or REFUSAL in body)):
                    continue
                problems.append(f"数字 {f.text} 没有标注引用")
            for n in bare:
                if n not in q_numbers and not (re.fullmatch(r"(?:19|20)\d\d", n) and (n in years or REFUSAL in body)):
                    problems.append(f"数字 {n} 没有标注引用")
            continue
        if not cited:
            continue  # only invalid markers: already reported
        cited_any = True
        tags = "".join(f"[{c.marker}]" for c in cited)
        cited_years = {str(c.year) for c in cited if c.year}
        for f in figs:
            if _is_year(f) and f.number in cited_years:
                continue
            if not any(_figure_occurs(f, c.text) for c in cited):
                problems.append(f"数字 {f.text} 不在所引资料{tags}中")
        for n in bare:
            if n not in cited_years and not any(occurs(n, c.text) for c in cited):
                problems.append(f"数字 {n} 不在所引资料{tags}中")
        named = [p for p, _, _ in find_places(body) if p.level != "province"]
        for place in named:
            if place.level == "city" and any(q.level == "county" and q.parent == place.name for q in named):
                continue  # 郑州市惠济区: the district is what is checked
            if not _place_ok(place, cited):
                where = "、".join(dict.fromkeys(c.city or "未知地区" for c in cited))
                problems.append(f"答案说的是{place.name}，但所引资料{tags}是关于{where}的")
        share = support(body, [f"{c.city or ''} {c.title} {c.text}" for c in cited])
        if share < MIN_SUPPORT:
            problems.append(f"“{body[:30]}”的内容大多不在所引资料{tags}中（相符 {share:.0%}）")
    if not cited_any and not refusal and not problems:
        problems.append("答案没有标注引用，也不是“资料中没有…”的说明")
    return not problems, list(dict.fromkeys(problems))
