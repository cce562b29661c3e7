"""Checks on the held-out sets (eval/holdout/, eval/holdout2/, eval/holdout3/, eval/holdout4/,
eval/holdout5/, eval/holdout6/, eval/holdout7/,
eval/holdout8/, eval/holdout9/, eval/holdout10/, eval/holdout11/, eval/holdout12/, eval/holdout13/): their gold data must be right before they can measure anything.
Real ingest (cleaning, chunking, python-docx, lxml) on the committed documents."""
from __future__ import annotations

import re
from collections import Counter

import pytest

from eval import corpora
from eval.dataset import load_questions
from gold import assert_gold_spans_are_in_chunks
from eval.sets import load_set
from ingest.pipeline import discover, process_file

COLLECTIONS = {"holdout": (corpora.HOLDOUT, corpora.holdout_paths),
               "holdout2": (corpora.HOLDOUT2, corpora.holdout2_paths),
               "holdout3": (corpora.HOLDOUT3, corpora.holdout3_paths),
               "holdout4": (corpora.HOLDOUT4, corpora.holdout4_paths),
               "holdout5": (corpora.HOLDOUT5, corpora.holdout5_paths),
               "holdout6": (corpora.HOLDOUT6, corpora.holdout6_paths),
               "holdout7": (corpora.HOLDOUT7, corpora.holdout7_paths),
               "holdout8": (corpora.HOLDOUT8, corpora.holdout8_paths),
               "holdout9": (corpora.HOLDOUT9, corpora.holdout9_paths),
               "holdout10": (corpora.HOLDOUT10, corpora.holdout10_paths),
               "holdout11": (corpora.HOLDOUT11, corpora.holdout11_paths),
               "holdout12": (corpora.HOLDOUT12, corpora.holdout12_paths),
               "holdout13": (corpora.HOLDOUT13, corpora.holdout13_paths)}


@pytest.fixture(scope="module", params=sorted(COLLECTIONS))
def collection(request, tmp_path_factory):
    base, paths = COLLECTIONS[request.param]
    root = tmp_path_factory.mktemp(request.param)
    docs = {f.name: process_file(f, {}) for f in discover(paths(root))}
    return request.param, docs, load_questions(base / "questions.jsonl")


def test_set_covers_the_genres_and_formats(collection):
    _, docs, qs = collection
    assert len(docs) >= 12
    assert {n.rsplit(".", 1)[1] for n in docs} >= {"txt", "md", "html", "docx"}
    assert len(qs.questions) >= 60
    cats = Counter(q.category for q in qs.questions)
    assert cats["near_miss"] + cats["unanswerable"] >= 10
    assert cats["table"] >= 6 and cats["procedure"] >= 10
    assert cats["english"] >= 1 and cats["traditional"] >= 1 and cats["comparison"] >= 1


def test_every_gold_span_is_in_one_chunk_of_its_document(collection):
    _, docs, qs = collection
    assert_gold_spans_are_in_chunks(docs, qs)


@pytest.mark.parametrize("name", sorted(set(COLLECTIONS) - {"holdout"}))  # holdout's ho-013 keys a 可以 its span implies
def test_every_answer_key_is_quoted_in_a_gold_span(name):
    for q in load_questions(COLLECTIONS[name][0] / "questions.jsonl").questions:
        assert all(any(k in s for s in q.spans) for k in q.answer_keys), q.id


def test_every_document_is_asked_about(collection):
    _, docs, qs = collection
    asked = Counter(s for q in qs.questions for s in q.sources)
    assert set(asked) == set(docs)
    assert min(asked.values()) >= 2


def test_the_set_is_mixed_with_the_other_documents(collection):
    name = collection[0]
    s = load_set(name)
    assert s.corpus == name and len(s.questions.questions) >= 60


def _names(base):
    return {p.name.split("_", 1)[1] for p in (base / "docs").iterdir()} | \
           {p.name[: -len(".json")].split("_", 1)[1] for p in (base / "sources").glob("*.docx.json")}


