"""Checks on the real-news question set (eval/news/): its gold spans must be in the chunks the
real ingest makes of the news items in ../shared/corpus/news."""
from __future__ import annotations

from collections import Counter

import pytest

from eval import corpora
from eval.dataset import load_questions
from eval.sets import load_set
from ingest.errors import InputError
from ingest.pipeline import process_file


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    (out,) = corpora.news_paths(tmp_path_factory.mktemp("corpus"))
    return out


@pytest.fixture(scope="module", params=["questions.jsonl", "test.jsonl", "test2.jsonl"])
def qs(request):
    return load_questions(corpora.NEWS / request.param)


def test_the_news_items_are_copied_from_shared_not_the_repository(folder):
    names = sorted(p.name for p in folder.glob("*.txt"))
    assert len(names) == 58 and names[0] == "news_001.txt"
    assert not list(corpora.NEWS.glob("news_*.txt"))


def test_every_gold_span_is_in_one_chunk_of_its_news_item(folder, qs):
    chunks = {}
    for q in qs.questions:
        for source, span in zip(q.sources, q.spans):
            if source not in chunks:
                chunks[source] = process_file(folder / source, {}).chunks
            assert any(span in c.text for c in chunks[source]), (q.id, span)
            assert all(k in span or k in "".join(c.text for c in chunks[source]) for k in q.answer_keys)
    assert len(chunks) >= 13
    cats = Counter(q.category for q in qs.questions)
    assert cats["near_miss"] + cats["unanswerable"] >= 5


def test_a_missing_news_folder_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="news_"):
        corpora.news_paths(tmp_path / "cache", tmp_path / "nowhere")


def test_the_set_is_mixed_with_the_seeds():
    assert {load_set(n).corpus for n in ("news", "news-test", "news-test2")} == {"news"}


def test_the_test_splits_ask_about_other_news_items_than_the_sets_before_them():
    seen: set[str] = set()
    for name in ("questions.jsonl", "test.jsonl", "test2.jsonl"):
        items = {s for q in load_questions(corpora.NEWS / name).questions for s in q.sources}
        assert items and not seen & items, name
        seen |= items
