"""PrunedBM25: the top k of bm25s without reading the whole postings of common terms."""
from __future__ import annotations

import numpy as np
import pytest

from index.bm25lib import PrunedBM25
from index.hybrid import build_bm25


@pytest.fixture(scope="module")
def corpus():
    """3,000 chunks over a Zipf-distributed vocabulary: a few terms in most chunks, most in few."""
    rng = np.random.default_rng(3)
    words = [f"词{i}" for i in range(2_000)]
    p = 1.0 / np.arange(1, len(words) + 1)
    p /= p.sum()
    docs = [[words[j] for j in rng.choice(len(words), size=rng.integers(5, 60), p=p)] for _ in range(3_000)]
    bm25 = build_bm25(docs)
    df = {w: 0 for w in words}
    for d in docs:
        for w in set(d):
            df[w] += 1
    return bm25, df, words


def _bm25s(bm25, tokens, k):
    docs, scores = bm25.retrieve([tokens], k=k, show_progress=False, n_threads=1)
    return [(int(d), float(s)) for d, s in zip(docs[0], scores[0]) if s > 0]


def _same_ranking(got_ids, got_scores, ref):
    """Same chunks with the same scores; chunks tied at the k-th score may differ."""
    np.testing.assert_allclose(got_scores, [s for _, s in ref], rtol=1e-5)
    tied = ref[-1][1] if ref else 0.0
    assert {d for d, s in ref if s > tied * (1 + 1e-5)} <= set(got_ids.tolist())


def test_rare_terms_are_scored_exactly_as_bm25s(corpus):
    bm25, df, words = corpus
    rare = [w for w in words if 0 < df[w] <= 50][:40]
    pruned = PrunedBM25(bm25, common_df=100)
    rng = np.random.default_rng(0)
    for _ in range(20):
        q = list(rng.choice(rare, size=3))
        ids, scores, exact = pruned.top_k(q, 10)
        assert exact
        _same_ranking(ids, scores, _bm25s(bm25, q, 10))
    assert len(pruned._prefixes) == 0  # no postings were read by impact: nothing was pruned


def test_cut_off_applies_only_to_common_terms(corpus):
    bm25, df, words = corpus
    common = [w for w in words if df[w] > 300][:3]
    rare = [w for w in words if 0 < df[w] <= 30][:2]
    pruned = PrunedBM25(bm25, common_df=300, prefix=64, max_prefix=64)
    pruned.top_k(common + rare, 10)
    read_by_impact = set(pruned._prefixes._d)
    starts = {w: int(bm25.scores["indptr"][bm25.vocab_dict[w]]) for w in common + rare}
    assert read_by_impact == {starts[w] for w in common}
    assert all(len(docs) == 64 for docs, _ in pruned._prefixes._d.values())  # prefix only, not the postings


def test_pruned_equals_unpruned_whenever_it_says_exact(corpus):
    bm25, df, words = corpus
    known = [w for w in words if df[w] > 0]
    pruned = PrunedBM25(bm25, common_df=200, prefix=16, max_prefix=1024)
    rng = np.random.default_rng(1)
    exact_n, overlap = 0, []
    for _ in range(60):
        q = list(rng.choice(known[:60], size=2)) + list(rng.choice(known[60:600], size=2))
        ref = _bm25s(bm25, q, 10)
        ids, scores, exact = pruned.top_k(q, 10)
        overlap.append(len(set(ids.tolist()) & {d for d, _ in ref}) / len(ref))
        if exact:
            exact_n += 1
            _same_ranking(ids, scores, ref)
    assert exact_n >= 30  # the bound is usually met early
    assert np.mean(overlap) >= 0.95


def test_past_the_prefixes_every_posting_is_summed_exactly(corpus):
    """Common terms only, with prefixes too short to prove anything: the fallback sums every
    posting, so the top k is still bm25s' own."""
    bm25, df, words = corpus
    common = sorted((w for w in words if df[w] > 0), key=lambda w: -df[w])[:4]  # in most chunks
    pruned = PrunedBM25(bm25, common_df=100, prefix=2, max_prefix=2)
    ids, scores, exact = pruned.top_k(common, 10)
    assert exact and len(ids) == 10
    _same_ranking(ids, scores, _bm25s(bm25, common, 10))
    assert all(len(docs) == 2 for docs, _ in pruned._prefixes._d.values())  # the prefixes were tried first


def test_score_rows_equals_the_full_scores(corpus):
    bm25, df, words = corpus
    q = [w for w in words if df[w] > 0][:3] + [w for w in words if 0 < df[w] < 20][:2] + ["未知词"]
    rows = [2999, 5, 17, 5, 1200]
    full = bm25.get_scores([t for t in q if t in bm25.vocab_dict])
    np.testing.assert_allclose(PrunedBM25(bm25).score_rows(q, rows), full[rows], rtol=1e-5)
    assert PrunedBM25(bm25).top_k(["未知词"], 10)[0].size == 0


