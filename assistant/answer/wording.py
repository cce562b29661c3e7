"""The question's words against a clause: which figure an intent asks, standard and total words,
qualifier agreement (农村 vs 城市), superlatives, benefit families. Every word list is read from
the vocabulary (assistant/data/vocabulary.json); the patterns here are question grammar."""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from ingest.text import HAN

from ..benefits import load_vocabulary
from ..vocabulary import FactWords, domain_words, fact_words, qualifier_values
from .figures import UNITS, Quantity, of_dimension


# the dimension of figure (answer.figures) each figure-asking intent wants
FIGURE = {"amount": "money", "count": "count", "ratio": "rate"}

# 多少吨 / 几公里: a measure asked by its unit (answer.figures UNITS of dimension measure)
_MEASURED = re.compile(r"(?:多少|(?<!哪)几)\s*(?:" + "|".join(sorted((u for u, d in UNITS.items() if d == "measure"),
                                                              key=len, reverse=True)) + ")")
_COUNTED = re.compile(r"(?:多少|(?<!哪)几)\s*(?:个)?(?:" + "|".join(sorted((u for u, d in UNITS.items() if d == "count"),
                                                              key=len, reverse=True)) + r")(?!月|工作日|小时|星期)")


def asked_figure(analysis) -> str | None:
    """The dimension of figure a question asks: its intent's (FIGURE), except that 多少项 / 几家 /
    多少个 ask a count whatever the intent says (山东发布了多少项标准 is no amount of money; 哪几项
    asks which ones, no figure); a rise asked (提高了多少: vocabulary facts.asked.change), naming no
    money, is said in money or as a rate ("change")."""
    if any(w in analysis.normalized for w in dict(fact_words().asked).get("ordinal", ())):
        return "ordinal"  # 第几年 / 第几次: a place in a series (第七年), whatever the intent says
    fig = FIGURE.get(analysis.intent)
    if fig in ("money", "count", None) and _MEASURED.search(analysis.normalized):
        return "measure"  # 抢卸多少吨物资 / 几平方米: only a figure in such a unit answers
    if fig in ("money", None) and share_asked(analysis.normalized):
        return "share"  # 按上年补助额度的多少拨付: a part of an amount, said as 50% or as a multiple
    # a question of no intent (not a procedure: 一年能申请几次 is answered by 只救助一次) may still
    # ask a figure in its own words
    bare = analysis.intent == "general"
    if (fig == "money" or bare) and _COUNTED.search(analysis.normalized) and "钱" not in analysis.normalized:
        return "count"  # 清单有多少项 / 一共有几项任务: a count, though no intent word said so
    if bare and _money_noun().search(analysis.normalized):
        return "money"  # 每个月交多少管理费 / 发多少慰问金: a sum of money named by its noun
    if fig == "money" and "钱" not in analysis.normalized and "元" not in analysis.normalized \
            and any(w in analysis.normalized for w in dict(fact_words().asked).get("change", ())):
        return "change"  # 城市低保标准平均提高了多少: 提高50元 or 平均提高7%
    if fig is None and analysis.intent == "procedure" and _money_noun().search(analysis.normalized):
        return "money"  # 办理登记要交多少钱手续费: a sum named by its noun, though 办理 made it a procedure
    return fig


@lru_cache(maxsize=1)
def _share_pattern() -> re.Pattern[str]:
    """按/按照 (vocabulary ``facts.asked.share_by``) … an amount's noun (``facts.asked.share_bases``:
    额度, 费) then (的)多少 with no unit or 钱 after it, in one clause."""
    words = dict(fact_words().asked)
    by, bases = words.get("share_by", ()), words.get("share_bases", ())
    if not by or not bases:
        return re.compile(r"(?!)")
    # 按月 / 按年 / 按每人 say how often or per whom, no base the figure is a part of
    return re.compile(rf"(?:{FactWords.alternation(by)})(?![月年季日天周时期次人户每])[^，,。；;？?]{{0,40}}?(?:{FactWords.alternation(bases)})"
                      rf"(?:的)?多少(?![钱元块万亿千百{''.join(UNITS)}])")


def share_asked(question: str) -> bool:
    """The question asks what part of an amount something is (按上年补助额度的多少 / 按照缴纳失业保险费
    多少执行): a rate or a multiple of it answers, not a sum of money.

    >>> share_asked("按上年补助额度的多少拨付资金？"), share_asked("补助额度是多少？")
    (True, False)
    """
    return bool(_share_pattern().search(question))


