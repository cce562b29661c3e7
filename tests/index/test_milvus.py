"""The Milvus backend (index/milvus_store.py) against milvus-lite, one embedded server for the
session: the same hits as the FAISS path, the alias swap (old or new, never half), removal,
incremental ingest, and refusal of another embedder's index."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from index import backend as B
from index import store
from index.builder import build_index, remove_sources
from index.hybrid import HybridSearcher
from ingest.errors import ConfigError, IndexStoreError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def lite(milvus_lite_db, request) -> B.Backend:
    """The session's milvus-lite file under an alias of this test's own."""
    name = "t_" + "".join(ch if ch.isalnum() else "_" for ch in request.node.name)[:36]
    return B.parse(f"milvus-lite://{milvus_lite_db}?collection={name}")


def test_backend_forms():
    assert B.parse(None) == B.parse("faiss") == B.Backend("faiss")
    assert B.parse("milvus://db.example:19531") == B.Backend("milvus", "http://db.example:19531", "civilqa")
    assert B.parse("milvus://10.0.0.5").uri == "http://10.0.0.5:19530"
    assert B.parse("milvus-lite:///srv/q.db?collection=prov_a") == B.Backend("milvus", "/srv/q.db", "prov_a")
    assert B.parse("milvus-lite:rel/q.db").uri == str(Path("rel/q.db").resolve())
    for bad in ("milvus", "milvus://", "milvus://h:99999", "milvus-lite:///srv/q.sqlite", "milvus-lite://rel/q.db",
                "milvus://h:1?collection=9x", "milvus://h:1?alias=a", "elastic://h", "milvus://h:1/path"):
        with pytest.raises(ConfigError) as e:
            B.parse(bad)
        assert "CIVILQA_BACKEND" in str(e.value) and "milvus://HOST:PORT" in str(e.value) and "faiss" in str(e.value)


def _same_up_to_ties(a: list[tuple[int, float]], b: list[tuple[int, float]], tol: float = 1e-3) -> bool:
    """Two rankings are the same but for the order of scores equal within ``tol`` (float32 sums
    in another order differ in the last bits): the scores agree position by position, and an id
    only one of them has ties with the last score (the cut)."""
    close = lambda x, y: abs(x - y) <= tol * max(1.0, abs(x))  # noqa: E731
    if len(a) != len(b) or not all(close(x[1], y[1]) for x, y in zip(a, b)):
        return False
    last = a[-1][1] if a else 0.0
    only = dict(a).keys() ^ dict(b).keys()
    return all(close({**dict(a), **dict(b)}[i], last) for i in only)


def test_same_hits_as_faiss(seed_index_dir, embedder, lite):
    """Questions of eval/questions.jsonl: the same BM25 and dense rankings as bm25s and FAISS (up to
    float ties), the same best passage, and the same eight passages for nearly all."""
    from assistant.query import analyze

    copy = seed_index_dir.parent / "idx-milvus-same"
    if not copy.exists():
        shutil.copytree(seed_index_dir, copy)
    B.publish(copy, lite)
    # Milvus holds the word BM25 and the vectors, not the Han-bigram field (index.tokenize.han_bigrams):
    # the local searcher is compared without that field
    faiss_s = HybridSearcher(store.load(copy), embedder, bigram_weight=0.0)
    milvus_index = B.load_index(copy, lite)
    assert milvus_index.generation.name.endswith(store.current_generation(copy).name.replace("-", "_"))
    milvus_s = HybridSearcher(milvus_index, embedder)
    questions = [json.loads(line)["question"] for line in
                 (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    sample = questions[::6]  # every sixth: all categories, ~5 s on milvus-lite (idle machine)
    rankers, best, same8 = [], [], 0
    for q in sample:
        hints = analyze(q).hints()
        if not _same_up_to_ties(faiss_s.bm25_ranking(q, hints.extra_terms), milvus_s.bm25_ranking(q, hints.extra_terms)):
            rankers.append(("bm25", q))
        qv = embedder.encode_query(q)[None, :]
        da, db = faiss_s.dense_ranking(q, qv), milvus_s.dense_ranking(q, qv)
        if not _same_up_to_ties(da, db, tol=1e-4):
            rankers.append(("dense", q, [(x, y) for x, y in zip(da, db) if x != y][:3]))
        a = [h.chunk.id for h in faiss_s(q, hints)]
        b = [h.chunk.id for h in milvus_s(q, hints)]
        if a[:1] != b[:1]:
            best.append(q)
        same8 += a == b
    assert not rankers and not best, (rankers, best)
    assert same8 >= 0.9 * len(sample), f"{same8}/{len(sample)}"


def _docs(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    towns = ["温县", "孟州市", "沁阳市", "博爱县", "武陟县", "修武县"]
    for i in range(n):
        (folder / f"d{i}.txt").write_text(
            f"{towns[i]}民政局2021年工作总结\n\n{towns[i]}2021年农村低保标准提高到每人每年{4000 + 100 * i}元，"
            f"新建养老服务站{i + 2}所，发放高龄津贴{i + 1}万元。", encoding="utf-8")
    return folder


class Counting:
    """The deterministic test embedder, counting the passages it embeds."""

    def __init__(self, inner) -> None:
        self.inner, self.id, self.dim, self.passages = inner, inner.id, inner.dim, 0

    def encode_passages(self, texts):
        self.passages += len(texts)
        return self.inner.encode_passages(texts)

    def encode_query(self, text):
        return self.inner.encode_query(text)


def _search_sources(index, embedder, q: str) -> list[str]:
    return [h.chunk.source for h in HybridSearcher(index, embedder)(q)]


def test_alias_swap_old_or_new_never_half(tmp_path, fake_embedder, lite, monkeypatch):
    from index import milvus_store

    src = _docs(tmp_path / "src", 3)
    idx = tmp_path / "idx"
    build_index([src], idx, fake_embedder, backend=lite)
    old = B.load_index(idx, lite)
    assert sorted(old.documents) == ["d0.txt", "d1.txt", "d2.txt"]
    before = _search_sources(old, fake_embedder, "孟州市农村低保标准")

    # a publish that dies half-way (after the first insert of chunks): the alias still serves the old one
    _docs(tmp_path / "src2", 5)
    real_insert = milvus_store.client(lite).insert
    calls = {"n": 0}

    def failing(name, rows, *a, **kw):
        calls["n"] += 1
        if not name.endswith("_files"):
            raise RuntimeError("connection lost")
        return real_insert(name, rows, *a, **kw)

    monkeypatch.setattr(milvus_store.client(lite), "insert", failing)
    with pytest.raises(IndexStoreError) as e:
        build_index([tmp_path / "src2"], idx, fake_embedder, backend=lite)
    assert "Milvus" in str(e.value) and "connection lost" in str(e.value)
    monkeypatch.undo()
    assert B.live_generation(idx, lite) == old.collection
    assert sorted(B.load_index(idx, lite).documents) == ["d0.txt", "d1.txt", "d2.txt"]
    leftovers = [c for c in milvus_store.client(lite).list_collections() if c.startswith(lite.alias + "_gen_")]
    assert sorted(leftovers) == sorted([old.collection, old.collection + "_files"])  # the half one is gone

    # the local generation moved on without Milvus: the next ingest publishes it
    build_index([tmp_path / "src2"], idx, fake_embedder, backend=lite)
    new = B.load_index(idx, lite)
    assert new.collection != old.collection and len(new.documents) == 5
    # a reader that loaded the old generation still searches it whole (its collection is kept)
    assert _search_sources(old, fake_embedder, "孟州市农村低保标准") == before
    assert {h for h in _search_sources(new, fake_embedder, "武陟县农村低保标准")} >= {"d4.txt"}


def test_removed_document_cannot_be_retrieved(tmp_path, fake_embedder, lite):
    src = _docs(tmp_path / "src", 3)
    idx = tmp_path / "idx"
    build_index([src], idx, fake_embedder, backend=lite)
    assert "d1.txt" in _search_sources(B.load_index(idx, lite), fake_embedder, "孟州市农村低保标准 4100元")
    remove_sources(idx, ["d1.txt"], backend=lite)
    index = B.load_index(idx, lite)
    assert "d1.txt" not in index.documents and all(c.source != "d1.txt" for c in index.chunks)
    for q in ("孟州市农村低保标准 4100元", "孟州市", "新建养老服务站3所"):
        assert "d1.txt" not in _search_sources(index, fake_embedder, q)
    from index import milvus_store

    rows = milvus_store.client(lite).query(index.collection, filter='source == "d1.txt"', output_fields=["id"])
    assert rows == []


def test_incremental_ingest_embeds_only_new_text(tmp_path, fake_embedder, lite):
    counting = Counting(fake_embedder)
    src = _docs(tmp_path / "src", 2)
    idx = tmp_path / "idx"
    first = build_index([src], idx, counting, backend=lite)
    assert counting.passages == first.chunks
    _docs(tmp_path / "src", 3)  # d2.txt is new, d0/d1 unchanged
    counting.passages = 0
    second = build_index([src], idx, counting, backend=lite)
    new_chunks = sum(1 for c in store.load(idx).chunks if c.source == "d2.txt")
    assert counting.passages == second.embedded == new_chunks > 0
    index = B.load_index(idx, lite)
    assert len(index.chunks) == first.chunks + new_chunks
    assert "d2.txt" in _search_sources(index, fake_embedder, "沁阳市农村低保标准")


def test_index_of_another_embedder_is_refused(tmp_path, fake_embedder, embedder, lite):
    from assistant.chain import Assistant

    idx = tmp_path / "idx"
    build_index([_docs(tmp_path / "src", 2)], idx, fake_embedder, backend=lite)
    with pytest.raises(ConfigError) as e:
        Assistant(idx, embedder, backend=lite)
    assert fake_embedder.id in str(e.value) and embedder.id in str(e.value)


def test_assistant_on_milvus_answers_as_on_faiss(seed_index_dir, embedder, assistant, lite):
    from assistant.chain import Assistant

    copy = seed_index_dir.parent / "idx-milvus-answer"
    if not copy.exists():
        shutil.copytree(seed_index_dir, copy)
    B.publish(copy, lite)
    on_milvus = Assistant(copy, embedder, backend=lite)
    assert on_milvus.index.collection.startswith(lite.alias)
    for q in ("焦作市农村低保标准是多少？", "洛阳孤儿一个月给多少钱？"):
        a, b = assistant.ask(q), on_milvus.ask(q)
        assert (a.answer, [c.source for c in a.citations]) == (b.answer, [c.source for c in b.citations])


def test_damaged_collection_is_an_error(tmp_path, fake_embedder, lite):
    from index import milvus_store

    idx = tmp_path / "idx"
    build_index([_docs(tmp_path / "src", 2)], idx, fake_embedder, backend=lite)
    name = B.live_generation(idx, lite)
    milvus_store.client(lite).delete(name, filter="row == 0")  # a chunk lost behind the app's back
    with pytest.raises(IndexStoreError) as e:
        B.load_index(idx, lite)
    assert name in str(e.value) and "civilqa ingest" in str(e.value)


def test_unreachable_server_is_a_clear_error(tmp_path, milvus_lite_db):
    from eval.load import free_port

    nowhere = B.parse(f"milvus://127.0.0.1:{free_port()}")  # nothing listens there
    with pytest.raises(IndexStoreError) as e:
        B.load_index(tmp_path, nowhere)
    assert "无法连接 Milvus" in str(e.value) and nowhere.uri in str(e.value) and "CIVILQA_BACKEND" in str(e.value)


@pytest.mark.parametrize("kind, index_type, param", [("ivf", "IVF_FLAT", "nprobe"), ("ivf_sq", "IVF_SQ8", "nprobe"),
                                                      ("hnsw", "HNSW", "ef")])
def test_dense_index_follows_the_size_choice(tmp_path, fake_embedder, lite, monkeypatch, kind, index_type, param):
    """An approximate FAISS index (forced on small data) gets its Milvus counterpart, its search
    parameter tuned on Milvus to the recall target and recorded; a chunk's own text finds it first."""
    from index import milvus_store

    monkeypatch.setenv("CIVILQA_VECTOR_INDEX", kind)
    src = tmp_path / "src"
    src.mkdir()
    for i in range(120):
        (src / f"n{i}.txt").write_text(f"第{i}号通知：{'温孟沁博武修'[i % 6]}县第{i * 7 % 13}片区养老服务站{i}所，"
                                       f"补贴{1000 + 37 * i}元。", encoding="utf-8")
    idx = tmp_path / "idx"
    build_index([src], idx, fake_embedder, backend=lite)
    local = store.load(idx)
    assert local.vector_index["kind"] == kind
    index = B.load_index(idx, lite)
    info = index.vector_index
    assert milvus_store.client(lite).describe_index(index.collection, "dense")["index_type"] == index_type
    assert info["kind"] == kind and info["search"] == param and info["recall_sample"] == len(local.chunks)
    assert info["recall_at_10"] >= 0.95 or info["value"] == max(milvus_store.dense_spec(local.vector_index, 120)["choices"])
    vectors = local.vectors()
    for row in (0, 57, len(local.chunks) - 1):
        assert int(index.search(vectors[row], 5)[1][0, 0]) == row


def test_score_rows_are_bm25s_scores_of_those_rows(tmp_path, fake_embedder, lite):
    """The document level's BM25 scores on Milvus: the stored weights of exactly the rows asked
    for, times the question's term counts (a repeated token twice) = bm25s' scores of those rows."""
    idx = tmp_path / "idx"
    build_index([_docs(tmp_path / "src", 6)], idx, fake_embedder, backend=lite)
    local, remote = store.load(idx), B.load_index(idx, lite)
    tokens = [t for t in ("孟州市", "低保", "低保", "标准", "养老", "未知词") if t in local.bm25.vocab_dict or t == "未知词"]
    rows = [5, 0, 3, 3, len(local.chunks) - 1]
    want = local.bm25.get_scores([t for t in tokens if t in local.bm25.vocab_dict])[rows]
    got = remote.bm25.score_rows(tokens, rows)
    assert got.shape == (len(rows),) and (want > 0).sum() >= 2
    assert got == pytest.approx(want, rel=1e-5)
