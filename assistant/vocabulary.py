"""The editable vocabulary: how citizens' words map to the reports' words.

One file, ``assistant/data/vocabulary.json`` (its ``_doc`` and the README section
"追问、同义词与繁体/英文" describe the format):

- ``synonyms``: groups of equivalent words (BM25 query expansion, sentence
  scoring, refusal logic), merged with the benefit families' terms so that a
  benefit synonym is written once;
- ``benefits``: benefit categories for the standards table and question analysis
  (parsed by :class:`assistant.benefits.Vocabulary`);
- ``english``: English phrase → Chinese word, for English questions;
- ``english_forms``: irregular English forms → their dictionary form (given → give, spent → spend);
- ``typos``: frequent misspellings → correct form;
- ``off_topic``: words outside civil affairs (天气, 护照) that the refusal logic
  refuses even when a report happens to use them;
- ``domain``: words that make a question a civil-affairs question (民政, 救助, 殡葬);
- ``filler``: question words that are never a topic (搞, 咋, 请问);
- ``facts``: the words the facts layer reads quantities by (:func:`fact_words`);
- ``passages``: the words the passage finder reads a question by (:func:`passage_words`);
- ``passage_heads``: what a which/what question asks for (:func:`passage_heads`);
- ``focus``: what a what/how/which/where/who question asks of its topic (:func:`focus_words`);
- ``document_refs``: words that point at the document itself (表中, 该通知): :func:`document_refs`.

Place names and aliases are the gazetteer ``ingest/data/places.json`` (ingest
needs it, so it lives there); :mod:`ingest.places` loads it.

Also here: :func:`fold_question`, what question analysis applies after
``ingest.text.normalize`` (typos, 焦 作 市 spacing). Standard library only.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, make_dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ingest.errors import ConfigError
from ingest.text import HAN as _HAN
from ingest.text import alternation

VOCABULARY_PATH = Path(__file__).with_name("data") / "vocabulary.json"
FORMAT_VERSION = 1
SECTIONS = ("synonyms", "benefits", "english", "english_forms", "typos", "off_topic", "filler", "domain", "facts",
            "passages", "passage_heads", "focus", "document_refs")
PASSAGE_LISTS = ("wh", "how_many", "who", "eligibility_words", "eligibility_verbs", "bare_heads")
FOCUS_LISTS = ("exclusion", "also", "modals", "where_asked", "where_preps", "acts", "places", "who_asked", "duties",
               "offices", "how_asked", "not_how", "means", "applicant_verbs", "office_verbs", "not_which",
               "eligible_asked", "eligible_marks", "steps_asked", "step_marks", "person_asked", "posts")
# the word lists of the "facts" section and the qualifier tables (value -> words) beside them
FACT_LISTS = ("standard", "raise", "total_verbs", "average", "cap", "floor", "delta", "effective", "target")
FACT_QUALIFIERS = ("care_level", "disability_grade", "provision", "item_sizes", "asked", "must_cite", "unit_families",
                   "shape_marks", "events", "periods", "selection")
# the qualifier tables a figure is read at (全护理, 一级, 分散供养): each figure carries the level of its own clause
LEVEL_KINDS = ("care_level", "disability_grade", "provision")


def _bad(path: Path, where: str, problem: str) -> ConfigError:
    return ConfigError(f"词表有误：{path} 中 {where}：{problem}（bad entry in vocabulary {path}: {where}: {problem}）")


def read_json(path: Path, what: str, what_en: str) -> Any:
    """The parsed JSON of ``path``; a missing, unreadable or invalid file is a ``ConfigError``
    that names the file (and the line and column of a syntax error)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{what}不存在：{path}（{what_en} not found: {path}）") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{what}无法读取：{path}（cannot read {what_en} {path}: {e}）") from None
    except json.JSONDecodeError as e:
        raise ConfigError(f"{what}不是合法的 JSON：{path} 第{e.lineno}行第{e.colno}列"
                          f"（{what_en} {path} is not valid JSON: {e.msg} at line {e.lineno} column {e.colno}）") from None


