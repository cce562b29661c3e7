"""The composing stage: answer text and citations from the picked spans, led by the region and
followed by its period; every answer passes the grounding check and the invariants
(answer.invariants) before it leaves, else it becomes a refusal that says what could not be
verified. Entry points: :func:`render`, :func:`finish`, :func:`refuse`."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ingest.document import Chunk
from ingest.english_places import places_spelled

from ..types import Answer, Citation
from ..vocabulary import fact_words, filler
from .asked import side_named
from .invariants import body, violations
from .named import (BEFORE_CHARS, figures_short, institution_unnamed, level_unsaid, month_unsaid, months_asked,
                    quarter_names, quarter_unsaid, quarters_said)
from .narrower import only_narrower
from .pairs import COMPARED, EACH, JOIN, run_of_terms
from .wider import WIDER_LEVEL, level_asked, of_parent, only_wider
from .corpus import most_specific
from .figures import numbers, phone_numbers, quantities
from .focus import answers_other, asked_focus
from .selection import period_note, year_unsaid
from .spans import extend_sentence, lead_with_region, section_heading, whole_list
from .wording import FIGURE, asked_figure, asks_standard, benefit_terms, respectively, respectively_about

if TYPE_CHECKING:  # pragma: no cover
    from ..query import QueryAnalysis
    from .candidates import Candidate


_QUOTED_SIDE = re.compile(r"[“\"]([^”\"，,。？?]{1,10})[”\"]")
# two days a question asks of (7月25日…此前7月21日那次呢), unless it spans from one to the other
_DAY = re.compile(r"(?<!\d)\d{1,2}月\d{1,2}日")
_DAY_RANGE = re.compile(r"\s*(?:[至到~～—–-]|一直到)")
NO_REGION = "资料未注明地区"  # the label of a source that states neither its region nor its year

# -- output ------------------------------------------------------------------
def citation(ex, marker: int, chunk: Chunk, start: int, end: int, score: float = 0.0) -> Citation:
    text = ex.documents[chunk.source]["text"][start:end]
    m = chunk.meta
    return Citation(marker=marker, source=chunk.source, title=m.get("title") or "", city=m.get("city"),
                    year=m.get("year"), text=text, start=start, end=end, score=round(score, 4))

def render(ex, analysis: QueryAnalysis, picks: list[Candidate]) -> Answer:
    if len(picks) > 1 and unread_names(ex, analysis):
        # How many … did Huangpu add: a name the glossary cannot read is a place asked; one line
        # per other region would answer for places nobody asked about
        names = "、".join(unread_names(ex, analysis))
        return refuse(ex, analysis, f"资料中没有能确定为“{names}”的内容。")
    citations = []
    lines = []
    for n, c in enumerate(picks, 1):
        doc_text = ex.documents[c.chunk.source]["text"]
        # a phone line asked and held is its own answer, never read on into the next (another county's)
        held = analysis.asked.kind == "contact" and bool(phone_numbers(doc_text[c.start:c.end]))
        if analysis.intent in ("procedure", "general") and not held:
            end = extend_sentence(doc_text, c, asked_dimension(analysis) is None)
            if end > c.end and answers_other(asked_focus(analysis.normalized, analysis.terms), doc_text[c.end:end]):
                end = c.end  # the next sentence answers another question (an office's filing list: answer.focus)
            c.clause_start, c.clause_end = c.start, end
            c.clause_start, c.clause_end = whole_list(doc_text, c.clause_start, c.clause_end)
            c.start, c.end = min(c.start, c.clause_start), max(c.end, c.clause_end)
        claim = doc_text[c.clause_start:c.clause_end].strip("，,；;。 ")
        if respectively_about(claim, analysis.normalized):
            claim += respectively(claim, analysis.normalized)
        region = c.chunk.meta.get("city") or ""
        period = c.chunk.meta.get("period") or (f"{c.chunk.meta.get('year')}年" if c.chunk.meta.get("year") else "")
        claim = lead_with_region(claim, region)
        citations.append(citation(ex, n, c.chunk, min(c.start, c.clause_start), max(c.end, c.clause_end), c.score))
        label = "，".join(x for x in (region, period) if x) or NO_REGION
        lines.append(f"{claim}[{n}]（{label}）")
    if len(lines) == 1:
        text = lines[0] + "。"
    else:
        text = "各地资料中的相关内容如下（各报告年份不同，请注意年份）：\n" + "\n".join(f"- {ln}" for ln in lines)
    return finish(ex, analysis, text, citations, answerable=True)


_SENTENCE_END = "。；;！？"


def comparison_result(sides: tuple[tuple[str, ...], ...], texts: list[str], contains) -> str | None:
    """The result of a two-sided comparison (A和B，哪个…多) in the cited figures' own words:
    招聘会（60名）多于工坊（12名）. No computed figure: every figure of an answer is in a cited span.
    None unless each side's sentences hold exactly one figure of the one unit both sides share,
    neither a lower bound nor a range."""
    if len(sides) != 2:
        return None
    found = []
    for side in sides:  # the figures of the cited sentences that name the side
        own = []
        for text in texts:
            for q in quantities(text):
                left = max(text.rfind(p, 0, q.start) for p in _SENTENCE_END) + 1
                ends = [i for i in (text.find(p, q.end) for p in _SENTENCE_END) if i >= 0]
                if q.dimension != "date" and side_named(side, text[left:min(ends, default=len(text))], contains):
                    own.append(q)
        found.append(own)
    units = {q.unit for q in found[0]} & {q.unit for q in found[1]}
    by_side = [[q for q in own if q.unit in units] for own in found]
    if len(units) != 1 or any(len(own) != 1 for own in by_side):
        return None
    (qa,), (qb,) = by_side
    if qa.approx or qb.approx or qa.upper is not None or qb.upper is not None or qa.text == qb.text and qa.start == qb.start:
        return None
    a, b = "".join(sides[0]), "".join(sides[1])
    more, less = ("高于", "低于") if qa.dimension in ("money", "rate") else ("多于", "少于")
    if qa.value == qb.value:
        return f"{a}（{qa.text}）与{b}（{qb.text}）相同"
    return f"{a}（{qa.text}）{more if qa.value > qb.value else less}{b}（{qb.text}）"

def finish(ex, analysis: QueryAnalysis, text: str, citations: list[Citation], answerable: bool,
            dimension: str | None = "asked", headers: str = "") -> Answer:
    """The answer, once grounding (figures and places in cited spans) and the invariants
    (answer.invariants) hold; otherwise a refusal that says what could not be verified.
    ``headers``: the column headers of the cited table cells (较上年城市低保提高（元）), which say
    what a row's figures are of, as the cited rows themselves do not."""
    if answerable:  # A和B，哪个多: the result said, in the cited figures' words
        said = comparison_result(analysis.sides, [c.text for c in citations],
                                 ex.contains)
        text += f"\n比较：{said}。" if said else ""
    ok, problems = ex.check_grounding(text, citations, ex.corpus.cities)
    if dimension == "asked":
        dimension = asked_dimension(analysis)
    narrowing = fact_words().must_cite
    # the cited documents, where a narrowing word may be part of a longer word (服务网上): read
    # only when the question says such a word
    context = "\n".join(ex.doc_texts.get(s, "") for s in dict.fromkeys(c.source for c in citations)) \
        if any(w in analysis.normalized for w, _ in narrowing) else ""
    # 多长时间 / 多久 asked in words: a cited span says a duration (15个工作日, 当场) or a frequency (每季度)
    timed = (*dict(fact_words().shape_marks).get("frequency", ()), *dict(fact_words().selection).get(
        "duration_said", ())) if analysis.asked.kind == "duration" else None
    # 什么时候 asked in words: a cited span says a date, a time of day or a time in words (年底前, 次月)
    dated = (*dict(fact_words().shape_marks).get("frequency", ()), *dict(fact_words().selection).get(
        "when_said", ())) if analysis.asked.kind == "when" and dimension is None else None
    problems += violations(text, answerable, citations, dimension, question=analysis.normalized,
                           must_cite=narrowing, context=context, durations=timed, headers=headers, dates=dated)
    if problems:  # never show a figure we cannot point at, nor an answer without its source
        return refuse(ex, analysis, "资料中没有能够核实的答案。（" + "；".join(problems) + "）")
    figure = dimension is not None or asked_dimension(analysis) is not None  # a table cell passes None
    other = year_unsaid(analysis.years, _cited_years(ex, citations)) if answerable and figure else None
    if other:  # 2023年 asked, a span of 2021年 cited: another year's figure is no answer
        asked = "、".join(f"{y}年" for y in analysis.years)
        return refuse(ex, analysis, f"资料中没有{asked}的相关数字（所引原文说的是{other}的）。")
    near = _near_miss(ex, analysis, text, citations, figure) if answerable else None
    if near:  # another month, another institution of the kind asked, one of two figures asked
        return refuse(ex, analysis, near)
    unnamed = _sides_missing(ex, analysis, citations, headers) if answerable else ""
    if unnamed:
        # 甲街道和乙街道，哪个建成的食堂多: one side found is said as such, never compared as if whole
        return Answer(question=analysis.question, answerable=False, citations=citations, answerer=ex.name,
                      answer=f"资料中没有{unnamed}的相关内容，只找到：\n{text}")
    wider = only_wider(analysis, citations) if answerable else None
    if wider is not None:  # a county asked, only its city's figure cited: said outright, never silently substituted
        return _of_wider(ex, analysis, text, citations, figure, *wider)
    # a level a place sets (a benefit, a standard) is the asked place's or none; a figure of an
    # event told of a district (那个男子花了多少钱) is no level of the wider place
    level = answerable and figure and (asks_standard(analysis.normalized) or bool(benefit_terms(analysis.normalized)[0]))
    inside = only_narrower(analysis, citations) if level else None
    if inside is not None:  # a province asked, only a city of it cited: no figure of the province
        asked, regions = inside
        return Answer(question=analysis.question, answerable=False, citations=citations, answerer=ex.name,
                      answer=f"资料中没有{asked}的数据；以下是其所辖{regions}的资料（不是{asked}的）：\n{text}")
    if answerable and _one_side_of_difference(analysis, text, citations):
        # 琼海市城市特困标准比农村高多少, only the rural cell cited: one side, said as such, never as the answer
        return Answer(question=analysis.question, answerable=False, citations=citations, answerer=ex.name,
                      answer=f"资料中只找到其中一方的数字，无法算出相差多少：\n{text}")
    missing = _parts_missing(analysis, citations) if answerable else ""
    if missing:
        # 成都和泉州哪个高 / 2016年和2021年分别是多少, one part found: said, never compared or summed
        # as if whole; not ``answerable`` (the documents answer only part of the question)
        return Answer(question=analysis.question, answerable=False, citations=citations, answerer=ex.name,
                      answer=f"资料中没有{missing}的相关内容，只找到：\n{text}")
    if answerable and dimension == "money":
        note = period_note(analysis.normalized, " ".join(c.text for c in citations))
        if note:  # 每年多少 asked, 每人每月950元 cited: said, never silently a yearly figure
            text = f"{note}\n{text}"
    return Answer(question=analysis.question, answer=text, answerable=answerable, citations=citations,
                  answerer=ex.name)


