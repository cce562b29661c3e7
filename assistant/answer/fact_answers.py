"""The fact-answers stage: a question asking a date, a start date, a duration, a multiple or a cap,
or an amount for an age / care level / grade, is answered by a fact (answer.facts) of that kind
whose clause matches the question's words, or refused. Entry point: :func:`answer_facts`."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ingest.document import Chunk

from ..types import Answer
from ..vocabulary import LEVEL_KINDS, fact_words
from .asked import band_holds, level_words, says_age
from .events import answers_event, term_event
from .caps import with_top_cap
from .compose import NO_REGION, citation, finish, refuse
from .facts import Fact
from .figures import CLOCK_UNIT, of_dimension
from .pairs import each_side
from .rivals import both, rival, shifted
from .spans import (AGE_BAND, ARTICLE, clause_at, clause_from, clause_span, colon_lead, lead_with_region, list_lead,
                    run_lead, sentence_at, whole_duration)
from .selection import figures_asked
from .stages import duration_said, is_limit, stage_only, whole_asked
from .superseded import earlier_weight
from .wording import DOC_LEAD_CHARS, SUPERLATIVE_HIGH, SUPERLATIVE_LOW, asked_figure

if TYPE_CHECKING:  # pragma: no cover
    from ..query import QueryAnalysis

def answer_facts(ex, analysis: QueryAnalysis, pool: list[Chunk], weights: dict[str, float],
                  total_w: float) -> Answer | None:
    """A question asking a date, a start date, a duration, a multiple or a cap, or an amount for
    an age / care level / grade, is answered by a fact of that kind whose clause matches the
    question's words; with no such fact it is refused (never answered by another sentence)."""
    asked = analysis.asked
    banded = asked.age is not None or asked.care_level or asked.grade or asked.provision
    if asked.kind is None and not (banded and (analysis.intent == "amount" or "多少" in analysis.normalized)
                                   and asked_figure(analysis) not in ("count", "rate", "measure")):
        return None  # 分散供养的有多少人 asks a count: no amount of a level answers it
    if asked.kind in ("contact", "ordinal"):
        return None  # a phone line, a place in a series (第七年): no fact kind; the sentence path answers
    if asked.kind is None and analysis.sides:
        return None  # 集中供养的比散居的多多少: one level's figure answers no comparison of two
    ignore = set(asked.words) | set(asked.latest) | (
        {w for k, ws in fact_words().asked if k == "start" for w in ws} if asked.start else set()) | (
        level_words(analysis.normalized, asked) if asked.kind is None else set())  # 部分不能自理, 每个月
    # the age asked (百岁老人) selects a band and need not be said again by its sentence — unless
    # places are compared (甲和乙的百岁老人补贴哪个高): one band's fact of one place answers no comparison
    compared = len(analysis.places) > 1 or bool(SUPERLATIVE_HIGH.search(analysis.normalized)
                                                or SUPERLATIVE_LOW.search(analysis.normalized))
    # ... yet a band's sentence that says it (百岁老人…5元 beside 70周岁以上…2元, both holding 100) is the
    # closer one: the age's words keep half their weight
    w = {t: v * (0.5 if not compared and says_age(t, asked.age) else 1.0)
         for t, v in weights.items() if not any(t in a or a in t for a in ignore)} or weights
    tw = sum(w.values()) or 1.0
    best: tuple[float, Chunk, object] | None = None
    scored: list[tuple[float, Chunk, object]] = []
    any_banded = False
    # the facts of the documents retrieved first, anywhere in them: a FAQ's 答 follows its 问,
    # a guide's 【办理时限】 line is its own paragraph
    sources = list(dict.fromkeys(c.source for c in pool[:8]))[:3]
    event = term_event(ex, analysis, sources)  # 是哪天开业的: 开业 (answer.events)
    # 每月至少要陪多少小时: when some fitting figure is said as a floor (不少于10小时), only such a one answers
    floored = any(w in analysis.normalized for w in fact_words().floor) and any(
        _fits(f, asked, ex.doc_texts[s]) and _floor_said(ex.doc_texts[s], f) for s in sources for f in ex.facts.of(s))
    first_chunk = {c.source: c for c in reversed(pool[:8])}
    # 全程 asked: no stage's time limit answers (answer.stages); with none but those, refused
    staged = {(s, f.start) for s in sources for f in ex.facts.of(s) if asked.kind == "duration"
              and whole_asked(analysis.normalized) and stage_only(ex.doc_texts[s], ex.facts.of(s), f)}
    for rank, source in enumerate(sources):
        chunk = first_chunk[source]
        for f in ex.facts.of(source):
            if _amount_with_level(f) and asked.kind is None and (f.age_band is not None or f.qualifiers):
                any_banded = True
            if not _fits(f, asked, ex.doc_texts[source]) or (source, f.start) in staged or \
                    asked.kind == "when" and _as_of(ex.doc_texts[source], f, analysis.normalized):
                continue
            if not answers_event(ex.doc_texts[source], f.start, asked, event):
                continue  # 7月31日下午，…送餐 is no date of 开业; 有效期为1年 no 办结 limit (answer.events)
            if floored and not _floor_said(ex.doc_texts[source], f):
                continue  # a headline's 每月陪伴老人十小时 states no floor
            score = _fact_score(ex, f, asked, chunk, rank, w, tw, analysis.normalized)
            scored.append((score, chunk, f))
            if best is None or score > best[0] or (score == best[0] and newer(f, best[2], asked)):
                best = (score, chunk, f)
    if best is None or best[0] < 0.5:
        if asked.kind is None and not any_banded:
            return None  # no figure here is for an age or level: the standard paths answer
        if asked.kind is not None and not asked.strict and not staged:
            return None  # 多久 / 什么时候 may be answered in words (每季度): the sentence path tries
        what = {"when": "日期", "duration": "办理时限", "age": "年龄", "multiple": "倍数", "cap": "上限"}.get(asked.kind or "", "标准")
        topic = ex.topic(analysis)
        return refuse(ex, analysis, f"资料中没有{'、'.join(analysis.regions)}{topic}的具体{what}。")
    pair = each_side(ex, analysis, best, scored)
    if pair is not None:  # 审核和审批各要多少个工作日: a fact for each side, one answer
        (text, cits), (more, more_cits) = (_claim(ex, analysis, asked, side) for side in pair)
        more, more_cits = shifted(more, more_cits, len(cits))
        return finish(ex, analysis, f"{text}；{more}。", [*cits, *more_cits], answerable=True)
    answer = _reply(ex, analysis, asked, best)
    other = rival(ex, analysis, best, scored, w) if answer.answerable else None
    if other is not None:  # two documents, one of no stated region, differ: both are said (answer.rivals)
        second = _reply(ex, analysis, asked, other)
        answer = both(answer, second) if second.answerable else answer
    return answer


