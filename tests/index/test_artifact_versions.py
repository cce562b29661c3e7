"""Artifacts carry a version: one built by older code is rebuilt alone from the stored documents
(nothing parsed or embedded again); an artifact that is current is left as it is."""
from __future__ import annotations

import json
import os
import time

import numpy as np
import pytest

from assistant.kb import ARTIFACTS, COPIES, COPIES_ARTIFACT, STANDARDS, ensure_index, load_standards
from assistant.standards import FORMAT_VERSION, table_fingerprint
from index import store
from index.artifacts import Artifact, code_fingerprint
from index.builder import build_index
from index.refresh import refresh_artifacts

pytestmark = pytest.mark.integration  # FAISS and jieba on disk, with the fake embedder


class EmbedsNothing:
    """Stands in for the embedder where nothing may be embedded (a refresh never embeds)."""

    def __init__(self, like) -> None:
        self.id, self.dim = like.id, like.dim

    def encode_passages(self, texts):
        raise AssertionError(f"embedded {len(texts)} passages")

    encode_query = encode_passages


@pytest.fixture()
def src(tmp_path):
    d = tmp_path / "src"
    d.mkdir()
    (d / "a.txt").write_text("焦作市民政局报告。2021年，焦作市农村最低生活保障年标准提高到每人每年4524元。\n\n"
                             "城市低保月标准为每人每月600元。", encoding="utf-8")
    (d / "b.txt").write_text("洛阳市新增养老床位1685张。", encoding="utf-8")
    return d


def _versioned(version: list[str], calls: list[list[str]]) -> Artifact:
    def build(documents):
        calls.append(sorted(d.source for d in documents))
        return {"version": version[0], "documents": len(documents)}
    return Artifact(build, lambda: version[0])


def _state(root):
    gen = store.current_generation(root)
    return gen.name, store.read_manifest(root)[1]


def test_a_changed_fingerprint_rebuilds_that_artifact_only_and_keeps_the_vectors(src, tmp_path, fake_embedder):
    root, version, calls = tmp_path / "idx", ["v1"], []
    build_index([src], root, fake_embedder, artifacts={"counts": _versioned(version, calls)})
    before_gen, before = _state(root)
    vectors = store.load(root).vectors()
    assert before["artifacts"] == {"counts": "v1"} and calls == [["a.txt", "b.txt"]]

    assert refresh_artifacts(root, {"counts": _versioned(version, calls)}) == []  # unchanged: nothing
    assert _state(root)[0] == before_gen and len(calls) == 1

    version[0] = "v2"
    assert refresh_artifacts(root, {"counts": _versioned(version, calls)}) == ["counts"]
    after_gen, after = _state(root)
    index = store.load(root, verify=True)  # a complete, checksummed generation
    assert after_gen != before_gen and after["artifacts"] == {"counts": "v2"}
    assert json.loads(index.artifact_path("counts").read_text(encoding="utf-8")) == {"version": "v2", "documents": 2}
    assert calls[-1] == ["a.txt", "b.txt"]  # built from the stored documents (no embedder was given)
    for name in ("faiss.index", "chunks.jsonl", "documents.json"):
        assert after["checksums"][name] == before["checksums"][name]
    assert np.array_equal(index.vectors(), vectors)
    assert after["sources"] == before["sources"] and after["vector_index"] == before["vector_index"]


def test_ensure_index_rebuilds_a_stale_standards_table_and_leaves_a_current_one(src, tmp_path, fake_embedder):
    root = tmp_path / "idx"
    # an index whose table was built by other code (a plain builder: no version recorded)
    build_index([src], root, fake_embedder, artifacts={STANDARDS: lambda documents: {"format_version": FORMAT_VERSION,
                                                                                      "kind": "civilqa.standards",
                                                                                      "rows": []}})
    assert len(load_standards(store.load(root))) == 0
    before_gen, before = _state(root)
    assert ensure_index(root, EmbedsNothing(fake_embedder)) is False
    gen, manifest = _state(root)
    # the table and the record of copies (missing: stale too) are rebuilt
    assert gen != before_gen and manifest["artifacts"] == {STANDARDS: table_fingerprint(),
                                                           COPIES: COPIES_ARTIFACT.fingerprint()}
    assert manifest["checksums"]["faiss.index"] == before["checksums"]["faiss.index"]
    rows = load_standards(store.load(root))
    assert {r.amount for r in rows} >= {"4524", "600"}
    assert ensure_index(root, EmbedsNothing(fake_embedder)) is False and _state(root)[0] == gen  # current: nothing rebuilt