def _near_miss(ex, analysis: QueryAnalysis, text: str, citations: list[Citation], figure: bool) -> str | None:
    """The refusal for an answer about something next to what was asked (answer.named): another
    month, one of two figures asked, another level (国家级 / 市级), another institution of the kind."""
    q = analysis.normalized
    if figure:
        before = [ex.doc_texts.get(c.source, "")[max(0, c.start - BEFORE_CHARS):c.start] for c in citations]
        month = month_unsaid(q, zip([c.text for c in citations], before))
        if month:
            asked = "、".join(f"{m}月" for m in sorted(months_asked(q)))
            return f"资料中没有{asked}的相关数字（所引原文说的是{month}的）。"
        quarter = quarter_unsaid(q, zip([c.text for c in citations], before))
        if quarter:  # 第二季度 asked, a span of 第三季度 cited
            return f"资料中没有{quarter_names(quarters_said(q))}的相关数字（所引原文说的是{quarter}的）。"
        short = figures_short(q, body(text), asked_dimension(analysis))
        if short:
            return f"问题问了{short}个数字，资料中没有找到全部，不作猜测。"
    level = level_unsaid(q, "".join(c.text for c in citations))
    if level:
        return f"资料中没有{level[0]}的相关内容（所引原文说的是{level[1]}的）。"
    docs = "\n".join(ex.doc_texts.get(s, "") for s in dict.fromkeys(c.source for c in citations))
    other = institution_unnamed(q, docs)
    if other:
        return f"资料中没有{other[0]}的相关内容（所引资料说的是{other[1]}）。"
    return None


