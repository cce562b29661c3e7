"""The index in Milvus (pymilvus; milvus-lite in tests): a sibling of ``index.store`` that
``HybridSearcher`` searches the same way, so answers match the FAISS path.

One generation is two collections, named after the local generation they publish
(``<alias>_gen_<time>_<rand>``):

- the chunks: ``id`` (the chunk id, the primary key), ``row`` (its position, = the FAISS id),
  ``source``, ``line`` (the chunk's line of ``chunks.jsonl``), ``dense`` (the embedder's
  normalised vector, inner product; its index chosen by size as the FAISS one is, see
  ``dense_spec``) and ``sparse`` (the chunk's
  BM25 weights, one per term of the project's jieba tokens: the very numbers bm25s scores with,
  so an inner product with the query's term counts is bm25s' score);
- ``..._files``: ``manifest.json``, ``documents.json``, ``standards.json`` (the generation's own
  bytes, in pieces) and the BM25 vocabulary.

Why sparse vectors the project computes rather than Milvus' BM25 function with its jieba
analyzer: the analyzer would cut, normalise and stop-word differently from ``index.tokenize``
(answers would differ from the FAISS path), and milvus-lite keeps BM25 statistics per segment.

The dense index follows the kind ``index.ann`` chose for the local generation (its manifest's
``vector_index``): ``flat`` → FLAT (exact, what FAISS computes), ``ivf`` → IVF_FLAT, ``ivf_sq`` →
IVF_SQ8 (8-bit codes as FAISS' SQ8, without FAISS' exact re-ranking: the recall reached on Milvus is
measured and recorded like the others'), ``hnsw`` → HNSW. Milvus builds one index per segment (milvus-lite: at most ``SEGMENT_ROWS`` rows; Standalone:
``dataCoord.segment.maxSize``), so an IVF's nlist is sized for a segment, not for the collection,
and its search parameter (nprobe, ef) is chosen after the load the way ``index.ann`` chooses
FAISS': the smallest that reaches recall@10 ≥ 0.95 against exact search on noisy probe queries
made from the collection's own vectors. Kind, parameters and the recall measured on Milvus
itself are in ``publish.json`` (``MilvusIndex.vector_index``).

Publishing writes both collections completely, checks the row count, and only then points the
alias at the new chunks collection (``create_alias``/``alter_alias``): a reader resolves the alias
once, when it loads, and then reads that collection by name, so it sees the old generation or the
new one, never a mix. The collection the alias pointed at before is kept (questions in flight on
other replicas finish on it); older ones are dropped. Reading it back is ``index.milvus_read``.
"""
from __future__ import annotations

import hashlib
import json
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ingest.errors import ConfigError, IndexStoreError

from . import ann, store

if TYPE_CHECKING:  # annotations only: backend imports this module
    from .backend import Backend

PIECE_CHARS = 16000  # a VARCHAR holds 65535 bytes: 16000 characters of up to 4 bytes each
MAX_LINE_BYTES = 65535
INSERT_BATCH = 500
MAX_TOPK = 16384  # Milvus' limit on one search's results
FILES = ("manifest.json", "documents.json", "standards.json")
SEGMENT_ROWS = 100_000  # milvus-lite's MAX_SEGMENT_ROWS: each segment gets its own dense index
HNSW_EF = (16, 32, 64, 128, 256, 512, 1024)  # Milvus wants ef >= the search's limit: raised to it

_clients: dict[str, Any] = {}
_clients_lock = threading.Lock()


def _pymilvus():
    try:
        import pymilvus
    except ImportError:
        raise ConfigError("使用 Milvus 后端需要安装 pymilvus 与 milvus-lite：pip install -e '.[milvus]'"
                          "（the Milvus backend needs the milvus extra）") from None
    logging.getLogger("pymilvus").setLevel(logging.ERROR)  # its iterator warns on every query of milvus-lite
    return pymilvus


