"""Benefit standards (保障标准) stated in the reports, as data.

Citizens ask "how much is X where I live". The reports answer in running prose
(``农村最低生活保障年标准提高到4524元``, ``城乡特困基本生活年标准分别为9600元、6000元``,
``自2016年7月1日起,城市低保标准由520元提高到550元``). This module turns such
clauses into :class:`Standard` rows with exact offsets into ``Document.text``.

Public API
----------
- :class:`Vocabulary` (section ``benefits`` of ``assistant/data/vocabulary.json``): benefit categories and
  their synonyms; ``detect(question)`` names the categories a text asks about.
- :func:`extract_standards` (``Document -> list[Standard]``): rule-based.
- :class:`StandardsTable`: rows with ``save``/``load`` (versioned JSON) and
  ``query(region=, category=, year=)``; :func:`build_table_json` is the ingest
  hook (``assistant.chain.standards_extras``).
- :func:`format_row`: one cited sentence per row for answers.

Rules (see :func:`extract_standards`): a text is cut into sentences
(``。！？；`` and line breaks) and clauses (``，,``). An amount is a number
followed by 元 (lists like ``9600元、6000元`` are one amount list). It becomes a
row when

- the clause (or, failing that, the clause before it in the same sentence) has a
  standard word (标准, 提高到, 提高至, 提标, 调整为, ...) → ``kind="standard"``;
  or the clause says 平均 before the amount → ``kind="average"`` (a statistic,
  labelled as such, never presented as a standard);
- and a benefit category is named in the clause (else in an earlier clause of
  the same sentence).

Never rows: amounts in 万元/亿元 or with 余/多 (spending totals), amounts right
after 发放/支出/下拨/累计/... with no standard word in between, differences
(``比...高25.45元``, ``提高50元``) and the ``X`` of ``由X元提高到Y元`` (that is
``previous``).

Only the standard library is used (no torch, gradio or ingest side effects).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from ingest.errors import ConfigError, IndexError_

if TYPE_CHECKING:  # pragma: no cover
    from ingest.document import Document

# the shared vocabulary file (assistant/vocabulary.py); its "benefits" section is read here
VOCABULARY_PATH = Path(__file__).with_name("data") / "vocabulary.json"
VOCABULARY_VERSION = 1
FORMAT_VERSION = 1  # of the saved standards table
# same wording as index.store.REINGEST (not imported: index.store pulls in numpy)
_REINGEST = "请重新导入：civilqa ingest（re-run `civilqa ingest`）"

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Mention:
    """A benefit named in a text.

    ``start``/``end`` cover the qualifier words too (``社会散居孤儿基本生活``);
    ``term_start`` is where the family term itself begins. ``categories`` is
    what the mention itself decides: one category (``农村低保``), several in
    order (``城乡特困`` → ``城市特困, 农村特困``) or ``()`` when the family
    needs a qualifier the text does not give next to the term (``低保金``).
    """

    start: int
    end: int
    term_start: int
    term: str
    family: str
    categories: tuple[str, ...]

    @property
    def qualified(self) -> bool:
        return bool(self.categories)


@dataclass(frozen=True)
class _Family:
    name: str
    terms: tuple[str, ...]
    qualifier_kind: str | None
    priority: int
    members: dict[str, str]  # qualifier value -> category ("" for single-category families)


class Vocabulary:
    """Benefit categories with synonyms, loaded from the ``benefits`` section of
    ``vocabulary.json`` (a standalone file with the same keys plus
    ``format_version`` is accepted too).

    - ``names``: the category names (what ``Standard.category`` holds);
      ``families``: family names (低保, 特困, 孤儿, ...).
    - ``mentions(text)``: every benefit named in ``text`` with offsets (exact
      qualifiers only; used by extraction).
    - ``detect(text)``: the categories a question or passage is about, in order
      of first mention. Unqualified family terms take qualifier words from
      anywhere in the text (``我在农村，低保多少钱`` → 农村低保), else mean the
      whole family (``洛阳孤儿一个月给多少钱`` → 散居孤儿, 机构养育孤儿).
    - ``resolve(name)``: category, family or free text → categories.

    Everything is compiled once; ``detect`` on a question costs a few regex
    scans. Use :func:`load_vocabulary` for the shared default instance.
    """

    def __init__(self, raw: dict[str, Any], path: Path | str = "<dict>"):
        self.path = Path(path)
        self._parse(raw)
        self._compile()

    # -- loading -------------------------------------------------------
    @classmethod
    def load(cls, path: Path | str | None = None) -> "Vocabulary":
        from .vocabulary import read_json

        path = Path(path) if path is not None else VOCABULARY_PATH
        return cls(read_json(path, "福利类别词表", "benefits vocabulary"), path)

    _section = ""  # "benefits." when read from the shared vocabulary file

    def _bad(self, where: str, problem: str) -> ConfigError:
        where = self._section + where if where != "format_version" else where
        return ConfigError(
            f"福利类别词表有误：{self.path} 中 {where}：{problem}"
            f"（bad entry in benefits vocabulary {self.path}: {where}: {problem}）"
        )

    def _strings(self, value: Any, where: str, allow_empty: bool = False) -> tuple[str, ...]:
        if not isinstance(value, list) or (not value and not allow_empty):
            raise self._bad(where, "应为非空字符串列表（must be a non-empty list of strings）")
        for v in value:
            if not isinstance(v, str) or not v.strip():
                raise self._bad(where, f"{v!r} 不是非空字符串（not a non-empty string）")
        return tuple(value)

    def _parse(self, raw: Any) -> None:
        if not isinstance(raw, dict):
            raise self._bad("顶层（top level）", "应为 JSON 对象（must be an object）")
        if "benefits" in raw:  # the shared vocabulary file: format_version on top, the rest in "benefits"
            if raw.get("format_version") != VOCABULARY_VERSION:
                raise self._bad("format_version", f"应为 {VOCABULARY_VERSION}，实为 {raw.get('format_version')!r}"
                                                  f"（must be {VOCABULARY_VERSION}）")
            section = raw["benefits"]
            if not isinstance(section, dict) or "format_version" in section:
                raise self._bad("benefits", "应为对象，且不含 format_version（must be an object without format_version）")
            self._section = "benefits."
            raw = dict(section, format_version=VOCABULARY_VERSION)
        if raw.get("format_version") != VOCABULARY_VERSION:
            raise self._bad("format_version", f"应为 {VOCABULARY_VERSION}，实为 {raw.get('format_version')!r}"
                                              f"（must be {VOCABULARY_VERSION}）")
        for key in ("qualifiers", "families", "categories"):
            if key not in raw:
                raise self._bad(key, "缺少此项（missing）")
        unknown = set(raw) - {"_doc", "format_version", "qualifiers", "families", "categories"}
        if unknown:
            raise self._bad(", ".join(sorted(unknown)), "未知的键（unknown key）")

        # qualifiers: kind -> value -> words; combined values -> base values
        self._qual_words: dict[str, dict[str, tuple[str, ...]]] = {}
        self._qual_means: dict[str, dict[str, tuple[str, ...]]] = {}
        if not isinstance(raw["qualifiers"], dict):
            raise self._bad("qualifiers", "应为对象（must be an object）")
        for kind, values in raw["qualifiers"].items():
            where = f"qualifiers.{kind}"
            if not isinstance(values, list) or not values:
                raise self._bad(where, "应为非空列表（must be a non-empty list）")
            words: dict[str, tuple[str, ...]] = {}
            means: dict[str, tuple[str, ...]] = {}
            for i, v in enumerate(values):
                w = f"{where}[{i}]"
                if not isinstance(v, dict) or not isinstance(v.get("name"), str) or not v["name"]:
                    raise self._bad(w, "需要 name（needs a name）")
                if set(v) - {"name", "words", "means"}:
                    raise self._bad(w, f"未知的键 {sorted(set(v) - {'name', 'words', 'means'})}（unknown key）")
                if v["name"] in words:
                    raise self._bad(w, f"重复的 {v['name']}（duplicate）")
                words[v["name"]] = self._strings(v.get("words"), f"{w}.words")
                if "means" in v:
                    means[v["name"]] = self._strings(v["means"], f"{w}.means")
            for name, parts in means.items():
                for p in parts:
                    if p not in words or p in means:
                        raise self._bad(f"{where}.{name}.means", f"{p!r} 不是本类的基本限定词（not a base qualifier of {kind}）")
            self._qual_words[kind] = words
            self._qual_means[kind] = means

        # families
        self._families: dict[str, _Family] = {}
        fam_raw: dict[str, dict[str, Any]] = {}
        if not isinstance(raw["families"], list) or not raw["families"]:
            raise self._bad("families", "应为非空列表（must be a non-empty list）")
        for i, f in enumerate(raw["families"]):
            where = f"families[{i}]"
            if not isinstance(f, dict) or not isinstance(f.get("name"), str) or not f["name"]:
                raise self._bad(where, "需要 name（needs a name）")
            where = f"families[{i}] ({f['name']})"
            extra = set(f) - {"name", "terms", "qualifier_kind", "priority", "doc"}
            if extra:
                raise self._bad(where, f"未知的键 {sorted(extra)}（unknown key）")
            if f["name"] in fam_raw:
                raise self._bad(where, "重复的类别族（duplicate family）")
            self._strings(f.get("terms"), f"{where}.terms")
            kind = f.get("qualifier_kind")
            if kind is not None and kind not in self._qual_words:
                raise self._bad(where, f"qualifier_kind {kind!r} 未在 qualifiers 中定义（not defined）")
            prio = f.get("priority", 1)
            if not isinstance(prio, int) or isinstance(prio, bool):
                raise self._bad(where, "priority 应为整数（must be an integer）")
            fam_raw[f["name"]] = f

        # categories
        self._categories: list[str] = []
        self._labels: dict[str, str] = {}
        self._family_of: dict[str, str] = {}
        members: dict[str, dict[str, str]] = {name: {} for name in fam_raw}
        self._term_map: dict[str, tuple[str, tuple[str, ...]]] = {}  # word -> (family, direct categories)
        direct_syn: list[tuple[str, str, str]] = []
        if not isinstance(raw["categories"], list) or not raw["categories"]:
            raise self._bad("categories", "应为非空列表（must be a non-empty list）")
        for i, c in enumerate(raw["categories"]):
            where = f"categories[{i}]"
            if not isinstance(c, dict) or not isinstance(c.get("name"), str) or not c["name"]:
                raise self._bad(where, "需要 name（needs a name）")
            name = c["name"]
            where = f"categories[{i}] ({name})"
            extra = set(c) - {"name", "family", "qualifier", "synonyms", "label", "doc"}
            if extra:
                raise self._bad(where, f"未知的键 {sorted(extra)}（unknown key）")
            if name in self._family_of:
                raise self._bad(where, "重复的类别（duplicate category）")
            fam = c.get("family")
            if fam not in fam_raw:
                raise self._bad(where, f"family {fam!r} 未在 families 中定义（unknown family）")
            if name in fam_raw and name != fam:
                raise self._bad(where, "类别名与另一个类别族同名（category named like another family）")
            kind = fam_raw[fam].get("qualifier_kind")
            q = c.get("qualifier")
            if kind is None:
                if q is not None:
                    raise self._bad(where, f"类别族 {fam} 没有 qualifier_kind，不能写 qualifier（family takes no qualifier）")
                if members[fam]:
                    raise self._bad(where, f"类别族 {fam} 没有限定词，只能有一个类别（single-category family）")
                q = ""
            else:
                if q not in self._qual_words[kind] or q in self._qual_means[kind]:
                    raise self._bad(where, f"qualifier {q!r} 不是 {kind} 的基本限定词（not a base qualifier of {kind}）")
                if q in members[fam]:
                    raise self._bad(where, f"{fam} 的 {q} 已有类别 {members[fam][q]}（qualifier already used）")
            label = c.get("label", name)
            if not isinstance(label, str) or not label:
                raise self._bad(where, "label 应为非空字符串（must be a non-empty string）")
            members[fam][q] = name
            self._categories.append(name)
            self._labels[name] = label
            self._family_of[name] = fam
            for s in self._strings(c.get("synonyms", []), f"{where}.synonyms", allow_empty=True):
                direct_syn.append((s, fam, name))
        for name, f in fam_raw.items():
            if not members[name]:
                raise self._bad(f"families ({name})", "没有任何类别（no category uses this family）")
            self._families[name] = _Family(name, tuple(f["terms"]), f.get("qualifier_kind"),
                                           f.get("priority", 1), members[name])
            for t in f["terms"]:
                if t in self._term_map:
                    raise self._bad(f"families ({name}).terms", f"词 {t!r} 已属于 {self._term_map[t][0]}（term used twice）")
                single = (members[name][""],) if "" in members[name] else ()
                self._term_map[t] = (name, single)
        for s, fam, cat in direct_syn:
            if s in self._term_map:
                raise self._bad(f"categories ({cat}).synonyms", f"词 {s!r} 已属于 {self._term_map[s][0]}（term used twice）")
            self._term_map[s] = (fam, (cat,))

    def _compile(self) -> None:
        terms = sorted(self._term_map, key=len, reverse=True)
        self._term_re = re.compile("|".join(re.escape(t) for t in terms))
        self._qual_re: dict[str, re.Pattern[str]] = {}
        self._qual_word_re: dict[str, re.Pattern[str]] = {}
        self._qual_of_word: dict[str, dict[str, str]] = {}
        for kind, values in self._qual_words.items():
            of_word = {w: v for v, ws in values.items() for w in ws}
            alt = "|".join(re.escape(w) for w in sorted(of_word, key=len, reverse=True))
            self._qual_of_word[kind] = of_word
            self._qual_word_re[kind] = re.compile(alt)
            # qualifier list, then at most 4 other Han characters, then the term
            self._qual_re[kind] = re.compile(
                rf"((?:{alt})(?:[和与及、](?:{alt}))*)((?:(?!{alt}|[和与及、])[{HAN}]){{0,4}})$")

    # -- lookups -------------------------------------------------------
    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._categories)

    @property
    def families(self) -> tuple[str, ...]:
        return tuple(self._families)

    def family_of(self, category: str) -> str:
        return self._family_of[category]

    def members(self, family: str) -> tuple[str, ...]:
        """Categories of a family, in the order of the qualifier kind (城市, 农村)."""
        fam = self._families[family]
        if fam.qualifier_kind is None:
            return tuple(fam.members.values())
        order = list(self._qual_words[fam.qualifier_kind])
        return tuple(fam.members[q] for q in order if q in fam.members)

    def label(self, category: str) -> str:
        """How an answer names a category (``城市特困人员基本生活``); families name themselves."""
        return self._labels.get(category, category)

    def resolve(self, name: str) -> list[str]:
        """A category name → [it]; a family name → its categories; any other text → ``detect(text)``."""
        if name in self._family_of:
            return [name]
        if name in self._families:
            return list(self.members(name))
        return self.detect(name)

    # -- matching ------------------------------------------------------
    def _expand(self, kind: str, values: list[str], family: str) -> tuple[str, ...]:
        out: list[str] = []
        fam = self._families[family]
        for v in values:
            for base in self._qual_means[kind].get(v, (v,)):
                cat = fam.members.get(base)
                if cat and cat not in out:
                    out.append(cat)
        return tuple(out)

    def mentions(self, text: str) -> list[Mention]:
        """Every benefit named in ``text`` with the qualifier written right before it."""
        out: list[Mention] = []
        prev_end = 0
        for m in self._term_re.finditer(text):
            family, direct = self._term_map[m.group()]
            fam = self._families[family]
            start, cats = m.start(), direct
            if not direct and fam.qualifier_kind is not None:
                kind = fam.qualifier_kind
                window_start = max(prev_end, m.start() - 16)
                q = self._qual_re[kind].search(text, window_start, m.start())
                if q:
                    values = [self._qual_of_word[kind][w.group()]
                              for w in self._qual_word_re[kind].finditer(q.group(1))]
                    cats = self._expand(kind, values, family)
                    start = q.start() if cats else start
            out.append(Mention(start, m.end(), m.start(), m.group(), family, cats))
            prev_end = m.end()
        return out

    def detect(self, text: str) -> list[str]:
        """Categories ``text`` is about, in order of first mention (see the class docstring)."""
        out: list[str] = []
        loose: dict[str, tuple[str, ...]] = {}
        for men in self.mentions(text):
            cats = men.categories
            if not cats:
                kind = self._families[men.family].qualifier_kind
                if kind is not None and kind not in loose:
                    values = [self._qual_of_word[kind][w.group()] for w in self._qual_word_re[kind].finditer(text)]
                    loose[kind] = tuple(values)
                cats = self._expand(kind, list(loose[kind]), men.family) if kind else ()
                cats = cats or self.members(men.family)
            for c in cats:
                if c not in out:
                    out.append(c)
        return out

    def terms(self, name: str) -> tuple[str, ...]:
        """Words that name a category or family: the family's terms plus the
        category's direct synonyms (for a family, all its categories')."""
        if name in self._families:
            family, cats = name, set(self._families[name].members.values())
        else:
            family, cats = self._family_of[name], {name}
        return tuple(t for t, (fam, direct) in self._term_map.items()
                     if fam == family and (not direct or set(direct) & cats))

    def priority(self, family: str) -> int:
        return self._families[family].priority

    def qualifier_kind(self, family: str) -> str | None:
        return self._families[family].qualifier_kind

    @property
    def sha256(self) -> str:
        return hashlib.sha256(json.dumps(
            [self._categories, {k: list(v.terms) for k, v in self._families.items()}],
            ensure_ascii=False).encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def _default_vocabulary() -> Vocabulary:
    return Vocabulary.load(VOCABULARY_PATH)


def load_vocabulary(path: Path | str | None = None) -> Vocabulary:
    """The vocabulary at ``path``, or the shared default (``assistant/data/vocabulary.json``, loaded once)."""
    if path is None or Path(path) == VOCABULARY_PATH:
        return _default_vocabulary()
    return Vocabulary.load(path)


# ---------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Standard:
    """One benefit amount stated in a report.

    ``amount``/``previous`` are verbatim from the text (``"4524"``,
    ``"203.45"``). ``kind`` is ``"standard"`` (a 保障标准) or ``"average"``
    (a statistic such as 平均每人次救助支出706元 — never present it as a
    standard). ``period``: ``"月"``, ``"年"`` or None; ``per``: ``"人"``
    (每人/人均), ``"人次"`` (每人次) or None. ``text == doc.text[start:end]``:
    the clause with the amount, widened to the clauses that name its category,
    its qualifier or its year when those come earlier in the sentence.
    """

    id: str
    region: str | None
    year: int | None
    category: str
    amount: str
    unit: str
    period: str | None
    per: str | None
    previous: str | None
    kind: str
    source: str
    start: int
    end: int
    text: str

    @staticmethod
    def make_id(source: str, start: int, end: int, category: str) -> str:
        return hashlib.sha256(f"{source}\x00{start}\x00{end}\x00{category}".encode("utf-8")).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Standard":
        names = {f.name for f in fields(cls)}
        missing = names - set(d)
        extra = set(d) - names
        if missing or extra:
            raise ValueError(f"Standard fields: missing {sorted(missing)}, unexpected {sorted(extra)}")
        return cls(**d)

    @property
    def number(self) -> float:
        return float(self.amount)


# ---------------------------------------------------------------------------
# Extraction: the view of the facts layer
# ---------------------------------------------------------------------------

_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def _written_digits(value: str) -> str | None:
    """4524元 → 4524; None for an amount not written in Arabic digits (一万元: no row quotes it)."""
    m = _DIGITS.match(value)
    return m.group() if m else None


def extract_standards(doc: "Document", vocab: Vocabulary | None = None) -> list[Standard]:
    """Benefit standards (and labelled averages) stated in ``doc.text``: the money facts
    (:func:`assistant.answer.facts.extract_facts`) of kind standard or average that name a
    category. A figure for an age band, care level or grade is no row: a row has no place
    for the band, and without it the figure would answer for every age."""
    from .answer.facts import extract_facts

    rows: list[Standard] = []
    seen: set[str] = set()
    for f in extract_facts(doc, vocab):
        if f.kind not in ("standard", "average") or f.unit != "元" or not f.categories:
            continue
        if f.age_band is not None or f.qualifiers:
            continue
        amount = _written_digits(f.value)
        if amount is None:
            continue
        previous = _written_digits(f.previous) if f.previous else None
        for cat in f.categories:
            rid = Standard.make_id(doc.source, f.span_start, f.span_end, cat)
            if rid in seen:
                continue
            seen.add(rid)
            rows.append(Standard(
                id=rid, region=f.region, year=f.year, category=cat, amount=amount, unit="元", period=f.period,
                per=f.per, previous=previous, kind=f.kind, source=doc.source, start=f.span_start,
                end=f.span_end, text=f.text))
    return rows


# ---------------------------------------------------------------------------
# Table
# ---------------------------------------------------------------------------

_REGION_PART = re.compile(r"(.{2,}?)(?:特别行政区|自治区|自治州|市|县|区|省|旗|盟)")


def _region_parts(name: str) -> list[str]:
    """郑州市惠济区 → [郑州, 惠济]; 焦作 → [焦作]."""
    parts, pos = [], 0
    for m in _REGION_PART.finditer(name):
        if m.start() != pos:
            break
        parts.append(m.group(1))
        pos = m.end()
    if pos < len(name):
        parts.append(name[pos:])
    return [p for p in parts if p]


def region_matches(asked: str, region: str | None, broader: bool = False) -> bool:
    """Does a row's ``region`` answer for the region a user ``asked`` about?

    Short names and parents match: 焦作 / 焦作市 → 焦作市; 郑州 / 惠济 / 惠济区 /
    郑州市惠济区 → 郑州市惠济区. With ``broader`` a row for a containing region
    matches too (郑州市惠济区 asked → 郑州市 rows: city-wide standards apply).
    """
    if not region or not asked or not asked.strip():
        return False
    row = _region_parts(region)
    want = "".join(_region_parts(asked.strip()))
    for i in range(len(row)):
        for j in range(i + 1, len(row) + 1):
            if "".join(row[i:j]) == want:
                return True
    if broader:
        asked_parts = "".join(_region_parts(asked.strip()))
        return asked_parts.startswith("".join(row)) and len(row) > 0
    return False


class StandardsTable:
    """Extracted rows, saved as versioned UTF-8 JSON next to the index.

    ``StandardsTable.from_documents(docs)`` extracts; ``save(path)`` /
    ``StandardsTable.load(path)``; ``query(...)`` filters.
    """

    FORMAT_VERSION = FORMAT_VERSION

    def __init__(self, rows: Iterable[Standard] = (), vocab: Vocabulary | None = None):
        self._rows: list[Standard] = list(rows)
        self._vocab = vocab

    @property
    def vocab(self) -> Vocabulary:
        return self._vocab or load_vocabulary()

    @classmethod
    def from_documents(cls, docs: Iterable["Document"], vocab: Vocabulary | None = None) -> "StandardsTable":
        rows: list[Standard] = []
        for d in docs:
            rows.extend(extract_standards(d, vocab))
        return cls(rows, vocab)

    @property
    def rows(self) -> list[Standard]:
        return list(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self):
        return iter(self._rows)

    def extend(self, rows: Iterable[Standard]) -> None:
        self._rows.extend(rows)

    # -- persistence ---------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {"format_version": self.FORMAT_VERSION, "kind": "civilqa.standards",
                "rows": [r.to_dict() for r in self._rows]}

    @classmethod
    def from_json(cls, raw: Any, path: Path | str = "standards.json",
                  vocab: Vocabulary | None = None) -> "StandardsTable":
        """Rebuild a table from ``to_json()`` output (validates the version and rows)."""
        version = raw.get("format_version") if isinstance(raw, dict) else None
        if version != cls.FORMAT_VERSION:
            raise IndexError_(
                f"福利标准表版本不符：{path} 的版本是 {version!r}，本程序需要 {cls.FORMAT_VERSION}。{_REINGEST}"
                f"（standards table format_version {version!r} != {cls.FORMAT_VERSION}）")
        try:
            rows = [Standard.from_dict(d) for d in raw["rows"]]
        except (KeyError, TypeError, ValueError) as e:
            raise IndexError_(f"福利标准表已损坏：{path}。{_REINGEST}（bad rows: {e}）") from None
        return cls(rows, vocab)

    def save(self, path: Path | str) -> Path:
        """Write atomically (temp file in the same folder + ``os.replace``)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps(self.to_json(), ensure_ascii=False, indent=1)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
        return path

    @classmethod
    def load(cls, path: Path | str, vocab: Vocabulary | None = None) -> "StandardsTable":
        path = Path(path)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise IndexError_(f"福利标准表不存在：{path}。{_REINGEST}（standards table not found: {path}）") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise IndexError_(f"福利标准表已损坏：{path}。{_REINGEST}（standards table unreadable: {e}）") from None
        return cls.from_json(raw, path, vocab)

    # -- queries -------------------------------------------------------
    def query(self, region: str | None = None, category: str | None = None, year: int | None = None,
              include_averages: bool = False, *, unique: bool = True, latest: bool = False,
              broader: bool = False) -> list[Standard]:
        """Rows matching all given filters, in table order.

        ``region``: see :func:`region_matches` (short names and parents;
        ``broader`` adds containing regions). ``category``: a category, a
        family (低保 → 城市低保, 农村低保) or any text (``五保`` → 农村特困, via
        :meth:`Vocabulary.resolve`); a row whose category is a family name
        (qualifier unknown) matches that family's categories too.
        ``unique`` drops repeats of the same fact (a report that states
        4524元 twice); ``latest`` keeps only the newest year per region and
        category.
        """
        rows = self._rows
        if region is not None:
            rows = [r for r in rows if region_matches(region, r.region, broader)]
        if category is not None:
            wanted = set(self.vocab.resolve(category))
            families = {self.vocab.family_of(c) for c in wanted}
            wanted |= families
            rows = [r for r in rows if r.category in wanted]
        if year is not None:
            rows = [r for r in rows if r.year == year]
        if not include_averages:
            rows = [r for r in rows if r.kind == "standard"]
        if unique:
            seen: set[tuple] = set()
            kept = []
            for r in rows:
                key = (r.region, r.year, r.category, r.amount, r.period, r.per, r.kind)
                if key not in seen:
                    seen.add(key)
                    kept.append(r)
            rows = kept
        if latest:
            newest: dict[tuple, int] = {}
            for r in rows:
                k = (r.region, r.category, r.kind)
                newest[k] = max(newest.get(k, r.year or 0), r.year or 0)
            rows = [r for r in rows if (r.year or 0) == newest[(r.region, r.category, r.kind)]]
        return list(rows)

    def regions(self) -> list[str]:
        return sorted({r.region for r in self._rows if r.region})

    def categories(self) -> list[str]:
        order = {c: i for i, c in enumerate(self.vocab.names + self.vocab.families)}
        return sorted({r.category for r in self._rows}, key=lambda c: (order.get(c, len(order)), c))


