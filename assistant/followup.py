"""Follow-up questions: ``那农村的呢？`` after ``焦作市城市低保标准是多少？``.

``resolve(question, history) -> str | None`` rewrites a follow-up into a full
question using the previous turn, or returns None when the question stands on its
own. It is deliberately conservative: a question is only rewritten when

- it says it is a follow-up: starts with 那/那么/还有/另外/换成/如果是/要是, or ends
  with 呢/怎么样 (English: "what about", "how about", "and ..."); or
- it is nothing but slots: a place, a year, a qualifier (``洛阳？``, ``2020年``,
  ``农村的``) with no topic and no question word.

Slots are the place (焦作市, 惠济区), the year (2020年), the benefit (低保, 特困,
孤儿 — the ``benefits`` vocabulary) and its qualifiers (城市/农村, 散居/机构).
The previous question keeps every slot the new one omits:

- slots only (``洛阳呢？``, ``那农村的呢？``, ``特困呢？``, ``2020年呢？``): the
  previous question with those slots replaced (or inserted);
- a question word but no topic (``那有多少人呢？``): the previous place, year,
  qualifier and benefit + the new question;
- a complete question without a place (``那农村低保一年多少钱？``): the previous
  place (and year) + the new question.

Anything else — a new topic (``那北京的天气呢？``), a complete question, a keyword query (``焦作 低保``) — is not rewritten.

``history`` is what the caller has: earlier questions (strings, oldest first),
chat messages ``{"role", "content"}`` (Gradio's Chatbot value; an assistant
message's ``已理解为：…`` line gives that turn's resolved question), or earlier
answers as JSON (``{"question", "resolved_question"}``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

from index.tokenize import Tokenizer
from ingest.errors import InputError
from ingest.places import TOWN_ENDINGS, find_places, lookup, question_places
from ingest.text import HAN, HAN_CHAR, HAN_RUN, YEAR_LOOSE, alternation

from .benefits import load_vocabulary
from .history import RESOLVED_PREFIX, previous_question  # noqa: F401  (read here by callers too)
from .query import _QUESTION_WORDS, QueryAnalysis, analyze, synonyms
from .vocabulary import default


_MARK_START = re.compile(r"^(?:那么|那(?![些里儿样个边时])|还有|另外|换成|如果是|要是|再问一下|再问|"
                         r"and(?: what about| how about| in| for| the)?\b|what about\b|how about\b)\s*", re.I)
_MARK_END = re.compile(r"(?:呢|怎么样|咋样|又如何)\s*[?？!！.。]*\s*$")
_INTERROGATIVE = re.compile(r"多少|几[个家名户所处岁年月人次]|什么|怎么|怎样|如何|哪|谁|吗|是否|能否|能不能|可不可以|"
                            r"\b(?:what|how|which|who|when|where|whom|whose|is|are|was|were|do|does|did|can|could)\b",
                            re.I)
# 老观镇 / 城关街道 in a fragment: a town, a place below the gazetteer's counties (before 呢, 的, a break)
_TOWN_NAME = rf"[{HAN}]{{2,5}}?(?:{'|'.join(TOWN_ENDINGS)})"
_TOWN = re.compile(rf"{_TOWN_NAME}(?=呢|的|[，,?？。]|$)")
_TOWN_AFTER_PLACE = re.compile(_TOWN_NAME)  # 阆中老观镇农村低保: right after its county
_QUESTION_PHRASE = re.compile(r"(?:哪个|哪些|哪几个|各个|各|每个|所有)城市")
# a space between Han characters, or between a Han character and a digit (焦作 低保, 2021 年)
_SPACE_IN_HAN = re.compile(rf"(?<=[{HAN}])\s+(?=[{HAN}\d])|(?<=\d)\s+(?=[{HAN}])")
# words that are neither a slot nor a topic
_FILLER = {"有", "是", "为", "能", "可以", "发", "领", "拿", "给", "吗", "呢", "的", "了", "那", "那么", "还有", "另外",
           "情况", "怎么样", "如何", "怎么", "什么", "多少", "几", "要是", "如果", "如果是", "换成", "其中", "标准",
           "金额", "钱", "一下", "再问", "问", "又", "现在", "目前", "呢?", "啊", "呀"}
_PREDICATE_BY_INTENT = {"amount": "是多少？", "count": "有多少？", "ratio": "是多少？", "procedure": "怎么申请？",
                        "general": "？"}


@lru_cache(maxsize=1)
def _vocab():
    return load_vocabulary()


@lru_cache(maxsize=1)
def _qualifiers() -> dict[str, dict[str, str]]:
    """kind -> word -> qualifier value (城里 -> 城市), from the vocabulary's benefits section."""
    out: dict[str, dict[str, str]] = {}
    for kind, values in default()["benefits"]["qualifiers"].items():
        out[kind] = {w: v["name"] for v in values for w in v["words"]}
    return out


