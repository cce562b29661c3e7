"""Scoring and aggregation on hand-made answers (pure functions: no model needed)."""
from __future__ import annotations

from assistant.types import Answer, Citation
from eval.dataset import Question
from eval.metrics import aggregate, gold_rank, percentile, score
from ingest.document import Chunk

Q = Question("q1", "焦作市农村低保标准是多少？", True, ("4524",), "standard",
             ("002.txt",), ("农村最低生活保障年标准提高到4524元",), "焦作市")
U = Question("u1", "北京市低保标准是多少？", False, (), "unanswerable")


def _cit(source: str, text: str, marker: int = 1) -> Citation:
    return Citation(marker, source, "t", "焦作市", 2021, text, 0, len(text))


def _chunk(source: str, text: str) -> Chunk:
    return Chunk(Chunk.make_id(source, 0, len(text), text), source, 0, len(text), text, None, "")


def test_correct_answer_needs_keys_answerable_and_gold_source():
    gold = _cit("002.txt", "农村最低生活保障年标准提高到4524元")
    ok = Answer(Q.question, "焦作市农村低保年标准为4524元[1]。", True, [gold])
    assert score(Q, ok).correct
    wrong_number = Answer(Q.question, "焦作市农村低保年标准为4254元[1]。", True, [gold])
    s = score(Q, wrong_number)
    assert not s.correct and s.missing_keys == ("4524",)
    other_source = Answer(Q.question, "4524元[1]", True, [_cit("004.txt", "另一份报告里的4524元")])
    s = score(Q, other_source)
    assert not s.correct and s.missing_sources == ("002.txt",)
    assert s.cited_good == 1  # the span holds the key, so the citation itself is good
    refused = Answer(Q.question, "资料中没有。", False, [])
    assert not score(Q, refused).correct and score(Q, refused).refused


def test_unanswerable_is_correct_only_when_refused_and_its_citations_are_all_wrong():
    assert score(U, Answer(U.question, "资料中没有北京市的数据。", False, [])).correct
    answered = Answer(U.question, "600元[1]", True, [_cit("002.txt", "月标准为600元")])
    s = score(U, answered)
    assert not s.correct and s.cited == 1 and s.cited_good == 0


def test_gold_rank_is_first_chunk_holding_a_gold_span():
    chunks = [_chunk("002.txt", "无关的内容"), _chunk("004.txt", "农村最低生活保障年标准提高到4524元"),
              _chunk("002.txt", "前文。农村最低生活保障年标准提高到4524元，后文")]
    assert gold_rank(Q, chunks) == 3  # the same words in another file do not count
    assert gold_rank(Q, chunks[:2]) is None


def test_aggregate_and_percentiles():
    assert percentile([], 50) is None
    assert percentile([5, 1, 3, 2, 4], 50) == 3
    assert percentile(list(range(1, 101)), 95) == 95
    rows = [
        {"answerable_gold": True, "correct": True, "rank": 1, "cited": 1, "cited_good": 1, "refused": False, "latency_ms": 10},
        {"answerable_gold": True, "correct": False, "rank": 4, "cited": 2, "cited_good": 1, "refused": False, "latency_ms": 30},
        {"answerable_gold": True, "correct": False, "rank": None, "cited": 0, "cited_good": 0, "refused": True, "latency_ms": 20},
        {"answerable_gold": False, "correct": True, "rank": None, "cited": 0, "cited_good": 0, "refused": True, "latency_ms": 5},
    ]
    m = aggregate(rows)
    assert m["n"] == 4 and m["accuracy"] == 0.5
    assert m["hit@1"] == 1 / 3 and m["hit@3"] == 1 / 3 and m["hit@5"] == 2 / 3
    assert abs(m["mrr"] - (1 + 0.25) / 3) < 1e-9
    assert m["citation_precision"] == 2 / 3
    assert m["refusal_precision"] == 0.5 and m["refusal_recall"] == 1.0
    assert m["latency_p50_ms"] == 10 and m["latency_p95_ms"] == 30
    empty = aggregate([])
    assert empty["accuracy"] is None and empty["refusal_recall"] is None


def test_keys_match_answers_given_in_traditional_characters():
    q = Question("t1", "焦作市哪些人可以申請特困供養？", True, ("无劳动能力",), "traditional", ("004.txt",), ("x",))
    a = Answer(q.question, "焦作市對無勞動能力的老年人予以救助供養[1]。", True, [_cit("004.txt", "无劳动能力")])
    assert score(q, a).correct
    assert not score(q, Answer(q.question, "焦作市予以救助供養[1]。", True, [_cit("004.txt", "x")])).correct
