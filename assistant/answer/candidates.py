"""The candidates stage: every sentence of the retrieved chunks that holds some of the question's
words, scored on those words (IDF-weighted), the figure of the kind asked in its best clause,
qualifiers, measure, period and rank. Entry point: :func:`candidates`."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from index.tokenize import word_tags
from ingest.chunking import split_sentences
from ingest.document import Chunk
from ingest.places import find_places
from ingest.text import HAN_CHAR

from ..benefits import load_vocabulary
from ..vocabulary import domain_words, fact_words, qualifier_words
from .figures import HUNDRED_YEARS, PER_HEAD, Quantity, fold, is_article, of_dimension, phone_numbers, quantities
from .injection import INJECTION
from .selection import asked_units, counted_noun, counts_asked, figures_asked, measure_terms, suffixed, unit_agrees
from .spans import (CLAUSE, DOC_QUESTION, clause_at, HEADING, MAX_REPLY_CHARS, extend_to_next_figure,
                    heading_before, replied_question, reply_after, run_before, said_phone, section_heading)
from .wording import (DOC_LEAD_CHARS, eligibility, asked_figure, asks_measures, asks_standard, benefit_terms,
                      narrowing_held, asked_level_unsaid, other_level_said, qualifier_conflict, qualifier_items,
                      qualifier_missing, standard_words, total_after, total_words, without_places)

if TYPE_CHECKING:  # pragma: no cover
    from ..query import QueryAnalysis


_YEAR_AGAINST = re.compile(r"(?:19|20)\d\d\s*年?\s*比\s*(?:19|20)\d\d")  # 2024年比2023年: the first is asked of


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
    read_start: int | None = None  # where the text the clause is read with starts (a part's whole: 其中…)


@dataclass(frozen=True)
class _Wanted:
    """What the question asks of a candidate's figure, worked out once per question."""
    fig: str | None  # the dimension asked (money, count, rate) or None
    q: str  # the question, its places blanked (聊城市 asks no 城市 figure)
    wants_standard: bool
    asked: tuple[str, ...]  # words of the benefit families the question names
    others: tuple[str, ...]  # words of every other family
    contact: bool
    units: tuple[str, ...]  # 多少人 is answered by a figure in 人 (名, 位), never 500次
    noun: str | None  # 多少名孩子: the thing counted
    banded: bool  # an age, care level or grade picked
    measure: tuple[str, ...]  # 取暖补助是多少: the words the figure's own clause must say
    asks_total: bool
    age: float | None = None  # 99岁的老人有多少名: the age of the group counted
    suffixed: str | None = None  # 劝和率是多少: the measure head a suffix closes (selection.suffixed)
    levels: tuple[tuple[str, str], ...] = ()  # 半护理的…百分之多少: the care level / grade / provision asked
    places: frozenset[str] = frozenset()  # the places asked and the places containing them


def _wanted(analysis: QueryAnalysis, weights: dict[str, float], figure: str | None = None) -> _Wanted:
    fig = figure or asked_figure(analysis)
    q = analysis.normalized
    asked, others = benefit_terms(q)
    picked = analysis.asked
    noun = counted_noun(q) if fig == "count" else None
    measure = tuple(measure_terms(q, analysis.terms)) if fig is not None else ()
    if noun and noun in analysis.terms and noun not in measure:
        measure += (noun,)  # 暑托班有多少个名额: 名额 heads what is counted, not 暑托班 before the asking word
    return _Wanted(fig, without_places(q, analysis.places), asks_standard(q), asked, others, picked.kind == "contact",
                   asked_units(q) if fig == "count" else (), noun,
                   picked.age is not None or bool(picked.care_level or picked.grade or picked.provision),
                   measure,
                   fig == "money" and any(w in q for w in dict(fact_words().asked).get("total", ())),
                   picked.age, suffixed(measure), picked.levels, frozenset(n for p in analysis.places for n in p.chain))


