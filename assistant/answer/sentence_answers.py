"""The sentence-answers stage: a question asking no figure (a relation, conditions, materials,
steps, frequency, yes/no) is answered by the sentence holding what it asks, or refused; a figure
question by the best candidates (one per region when it names none). Entry points:
:func:`answer_sentences`, :func:`answer_figures`."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from ingest.document import Chunk

from ..types import Answer
from ..vocabulary import fact_words, filler
from .asked import STRONG_SHAPES, side_named
from .candidates import candidates
from .compose import asked_dimension, refuse, render
from .figures import of_dimension, quantities
from .focus import RAREST_COVERAGE, asked_focus, names_a_rarest, says_focus
from .passages import MIN_COVERAGE
from .scope import of_place_asked
from .named import alternative_unsaid, of_part_asked
from .series import to_item
from .selection import holds_topic, mark_score, marked_run, measure_terms, options_said, shared_run
from .spans import FAQ_REPLY, MAX_REPLY_CHARS, heading_before, sentence_at, whole_list
from .wording import (DOC_LEAD_CHARS, FIGURE, eligibility, MIN_TOPIC_COVERAGE, asked_figure, asks_standard, base_only,
                      standard_words)

if TYPE_CHECKING:  # pragma: no cover
    from ..query import QueryAnalysis
    from .candidates import Candidate


def answer_sentences(ex, analysis: QueryAnalysis, pool: list[Chunk], weights: dict[str, float],
                      asked) -> Answer:
    """A question that asks no figure (``Asked.shape``) is answered by the sentence that holds
    what it asks: for a relation both sides (X和Y), otherwise most of its topic words (weighted
    by IDF, a word no report uses counting against it: 可以换成购物卡吗 is not answered by a
    sentence about 低保金 alone); a 什么情况下 question prefers a sentence saying when (因, 遭遇, 符合). No such
    sentence: a refusal naming the topic, never a figure sentence about something else."""
    intent = "procedure" if asked.shape in ("conditions", "materials", "steps") else "general"
    analysis = replace(analysis, intent=intent, units=(), multiple=False)
    # the words that ask (关系, 措施, 情况) are no topic a sentence must hold, nor a word marking the
    # shape asked (要带哪些证件: 证件 is what is asked, said by a list of papers that never says it);
    # a word no report uses counts half (我儿子在外地打工…能申请低保吗 tells circumstances the reports word otherwise)
    marks = dict(fact_words().shape_marks).get(asked.shape, ())
    w = {t: v if ex.known(t) else v / 2 for t, v in weights.items()
         if not any(t in a for a in asked.shape_words) and t not in marks} or weights
    if asked.shape == "conditions":
        # 什么情况下可以申请临时救助: the benefit is the topic, 申请/领取 only frame the question
        q = analysis.normalized
        named = [q[m.start:m.end] for m in ex.benefits().mentions(q)]
        w = {t: v for t, v in w.items() if any(t in n or n in t for n in named)} or w
    # what a notice's sentence is about may be said by its section heading or the title
    # (四、资金来源 / 所需资金由…承担 in a 尊老金 notice); a relation is said in one sentence
    cands = candidates(ex, analysis, pool, w, sum(w.values()) or 1.0, with_context=asked.shape != "relation")
    doc = ex.doc_texts
    if asked.shape == "relation":
        sides = [t for t in w if ex.known(t)]  # both sides, as the reports write them
        cands = [c for c in cands if holds_topic(doc[c.chunk.source][c.start:c.end], sides, ex.contains)]
        for c in cands:  # X与Y said together, as the question says it, is about their relation
            c.score *= 1 + 0.1 * min(shared_run(analysis.normalized, doc[c.chunk.source][c.start:c.end]), 10)
        cands.sort(key=lambda c: -c.score)
    own = {(c.chunk.source, c.start): c.coverage for c in cands}  # before a list widens a sentence
    if asked.shape != "relation":
        cands = [c for c in cands if c.coverage >= MIN_TOPIC_COVERAGE]
    cands = _of_shape(ex, analysis, asked, cands)
    if not cands and asked.shape not in ("relation", "yesno"):
        cands = _of_shape(ex, analysis, asked, _framed(ex, analysis, pool, w, own))
    if not cands:
        return refuse(ex, analysis, f"资料中没有{'、'.join(analysis.regions)}{ex.topic(analysis)}"
                                    f"的相关内容。现有资料涉及：{ex.corpus.coverage_note}。")
    best = cands[0]
    if asked.shape == "yesno":  # a FAQ's 答：可以。… : the reply from its first word, which says yes or no
        text = doc[best.chunk.source]
        line = text.rfind("\n", 0, best.start) + 1
        if best.start - line <= MAX_REPLY_CHARS and FAQ_REPLY.match(text[line:best.start]):
            best.start = line
    return render(ex, analysis, [best])


def _of_shape(ex, analysis: QueryAnalysis, asked, cands: list[Candidate]) -> list[Candidate]:
    """The candidates that answer the shape asked, best first: a numbered list's item stands for
    the whole list (1.申请书；2.身份证；3.户口簿); the shape's words (vocabulary facts.shape_marks)
    raise a sentence, and for a strong shape only a sentence holding one answers; a yes/no
    question needs a sentence holding what it asks."""
    doc = ex.doc_texts
    seen: set[tuple[str, int]] = set()
    whole = []
    for c in cands:
        c.start, c.end = whole_list(doc[c.chunk.source], c.start, c.end)
        if (c.chunk.source, c.start) not in seen:
            seen.add((c.chunk.source, c.start))
            whole.append(c)
    cands = whole
    marks = options_said(analysis.normalized, dict(fact_words().shape_marks).get(asked.shape, ()))
    if marks:
        def marked(c: Candidate) -> int:  # its heading counts: 三、所需材料 / 1.…；2.…
            text = doc[c.chunk.source]
            return mark_score(heading_before(text, c.start) + text[c.start:c.end], marks)

        for c in cands:
            c.score *= 1 + 0.3 * min(marked(c), 3)
        if asked.shape in STRONG_SHAPES:  # 多久发一次 is answered by 按月/每季度, never without
            cands = [c for c in cands if marked(c)]
        if asked.shape == "materials":  # 需要提供身份证…；…的，还需提供…证明: the list is all its clauses
            for c in cands:
                c.start, c.end = marked_run(doc[c.chunk.source], c.start, c.end, marks, MAX_REPLY_CHARS)
        elif asked.shape in MARKED_SHAPES:  # 对无劳动能力…的老年人予以救助供养 states who qualifies too
            cands = [c for c in cands if marked(c) or eligibility().search(doc[c.chunk.source][c.start:c.end])]
        cands.sort(key=lambda c: -c.score)
    if asked.shape == "yesno":
        cands = _with_predicate(ex, analysis, asked, cands)
    if asked.shape in LEAD_FREE_SHAPES:
        cands = [c for c in cands if not _restates_opening(doc[c.chunk.source], c, marks)]
    return saying_focus(ex, analysis, cands)


def saying_focus(ex, analysis: QueryAnalysis, cands: list[Candidate]) -> list[Candidate]:
    """The candidates whose span says what the question asks of its topic (answer.focus: where to
    apply, which ones, what else, who does it, the applicant's materials), best first."""
    focus = asked_focus(analysis.normalized, analysis.terms)
    if focus.role is None:
        return cands
    doc = ex.doc_texts
    return [c for c in cands if says_focus(focus, doc[c.chunk.source][c.start:c.end], ex.contains)]


# shapes a document's first sentence never answers unless it holds the shape's words: a news
# item's headline and lede (原标题：某乡开展牵手行动…) say what happened, never whether one may (能…吗)
# or on what conditions (符合什么条件); they share the question's topic words, so without this they
# win on coverage. Only the first sentence: a short notice's next sentences are its content
LEAD_FREE_SHAPES = ("yesno", "conditions")
# shapes only a sentence holding one of their words answers (like STRONG_SHAPES, which are asked
# in words even beside figure words): 要符合什么条件 is never answered by a sentence naming none
# (条件, 符合, 对象, 因…: vocabulary facts.shape_marks) — a news item's next sentence on the topic is not one
MARKED_SHAPES = ("conditions",)
_FIRST_END = re.compile(r"[。！？!?\n]")


def _restates_opening(text: str, c: Candidate, marks: tuple[str, ...]) -> bool:
    """The candidate starts in its document's first sentence (within ``DOC_LEAD_CHARS``), is no
    FAQ reply (答：…) and holds none of the shape's marks (vocabulary facts.shape_marks)."""
    first = _FIRST_END.search(text, len(text) - len(text.lstrip()))
    if c.start >= min(first.end() if first else len(text), DOC_LEAD_CHARS) \
            or FAQ_REPLY.match(text[text.rfind("\n", 0, c.start) + 1:c.start]):
        return False
    return not (marks and mark_score(text[c.start:c.end], marks))


# a sentence read with its document's opening must say this much of the question with it, and
# this much on its own
FRAMED_COVERAGE = 0.75
OWN_COVERAGE = 0.25


def _framed(ex, analysis: QueryAnalysis, pool: list[Chunk], w: dict[str, float],
            own: dict[tuple[str, int], float]) -> list[Candidate]:
    """Who issued a notice or what it is about (中国银监会, the 办法 it announces) may be said only
    by its headline, so no sentence alone covers the question: read with the document's opening
    (its headline and lede), the sentences saying the rest answer (规范委托贷款的资金用途 under
    the headline naming the 银监会) — each still saying some of the question in its own words."""
    framed = candidates(ex, analysis, pool, w, sum(w.values()) or 1.0, with_lead=True)
    out = [c for c in framed if c.coverage >= FRAMED_COVERAGE and own.get((c.chunk.source, c.start), 0.0) >= OWN_COVERAGE]
    widest: dict[tuple[str, int], Candidate] = {}
    for c in out:  # read with its context, a part after ； is quoted with the sentence it ends
        c.start = _sentence_start(ex.doc_texts[c.chunk.source], c.start)
        key = (c.chunk.source, c.start)
        if key not in widest or c.end > widest[key].end:
            widest[key] = c
    return sorted(widest.values(), key=lambda c: -c.score)


def _sentence_start(text: str, start: int, max_back: int = 200) -> int:
    """Where the sentence holding the clause at ``start`` begins, when the clause follows a ；
    (已参加…的，由…支付；未参加的，由…支付): at most ``max_back`` characters back."""
    base = max(0, start - max_back)
    before = text[base:start].rstrip()
    if not before.endswith(("；", ";")):
        return start
    cut = max(before.rfind(ch) for ch in "。！？!?\n")
    return base + cut + 1 if cut >= 0 else start


def _predicate(ex, analysis: QueryAnalysis, asked) -> tuple[str, ...]:
    """What a yes/no question asks of its topic: its words after the modal (能领取护理补贴吗 →
    领取; 需要另外申请吗 → 另外, 申请; vocabulary ``facts.selection.modals``), else its last word,
    naming no benefit, no place and no asking word, that the documents use; () for none."""
    q = analysis.normalized
    named = [q[m.start:m.end] for m in ex.benefits().mentions(q)]
    places = {n for p in analysis.places for n in (p.name, p.short) if n}

    def usable(t: str) -> bool:
        return not (any(t in n or n in t for n in named) or any(t in p or p in t for p in places)
                    or any(t in a for a in asked.shape_words) or t in filler() or len(t) < 2)

    modal = _modal_at(q)

    def verb(t: str) -> bool:  # 还能办吗: a one-character verb asked, read by its longer forms (办理, 申请)
        return len(t) == 1 and not usable(t) and any(len(f) >= 2 for f in ex.forms(t)) \
            and not any(t in a for a in asked.shape_words) and t not in filler()

    after = tuple(t for t in analysis.terms if modal >= 0 and q.find(t) > modal and (usable(t) or verb(t))
                  and ex.known(t))
    if after:
        return after
    last = next((t for t in reversed(analysis.terms) if usable(t)), None)
    return (last,) if last is not None and ex.known(last) else ()


def _modal_at(q: str) -> int:
    """Where the first modal of a yes/no question is (vocabulary ``facts.selection.modals``); -1 for none."""
    return min((i for w in dict(fact_words().selection).get("modals", ()) if (i := q.find(w)) >= 0), default=-1)


def _with_predicate(ex, analysis: QueryAnalysis, asked, cands: list[Candidate]) -> list[Candidate]:
    """A yes/no question is answered by a sentence holding what it asks (or its negation: 无需另行
    申请 holds 申请), never by a related sentence about the topic alone."""
    selection = dict(fact_words().selection)
    if any(w in selection.get("existence", ()) for w in asked.shape_words):
        return cands  # 有没有渐退期政策: asks whether the thing exists; a sentence naming it answers
    if any(w in analysis.normalized for w in selection.get("cost_asked", ())):
        # 吃饭要钱吗 / 收费吗: whether something costs; only a sentence saying what it costs or that
        # it is free answers, never one about the thing alone
        doc = ex.doc_texts
        return [c for c in cands if any(w in doc[c.chunk.source][c.start:c.end] for w in selection.get("cost_said", ()))]
    pred = _predicate(ex, analysis, asked)
    if not pred:
        # 装报警器要收钱吗: what is asked (收钱) is a word no document uses, so no sentence can say yes
        # or no to it; a sentence about the topic alone would answer something else
        return [] if _unknown_predicate(ex, analysis, asked) else cands
    doc = ex.doc_texts
    forms = [f for t in pred for f in ex.forms(t) if len(f) >= 2]  # 办 (a form of 申请) is inside 办法 too
    return [c for c in cands if any(f in doc[c.chunk.source][c.start:c.end] for f in forms)]


def _unknown_predicate(ex, analysis: QueryAnalysis, asked) -> bool:
    """The yes/no question's words after its modal (要收钱吗 → 收钱) include one of two characters
    or more that is no filler, place, benefit name or asking word, and that no document uses."""
    q = analysis.normalized
    modal = _modal_at(q)
    if modal < 0:
        return False
    places = {n for p in analysis.places for n in (p.name, p.short) if n}
    named = [q[m.start:m.end] for m in ex.benefits().mentions(q)]
    return any(q.find(t) > modal and len(t) >= 2 and t not in filler() and not ex.known(t)
               and not any(t in n or n in t for n in (*places, *named)) and not any(t in a for a in asked.shape_words)
               for t in analysis.terms)


def _base_only(ex, analysis: QueryAnalysis, c: Candidate) -> bool:
    text, at = ex.doc_texts[c.chunk.source], c.quantity.start
    s, e = sentence_at(text, at)
    said = [g for g in ex.facts.of(c.chunk.source) if s <= g.start < e]
    return base_only(ex.facts.at(c.chunk.source, at), said, analysis.normalized)


_PERIODIC = re.compile(r"每(?:人|户)?每?(?:月|年)")


def _periodic_level(ex, c: Candidate) -> bool:
    """The candidate's figure is paid per month or year (每月30元) and is no total or addition."""
    q = c.quantity
    if q is None:
        return False
    clause = ex.doc_texts[c.chunk.source][c.clause_start:q.start]
    return bool(_PERIODIC.search(clause[-8:])) and ex.facts.kind(c.chunk.source, q.start) in ("standard", "amount", "cap")


def _unit_free(ex, analysis: QueryAnalysis, pool: list[Chunk], weights: dict[str, float],
               total_w: float) -> list[Candidate]:
    """每天服务多少老人, best matched by a sentence with no figure (a news item's opening: 7月24日…举行了
    一场仪式): the sentences whose figure's own clause says what is asked (the word before 多少:
    服务 of 日均服务老年群体百余人); [] when none does (refused, never the opening)."""
    head = measure_terms(analysis.normalized, analysis.terms)
    if not head:
        return []
    doc = ex.doc_texts
    # read with the document's opening, which says what a news item is about (休宁县萝宁社区老年食堂…)
    return [c for c in candidates(ex, analysis, pool, weights, total_w, with_lead=True, figure="figure")
            if c.quantity is not None and c.coverage >= 0.75
            and ex.contains(doc[c.chunk.source][min(c.clause_start, c.read_start or c.clause_start):c.clause_end], head[-1])]


def answer_figures(ex, analysis: QueryAnalysis, pool: list[Chunk], weights: dict[str, float],
                   total_w: float) -> Answer:
    """The best candidate sentences (answer.candidates): for a figure question only those with a
    figure of the kind asked, one per region when the question names no place (or several)."""
    topic = ex.topic(analysis)
    # a figure is asked by the intent or by the question's own words (有多少项, 多少管理费): only a
    # sentence with a figure of that kind answers, never the document's opening without one
    figure_asked = analysis.intent in FIGURE or asked_figure(analysis) is not None
    cands = candidates(ex, analysis, pool, weights, total_w)
    if figure_asked:  # …按不低于城市低保标准的1.3倍确定，为N元 is no 城市低保 figure (wording.base_only)
        cands = [c for c in cands if c.figure is not None] or [
            # 二、发放标准。80—89周岁…每人每月100元 under a title naming 高龄津贴: the sentence says
            # its figures without naming what they are of; its heading and title do
            c for c in candidates(ex, analysis, pool, weights, total_w, with_context=True) if c.figure is not None]
        cands = [c for c in cands if not (c.quantity and _base_only(ex, analysis, c))]
    doc = ex.doc_texts
    if analysis.intent == "amount" and asks_standard(analysis.normalized):
        # a standard question is never answered with a spending total
        # (每月30元的高龄倾斜津贴: an amount per month the facts layer reads as no total is a level too)
        cands = [c for c in cands if (standard_words().search(doc[c.chunk.source][c.clause_start:c.clause_end])
                                      or _periodic_level(ex, c))
                 and not (c.quantity and c.quantity.multiplier in ("万", "亿"))]
    if not figure_asked and cands and asked_dimension(analysis) == "figure" and \
            not of_dimension(doc[cands[0].chunk.source][cands[0].start:cands[0].end], "figure"):
        cands = _unit_free(ex, analysis, pool, weights, total_w)
    if (figure_asked or analysis.asked.kind == "contact") and analysis.places:
        # a phone line is a place's own as a figure is (托克逊县民政局…电话: never 高昌区's)
        cands = of_place_asked(ex, analysis, cands)
    if not figure_asked:  # a passage question no passage answered: a sentence saying what is asked, or none
        cands = saying_focus(ex, analysis, cands)
    if not cands:
        return refuse(ex, analysis, f"资料中没有{'、'.join(analysis.regions)}{topic}的具体"
                                   f"{'数据' if figure_asked else '内容'}。"
                                   f"现有资料涉及：{ex.corpus.coverage_note}。")
    cands = of_part_asked(analysis.normalized, cands, doc)  # 9月份… for 9月 asked
    cands = to_item(analysis.normalized, cands, doc)  # 中厅 asked of 小厅…，中厅…: its own figure
    best = cands[0]
    if not figure_asked and (best.coverage < MIN_COVERAGE or best.coverage < RAREST_COVERAGE and not names_a_rarest(
            weights, doc[best.chunk.source][best.start:best.end], ex.contains)):
        # a sentence this weak is about another topic (passages.MIN_COVERAGE; focus.names_a_rarest)
        return refuse(ex, analysis, f"资料中没有{'、'.join(analysis.regions)}{topic}的相关内容。"
                                   f"现有资料涉及：{ex.corpus.coverage_note}。")
    if best.coverage < 0.5 and figure_asked:
        # what a figure sentence is about may be said only by the document's title, the heading
        # above it or its opening (《关于调整居民用管道天然气销售价格的通知》… / …的用户，仍然按照每立方米
        # 2.70元执行): read with them, a sentence saying the rest of the question answers
        # (a generic measure asked — 比例, 人数: vocabulary facts.selection.generic_measures — is said by
        # the figure's unit, 按75%救助, and counts for nothing here)
        generic = dict(fact_words().selection).get("generic_measures", ())
        w = {t: v for t, v in weights.items() if t not in generic} or weights
        framed = [c for c in candidates(ex, analysis, pool, w, sum(w.values()), with_context=True, with_lead=True)
                  if c.figure is not None and c.coverage >= 0.75]
        if not framed or framed[0].coverage < 0.75:
            return refuse(ex, analysis, f"资料中没有{'、'.join(analysis.regions)}{topic}的具体数据。")
        best = framed[0]
        cands = framed
    rarest = max(weights, key=weights.get) if figure_asked and not analysis.places and len(weights) > 1 else None
    if rarest and alternative_unsaid(rarest, doc[best.chunk.source], (best.start, best.end), ex.contains,
                                     [c.text for c in pool if c.source != best.chunk.source]):
        # 选择海葬的奖补是多少: another place's reward for 骨灰撒散、树葬、花坛葬 is no figure of 海葬
        return refuse(ex, analysis, f"资料中没有关于“{rarest}”的具体数据。")
    picks = [best]
    if (not analysis.places or len(analysis.places) > 1) and figure_asked:
        # one answer per region when the question names none: the best, and per other region
        # a figure whose sentence says everything the best one's says of the question (取暖补助
        # answered in one report: another report's 冬春救助 figure without 取暖 is not it)
        said = ex.terms_in(doc[best.chunk.source][best.start:best.end], weights)
        by_region: dict[str, Candidate] = {best.chunk.meta.get("city") or "": best}
        for c in cands:
            region = c.chunk.meta.get("city") or ""
            if region not in by_region and c.coverage >= max(0.6, best.coverage - 0.2) \
                    and said <= ex.terms_in(doc[c.chunk.source][c.start:c.end], weights):
                by_region[region] = c
        picks = list(by_region.values())[: ex.max_regions]
    sides = analysis.sides
    if sides and figure_asked:
        picks = _each_side(ex, sides, picks, cands)
        if picks is None:
            return refuse(ex, analysis, f"资料中没有同时说到{'和'.join(''.join(s) for s in sides)}的数字，无法比较。")
    return render(ex, analysis, picks)


def _each_side(ex, sides: tuple[tuple[str, ...], ...], picks: list[Candidate],
               cands: list[Candidate]) -> list[Candidate] | None:
    """The picks, with for each compared side the best candidate whose sentence names it; None when
    a side has none: a comparison answered with one side's figure would answer no comparison."""
    doc = ex.doc_texts

    def names(c: Candidate, side: tuple[str, ...]) -> bool:
        return side_named(side, doc[c.chunk.source][c.start:c.end], ex.contains)

    def unit(c: Candidate) -> str | None:
        return c.quantity.unit if c.quantity is not None else None

    out = list(picks)
    for side in sides:
        if any(names(c, side) for c in out):
            continue
        named = [c for c in cands if c.figure is not None and names(c, side)]
        found = next((c for c in named if unit(c) == unit(out[0])), None) or next(
            (f for c in named if (f := _in_unit(doc[c.chunk.source], c, unit(out[0]))) is not None), None)
        if found is None:
            return None
        out.append(found)
    return out


def _in_unit(text: str, c: Candidate, unit: str | None) -> Candidate | None:
    """Candidate ``c`` read at its sentence's figure in ``unit`` (举办两场专场招聘会，实现就业85名 beside
    帮助16名: 85名, the sentence whole from its start), or None when it says none."""
    q = next((q for q in quantities(text[c.start:c.end]) if unit and q.unit == unit), None)
    if q is None:
        return None
    q = replace(q, start=q.start + c.start, end=q.end + c.start)
    return replace(c, clause_start=c.start, clause_end=c.end, figure=q.text, quantity=q)