def client(backend: Backend):
    """One MilvusClient per server (or milvus-lite file) per process; gRPC clients are thread-safe."""
    with _clients_lock:
        c = _clients.get(backend.uri)
        if c is None:
            pymilvus = _pymilvus()
            if not backend.uri.startswith("http"):
                # milvus-lite's server runs in this process: pymilvus asks it for an RPC it lacks
                # (AllocTimestamp, while waiting for an index) and falls back; no error to show
                logging.getLogger("grpc._server").setLevel(logging.CRITICAL)
            try:
                c = pymilvus.MilvusClient(uri=backend.uri, timeout=30)
            except Exception as exc:  # noqa: BLE001  (pymilvus raises MilvusException or grpc errors)
                raise IndexStoreError(f"无法连接 Milvus：{backend.uri}（{exc}）。请检查 CIVILQA_BACKEND 与服务器是否在运行"
                                  f"（cannot connect to Milvus）") from None
            _clients[backend.uri] = c
        return c


def collection_name(backend: Backend, generation: str) -> str:
    return f"{backend.alias}_{generation.replace('-', '_')}"


def _files_name(collection: str) -> str:
    return f"{collection}_files"


def live_collection(backend: Backend) -> str | None:
    """The collection the alias points at, or None when there is no alias yet."""
    c = client(backend)
    try:
        if backend.alias not in c.list_aliases().get("aliases", []):
            return None
        return c.describe_alias(backend.alias)["collection_name"]
    except Exception as exc:  # noqa: BLE001
        raise IndexStoreError(f"无法读取 Milvus 别名 {backend.alias}：{exc}（cannot read the Milvus alias）") from None


# -- writing ------------------------------------------------------------------------------

def _sparse_rows(bm25, n: int) -> list[dict[int, float]]:
    """Each chunk's BM25 weights {term id: weight} from bm25s' score matrix (columns = terms)."""
    s = bm25.scores
    indptr = np.asarray(s["indptr"], dtype=np.int64)
    docs = np.asarray(s["indices"], dtype=np.int64)
    data = np.asarray(s["data"], dtype=np.float32)
    terms = np.repeat(np.arange(len(indptr) - 1, dtype=np.int64), np.diff(indptr))
    order = np.argsort(docs, kind="stable")
    docs, terms, data = docs[order], terms[order], data[order]
    bounds = np.searchsorted(docs, np.arange(n + 1))
    rows = []
    for i in range(n):
        a, b = bounds[i], bounds[i + 1]
        rows.append({int(t): float(w) for t, w in zip(terms[a:b], data[a:b]) if w > 0})
    return rows


def _pieces(name: str, text: str) -> list[dict[str, Any]]:
    parts = [text[i:i + PIECE_CHARS] for i in range(0, len(text), PIECE_CHARS)] or [""]
    return [{"key": f"{name}#{n:06d}", "name": name, "part": n, "body": p, "v": [1.0, 0.0]}
            for n, p in enumerate(parts)]


def dense_spec(info: dict[str, Any] | None, n: int) -> dict[str, Any]:
    """The Milvus index of the dense field for the kind ``index.ann`` chose (the manifest's
    ``vector_index``) over ``n`` chunks: index_type and build params, the search parameter to tune
    and its choices (smallest first)."""
    kind = (info or {}).get("kind", "flat")
    if kind in ("ivf", "ivf_sq"):
        nlist = ann.nlist_for(min(n, SEGMENT_ROWS))
        return {"kind": kind, "index_type": "IVF_FLAT" if kind == "ivf" else "IVF_SQ8", "params": {"nlist": nlist},
                "search": "nprobe", "choices": sorted({min(2 ** p, nlist) for p in range(0, nlist.bit_length() + 1)})}
    if kind == "hnsw":
        return {"kind": kind, "index_type": "HNSW", "search": "ef", "choices": list(HNSW_EF),
                "params": {"M": ann.HNSW_M, "efConstruction": ann.HNSW_EF_CONSTRUCTION}}
    return {"kind": "flat", "index_type": "FLAT", "params": {}, "search": None, "choices": []}