def _cited_years(ex, citations: list[Citation]) -> list[tuple[str, int | None, str]]:
    """(span, document year, its section's heading and its paragraph's text before it, at most 2000
    characters) per citation: 三、2026年工作计划 says the year of the plan's figures in a 2025 summary."""
    out = []
    for c in citations:
        text = ex.doc_texts.get(c.source, "")
        start = max(text.rfind("\n", 0, c.start) + 1, c.start - 2000)
        out.append((c.text, c.year, f"{section_heading(text, start)} {text[start:c.start]}"))
    return out



def _of_wider(ex, analysis: QueryAnalysis, text: str, citations: list[Citation], figure: bool, asked: str,
              regions: str) -> Answer:
    """The answer when the place ``asked`` is only answered by the wider ``regions`` cited."""
    if "平均" in " ".join(c.text for c in citations):  # a wider region's average is no figure of the place
        return refuse(ex, analysis, f"资料中没有{asked}的数据（所找到的是{regions}的平均数）。")
    if level_asked(analysis, figure) and of_parent(analysis, citations):
        # a level the wider region sets (its 低保标准, its 补贴标准) is the one its places apply unless
        # a document lists the place apart (a county table says so first: answer.table_answers):
        # an answer, said to be the wider region's
        return Answer(question=analysis.question, answerable=True, citations=citations, answerer=ex.name,
                      answer=f"资料中没有{asked}单列的{WIDER_LEVEL}{regions}的标准（{asked}属{regions}）：\n{text}")
    person = any(w in analysis.normalized for w in dict(fact_words().selection).get("person_asked", ()))
    if asked_dimension(analysis) is None and analysis.intent not in FIGURE and not person:
        # a rule, measure or procedure (怎么做 / 哪些措施 / 有何规定) of the wider region holds in
        # the place asked too (a national notice binds every province, a province's every city):
        # an answer, said to be the wider region's. A figure of the wider region (its standard, its
        # count) is no figure of the place: that stays what the documents do not answer, below;
        # nor is the person who did a thing there (是谁颁发: vocabulary selection.person_asked).
        return Answer(question=analysis.question, answerable=True, citations=citations, answerer=ex.name,
                      answer=f"资料中没有{asked}单列的规定；以下是{regions}的规定：\n{text}")
    # a count, a total of the wider region is no figure of the place: not ``answerable`` (an
    # evaluation counts it as the refusal it is, drafting builds no reply on it); the wider
    # region's figure is shown with its citations as what the documents do say
    return Answer(question=analysis.question, answerable=False, citations=citations, answerer=ex.name,
                  answer=f"资料中没有{asked}单列的数据；以下是{regions}的资料（不是{asked}单列的）：\n{text}")

