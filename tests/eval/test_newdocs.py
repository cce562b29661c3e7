"""Checks on the new-documents set (eval/newdocs/): its gold data must be right before it can
measure anything. Real ingest (cleaning, chunking, python-docx) on the committed documents."""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from functools import lru_cache

import pytest

from eval import corpora
from eval.dataset import load_questions
from gold import assert_gold_spans_are_in_chunks
from ingest.errors import InputError
from ingest.pipeline import discover, process_file

QUESTIONS = corpora.NEWDOCS / "questions.jsonl"


@lru_cache(maxsize=1)
def _ingested(root: str):
    from pathlib import Path

    return {f.name: process_file(f, {}) for f in discover(corpora.newdocs_paths(Path(root)))}


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    return _ingested(str(tmp_path_factory.mktemp("corpus")))


@pytest.fixture(scope="module")
def qs():
    return load_questions(QUESTIONS)


def test_set_size_and_formats(docs, qs):
    assert len(docs) >= 30
    assert {n.rsplit(".", 1)[1] for n in docs} >= {"txt", "md", "html", "docx"}
    assert len(qs.questions) >= 150
    assert sum(not q.answerable for q in qs.questions) >= 25
    assert all(q.split in ("dev", "test") for q in qs.questions)


def test_every_gold_span_is_in_one_chunk_of_its_document(docs, qs):
    assert_gold_spans_are_in_chunks(docs, qs)


def test_split_is_by_document_and_a_third_is_test(docs, qs):
    split_of: dict[str, set[str]] = defaultdict(set)
    for q in qs.questions:
        for s in q.sources:
            split_of[s].add(q.split)
    assert all(len(v) == 1 for v in split_of.values()), {s: v for s, v in split_of.items() if len(v) > 1}
    per_doc = Counter(s for q in qs.questions for s in q.sources[:1])
    assert set(per_doc) == set(docs) and min(per_doc.values()) >= 3
    test_docs = sum(1 for v in split_of.values() if v == {"test"})
    assert 0.25 <= test_docs / len(docs) <= 0.4
    test_qs = len(qs.split("test").questions)
    assert 0.25 <= test_qs / len(qs.questions) <= 0.4
    assert len(qs.split("dev").questions) + test_qs == len(qs.questions)


def test_generated_docx_is_reproducible_and_readable(tmp_path, docs):
    corpora.newdocs_paths(tmp_path)
    (a,) = (tmp_path / "newdocs-generated").glob("*.docx")
    first = a.read_bytes()
    corpora.newdocs_paths(tmp_path)
    assert a.read_bytes() == first
    table = [c for c in docs[a.name].chunks if c.kind == "table"]
    assert table and "\t" in table[0].text


def test_split_field_is_validated(tmp_path):
    bad = tmp_path / "q.jsonl"
    row = {"id": "x", "question": "q", "answerable": False, "answer_keys": [], "category": "c", "split": "train"}
    bad.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="q.jsonl 第 1 行.*split"):
        load_questions(bad)
    row["split"] = "dev"
    bad.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="没有 test 划分"):
        load_questions(bad).split("test")
