"""Build (or rebuild) the index from source files.

``build_index(paths, root, embedder)`` ingests every file it can, reports the
ones it cannot (each error names its file), re-embeds only chunks whose text is
new (vectors of unchanged chunks are taken from the current index, keyed by
the sha256 of the embedded text and the embedder id), and swaps the new
generation in atomically. If no file can be read, nothing changes.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from ingest.document import Chunk, Document, sha256_text
from ingest.errors import CivilQAError, IngestError, IndexError_
from ingest.pipeline import discover, process_file, sidecars_for

from . import store
from .hybrid import build_bm25
from .tokenize import Tokenizer

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class BuildReport:
    documents: list[Document]
    chunks: int
    embedded: int
    reused: int
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    generation: Path | None = None


def _cached_vectors(root: Path, embedder_id: str) -> dict[str, np.ndarray]:
    """Vectors of the current index keyed by sha256(index_text), if built by the same embedder."""
    try:
        old = store.load(root, verify=True)
    except CivilQAError:
        return {}
    if old.embedder_id != embedder_id:
        return {}
    vecs = old.vectors()
    return {sha256_text(c.index_text): vecs[i] for i, c in enumerate(old.chunks)}


def build_index(paths: list[Path], root: Path, embedder, *, progress: Progress | None = None,
                extras: Callable[[list[Document]], dict[str, Any]] | None = None) -> BuildReport:
    t0 = time.perf_counter()
    files = discover([Path(p) for p in paths])
    if not files:
        raise IngestError(f"没有找到可导入的文件（.txt/.md）：{', '.join(map(str, paths))}（no input files）")
    sidecar = sidecars_for(files)
    documents: list[Document] = []
    chunks: list[Chunk] = []
    errors: list[str] = []
    for n, f in enumerate(files, 1):
        try:
            ing = process_file(f, sidecar)
        except IngestError as exc:
            errors.append(str(exc))
        else:
            documents.append(ing.document)
            chunks.extend(ing.chunks)
        if progress:
            progress("读取", n, len(files))
    if not documents:
        raise IngestError("没有任何文件导入成功，索引保持不变：\n" + "\n".join(errors))

    with store.ingest_lock(root):
        cache = _cached_vectors(root, embedder.id)
        keys = [sha256_text(c.index_text) for c in chunks]
        todo = [i for i, k in enumerate(keys) if k not in cache]
        vectors = np.zeros((len(chunks), embedder.dim), dtype=np.float32)
        for i, k in enumerate(keys):
            if k in cache:
                vectors[i] = cache[k]
        batch = 16
        for b in range(0, len(todo), batch):
            ids = todo[b:b + batch]
            vectors[ids] = embedder.encode_passages([chunks[i].index_text for i in ids])
            if progress:
                progress("向量化", min(b + batch, len(todo)), len(todo))
        tokenizer = Tokenizer()
        token_lists = [tokenizer(c.index_text) for c in chunks]
        bm25 = build_bm25(token_lists)
        manifest = {
            "embedder": {"id": embedder.id, "dim": int(embedder.dim)},
            "tokenizer": "jieba-search+stopwords",
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "sources": {d.source: {"sha256": d.sha256, "encoding": d.encoding, "chars": len(d.text),
                                   "chunks": sum(1 for c in chunks if c.source == d.source),
                                   **d.meta.to_dict()} for d in documents},
        }
        docs_json = {d.source: {"text": d.text, "sha256": d.sha256, "meta": d.meta.to_dict()}
                     for d in documents}
        gen = store.write_generation(root, manifest=manifest, documents=docs_json, chunks=chunks,
                                     vectors=vectors, bm25=bm25,
                                     standards=extras(documents) if extras else None)
    if progress:
        progress("完成", 1, 1)
    return BuildReport(documents, len(chunks), len(todo), len(chunks) - len(todo), errors,
                       time.perf_counter() - t0, gen)


def check_compatible(index: store.LoadedIndex, embedder_id: str) -> None:
    if index.embedder_id != embedder_id:
        raise IndexError_(f"索引由向量模型 {index.embedder_id!r} 构建，当前配置为 {embedder_id!r}。"
                          f"{store.REINGEST}")