def asked_dimension(analysis: QueryAnalysis) -> str | None:
    """The dimension of figure (answer.figures) a cited span must hold for ``analysis``: a
    多少/几 question about money, people, a rate asks that figure; 最多给多少 with no unit word
    asked still a figure, of whatever unit but a date (never a list of materials, nor the day
    something happened: answer.figures ``"figure"``); None otherwise."""
    asked = analysis.asked
    if asked.figure_free:
        return None  # 几个月发一次 / 带什么材料: asked in words
    kind = asked.kind
    if kind == "ordinal":  # 第几年: a place in a series (第七年)
        return "ordinal"
    if kind == "cap":  # 最高不超过多少 / the maximum payment: a cap is a figure, asked with 多少 or not
        return "figure"
    rest = analysis.normalized
    for w in asked.words:  # 多大年龄 / 几岁: the kind's own words ask no other figure
        rest = rest.replace(w, "")
    if kind in ("age", "duration", "when") and re.search(r"多少|几", rest):
        return "figure"  # 有多少孩子参加？多大年龄？: the 多少 beside the kind still asks a figure
    # 哪几个部门 asks which ones, not how many (answer.passages.asks_passage)
    asks = re.search(r"多少|(?<!哪)几", analysis.normalized) and kind in (None, "cap", "multiple")
    return ((asked_figure(analysis) or "figure") if kind is None else "figure") if asks else None


