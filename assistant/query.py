"""Question analysis: what a question asks, about where and when.

``analyze(question) -> QueryAnalysis``: the normalised question (traditional →
simplified, full-width → half-width, typos and 焦 作 市 spacing folded, English
terms glossed into Chinese; the words are in ``assistant/data/vocabulary.json``), the
places and years it names, the kind of figure it wants (amount, count, ratio,
procedure) and its content terms with their synonyms.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable

from index.hybrid import SearchHints
from index.query import SearchQuery
from index.tokenize import Tokenizer
from ingest.errors import InputError
from ingest.english_places import find_english_places, proper_words
from ingest.places import Place, candidates, find_places, place_of, question_places
from ingest.safe_text import replace_surrogates
from ingest.text import HAN_CHAR, YEAR_LOOSE, is_english, normalize

from .answer.asked import Asked, compared_sides, english_ages, understand
from .docrefs import without_document_refs
from .synonyms import synonym_groups
from .standards import load_vocabulary
from .vocabulary import (english_forms, english_grammar, english_lexicon, english_terms, fact_words, fold_question,
                         qualifier_words)

DATA = Path(__file__).with_name("data")
MAX_QUESTION_CHARS = 500

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # C1 controls: ingest.safe_text.CONTROL at print time
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")

INTENT_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # 按低保标准的多少发: the share of a base a payment is, no sum
    ("ratio", re.compile(r"率|比例|百分|占比|%|排名|第几|按(?:照)?[^，。？?！!]{1,12}的多少(?!倍)")),
    ("procedure", re.compile(r"谁可以|哪些人|什么人|什么样的人|条件|程序|流程|怎么申请|如何申请|怎样申请|怎么办|如何办|"
                             r"申请|办理|需要什么|有哪些措施|怎么做|如何做|做法|措施")),
    ("count", re.compile(r"多少(人|户|家|个|名|张|所|处|对|件|次|床|场|站|位|项)|几(个|家|名|户|所|处|次|人|位)|(?<!哪)几项|人数|户数|数量|"
                         r"多少人次|"
                         # 有多少特困人员 / 低保对象有多少: the people counted said by their noun, no unit
                         r"多少[^，。？?！!、\s]{0,6}?(?:人员|对象|人口|老人|儿童|孤儿|家庭)(?=$|[？?。，,！!呢了])|"
                         r"(?:人员|对象|人口|老人|儿童|孤儿|家庭)(?:共有|一共有|有)多少(?=$|[？?。，,！!呢了])")),
    ("amount", re.compile(r"多少钱|标准|金额|钱|元|补贴|津贴|补助|低保金|资金|救助金|发放了多少|一个月|每月|每年|一年|"
                          # a price asked (价格是多少, 调整为多少), not 多少价格优惠 (a discount, often a rate)
                          r"(?<!多少)(?:价格|价钱)|[气水电]价|费用|收费")),
]
COMPARISON = re.compile(r"各地|各市|各个城市|哪个(城市|地方|市)|哪里|分别|比较|对比|最高|最低|哪些城市|哪几个")
# question words removed from content terms (stopwords cover the rest)
_QUESTION_WORDS = {"多少钱", "钱", "标准", "给", "拿", "领", "能", "多", "少", "请问", "市", "年", "月",
                   "各地", "分别", "哪个", "哪些", "最高", "最低", "谁", "比较", "对比", "城市哪个", "各是", "各有",
                   "人", "人次", "户", "家", "个", "名", "张", "次", "一共", "总共", "有多少", "数量",
                   "the", "what", "how", "is", "in"}


@dataclass(frozen=True)
class QueryAnalysis:
    question: str  # as asked (cleaned of control characters)
    normalized: str  # what matching uses
    places: tuple[Place, ...]
    years: tuple[int, ...]
    intent: str  # amount | count | ratio | procedure | general
    terms: tuple[str, ...]  # content terms (no places, years, question words)
    expansions: tuple[str, ...]  # synonyms of the terms
    comparison: bool
    english: bool
    multiple: bool = False  # asks for two figures at once (多少人、多少钱 / 城市和农村各是多少)
    units: tuple[str, ...] = ()  # units the question names (多少人 -> 人)
    notes: tuple[str, ...] = field(default_factory=tuple)
    bare: bool = False  # only names a benefit (and place/year/qualifier), no question word: 焦作 低保

    @cached_property
    def asked(self) -> Asked:
        """What the question asks of the facts (``answer.asked.understand``), read once per analysis
        and passed on with it; a follow-up's rewritten analysis is a new one and reads its own."""
        return understand(self)

    @cached_property
    def sides(self) -> tuple[tuple[str, ...], ...]:
        """The two things the question compares (A和B，哪个…多), as ``answer.asked.compared_sides``."""
        return tuple(compared_sides(self.normalized, self.terms))

    @property
    def regions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.region if p.level == "county" else p.name for p in self.places))

    def hints(self) -> SearchHints:
        regions: list[str] = []
        for p in self.places:
            if p.level == "province":
                continue
            regions.append(p.region)
            if p.level == "county":
                regions.append(p.city)
        return SearchHints(tuple(dict.fromkeys(regions)), self.years, self.expansions)

    def search_query(self) -> SearchQuery:
        """What the retriever searches with: this analysis, never a second one of the text."""
        return SearchQuery(self.normalized, self.hints())