@lru_cache(maxsize=None)
def _qualifier_pattern(kind: str) -> re.Pattern[str]:
    """The words of qualifier ``kind`` as one regex, compiled once (``_slots`` runs per question)."""
    return re.compile(alternation(_qualifiers()[kind]))


@lru_cache(maxsize=1)
def _period_words() -> frozenset[str]:
    return frozenset(synonyms("月标准") + synonyms("年标准"))


# -- slots ------------------------------------------------------------------------

@dataclass
class _Slots:
    text: str
    places: list[tuple[str, int, int]] = field(default_factory=list)  # canonical name, span
    towns: list[tuple[str, int, int]] = field(default_factory=list)  # a town not in the gazetteer, span
    years: list[tuple[int, int, int]] = field(default_factory=list)
    quals: dict[str, list[tuple[str, str, int, int]]] = field(default_factory=dict)  # kind -> (value, word, span)
    benefits: list = field(default_factory=list)  # standards.Mention
    topic: list[str] = field(default_factory=list)  # content words that are no slot
    interrogative: bool = False

    def spans(self) -> list[tuple[int, int]]:
        out = [(s, e) for _, s, e in self.places + self.towns] + [(s, e) for _, s, e in self.years]
        out += [(s, e) for q in self.quals.values() for _, _, s, e in q]
        out += [(m.start, m.end) for m in self.benefits]
        return out


def _overlaps(s: int, e: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s < b and a < e for a, b in spans)


def _slots(text: str, qual_kinds: set[str] | None = None) -> _Slots:
    sl = _Slots(text)
    for place, s, e in question_places(text):
        sl.places.append((place.name, s, e))
    sl.towns = _towns(text, sl.places)
    sl.years = [(int(m.group(1)), m.start(), m.end()) for m in YEAR_LOOSE.finditer(text)]
    sl.benefits = _vocab().mentions(text)
    taken = [(s, e) for _, s, e in sl.places] + [(m.start(), m.end()) for m in _QUESTION_PHRASE.finditer(text)]
    kinds = set(_qualifiers()) if qual_kinds is None else qual_kinds
    for kind in kinds:
        words = _qualifiers()[kind]
        for m in _qualifier_pattern(kind).finditer(text):
            if not _overlaps(m.start(), m.end(), taken):
                sl.quals.setdefault(kind, []).append((words[m.group()], m.group(), m.start(), m.end()))
    # the rest: topic words (content) and question words
    rest = list(text)
    for s, e in sl.spans():
        rest[s:e] = [" "] * (e - s)
    rest_text = _strip_markers("".join(rest))
    sl.interrogative = bool(_INTERROGATIVE.search(rest_text))
    skip = _QUESTION_WORDS | _FILLER | _period_words()
    for tok in Tokenizer()(rest_text):
        if len(tok) < 2 or not HAN_CHAR.match(tok) or tok in skip or _INTERROGATIVE.search(tok):
            continue
        sl.topic.append(tok)
    return sl


