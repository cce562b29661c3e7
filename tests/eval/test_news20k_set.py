"""Checks on the news-20k question sets (eval/news20k/): the items are read by id from
../shared/corpus/news-20k, only their ids are committed, every gold span is in one chunk the real
ingest makes of its item, and the items are not the ones the earlier news sets ask about.

Seven sets share one collection: ``test.jsonl`` asks about the ``civil`` items, ``test2.jsonl``
(written later, while the first set's failures were being studied) about the ``civil2`` items,
``test3.jsonl`` (written while the second set was being studied) about the ``civil3`` items,
``test4.jsonl`` (written once all three were studied, before any run on it) about the ``civil4`` items,
``test5.jsonl`` (written once all four were studied, before any run on it) about the ``civil5`` items,
``test6.jsonl`` (written once all five were studied, before any run on it) about the ``civil6`` items,
``test7.jsonl`` (written once all six were studied, before any run on it) about the ``civil7`` items."""
from __future__ import annotations

import gzip
import json
import subprocess
from collections import Counter

import pytest

from eval import corpora
from eval.dataset import load_questions
from eval.sets import load_set
from ingest.errors import InputError
from ingest.pipeline import process_file

WINDOW = 60  # characters: longer than any gold span, shorter than any item
STRIDE = 30


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    (out,) = corpora.news20k_paths(tmp_path_factory.mktemp("corpus"))
    return out


SETS = [("news20k-test", "test.jsonl", "civil"), ("news20k-test2", "test2.jsonl", "civil2"),
        ("news20k-test3", "test3.jsonl", "civil3"), ("news20k-test4", "test4.jsonl", "civil4"),
        ("news20k-test5", "test5.jsonl", "civil5"), ("news20k-test6", "test6.jsonl", "civil6"),
        ("news20k-test7", "test7.jsonl", "civil7")]
CIVIL = tuple(role for _, _, role in SETS)
STORY = 16  # characters: runs this long shared by two items ...
SAME_STORY = 10  # ... this many times, outside the last quarter (a portal's footer), mean one story
ALIGNED = 50  # the window the distractors were screened with: >= COPY aligned windows shared = a copy
COPY = 8


@pytest.fixture(scope="module")
def items():
    return corpora.news20k_items()


def test_the_items_are_written_from_shared_by_id(folder, items):
    names = {p.name for p in folder.glob("*.txt")}
    assert names == {corpora.news20k_file_name(i) for i in items}
    roles = Counter(items.values())
    assert all(15 <= roles[r] <= 20 for r in CIVIL) and roles["distractor"] >= 150


