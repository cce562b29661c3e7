"""Text normalisation and the jieba tokenizer used by BM25.

``normalize`` (from ``ingest.text``, its one home) folds what users type differently from
the reports: full-width digits, letters and punctuation (``４５２４`` → ``4524``),
traditional characters (``農村`` → ``农村``, OpenCC t2s), case, and runs of spaces.

``Tokenizer`` segments with jieba in search mode (compounds and their parts:
最低生活保障 → 最低, 生活, 保障, 最低生活保障), keeps numbers and units as
tokens, and drops Chinese stopwords and punctuation. jieba is loaded on first use.
"""
from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from pathlib import Path

from ingest.text import normalize  # noqa: F401 (re-exported: the folding BM25 and queries share)

from .jieba_cache import fast_tokenizer

DATA = Path(__file__).with_name("data")
_PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    words = (DATA / "stopwords.txt").read_text(encoding="utf-8").split()
    return frozenset(w for w in words if not w.startswith("#"))


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
        seg = self._segmenter()
        stop = stopwords()
        out = []
        for tok in seg.cut_for_search(normalize(text)):
            tok = tok.strip()
            if not tok or tok in stop or _PUNCT.match(tok):
                continue
            out.append(tok)
        return out