def _floor_said(text: str, f) -> bool:
    """The words right before fact ``f`` say it is a floor (vocabulary facts.floor: 不少于10小时)."""
    return any(w in text[max(0, f.start - 6):f.start] for w in fact_words().floor)


def _as_of(text: str, f, question: str) -> bool:
    """Date ``f`` is the date a count was taken at (截至7月28日: vocabulary facts.selection.as_of),
    never the date of an event asked — unless the question says so itself (截至哪天)."""
    words = dict(fact_words().selection).get("as_of", ())
    before = text[max(0, f.start - 6):f.start]
    return any(w in before for w in words) and not any(w in question for w in words)


def _amount_with_level(f) -> bool:
    return f.unit == "元" and f.kind in ("standard", "cap", "amount")


def _fits(f, asked, text: str = "") -> bool:
    """Whether fact ``f`` is of the kind asked (a date, a start date, a duration, a multiple, a
    cap; or an amount for the age / care level / grade asked). A start asked (哪天开始, 哪一年开始实施)
    is answered by an effective date, or by a date ``text`` follows with a start word (vocabulary
    ``facts.asked.start``: 4月10日开始试营业, 自2010年起)."""
    if asked.kind == "when":
        # 几点 is answered by a time of day, 哪天 by a day
        starts = bool(f.effective) or (bool(text) and _said_to_start(text, f.end))
        return f.kind == "date" and (not asked.start or starts) and (f.unit == CLOCK_UNIT) == asked.clock
    if asked.kind == "duration":
        return is_limit(f)
    if asked.kind == "age":  # 多大的孩子: an age said as a limit or a band (未满16周岁, 60周岁以上)
        return f.kind == "age"
    if asked.kind == "multiple":
        return f.unit == "倍"
    if asked.kind == "cap":
        return f.kind == "cap"
    if asked.kind is None:  # an amount for an age / care level / grade
        if not _amount_with_level(f):
            return False
        if asked.age is not None and not band_holds(f.age_band, asked.age):
            return False
        if any(not f.holds(k, want) for k, want in asked.levels):
            return False
    return True