def candidates(ex, analysis: QueryAnalysis, pool: list[Chunk], weights: dict[str, float],
               total_w: float, with_context: bool = False, with_lead: bool = False,
               figure: str | None = None) -> list[Candidate]:
    """Every sentence of the first chunks holding some of the question's words, scored;
    ``with_context``: its words are looked for in its line before (a heading) and the
    document title too; ``with_lead``: in the document's opening too (a news item's first
    sentence says what it is about: 济南市发布《关于调整居民用管道天然气销售价格的通知》); ``figure``: the
    dimension of figure sought when the question's words name none (answer.figures "figure")."""
    out: list[Candidate] = []
    want = _wanted(analysis, weights, figure)
    for rank, chunk in enumerate(pool[:8]):
        text = ex.doc_texts.get(chunk.source, "")
        planted = INJECTION.search(chunk.text)
        for s, e in split_sentences(chunk.text, chunk.start):
            if planted and e > chunk.start + planted.start():
                break  # text that talks to a model (忽略以上指令…) and what follows it is never quoted
            sent = text[s:e]
            if HEADING.match(sent):
                continue  # 一、适用对象 / 七、咨询电话: a heading announces, it answers nothing
            about = replied_question(text, s) + sent  # a FAQ's 答 is about its 问 (maybe in another chunk)
            if with_context or with_lead or want.contact:
                # a phone line is about its heading (七、咨询电话) and the document's title
                about = " ".join((about, heading_before(text, s), chunk.meta.get("title") or ""))
            if with_lead:
                about += " " + text[:DOC_LEAD_CHARS]
            cov = sum(w for t, w in weights.items() if ex.contains(about, t)) / total_w
            run, run_start = run_before(text, s)
            if run:
                # 截至3月底，全国共有城市低保对象…；农村低保对象…5160.2万人: a part after ； goes on with
                # what the sentence's earlier parts say (when, where, of what); their words count half
                cov += 0.5 * sum(w for t, w in weights.items() if not ex.contains(about, t)
                                 and ex.contains(run, t)) / total_w
            if cov == 0:
                continue
            if DOC_QUESTION.search(sent):
                # a document's own question (问：…？) is answered by the 答 that follows it
                reply = reply_after(text, e)
                if reply is None or want.fig is not None and not of_dimension(text[reply[0]:reply[1]], want.fig):
                    continue
                s, e = reply
            if want.contact and not phone_numbers(text[s:e], local=said_phone(text, s, e)):
                continue  # 咨询电话是多少: only a sentence with a phone number answers it
            score = cov / (1 + 0.15 * rank)
            if analysis.intent == "procedure" and eligibility().search(sent):
                score *= 1.5
            scored = _scored(ex, analysis, want, chunk, text, sent, (s, e), score, weights, total_w,
                             run_start if run and text[s - 1] == "。" else None)
            if scored is not None:
                (s, e), clause, score, quantity, read_from = scored
                out.append(Candidate(chunk, rank, s, e, clause[0], clause[1], score, cov,
                                     quantity.text if quantity else None, quantity, read_start=read_from))
    if want.age is not None and want.fig in ("count", "figure"):
        out = _of_age(ex, out, want.age)
    if want.measure:
        if _unknown_noun(want.measure[-1], want.q):
            out = [c for c in out if c.quantity is None or _paragraph_says(ex, c, want.measure[-1])]
        out = _of_measure(ex, out, want.measure[-1])
    out.sort(key=lambda c: -c.score)
    return out


def _of_age(ex, cands: list[Candidate], age: float) -> list[Candidate]:
    """A count of a group of an age (60岁以上的老人有多少): of the figures, those whose own clause
    says that age alone answer (其中60岁以上的有391人; 还有44名99岁老人), before one whose clause says it
    beside another age (35名百岁和99岁的老人签订了协议: a wider group), before one saying no age at
    all (奖励10万元). With no clause saying the age the candidates stand."""
    def fit(c: Candidate) -> int:
        if c.quantity is None:
            return 0
        return age_fit(clause_at(ex.doc_texts[c.chunk.source], c.quantity.start), age)

    fits = {id(c): fit(c) for c in cands}
    top = max(fits.values(), default=0)
    return cands if top == 0 else [c for c in cands if c.quantity is None or fits[id(c)] == top]


def age_fit(clause: str, age: float) -> int:
    """3: ``clause`` says ``age`` itself (99岁, 80岁以上 for 80) and no other age; 2: a band holding it
    (70岁以上 for 80) and no other; 1: beside another age; 0: not at all."""
    bands = _ages_said(clause)
    held = [b for b in bands if (b[0] is None or age >= b[0]) and (b[1] is None or age <= b[1])]
    if not held:
        return 0
    if len(held) < len(bands):
        return 1
    return 3 if any(age in b for b in held) else 2


def _ages_said(clause: str) -> list[tuple[float | None, float | None]]:
    """The ages ``clause`` says, each as a band: 80–89岁 (80, 89), 60岁以上 (60, None), 99岁 (99, 99), 百岁 (100, None)."""
    out: list[tuple[float | None, float | None]] = [(100.0, None) for _ in HUNDRED_YEARS.finditer(clause)]
    for q in quantities(clause):
        if q.dimension != "age":
            continue
        after = clause[q.end:q.end + 3]
        out.append((q.value, q.upper) if q.upper is not None else (q.value, None) if "以上" in after
                   else (None, q.value) if "以下" in after else (q.value, q.value))
    return out


