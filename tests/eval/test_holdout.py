"""Checks on the held-out set (eval/holdout/): its gold data must be right before it can measure
anything. Real ingest (cleaning, chunking, python-docx, lxml) on the committed documents."""
from __future__ import annotations

from collections import Counter

import pytest

from eval import corpora
from eval.dataset import load_questions
from gold import assert_gold_spans_are_in_chunks
from eval.sets import load_set
from ingest.pipeline import discover, process_file


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    return {f.name: process_file(f, {}) for f in discover(corpora.holdout_paths(root))}


@pytest.fixture(scope="module")
def qs():
    return load_questions(corpora.HOLDOUT / "questions.jsonl")


def test_set_covers_the_genres_and_formats(docs, qs):
    assert len(docs) >= 12
    assert {n.rsplit(".", 1)[1] for n in docs} >= {"txt", "md", "html", "docx"}
    assert len(qs.questions) >= 60
    cats = Counter(q.category for q in qs.questions)
    assert cats["near_miss"] + cats["unanswerable"] >= 10
    assert cats["table"] >= 6 and cats["procedure"] >= 10


def test_every_gold_span_is_in_one_chunk_of_its_document(docs, qs):
    assert_gold_spans_are_in_chunks(docs, qs)


def test_every_document_is_asked_about(docs, qs):
    asked = Counter(s for q in qs.questions for s in q.sources)
    assert set(asked) == set(docs)
    assert min(asked.values()) >= 2


def test_the_set_is_mixed_with_the_other_documents():
    s = load_set("holdout")
    assert s.corpus == "holdout" and len(s.questions.questions) >= 60