@lru_cache(maxsize=1)
def _money_noun() -> re.Pattern[str]:
    """多少 followed by a noun ending in a money word (vocabulary ``facts.asked.money_noun_ends``:
    管理费, 慰问金), or such a noun before 是多少."""
    ends = "".join(re.escape(w) for w in dict(fact_words().asked).get("money_noun_ends", ()))
    if not ends:
        return re.compile(r"(?!)")
    return re.compile(rf"多少(?:钱)?[{HAN}]{{0,5}}[{ends}](?![{HAN}])|[{ends}](?:是|为|有|要|交)?多少")


# a question asking no figure is answered by a sentence holding at least this share of its
# topic words (IDF-weighted), or refused
MIN_TOPIC_COVERAGE = 0.45

DOC_LEAD_CHARS = 200  # a document's title lines and opening: what its own start date is the start of

def domain() -> re.Pattern[str]:
    """Civil-affairs words (vocabulary ``domain``): a question holding one is about civil affairs."""
    return compiled(tuple(domain_words()))

@lru_cache(maxsize=8)
def compiled(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))

@lru_cache(maxsize=1)
def eligibility() -> re.Pattern[str]:
    """A sentence saying who qualifies: 对…的…给予 (vocabulary ``facts.selection.grants``) or an
    eligibility word (``facts.selection.eligibility``: 条件, 符合)."""
    words = dict(fact_words().selection)
    return re.compile(rf"对.{{2,60}}的.{{0,30}}({FactWords.alternation(words['grants'])})|"
                      + FactWords.alternation(words["eligibility"]))

def without_places(q: str, places) -> str:
    """The question with the places it names blanked: a qualifier word inside a place name
    (城市 in 运城市特困人员) is no qualifier asked."""
    for name in sorted({n for p in places for n in (p.name, p.short) if n and len(n) >= 2}, key=len, reverse=True):
        q = q.replace(name, " " * len(name))
    return q

def qualifier_missing(q: str, sent: str) -> bool:
    """The question restricts to 农村/城市/散居/机构 but the sentence never says so."""
    for word in ("农村", "城市", "散居", "机构"):
        if word in q and word not in sent and not (word in ("农村", "城市") and "城乡" in sent):
            return True
    return False

def asked_level_unsaid(asked, sent: str) -> bool:
    """The question asks a care level, a disability grade or a provision (分散供养: ``asked.levels``)
    that the sentence says by none of its words: its figure is another level's or the whole's
    (全市特困人员1126人 for 分散供养的有多少人). (answer.named.level_unsaid is of another kind of level:
    国家级 / 市级.)"""
    levels = dict(fact_words().qualifiers)
    return any(not any(w in sent for w in dict(levels.get(kind, ())).get(value, ())) for kind, value in asked.levels)

def other_level_said(levels, text: str) -> bool:
    """``text`` names another value of a level kind asked (``levels``: (kind, value) pairs, as
    ``Asked.levels``) and not the one asked: 全自理的…百分之五 for 半护理 asked. Read per clause: no
    level asked costs nothing."""
    if not levels:
        return False
    table = dict(fact_words().qualifiers)
    for kind, value in levels:
        words = dict(table.get(kind, ()))
        if not any(w in text for w in words.get(value, ())) and \
                any(w in text for v, ws in words.items() if v != value for w in ws):
            return True
    return False


def asks_measures(q: str) -> bool:
    """有什么补助/哪些补贴: every benefit the sentence gives is asked (vocabulary facts.asked.measures)."""
    return any(w in q for w in dict(fact_words().asked).get("measures", ()))

def standard_words() -> re.Pattern[str]:
    """A clause that states a level (标准, 提高到, 每人每月): the facts vocabulary's standard words
    plus the per-person amount phrases."""
    return compiled(fact_words().standard + ("每人每月", "每人每年", "人均", "提至"))

def total_words() -> re.Pattern[str]:
    return compiled(fact_words().total_verbs + ("共",))