def read(path: Path | str | None = None) -> dict[str, Any]:
    """The raw vocabulary file, with its top level and the sections this module uses validated.
    (``benefits`` is validated by :class:`assistant.benefits.Vocabulary`.)"""
    path = Path(path) if path is not None else VOCABULARY_PATH
    raw = read_json(path, "词表", "vocabulary")
    if not isinstance(raw, dict):
        raise _bad(path, "顶层（top level）", "应为 JSON 对象（must be an object）")
    if raw.get("format_version") != FORMAT_VERSION:
        raise _bad(path, "format_version", f"应为 {FORMAT_VERSION}，实为 {raw.get('format_version')!r}"
                                           f"（must be {FORMAT_VERSION}）")
    unknown = set(raw) - {"_doc", "format_version", *SECTIONS}
    if unknown:
        raise _bad(path, ", ".join(sorted(unknown)), "未知的键（unknown key）")
    for key in SECTIONS:
        if key not in raw:
            raise _bad(path, key, "缺少此项（missing）")
    groups = raw["synonyms"]
    if not isinstance(groups, list):
        raise _bad(path, "synonyms", "应为列表（must be a list of word lists）")
    for i, g in enumerate(groups):
        if not isinstance(g, list) or len(g) < 2 or not all(isinstance(w, str) and w.strip() == w and w for w in g):
            raise _bad(path, f"synonyms[{i}] {g!r}", "应为至少两个词的列表（must be a list of at least two words）")
    for key in ("english", "english_forms", "typos"):
        table = raw[key]
        if not isinstance(table, dict):
            raise _bad(path, key, "应为对象（must be an object of word -> word）")
        for k, v in table.items():
            if not isinstance(v, str) or not v.strip() or not k.strip() or k == v:
                raise _bad(path, f"{key}.{k}", f"{v!r} 不是有效的替换词（not a valid replacement）")
    for key in ("off_topic", "filler", "domain"):
        words = raw[key]
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() == w and w for w in words):
            raise _bad(path, key, "应为词的列表（must be a list of words）")
    _check_facts(path, raw["facts"])
    _check_passages(path, raw["passages"])
    _check_lists(path, "passage_heads", raw["passage_heads"], ("wh", "generic"))
    _check_lists(path, "focus", raw["focus"], FOCUS_LISTS)
    _check_lists(path, "document_refs", raw["document_refs"], ("before", "nouns", "after"))
    for wrong in raw["typos"]:
        if any(wrong in right for right in raw["typos"].values()):
            raise _bad(path, f"typos.{wrong}", "错误写法出现在另一条的正确写法中（a wrong form inside a correct one）")
    return raw


def _words(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(w, str) and w.strip() == w and w for w in value)


def _check_passages(path: Path, section: Any) -> None:
    _check_lists(path, "passages", section, PASSAGE_LISTS)


def _check_lists(path: Path, name: str, section: Any, keys: tuple[str, ...]) -> None:
    """``section`` is an object of exactly ``keys`` (and ``_doc``), each a non-empty word list."""
    if not isinstance(section, dict):
        raise _bad(path, name, "应为对象（must be an object）")
    unknown = set(section) - {"_doc", *keys}
    if unknown:
        raise _bad(path, f"{name}." + ", ".join(sorted(unknown)), "未知的键（unknown key）")
    for key in keys:
        if key not in section:
            raise _bad(path, f"{name}.{key}", "缺少此项（missing）")
        if not _words(section[key]):
            raise _bad(path, f"{name}.{key}", "应为非空的词列表（must be a non-empty list of words）")


