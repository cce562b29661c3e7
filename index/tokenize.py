"""Text normalisation and the jieba tokenizer used by BM25.

``normalize`` (from ``ingest.text``, its one home) folds what users type differently from
the reports: full-width digits, letters and punctuation (``４５２４`` → ``4524``),
traditional characters (``農村`` → ``农村``, OpenCC t2s), case, and runs of spaces.

``Tokenizer`` segments with jieba in search mode (compounds and their parts:
最低生活保障 → 最低, 生活, 保障, 最低生活保障), keeps numbers and units as
tokens, and drops Chinese stopwords and punctuation. jieba is loaded on first use.

Question words glued to a neighbour by the segmenter (有何用处 → 何用, 处; 哪项政策 → 哪项;
办理业务时有何 → 时有何) are question words, not topics: ``stopwords.txt`` lists, besides whole
words, question prefixes (``哪**``: a token that starts with 哪 and has at most as many characters
after it as the entry has stars is dropped: 哪项, 哪三问, but not a name such as 何立峰 for ``何*``)
and question suffixes (``*有何``: the suffix is cut off and what precedes it is kept when it is a
word of two or more characters).
"""
from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from pathlib import Path

from ingest.text import HAN_RUN
from ingest.text import normalize  # noqa: F401 (re-exported: the folding BM25 and queries share)

from .jieba_cache import fast_tokenizer

DATA = Path(__file__).with_name("data")
_PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)

def _entries() -> list[str]:
    out: list[str] = []
    for line in (DATA / "stopwords.txt").read_text(encoding="utf-8").splitlines():
        out.extend(line.split("#", 1)[0].split())
    return out


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return frozenset(w for w in _entries() if "*" not in w)


@lru_cache(maxsize=1)
def question_affixes() -> tuple[tuple[tuple[str, int], ...], tuple[str, ...]]:
    """(prefixes, suffixes) of ``stopwords.txt``: ``哪**`` -> (哪, 2 characters after it at most),
    ``*有何`` -> 有何; longest first."""
    pre: dict[str, int] = {}
    suf: set[str] = set()
    for w in _entries():
        if w.startswith("*") and len(w) > 1:
            suf.add(w[1:])
        elif w.endswith("*") and w.rstrip("*"):
            stem = w.rstrip("*")
            pre[stem] = max(pre.get(stem, 0), len(w) - len(stem))
    return (tuple(sorted(pre.items(), key=lambda kv: len(kv[0]), reverse=True)),
            tuple(sorted(suf, key=len, reverse=True)))


def strip_question_words(tok: str, stop: frozenset[str]) -> str:
    """``tok`` without a question word glued to it by the segmenter: ``""`` when it is one
    (哪项, 何用), its stem when a question suffix ends it (时有何 → 时 → ``""``; 便利有何 → 便利)."""
    if tok in stop:
        return ""
    prefixes, suffixes = question_affixes()
    if any(tok.startswith(p) and len(tok) - len(p) <= n for p, n in prefixes):
        return ""
    for suf in suffixes:
        if tok.endswith(suf) and len(tok) > len(suf):
            stem = tok[: -len(suf)]
            return stem if len(stem) >= 2 and stem not in stop else ""
    return tok


@lru_cache(maxsize=1)
def user_words() -> tuple[str, ...]:
    lines = (DATA / "user_words.txt").read_text(encoding="utf-8").splitlines()
    return tuple(w.strip() for w in lines if w.strip() and not w.startswith("#"))


