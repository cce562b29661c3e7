"""``bm25s``, imported without ``scipy.sparse`` when only a saved index is searched.

bm25s imports ``scipy.sparse`` at the top (~0.2 s, a fifth of a command-line question's cold
start) but uses it only to build a score matrix; loading and searching a saved index is numpy.
``bm25s_module()`` imports it with scipy.sparse hidden for that one import (nothing else sees the
difference: the entry is removed at once, and scipy stays importable); ``bm25s_module(build=True)``
gives bm25s its scipy back first, so an index built in the same process is built exactly as
before.

``PrunedBM25`` searches a bm25s index for the top k without reading the whole postings of the
common terms of a query (exact whenever skipping cannot change the top k; see its docstring).
"""
from __future__ import annotations

import importlib
import sys
import threading
from types import ModuleType

import numpy as np

_lock = threading.Lock()


def bm25s_module(build: bool = False) -> ModuleType:
    with _lock:
        mod = sys.modules.get("bm25s")
        if mod is None:
            if build or "scipy.sparse" in sys.modules:
                mod = importlib.import_module("bm25s")
            else:
                sys.modules["scipy.sparse"] = None  # type: ignore[assignment]  # "not installed", for one import
                try:
                    mod = importlib.import_module("bm25s")
                finally:
                    if sys.modules.get("scipy.sparse") is None:
                        del sys.modules["scipy.sparse"]
        if build and not getattr(mod, "SCIPY_AVAILABLE", True):
            try:
                mod.sp = importlib.import_module("scipy.sparse")
                mod.SCIPY_AVAILABLE = True
            except ImportError:
                pass  # bm25s builds with its numpy backend, as it would without scipy
        return mod


# ---------------------------------------------------------------- pruned top-k

COMMON_DF = 10_000  # a term in more chunks than this is "common": its postings are read by impact
PREFIX = 1_024  # postings of a common term read first (highest impact), doubled while not safe
MAX_PREFIX = 16_384  # past this, the remaining postings of common terms are skipped (approximate)