def _said_to_start(text: str, end: int) -> bool:
    """The words right after a date (ending at ``end``) say something starts then."""
    return any(text.startswith(w, end) for k, ws in fact_words().asked if k == "start" for w in ws)


# the share of a question an age band holding the age asked answers (its age is no question word)
AGE_SAID = 0.25


def _fact_score(ex, f, asked, chunk: Chunk, rank: int, w: dict[str, float], tw: float, question: str = "") -> float:
    """How well the words around fact ``f`` match the question's (``w``, summing to ``tw``)."""
    source = chunk.source
    doc_text = ex.doc_texts[source]
    sentence = sentence_at(doc_text, f.start)
    # what the figure is of may be said in its sentence, the line before it (a heading,
    # a FAQ's 问) or the title
    line_start = doc_text.rfind("\n", 0, sentence[0])
    prev_line = doc_text[doc_text.rfind("\n", 0, max(line_start, 0)) + 1:max(line_start, 0)]
    # an item of a numbered list (3、80周岁至99周岁：…一次补贴2元) is about what the list's lead says
    context = " ".join((doc_text[sentence[0]:sentence[1]], prev_line, list_lead(doc_text, f.start),
                        chunk.meta.get("title") or ""))
    if f.qualifiers and sentence[0] > 0 and doc_text[sentence[0] - 1] in "；;。":
        # 能自理的…；完全丧失…的…。三档标准分别为…550元: the levels a 分别 list maps its figures to
        # (answer.facts) are said by the sentences before it, back to the paragraph's last 。
        context += " " + doc_text[max(doc_text.rfind("。", 0, sentence[0] - 1),
                                      doc_text.rfind("\n", 0, sentence[0])) + 1:sentence[0]]
    if f.kind == "date" and f.effective and f.effective == ex.documents[source]["meta"].get("effective"):
        # 本公告自…起执行: the document's own start date is about what the whole document is
        context += " " + doc_text[:DOC_LEAD_CHARS]
    cov = sum(v for t, v in w.items() if ex.contains(context, t)) / tw
    if f.age_band is not None and sentence[0] > 0:
        # 为…发放长寿保健金。目前，70至79周岁的长者每人每月可领30元；…；100周岁及以上，每人每月300元: a run
        # of bands (its earlier ；-parts) goes on with what the sentence before it is about; their words count half
        run = sentence[0]
        while run > 1 and doc_text[run - 1] in "；;":
            run = sentence_at(doc_text, run - 2)[0]
        before = doc_text[sentence_at(doc_text, run - 1)[0] if run > 0 else run:sentence[0]]
        cov += 0.5 * sum(v for t, v in w.items() if not ex.contains(context, t) and ex.contains(before, t)) / tw
    if asked.clock:
        # a time of day is of what its document reports (南村街道长者食堂开餐了 … 每天开餐时间为：12:00):
        # the words only the document's opening says count half
        lead = doc_text[:DOC_LEAD_CHARS]
        cov += 0.5 * sum(v for t, v in w.items() if not ex.contains(context, t) and ex.contains(lead, t)) / tw
    # the words in the figure's own clause count again, a quarter: in 一本院校…不超过5000元，二本院校…不超过4000元
    # one sentence holds every level; a time limit's clause runs on to its stage (7个工作日内审核，…15个工作日内发放)
    clause = clause_at(doc_text, f.start) if is_limit(f) else doc_text[clause_from(doc_text, sentence[0], f.start):f.end]
    cov += 0.25 * sum(v for t, v in w.items() if ex.contains(clause, t)) / tw
    if asked.care_level or asked.grade:
        # 困难残疾人生活补贴：一级、二级…150元 / 重度残疾人护理补贴：…二级…120元 under a title naming both: the
        # benefit asked is the one the level's own sentence names, so its words count again, a quarter
        cov += 0.25 * sum(v for t, v in w.items() if ex.contains(doc_text[sentence[0]:sentence[1]], t)) / tw
    if asked.age is not None and band_holds(f.age_band, asked.age):
        cov += AGE_SAID  # 今年85了: the band holding the age says what the question's age asks
    # 在去年每户最高3万元的基础上 / 原…1200元的规定同时停止执行: an earlier or replaced figure is not the one asked
    cov *= earlier_weight(doc_text, f.start, question, clause)
    score = cov / (1 + 0.15 * rank)
    if asked.kind == "duration" and any("天" in w or "日" in w for w in asked.words):
        score *= 1.5 if f.unit in ("天", "日内", "工作日", "个工作日") else 0.5  # 多少天: days, not months
    if asked.kind == "duration":
        score *= duration_said(doc_text, f, question)
    return score


