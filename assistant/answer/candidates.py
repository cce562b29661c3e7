"""The candidates stage: every sentence of the retrieved chunks that holds some of the question's
words, scored on those words (IDF-weighted), the figure of the kind asked in its best clause,
qualifiers, measure, period and rank. Entry point: :func:`candidates`."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ingest.chunking import split_sentences
from ingest.document import Chunk

from ..vocabulary import fact_words
from .asked import understand
from .figures import PER_HEAD, Quantity, of_dimension, phone_numbers
from .injection import INJECTION
from .selection import asked_units, counted_noun, counts_asked, measure_terms, unit_agrees
from .spans import CLAUSE, DOC_QUESTION, FAQ_REPLY, HEADING, MAX_REPLY_CHARS, extend_to_next_figure, heading_before, reply_after
from .wording import (ELIGIBILITY, FIGURE, asks_measures, asks_standard, benefit_terms, narrowing_held,
                      qualifier_conflict, qualifier_missing, standard_words, total_words)

if TYPE_CHECKING:  # pragma: no cover
    from ..query import QueryAnalysis


@dataclass
class Candidate:
    chunk: Chunk
    rank: int
    start: int  # sentence offsets in the document
    end: int
    clause_start: int
    clause_end: int
    score: float
    coverage: float
    figure: str | None = None
    quantity: Quantity | None = None
    notes: list[str] = field(default_factory=list)

def candidates(ex, analysis: QueryAnalysis, pool: list[Chunk], weights: dict[str, float],
                total_w: float, with_context: bool = False) -> list[Candidate]:
    """Every sentence of the first chunks holding some of the question's words, scored;
    ``with_context``: its words are looked for in its line before (a heading) and the
    document title too."""
    doc_texts = ex.doc_texts
    out: list[Candidate] = []
    fig = FIGURE.get(analysis.intent)
    wants_standard = asks_standard(analysis.normalized)
    q = analysis.normalized
    asked, others = benefit_terms(q)
    contact = understand(analysis).kind == "contact"
    # 多少人 is answered by a figure in 人 (名, 位), never 500次; 多少名孩子 by one counting 孩子
    units = asked_units(q) if fig == "count" else ()
    noun = counted_noun(q) if fig == "count" else None
    picked = understand(analysis)
    banded = picked.age is not None or bool(picked.care_level or picked.grade)
    # 取暖补助是多少: a figure whose own clause does not say 取暖补助 is of another measure
    measure = measure_terms(q, weights) if fig is not None else ()
    asks_total = fig == "money" and any(w in q for w in dict(fact_words().asked).get("total", ()))

    for rank, chunk in enumerate(pool[:8]):
        text = doc_texts.get(chunk.source, "")
        planted = INJECTION.search(chunk.text)
        for s, e in split_sentences(chunk.text, chunk.start):
            if planted and e > chunk.start + planted.start():
                break  # text that talks to a model (忽略以上指令…) and what follows it is never quoted
            sent = text[s:e]
            if HEADING.match(sent):
                continue  # 一、适用对象 / 七、咨询电话: a heading announces, it answers nothing
            about = sent
            if FAQ_REPLY.match(sent):  # a FAQ's 答 is about the 问 line before it (maybe in another chunk)
                line_start = text.rfind("\n", 0, s)
                about = text[text.rfind("\n", 0, max(line_start, 0)) + 1:max(line_start, 0)] + sent
            if with_context:
                about = " ".join((about, heading_before(text, s), chunk.meta.get("title") or ""))
            cov = sum(w for t, w in weights.items() if ex.contains(about, t)) / total_w
            if cov == 0:
                continue
            if DOC_QUESTION.search(sent):
                # a document's own question (问：…？) is answered by the 答 that follows it
                reply = reply_after(text, e)
                if reply is None or fig is not None and not of_dimension(text[reply[0]:reply[1]], fig):
                    continue
                s, e = reply
            if contact and not phone_numbers(text[s:e]):
                continue  # 咨询电话是多少: only a sentence with a phone number answers it
            score = cov / (1 + 0.15 * rank)
            if analysis.intent == "procedure" and ELIGIBILITY.search(sent):
                score *= 1.5
            clause = (s, e)
            figure = quantity = None
            if fig is not None:
                clause, quantity, cscore = best_clause(ex, sent, s, fig, weights, total_w, wants_standard, q,
                                                             units, noun)
                figure = quantity.text if quantity else None
                if figure is None:
                    score *= 0.3
                else:
                    score *= 1 + cscore
            if figure is not None and wants_standard and fig == "money" and \
                    ex.facts.kind(chunk.source, quantity.start) in ("difference", "total"):
                continue  # 低保标准是多少: 在…基础上每人每月增发200元 is an addition, not the standard
            if figure is not None and asks_total:
                ctext = text[clause[0]:clause[1]]
                if quantity.multiplier in ("万", "亿") or total_words().search(ctext):
                    score *= 1.5  # 发了多少钱: the amount paid out, never a per-person level
                elif PER_HEAD.search(ctext):
                    score *= 0.3
            if figure is not None and analysis.years and any(f"{y}年" in sent for y in analysis.years):
                score *= 1.2  # the year asked is said of this figure, not only of its report
            if figure is not None and measure:
                ctext = text[clause[0]:clause[1]]
                score *= 0.5 + 0.5 * sum(1 for t in measure if ex.contains(ctext, t)) / len(measure)
            # qualifier agreement: 农村 asked, only 城市 stated -> wrong figure
            if qualifier_conflict(q, text[clause[0]:clause[1]]):
                if figure is not None:
                    continue  # a 城市 figure is never the answer to a 农村 question
                score *= 0.2
            if figure is not None and qualifier_missing(q, sent):
                continue  # 农村 asked, the sentence does not say 农村 (or 城乡): not its figure
            if figure is not None and asked and not any(t in sent for t in asked) \
                    and any(t in sent for t in others):
                continue  # 高龄津贴 asked, the sentence's figure is another benefit's (慈善购物卡 50元)
            if quantity is not None and analysis.units and quantity.unit in analysis.units:
                score *= 1.3  # 多少人 is answered by a figure in 人
            if figure is not None and not banded and ex.facts.banded(chunk.source, quantity.start):
                # levels or age bands the question does not pick: every one of them (to the 。)
                stops = [i for i in (text.find("。", e - 1), text.find("\n", e - 1)) if i >= 0]
                e = min(min(stops, default=len(text)) + 1, s + MAX_REPLY_CHARS, len(text))
                clause = (s, e)
            elif figure is not None and (analysis.multiple or asks_measures(analysis.normalized)):
                clause = (clause[0], extend_to_next_figure(text, clause[1], e))
            out.append(Candidate(chunk, rank, s, e, clause[0], clause[1], score, cov, figure, quantity))
    out.sort(key=lambda c: -c.score)
    return out

def best_clause(ex, sent: str, offset: int, fig: str, weights: dict[str, float],
                 total_w: float, wants_standard: bool, q: str = "", units: tuple[str, ...] = (),
                 noun: str | None = None) -> tuple[tuple[int, int], Quantity | None, float]:
    """The clause of ``sent`` that best answers, with its first figure of dimension ``fig``
    counted in one of ``units`` and counting ``noun`` when the question names them."""
    clauses = [(m.start(), m.end()) for m in CLAUSE.finditer(sent)]
    best: tuple[float, tuple[int, int], Quantity | None] = (-1.0, (offset, offset + len(sent)), None)
    for i, (cs, ce) in enumerate(clauses):
        ctext = sent[cs:ce]
        found = [x for x in of_dimension(ctext, fig) if unit_agrees(x, units) and counts_asked(ctext, x.end, noun)]
        if not found:
            continue
        cov = sum(w for t, w in weights.items() if ex.contains(ctext, t)) / total_w
        start = cs
        # borrow the previous clause when this one lacks the subject or a time phrase
        if i > 0 and (cov < 1 or re.match(r"^(自|从|截至|截止|在)", sent[clauses[i - 1][0]:])):
            prev = sent[clauses[i - 1][0]:clauses[i - 1][1]]
            pcov = sum(w for t, w in weights.items() if ex.contains(prev, t)) / total_w
            if (pcov > 0 and not of_dimension(prev, fig)) or re.match(r"^(自|从|截至|截止|在)", prev):
                start = clauses[i - 1][0]
                cov = cov + 0.5 * max(pcov - cov, 0)  # context helps, the figure's own clause counts more
        bonus = 0.0
        if wants_standard and standard_words().search(ctext):
            bonus += 0.5
        if wants_standard and total_words().search(ctext) and not standard_words().search(ctext):
            bonus -= 0.3
        if "平均" in ctext and "平均" not in q:
            bonus -= 0.6
        score = cov + bonus + 0.6 * narrowing_held(q, sent[start:ce])
        if qualifier_conflict(q, ctext):
            score *= 0.2
        if score > best[0]:
            end = ce
            while end > start and sent[end - 1] in "，,；;。！？!? ":
                end -= 1
            q0 = found[0]
            best = (score, (offset + start, offset + end),
                    replace(q0, start=offset + cs + q0.start, end=offset + cs + q0.end))  # document offsets
    return best[1], best[2], max(best[0], 0.0)