def _towns(text: str, places: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Towns a question names that the gazetteer does not hold (老观镇): right after one of its
    places, or alone before 呢/的/a break after a follow-up mark (那老观镇呢: 那 is no part of it)."""
    mark = _MARK_START.match(text)
    found = [m for _, _, e in places if (m := _TOWN_AFTER_PLACE.match(text, e))]
    found += _TOWN.finditer(text, mark.end() if mark else 0)
    spans = [(s, e) for _, s, e in places]
    out = []
    for m in found:
        if not _overlaps(m.start(), m.end(), spans) and lookup(m.group()) is None:
            spans.append(m.span())
            out.append((m.group(), m.start(), m.end()))
    return sorted(out, key=lambda t: t[1])


def _relevant_kinds(*texts: str) -> set[str]:
    """Qualifier kinds that matter here: those of the benefits named (散居/机构 only mean
    something next to 孤儿), and the area kind (城市/农村) always."""
    kinds = {"area"} & set(_qualifiers())
    for t in texts:
        for m in _vocab().mentions(t):
            k = _vocab().qualifier_kind(m.family)
            if k:
                kinds.add(k)
    return kinds


def _chinese_form(a: QueryAnalysis) -> str:
    """An English question, glossed, as a Chinese question: place + year + Chinese words + predicate."""
    text = a.normalized
    spans = [(s, e) for _, s, e in find_places(text)] + [(m.start(), m.end()) for m in YEAR_LOOSE.finditer(text)]
    words = []
    for m in HAN_RUN.finditer(text):
        if _overlaps(m.start(), m.end(), spans) or m.group().startswith("多少"):
            continue
        words.append(m.group())
    places = "".join(dict.fromkeys(p.name for p in a.places))
    years = "".join(f"{y}年" for y in a.years)
    return places + years + "".join(words) + _PREDICATE_BY_INTENT.get(a.intent, "？")


def _qual_word(kind: str, value: str, word: str) -> str:
    """How to write a qualifier: the user's word when it names the value more fully
    (机构养育), else the value itself (村里 -> 农村)."""
    return word if word.startswith(value) else value


def _strip_markers(text: str, keep_also: bool = False) -> str:
    """Without the follow-up words; ``keep_also`` keeps 还有 (焦作市还有哪些救助政策)."""
    text = text.strip()
    if not (keep_also and text.startswith("还有")):
        text = _MARK_START.sub("", text)
    return _MARK_END.sub("", text).strip(" ?？!！.。,，")


def _tidy(text: str) -> str:
    text = _SPACE_IN_HAN.sub("", text).strip()
    text = re.sub(r"\s*[?？]+$", "", text)
    return text.rstrip("。.!！ ") + "？"


# -- resolving ----------------------------------------------------------------------

def resolve(question: str, history: Iterable[Any] | None, analysis: QueryAnalysis | None = None) -> str | None:
    """The full question a follow-up stands for, or None (see the module docstring).
    ``analysis``: the question's, when the caller has it (it is not analysed again)."""
    prev = previous_question(history)
    if not prev:
        return None
    new = analysis or analyze(question)  # a bad question raises InputError, as asking it would
    try:
        old_a = analyze(prev)
    except InputError:
        return None
    old_text = _chinese_form(old_a) if old_a.english else old_a.normalized
    text = new.normalized
    marked = _marked(new)
    kinds = _relevant_kinds(old_text, text)
    cur = _slots(text, kinds)
    old = _slots(old_text, kinds)
    has_slot = bool(cur.places or cur.towns or cur.years or cur.quals or cur.benefits)
    has_topic = bool(cur.benefits or cur.topic)
    if not marked and (has_topic or cur.interrogative or not has_slot):
        return None  # a question of its own (only a bare list of slots counts as a follow-up)
    if cur.topic and not cur.interrogative:
        return None  # 那北京的天气呢: a new topic, and nothing to ask about it we could borrow
    if new.english and not has_topic and _MARK_START.search(new.question):
        out = _substitute(cur, old)  # what about Luohe? (about is grammar once glossed): its slots
    elif has_topic and cur.interrogative:
        out = _carry_place(cur, old, _chinese_form(new) if new.english else _strip_markers(text, keep_also=True))
    elif cur.interrogative:
        out = _borrow_topic(cur, old, _PREDICATE_BY_INTENT[new.intent] if new.english else _predicate(cur))
    else:
        out = _substitute(cur, old)
    if out is None:
        return None
    out = _tidy(out)
    if _tidy(text) == out or len(out) > 500:
        return None
    return out


def _marked(analysis: QueryAnalysis) -> bool:
    """A follow-up mark (那…呢, what about …) in the text matching uses or, English, as typed."""
    texts = (analysis.normalized, analysis.question) if analysis.english else (analysis.normalized,)
    return any(_MARK_START.search(t) or _MARK_END.search(t) for t in texts)


def needs_history(question: str, analysis: QueryAnalysis | None = None) -> bool:
    """A fragment that only makes sense after another question (那农村的呢？): a follow-up mark
    and no topic of its own. Asked with no usable history, it must be refused, not answered.
    ``analysis``: the question's, when the caller has it."""
    try:
        analysis = analysis or analyze(question)
    except InputError:
        return False
    if not _marked(analysis):
        return False  # no follow-up mark: the question's slots need not be read
    text = analysis.normalized
    cur = _slots(text, _relevant_kinds(text))
    return not (cur.benefits or cur.topic)


def _place_text(sl: _Slots) -> str:
    return "".join(dict.fromkeys(sl.text[s:e] if not name.startswith(sl.text[s:e]) else name
                                 for name, s, e in sl.places))


def _year_text(sl: _Slots) -> str:
    return "".join(dict.fromkeys(f"{y}年" for y, _, _ in sl.years))


def _carry_place(cur: _Slots, old: _Slots, question: str) -> str | None:
    """A complete question that omits the place: the previous place (and year) + the question."""
    if cur.places or not old.places:
        return None
    year = "" if cur.years else _year_text(old)
    return _place_text(old) + year + question


def _predicate(cur: _Slots) -> str:
    """The question without its slots and follow-up words: 洛阳有多少人呢 -> 有多少人."""
    rest = list(cur.text)
    for s, e in cur.spans():
        rest[s:e] = [" "] * (e - s)
    return _strip_markers(re.sub(r"\s+", "", "".join(rest)))


def _borrow_topic(cur: _Slots, old: _Slots, predicate: str) -> str | None:
    """A question word with no topic (那有多少人呢): the previous slots and benefit + the question."""
    if not old.benefits or not predicate:
        return None
    m = old.benefits[0]
    kind = _vocab().qualifier_kind(m.family)
    if kind and kind in cur.quals:
        value, word, _, _ = cur.quals[kind][0]
        benefit = _qual_word(kind, value, word) + m.term
    else:
        benefit = old.text[m.start:m.end]
    if benefit.endswith("标准") and "标准" not in predicate:
        benefit = benefit[:-2]  # 城市低保标准 + 有多少人 -> 城市低保有多少人
    place = _place_text(cur) or _place_text(old)
    year = _year_text(cur) or _year_text(old)
    return place + year + benefit + predicate


def _substitute(cur: _Slots, old: _Slots) -> str | None:
    """Slots only: the previous question with the new slots put in place of the old ones."""
    edits: list[tuple[int, int, str]] = []  # on old.text
    anchor = old.places[-1][2] if old.places else 0  # where a missing year goes
    if cur.places:
        names = "和".join(dict.fromkeys(n for n, _, _ in cur.places))
        if old.places:
            edits.append((old.places[0][1], old.places[0][2], names))
            edits += [(s, e, "") for _, s, e in old.places[1:]]
        else:
            edits.append((0, 0, names))
    if cur.towns:
        if not (cur.places or old.places):
            return None  # a town with no place above it, here or before: its parent is unknown
        towns = "和".join(dict.fromkeys(n for n, _, _ in cur.towns))
        if old.towns:
            edits.append((old.towns[0][1], old.towns[0][2], towns))
            edits += [(s, e, "") for _, s, e in old.towns[1:]]
        else:  # 阆中 + 老观镇: the town keeps the previous question's place as its parent
            edits.append((anchor, anchor, towns))
    if cur.years:
        years = "和".join(dict.fromkeys(f"{y}年" for y, _, _ in cur.years))
        if old.years:
            edits.append((old.years[0][1], old.years[0][2], years))
            edits += [(s, e, "") for _, s, e in old.years[1:]]
        else:
            edits.append((anchor, anchor, years))
    covered: set[str] = set()  # qualifier kinds the benefit edit already writes
    if cur.benefits:
        if not old.benefits:
            return None
        m_old, m_new = old.benefits[0], cur.benefits[0]
        old_kind = _vocab().qualifier_kind(m_old.family)
        new_kind = _vocab().qualifier_kind(m_new.family)
        term = m_new.term + ("标准" if m_old.term.endswith("标准") and "标准" not in m_new.term else "")
        if m_new.start < m_new.term_start:  # the new benefit brings its own qualifier
            edits.append((m_old.start, m_old.end, cur.text[m_new.start:m_new.term_start] + term))
            covered.add(new_kind)
        elif old_kind == new_kind and old_kind not in cur.quals:
            edits.append((m_old.term_start, m_old.end, term))  # keep 城市 of 城市低保 for 特困
        else:
            edits.append((m_old.start, m_old.end, term))
            covered.add(old_kind)
    for kind, found in cur.quals.items():
        if kind in covered or any(m.start <= s and e <= m.end for m in cur.benefits for _, _, s, e in found):
            continue
        value, word, _, _ = found[0]
        new_word = "和".join(dict.fromkeys(_qual_word(kind, v, w) for v, w, _, _ in found))
        if kind in old.quals:
            (_, _, s, e), *others = old.quals[kind]
            edits.append((s, e, new_word))
            edits += [(a, b, "") for _, _, a, b in others]
        else:
            target = next((m for m in old.benefits if _vocab().qualifier_kind(m.family) == kind), None)
            if target is None:
                return None  # 农村 for a benefit that has no 城市/农村: nothing sensible to ask
            edits.append((target.start, target.start, new_word))
    if not edits:
        return None
    edits.sort(key=lambda x: (x[0], x[1]))
    for (s1, e1, _), (s2, e2, _) in zip(edits, edits[1:]):
        if s2 < e1:
            return None  # overlapping rewrites: do not guess
    out = old.text
    for s, e, rep in reversed(edits):
        out = out[:s] + rep + out[e:]
    return out