def _reply(ex, analysis: QueryAnalysis, asked, best) -> Answer:
    text, citations = _claim(ex, analysis, asked, best)
    return finish(ex, analysis, f"{text}。", citations, answerable=True)


def _claim(ex, analysis: QueryAnalysis, asked, best) -> tuple[str, list]:
    """The claim of the best fact, with its markers and label, and its citations: for an age band
    or a level the subject with the band's or level's own figure; for a date or a duration the
    sentence saying what it is of."""
    _, chunk, f = best
    region = f.region or chunk.meta.get("city") or ""
    doc_text = ex.doc_texts[chunk.source]
    if asked.kind is None:
        level = asked.care_level or asked.grade or asked.provision
        piece_start = f.span_start
        if f.age_band is not None and not AGE_BAND.search(doc_text, f.span_start, f.start):
            # 3、80周岁至99周岁：享受每天一次，一次补贴2元: the band is said earlier in the sentence
            # than the figure's span; the claim starts at the band
            said_bands = list(AGE_BAND.finditer(doc_text, sentence_at(doc_text, f.start)[0], f.start))
            piece_start = said_bands[-1].start() if said_bands else piece_start
        piece = doc_text[piece_start:f.end]
        bands = [m for m in AGE_BAND.finditer(piece) if m.start() < f.start - piece_start]
        if f.age_band is not None and bands:
            # 全市高龄津贴标准调整为：80–89周岁…60元，90–99周岁…220元 → the subject and the asked band
            colon = piece.find("：", 0, bands[0].start())
            lead = run_lead(doc_text, sentence_at(doc_text, f.start)[0]) if colon < 0 else None
            if lead is not None:
                # 发放标准按年龄段共分五档：65至69周岁…；80至89周岁，每人每月180元: the run's lead says what
                # the band's figure is of; the citation runs from it
                claim = lead_with_region(doc_text[lead[0]:lead[1]] + piece[bands[-1].start():], region)
                piece_start = lead[0]
            else:
                claim = lead_with_region(piece[:colon + 1] + piece[bands[-1].start():] if colon >= 0
                                          else piece[bands[-1].start():], region)
        else:
            claim, piece_start = _level_claim(doc_text, f, level, region, piece, piece_start)
        start, end = piece_start, f.span_end
    else:  # a date or a duration: the sentence that says what it is the date / time limit of
        start, end = sentence_at(doc_text, f.start)
        if asked.kind == "cap" and not analysis.multiple and len(of_dimension(doc_text[start:end], "money")) > 1:
            # 一本…不超过5000元，二本…不超过4000元: the cap asked is its own clause's
            start, end = clause_from(doc_text, start, f.start), f.end
        elif asked.kind == "duration" and (steps := _step_limits(ex, chunk.source, start, end, analysis)):
            # 乡镇…15个工作日内完成审核，县级…10个工作日内作出审批决定 for 审批要多长时间: the whole
            # procedure is asked, so every step's time limit, from the sentence's start to the last one
            end = steps[-1].end
        elif asked.kind in ("duration", "age") and not analysis.multiple and not _more_asked(analysis) and \
                sum(q.dimension != "date" for q in of_dimension(doc_text[start:end], "quantity")) > 1:
            # 每日供餐时长不少于3小时，每餐提供不少于2个荤菜: the duration asked, not its neighbours — unless
            # each of a pair is asked (男女各要满多少岁: 男方…22周岁，女方…20周岁 is the answer) (a
            # date beside it, 继2018年…之后…为期6个月, says what it is of and stays); a duration's clause runs
            # on to its end, which may say what it is of (给予九个月的渐退期)
            start, end = _quote_start(doc_text, start, f, analysis, asked.kind == "duration"), (
                min(end, clause_span(doc_text, f.start)[1]) if asked.kind == "duration" else f.end)
        if asked.kind == "cap":  # 最高能救助多少: the top cap beside an ordinary one is quoted too
            start, end = with_top_cap(doc_text, ex.facts.of(chunk.source), (start, end), f, analysis.normalized)
        end = whole_duration(doc_text, end, extended=asked.kind == "duration")  # never cut inside a time limit
        claim = lead_with_region(doc_text[start:end].strip("，,；;。 "), region)
    year = f.year
    if year and f"{year}年" not in doc_text[start:end]:
        year = chunk.meta.get("year")  # a year said outside the span quoted is not what it is dated by
    period = f"{year}年" if year else ""
    label = "，".join(x for x in (region or NO_REGION, period) if x)  # a document naming no region says so
    cit = citation(ex, 1, chunk, start, end, best[0])
    extra = _addition(ex, analysis, f, chunk, (start, end)) if asked.kind is None else None
    if extra is not None:
        # 重度失能的低保老人: the level (800元) and the addition its group gets on top (增发200元)
        a_start, a_end = extra
        more = lead_with_region(doc_text[a_start:a_end].strip("，,；;。 "), region)
        return f"{claim}[1]；{more}[2]（{label}）", [cit, citation(ex, 2, chunk, a_start, a_end, best[0])]
    return f"{claim}[1]（{label}）", [cit]