def _check_facts(path: Path, facts: Any) -> None:
    if not isinstance(facts, dict):
        raise _bad(path, "facts", "应为对象（must be an object）")
    unknown = set(facts) - {"_doc", *FACT_LISTS, *FACT_QUALIFIERS}
    if unknown:
        raise _bad(path, "facts." + ", ".join(sorted(unknown)), "未知的键（unknown key）")
    for key in FACT_LISTS + FACT_QUALIFIERS:
        if key not in facts:
            raise _bad(path, f"facts.{key}", "缺少此项（missing）")
    for key in FACT_LISTS:
        if not _words(facts[key]):
            raise _bad(path, f"facts.{key}", "应为非空的词列表（must be a non-empty list of words）")
    for key in FACT_QUALIFIERS:
        table = facts[key]
        if not isinstance(table, dict) or not table:
            raise _bad(path, f"facts.{key}", "应为对象：限定值 -> 词列表（must be an object: value -> words）")
        for name, words in table.items():
            if name == "_doc":
                continue
            if not _words(words):
                raise _bad(path, f"facts.{key}.{name}", "应为非空的词列表（must be a non-empty list of words）")


@dataclass(frozen=True)
class FactWords:
    """The ``facts`` section, typed: word tuples, and qualifier kind -> ((value, words), ...)."""

    standard: tuple[str, ...]
    raise_: tuple[str, ...]
    total_verbs: tuple[str, ...]
    average: tuple[str, ...]
    cap: tuple[str, ...]
    floor: tuple[str, ...]
    delta: tuple[str, ...]
    effective: tuple[str, ...]
    target: tuple[str, ...]
    qualifiers: tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...]
    asked: tuple[tuple[str, tuple[str, ...]], ...] = ()  # kind of fact asked -> the question words for it
    must_cite: tuple[tuple[str, tuple[str, ...]], ...] = ()  # question word -> words a cited span must hold one of
    unit_families: tuple[tuple[str, ...], ...] = ()  # units that count the same thing (人, 名, 位)
    shape_marks: tuple[tuple[str, tuple[str, ...]], ...] = ()  # figure-free shape -> words of its sentences
    generic_units: tuple[str, ...] = ()  # classifiers that count anything (个): they restrict no answer
    # unit -> the generic classifiers whose figure answers a question asked in it too (多少家企业: 11个企业)
    generic_counts: tuple[tuple[str, tuple[str, ...]], ...] = ()
    periods: tuple[tuple[str, tuple[str, ...]], ...] = ()  # 年 / 月 -> the words saying a figure's period
    events: tuple[tuple[str, tuple[str, ...]], ...] = ()  # an event a time is asked of (发放) -> the words saying it
    selection: tuple[tuple[str, tuple[str, ...]], ...] = ()  # answer.wording's word lists (eligibility, grants, …)

    def unit_family(self, unit: str) -> tuple[str, ...]:
        """The units counting what ``unit`` counts (itself alone when the file lists none)."""
        return next((f for f in self.unit_families if unit in f), (unit,))

    alternation = staticmethod(alternation)  # ingest.text's: a regex alternation of words, longest first


@lru_cache(maxsize=1)
def fact_words() -> FactWords:
    raw = default()["facts"]
    lists = {k: tuple(raw[k]) for k in FACT_LISTS}
    lists["raise_"] = lists.pop("raise")
    quals = tuple((k, tuple((v, tuple(ws)) for v, ws in raw[k].items())) for k in FACT_QUALIFIERS
                  if k in LEVEL_KINDS)
    asked = tuple((k, tuple(ws)) for k, ws in raw["asked"].items())
    must_cite = tuple((k, tuple(ws)) for k, ws in raw["must_cite"].items())
    families = tuple(tuple(ws) for k, ws in raw["unit_families"].items() if k not in ("generic", "generic_counts", "generic_counters"))
    generic = tuple(raw["unit_families"].get("generic", ()))
    generic_counts = tuple((u, tuple(raw["unit_families"].get("generic_counters", ())))
                           for u in raw["unit_families"].get("generic_counts", ()))
    marks = tuple((k, tuple(ws)) for k, ws in raw["shape_marks"].items())
    return FactWords(qualifiers=quals, asked=asked, must_cite=must_cite, unit_families=families,
                     shape_marks=marks, generic_units=generic, generic_counts=generic_counts,
                     periods=tuple((k, tuple(ws)) for k, ws in raw["periods"].items()),
                     events=tuple((k, tuple(ws)) for k, ws in raw["events"].items() if k != "_doc"),
                     selection=tuple((k, tuple(ws)) for k, ws in raw["selection"].items() if k != "_doc"), **lists)