THING_TAGS = frozenset({"n", "nz", "nt", "ng", "vn", "j"})  # jieba tags of a word naming a thing


def _unknown_noun(term: str, question: str = "") -> bool:
    """``term`` names a particular thing (a noun by jieba's tag: 入住率, 餐厅, 项目) that the
    vocabulary does not know — no benefit, qualifier or domain word and no generic measure
    (比例, 人数: vocabulary facts.selection.generic_measures) — so only a figure said of it answers."""
    vocab = load_vocabulary()
    known = any(term in vocab.terms(f) for f in vocab.families) or term in qualifier_words() \
        or term in domain_words() or term in dict(fact_words().selection).get("generic_measures", ())
    if any(term.startswith(m) for m in dict(fact_words().selection).get("modals", ())):
        return False  # 能领, 可以领: a modal and its verb, which jieba may tag a noun
    at = question.rfind(term)
    if at >= 0 and any(m.start < at < m.end or m.start < at + len(term) < m.end
                       for m in vocab.mentions(question)):
        return False  # 敬老金发了多少: jieba's 金发 cuts through the vocabulary's 敬老金, no word of its own
    # a common noun (not a place or direction word such as 网上, nor a verb)
    return not known and len(term) >= 2 and bool(word_tags(term)) and word_tags(term)[-1] in THING_TAGS


def _paragraph_says(ex, c: Candidate, term: str) -> bool:
    """The paragraph of candidate ``c``'s figure (or its document's title) says ``term``: 入住率要达到多少
    is never answered by a rate of a paragraph that never speaks of 入住率."""
    text = ex.doc_texts[c.chunk.source]
    a = text.rfind("\n\n", 0, c.start) + 1
    b = text.find("\n\n", c.end)
    said = text[a:b if b >= 0 else len(text)] + "\n" + (c.chunk.meta.get("title") or "")
    # a compound ending in a generic piece is said by its stem too (护理费: 护理标准 speaks of 护理)
    return ex.contains(said, term) or (len(term) >= 3 and ex.contains(said, term[:-1]))


def _of_measure(ex, cands: list[Candidate], head: str) -> list[Candidate]:
    """When some figure's own clause says the word heading what is asked (入住率 of
    示范养老机构入住率要达到多少), a figure whose clause does not is never the answer (签订服务合同要达到100%)
    — though its sentence shares more of the question's other words. With no such clause they stand (比例 asked, 占…的4% said)."""
    def holds(c: Candidate) -> bool:
        start = c.clause_start if c.read_start is None else min(c.read_start, c.clause_start)
        return ex.contains(ex.doc_texts[c.chunk.source][start:c.clause_end], head)

    if not any(c.quantity is not None and holds(c) for c in cands):
        return cands
    return [c for c in cands if c.quantity is None or holds(c)]


