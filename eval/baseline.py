"""The standard LangChain recipe, as the baseline the product is measured against.

``RecursiveCharacterTextSplitter`` with its defaults (4000 characters, 200 overlap) over
the same cleaned documents, LangChain's ``FAISS`` vector store with similarity search
(k=4), the same embedder and the same answerer. Only chunking and retrieval differ from
the product; the store lives in memory (nothing of LangChain's is saved, so nothing is ever
unpickled). With ``cache_dir`` the passage vectors are kept by the sha256 of their text in the index
builder's ``VectorCache`` file (raw records, never a pickle), so a rerun over the 599
NCPPolicies documents does not embed them again.
"""
from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np

from index.embedders import as_langchain
from index.vector_cache import VectorCache
from ingest.document import Chunk, sha256_text
from ingest.errors import IndexStoreError

CHUNK_META = ("city", "year", "title", "period")


def split_documents(documents: dict[str, dict[str, Any]], chunk_size: int | None = None,
                    chunk_overlap: int | None = None) -> list[Any]:
    """LangChain ``Document``s, each carrying its ``Chunk`` (exact offsets into the cleaned
    text, so citations point at real spans) in ``metadata["chunk"]``."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    kwargs: dict[str, Any] = {"add_start_index": True}
    if chunk_size is not None:
        kwargs["chunk_size"] = chunk_size
    if chunk_overlap is not None:
        kwargs["chunk_overlap"] = chunk_overlap
    splitter = RecursiveCharacterTextSplitter(**kwargs)
    out = []
    for source, doc in sorted(documents.items()):
        text = doc["text"]
        meta = {k: doc["meta"].get(k) for k in CHUNK_META}
        for piece in splitter.create_documents([text], metadatas=[{"source": source}]):
            start = piece.metadata["start_index"]
            end = start + len(piece.page_content)
            if start < 0 or text[start:end] != piece.page_content:
                raise IndexStoreError(f"基线切分的偏移量与原文不符：{source} 第 {start} 字"
                                      f"（splitter offset mismatch）")
            chunk = Chunk(id=Chunk.make_id(source, start, end, piece.page_content), source=source,
                          start=start, end=end, text=piece.page_content, heading=None, context="",
                          meta=dict(meta))
            piece.metadata.update({"chunk": chunk.to_dict(), "start": start, "end": end,
                                   "city": meta["city"], "year": meta["year"]})
            out.append(piece)
    return out


def cached_vectors(texts: list[str], embedder: Any, cache_dir: Path | None) -> list[list[float]]:
    """Passage vectors, reused from ``cache_dir`` by the sha256 of their text (the index builder's
    own ``VectorCache``: raw records with a checksum, never a pickle)."""
    if cache_dir is None:
        return embedder.embed_documents(texts)

    cache_dir.mkdir(parents=True, exist_ok=True)
    cache = VectorCache(cache_dir, embedder.id, embedder.dim)
    known = cache.load()
    hashes = [sha256_text(t) for t in texts]
    todo = list(dict.fromkeys(h for h in hashes if h not in known))  # each new text embedded once
    if todo:
        first = {h: n for n, h in reversed(list(enumerate(hashes)))}
        fresh = np.asarray(embedder.encode_passages([texts[first[h]] for h in todo]), dtype=np.float32)
        cache.append(todo, fresh)
        known.update(zip(todo, fresh))
    return [known[h].tolist() for h in hashes]


def langchain_retriever(documents: dict[str, dict[str, Any]], embedder: Any, k: int = 4,
                        chunk_size: int | None = None, chunk_overlap: int | None = None,
                        cache_dir: Path | None = None):
    """(retriever, chunks): a LangChain ``VectorStoreRetriever`` over an in-memory FAISS store."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # langchain-community announces its own sunset on import
        from langchain_community.vectorstores import FAISS

    docs = split_documents(documents, chunk_size, chunk_overlap)

    texts = [d.page_content for d in docs]
    store = FAISS.from_embeddings(list(zip(texts, cached_vectors(texts, embedder, cache_dir))),
                                  as_langchain(embedder), metadatas=[d.metadata for d in docs])
    retriever = store.as_retriever(search_type="similarity", search_kwargs={"k": k})
    return retriever, [Chunk.from_dict(d.metadata["chunk"]) for d in docs]