def test_a_build_records_the_fingerprints_of_its_artifacts(src, tmp_path, fake_embedder):
    root = tmp_path / "idx"
    build_index([src], root, fake_embedder, artifacts=ARTIFACTS)
    assert store.read_manifest(root)[1]["artifacts"] == {STANDARDS: table_fingerprint(),
                                                         COPIES: COPIES_ARTIFACT.fingerprint()}
    assert refresh_artifacts(root, ARTIFACTS) == []


def test_code_fingerprint_follows_imports_and_data_files(tmp_path, monkeypatch):
    pkg = tmp_path / "fpkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "sub" / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "top.py").write_text("from .sub import leaf\nimport json\n", encoding="utf-8")
    (pkg / "sub" / "leaf.py").write_text("X = 1\n", encoding="utf-8")
    (pkg / "other.py").write_text("Y = 1\n", encoding="utf-8")
    data = tmp_path / "words.json"
    data.write_text("{}", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("CIVILQA_CACHE_DIR", str(tmp_path / "cache"))  # every write here is "racy": hashed again

    def fp():
        code_fingerprint.cache_clear()
        return code_fingerprint(("fpkg.top",), ("fpkg",), (data,))

    first = fp()
    (pkg / "other.py").write_text("Y = 2\n", encoding="utf-8")  # not imported by top: same version
    assert fp() == first
    (pkg / "sub" / "leaf.py").write_text("X = 2\n", encoding="utf-8")  # imported: a new version
    second = fp()
    assert second != first
    data.write_text('{"a": 1}', encoding="utf-8")  # a data file read: a new version
    assert fp() != second


def test_code_fingerprint_is_hashed_again_only_when_a_file_it_read_changes(tmp_path, monkeypatch):
    """Across processes (the per-process cache cleared), a digest is reused while the files it read
    keep their size and mtime and the modules it did not find are still missing; any change of
    those, even to the same size, hashes again."""
    from index import artifacts

    pkg = tmp_path / "cpkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "top.py").write_text("from . import extra\nfrom .leaf import X\n", encoding="utf-8")
    (pkg / "leaf.py").write_text("X = 1\n", encoding="utf-8")
    data = tmp_path / "words.json"
    data.write_text("{}", encoding="utf-8")
    long_ago = time.time_ns() - 3600 * 10**9  # older than RACY_SECONDS: a stamp that can be trusted
    for f in (*pkg.iterdir(), data):
        os.utime(f, ns=(long_ago, long_ago))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("CIVILQA_CACHE_DIR", str(tmp_path / "cache"))
    parsed = []
    real_parse = artifacts.ast.parse
    monkeypatch.setattr(artifacts.ast, "parse", lambda source, *a, **k: parsed.append(1) or real_parse(source, *a, **k))

    def fp():
        code_fingerprint.cache_clear()
        parsed.clear()
        return code_fingerprint(("cpkg.top",), ("cpkg",), (data,))

    first = fp()
    assert parsed and (tmp_path / "cache" / artifacts.FINGERPRINTS).is_file()
    assert fp() == first and parsed == []  # a new process: nothing parsed nor hashed
    (pkg / "leaf.py").write_text("X = 2\n", encoding="utf-8")  # same size
    os.utime(pkg / "leaf.py", ns=(long_ago + 10**9, long_ago + 10**9))
    second = fp()
    assert second != first and parsed
    assert fp() == second and parsed == []
    (pkg / "extra.py").write_text("Z = 1\n", encoding="utf-8")  # a module looked for and missing appears
    os.utime(pkg / "extra.py", ns=(long_ago, long_ago))
    third = fp()
    assert third != second and parsed
    (tmp_path / "cache" / artifacts.FINGERPRINTS).write_text("not json", encoding="utf-8")
    assert fp() == third and parsed  # a broken cache is only a miss
