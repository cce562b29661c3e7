"""Reading the generation the Milvus alias points at (``index.milvus_store`` writes it): the
dense and BM25 sides ``HybridSearcher`` searches, and ``load``, which checks everything against the
manifest's checksums and the recorded counts, as ``store.load`` does."""
from __future__ import annotations

import hashlib
import json
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import numpy as np

from ingest.atomic import write_bytes_atomic
from ingest.document import Chunk
from ingest.errors import IndexStoreError

from . import store
from .milvus_store import MAX_TOPK, _files_name, _search_params, client, live_collection
from .store import REINGEST

if TYPE_CHECKING:  # annotations only: backend imports this module
    from .backend import Backend


def _ranged(c, name: str, field_name: str, n: int, fields: list[str], where: str = "") -> list[dict[str, Any]]:
    """Rows with ``0 <= field < n``, a thousand at a time (Milvus caps one query's result; its
    query iterator needs an RPC milvus-lite does not have)."""
    out: list[dict[str, Any]] = []
    for a in range(0, n, 1000):
        expr = f"{field_name} >= {a} and {field_name} < {min(a + 1000, n)}" + (f" and {where}" if where else "")
        out.extend(c.query(name, filter=expr, output_fields=fields, limit=1000))
    return out


class MilvusVectors:
    """The dense side, answering what ``HybridSearcher`` asks of a FAISS index."""

    def __init__(self, c, collection: str, chunks: list[Chunk], dim: int, dense: dict[str, Any] | None = None) -> None:
        self._c, self._coll, self._chunks, self.d = c, collection, chunks, dim
        self.dense = dense or {"kind": "flat", "index_type": "FLAT", "params": {}, "search": None, "value": None}
        self.ntotal = len(chunks)
        self._row_of = {ch.id: i for i, ch in enumerate(chunks)}
        self._ids_of: dict[str, list[str]] = {}
        for ch in chunks:
            self._ids_of.setdefault(ch.source, []).append(ch.id)
        self._cache: dict[int, np.ndarray] = {}
        self._lock = threading.Lock()

    def search(self, q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        res = self._c.search(self._coll, data=[np.asarray(q[0], dtype=np.float32).tolist()], anns_field="dense",
                             limit=min(k, MAX_TOPK), search_params=_search_params(self.dense, min(k, MAX_TOPK)))
        hits = res[0] if res else []
        ids = np.full((1, k), -1, dtype=np.int64)
        scores = np.zeros((1, k), dtype=np.float32)
        for n, h in enumerate(hits[:k]):
            ids[0, n], scores[0, n] = self._row_of[h["id"]], h["distance"]
        return scores, ids

    def reconstruct(self, i: int) -> np.ndarray:
        """Chunk ``i``'s vector; the vectors of its whole document are fetched at once (the
        document level asks for them together)."""
        with self._lock:
            v = self._cache.get(i)
        if v is not None:
            return v
        got = self._c.get(self._coll, ids=self._ids_of[self._chunks[i].source], output_fields=["row", "dense"])
        with self._lock:
            for r in got:
                self._cache[int(r["row"])] = np.asarray(r["dense"], dtype=np.float32)
            return self._cache[i]

    def reconstruct_n(self, start: int, n: int) -> np.ndarray:
        rows = _ranged(self._c, self._coll, "row", self.ntotal, ["row", "dense"])
        out = np.zeros((self.ntotal, self.d), dtype=np.float32)
        for r in rows:
            out[int(r["row"])] = r["dense"]
        return out[start:start + n]


class MilvusBM25:
    """The BM25 side, answering what ``HybridSearcher`` asks of bm25s: the query's term counts
    against the chunks' stored weights (an inner product = bm25s' sum over the query's terms)."""

    def __init__(self, c, collection: str, vocab: list[str], chunks: list[Chunk]) -> None:
        self._c, self._coll, self._n = c, collection, len(chunks)
        self.vocab_dict = {t: n for n, t in enumerate(vocab)}
        self._row_of = {ch.id: i for i, ch in enumerate(chunks)}

    def _counts(self, tokens: list[str]) -> dict[int, float]:
        """The question's sparse vector: term id -> how often the token occurs (as bm25s counts)."""
        q: dict[int, float] = {}
        for t in tokens:
            if t in self.vocab_dict:
                q[self.vocab_dict[t]] = q.get(self.vocab_dict[t], 0.0) + 1.0
        return q

    def _search(self, tokens: list[str], k: int) -> list[tuple[int, float]]:
        q = self._counts(tokens)
        if not q or not self._n:
            return []
        res = self._c.search(self._coll, data=[q], anns_field="sparse", limit=min(k, MAX_TOPK, self._n),
                             search_params={"metric_type": "IP"})
        return [(self._row_of[h["id"]], float(h["distance"])) for h in (res[0] if res else [])]

    def retrieve(self, queries: list[list[str]], k: int = 10, **_: Any) -> tuple[np.ndarray, np.ndarray]:
        hits = self._search(queries[0], k)
        docs = np.array([[d for d, _ in hits]], dtype=np.int64).reshape(1, -1)
        scores = np.array([[s for _, s in hits]], dtype=np.float32).reshape(1, -1)
        return docs, scores

    def top_k(self, tokens: list[str], k: int) -> tuple[np.ndarray, np.ndarray, bool]:
        """(chunk rows, scores, exact) of the best ``k`` chunks, best first: ``PrunedBM25``'s
        interface, which ``HybridSearcher`` asks of a BM25 side (Milvus ranks them itself)."""
        hits = [(d, s) for d, s in self._search(tokens, k) if s > 0]
        return (np.array([d for d, _ in hits], dtype=np.int64), np.array([s for _, s in hits], dtype=np.float64),
                k <= MAX_TOPK)

    def score_rows(self, tokens: list[str], rows) -> np.ndarray:
        """BM25 scores of the given chunk rows, exact: their stored weights are fetched (a
        thousand rows a query) and multiplied by the question's term counts here, instead of a
        search for every chunk's score (capped at Milvus' 16384 best, and on milvus-lite 3 three
        times slower than the fetch at 10^5 chunks)."""
        rows = np.asarray(rows, dtype=np.int64)
        q = self._counts(tokens)
        out = np.zeros(len(rows), dtype=np.float64)
        if not q or not len(rows):
            return out
        wanted = sorted({int(r) for r in rows})
        weights: dict[int, dict[int, float]] = {}
        for a in range(0, len(wanted), 1000):
            part = wanted[a:a + 1000]
            for r in self._c.query(self._coll, filter=f"row in {part}", output_fields=["row", "sparse"], limit=len(part)):
                weights[int(r["row"])] = {int(t): float(w) for t, w in r["sparse"].items()}
        for n, r in enumerate(rows.tolist()):
            w = weights.get(r, {})
            out[n] = sum(c * w.get(t, 0.0) for t, c in q.items())
        return out

    def get_scores(self, tokens: list[str]) -> np.ndarray:
        """Every chunk's score (0 beyond Milvus' 16384 best: exact up to that many matching chunks)."""
        out = np.zeros(self._n, dtype=np.float32)
        for d, s in self._search(tokens, self._n):
            out[d] = s
        return out


@dataclass
class MilvusIndex:
    """What ``store.LoadedIndex`` offers, read from the collection the alias points at."""

    backend: Backend
    collection: str
    manifest: dict[str, Any]
    documents: dict[str, dict[str, Any]]
    chunks: list[Chunk]
    faiss_index: MilvusVectors
    bm25: MilvusBM25
    standards_path: Path | None
    generation: PurePosixPath = field(init=False)

    def artifact_path(self, name: str) -> Path:
        """Where the named artifact of this generation is, as ``store.LoadedIndex.artifact_path``:
        the per-user cache the load wrote it to (only ``standards`` is published to Milvus)."""
        store.check_artifact_name(name)
        return Path(tempfile.gettempdir()) / f"civilqa-milvus-{_user()}" / self.collection / f"{name}.json"

    def __post_init__(self) -> None:
        self.generation = PurePosixPath(self.collection)  # .name: the collection

    @property
    def root(self) -> str:
        return f"{self.backend.uri}#{self.backend.alias}"

    @property
    def embedder_id(self) -> str:
        return self.manifest["embedder"]["id"]

    def search(self, query_vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids) of the ``k`` nearest chunks, as ``store.LoadedIndex.search``."""
        return self.faiss_index.search(np.asarray(query_vectors, dtype=np.float32).reshape(1, -1), k)

    def vectors(self) -> np.ndarray:
        return self.faiss_index.reconstruct_n(0, self.faiss_index.ntotal)

    def document_frequency(self, token: str) -> int | None:
        """None, as ``store.LoadedIndex.document_frequency`` says for an index without bm25s
        arrays: Milvus holds each chunk's weights, not the postings' lengths, so the answerer
        counts document frequencies on its sample (assistant/answer/corpus.py)."""
        return None

    @property
    def vector_index(self) -> dict[str, Any]:
        """The dense field's index in Milvus (kind, index_type, build params, the tuned search
        parameter and the recall@10 measured on Milvus at publish), as ``store.LoadedIndex.vector_index``."""
        return self.faiss_index.dense


def _damaged(what: str, collection: str) -> IndexStoreError:
    return IndexStoreError(f"Milvus 中的索引 {collection} 不完整或已损坏：{what}。{REINGEST}"
                       f"（the Milvus collection {collection} is damaged: {what}）")


def load(backend: Backend) -> MilvusIndex:
    """Load the generation the alias points at; raise ``IndexStoreError`` with a re-ingest hint on any problem."""
    c = client(backend)
    name = live_collection(backend)
    if name is None:
        raise IndexStoreError(f"Milvus 中还没有索引（别名 {backend.alias}，{backend.uri}）。{REINGEST}"
                          f"（no index in Milvus yet）")
    try:
        for n in (_files_name(name), name):
            c.load_collection(n)  # idempotent; a reopened milvus-lite file starts released
        head = c.query(_files_name(name), filter='name == "publish.json"', output_fields=["body"], limit=2)
        info = json.loads(head[0]["body"]) if len(head) == 1 else None
        if not isinstance(info, dict) or not isinstance(info.get("parts"), dict):
            raise _damaged("缺少 publish.json", name)
        files: dict[str, str] = {}
        for f, count in info["parts"].items():
            got = _ranged(c, _files_name(name), "part", int(count), ["part", "body"], where=f"name == {json.dumps(f)}")
            if len(got) != int(count):
                raise _damaged(f"{f} 有 {len(got)} 段，应为 {count} 段", name)
            files[f] = "".join(r["body"] for r in sorted(got, key=lambda r: int(r["part"])))
        lines = _ranged(c, name, "row", int(info.get("rows", 0)), ["row", "line"])
    except IndexStoreError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise _damaged(f"无法读取（{exc}）", name) from None
    for need in ("manifest.json", "documents.json", "vocab.json"):
        if need not in files:
            raise _damaged(f"缺少 {need}", name)
    try:
        manifest = store.parse_manifest(files["manifest.json"])
    except IndexStoreError as exc:
        raise IndexStoreError(f"Milvus 中的索引 {name}：{exc}") from None
    checksums = manifest.get("checksums") or {}
    for f in ("documents.json", "standards.json"):
        if f in files and hashlib.sha256(files[f].encode("utf-8")).hexdigest() != checksums.get(f):
            raise _damaged(f"{f} 校验和不符", name)
    if hashlib.sha256(files["vocab.json"].encode("utf-8")).hexdigest() != info.get("vocab_sha256"):
        raise _damaged("BM25 词表校验和不符", name)
    lines.sort(key=lambda r: int(r["row"]))
    if [int(r["row"]) for r in lines] != list(range(len(lines))) or len(lines) != manifest.get("counts", {}).get("chunks"):
        raise _damaged(f"片段 {len(lines)} 个，清单记录 {manifest.get('counts', {}).get('chunks')} 个", name)
    h = hashlib.sha256()
    for r in lines:
        h.update((r["line"] + "\n").encode("utf-8"))
    if h.hexdigest() != checksums.get("chunks.jsonl"):
        raise _damaged("chunks 校验和不符", name)
    chunks = [Chunk.from_dict(json.loads(r["line"])) for r in lines]
    documents = json.loads(files["documents.json"])
    standards_path = None
    if "standards.json" in files:  # StandardsTable reads a file: this generation's, in a per-user cache
        folder = Path(tempfile.gettempdir()) / f"civilqa-milvus-{_user()}" / name
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        standards_path = folder / "standards.json"
        write_bytes_atomic(standards_path, files["standards.json"].encode("utf-8"))
    dim = int(manifest["embedder"]["dim"])
    return MilvusIndex(backend, name, manifest, documents, chunks, MilvusVectors(c, name, chunks, dim, info.get("dense")),
                       MilvusBM25(c, name, json.loads(files["vocab.json"]), chunks), standards_path)


def _user() -> str:
    import os

    return str(os.getuid()) if hasattr(os, "getuid") else "user"