def build_table_json(documents: Iterable["Document"], vocab: Vocabulary | None = None) -> dict[str, Any]:
    """Ingest hook: the standards of ``documents`` as the JSON that ``StandardsTable.save``
    writes (the index store writes it as ``standards.json``; read it back with
    ``StandardsTable.load(path)``)."""
    return StandardsTable.from_documents(documents, vocab).to_json()


# ---------------------------------------------------------------------------
# Presentation
# ---------------------------------------------------------------------------

_SUBJECT = {"standard": re.compile(rf"[{HAN}]{{0,24}}?标准"),
            "average": re.compile(rf"[{HAN}]{{0,24}}?平均水平")}


def _subject(row: Standard, vocab: Vocabulary) -> str | None:
    """The text's own words for what the amount is (社会散居孤儿基本生活最低养育标准,
    农村低保金实际月补差平均水平), when they name exactly the row's category."""
    amount_at = row.text.rfind(row.amount + row.unit)
    if amount_at < 0:
        amount_at = len(row.text)
    pattern = _SUBJECT.get(row.kind)
    for m in reversed(vocab.mentions(row.text)):
        if m.start >= amount_at or m.categories != (row.category,):
            continue
        s = pattern.match(row.text, m.start) if pattern else None
        if s and s.end() <= amount_at and not any(ch.isdigit() for ch in s.group()):
            return s.group()
        return None
    return None