def test_candidates_that_cannot_reach_the_top_k_are_not_looked_up(corpus, monkeypatch):
    """A rare term plus common ones: most candidates (the common terms' prefixes) are dropped
    on their bound, unscored, and the result is still bm25s' own."""
    bm25, df, words = corpus
    common = sorted((w for w in words if df[w] > 0), key=lambda w: -df[w])[:3]
    rare = [w for w in words if 5 <= df[w] <= 20][:6]
    pruned = PrunedBM25(bm25, common_df=300, prefix=256, max_prefix=4096)
    looked: list[int] = []
    real = pruned._lookup
    monkeypatch.setattr(pruned, "_lookup", lambda s, e, rows: looked.append(len(rows)) or real(s, e, rows))
    for r in rare:
        q = common + [r, r]  # a repeated token counts twice, as in bm25s
        looked.clear()
        ids, scores, exact = pruned.top_k(q, 10)
        ref = _bm25s(bm25, q, 10)
        assert exact
        _same_ranking(ids, scores, ref)
        candidates = len(np.unique(np.concatenate([pruned._impact_prefix(
            int(bm25.scores["indptr"][bm25.vocab_dict[w]]), int(bm25.scores["indptr"][bm25.vocab_dict[w] + 1]))[0][:256]
            for w in common])))
        assert sum(looked) < candidates * len(common) / 2, (sum(looked), candidates)


def test_every_mix_of_terms_is_exact_when_nothing_is_skipped(corpus):
    """With a prefix cap beyond every postings list nothing is ever skipped: every query, however
    its terms mix, gets exactly bm25s' top k, flagged exact."""
    bm25, df, words = corpus
    known = [w for w in words if df[w] > 0]
    pruned = PrunedBM25(bm25, common_df=50, prefix=8, max_prefix=4096)
    rng = np.random.default_rng(5)
    for _ in range(80):
        q = list(rng.choice(known[:30], size=rng.integers(1, 4))) + list(rng.choice(known[30:], size=rng.integers(0, 3)))
        ids, scores, exact = pruned.top_k(q, 10)
        assert exact
        _same_ranking(ids, scores, _bm25s(bm25, q, 10))


def test_max_score_leaves_out_terms_that_cannot_decide_and_stays_exact(corpus, monkeypatch):
    """Past the prefixes, the terms whose best impacts add up below the k-th score found are not
    summed whole: the result is still the plain sum's, chunk for chunk (ties by chunk id)."""
    bm25, df, words = corpus
    common = sorted((w for w in words if df[w] > 0), key=lambda w: -df[w])[:4]
    mid = [w for w in words if 100 < df[w] <= 400][:3]
    # prefixes too short to prove the top k (every query falls through to the sum), long enough
    # for a k-th score that the most common terms' best impacts cannot reach
    plain = PrunedBM25(bm25, common_df=100, prefix=8, max_prefix=8, maxscore=False)
    pruned = PrunedBM25(bm25, common_df=100, prefix=8, max_prefix=8)
    calls = []
    real = pruned._max_score
    monkeypatch.setattr(pruned, "_max_score", lambda *a: calls.append(r := real(*a)) or r)
    rng = np.random.default_rng(5)
    for _ in range(20):
        q = list(rng.choice(common, size=3)) + list(rng.choice(mid, size=2))
        ids, scores, exact = pruned.top_k(q, 10)
        ref_ids, ref_scores, _ = plain.top_k(q, 10)
        assert exact and ids.tolist() == ref_ids.tolist()
        np.testing.assert_allclose(scores, ref_scores, rtol=1e-9)
        _same_ranking(ids, scores, _bm25s(bm25, q, 10))
    assert calls and all(c is not None for c in calls)  # each left the most common terms out


def test_ties_at_the_kth_score_go_to_the_lowest_chunk_ids():
    """A few chunks hold the term twice, the rest of those holding it once are tied: the k places
    left go to the lowest ids of the tied ones, whichever way the top k was found."""
    rng = np.random.default_rng(0)
    docs = [["甲", "乙"] if rng.random() < 0.5 else ["甲", "乙", "乙"] if rng.random() < 0.1 else ["丙", "丁"]
            for _ in range(400)]
    twice = [i for i, d in enumerate(docs) if d.count("乙") == 2]
    once = [i for i, d in enumerate(docs) if d.count("乙") == 1]
    assert 0 < len(twice) < 30 < len(twice) + len(once)
    ids, scores, _ = PrunedBM25(build_bm25(docs)).top_k(["乙"], 30)
    assert ids.tolist() == twice + once[:30 - len(twice)]