def _level_claim(doc_text: str, f, level: str | None, region: str, piece: str, piece_start: int) -> tuple[str, int]:
    """(claim, where its citation starts) for the figure ``f`` of a care level / grade / provision
    asked (特困人员照料护理标准分为全自理、半护理、全护理三档，分别为…): the subject, the level, its figure."""
    subject = re.split(r"分为|分别|[，,：:（(]", ARTICLE.sub("", piece).strip())[0]
    per = {("人", "月"): "每人每月", ("人", "年"): "每人每年"}.get((f.per or "", f.period or ""), "")
    # the words of the care level or provision asked (全护理, 分散供养); a grade is said by its value (一级), below
    words = next((ws for k, values in fact_words().qualifiers if k != "disability_grade"
                  for v, ws in values if v == level), ()) if level else ()
    sent_start = sentence_at(doc_text, f.start)[0]
    said = max((doc_text.rfind(w, sent_start, f.start) for w in words), default=-1)
    at = doc_text.rfind(level, sent_start, f.start) if level else -1
    if said >= 0 and not _other_money(doc_text[said:f.start], f) and "分别" not in doc_text[said:f.start]:
        # 中度失能的，每人每月补贴500元: from the level the sentence names to its figure (not
        # 分为全自理、半护理、全护理三档，分别为…: the level's figure is read off the list); the figure's
        # previous value between them is part of the claim (集中供养…由每人每月1600元提高到…1720元)
        claim, piece_start = lead_with_region(doc_text[said:f.end], region), min(piece_start, said)
    elif at >= 0 and not of_dimension(doc_text[at:f.start], "money") and "分别" not in doc_text[at:f.start]:
        # 护理补贴：残疾等级为一级的，…170元；残疾等级为二级的，每人每月120元: the lead saying what the
        # figures are of, then the clause naming the level to its figure
        a = clause_from(doc_text, sent_start, at)
        lead = run_lead(doc_text, sent_start) or colon_lead(doc_text, sent_start, a)
        claim = lead_with_region((doc_text[lead[0]:lead[1]] if lead else "") + doc_text[a:f.end], region)
        piece_start = lead[0] if lead else a
    else:
        claim = lead_with_region(f"{subject}（{level}）为{per}{f.value}" if level else piece, region)
    return claim, piece_start


def _other_money(text: str, f) -> bool:
    """``text`` holds an amount that is not fact ``f``'s previous value (由X提高到Y: X)."""
    return any(not (f.previous and q.text in f.previous) for q in of_dimension(text, "money"))