class PrunedBM25:
    """Top-k BM25 over a bm25s index without reading the whole postings of common terms.

    bm25s scores a query by adding every posting of every query term into a score per chunk:
    at 10^6 chunks a term such as 年 or 市 has hundreds of thousands of postings, most of them
    for chunks that never reach the top k. Here (max-score with impact-ordered postings):

    - rare terms (document frequency ≤ ``common_df``) are read whole, as bm25s does;
    - of each common term only its ``prefix`` highest-impact postings are read (the rest of its
      postings, kept by bm25s in chunk order, is searched for the candidates' own scores, so
      every candidate's score is exact);
    - a chunk that is not a candidate scores at most Σ over common terms of the impact at which
      their prefix stopped (``bound``). When the k-th candidate score reaches that bound, no
      other chunk can enter the top k: the result equals bm25s' (``exact``). Otherwise the
      prefixes are doubled up to ``max_prefix``, and past that the rest is skipped (the only
      approximation; ``exact`` is then False).

    A query whose terms are all rare is scored exactly as bm25s does. The impact order of a
    common term is computed on its first use (one ``argpartition`` of its postings) and kept.
    """

    def __init__(self, bm25, common_df: int = COMMON_DF, prefix: int = PREFIX, max_prefix: int = MAX_PREFIX):
        s = bm25.scores
        self.data, self.indices, self.indptr = s["data"], s["indices"], s["indptr"]
        self.num_docs = int(s["num_docs"])
        self.vocab = bm25.vocab_dict
        self.common_df, self.prefix, self.max_prefix = common_df, prefix, max(prefix, max_prefix)
        self._orders: dict[tuple[int, int], np.ndarray] = {}  # (term, prefix) -> posting positions

    def _terms(self, tokens: list[str]) -> list[tuple[int, int, float]]:
        """(start, end, weight) of the postings of each distinct known token; a repeated token
        counts as often as it is repeated, as in bm25s."""
        counts: dict[int, int] = {}
        for t in tokens:
            tid = self.vocab.get(t)
            if tid is not None:
                counts[tid] = counts.get(tid, 0) + 1
        return [(int(self.indptr[t]), int(self.indptr[t + 1]), float(w)) for t, w in counts.items()]

    def _top_positions(self, start: int, end: int, m: int) -> np.ndarray:
        """Positions (into the postings) of the ``m`` highest-impact postings of one term."""
        key = (start, m)
        pos = self._orders.get(key)
        if pos is None:
            impacts = self.data[start:end]
            part = np.argpartition(impacts, len(impacts) - m)[len(impacts) - m:]
            pos = self._orders[key] = (part + start).astype(np.int64)
        return pos

    def _score(self, terms: list[tuple[int, int, float]], rows: np.ndarray) -> np.ndarray:
        """Exact BM25 scores of the sorted chunk ids ``rows`` (each term's postings are in chunk order)."""
        out = np.zeros(len(rows), dtype=np.float64)
        for start, end, w in terms:
            docs = self.indices[start:end]
            at = np.searchsorted(docs, rows)
            at[at == len(docs)] = 0
            hit = docs[at] == rows if len(docs) else np.zeros(len(rows), dtype=bool)
            out[hit] += w * self.data[start + at[hit]]
        return out

    def score_rows(self, tokens: list[str], rows) -> np.ndarray:
        """BM25 scores of the given chunk ids (any order), reading only their postings."""
        rows = np.asarray(rows, dtype=np.int64)
        order = np.argsort(rows, kind="stable")
        out = np.empty(len(rows), dtype=np.float64)
        out[order] = self._score(self._terms(tokens), rows[order])
        return out

    def top_k(self, tokens: list[str], k: int) -> tuple[np.ndarray, np.ndarray, bool]:
        """(chunk ids, scores, exact) of the best ``k`` chunks with a positive score, best first."""
        terms = self._terms(tokens)
        if not terms or k < 1:
            return np.zeros(0, np.int64), np.zeros(0, np.float64), True
        rare = [t for t in terms if t[1] - t[0] <= self.common_df]
        common = [t for t in terms if t[1] - t[0] > self.common_df]
        if not common:  # read everything, as bm25s does
            idx = np.concatenate([self.indices[s:e] for s, e, _ in rare])
            val = np.concatenate([w * self.data[s:e].astype(np.float64) for s, e, w in rare])
            scores = np.bincount(idx, weights=val, minlength=self.num_docs)
            return (*self._best(np.flatnonzero(scores), scores[scores > 0], k), True)
        base = np.unique(np.concatenate([self.indices[s:e] for s, e, _ in rare])) if rare else np.zeros(0, np.int64)
        m = self.prefix
        while True:
            parts, bound = [base], 0.0
            for s, e, w in common:
                mm = min(m, e - s)
                pos = self._top_positions(s, e, mm)
                parts.append(self.indices[pos])
                if mm < e - s:  # the best impact left unread: the prefix holds every larger one
                    bound += w * float(self.data[pos].min())
            rows = np.unique(np.concatenate(parts)).astype(np.int64)
            scores = self._score(terms, rows)
            ids, best = self._best(rows, scores, k)
            kth = best[-1] if len(best) == k else 0.0
            exact = bound == 0.0 or kth >= bound
            if exact or m >= self.max_prefix:
                return ids, best, exact
            m *= 2

    @staticmethod
    def _best(rows: np.ndarray, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        keep = scores > 0
        rows, scores = rows[keep], scores[keep]
        if len(scores) > k:
            part = np.argpartition(-scores, k - 1)[:k]
            rows, scores = rows[part], scores[part]
        order = np.lexsort((rows, -scores))  # best first, ties by chunk id
        return rows[order].astype(np.int64), scores[order]