def test_no_item_text_is_committed(folder):
    """No committed text file holds WINDOW + STRIDE characters of an item's middle (its date line
    and the portal's footer are shared by many items); gold spans are shorter than WINDOW."""
    tracked = subprocess.run(["git", "ls-files"], cwd=corpora.ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    windows = set()
    for item in folder.glob("*.txt"):
        text = item.read_text(encoding="utf-8")
        body = text[len(text) // 4: 3 * len(text) // 4]
        windows.update(body[i:i + WINDOW] for i in range(len(body) - WINDOW + 1))
    assert len(windows) > 10_000
    for name in tracked:
        if (corpora.ROOT / name).suffix not in (".json", ".jsonl", ".md", ".py", ".txt"):
            continue
        text = (corpora.ROOT / name).read_text(encoding="utf-8", errors="ignore")
        # a copied run of WINDOW + STRIDE - 1 characters holds a window starting at a multiple of STRIDE
        assert not any(text[i:i + WINDOW] in windows for i in range(0, len(text) - WINDOW + 1, STRIDE)), name


@pytest.mark.parametrize(("name", "file", "role"), SETS)
def test_every_gold_span_is_in_one_chunk_of_a_civil_item(folder, items, name, file, role):
    qs = load_questions(corpora.NEWS20K / file)
    civil = {corpora.news20k_file_name(i) for i, r in items.items() if r == role}
    chunks = {}
    for q in qs.questions:
        assert q.split == "test"
        for source, span in zip(q.sources, q.spans):
            assert source in civil and len(span) < WINDOW, (q.id, source)
            if source not in chunks:
                chunks[source] = process_file(folder / source, {}).chunks
            assert any(span in c.text for c in chunks[source]), (q.id, span)
        assert all(any(k in span for span in q.spans) for k in q.answer_keys), q.id
    assert set(chunks) == civil  # every civil item of the set is asked about
    cats = Counter(q.category for q in qs.questions)
    assert cats["near_miss"] + cats["unanswerable"] >= 8 and cats["english"] >= 3 and cats["traditional"] >= 2
    assert len({q.id for q in qs.questions}) == len(qs.questions)


def test_the_sets_ask_different_questions():
    sets = [load_questions(corpora.NEWS20K / f).questions for _, f, _ in SETS]
    for i, a in enumerate(sets):
        for b in sets[i + 1:]:
            assert not {q.id for q in a} & {q.id for q in b}
            assert not {q.question for q in a} & {q.question for q in b}


def test_the_civil_items_are_not_the_news_sets_items(folder, items):
    """The 58 items of ../shared/corpus/news come partly from the same crawl: an item in both would
    be one the news sets were tuned on."""
    news = "\n".join(p.read_text(encoding="utf-8") for p in sorted(corpora.news_dir().glob("news_*.txt")))
    civil = [i for i, role in items.items() if role in CIVIL]
    assert len(civil) >= 45
    for item_id in civil:
        text = (folder / corpora.news20k_file_name(item_id)).read_text(encoding="utf-8")
        body = text[len(text) // 4: 3 * len(text) // 4]
        shared = sum(body[s:s + WINDOW] in news for s in range(0, len(body) - WINDOW, WINDOW))
        assert shared == 0, item_id


@pytest.mark.parametrize("role", CIVIL[1:])
def test_a_later_sets_items_are_no_copies_of_listed_items(folder, items, role):
    """A civil2 … civil7 item republished as an item of an earlier set (studied already) or as a
    distractor (it would take the gold passage's place) would make the later set neither clean nor fair."""
    texts = {i: (folder / corpora.news20k_file_name(i)).read_text(encoding="utf-8") for i in items}
    for item_id, r in items.items():
        if r != role:
            continue
        text = texts[item_id]
        windows = [text[s:s + ALIGNED] for s in range(0, len(text) - ALIGNED, ALIGNED)]
        for other, other_text in texts.items():
            if other != item_id:
                assert sum(w in other_text for w in windows) < COPY, (item_id, other)


@pytest.mark.parametrize("role", CIVIL[2:])
def test_the_third_and_later_sets_items_are_other_stories(folder, items, role):
    """Another outlet's article on a story an earlier set asks about shares sentences, not aligned
    windows (two candidates quoting the same 民政部 reply or list were found this way, 40 and 98 runs):
    the first three quarters of a civil3 … civil7 item share fewer than SAME_STORY 16-character runs with
    any other civil item and with ../shared/corpus/news (the last quarter holds footers shared by a portal)."""
    texts = {i: (folder / corpora.news20k_file_name(i)).read_text(encoding="utf-8") for i in items}
    others = {i: t for i, t in texts.items() if items[i] in CIVIL}
    others.update({p.name: p.read_text(encoding="utf-8") for p in sorted(corpora.news_dir().glob("news_*.txt"))})
    runs = {name: {t[k:k + STORY] for k in range(len(t) - STORY + 1)} for name, t in others.items()}
    mine_role = [i for i, r in items.items() if r == role]
    assert mine_role
    for item_id in mine_role:
        head = texts[item_id][: 3 * len(texts[item_id]) // 4]
        mine = {head[k:k + STORY] for k in range(len(head) - STORY + 1)}
        for name, theirs in runs.items():
            if name != item_id:
                assert len(mine & theirs) < SAME_STORY, (item_id, name)


@pytest.mark.parametrize("role", CIVIL[4:])
def test_no_distractor_tells_a_fifth_or_later_sets_story(folder, items, role):
    """From civil5 on, no distractor is another outlet's article on a civil item's story either: it
    would be a second gold passage the questions do not name (the distractors were drawn before
    civil5 was chosen, so civil5 was chosen around them)."""
    texts = {i: (folder / corpora.news20k_file_name(i)).read_text(encoding="utf-8") for i in items}
    distractors = [{t[k:k + STORY] for k in range(len(t) - STORY + 1)}
                   for i, t in texts.items() if items[i] == "distractor"]
    mine_role = [i for i, r in items.items() if r == role]
    assert mine_role and len(distractors) >= 150
    for item_id in mine_role:
        head = texts[item_id][: 3 * len(texts[item_id]) // 4]
        mine = {head[k:k + STORY] for k in range(len(head) - STORY + 1)}
        assert all(len(mine & theirs) < SAME_STORY for theirs in distractors), item_id


@pytest.mark.parametrize(("name", "file", "role"), SETS)
def test_the_set_has_its_own_index(name, file, role):
    s = load_set(name)
    assert s.corpus == "news20k" and len(s.questions.questions) >= 45


def test_a_missing_corpus_or_item_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="news-20k"):
        corpora.news20k_texts({"x:1"}, tmp_path / "nowhere.jsonl.gz")
    corpus = tmp_path / "c.jsonl.gz"
    with gzip.open(corpus, "wt", encoding="utf-8") as f:
        f.write(json.dumps({"id": "a:1", "text": "甲" * 10}) + "\n")
        f.write(json.dumps({"id": "b:2", "text": "乙" * (corpora.MAX_NEWS20K_ITEM_CHARS + 1)}) + "\n")
    assert corpora.news20k_texts({"a:1"}, corpus) == {"a:1": "甲" * 10}
    with pytest.raises(InputError, match="没有条目：c:3"):
        corpora.news20k_texts({"a:1", "c:3"}, corpus)
    with pytest.raises(InputError, match="第 2 行.*上限"):
        corpora.news20k_texts({"b:2"}, corpus)
    (tmp_path / "items.json").write_text('{"items": [{"id": "a:1", "role": "civil"}, {"id": "a:1", "role": "civil"}]}',
                                         encoding="utf-8")
    with pytest.raises(InputError, match="第 2 个条目.*重复"):
        corpora.news20k_items(tmp_path)
    (tmp_path / "items.json").write_text('{"items": [{"id": "a:1", "role": "other"}]}', encoding="utf-8")
    with pytest.raises(InputError, match="role"):
        corpora.news20k_items(tmp_path)
