"""Answer in the user's script: traditional characters back, an English first line.

Matching always works on simplified Chinese (``ingest.text.normalize``); this
module only changes what the user reads:

- a question in traditional characters gets the answer text converted with
  OpenCC (``s2tw``, ``s2hk`` or ``s2t``: whichever reproduces the question's own
  characters best, Taiwan forms on a tie). Citations are never converted: their
  quoted spans stay verbatim as in the source report.
- an English question gets the Chinese answer with an English first line:
  ``Answer (in Chinese, from the Jiaozuo 2021 report [1]): 4524 yuan.``. The
  figures are copied verbatim from the Chinese answer (units glossed, never
  converted: ``6423万 yuan (万 = ten thousand)``), so the grounding check still
  holds; it is run again on the whole text, and a line that fails it is replaced
  by one without figures.

``present(answer, asked, resolved)`` applies both; ``Assistant.ask`` calls it.
"""
from __future__ import annotations

import re

from ingest.document import DocMeta, Document
from ingest.english_places import region_in_english
from ingest.places import lookup, mentions
from ingest.text import HAN_CHAR, converter, is_english

from .answer.asked import band_holds
from .answer.compose import asked_dimension
from .answer.facts import extract_facts
from .answer.figures import Quantity, quantities
from .answer.wording import FIGURE
from .grounding import check as check_grounding
from .query import QueryAnalysis, analyze, clean_question
from .types import Answer
from .vocabulary import fact_words

TRADITIONAL_CONFIGS = ("s2tw", "s2hk", "s2t")  # order = preference on a tie


def traditional_config(text: str) -> str | None:
    """The OpenCC config that writes simplified text the way ``text`` is written, or None
    when ``text`` is not in traditional characters (outside the place names it writes)."""
    if not HAN_CHAR.search(text):
        return None
    for m in reversed(mentions(text, county_shorts=True)):  # 乾县, 乾安: a place's own name, in simplified text too
        text = text[:m.start] + text[m.end:]
    simplified = converter("t2s").convert(text)
    if simplified == text:
        return None
    best, best_score = None, -1
    for config in TRADITIONAL_CONFIGS:
        back = converter(config).convert(simplified)
        score = sum(a == b for a, b in zip(back, text))
        if score > best_score:
            best, best_score = config, score
    return best


def to_traditional(text: str, config: str = "s2tw") -> str:
    return converter(config).convert(text)


# -- the English first line ----------------------------------------------------

_UNITS = {"元": " yuan", "人": " people", "名": " people", "人次": " person-times", "户": " households",
          "对": " couples", "次": " times", "%": "%"}
_MULTIPLIERS = {"万": "万 (万 = ten thousand)", "亿": "亿 (亿 = a hundred million)"}
_PARENS = re.compile(r"（[^（）]*）|\([^()]*\)")
_MARKER = re.compile(r"\[(\d+)\]")
_PICKED = re.compile(r"（其中([^（）]*)）")
_KIND_DIMENSION = {"amount": "money", "ratio": "rate", "count": "count"}
_STATED = ("money", "count", "rate")  # the figures an English line restates


def _figure_en(q: Quantity) -> str:
    if not re.search(r"\d", q.text):  # 一万元: quoted as written (the check reads it there)
        return q.text
    number, mult, approx, unit = q.number, q.multiplier, q.approx, q.unit
    text = ("over " if approx else "") + number
    if mult:
        text += _MULTIPLIERS[mult]
        return text + (_UNITS.get(unit, f" {unit}") if unit != "%" else "%")
    return text + _UNITS.get(unit, f" ({unit})")


def place_in_english(region: str | None) -> str:
    """焦作市 → Jiaozuo; 郑州市惠济区 → Huiji District, Zhengzhou (``ingest.english_places``);
    a name the gazetteer does not hold stays Chinese."""
    if not region:
        return "the"
    place = lookup(region)
    return region_in_english(place) if place is not None else region


def _superseded(text: str, q: Quantity) -> bool:
    """``q`` is the old value of a change the text states with a break before its raise word
    (600元，再提高到700元), which the facts layer reads within one clause only (由X提高到Y): a raise
    word (vocabulary facts.raise) right after it."""
    after = _RAISE_GAP.sub("", text[q.end:q.end + 12], count=1)
    return any(after.startswith(w) for w in fact_words().raise_)


# 600元，提高到 / 600元再提高到: what may stand between an old value and its raise word
_RAISE_GAP = re.compile(r"^[\s，,]*[再又已]?")