def _more_asked(analysis: QueryAnalysis) -> bool:
    """Beside the time limit asked, the question asks another figure (先行救助最多能给多少？手续要在多久内补齐？):
    the sentence holding both is quoted whole, never the limit's clause alone."""
    q = analysis.normalized
    # the duration words that ask by themselves (多久, 多长时间), not with a 多少/几 of their own
    asking = [w for w in dict(fact_words().asked).get("duration", ()) if "多" in w and "多少" not in w and "几" not in w]
    return figures_asked(q) + len(re.findall("|".join(sorted(asking, key=len, reverse=True)) or "$^", q)) > 1


def _quote_start(text: str, start: int, f, analysis: QueryAnalysis, limit: bool) -> int:
    """Where the quote of fact ``f``'s own clause starts (its sentence starting at ``start``); for a time
    limit the clauses before it stay when they name the place asked and its own does not
    (湖北省可免征…，免征期限不超过5个月)."""
    cut = clause_from(text, start, f.start)
    said = limit and any(n and n in text[start:cut] and n not in text[cut:f.end]
                         for p in analysis.places for n in (p.name, p.short))
    return start if said else cut


def _step_limits(ex, source: str, start: int, end: int, analysis: QueryAnalysis) -> list[Fact]:
    """The time limits of the successive steps the sentence ``start:end`` states (two or more
    duration facts, each in its own clause), when the question names none of the steps: no
    question word is said in one step's clause before its figure (乡镇, 县级: who acts, from
    when) and in no other's. [] otherwise (乡镇审核要几天 asks one step; 全程 asks the whole's)."""
    if whole_asked(analysis.normalized):
        return []
    text = ex.doc_texts[source]
    limits = [g for g in ex.facts.of(source) if is_limit(g) and start <= g.start < end]
    if len(limits) < 2:
        return []
    heads = [text[clause_from(text, start, g.start):g.start] for g in limits]
    if len(set(heads)) < len(heads) or any(not h for h in heads):
        return []  # two limits in one clause (3至5个工作日) are one step's
    words = [t for t in analysis.terms if len(t) >= 2]
    for i, head in enumerate(heads):
        if any(ex.contains(head, t) and not any(ex.contains(o, t) for j, o in enumerate(heads) if j != i)
               for t in words):
            return []
    return limits


def _addition(ex, analysis: QueryAnalysis, f: Fact, chunk: Chunk, span: tuple[int, int]) -> tuple[int, int] | None:
    """The span of an addition on top of level ``f`` (vocabulary facts.selection.addition: 在…标准的
    基础上每人每月增发200元) that its document gives a group the question names and ``f``'s own
    sentence does not (低保 in 重度失能低保老人), for the same level (its care level / grade) and
    unit; None when there is none."""
    words = dict(fact_words().selection).get("addition", ())
    doc_text = ex.doc_texts[chunk.source]
    own = doc_text[slice(*sentence_at(doc_text, f.start))] + doc_text[span[0]:span[1]]
    places = {n for p in analysis.places for n in (p.name, p.short) if n}
    named = [t for t in analysis.terms if len(t) >= 2 and not ex.contains(own, t)
             and not any(t in p or p in t for p in places)]
    if not named:
        return None
    for g in ex.facts.of(chunk.source):
        if g.kind != "difference" or g.unit != f.unit or g.start == f.start or (g.period or f.period) != (f.period or g.period):
            continue
        if any(g.qualifier(k) != f.qualifier(k) for k in LEVEL_KINDS if g.qualifier(k)):
            continue
        s, e = sentence_at(doc_text, g.start)
        sentence = doc_text[s:g.end]
        if any(w in sentence for w in words) and any(ex.contains(sentence, t) for t in named):
            return s, g.end
    return None


def newer(f, other, asked) -> bool:
    """Between two facts that match as well: the start date when a start is asked, else the
    newer year (a question naming no year asks what holds now)."""
    def is_start(g) -> bool:  # a date fact that is itself a start (自2024年1月1日起执行)
        return g.kind == "date" and g.effective is not None

    if asked.start and is_start(f) != is_start(other):
        return is_start(f)
    return (f.year or 0) > (other.year or 0)