@pytest.mark.parametrize("name, base, earlier", [
    ("holdout2", corpora.HOLDOUT2, (corpora.HOLDOUT, corpora.NEWDOCS)),
    ("holdout3", corpora.HOLDOUT3, (corpora.HOLDOUT2, corpora.HOLDOUT, corpora.NEWDOCS)),
    ("holdout4", corpora.HOLDOUT4, (corpora.HOLDOUT3, corpora.HOLDOUT2, corpora.HOLDOUT, corpora.NEWDOCS)),
    ("holdout5", corpora.HOLDOUT5, (corpora.HOLDOUT4, corpora.HOLDOUT3, corpora.HOLDOUT2, corpora.HOLDOUT,
                                    corpora.NEWDOCS)),
    ("holdout6", corpora.HOLDOUT6, (corpora.HOLDOUT5, corpora.HOLDOUT4, corpora.HOLDOUT3, corpora.HOLDOUT2,
                                    corpora.HOLDOUT, corpora.NEWDOCS)),
    ("holdout7", corpora.HOLDOUT7, (corpora.HOLDOUT6, corpora.HOLDOUT5, corpora.HOLDOUT4, corpora.HOLDOUT3,
                                    corpora.HOLDOUT2, corpora.HOLDOUT, corpora.NEWDOCS)),
    ("holdout8", corpora.HOLDOUT8, (corpora.HOLDOUT7, corpora.HOLDOUT6, corpora.HOLDOUT5, corpora.HOLDOUT4,
                                    corpora.HOLDOUT3, corpora.HOLDOUT2, corpora.HOLDOUT, corpora.NEWDOCS)),
    ("holdout9", corpora.HOLDOUT9, (corpora.HOLDOUT8, corpora.HOLDOUT7, corpora.HOLDOUT6, corpora.HOLDOUT5,
                                    corpora.HOLDOUT4, corpora.HOLDOUT3, corpora.HOLDOUT2, corpora.HOLDOUT,
                                    corpora.NEWDOCS)),
    ("holdout10", corpora.HOLDOUT10, (corpora.HOLDOUT9, corpora.HOLDOUT8, corpora.HOLDOUT7, corpora.HOLDOUT6,
                                      corpora.HOLDOUT5, corpora.HOLDOUT4, corpora.HOLDOUT3, corpora.HOLDOUT2,
                                      corpora.HOLDOUT, corpora.NEWDOCS)),
    ("holdout11", corpora.HOLDOUT11, (corpora.HOLDOUT10, corpora.HOLDOUT9, corpora.HOLDOUT8, corpora.HOLDOUT7,
                                      corpora.HOLDOUT6, corpora.HOLDOUT5, corpora.HOLDOUT4, corpora.HOLDOUT3,
                                      corpora.HOLDOUT2, corpora.HOLDOUT, corpora.NEWDOCS)),
    ("holdout12", corpora.HOLDOUT12, (corpora.HOLDOUT11, corpora.HOLDOUT10, corpora.HOLDOUT9, corpora.HOLDOUT8,
                                      corpora.HOLDOUT7, corpora.HOLDOUT6, corpora.HOLDOUT5, corpora.HOLDOUT4,
                                      corpora.HOLDOUT3, corpora.HOLDOUT2, corpora.HOLDOUT, corpora.NEWDOCS)),
    ("holdout13", corpora.HOLDOUT13, (corpora.HOLDOUT12, corpora.HOLDOUT11, corpora.HOLDOUT10, corpora.HOLDOUT9,
                                      corpora.HOLDOUT8, corpora.HOLDOUT7, corpora.HOLDOUT6, corpora.HOLDOUT5,
                                      corpora.HOLDOUT4, corpora.HOLDOUT3, corpora.HOLDOUT2, corpora.HOLDOUT,
                                      corpora.NEWDOCS)),
])
def test_a_later_holdout_shares_no_document_with_the_other_collections(name, base, earlier):
    new = _names(base)
    assert len(new) >= 12
    assert not new & set().union(*(_names(b) for b in earlier))
    assert {q.split for q in load_set(name).questions.questions} == {"test"}


@pytest.mark.parametrize("name, earlier, news", [
    ("holdout3", ("holdout", "holdout2"), False),  # written before: 徐州, 上饶, 牡丹江 are in news questions
    ("holdout4", ("holdout", "holdout2", "holdout3"), False),  # and 黄山, 盐城, 湖州
    ("holdout5", ("holdout", "holdout2", "holdout3", "holdout4"), True),
    ("holdout6", ("holdout", "holdout2", "holdout3", "holdout4", "holdout5"), True),
    ("holdout7", ("holdout", "holdout2", "holdout3", "holdout4", "holdout5", "holdout6"), True),
    ("holdout8", ("holdout", "holdout2", "holdout3", "holdout4", "holdout5", "holdout6", "holdout7"), True),
    ("holdout9", ("holdout", "holdout2", "holdout3", "holdout4", "holdout5", "holdout6", "holdout7", "holdout8"),
     True),
    ("holdout10", ("holdout", "holdout2", "holdout3", "holdout4", "holdout5", "holdout6", "holdout7", "holdout8",
                   "holdout9"), True),
    ("holdout11", ("holdout", "holdout2", "holdout3", "holdout4", "holdout5", "holdout6", "holdout7", "holdout8",
                   "holdout9", "holdout10"), True),
    ("holdout12", ("holdout", "holdout2", "holdout3", "holdout4", "holdout5", "holdout6", "holdout7", "holdout8",
                   "holdout9", "holdout10", "holdout11"), True),
    ("holdout13", ("holdout", "holdout2", "holdout3", "holdout4", "holdout5", "holdout6", "holdout7", "holdout8",
                   "holdout9", "holdout10", "holdout11", "holdout12"), True),
])
def test_a_later_holdout_asks_about_places_no_earlier_collection_names(name, earlier, news, tmp_path):
    parts = re.compile(r"(.+?(?:自治区|自治州|省|市|县|区|旗))")
    collections = [(corpora.NEWDOCS, corpora.newdocs_paths), *(COLLECTIONS[e] for e in earlier)]
    text = "".join(process_file(f, {}).document.text
                   for base, paths in collections for f in discover(paths(tmp_path / base.name)))
    text += "".join(p.read_text(encoding="utf-8") for p in sorted(corpora.ROOT.joinpath("seeds").glob("*.txt")))
    if news:  # the sets on corpora outside the repository (news, news-20k) are known here by their questions
        text += "".join(p.read_text(encoding="utf-8") for d in (corpora.NEWS, corpora.NEWS20K)
                        for p in sorted(d.glob("*.jsonl")))
    asked = {part for q in load_questions(COLLECTIONS[name][0] / "questions.jsonl").questions
             if q.answerable and q.city for part in parts.findall(q.city)}
    assert len(asked) >= 12
    # a place by its name or its short name (安康 of 安康市); a two-character name (道县) is its own short name
    assert not {p for p in asked if (len(p) > 2 and p[:-1] in text) or p in text}