def _amount_phrase(row: Standard, subject_has_period: bool) -> str:
    period = None if subject_has_period else row.period
    if row.per == "人次":
        pre = "每人次"
    elif row.per == "人":
        pre = {"月": "每人每月", "年": "每人每年"}.get(period or "", "人均")
    else:
        pre = {"月": "每月", "年": "每年"}.get(period or "", "")
    return f"{pre}{row.amount}{row.unit}"


def format_row(row: Standard, marker: int, vocab: Vocabulary | None = None) -> str:
    """One sentence for an answer, region first, ending with the citation marker ``[marker]``.

    ``洛阳市社会散居孤儿基本生活最低养育标准为每人每月700元（2017年由600元提高）[1]``.
    Every number in it is verbatim from ``row.text``, except the row's year.
    Averages say so: ``漯河市农村低保平均水平为每月203.45元（2020年统计的平均值，不是保障标准）[2]``.
    """
    vocab = vocab or load_vocabulary()
    region = row.region or ""
    year = f"{row.year}年" if row.year else ""
    if row.kind == "average":
        subject = _subject(row, vocab)
        has_period = bool(subject and re.search(r"[月年]", subject))
        subject = subject or f"{vocab.label(row.category)}平均水平"
        return (f"{region}{subject}为{_amount_phrase(row, has_period)}"
                f"（{year}统计的平均值，不是保障标准）[{marker}]")
    subject = _subject(row, vocab)
    has_period = bool(subject and re.search(r"[月年]标准$", subject))
    subject = subject or f"{vocab.label(row.category)}标准"
    note = year
    if row.previous:
        note += f"由{row.previous}{row.unit}提高"
    paren = f"（{note}）" if note else ""
    return f"{region}{subject}为{_amount_phrase(row, has_period)}{paren}[{marker}]"