def _segments(text: str) -> dict[int, str]:
    """Marker -> the claim it closes (the text since the previous marker or line start)."""
    out: dict[int, str] = {}
    for line in text.split("\n"):
        pos = 0
        for m in _MARKER.finditer(line):
            out.setdefault(int(m.group(1)), line[pos:m.start()])
            pos = m.end()
    return out


def _stated(claim: str, found: list[Quantity], age: float | None) -> list[Quantity]:
    """The amounts of ``claim`` the facts layer (answer.facts) makes facts of: never the X of
    由X提高到Y (an earlier value, not the one the answer states); with an ``age`` asked, the
    amounts of the age band holding it first (80—89周岁…80元 for 85). ``found`` itself when the
    layer reads none of them."""
    facts = {f.start: f for f in extract_facts(Document(source="", text=claim, sha256="", encoding="utf-8",
                                                        meta=DocMeta(city=None, year=None, title="")))}
    kept = [q for q in found if q.dimension != "money" or q.start in facts]
    if age is not None:
        kept.sort(key=lambda q: not (q.start in facts and band_holds(facts[q.start].age_band, age)))
    return kept or found


def english_line(answer: Answer, intent: str = "general", multiple: bool = False,
                 with_figures: bool = True, age: float | None = None) -> str:
    if not answer.answerable:
        return "Not found in the reports; the Chinese text below says what is missing and what the reports cover."
    used = {int(m) for m in _MARKER.findall(answer.answer)}
    cites = [c for c in answer.citations if c.marker in used] or answer.citations
    reports: dict[tuple[str, str], list[int]] = {}
    for c in cites:
        key = (place_in_english(c.city), str(c.year) if c.year else "")
        reports.setdefault(key, []).append(c.marker)
    where = "; ".join(" ".join(x for x in (place, year, "report") if x) + " " + "".join(f"[{n}]" for n in markers)
                      for (place, year), markers in reports.items())
    head = f"Answer (in Chinese, from the {where})"
    if not with_figures:
        return head + ":"
    preferred = _KIND_DIMENSION.get(intent)
    figures: list[str] = []
    for marker, claim in _segments(answer.answer).items():
        # （其中农村为6000元）names the figure the question picked: the English line states that one
        picked = _PICKED.findall(claim)
        said = " ".join(picked) if picked else _PARENS.sub("", claim)
        found = _stated(said, [q for q in quantities(said) if q.dimension in _STATED and not _superseded(said, q)], age)
        if preferred:
            found = [q for q in found if q.dimension == preferred] or found
        for q in found[: 3 if multiple else 1]:
            fig = _figure_en(q) + (f" [{marker}]" if len(cites) > 1 else "")
            if fig not in figures:
                figures.append(fig)
    return head + (": " + ", ".join(figures) + "." if figures else ":")


# -- everything together ----------------------------------------------------------

def present(answer: Answer, asked: str, resolved: str | None = None, earlier: str | None = None,
            analysis: QueryAnalysis | None = None) -> Answer:
    """``answer`` (computed for ``resolved or asked``) as the user who typed ``asked`` reads it:
    ``question`` is what they typed, ``resolved_question`` the follow-up's full form (if any),
    the text in their script. ``earlier`` (the previous question as typed) decides the script
    when ``asked`` has no character that tells (那城市的呢 is the same in both scripts).
    ``analysis``: that of ``resolved or asked``, when the caller has it (not analysed again)."""
    if resolved:
        answer.question = clean_question(asked)
        answer.resolved_question = resolved
    if is_english(asked):
        analysis = analysis or analyze(resolved or asked)
        # a figure is stated in English only when one is asked (How much / How many): "What
        # services…" answered by a sentence holding 一个平台 states no figure (answer.compose)
        asks = analysis.intent in FIGURE or asked_dimension(analysis) is not None
        line = english_line(answer, analysis.intent, analysis.multiple, with_figures=asks, age=analysis.asked.age)
        text = line + "\n" + answer.answer
        if answer.answerable and not check_grounding(text, answer.citations)[0]:
            text = english_line(answer, with_figures=False) + "\n" + answer.answer
        answer.answer = text
        return answer
    config = traditional_config(asked)
    if config is None and earlier and not HAN_CHAR.search(converter("s2t").convert(asked).replace(asked, "")) \
            and converter("s2t").convert(asked) == asked and not is_english(earlier):
        config = traditional_config(earlier)  # nothing in asked tells: keep the conversation's script
    if config is not None:
        answer.answer = to_traditional(answer.answer, config)
        if resolved:
            answer.resolved_question = to_traditional(resolved, config)
    return answer