@lru_cache(maxsize=1)
def item_sizes() -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """The ``facts.item_sizes`` table: (an item modifier -> the question words naming it, the neutral words)."""
    raw = {k: tuple(v) for k, v in default()["facts"]["item_sizes"].items() if k != "_doc"}
    return {k: v for k, v in raw.items() if k != "neutral"}, raw.get("neutral", ())


# The ``passages`` section, typed (see its ``_doc``): one tuple of words per list it holds, the
# fields named once, by PASSAGE_LISTS (what the file is checked against too).
PassageWords = make_dataclass("PassageWords", [(k, tuple[str, ...]) for k in PASSAGE_LISTS], frozen=True)


@lru_cache(maxsize=1)
def passage_words() -> PassageWords:
    raw = default()["passages"]
    return PassageWords(**{k: tuple(raw[k]) for k in PASSAGE_LISTS})


# The ``focus`` section, typed (see its ``_doc``): what a what/how/which/where/who question asks of
# its topic and the words a sentence says it by (assistant/answer/focus.py).
FocusWords = make_dataclass("FocusWords", [(k, tuple[str, ...]) for k in FOCUS_LISTS], frozen=True)


@lru_cache(maxsize=1)
def focus_words() -> FocusWords:
    raw = default()["focus"]
    return FocusWords(**{k: tuple(raw[k]) for k in FOCUS_LISTS})


@lru_cache(maxsize=1)
def passage_heads() -> tuple[tuple[str, ...], frozenset[str]]:
    """The ``passage_heads`` section: (the which/what words, longest first; the generic nouns)."""
    raw = default()["passage_heads"]
    return tuple(sorted(raw["wh"], key=len, reverse=True)), frozenset(raw["generic"])


@lru_cache(maxsize=1)
def document_refs() -> tuple[str, ...]:
    """The ``document_refs`` section as the phrases it allows (上表, 该通知中, 表中), longest first."""
    raw = default()["document_refs"]
    heads = [b + n for b in raw["before"] for n in raw["nouns"]]
    phrases = {*heads, *(h + a for h in heads + list(raw["nouns"]) for a in raw["after"])}
    return tuple(sorted(phrases, key=lambda w: (-len(w), w)))


@lru_cache(maxsize=1)
def default() -> dict[str, Any]:
    """The sections of the shared vocabulary file, read and checked once."""
    return read(VOCABULARY_PATH)


@lru_cache(maxsize=1)
def english_terms() -> dict[str, str]:
    return dict(default()["english"])


@lru_cache(maxsize=1)
def english_forms() -> dict[str, str]:
    """Irregular English word forms -> the form a dictionary headword has (given -> give)."""
    return {k.lower(): v.lower() for k, v in default()["english_forms"].items() if k != "_doc"}


@lru_cache(maxsize=1)
def typos() -> dict[str, str]:
    return dict(default()["typos"])


@lru_cache(maxsize=1)
def qualifier_words() -> dict[str, str]:
    """Every qualifier word of the benefits section -> its value (城里 -> 城市, 福利院 -> 机构)."""
    out: dict[str, str] = {}
    for values in default()["benefits"]["qualifiers"].values():
        for v in values:
            for w in v["words"]:
                out.setdefault(w, v["name"])
    return out


@lru_cache(maxsize=1)
def off_topic() -> frozenset[str]:
    return frozenset(default()["off_topic"])


@lru_cache(maxsize=1)
def domain_words() -> frozenset[str]:
    """Words that make a question a civil-affairs question (民政, 救助, 殡葬): section ``domain``."""
    return frozenset(default()["domain"])


@lru_cache(maxsize=1)
def qualifier_values() -> dict[str, tuple[str, ...]]:
    """Each benefits qualifier kind -> its base values (area -> 城市, 农村), combined ones (城乡) aside."""
    return {kind: tuple(v["name"] for v in values if "means" not in v)
            for kind, values in default()["benefits"]["qualifiers"].items()}