@lru_cache(maxsize=1)
def _synonym_index() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for group in synonym_groups():
        for w in group:
            out[w] = group
    return out


def synonyms(term: str) -> tuple[str, ...]:
    """All words equivalent to ``term`` (itself included)."""
    return _synonym_index().get(term, (term,))


@lru_cache(maxsize=1)
def _glossary() -> tuple[tuple[re.Pattern[str], str], ...]:
    ordered = sorted(english_terms().items(), key=lambda kv: -len(kv[0]))
    # a plural is the same word: "standard" matches standards, "subsidy" matches subsidies
    return tuple((re.compile(rf"\b{_plural(re.escape(en))}\b", re.I), zh) for en, zh in ordered)


@lru_cache(maxsize=1)
def _forms() -> re.Pattern[str]:
    """The irregular forms of the vocabulary (``english_forms``), as whole words."""
    return re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(english_forms(), key=len, reverse=True))) + r")\b", re.I)


def _plural(escaped: str) -> str:
    if escaped.endswith("y") and len(escaped) > 2 and escaped[-2] not in "aeiou":
        return escaped[:-1] + "(?:y|ies)"
    return escaped + "(?:s|es)?"


def gloss_english(text: str, proper: frozenset[str] | None = None, regions: frozenset[str] = frozenset(),
                  used: Callable[[str], int | None] | None = None) -> str:
    """Replace known English benefit phrases (the vocabulary's glossary) and place names
    (``ingest.english_places``: Huangpu District → 上海市黄浦区) by their Chinese terms, then
    the English words left by a Chinese word of the lexicon that the collection uses.
    ``proper``: the words the question as typed capitalises (``english_places.proper_words``);
    ``regions``: the places the collection is about, which decide a spelling several share;
    ``used``: how many chunks of the collection hold a token (``LoadedIndex.document_frequency``);
    without it (or where it says None) no lexicon word is taken: the collection decides.
    Irregular forms are read as their dictionary form first (were given → were give)."""
    text = _forms().sub(lambda m: english_forms()[m.group().lower()], text)
    text = english_ages(text)  # aged 90 to 99 / a 92-year-old: the age band an elderly benefit is paid by
    for pat, zh in _glossary():
        text = pat.sub(f" {zh} ", text)
    named = {p.name for p, _, _ in find_places(text)}
    for place, start, end in reversed(find_english_places(text, named, proper, regions)):
        # the name as a Chinese question would write it: 昆山市, or 上海市黄浦区 where the name is shared
        name = place.name if len(candidates(place.name)) == 1 else place.region
        text = f"{text[:start]} {name} {text[end:]}"
    if used is not None:
        text = _EN_RUN.sub(lambda m: _gloss_run(m.group(0), used), text)
    return re.sub(r"\s+", " ", text).strip()