def _search_params(dense: dict[str, Any] | None, limit: int) -> dict[str, Any]:
    """What ``MilvusClient.search`` is given for the dense field under ``dense`` (publish.json)."""
    dense = dense or {}
    key, value = dense.get("search"), dense.get("value")
    if not key or value is None:
        return {"metric_type": "IP"}
    return {"metric_type": "IP", "params": {key: max(int(value), limit) if key == "ef" else int(value)}}


def _tune(c, name: str, vectors: np.ndarray, spec: dict[str, Any],
          config: ann.IndexConfig | None = None) -> dict[str, Any]:
    """``spec`` with the smallest search parameter reaching the recall target on Milvus itself
    (probe queries and exact neighbours as ``index.ann.build``), and the recall it reached."""
    out = {k: v for k, v in spec.items() if k != "choices"}
    if spec["search"] is None or not len(vectors):
        return {**out, "value": None, "recall_at_10": 1.0, "recall_sample": 0}
    import faiss

    config = config or ann.IndexConfig.from_env()
    queries = ann.probe_queries(vectors, config.sample, config.seed)
    truth = faiss.knn(queries, vectors, ann.RECALL_K, metric=faiss.METRIC_INNER_PRODUCT)[1].tolist()
    reached = 0.0
    for value in spec["choices"]:
        res = c.search(name, data=queries.tolist(), anns_field="dense", limit=ann.RECALL_K,
                       search_params=_search_params({"search": spec["search"], "value": value}, ann.RECALL_K),
                       output_fields=["row"])
        got = [[int(h["entity"]["row"]) for h in hits] for hits in res]
        reached = ann.recall(truth, got)
        if reached >= config.recall_target:
            break
    return {**out, "value": value, "recall_at_10": round(reached, 4), "recall_sample": len(queries),
            "recall_target": config.recall_target}


def _create(c, name: str, dim: int, *, files: bool, dense: dict[str, Any] | None = None) -> None:
    pymilvus = _pymilvus()
    DataType = pymilvus.DataType
    schema = c.create_schema(auto_id=False, enable_dynamic_field=False)
    params = c.prepare_index_params()
    if files:
        schema.add_field("key", DataType.VARCHAR, is_primary=True, max_length=128)
        schema.add_field("name", DataType.VARCHAR, max_length=64)
        schema.add_field("part", DataType.INT64)
        schema.add_field("body", DataType.VARCHAR, max_length=65535)
        schema.add_field("v", DataType.FLOAT_VECTOR, dim=2)  # Milvus wants a vector field in every collection
        params.add_index("v", index_type="FLAT", metric_type="IP")
    else:
        schema.add_field("id", DataType.VARCHAR, is_primary=True, max_length=64)
        schema.add_field("row", DataType.INT64)
        schema.add_field("source", DataType.VARCHAR, max_length=1024)
        schema.add_field("line", DataType.VARCHAR, max_length=MAX_LINE_BYTES)
        schema.add_field("dense", DataType.FLOAT_VECTOR, dim=dim)
        schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        dense = dense or dense_spec(None, 0)
        params.add_index("dense", index_type=dense["index_type"], metric_type="IP", params=dense["params"])
        params.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="IP")
    c.create_collection(name, schema=schema, index_params=params, consistency_level="Strong")


def _count(c, name: str) -> int:
    rows = c.query(name, filter="", output_fields=["count(*)"])
    return int(rows[0]["count(*)"]) if rows else 0