def total_after(text: str, q: Quantity, end: int) -> Quantity | None:
    """The total the same sentence gives right after an amount per head or household ``q``
    (每户发放…800元，共计147.36万元), in document offsets; None when ``q`` is a total itself or none follows."""
    if q.multiplier in ("万", "亿") or total_words().search(text, max(0, q.start - 4), q.start):
        return None
    for x in of_dimension(text[q.end:end], "money"):
        if x.multiplier in ("万", "亿") or total_words().search(text, max(q.end, q.end + x.start - 4), q.end + x.start):
            return replace(x, start=q.end + x.start, end=q.end + x.end)
    return None


@lru_cache(maxsize=1)
def _qualifier_pairs() -> tuple[tuple[str, str], ...]:
    """(asked, other) for every two base values of one benefits qualifier kind (农村/城市, 散居/机构)."""
    out = []
    for values in qualifier_values().values():
        for a in values:
            out.extend((a, b) for b in values if b != a)
    return tuple(out)

def narrowing_held(q: str, text: str) -> int:
    """How many of the question's narrowing words (vocabulary ``facts.must_cite``: 低保边缘, 原来,
    大学) ``text`` speaks to: the clause about them answers, not its neighbour in the sentence."""
    return sum(1 for word, span_words in fact_words().must_cite
               if word in q and any(w in text for w in span_words))

def qualifier_conflict(q: str, ctext: str) -> bool:
    """农村 asked but only 城市 stated (or 散居 vs 机构): the clause is about something else."""
    return any(want in q and other not in q and other in ctext and want not in ctext and "城乡" not in ctext
               for want, other in _qualifier_pairs())

def qualifier_items(q: str, sent: str, cs: int, ce: int, fig: str) -> list[tuple[int, int]]:
    """Clause ``sent[cs:ce]`` as the items of its 、-list when each holds a figure of dimension
    ``fig`` and the qualifier question ``q`` asks tells them apart (农村 asked of 城市低保对象1.3万人、
    农村低保对象10.4万人: one item says another qualifier); else the clause whole."""
    cuts = [cs] + [cs + i + 1 for i, ch in enumerate(sent[cs:ce]) if ch == "、"]
    pieces = list(zip(cuts, cuts[1:] + [ce]))
    if len(pieces) < 2 or not all(of_dimension(sent[a:b], fig) for a, b in pieces):
        return [(cs, ce)]
    conflicts = [qualifier_conflict(q, sent[a:b]) for a, b in pieces]
    return pieces if any(conflicts) and not all(conflicts) else [(cs, ce)]

# question phrases that look like qualifiers: 哪个城市的低保 asks about 城市 and 农村 alike
QUESTION_PHRASES = re.compile(r"(?:哪个|哪些|哪几个|各个|各|每个|所有)城市")

SUPERLATIVE_HIGH = re.compile(r"最高|最多|(?:哪个|哪里|哪些|谁)[^，,。？?]{0,12}(?:更|比较)?高")

SUPERLATIVE_LOW = re.compile(r"最低|最少|(?:哪个|哪里|哪些|谁)[^，,。？?]{0,12}(?:更|比较)?低")

@lru_cache(maxsize=1)
def not_superlative() -> re.Pattern[str]:
    """Benefit names holding 最低 or 低 that ask no superlative (vocabulary
    ``facts.selection.not_superlative``: 最低生活保障, 低保)."""
    return compiled(tuple(dict(fact_words().selection)["not_superlative"]))

def header_name(header: str) -> str:
    """城市低保月标准（元） → 城市低保月标准."""
    return re.sub(r"[（(][^（）()]*[）)]", "", header).strip()

def asks_standard(q: str) -> bool:
    """A standard (a level per person) is asked: a standard or period word, an allowance word
    (某市孤儿补助多少钱, the orphan allowance) asking no total (补助资金, 发放, 一共), or a level's
    raise asked from and to (基本生活费从多少提高到了多少: vocabulary facts.raise)."""
    return bool(re.search(r"标准|一个月|每月|每个月|一年|每年|每人", q)) or allowance_asked(q) \
        or bool(_raise_asked().search(q))


@lru_cache(maxsize=1)
def _raise_asked() -> re.Pattern[str]:
    """从多少提高到多少 / 由多少调整为多少: the earlier and the new level both asked."""
    raise_ = "|".join(map(re.escape, sorted(fact_words().raise_, key=len, reverse=True)))
    return re.compile(rf"(?:从|由)多少(?:{raise_})(?:到|至|为)了?多少")


