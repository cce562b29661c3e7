"""The one home of the small text concepts every layer uses.

- Han characters: ``HAN`` is the body of a regex character class (CJK unified ideographs,
  extension A and the compatibility ideographs), ``HAN_CHAR`` / ``HAN_RUN`` its compiled forms.
- Punctuation: ``CJK_PUNCT``, sentence ends (``SENTENCE_END``, ``TERMINAL``), clause ends and
  what leaves a line unfinished (``CLAUSE_END``, ``COMMA_LIKE``).
- Sentences and clauses: ``split_sentences`` (spans, closing quotes kept with their sentence),
  ``SENTENCE_PIECE`` (a sentence with its end marks, a line break ending one), ``split_clauses``;
  ``SENTENCE_BODY`` / ``CLAUSE_BODY`` (the same without end marks, scanned in place).
- Years: ``YEAR`` (``2021年``) and ``YEAR_LOOSE`` (``2021`` with or without ``年``).
- Normalisation: ``normalize`` (NFKC, OpenCC t2s, case, spaces) with one cached OpenCC
  converter per config (``converter``), ``to_simplified``, ``is_traditional``.
- ``is_english``: a question in mostly Latin letters.
- ``enumerator``: the family of a section or list item's number a line opens with (一、 1. （1） 第三条).

OpenCC is imported on first use.

>>> split_sentences("低保提高了。特困人员呢？")
[(0, 6), (6, 12)]
>>> normalize("農村低保４５２４元")
'农村低保4524元'
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .safe_text import replace_surrogates

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

# a list item's number and its full-width point before a figure (…；3．100周岁及以上): NFKC would fold it
# to 3.100, one number; that point stays as written (ingest.cleaning, assistant.answer.figures)
ENUMERATOR_POINT = re.compile(r"(?:^|(?<=[；;：:。！？\s、，,]))[0-9０-９]{1,2}(．)(?=[0-9０-９])")


def nfkc_keeping_enumerators(text: str) -> str:
    """NFKC of ``text``, but for the full-width point of a list item's number before a figure."""
    cuts = [m.start(1) for m in ENUMERATOR_POINT.finditer(text)]
    if not cuts:
        return unicodedata.normalize("NFKC", text)
    pieces = [text[a + 1 if i else 0:b] for i, (a, b) in enumerate(zip([-1] + cuts, cuts + [len(text)]))]
    return "．".join(unicodedata.normalize("NFKC", p) for p in pieces)
# what a section or list item opens with, by family: 一、 （一） 1. 1、 (1) ① 第三条. A figure's point is
# no item number (1.5倍); a run of items of one family is a list (ingest.cleaning)
_NUMERALS = "一二三四五六七八九十"
_ENUMERATORS = tuple((family, re.compile(pattern)) for family, pattern in (
    ("han", rf"^[{_NUMERALS}]{{1,3}}、"),
    ("han_paren", rf"^[（(][{_NUMERALS}]{{1,3}}[）)]"),
    ("arabic", r"^[0-9０-９]{1,2}[.．、](?![0-9０-９])"),
    ("arabic_paren", r"^[（(][0-9０-９]{1,2}[）)]"),
    ("circled", r"^[\u2460-\u2473]"),
    ("article", rf"^第[{_NUMERALS}百零〇0-9]{{1,4}}[条章节]"),
))


def enumerator(line: str) -> str | None:
    """The family of the section or item number ``line`` opens with (``"arabic"`` for ``2.户口簿``), or None.

    >>> enumerator("（二）办理流程"), enumerator("1.5倍"), enumerator("第十条 申请")
    ('han_paren', None, 'article')
    """
    line = line.lstrip(" \u3000")
    for family, pattern in _ENUMERATORS:
        if pattern.match(line):
            return family
    return None


HAN_CHAR = re.compile(f"[{HAN}]")
HAN_RUN = re.compile(f"[{HAN}]+")
CJK_PUNCT = r"\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018-\u201f\u2026\u2014\u00b7"
CJK = HAN + CJK_PUNCT
LATIN = re.compile(r"[A-Za-z]")

# -- punctuation, sentences and clauses ------------------------------------------------------------
SENTENCE_END = "。！？!?；;"  # what ends a sentence (a chunk never runs across one unless short)
TERMINAL = "。！？!?…"  # what ends a paragraph's last line (a wrapped line ends otherwise)
CLOSING = "”’」』）)"  # closing quotes and brackets that stay with the sentence they end
CLAUSE_END = "，,、：:；;"
COMMA_LIKE = CLAUSE_END + "（(《“‘—-"  # a line ending in one of these goes on on the next line

_SENTENCE = re.compile(rf"[^{SENTENCE_END}\n]*(?:[{SENTENCE_END}]+[{CLOSING}]*|$)")
# a sentence with its end marks; a line break ends one too (answers, messages)
SENTENCE_PIECE = re.compile(rf"[^{SENTENCE_END}\n]+[{SENTENCE_END}\n]*")
_CLAUSE = re.compile(rf"[^，,{SENTENCE_END}]+[，,{SENTENCE_END}]*")
# the same units without their end marks, for scanning a text in place (offsets kept): a
# sentence's body, and a comma clause's body within it (the facts layer reads figures this way)
SENTENCE_BODY = re.compile(rf"[^{SENTENCE_END}\n]+")
CLAUSE_BODY = re.compile(r"[^，,]+")


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``, shifted by ``offset``; spaces trimmed.

    >>> split_sentences("  第一句。第二句”")
    [(2, 6), (6, 10)]
    """
    spans = []
    for m in _SENTENCE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((offset + s, offset + e))
    return spans


def split_clauses(text: str) -> list[str]:
    """The clauses of ``text`` with their end marks (a comma, ；, a full stop…; 、 lists stay whole).

    >>> split_clauses("城市低保提高到每月780元，农村低保提高到每年4524元。")
    ['城市低保提高到每月780元，', '农村低保提高到每年4524元。']
    """
    return _CLAUSE.findall(text)


# -- years ---------------------------------------------------------------------------------------
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
YEAR_LOOSE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:\s*年)?(?!\d)")


# -- scripts and normalisation -------------------------------------------------------------------
def has_han(text: str) -> bool:
    return HAN_CHAR.search(text) is not None


def is_english(text: str) -> bool:
    """Mostly Latin letters: at least twice as many as Han characters (a Chinese place
    name inside an English question does not make it Chinese).

    >>> is_english("What is the dibao in 焦作?"), is_english("焦作低保 is?")
    (True, False)
    """
    latin = len(LATIN.findall(text))
    return latin > 0 and latin >= 2 * len(HAN_CHAR.findall(text))


@lru_cache(maxsize=4)
def converter(config: str = "t2s"):
    """The OpenCC converter for ``config`` (``t2s``, ``s2tw``, ``s2hk``, ``s2t``), built once."""
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Traditional characters → simplified (OpenCC t2s); text without Han characters as is."""
    return converter("t2s").convert(text) if has_han(text) else text


def is_traditional(text: str) -> bool:
    return has_han(text) and to_simplified(text) != text


_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Fold width, script and case so that questions match the reports' wording:
    NFKC (``４５２４`` → ``4524``), OpenCC t2s, lower case, runs of spaces to one."""
    text = unicodedata.normalize("NFKC", replace_surrogates(text))  # OpenCC cannot encode them
    return _SPACES.sub(" ", to_simplified(text)).strip().lower()


def alternation(words) -> str:
    """A regex alternation of ``words``, longest first (特困供养人员 before 特困), each escaped."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
