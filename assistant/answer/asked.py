"""What a question asks of the facts, read once from its analysis.

``understand(analysis) -> Asked``: the kind of fact asked (a date, the date something starts, a
duration, an age (多大的孩子: 未满16周岁), a multiple, a cap, a contact line), the age it is about (85岁 selects the 80–89
band), the care level and the disability grade it names. The words are the ``facts.asked``,
``facts.care_level`` and ``facts.disability_grade`` lists of the vocabulary file.

>>> understand_text("我奶奶今年85岁，尊老金一个月多少钱？").age
85.0
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.places import mentions
from ingest.text import HAN

from ..vocabulary import fact_words, qualifier_words
from .events import event_of
from .figures import HUNDRED_YEARS, chinese_number, chinese_numeral, quantities

# a figure is asked (多少 / 几 / 金额): no figure-free shape, whatever else the question says
_FIGURE_ASKED = re.compile(r"多少|几[个次人名户家天年月倍岁号所处项]|金额|数额|标准是")
# 要办证或者交钱不？ / 领到了没？: a yes/no question closed by 不 / 没(有)
_YESNO_TAIL = re.compile(r"(?:不|没|没有)\s*[?？]\s*$")
# 算不算 / 给不给 / 要不要: a verb, 不, the verb again asks yes or no, whatever the verb
_A_NOT_A = re.compile(rf"([{HAN}])不\1")
# a question comparing places or items (哪个城市…最高, 谁最多): 最高 asks the highest, not a cap
_WHICH = re.compile(r"哪|谁|各地|各个|比较")
# figure-free question shapes, most specific first (a relation asked with 吗 is a relation)
SHAPES = ("relation", "conditions", "actions", "yesno")
# shapes asked in words even beside figure words (几个月发一次, 由谁承担, 带什么); their sentences
# must hold one of the shape's words (vocabulary facts.shape_marks)
STRONG_SHAPES = ("steps", "frequency", "share", "materials", "manner", "purpose")


@dataclass(frozen=True)
class Asked:
    kind: str | None  # ordinal | when | duration | age | contact | multiple | cap | None (amount/count/… by intent)
    start: bool  # a date asked for when something starts (开始执行, 起施行)
    age: float | None
    care_level: str | None
    grade: str | None
    words: tuple[str, ...]  # the question words that said so (never the topic of a refusal)
    strict: bool = False  # asked with 多少/几 (几天, 多少倍): only a fact of that kind answers it
    latest: tuple[str, ...] = ()  # 新/现行/目前: the newest is asked (a period, not a topic word)
    # a question that asks no figure: relation (X和Y是什么关系), yesno (可以换现金吗), conditions
    # (什么情况下可以申请), actions (采取了哪些措施), steps (怎么申请), frequency (多久发一次), share (由谁承担),
    # materials (带什么), manner (怎么发放, 按什么标准发), purpose (积分能干什么用); None when a figure (多少/几) or a fact kind is asked
    shape: str | None = None
    shape_words: tuple[str, ...] = ()
    clock: bool = False  # a time of day asked (几点开餐): only a time of day (12:00-13:00) answers
    provision: str | None = None  # how the person is provided for (分散供养): vocabulary facts.provision
    # the event a date or duration is asked of (多长时间办完: 办结; answer.events, vocabulary facts.events)
    event: str | None = None

    @property
    def figure_free(self) -> bool:
        return self.shape is not None

    @property
    def levels(self) -> tuple[tuple[str, str], ...]:
        """(qualifier kind, value) of each level asked: care level, disability grade, provision
        (vocabulary facts.care_level / disability_grade / provision)."""
        return tuple((k, v) for k, v in (("care_level", self.care_level), ("disability_grade", self.grade),
                                         ("provision", self.provision)) if v)


def _first(words: dict[str, tuple[str, ...]], kind: str, text: str) -> str | None:
    return next((w for w in sorted(words.get(kind, ()), key=len, reverse=True) if w in text), None)


_TRAILING = re.compile(r"[\s？?！!。，,]+$")
_CONTACT_TAIL = 6  # 是多少 / 号码是什么 / 是多少呢: what may follow a contact word that is asked


# what may follow a contact word that is asked: its number asked for (是多少 / 号码是什么 / 呢)
_CONTACT_ASKED = re.compile(r"(?:号码|号|是|为|多少|几|什么|啥|呢|吗|有)")
_WHICH_BEFORE = re.compile(r"(?:哪个|哪一个|哪条|什么|啥)\s*$")  # right before a contact word: it is asked


def _ends_on(text: str, word: str) -> bool:
    """The question asks for ``word`` (a phone line, a contact): it ends on it, or on at most a few
    characters after it that ask for it (咨询电话是多少？), not on another thing asked of it
    (热线提供哪些服务) nor on a verb it modifies (电话探访的有多少: visits by phone are counted)."""
    at = text.rfind(word)
    if _WHICH_BEFORE.search(text, 0, at):
        return True  # 打哪个电话咨询: a which-word before it asks for it, whatever follows
    tail = _TRAILING.sub("", text[at + len(word):])
    return len(tail) <= _CONTACT_TAIL and (not tail or _CONTACT_ASKED.match(tail) is not None)


# 今年85了 / 已经92啦 / 今年92，户口在…: a person's age said without 岁 (a number of two or three
# digits or in Chinese numerals — 刚满八十 —, then 了 or the end of its clause — never a unit: 今年92户 counts
# households)
_AGE_UNSAID = re.compile(r"(?:今年|已经|已|都|满)\s*(?P<n>\d{2,3}|[一二三四五六七八九]?十[一二三四五六七八九]?|一百[零一二三四五六七八九十]*)"
                         r"\s*(?:了|啦|[，,。；;！!？?\s]|$)")


# an age in English as a Chinese question says it (aged 90 to 99 → 90—99周岁)
_EN_AGES = tuple((re.compile(p, re.I), zh) for p, zh in (
    (r"\b(?:aged?|between(?: the ages? of)?)\s+(\d{1,3})\s*(?:to|-|–|and)\s*(\d{1,3})(?:\s+years?(?: old)?)?\b", r" \1—\2周岁 "),
    (r"\b(?:aged?|over|above)\s+(\d{1,3})\s+(?:years? old\s+)?(?:and|or)\s+(?:over|above|older)\b", r" \1周岁以上 "),
    (r"\b(\d{1,3})[- ](?:years?|yrs?)[- ]old\b", r" \1岁 "),
    (r"\baged?\s+(\d{1,3})\b", r" \1岁 "),
))


def english_ages(text: str) -> str:
    """``text`` (English) with its ages as a Chinese question says them, which :func:`age_stated` reads."""
    for pat, zh in _EN_AGES:
        text = pat.sub(zh, text)
    return text


def _age_number(said: str) -> float:
    return float(said) if said.isdigit() else chinese_number(said) or 0.0


def says_age(term: str, age: float | None) -> bool:
    """A question's ``term`` is (part of) how it says its ``age``: 85岁, or the bare number (八十 of
    刚满八十), or a piece of it the tokenizer cut (十二 of 九十二)."""
    if age is None:
        return False
    if age_stated(term) is not None:
        return True
    if term.isdigit():
        return _age_number(term) == age
    return not term.strip("一二三四五六七八九十百零") and (_age_number(term) == age or term in chinese_numeral(int(age)))


def age_stated(text: str) -> float | None:
    """The age ``text`` says (85岁 → 85, 百岁老人 → 100, 今年85了 → 85), or None."""
    age = next((q.value for q in quantities(text) if q.dimension == "age"), None)
    if age is None and (m := _AGE_UNSAID.search(text)) and 50 <= (n := _age_number(m.group("n"))) <= 120:
        return float(n)  # an age an elderly benefit may be asked about, no year count (刚满八十, 今年85了)
    return 100.0 if age is None and HUNDRED_YEARS.search(text) else age


# a duration asked of 一次 (多长时间比对一次, 几个月复核一次): how often a thing is done
_HOW_OFTEN = re.compile(r"(?:多久|多长时间|几个月|几年|多少天)(?![内里之])[^，,。？?]{0,8}一次")


def understand_text(text: str) -> Asked:
    fw = fact_words()
    asked = dict(fw.asked)
    said: list[str] = []
    kind = None
    # 多久发一次 / 由谁承担 / 带什么材料 are asked in words whatever figure words they hold
    strong = next((k for k in STRONG_SHAPES if _first(asked, k, text)), None) or (
        "frequency" if _HOW_OFTEN.search(text) else None)  # 多长时间比对一次: how often, no duration
    for k in ("ordinal", "duration", "when", "contact", "age", "multiple", "cap"):
        if strong:
            break
        w = _first(asked, k, text)
        if w and k == "contact" and not _ends_on(text, w):
            continue  # 热线为弱势群体提供哪些服务: the line is the topic; the services are asked
        if w:
            kind = kind or k
            said.append(w)
            if k == "ordinal":
                break  # 第几年 asks a place in a series (第七年), never a duration (几年)
    start = bool(kind == "when" and _first(asked, "start", text))
    clock = bool(kind == "when" and _first(asked, "clock", text))
    # the age the question is about (85岁的老人); an age asked (多大的孩子) names none
    age = None if kind == "age" else age_stated(text)
    levels = dict(fw.qualifiers)

    def level(kind_: str) -> str | None:
        # the longest word said decides: 完全不能自理 is 全护理, though it holds 能自理 (全自理)
        said_words = [(len(w), value) for value, words in levels.get(kind_, ()) for w in words if w in text]
        return max(said_words)[1] if said_words else None

    strict = any(w.startswith(("多少", "几")) for w in said)
    latest = tuple(w for w in asked.get("latest", ()) if w in text)
    shape, shape_words = None, ()
    if strong or kind is None and not _FIGURE_ASKED.search(text):
        for k in (strong,) if strong else SHAPES:
            w = _first(asked, k, text)
            if w:
                shape, shape_words = k, tuple(x for x in asked.get(k, ()) if x in text)
                break
        if shape is None and strong == "frequency":
            shape = "frequency"  # 多长时间比对一次 (_HOW_OFTEN), in no word list
        if shape is None and (_YESNO_TAIL.search(text) or _A_NOT_A.search(text)):
            shape = "yesno"  # 要交钱不？ / 算不算家庭收入: a yes/no question asked with its 不
    timed = kind == "duration" or kind == "when" and not start  # a start asked is its own event
    return Asked(kind, start, age, level("care_level"), level("disability_grade"), tuple(said), strict, latest,
                 shape, shape_words, clock, level("provision"), event_of(text, tuple(said)) if timed else None)


def understand(analysis) -> Asked:
    """The facts a ``QueryAnalysis`` asks for (see the module docstring). 最高/最多 in a question
    comparing places (哪个城市…最高, or naming several places or none) asks for the highest, not
    for a cap; one place named, no 哪/谁 (漳州殡葬减免最高多少钱) asks for the cap."""
    asked = understand_text(analysis.normalized)
    if asked.kind == "cap" and analysis.comparison and (len(analysis.places) != 1 or _WHICH.search(analysis.normalized)):
        from dataclasses import replace

        return replace(asked, kind=None, words=(), strict=False)
    return asked


def level_words(question: str, asked: Asked) -> set[str]:
    """The words by which ``question`` says the care level / grade it asks (部分不能自理) and the
    period it counts by (每个月: vocabulary facts.periods); none when it asks no level."""
    fw = fact_words()
    levels = dict(fw.qualifiers)
    words = [w for k, v in asked.levels for w in (*dict(levels.get(k, ())).get(v, ()), *(w for _, ws in fw.periods for w in ws))]
    return {w for w in words if w in question}


def band_holds(band: tuple[float | None, float | None] | None, age: float) -> bool:
    if band is None:
        return False
    low, high = band
    return (low is None or age >= low) and (high is None or age <= high)


# 专场招聘会和美丽工坊，哪个帮助就业的人多: two things joined before the word asking which
_WHICH_OF = re.compile(r"[,，]?\s*(?:哪个|哪一个|哪项|哪种|谁)")
_JOINS = re.compile(r"和|与|跟|还是")
_CLAUSE_BREAK = re.compile(r"[，,、；;：:]|各")
# 集中供养孤儿比社会散居孤儿每月多多少: the two sides of a difference asked
_BY_HOW_MUCH = re.compile(r"([^，,。？?]+?)比([^，,。？?]+?)(?<![提增降涨])(?:多|高|少|低|贵|便宜)了?(?:多少|几)")


def compared_sides(question: str, terms) -> list[tuple[str, ...]]:
    """The two things ``question`` compares (A和B，哪个…多), each as the content ``terms`` only its
    part says — or, when ``terms`` (the words the documents use) hold none of one part, that part's
    Chinese text, which no document says then — or [] when it compares no two things (places
    compared have no terms: the region logic answers them).

    >>> compared_sides("招聘会和工坊，哪个帮助的人多？", ("招聘会", "工坊", "帮助"))
    [('招聘会',), ('工坊',)]
    >>> compared_sides("招聘会和爱心超市，哪个帮助的人多？", ("招聘会", "帮助"))
    [('招聘会',), ('爱心超市',)]
    >>> compared_sides("宜昌和襄阳的减免最高多少钱，哪个高？", ("减免",))
    []
    >>> compared_sides("集中供养孤儿比散居孤儿每月多多少？", ("集中供养", "孤儿", "散居", "每月"))
    [('集中供养',), ('散居', '每月')]
    """
    m = _WHICH_OF.search(question)
    parts = _JOINS.split(question[:m.start()]) if m else []
    by = _BY_HOW_MUCH.search(question)
    if len(parts) != 2 and by and all(_names_level(side) for side in by.groups()):
        parts = [by.group(1), by.group(2)]  # 集中供养的比散居的多多少: two levels around 比 (not 比上年)
    if len(parts) != 2:
        return []
    # the two things are the clause the join is in: 学前资助里，免保教费和补助生活费每学期各多少、哪个多
    parts = [_CLAUSE_BREAK.split(parts[0])[-1], _CLAUSE_BREAK.split(parts[1])[0]]
    sides = [tuple(t for t in terms if t in part and t not in parts[1 - i]) for i, part in enumerate(parts)]
    if not any(sides):
        return []
    unsaid = ["".join(re.findall(f"[{HAN}]+", part)) for side, part in zip(sides, parts) if not side]
    if any(len(u) < 2 or mentions(u, county_shorts=True) for u in unsaid):
        return []  # 宜昌和襄阳的…哪个高: places compared, which the region logic answers
    return [side or ("".join(re.findall(f"[{HAN}]+", part)),) for side, part in zip(sides, parts)]


def _names_level(text: str) -> bool:
    """``text`` says a qualifier (城市, 散居) or a level (全护理, 集中供养) of the vocabulary."""
    words = set(qualifier_words()) | {w for _, values in fact_words().qualifiers for _, ws in values for w in ws}
    return any(w in text for w in words)


def side_named(side: tuple[str, ...], text: str, contains) -> bool:
    """``text`` names one compared side: it holds one of its words (``contains`` decides, with
    synonyms), or two characters in a row of a longer one (免保教费 asked, 免除保教费 written).

    >>> side_named(("免保教费",), "免除保教费每生每学期750元", str.__contains__)
    True
    """
    return any(contains(text, t) or (len(t) > 2 and any(t[i:i + 2] in text for i in range(len(t) - 1)))
               for t in side)