def _scored(ex, analysis: QueryAnalysis, want: _Wanted, chunk: Chunk, text: str, sent: str,
            span: tuple[int, int], score: float, weights: dict[str, float], total_w: float,
            whole_from: int | None = None):
    """((start, end), clause, score, quantity) of one sentence for the figure asked, or None
    when its figure is not one that can answer (another qualifier, benefit, an addition);
    ``whole_from``: where the sentence a breakdown sentence breaks down starts (read with it)."""
    (s, e), quantity, q = span, None, want.q
    clause = (s, e)
    if want.fig is not None:
        clause, quantity, cscore, read_from = best_clause(ex, sent, s, want.fig, weights, total_w, want.wants_standard,
                                                          q, want.units, want.noun, chunk.source, want.age, want.suffixed,
                                                          want.levels, want.places)
        score *= 0.3 if quantity is None else 1 + cscore
        if quantity is not None and want.asks_total and (summed := total_after(text, quantity, e)) is not None:
            clause, quantity = (clause[0], summed.end), summed  # 每户发放…800元，共计147.36万元: the total asked
    else:
        read_from = clause[0]
    if whole_from is not None:
        read_from = min(read_from, whole_from)
    figure = quantity is not None
    if figure and want.wants_standard and want.fig == "money" and \
            ex.facts.kind(chunk.source, quantity.start) in ("difference", "total"):
        return None  # 低保标准是多少: 在…基础上每人每月增发200元 is an addition, not the standard
    ctext = text[read_from:clause[1]]  # a part (其中…) is read with its whole
    if figure and want.asks_total:
        if quantity.multiplier in ("万", "亿") or total_words().search(ctext):
            score *= 1.5  # 发了多少钱: the amount paid out, never a per-person level
        elif PER_HEAD.search(ctext):
            score *= 0.3
    # the year asked is said of this figure, not only of its report (of 2024年比2023年提高了多少: 2024, figure or not)
    against = _YEAR_AGAINST.search(analysis.normalized)
    if (figure or against) and analysis.years and any(f"{y}年" in sent for y in analysis.years[:1 if against else None]):
        score *= 1.2
    if figure and want.measure:
        score *= 0.5 + 0.5 * sum(1 for t in want.measure if ex.contains(ctext, t)) / len(want.measure)
        if not ex.contains(ctext, want.measure[-1]):
            # the word right before the asking word heads what is asked (示范养老机构入住率要达到多少:
            # 入住率; 签约了多少个: 签约); a clause without it states some other figure
            score *= 0.4
    # qualifier agreement: 农村 asked, only 城市 stated -> wrong figure
    if qualifier_conflict(q, ctext):
        if figure:
            return None  # a 城市 figure is never the answer to a 农村 question
        score *= 0.2
    head = section_heading(text, span[0])  # (counties' figures under 一、城市低保标准: its heading says 城市)
    said = sent if not head or qualifier_conflict(q, head) else f"{head} {sent}"
    if figure and (qualifier_missing(q, said) or asked_level_unsaid(analysis.asked, sent)):
        return None  # 农村 (分散供养) asked, the sentence does not say 农村 (or 城乡): not its figure
    if figure and want.asked and not any(t in sent for t in want.asked) and any(t in sent for t in want.others):
        return None  # 高龄津贴 asked, the sentence's figure is another benefit's (慈善购物卡 50元)
    if quantity is not None and analysis.units and quantity.unit in analysis.units:
        score *= 1.3  # 多少人 is answered by a figure in 人
    if figure and not want.banded and ex.facts.banded(chunk.source, quantity.start):
        # levels or age bands the question does not pick: every one of them (to the 。)
        stops = [i for i in (text.find("。", e - 1), text.find("\n", e - 1)) if i >= 0]
        e = min(min(stops, default=len(text)) + 1, s + MAX_REPLY_CHARS, len(text))
        clause = (s, e)
    elif figure and (analysis.multiple or asks_measures(analysis.normalized)):
        end = clause[1]
        for _ in range(max(1, figures_asked(q) - 1)):  # 共计…，其中入户…，电话…: each figure asked
            end = extend_to_next_figure(text, end, e)
        clause = (clause[0], end)
    return (s, e), clause, score, quantity, min(read_from, clause[0])


def stated_by(question: str, x: Quantity) -> bool:
    """The question states figure ``x`` itself (获得20家产业园区减免租的企业有多少家: 20家 says which
    parks, it is not how many firms): a figure the question gives is never its answer."""
    return bool(question) and fold(x.text) in fold(question)


