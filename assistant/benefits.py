"""The benefit categories of ``assistant/data/vocabulary.json`` (section ``benefits``): families,
categories, their synonyms and qualifiers, found in a text (``Vocabulary.mentions``/``detect``).

``assistant.standards`` (extraction at ingest), the question analysis and the answerers read it;
``load_vocabulary()`` is the shared default instance, loaded once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ingest.errors import ConfigError
from ingest.text import HAN, alternation

from .vocabulary import VOCABULARY_PATH, read_json

VOCABULARY_VERSION = 1


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
        raw = self._top(raw)
        self._parse_qualifiers(raw["qualifiers"])
        fam_raw = self._parse_families(raw["families"])
        members, direct_syn = self._parse_categories(raw["categories"], fam_raw)
        self._link(fam_raw, members, direct_syn)

    def _top(self, raw: Any) -> dict[str, Any]:
        """The benefits section, checked at the top: its version and keys (the shared vocabulary
        file has format_version on top and the rest in "benefits")."""
        if not isinstance(raw, dict):
            raise self._bad("顶层（top level）", "应为 JSON 对象（must be an object）")
        if "benefits" in raw:
            self._version(raw)
            section = raw["benefits"]
            if not isinstance(section, dict) or "format_version" in section:
                raise self._bad("benefits", "应为对象，且不含 format_version（must be an object without format_version）")
            self._section = "benefits."
            raw = dict(section, format_version=VOCABULARY_VERSION)
        self._version(raw)
        for key in ("qualifiers", "families", "categories"):
            if key not in raw:
                raise self._bad(key, "缺少此项（missing）")
        unknown = set(raw) - {"_doc", "format_version", "qualifiers", "families", "categories"}
        if unknown:
            raise self._bad(", ".join(sorted(unknown)), "未知的键（unknown key）")
        return raw

    def _version(self, raw: dict[str, Any]) -> None:
        if raw.get("format_version") != VOCABULARY_VERSION:
            raise self._bad("format_version", f"应为 {VOCABULARY_VERSION}，实为 {raw.get('format_version')!r}"
                                              f"（must be {VOCABULARY_VERSION}）")

    def _entries(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list) or not value:
            raise self._bad(where, "应为非空列表（must be a non-empty list）")
        return value

    def _entry(self, item: Any, where: str, keys: set[str], named: bool = True) -> tuple[str, str]:
        """The entry's name and where it is (with its name when ``named``); an entry that is no
        object with a name, or has a key not in ``keys``, is an error naming the place."""
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"]:
            raise self._bad(where, "需要 name（needs a name）")
        if named:
            where = f"{where} ({item['name']})"
        extra = set(item) - keys
        if extra:
            raise self._bad(where, f"未知的键 {sorted(extra)}（unknown key）")
        return item["name"], where

    def _parse_qualifiers(self, section: Any) -> None:
        """kind -> value -> words; combined values -> the base values they mean."""
        self._qual_words: dict[str, dict[str, tuple[str, ...]]] = {}
        self._qual_means: dict[str, dict[str, tuple[str, ...]]] = {}
        if not isinstance(section, dict):
            raise self._bad("qualifiers", "应为对象（must be an object）")
        for kind, values in section.items():
            where = f"qualifiers.{kind}"
            words: dict[str, tuple[str, ...]] = {}
            means: dict[str, tuple[str, ...]] = {}
            for i, v in enumerate(self._entries(values, where)):
                name, w = self._entry(v, f"{where}[{i}]", {"name", "words", "means"}, named=False)
                if name in words:
                    raise self._bad(w, f"重复的 {name}（duplicate）")
                words[name] = self._strings(v.get("words"), f"{w}.words")
                if "means" in v:
                    means[name] = self._strings(v["means"], f"{w}.means")
            for name, parts in means.items():
                for p in parts:
                    if p not in words or p in means:
                        raise self._bad(f"{where}.{name}.means", f"{p!r} 不是本类的基本限定词（not a base qualifier of {kind}）")
            self._qual_words[kind] = words
            self._qual_means[kind] = means

    def _parse_families(self, section: Any) -> dict[str, dict[str, Any]]:
        fam_raw: dict[str, dict[str, Any]] = {}
        for i, f in enumerate(self._entries(section, "families")):
            name, where = self._entry(f, f"families[{i}]", {"name", "terms", "qualifier_kind", "priority", "doc"})
            if name in fam_raw:
                raise self._bad(where, "重复的类别族（duplicate family）")
            self._strings(f.get("terms"), f"{where}.terms")
            kind = f.get("qualifier_kind")
            if kind is not None and kind not in self._qual_words:
                raise self._bad(where, f"qualifier_kind {kind!r} 未在 qualifiers 中定义（not defined）")
            prio = f.get("priority", 1)
            if not isinstance(prio, int) or isinstance(prio, bool):
                raise self._bad(where, "priority 应为整数（must be an integer）")
            fam_raw[name] = f
        return fam_raw

    def _parse_categories(self, section: Any, fam_raw: dict[str, dict[str, Any]]
                          ) -> tuple[dict[str, dict[str, str]], list[tuple[str, str, str]]]:
        """The categories; returns each family's qualifier -> category, and the categories'
        own synonyms as (word, family, category)."""
        self._categories: list[str] = []
        self._labels: dict[str, str] = {}
        self._family_of: dict[str, str] = {}
        members: dict[str, dict[str, str]] = {name: {} for name in fam_raw}
        direct_syn: list[tuple[str, str, str]] = []
        for i, c in enumerate(self._entries(section, "categories")):
            name, where = self._entry(c, f"categories[{i}]", {"name", "family", "qualifier", "synonyms", "label", "doc"})
            if name in self._family_of:
                raise self._bad(where, "重复的类别（duplicate category）")
            fam = c.get("family")
            if fam not in fam_raw:
                raise self._bad(where, f"family {fam!r} 未在 families 中定义（unknown family）")
            if name in fam_raw and name != fam:
                raise self._bad(where, "类别名与另一个类别族同名（category named like another family）")
            q = self._qualifier_of(c, where, fam, fam_raw[fam].get("qualifier_kind"), members[fam])
            label = c.get("label", name)
            if not isinstance(label, str) or not label:
                raise self._bad(where, "label 应为非空字符串（must be a non-empty string）")
            members[fam][q] = name
            self._categories.append(name)
            self._labels[name] = label
            self._family_of[name] = fam
            for s in self._strings(c.get("synonyms", []), f"{where}.synonyms", allow_empty=True):
                direct_syn.append((s, fam, name))
        return members, direct_syn

    def _qualifier_of(self, c: dict[str, Any], where: str, fam: str, kind: str | None, taken: dict[str, str]) -> str:
        """The category's qualifier within its family ("" for a family without qualifiers)."""
        q = c.get("qualifier")
        if kind is None:
            if q is not None:
                raise self._bad(where, f"类别族 {fam} 没有 qualifier_kind，不能写 qualifier（family takes no qualifier）")
            if taken:
                raise self._bad(where, f"类别族 {fam} 没有限定词，只能有一个类别（single-category family）")
            return ""
        if q not in self._qual_words[kind] or q in self._qual_means[kind]:
            raise self._bad(where, f"qualifier {q!r} 不是 {kind} 的基本限定词（not a base qualifier of {kind}）")
        if q in taken:
            raise self._bad(where, f"{fam} 的 {q} 已有类别 {taken[q]}（qualifier already used）")
        return q

    def _link(self, fam_raw: dict[str, dict[str, Any]], members: dict[str, dict[str, str]],
              direct_syn: list[tuple[str, str, str]]) -> None:
        """The families with their categories, and every word (family term or category synonym)
        to its family and categories; a word used twice is an error."""
        self._families: dict[str, _Family] = {}
        self._term_map: dict[str, tuple[str, tuple[str, ...]]] = {}  # word -> (family, direct categories)
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
        self._term_re = re.compile(alternation(self._term_map))
        self._qual_re: dict[str, re.Pattern[str]] = {}
        self._qual_word_re: dict[str, re.Pattern[str]] = {}
        self._qual_of_word: dict[str, dict[str, str]] = {}
        for kind, values in self._qual_words.items():
            of_word = {w: v for v, ws in values.items() for w in ws}
            alt = alternation(of_word)
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


@lru_cache(maxsize=1)
def _default_vocabulary() -> Vocabulary:
    return Vocabulary.load(VOCABULARY_PATH)


def load_vocabulary(path: Path | str | None = None) -> Vocabulary:
    """The vocabulary at ``path``, or the shared default (``assistant/data/vocabulary.json``, loaded once)."""
    if path is None or Path(path) == VOCABULARY_PATH:
        return _default_vocabulary()
    return Vocabulary.load(path)
