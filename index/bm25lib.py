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

from .lru import Bounded

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
# past this, all postings are summed at once (exact, vectorised). At 10^6 chunks (105 questions,
# load 5.4) one round then the sum had the lowest p95: top-40 22.6 ms against 29.5 (2048) and
# 53.2 (16384): with many common terms the bound stays loose and each doubling redoes the lookups
MAX_PREFIX = 1_024
PREFIX_CACHE = 512  # common terms whose impact-ordered prefix is kept (≤ 256 KB each at MAX_PREFIX: ≤ 128 MB)


class PrunedBM25:
    """Top-k BM25 over a bm25s index without reading the whole postings of common terms.

    bm25s scores a query by adding every posting of every query term into a score per chunk:
    at 10^6 chunks a term such as 年 or 市 has hundreds of thousands of postings, most of them
    for chunks that never reach the top k. Here (max-score over impact-ordered postings):

    - rare terms (document frequency ≤ ``common_df``) are read whole, as bm25s does, and their
      weights are added up directly;
    - of each common term only its ``prefix`` highest-impact postings are read. A chunk met
      there gets that term's weight; a candidate chunk not in a common term's prefix has at most
      the impact at which the prefix stopped for it (that term's ``bound``). A candidate whose
      known weights plus those bounds cannot reach the k-th largest known sum is dropped
      unscored; only the rest are looked up in the common terms' full postings (kept by bm25s in
      chunk order), so every score returned is exact;
    - a chunk that is not a candidate scores at most Σ of the bounds. When the k-th score
      reaches that, no other chunk can enter the top k: the result equals bm25s'. Otherwise the
      prefixes are doubled up to ``max_prefix``. Past that, the k-th exact score found is a floor
      for the final k-th (max-score): the terms of least best impact whose best impacts add up
      below it are not summed whole, only looked up for the chunks of the other terms' postings
      (at 10^6 chunks 市 and 年 no longer cost their whole postings: 105 questions' BM25 top-40
      p95 15 → 10 ms, max 42 → 21); when no term can be left out every posting of every query
      term is added up at once (bm25s' sum, vectorised in numpy). The result is always bm25s'
      top k (``exact`` is always True; ties at the k-th score go to the lowest chunk ids), and a
      query costs at most one pass over its terms' postings.

    A query whose terms are all rare is scored exactly as bm25s does. The impact order of a
    common term's best ``max_prefix`` postings is computed on its first use (one
    ``argpartition`` of its postings) and kept for the last ``PREFIX_CACHE`` common terms.
    """

    def __init__(self, bm25, common_df: int = COMMON_DF, prefix: int = PREFIX, max_prefix: int = MAX_PREFIX,
                 maxscore: bool = True):
        s = bm25.scores
        self.data, self.indices, self.indptr = s["data"], s["indices"], s["indptr"]
        self.num_docs = int(s["num_docs"])
        self.vocab = bm25.vocab_dict
        self.common_df, self.prefix, self.max_prefix = common_df, prefix, max(prefix, max_prefix)
        self.maxscore = maxscore  # past the prefixes, leave out the terms that cannot decide (see top_k)
        self._prefixes = Bounded(PREFIX_CACHE)  # term's first posting -> (chunks, impacts), best first

    def _terms(self, tokens: list[str]) -> list[tuple[int, int, float]]:
        """(start, end, weight) of the postings of each distinct known token; a repeated token
        counts as often as it is repeated, as in bm25s."""
        counts: dict[int, int] = {}
        for t in tokens:
            tid = self.vocab.get(t)
            if tid is not None:
                counts[tid] = counts.get(tid, 0) + 1
        return [(int(self.indptr[t]), int(self.indptr[t + 1]), float(w)) for t, w in counts.items()]

    def _impact_prefix(self, start: int, end: int) -> tuple[np.ndarray, np.ndarray]:
        """(chunk ids, impacts) of the ``max_prefix`` highest-impact postings of one term, best first."""
        got = self._prefixes.get(start)
        if got is None:
            impacts = self.data[start:end]
            m = min(self.max_prefix, end - start)
            part = np.argpartition(impacts, len(impacts) - m)[len(impacts) - m:] if m < len(impacts) else \
                np.arange(len(impacts))
            part = part[np.argsort(-impacts[part], kind="stable")]
            got = (self.indices[start + part].astype(np.int64), impacts[part].astype(np.float64))
            self._prefixes.put(start, got)
        return got

    def _lookup(self, start: int, end: int, rows: np.ndarray) -> np.ndarray:
        """Impact of one term in each of the sorted chunk ids ``rows`` (0 where it is absent)."""
        docs = self.indices[start:end]
        out = np.zeros(len(rows), dtype=np.float64)
        if not len(docs) or not len(rows):
            return out
        at = np.searchsorted(docs, rows)
        at[at == len(docs)] = 0
        hit = docs[at] == rows
        out[hit] = self.data[start + at[hit]]
        return out

    def _score(self, terms: list[tuple[int, int, float]], rows: np.ndarray) -> np.ndarray:
        """Exact BM25 scores of the sorted chunk ids ``rows`` (each term's postings are in chunk order)."""
        out = np.zeros(len(rows), dtype=np.float64)
        for start, end, w in terms:
            out += w * self._lookup(start, end, rows)
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
        rare_idx = [self.indices[s:e] for s, e, _ in rare]
        rare_val = [w * self.data[s:e].astype(np.float64) for s, e, w in rare]
        if not common:  # read everything, as bm25s does
            rows, scores = _sum_by_row(rare_idx, rare_val, self.num_docs)
            return (*self._best(rows, scores, k), True)
        m = self.prefix
        while True:
            ids, best, bound = self._round(common, rare_idx, rare_val, m, k)
            kth = best[-1] if len(best) == k else 0.0
            if bound == 0.0 or kth >= bound:
                return ids, best, True
            if m >= self.max_prefix:
                break
            m *= 2
        # not proven within the prefixes (many common terms: a loose bound). The k-th exact score
        # found is a floor for the final k-th: the terms whose best impacts add up below it need
        # not be read whole (max-score), and failing that every posting of every term is added up
        # at once, bm25s' own sum but vectorised; exact either way, bounded by the postings' size
        if self.maxscore and kth > 0:
            got = self._max_score(terms, kth, k)
            if got is not None:
                return (*got, True)
        s_idx = rare_idx + [self.indices[s:e] for s, e, _ in common]
        s_val = rare_val + [w * self.data[s:e].astype(np.float64) for s, e, w in common]
        rows, scores = _sum_by_row(s_idx, s_val, self.num_docs)
        return (*self._best(rows, scores, k), True)

    def _max_impact(self, start: int, end: int) -> float:
        """The best impact of one term's postings (a common term's from its cached prefix)."""
        if end - start > self.common_df:
            return float(self._impact_prefix(start, end)[1][0])
        return float(self.data[start:end].max()) if end > start else 0.0

    def _max_score(self, terms, floor: float, k: int) -> tuple[np.ndarray, np.ndarray] | None:
        """The top k when ``floor`` is at most the final k-th score (``floor > 0``): the terms of
        least best impact whose best impacts add up to less than ``floor`` ("non-essential") cannot
        on their own put a chunk into the top k, so only the chunks of the other terms' postings are
        candidates; a candidate whose essential sum plus those best impacts stays below ``floor`` is
        dropped, the rest are looked up in the non-essential postings (exact scores). None when no
        term can be left out (the plain sum is then as cheap)."""
        order = sorted(terms, key=lambda t: (t[2] * self._max_impact(t[0], t[1]), t[0]))
        rest, slack = [], 0.0
        for t in order:
            m = t[2] * self._max_impact(t[0], t[1])
            if slack + m >= floor:
                break
            slack += m
            rest.append(t)
        if not rest:
            return None
        essential = order[len(rest):]
        rows, known = _sum_by_row([self.indices[s:e] for s, e, _ in essential],
                                  [w * self.data[s:e].astype(np.float64) for s, e, w in essential], self.num_docs)
        keep = known + slack >= floor
        rows, score = rows[keep], known[keep]
        for s, e, w in rest:
            score += w * self._lookup(s, e, rows)
        return self._best(rows, score, k)

    def _round(self, common, rare_idx, rare_val, m: int, k: int) -> tuple[np.ndarray, np.ndarray, float]:
        """One pass with the best ``m`` postings of each common term: the top k of the candidates
        (exact scores) and the bound on any chunk that is not a candidate."""
        idx, val, seg, bounds = list(rare_idx), list(rare_val), [], []
        for s, e, w in common:
            docs, impacts = self._impact_prefix(s, e)
            mm = min(m, len(docs))
            idx.append(docs[:mm])
            val.append(w * impacts[:mm])
            seg.append(len(idx) - 1)
            # the best impact left unread: the next one in impact order, or (past the kept prefix)
            # at most the last one kept; nothing is left when the prefix is the whole postings
            left = impacts[mm] if mm < len(docs) else (impacts[-1] if len(docs) < e - s else 0.0)
            bounds.append(w * float(left))
        sizes = [len(x) for x in idx]
        rows, inv = np.unique(np.concatenate(idx), return_inverse=True)
        known = np.bincount(inv, weights=np.concatenate(val), minlength=len(rows))
        offsets = np.concatenate([[0], np.cumsum(sizes)])
        seen = []  # per common term: which candidates its prefix already scored
        upper = known.copy()
        for j, b in zip(seg, bounds):
            mask = np.zeros(len(rows), dtype=bool)
            mask[inv[offsets[j]:offsets[j + 1]]] = True
            seen.append(mask)
            upper[~mask] += b
        theta = np.partition(known, len(known) - k)[len(known) - k] if len(known) >= k else 0.0
        keep = upper >= theta  # the others cannot reach the k-th known sum, hence not the top k
        rows_k, score = rows[keep], known[keep]
        for (s, e, w), mask, b in zip(common, seen, bounds):
            if b > 0:  # candidates this term's prefix did not meet may still hold it
                todo = ~mask[keep]
                score[todo] += w * self._lookup(s, e, rows_k[todo])
        ids, best = self._best(rows_k, score, k)
        return ids, best, float(sum(bounds))

    @staticmethod
    def _best(rows: np.ndarray, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        keep = scores > 0
        rows, scores = rows[keep], scores[keep]
        if len(scores) > k:
            # every chunk tied at the k-th score stays for the tie-break below: argpartition alone
            # would keep an arbitrary one of them, which differed between the ways to the top k
            kth = scores[np.argpartition(-scores, k - 1)[k - 1]]
            part = np.flatnonzero(scores >= kth)
            rows, scores = rows[part], scores[part]
        order = np.lexsort((rows, -scores))[:k]  # best first, ties by chunk id
        return rows[order].astype(np.int64), scores[order]


def _sum_by_row(idx: list[np.ndarray], val: list[np.ndarray], num_docs: int) -> tuple[np.ndarray, np.ndarray]:
    """(chunk ids, summed weights) of postings: by sorting when they are few against the
    collection, by a dense accumulator (bm25s' way) when they are many."""
    allidx, allval = np.concatenate(idx), np.concatenate(val)
    if len(allidx) * 16 < num_docs:
        rows, inv = np.unique(allidx, return_inverse=True)
        return rows, np.bincount(inv, weights=allval, minlength=len(rows))
    scores = np.bincount(allidx, weights=allval, minlength=num_docs)
    rows = np.flatnonzero(scores)
    return rows, scores[rows]