# an amount is asked in words (多少, 几) or an English what/how question glossed (what 孤儿 补贴)
_AMOUNT_ASKED = re.compile(r"多少|几|\bwhat\b|\bhow\b", re.I)


@lru_cache(maxsize=1)
def _allowance_words() -> tuple[re.Pattern[str], re.Pattern[str]]:
    selection = dict(fact_words().selection)
    totals = fact_words().total_verbs + dict(fact_words().asked).get("total", ()) + selection.get("total_asked", ())
    return compiled(selection.get("allowance_asked", ())), compiled(totals)


def allowance_asked(q: str) -> bool:
    """The question asks what a benefit pays a person: an allowance word (vocabulary
    facts.selection.allowance_asked: 补助, 津贴 …) of a benefit it names (孤儿补助, the orphan
    allowance; 低保户的取暖补助 asks the heating allowance, no 低保 level), and no total (what was
    spent in all: facts.total_verbs, asked.total, selection.total_asked)."""
    allowance, total = _allowance_words()
    if total.search(q) or not _AMOUNT_ASKED.search(q):
        return False  # a total asked, or no amount (焦作 敬老补贴 高龄老人: a keyword query)
    named = load_vocabulary().mentions(q)
    return any(any(m.start <= a.start() < m.end or m.end == len(q[:a.start()].rstrip(" 的")) for m in named)
               for a in allowance.finditer(q))

def benefit_terms(q: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(words naming the benefit families the question names, words naming every other family)."""
    vocab = load_vocabulary()
    asked: list[str] = []
    others: list[str] = []
    for family in vocab.families:
        terms = vocab.terms(family)
        (asked if any(t in q for t in terms) else others).extend(terms)
    return tuple(asked), tuple(t for t in others if not any(t in a for a in asked))

_RESPECTIVE_LEAD = re.compile(r"城乡(.{0,20}?)分别为")

def respective(claim: str) -> tuple[str, str, str] | None:
    """城乡…分别为X元、Y元: (what the pair is of, the urban figure, the rural figure) as written,
    the figures read by answer.figures; None for any other claim."""
    m = _RESPECTIVE_LEAD.search(claim)
    if not m:
        return None
    pair = [q for q in of_dimension(claim[m.end():], "money")][:2]
    if len(pair) < 2 or "、" not in claim[m.end() + pair[0].end:m.end() + pair[1].start]:
        return None
    return m.group(1), pair[0].number, pair[1].number

def respectively_about(claim: str, q: str) -> bool:
    """Is the 城乡…分别为X元、Y元 list of ``claim`` about the benefit the question names?
    (焦作 低保 must not be told 其中农村为6000元 from 城乡特困…分别为9600元、6000元.)"""
    pair = respective(claim)
    if not pair:
        return False
    vocab = load_vocabulary()
    asked = {x.family for x in vocab.mentions(q)}
    listed = {x.family for x in vocab.mentions("城乡" + pair[0])}
    return not asked or bool(asked & listed)

def respectively(claim: str, q: str) -> str:
    """城乡…分别为X元、Y元: say which figure is which when the question picks one."""
    pair = respective(claim)
    if not pair:
        return ""
    _, urban, rural = pair
    if "城市" in q and "农村" not in q:
        return f"（其中城市为{urban}元）"
    if "农村" in q and "城市" not in q:
        return f"（其中农村为{rural}元）"
    return f"（城市{urban}元、农村{rural}元）"


def base_only(fact, sentence_facts, question: str) -> bool:
    """``fact`` is another benefit's figure that names the benefit asked only as the base of a
    multiple or a reference (城市特困人员基本生活标准按不低于当地城市低保标准的1.3倍确定，为每人每月N元,
    or …为每人每月N元，按不低于城市低保标准的1.3倍确定: N is 特困's, never 城市低保's): its categories
    hold none the question names, and what it or a figure of its sentence (``sentence_facts``) is
    relative to (answer.facts ``relative_to``) holds one."""
    if fact is None or not fact.categories:
        return False
    vocab = load_vocabulary()
    asked = set(vocab.detect(QUESTION_PHRASES.sub(" ", question)))
    refs = {g.relative_to for g in (fact, *sentence_facts) if g.relative_to}
    return bool(asked) and not asked & set(fact.categories) and any(asked & set(vocab.detect(r)) for r in refs)