class Tokenizer:
    """``Tokenizer()(text) -> list[str]``: normalised jieba search-mode tokens.

    >>> Tokenizer()("农村最低生活保障年标准提高到4524元")[:4]
    ['农村', '最低', '生活', '保障']
    """

    _lock = threading.Lock()
    _jieba = None

    @classmethod
    def _segmenter(cls):
        with cls._lock:
            if cls._jieba is None:
                import jieba  # ~0.3 s, on the first tokenisation only

                jieba.setLogLevel(logging.WARNING)
                seg = fast_tokenizer()  # the word table read on demand: a question loads ~0.1% of it
                for w in user_words():
                    seg.add_word(w, freq=20000)
                cls._jieba = seg
            return cls._jieba

    def __call__(self, text: str) -> list[str]:
        # a short text (a question, a synonym or qualifier it is expanded with) recurs: the same
        # expansions are tokenised for question after question (~7 texts a question, 3 in 10 new
        # on the seeds set); a chunk's text at indexing time is not kept
        if len(text) <= SHORT_TEXT:
            return list(_short_tokens(text))
        return self.tokens(text)

    @classmethod
    def words(cls, text: str) -> list[str]:
        """jieba's precise segmentation of ``text`` as it is (nothing normalised or dropped): the
        word boundaries a phrase keeps when it is said as words of its own (表中 of 某省表中…,
        not of 人大代表中…)."""
        return list(cls._segmenter().cut(text))

    @classmethod
    def tokens(cls, text: str) -> list[str]:
        seg = cls._segmenter()
        stop = stopwords()
        out = []
        for tok in seg.cut_for_search(normalize(text)):
            tok = strip_question_words(tok.strip(), stop)
            if not tok or _PUNCT.match(tok):
                continue
            out.append(tok)
        return out


def han_bigrams(text: str, drop: frozenset[str] = frozenset()) -> list[str]:
    """The character bigrams of the Han runs of normalised ``text`` (a run of one character is kept
    whole), those in ``drop`` left out: the second BM25 field beside jieba's words. A citizen's
    wording is cut by jieba otherwise than the report's (多少天能办完, 低保边缘户), but shares its
    characters.

    >>> han_bigrams("低保标准4524元")
    ['低保', '保标', '标准', '元']
    """
    out: list[str] = []
    for run in HAN_RUN.findall(normalize(text)):
        grams = [run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)]
        out.extend(g for g in grams if g not in drop)
    return out


# the longest text whose tokens are kept (a question is 10-40 characters; a chunk hundreds)
SHORT_TEXT = 64


@lru_cache(maxsize=4096)
def _short_tokens(text: str) -> tuple[str, ...]:
    return tuple(Tokenizer.tokens(text))


# jieba part-of-speech tags of words that name a thing (a topic): nouns of every kind (n, nr, ns,
# nt, nz, ng), verbal and adjectival nouns (vn, an), idioms and abbreviations (i, j), place and
# direction words (s), English words (eng) and words jieba has no tag for (x): a word of one of
# these the documents never use is a topic they do not cover. Verbs, adverbs, pronouns, numerals,
# measure words and particles (采用, 最多, 这, 户) say how something is asked, not what.
NOMINAL_TAGS = frozenset({"n", "nr", "nrt", "nrfg", "ns", "nt", "nz", "ng", "vn", "an", "i", "j", "s", "eng", "x"})
_pos_lock = threading.Lock()


def word_tags(word: str) -> tuple[str, ...]:
    """jieba's part-of-speech tags of ``word``: its own when jieba's dictionary holds it, else
    those of the pieces jieba cuts it into (最多能 → d, v). jieba's tagger loads its whole
    dictionary (~0.7 s) on the first call only, so callers ask it only when they must (a word the
    documents never use)."""
    word = word.strip()
    if not word:
        return ()
    with _pos_lock:
        import jieba.posseg as posseg  # the tagger and its dictionary: on first use only

        logging.getLogger("jieba").setLevel(logging.WARNING)
        tag = posseg.dt.word_tag_tab.get(word)
        pairs = () if tag else posseg.lcut(word)
    return (tag,) if tag else tuple(p.flag for p in pairs)


def load_tagger() -> None:
    """Load what :func:`word_tags` loads on its first call (the tagger's word-tag table, ~0.7 s,
    and, for a word outside it, its tokenizer's whole dictionary, ~0.6 s), e.g. at start-up."""
    with _pos_lock:
        import jieba.posseg as posseg

        logging.getLogger("jieba").setLevel(logging.WARNING)
        posseg.dt.tokenizer.check_initialized()


def is_nominal(word: str) -> bool:
    """``word`` names a thing (see ``NOMINAL_TAGS``): 房价, 护照, 今天天气 yes; 采用, 考上, 最多能, 这户 no."""
    return any(t in NOMINAL_TAGS for t in word_tags(word))
