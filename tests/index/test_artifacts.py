"""The index builder's hook: named artifacts built from the documents, stored and checksummed by the
store, which knows no upper layer's file; an Assistant only loads, it never builds."""
from __future__ import annotations

import json

import pytest

from assistant.chain import Assistant
from index import store
from index.builder import build_index
from ingest.errors import IndexStoreError


@pytest.fixture()
def src(tmp_path):
    d = tmp_path / "src"
    d.mkdir()
    (d / "a.txt").write_text("焦作市民政局报告。2021年，焦作市农村最低生活保障年标准提高到4524元。", encoding="utf-8")
    return d


def test_named_artifacts_are_built_stored_and_checksummed(src, tmp_path, embedder):
    seen = []

    def count(documents):
        seen.append([d.source for d in documents])
        return {"documents": len(documents)}

    root = tmp_path / "idx"
    build_index([src], root, embedder, artifacts={"counts": count, "nothing": lambda documents: None})
    index = store.load(root)
    path = index.artifact_path("counts")
    assert seen == [["a.txt"]] and json.loads(path.read_text(encoding="utf-8")) == {"documents": 1}
    assert "counts.json" in index.manifest["checksums"]
    assert not index.artifact_path("nothing").exists()  # a builder returning None adds nothing
    path.write_text('{"documents": 2}', encoding="utf-8")  # tampered: loading says so
    with pytest.raises(IndexStoreError, match="counts.json"):
        store.load(root)


@pytest.mark.parametrize("name", ["manifest", "chunks", "../up", "Standards", "a b", ""])
def test_an_artifact_name_cannot_be_a_store_file_or_a_path(src, tmp_path, embedder, name):
    with pytest.raises(ValueError):
        build_index([src], tmp_path / "idx", embedder, artifacts={name: lambda documents: {}})
    assert store.current_generation(tmp_path / "idx") is None


def test_constructing_an_assistant_never_builds_an_index(tmp_path, embedder):
    with pytest.raises(IndexStoreError, match="civilqa ingest"):
        Assistant(tmp_path / "idx", embedder)
    assert not (tmp_path / "idx").exists()