def publish(backend: Backend, root: Path) -> str:
    """Write the current generation of ``root`` to Milvus and point the alias at it (the caller
    holds the ingest lock). Returns the collection name. Nothing the alias serves changes on failure."""
    index = store.load(root, verify=True)
    c = client(backend)
    name = collection_name(backend, index.generation.name)
    previous = live_collection(backend)
    if previous == name:
        return name
    try:
        for n in (name, _files_name(name)):
            if c.has_collection(n):  # a publish of this generation that did not finish
                c.drop_collection(n)
        dim = int(index.manifest["embedder"]["dim"])
        vectors = index.vectors()
        spec = dense_spec(index.vector_index, len(index.chunks))
        _create(c, name, dim, files=False, dense=spec)
        _insert_chunks(c, name, index, vectors)
        c.flush(name)
        c.load_collection(name)
        dense = _tune(c, name, vectors, spec)  # on the loaded collection: Milvus' own recall
        del vectors
        files_coll = _files_name(name)
        _create(c, files_coll, dim, files=True)
        n_files = _insert_files(c, files_coll, index, dense)
        c.flush(files_coll)
        c.load_collection(files_coll)
        got, want = _count(c, name), len(index.chunks)
        if got != want or _count(c, files_coll) != n_files:
            raise IndexStoreError(f"写入 Milvus 的片段数不符：{got}/{want}（row count mismatch after insert）")
        if previous is None:
            c.create_alias(name, backend.alias)
        else:
            c.alter_alias(name, backend.alias)
    except IndexStoreError:
        _drop(c, name)
        raise
    except Exception as exc:  # noqa: BLE001  (MilvusException, grpc errors)
        _drop(c, name)
        raise IndexStoreError(f"发布索引到 Milvus 失败：{backend.uri}（{exc}）。本地索引已更新，Milvus 仍提供原来的版本；"
                          f"请检查服务器后重新运行 civilqa ingest（publishing to Milvus failed; it still serves the "
                          f"previous generation）") from None
    for old in c.list_collections():
        base = old.removesuffix("_files")
        if base.startswith(f"{backend.alias}_gen_") and base not in (name, previous):
            c.drop_collection(old)
    return name


def _insert_chunks(c, name: str, index, vectors: np.ndarray) -> None:
    sparse = _sparse_rows(index.bm25, len(index.chunks))
    batch: list[dict[str, Any]] = []
    for i, ch in enumerate(index.chunks):
        line = json.dumps(ch.to_dict(), ensure_ascii=False)
        if len(line.encode("utf-8")) > MAX_LINE_BYTES:
            raise IndexStoreError(f"片段过长，无法写入 Milvus：{ch.source} 第 {ch.start} 字起（{len(line.encode())} 字节，"
                                  f"上限 {MAX_LINE_BYTES}；chunk too long for a Milvus VARCHAR）")
        batch.append({"id": ch.id, "row": i, "source": ch.source, "line": line,
                      "dense": vectors[i].tolist(), "sparse": sparse[i]})
        if len(batch) == INSERT_BATCH:
            c.insert(name, batch)
            batch = []
    if batch:
        c.insert(name, batch)


def _insert_files(c, files_coll: str, index, dense: dict[str, Any]) -> int:
    """The generation's files, the BM25 vocabulary and publish.json (written last: the row count
    of every piece, the vocabulary's checksum, the dense index); returns the rows written."""
    rows: list[dict[str, Any]] = []
    for f in FILES:
        p = index.generation / f
        if p.is_file():
            rows += _pieces(f, p.read_text(encoding="utf-8"))
    vocab = sorted(index.bm25.vocab_dict, key=index.bm25.vocab_dict.get)
    vocab_text = json.dumps(vocab, ensure_ascii=False)
    rows += _pieces("vocab.json", vocab_text)
    parts: dict[str, int] = {}
    for r in rows:
        parts[r["name"]] = parts.get(r["name"], 0) + 1
    info = {"generation": index.generation.name, "rows": len(index.chunks), "parts": parts,
            "vocab_sha256": hashlib.sha256(vocab_text.encode("utf-8")).hexdigest(), "dense": dense}
    info_text = json.dumps(info)
    if len(info_text) > PIECE_CHARS:
        raise IndexStoreError("内部错误：发布信息过长（publish.json too long）")
    rows += _pieces("publish.json", info_text)
    for b in range(0, len(rows), 100):
        c.insert(files_coll, rows[b:b + 100])
    return len(rows)


def _drop(c, name: str) -> None:
    for n in (name, _files_name(name)):
        try:
            if c.has_collection(n):
                c.drop_collection(n)
        except Exception:  # noqa: BLE001  (best effort: the alias never pointed at it)
            pass
