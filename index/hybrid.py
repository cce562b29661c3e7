"""Hybrid retrieval: BM25 (bm25s over jieba tokens) + dense (FAISS inner product),
fused with reciprocal-rank fusion, boosted where a chunk's document is about the
region or year the question names.

``HybridSearcher(index, embedder, mode="hybrid")(query, hints) -> list[Hit]``
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ingest.document import Chunk
from ingest.errors import ConfigError

from .store import LoadedIndex
from .tokenize import Tokenizer

MODES = ("hybrid", "bm25", "dense")


@dataclass(frozen=True)
class SearchHints:
    """What the question analysis knows: named regions (canonical city names such as
    焦作市, or regions such as 郑州市惠济区), years, and extra terms (synonyms)."""

    regions: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    extra_terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float
    bm25_rank: int | None = None
    dense_rank: int | None = None
    dense_score: float | None = None
    bm25_score: float | None = None
    boosts: tuple[str, ...] = field(default_factory=tuple)


def region_matches(doc_region: str | None, wanted: str) -> bool:
    """郑州市 matches 郑州市惠济区 (a district of it); 焦作市 matches 焦作市."""
    if not doc_region:
        return False
    return doc_region == wanted or doc_region.startswith(wanted) or wanted.startswith(doc_region)


def build_bm25(token_lists: list[list[str]]):
    from .bm25lib import bm25s_module

    bm25s = bm25s_module(build=True)

    retriever = bm25s.BM25(method="lucene", k1=1.2, b=0.75)
    # an empty token list would be dropped by bm25s and shift the ids: keep a placeholder
    retriever.index([toks or ["\u2205"] for toks in token_lists], show_progress=False)
    return retriever


class HybridSearcher:
    def __init__(self, index: LoadedIndex, embedder, mode: str = "hybrid", k: int = 8,
                 candidates: int = 40, rrf_k: int = 60, region_boost: float = 1.0,
                 year_boost: float = 0.3, tokenizer: Tokenizer | None = None) -> None:
        if mode not in MODES:
            raise ConfigError(f"无效的检索模式：{mode!r}，可选：{', '.join(MODES)}"
                              f"（Invalid mode: {mode!r}. Choose from {', '.join(map(repr, MODES))}）")
        if k < 1:
            raise ConfigError(f"k 必须大于 0，当前为 {k}（k must be greater than 0）")
        if mode != "bm25" and embedder.id != index.embedder_id:
            raise ConfigError(
                f"索引由向量模型 {index.embedder_id!r} 构建，当前为 {embedder.id!r}。"
                f"请用同一模型，或重新导入：civilqa ingest（embedder mismatch, re-ingest）")
        self.index = index
        self.embedder = embedder
        self.mode = mode
        self.k = k
        self.candidates = max(candidates, k)
        self.rrf_k = rrf_k
        self.region_boost = region_boost
        self.year_boost = year_boost
        self.tokenizer = tokenizer or Tokenizer()
        vocab = getattr(index.bm25, "vocab_dict", None) or {}
        self._vocab = set(vocab)

    # -- the two rankers -------------------------------------------------
    def bm25_ranking(self, query: str, extra_terms: tuple[str, ...] = ()) -> list[tuple[int, float]]:
        tokens = [t for t in self.tokenizer(query) if t in self._vocab]
        for term in extra_terms:
            tokens.extend(t for t in self.tokenizer(term) if t in self._vocab)
        if not tokens:
            return []
        n = len(self.index.chunks)
        docs, scores = self.index.bm25.retrieve([tokens], k=min(self.candidates, n), show_progress=False,
                                                n_threads=1)
        return [(int(d), float(s)) for d, s in zip(docs[0], scores[0]) if s > 0]

    def dense_ranking(self, query: str) -> list[tuple[int, float]]:
        if self.index.faiss_index.ntotal == 0:
            return []
        q = self.embedder.encode_query(query)[None, :]
        scores, ids = self.index.faiss_index.search(q, min(self.candidates, self.index.faiss_index.ntotal))
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    # -- fusion -----------------------------------------------------------
    def __call__(self, query: str, hints: SearchHints | None = None, k: int | None = None) -> list[Hit]:
        hints = hints or SearchHints()
        if k is None:
            k = self.k
        elif k < 1:
            raise ConfigError(f"k 必须大于 0，当前为 {k}（k must be greater than 0）")
        bm = self.bm25_ranking(query, hints.extra_terms) if self.mode in ("hybrid", "bm25") else []
        de = self.dense_ranking(query) if self.mode in ("hybrid", "dense") else []
        fused: dict[int, float] = {}
        bm_rank = {i: r for r, (i, _) in enumerate(bm)}
        de_rank = {i: r for r, (i, _) in enumerate(de)}
        bm_score = dict(bm)
        de_score = dict(de)
        for ranking in (bm, de):
            for r, (i, _) in enumerate(ranking):
                fused[i] = fused.get(i, 0.0) + 1.0 / (self.rrf_k + r + 1)
        unit = 1.0 / (self.rrf_k + 1)
        hits = []
        for i, score in fused.items():
            chunk = self.index.chunks[i]
            boosts = []
            if hints.regions and any(region_matches(chunk.meta.get("city"), r) for r in hints.regions):
                score += self.region_boost * unit
                boosts.append("region")
            if hints.years and chunk.meta.get("year") in hints.years:
                score += self.year_boost * unit
                boosts.append("year")
            hits.append(Hit(chunk, score, bm_rank.get(i), de_rank.get(i), de_score.get(i),
                            bm_score.get(i), tuple(boosts)))
        hits.sort(key=lambda h: (-h.score, h.chunk.source, h.chunk.start))
        return hits[:k]