# a run of English words (a hyphen or apostrophe inside a word: active-duty, Deqing's)
_EN_RUN = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:\s+[A-Za-z][A-Za-z'’-]*)*")
_LONGEST_PHRASE = 3  # words: the lexicon's longest headword (build_english_lexicon.MAX_WORDS)


def _lemmas(word: str) -> tuple[str, ...]:
    """``word`` and the forms a dictionary headword may have (services → service, subsidies →
    subsidy, classes → class, registered → register, caring → care), the word first."""
    w = re.sub(r"['’]s$", "", word.lower())
    forms = [w]
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not (suffix == "s" and w.endswith("ss")):
            forms.append(w[:-len(suffix)] + repl)
    return tuple(dict.fromkeys(forms))


def lexicon_words(phrase: str) -> tuple[str, ...]:
    """The lexicon's Chinese words for an English word or phrase, those of its last word's other
    forms (case, a plural or verb ending) after: ``Funerals`` → 红白喜事, 殡葬, 葬礼, …; () for
    an unknown phrase."""
    words = phrase.split()
    if not words:
        return ()
    lexicon = english_lexicon()
    head = " ".join(w.lower() for w in words[:-1])
    # every form's words (funerals is a headword of its own, 红白喜事, beside funeral's 殡葬)
    found = (lexicon.get(f"{head} {form}" if head else form, ()) for form in _lemmas(words[-1]))
    return tuple(dict.fromkeys(zh for words_of_form in found for zh in words_of_form))


def _gloss_run(run: str, used: Callable[[str], int | None]) -> str:
    """A run of English words with each phrase the lexicon knows (longest first) replaced by
    its candidate the collection uses most, and its grammar words (did, their) dropped; a phrase
    no candidate of which the collection uses stays English (and so no answer is made of a word
    the documents never say)."""
    words = run.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(_LONGEST_PHRASE, len(words) - i), 0, -1):
            best, best_df = None, 0
            for zh in lexicon_words(" ".join(words[i:i + n])):
                df = used(zh) or 0
                if df > best_df:
                    best, best_df = zh, df
            if best is not None:
                out.append(f" {best} ")
                i += n
                break
        else:
            if words[i].lower() not in english_grammar():  # did, have, their: grammar, no topic
                out.append(words[i])
            i += 1
    return " ".join(out)


def clean_input(value: Any, limit: int, zh: str, en: str, advice: str, tidy: Callable[[str], str] = str) -> str:
    """User text (a question, a message) without control characters, then ``tidy``-ed and stripped;
    None, empty or over ``limit`` characters is an ``InputError`` naming ``zh``/``en`` and the limit."""
    if value is None:
        raise InputError(f"{zh}不能为空（empty {en}）")
    text = tidy(_CONTROL.sub(" ", replace_surrogates(str(value)))).strip()  # a lone surrogate would end OpenCC
    if not text:
        raise InputError(f"{zh}不能为空（empty {en}）")
    if len(text) > limit:
        raise InputError(f"{zh}过长：{len(text)} 字，上限 {limit} 字，{advice}"
                         f"（{en} too long: {len(text)} > {limit} characters）")
    return text


def clean_question(question: str) -> str:
    # markup is never part of a question; the UI escapes the rest
    return clean_input(question, MAX_QUESTION_CHARS, "问题", "question", "请精简后再问", lambda q: _TAG.sub(" ", q))


def detect_intent(text: str) -> str:
    # an allowance word (vocabulary facts.selection.allowance_asked: 生活费, 养育费) asks an amount too
    allowance = dict(fact_words().selection).get("allowance_asked", ())
    for name, pat in INTENT_PATTERNS:
        if pat.search(text) or (name == "amount" and any(w in text for w in allowance)):
            return "general" if name == "amount" and _which_in_period(text) else name
    return "general"


# 哪类 / 哪种 / 哪些 / 哪部分: which kind of thing is asked
_WHICH_KIND = re.compile(r"哪(?:一)?(?:类|种|些|部分)")
# what makes a question an amount question besides a period (一年 / 每月 alone say when or how long)
_PERIOD_WORDS = re.compile(r"一个月|每月|每年|一年")
_FIGURE_WORDS = re.compile(r"多少|几")


def _which_in_period(text: str) -> bool:
    """The question asks which kind of thing (向哪类人群免费开放) within a period it names (一年内),
    no sum: a period word is its only amount word and it asks no 多少/几.

    >>> _which_in_period("开放之日起一年内，向哪类人群免费开放？"), _which_in_period("一年发多少补助？")
    (True, False)
    """
    if not _WHICH_KIND.search(text) or _FIGURE_WORDS.search(text):
        return False
    amount = dict(INTENT_PATTERNS)["amount"]
    return amount.search(_PERIOD_WORDS.sub(" ", text)) is None