def refuse(ex, analysis: QueryAnalysis, message: str) -> Answer:
    if violations(message, False, [], filler=filler()):  # a refusal never names a filler word as the topic
        message = f"资料中没有相关内容。现有资料涉及：{ex.corpus.coverage_note}。"
    unmapped = [t for t in analysis.terms if t.isascii() and t.isalpha() and not ex.corpus.known(t)]
    if analysis.english and unmapped:
        # English words the vocabulary (section english) does not map, said as such: a place or a
        # benefit may well be in the documents under its Chinese name
        several = {t: places_spelled(t) for t in unmapped if len(places_spelled(t)) > 1}
        if several:  # Huangpu: 上海市黄浦区 or 广州市黄埔区, and the question does not say which
            said = "；".join(f"“{t}”可指{'、'.join(p.region for p in ps[:4])}" for t, ps in several.items())
            message += (f"（{said}，请写明所在省市或用中文地名再问一次。{', '.join(several)}: "
                        f"several places have this name, please name the province or city.）")
            unmapped = [t for t in unmapped if t not in several]
        if unmapped:
            message += (f"（问题中的英文词“{'、'.join(unmapped)}”无法对应到资料中的中文用语，could not map: "
                        f"{', '.join(unmapped)}；请用中文地名或用语再问一次。）")
    return Answer(question=analysis.question, answer=message, answerable=False, citations=[],
                  answerer=ex.name)

_NAME = re.compile(r"(?<=\s)[A-Z][a-z]+(?:'s)?")  # a capitalised word after the first: a name


def unread_names(ex, analysis: QueryAnalysis) -> list[str]:
    """The names (capitalised words after the first) of an English question that the glossary
    (vocabulary section english) left unread and no document uses: Huangpu in How many … did
    Huangpu add. [] for a Chinese question or when the question names a place it can read."""
    if not analysis.english or analysis.places:
        return []
    said = {w.removesuffix("'s").lower(): w.removesuffix("'s") for w in _NAME.findall(analysis.question)}
    return [said[t] for t in analysis.terms if t in said and not ex.corpus.known(t)]


def _sides_missing(ex, analysis: QueryAnalysis, citations: list[Citation], headers: str = "") -> str:
    """The side of a question asking about two named things joined by 和/与 (甲街道和乙街道，哪个…多 /
    …分别…) that no cited span (nor a cited cell's column header) names, when they are no places of the gazetteer (those are
    :func:`_parts_missing`'s); "" when both are cited or the question joins no two names. Sides the
    question quotes (评为“优”的和评为“良”的各有几件) are those sides, whatever words surround them."""
    q = analysis.normalized
    if not COMPARED.search(q):
        return ""  # 金融机构及涉外企业可以通过哪个网站: the two are who asks, not what is compared
    cited = "".join(c.text for c in citations) + headers  # a cited cell's column header names its side (调整前)
    quoted = list(dict.fromkeys(_QUOTED_SIDE.findall(q)))  # 评为“优”的和评为“良”的各有几件: the sides as quoted
    if len(quoted) >= 2 and JOIN.search(q, q.find(quoted[0]), q.rfind(quoted[-1])):
        return "、".join(f"“{w}”" for w in quoted if w not in cited)
    places = {n for p in analysis.places for n in (p.name, p.short) if n}
    terms = [t for t in analysis.terms if not EACH.search(t)]  # 各建成 / 分别: no side's word
    for m in JOIN.finditer(q):
        left, right = run_of_terms(q, terms, m.start(), -1), run_of_terms(q, terms, m.end(), 1)
        if len("".join(left)) < 2 or len("".join(right)) < 2 or \
                any(t in p or p in t for t in left + right for p in places):
            continue
        if q[m.start() - len("".join(left)):m.end() + len("".join(right))] in cited:
            continue  # 工业和信息化部: one name the cited text says whole
        def said(t: str) -> bool:  # 免保教费 is said by 免除保教费: most of its two-character pieces
            pieces = [t[i:i + 2] for i in range(len(t) - 1)]
            return ex.contains(cited, t) or len(t) >= 3 and 2 * sum(p in cited for p in pieces) >= len(pieces)

        # a side is named by its own words (万安 of 万安街道; 街道 is both sides')
        return "、".join("".join(x) for x, other in ((left, right), (right, left))
                        if not all(said(t) for t in x if t not in other))
    return ""


