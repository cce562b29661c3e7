"""Scoring one answer against its gold question, and aggregating the scores.

Definitions (also printed in every report):

- **accuracy**: ``answerable`` is right and, for an answerable question, every answer key
  occurs in the answer and every gold source is cited. Keys are matched in the answer as
  given and in its simplified-character form (a traditional question is answered in
  traditional characters: 無勞動能力 matches the key 无劳动能力).
- **hit@k / MRR**: the rank of the first retrieved chunk that contains a gold span verbatim
  (answerable questions only; a question whose span is never retrieved counts 0). Where a set
  has no gold spans (NCPPolicies), the first retrieved chunk of the gold document.
- **doc hit**: answerable questions whose answer cites a gold document.
- **ROUGE-L recall** (sets with an annotated answer, NCPPolicies): the character LCS of the
  annotated answer and the answer, over the annotated answer's length; such a question is
  correct when it is answered, cites the gold document and has recall ≥ 0.7.
- **confidently wrong**: answered (``answerable: true``) but not correct — a wrong or missing
  key figure, an uncited gold document, or an answer where the gold is a refusal. Refusing an
  answerable question is counted apart (refusal recall / precision), not here.
- **citation precision**: among all citations given, the share whose span contains an answer
  key or comes from a gold source (citations on an unanswerable question are all wrong).
- **refusal precision / recall**: over questions refused (``answerable: false``) and
  questions whose gold is unanswerable.
- **latency**: wall time of ``Assistant.ask`` per question, p50/p95 (nearest rank).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from ingest.text import normalize  # traditional → simplified, full-width → half-width

from .dataset import Question

HIT_KS = (1, 3, 5)
ROUGE_CORRECT = 0.7
MAX_LCS_CHARS = 4000  # each side: bounds the O(n·m) LCS per answer


@dataclass(frozen=True)
class Score:
    correct: bool
    rank: int | None  # 1-based rank of the first retrieved chunk holding a gold span
    cited: int
    cited_good: int
    refused: bool
    missing_keys: tuple[str, ...]
    missing_sources: tuple[str, ...]
    doc_hit: bool | None = None  # None for unanswerable gold
    rouge_recall: float | None = None  # only where the question has a reference answer
    rouge_f: float | None = None
    confidently_wrong: bool = False
    # a citation points at the gold document or at a recorded copy of it (the same text published
    # under another name, ingest.copies): reported beside doc_hit, which stays the strict headline
    doc_hit_copy: bool | None = None


def lcs_length(a: str, b: str) -> int:
    """Length of the longest common subsequence of two strings (characters)."""
    a, b = a[:MAX_LCS_CHARS], b[:MAX_LCS_CHARS]
    if len(a) < len(b):
        a, b = b, a
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0]
        for j, cb in enumerate(b, 1):
            cur.append(prev[j - 1] + 1 if ca == cb else (prev[j] if prev[j] > cur[j - 1] else cur[j - 1]))
        prev = cur
    return prev[-1]


def rouge_l(reference: str, answer: str) -> tuple[float, float]:
    """(recall, F1) of the character LCS; whitespace is ignored on both sides."""
    ref = "".join(_fold(reference).split())
    ans = "".join(_fold(answer).split())
    if not ref or not ans:
        return 0.0, 0.0
    lcs = lcs_length(ref, ans)
    recall, precision = lcs / len(ref), lcs / len(ans)
    return recall, (2 * recall * precision / (recall + precision) if lcs else 0.0)


def gold_rank(q: Question, retrieved: Iterable[Any]) -> int | None:
    """``retrieved``: chunks (objects with ``source`` and ``text``) in rank order."""
    gold = list(zip(q.sources, q.spans))
    for rank, chunk in enumerate(retrieved, 1):
        if gold and any(chunk.source == src and span in chunk.text for src, span in gold):
            return rank
        if not gold and chunk.source in q.sources:  # no gold span: the gold document counts
            return rank
    return None


def _fold(text: str) -> str:
    return normalize(text)


def score(q: Question, answer: Any, copies: Mapping[str, Sequence[str]] | None = None) -> Score:
    """``answer``: an ``assistant.types.Answer`` (answer, answerable, citations, retrieved);
    ``copies``: the index's recorded copies of each document (only ``doc_hit_copy`` reads them)."""
    refused = not answer.answerable
    missing_keys: tuple[str, ...] = ()
    missing_sources: tuple[str, ...] = ()
    cited_sources = {c.source for c in answer.citations}
    doc_hit = doc_hit_copy = recall = f1 = None
    if q.answerable:
        folded = _fold(answer.answer)
        missing_keys = tuple(k for k in q.answer_keys if k not in answer.answer and _fold(k) not in folded)
        missing_sources = tuple(s for s in q.sources if s not in cited_sources)
        doc_hit = any(s in cited_sources for s in q.sources)
        doc_hit_copy = doc_hit or any(c in cited_sources for s in q.sources for c in (copies or {}).get(s, ()))
        correct = answer.answerable and not missing_keys and not missing_sources
        if q.reference is not None:
            recall, f1 = rouge_l(q.reference, answer.answer) if answer.answerable else (0.0, 0.0)
            correct = correct and recall >= ROUGE_CORRECT
    else:
        correct = refused
    good = 0
    if q.answerable:
        good = sum(1 for c in answer.citations
                   if c.source in q.sources or any(k in c.text for k in q.answer_keys))
    rank = gold_rank(q, answer.retrieved) if q.answerable else None
    return Score(correct, rank, len(answer.citations), good, refused, missing_keys, missing_sources,
                 doc_hit, recall, f1, bool(answer.answerable and not correct), doc_hit_copy)


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def aggregate(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Metrics over result rows (each with ``answerable_gold``, ``correct``, ``rank``, ``cited``,
    ``cited_good``, ``refused``, ``latency_ms``). Ratios are None where undefined."""
    n = len(rows)
    answerable = [r for r in rows if r["answerable_gold"]]
    unanswerable = [r for r in rows if not r["answerable_gold"]]
    refused = [r for r in rows if r["refused"]]
    cited = sum(r["cited"] for r in rows)

    def ratio(a: float, b: float) -> float | None:
        return a / b if b else None

    out: dict[str, Any] = {
        "n": n,
        "correct": sum(r["correct"] for r in rows),
        "accuracy": ratio(sum(r["correct"] for r in rows), n),
        "mrr": ratio(sum(1 / r["rank"] for r in answerable if r["rank"]), len(answerable)),
        "citation_precision": ratio(sum(r["cited_good"] for r in rows), cited),
        "refusal_precision": ratio(sum(1 for r in refused if not r["answerable_gold"]), len(refused)),
        "refusal_recall": ratio(sum(1 for r in unanswerable if r["refused"]), len(unanswerable)),
        "latency_p50_ms": percentile([r["latency_ms"] for r in rows], 50),
        "latency_p95_ms": percentile([r["latency_ms"] for r in rows], 95),
        "doc_hit": ratio(sum(1 for r in answerable if r.get("doc_hit")), len(answerable)),
        "doc_hit_copy": ratio(sum(1 for r in answerable if r.get("doc_hit_copy")), len(answerable)),
        "confidently_wrong": sum(1 for r in rows if r.get("confidently_wrong")),
        "confidently_wrong_rate": ratio(sum(1 for r in rows if r.get("confidently_wrong")), n),
        "wrongly_refused": sum(1 for r in answerable if r["refused"]),
    }
    recalls = [r["rouge_recall"] for r in rows if r.get("rouge_recall") is not None]
    out["rouge_l_recall"] = ratio(sum(recalls), len(recalls))
    for k in HIT_KS:
        out[f"hit@{k}"] = ratio(sum(1 for r in answerable if r["rank"] and r["rank"] <= k), len(answerable))
    return out