def analyze(question: str, tokenizer: Tokenizer | None = None, regions: frozenset[str] = frozenset(),
            used: Callable[[str], int | None] | None = None) -> QueryAnalysis:
    """``regions``: the places the asked collection's documents are about (``region_names``);
    they decide only a place name several places share (Huangpu in English, 海城 in Chinese). ``used``: the
    collection's document frequency of a token, which picks an English word's Chinese gloss
    (``gloss_english``)."""
    q = clean_question(question)
    english = is_english(q)
    norm = fold_question(normalize(q))
    if english:
        norm = gloss_english(norm, proper_words(q), regions, used)
    found = question_places(norm, regions)
    places = tuple(dict.fromkeys(p for p, _, _ in found))
    # 1943年至1952年出生的: birth years say who is asked about, not the period a document covers
    born = [m.span() for m in _BIRTH_YEARS.finditer(norm)]
    years = tuple(dict.fromkeys(int(m.group(1)) for m in YEAR_LOOSE.finditer(norm)
                                if not any(a <= m.start() < b for a, b in born)))
    intent = detect_intent(norm)
    # content terms: tokens minus places, years, numbers and question words
    masked = norm
    for _, s, e in sorted(found, key=lambda t: -t[1]):
        masked = masked[:s] + " " + masked[e:]
    masked = without_document_refs(_DAYS.sub(" ", YEAR_LOOSE.sub(" ", masked)))  # 表中, 该通知中: no topic
    tok = tokenizer or Tokenizer()
    terms = []
    selection = dict(fact_words().selection)
    suffixes, copulas = selection.get("measure_suffixes", ()), selection.get("copulas", ())
    for t in tok(masked):
        if t in _QUESTION_WORDS or t.isdigit() or (len(t) == 1 and not HAN_CHAR.match(t)):
            continue
        if len(t) == 2 and t[0] in suffixes and t[1] in copulas:
            t = t[0]  # 申报率为多少: jieba's 率为 is the suffix 率 and the copula 为
        terms.append(t)
    terms = list(dict.fromkeys(terms))
    # drop parts of longer terms (search mode emits both 最低生活保障 and 生活)
    terms = [t for t in terms if not any(t != o and t in o for o in terms)] or terms
    expansions = []
    for t in terms:
        for s in synonyms(t):
            if s != t and s not in terms:
                expansions.append(s)
    comparison = bool(COMPARISON.search(norm))
    return QueryAnalysis(question=q, normalized=norm, places=places, years=years, intent=intent,
                         terms=tuple(terms), expansions=tuple(dict.fromkeys(expansions)),
                         comparison=comparison, english=english, multiple=_asks_multiple(norm),
                         units=tuple(dict.fromkeys(_UNIT_ASKED.findall(norm))),
                         bare=intent == "general" and not comparison and _names_only_benefit(norm, terms))


# 8月10日 / 10日至11日: a day says when, it is no topic (jieba's 日至 of 10日至11日 is in no document);
# 15日内 is a time limit and stays
_DAYS = re.compile(r"(?:\d{1,2}\s*月\s*)?\d{1,2}\s*[日号](?!内)(?:\s*[至到~～—–-]\s*(?:\d{1,2}\s*月\s*)?\d{1,2}\s*[日号](?!内))?")
_BIRTH_YEARS = re.compile(r"(?:19|20)\d{2}\s*年(?:\d{1,2}月)?(?:(?:[至到~～—–-]|以前|以后|之前|之后|及以前|及以后)"
                          r"(?:(?:19|20)\d{2}\s*年(?:\d{1,2}月)?)?)?(?:(?:以前|以后|之前|之后)?(?:出生|生人))")

_ASKING = re.compile(r"多少|几|什么|怎么|怎样|如何|哪|谁|吗|是否|能否")


def _names_only_benefit(norm: str, terms: list[str]) -> bool:
    """A keyword query: a benefit named, every other content word a qualifier (城市, 散居)."""
    if _ASKING.search(norm):
        return False
    mentions = load_vocabulary().mentions(norm)
    if not mentions:
        return False
    named = [norm[m.start:m.end] for m in mentions]
    quals = qualifier_words()
    return all(any(t in n for n in named) or t in quals for t in terms)


_UNIT_ASKED = re.compile(r"(?:多少|几)(人次|人|户|家|个|名|张|所|处|对|件|次|床|场|站)")
_ASKS = re.compile(r"多少|几[个家名户所处]|金额|比例|占比")


def _asks_multiple(q: str) -> bool:
    """Two figures asked at once: two question words, 各/分别 or 差多少 with two items, 城市和农村."""
    if len(_ASKS.findall(q)) >= 2:
        return True
    if re.search(r"各是|各有|分别", q) and re.search(r"和|与|、|及", q):
        return True
    if re.search(r"各(?:要|需|需要|应|须|自)", q):
        return True  # 男女各要满多少岁: a pair said in one word, each asked
    if re.search(r"差多少|相差多少|差距|差额", q) and re.search(r"和|与|、|及|跟", q):
        return True  # 一本和专科的资助上限差多少: both figures, then their difference
    return "城市" in q and "农村" in q


def region_names(labels: Iterable[str]) -> frozenset[str]:
    """The places of a collection's region labels (``Corpus.cities``), with every place containing them."""
    out: set[str] = set()
    for label in labels:
        place = place_of(label)
        if place is not None:
            out.update(place.chain)
    return frozenset(out)