def best_clause(ex, sent: str, offset: int, fig: str, weights: dict[str, float], total_w: float, wants_standard: bool,
                q: str = "", units: tuple[str, ...] = (), noun: str | None = None, source: str | None = None,
                age: float | None = None, head: str | None = None,
                levels: tuple = (), places: frozenset[str] = frozenset()) -> tuple[tuple[int, int], Quantity | None, float, int]:
    """The clause of ``sent`` that best answers, with its first figure of dimension ``fig``
    counted in one of ``units`` and counting ``noun`` when the question names them — never the
    old value X of 由X调整为Y when ``source`` (the document) is given: the facts layer reads X as
    Y's previous value, no fact of its own. A clause opening with a part word (vocabulary
    ``facts.selection.part_of``: 每年新增就业1.2万人，其中城镇每年新增2000人) is a part of the clause
    before it and is read with it; ``age``: a clause saying that age alone comes first; ``head``: a clause
    saying the measure asked before another figure's; ``places``: a clause naming only other places (泰山区…1170元 of
    a list by county, 肥城市 asked) counts less. Returns (span, figure, score, where its text starts)."""
    clauses = [piece for m in CLAUSE.finditer(sent) for piece in qualifier_items(q, sent, m.start(), m.end(), fig)]
    parts = dict(fact_words().selection).get("part_of", ())
    best: tuple[float, tuple[int, int], Quantity | None, int] = (-1.0, (offset, offset + len(sent)), None, offset)
    figures = {}
    for i, (cs, ce) in enumerate(clauses):
        ctext = sent[cs:ce]
        # 是一名大二学生: a Chinese 一 before a unit and its noun is "a", no count asked of it (一镇一家 is one)
        found = [x for x in of_dimension(ctext, fig) if unit_agrees(x, units) and counts_asked(ctext, x.end, noun)
                 and not (fig == "count" and is_article(x) and HAN_CHAR.match(ctext, x.end))
                 and not stated_by(q, x)]
        if found:
            figures[i] = found
    other_subject = _other_subject(ex, sent, clauses, figures, weights)
    said_head = {j for j, (a, b) in enumerate(clauses) if j in figures and ex.contains(sent[a:b], head)} if head else set()
    whole: int | None = None  # the clause a run of parts (其中…) is a part of
    for i, (cs, ce) in enumerate(clauses):
        ctext = sent[cs:ce]
        if i > 0 and whole is None and ctext.startswith(parts):
            whole = i - 1
        found = figures.get(i)
        if not found:
            continue
        cov = sum(w for t, w in weights.items() if ex.contains(ctext, t)) / total_w
        start = cs
        if whole is not None:
            # 其中城镇…2000人 (and the parts after it: 其中70岁以上的有860人，80岁以上的有310人): what it is a part of is
            # said by the clause before the part word (每年新增残疾人就业1.2万人), whose words count for it; the claim is
            # the part alone, without its part word — unless the question asks the whole and the part (其中…多少人？)
            cov = sum(w for t, w in weights.items() if ex.contains(sent[clauses[whole][0]:ce], t)) / total_w
            start = clauses[whole][0] if any(p in q for p in parts) else cs + next(
                (len(p) for p in parts if ctext.startswith(p)), 0)
        # borrow the previous clause when this one lacks the subject or a time phrase
        elif i > 0 and (cov < 1 or re.match(r"^(自|从|截至|截止|在)", sent[clauses[i - 1][0]:])):
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
        if i in other_subject or (places and (named := {p.name for p, _, _ in find_places(ctext)}) and not named & places):
            score *= 0.3  # 企业捐赠10万元…，个人捐赠1万元…: 企业 asked, this figure is the 个人 one (or another place's)
        if noun and not ex.contains(sent[start:ce], noun) and any(ex.contains(sent[a:b], noun) for a, b in clauses):
            # 多少个留守儿童: 入住居民3400多人 counts another thing than the clause saying 留守儿童 does
            score *= 0.3
        if said_head and i not in said_head and not ex.contains(sent[start:ce], head):
            score *= 0.3  # 劝和率 (``head``) asked: in 辅导率91.25%，劝和率62.5% the other rate is not it
        if age is not None:
            score *= (0.3, 0.6, 0.9, 1.0)[age_fit(ctext, age)]
        if other_level_said(levels, ctext):
            score *= 0.2  # 半护理 asked: 全自理的不低于…百分之五 is another level's figure
        if score > best[0]:
            end = start + len(sent[start:ce].rstrip("，,、；;。！？!? "))
            q0 = found[0]
            if source is not None and len(found) > 1 and ex.facts.at(source, offset + cs + q0.start) is None:
                q0 = next((x for x in found[1:] if ex.facts.at(source, offset + cs + x.start) is not None), q0)
            best = (score, (offset + start, offset + end),
                    replace(q0, start=offset + cs + q0.start, end=offset + cs + q0.end),  # document offsets
                    offset + (clauses[whole][0] if whole is not None else start))
    return best[1], best[2], max(best[0], 0.0), best[3]


def _other_subject(ex, sent: str, clauses: list[tuple[int, int]], figures: dict[int, list[Quantity]],
                   weights: dict[str, float]) -> set[int]:
    """The clauses of ``sent`` whose figure is said of another subject than the one asked: the
    words before the figure restate a subject (they hold a question word, or a synonym of one)
    and another figure's subject in the sentence holds more of the question's own words, as
    the question writes them (企业捐赠 vs 个人捐赠 for 企业捐多少; 其中结婚登记 vs 婚姻登记 for
    结婚登记多少对). A clause that restates no subject (2024年为650元) inherits it and is kept."""
    if len(figures) < 2:
        return set()
    literal: dict[int, set[str]] = {}
    restated: set[int] = set()
    for i, found in figures.items():
        subject = sent[clauses[i][0]:clauses[i][0] + found[0].start]
        literal[i] = {t for t in weights if t in subject}
        if any(ex.contains(subject, t) for t in weights):
            restated.add(i)
    return {i for i in restated if any(literal[j] > literal[i] for j in figures if j != i)}