@lru_cache(maxsize=1)
def qualifier_kinds() -> dict[str, str]:
    """Each benefits qualifier value, combined ones (城乡) included -> its kind (城市 -> area)."""
    return {v["name"]: kind for kind, values in default()["benefits"]["qualifiers"].items() for v in values}


@lru_cache(maxsize=1)
def filler() -> frozenset[str]:
    """Question words that are never a topic (搞, 咋, 请问): section ``filler``, and the people a
    question is asked for (我爷爷…: ``facts.selection.askers``)."""
    return frozenset(default()["filler"]) | frozenset(dict(fact_words().selection).get("askers", ()))


def topic_term(term: str) -> str:
    """``term`` without the filler words it starts with (jieba keeps 哪些项目 one token: its topic
    is 项目), or "" when it is filler only (哪几个, 多长时间)."""
    fill = filler()
    while term and term not in fill:
        head = next((w for w in sorted(fill, key=len, reverse=True) if term.startswith(w) and len(w) < len(term)), None)
        if head is None:
            return term
        term = term[len(head):]
    return "" if term in fill else term


@lru_cache(maxsize=1)
def _typo_pattern() -> re.Pattern[str] | None:
    words = sorted(typos(), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words)) if words else None


# three or more single Han characters separated by spaces: 焦 作 市 低 保
_SPACED = re.compile(rf"(?<![{_HAN}])[{_HAN}](?: [{_HAN}](?![{_HAN}])){{2,}}")


def fold_question(text: str) -> str:
    """Typos and letter-by-letter spacing, on text already ``normalize``d:
    ``焦 作 市 底 保`` → ``焦作市低保``. Spaces between words (``焦作 低保``) stay."""
    text = _SPACED.sub(lambda m: m.group().replace(" ", ""), text)
    pat = _typo_pattern()
    if pat is not None:
        table = typos()
        text = pat.sub(lambda m: table[m.group()], text)
    return text


ENGLISH_LEXICON_PATH = Path(__file__).with_name("data") / "english_lexicon.json"
ENGLISH_LEXICON_FORMAT = ("civilqa-english-lexicon", 1)


def english_lexicon() -> dict[str, tuple[str, ...]]:
    """English headword (lower case) → the Chinese words it translates, commoner first: the
    generated ``english_lexicon.json`` (``build_english_lexicon.py``, from CC-CEDICT), read once on
    the first English question; a missing or malformed file is a ``ConfigError`` naming it."""
    return _english_lexicon_file()[0]


def english_grammar() -> frozenset[str]:
    """The English function words (``english_lexicon.json``, ``grammar``) a glossed question drops."""
    return _english_lexicon_file()[1]


@lru_cache(maxsize=1)
def _english_lexicon_file() -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    raw = read_json(ENGLISH_LEXICON_PATH, "英汉词表", "English lexicon")
    if not isinstance(raw, dict) or (raw.get("format"), raw.get("version")) != ENGLISH_LEXICON_FORMAT:
        raise ConfigError(f"英汉词表格式不符：{ENGLISH_LEXICON_PATH} 应为 {ENGLISH_LEXICON_FORMAT}，"
                          f"请运行 assistant/data/build_english_lexicon.py 重新生成（wrong format or version）")
    words = raw.get("words")
    if not isinstance(words, dict) or not all(isinstance(v, list) and v and all(isinstance(w, str) and w for w in v)
                                              for v in words.values()):
        raise ConfigError(f"英汉词表有误：{ENGLISH_LEXICON_PATH} 的 words 应为 英文词 → 中文词列表"
                          f"（words must map a headword to a non-empty list of Chinese words）")
    grammar = raw.get("grammar")
    if not isinstance(grammar, list) or not all(isinstance(w, str) and w.isascii() for w in grammar):
        raise ConfigError(f"英汉词表有误：{ENGLISH_LEXICON_PATH} 的 grammar 应为英文虚词列表（grammar must be a list of words）")
    return {k: tuple(v) for k, v in words.items()}, frozenset(grammar)