def _one_side_of_difference(analysis: QueryAnalysis, text: str, citations: list[Citation]) -> bool:
    """The question asks how much one figure exceeds another (vocabulary ``difference_asked``), the
    answer holds one figure of its unit, and no cited span states a difference (``difference_said``)."""
    words, q = dict(fact_words().selection), analysis.normalized
    # 比农村高多少 / 相差多少; not 最高多少 (a cap), not 提高多少 (a change one span states)
    if not ("比" in q or "差" in q) or not any(re.search(rf"(?<![最提增涨降]){re.escape(w)}", q)
                                              for w in words.get("difference_asked", ())):
        return False
    said = quantities(body(text))
    figures = [x for x in said if x.dimension not in ("date", "age")]
    if figures and len([x for x in figures if x.unit == figures[0].unit]) >= 2:
        return False
    dated = {x.number for x in said if x.dimension in ("date", "age")}
    if not figures and len([n for n in numbers(body(text)) if n not in dated]) != 1:
        return False  # a table cell's figure has no unit (…标准为923（海南省，2026年，表格）)
    return not any(w in c.text for c in citations for w in words.get("difference_said", ()))


def _parts_missing(analysis: QueryAnalysis, citations: list[Citation]) -> str:
    """The places or years of a question asking about several (成都和泉州, 2016年和2021年) that no
    citation is about (its region, its year, or named in its span); "" when every part is cited,
    one part is asked, or the cited spans hold a figure for each year asked (由950元提高到1000元
    answers 2024年比2023年). Places count as parts only when the question joins them (和/与/、) or
    asks each (分别/各/哪): 济宁朝阳助学 names a project, not two places. Two days asked
    (7月25日…此前7月21日那次呢) are parts each cited span must name, unless one runs to the other
    (7月1日至7月31日)."""
    q = analysis.normalized
    places = most_specific(analysis.places)
    out = []
    if len(places) >= 2 and _joined(q, places):
        for p in places:
            names = [n for n in (p.name, p.short) if n and len(n) >= 2]
            if not any(any(n in (c.city or "") or n in c.text for n in names) for c in citations):
                out.append(p.name)
    days = list(dict.fromkeys(m.group(0) for m in _DAY.finditer(q)))
    if len(days) >= 2 and not any(_DAY_RANGE.match(q, m.end()) for m in _DAY.finditer(q)):
        out += [d for d in days if not any(d in c.text for c in citations)]
    years = list(dict.fromkeys(analysis.years))
    figures = {x.text for c in citations for x in quantities(c.text) if x.dimension not in ("date", "age")}
    if len(years) >= 2 and len(figures) < len(years):
        out += [f"{y}年" for y in years if not any(c.year == y or f"{y}年" in c.text for c in citations)]
    return "、".join(out)


def _joined(q: str, places) -> bool:
    if EACH.search(q):
        return True
    at = sorted((i, i + len(n)) for p in places for n in (p.name, p.short) if n and (i := q.find(n)) >= 0)
    return len(at) >= 2 and bool(JOIN.search(q, at[0][1], at[-1][0] + 1))
