"""Hybrid retrieval: BM25 (bm25s over jieba tokens) + dense (FAISS inner product) + a second
BM25 field over the Han character bigrams (``index.tokenize.han_bigrams``: a colloquial question
is cut by jieba otherwise than the report's wording, but shares its characters; an index built
before the field has none and is searched without it), fused with reciprocal-rank fusion, then

- a document level (``index.fusion``): documents ranked by their best chunk's BM25 score and by
  the question's similarity to their mean chunk vector; each chunk gets a share of its document's
  rank (``doc_weight``), so the chunk of the right document beats a similar chunk elsewhere;
- boosts where a chunk's document is about the region (or year) the question names, or is
  about a wider region holding it and the chunk names the place (a province's notice, a city
  asked), and a smaller one where the chunk itself names the region but its document's region
  is unknown or another;
- BM25 weighed by the share of the question it can read (English words the glossary left are
  not in the index), and left out when all it would match are the place names asked;
- passages (``index.passages``): each hit is widened to its neighbours in the same section, up
  to ``passage_chars`` (300: wider passages gave the extractive answerer more wrong sentences to
  choose on the long seed reports), so that small chunks are matched and the answerer reads
  their context (a FAQ's answer after its question); a document of at most ``short_doc_chars``
  (800: a notice, a news item) without a table is one passage, read whole (a table stays its own
  chunk, read by rows); hits that fall inside a better hit's passage are dropped; a document
  whose pieces the chosen places already cover whole is one passage, read whole at its best
  piece's place, the other places going to the next hits; passages of one document that touch
  can be joined (``merge_chars``, off by default: see there).

``HybridSearcher(index, embedder, mode="hybrid")(query, hints) -> list[Hit]``
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np

from ingest.document import Chunk
from ingest.errors import ConfigError

from .bm25lib import PrunedBM25, bm25s_module
from .fusion import asked_leaves, opens_with_place, region_contains, region_matches, region_signal, rrf  # noqa: F401 (re-exported)
from .lru import Bounded
from .passages import Passages
from .store import LoadedIndex
from .tokenize import Tokenizer, han_bigrams, stopwords

MODES = ("hybrid", "bm25", "dense")
QUERY_CACHE = 8  # the answerer asks right after retrieval: a few recent questions are enough
# chunks read for a place's own tokens (place_ranking): the place's own documents come first and are
# passed over, so the wider documents' rows lie further down
PLACE_CANDIDATES = 400


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


def in_vocabulary(tokens: list[str], vocab: set[str]) -> list[str]:
    """The tokens the index knows; one it does not know is replaced by the known words inside it
    (longest first, left to right). Colloquial questions glue a unit to the next word in ways
    the reports never do (多少天能办完 → 天能, 办完): 天能 still finds 天 (公示3天).
    A Latin piece counts only as a whole word (at least two characters, no letter or digit
    glued to it): an English word the index does not know is not read as its letters
    (active → ct, iv; marriage → ia), which matched unrelated chunks."""
    out = []
    for tok in tokens:
        if tok in vocab:
            out.append(tok)
            continue
        i = 0
        while i < len(tok):
            for j in range(len(tok), i, -1):
                if tok[i:j] in vocab and (not tok[i:j].isascii() or _whole_latin(tok, i, j)):
                    out.append(tok[i:j])
                    i = j
                    break
            else:
                i += 1
    return out


def _whole_latin(tok: str, i: int, j: int) -> bool:
    """``tok[i:j]`` (ASCII) is a word of its own inside ``tok``: two characters or more, and no
    ASCII letter or digit right before or after it."""
    def glued(c: str) -> bool:
        return c.isascii() and c.isalnum()

    return j - i > 1 and not (i > 0 and glued(tok[i - 1])) and not (j < len(tok) and glued(tok[j]))


def build_bm25(token_lists: list[list[str]]):
    bm25s = bm25s_module(build=True)

    retriever = bm25s.BM25(method="lucene", k1=1.2, b=0.75)
    # an empty token list would be dropped by bm25s and shift the ids: keep a placeholder
    retriever.index([toks or ["\u2205"] for toks in token_lists], show_progress=False)
    return retriever


@dataclass(frozen=True)
class SearchOptions:
    """The searcher's tuning, checked once: hits returned (``k``), candidates per side (at least
    ``k``), RRF's constant, the document weight and the boosts, and the passage and merge limits (see the
    module docstring)."""

    k: int = 8
    candidates: int = 40
    rrf_k: int = 60
    region_boost: float = 1.0
    year_boost: float = 0.3
    doc_weight: float = 1.0
    mention_boost: float = 0.5
    passage_chars: int = 300
    short_doc_chars: int = 800
    merge_chars: int = 0  # off: see index.passages (joining moved answers both ways)
    bigram_weight: float = 0.5  # the Han-bigram BM25 field's ranking in the chunk fusion (index.tokenize.han_bigrams)

    def __post_init__(self) -> None:
        if self.k < 1:
            raise ConfigError(f"k 必须大于 0，当前为 {self.k}（k must be greater than 0）")
        for name in ("passage_chars", "short_doc_chars", "merge_chars"):
            if getattr(self, name) < 0:
                raise ConfigError(f"{name} 不能为负，当前为 {getattr(self, name)}（{name} must be >= 0）")
        object.__setattr__(self, "candidates", max(self.candidates, self.k))


class HybridSearcher:
    def __init__(self, index: LoadedIndex, embedder, mode: str = "hybrid", k: int = 8,
                 candidates: int = 40, rrf_k: int = 60, region_boost: float = 1.0,
                 year_boost: float = 0.3, tokenizer: Tokenizer | None = None, doc_weight: float = 1.0,
                 mention_boost: float = 0.5, passage_chars: int = 300, short_doc_chars: int = 800,
                 copies: Mapping[str, Sequence[str]] | None = None, merge_chars: int = 0,
                 bigram_weight: float = 0.5) -> None:
        if mode not in MODES:
            raise ConfigError(f"无效的检索模式：{mode!r}，可选：{', '.join(MODES)}"
                              f"（Invalid mode: {mode!r}. Choose from {', '.join(map(repr, MODES))}）")
        self.options = SearchOptions(k, candidates, rrf_k, region_boost, year_boost, doc_weight, mention_boost,
                                     passage_chars, short_doc_chars, merge_chars, bigram_weight)
        if mode != "bm25" and embedder.id != index.embedder_id:
            raise ConfigError(
                f"索引由向量模型 {index.embedder_id!r} 构建，当前为 {embedder.id!r}。"
                f"请用同一模型，或重新导入：civilqa ingest（embedder mismatch, re-ingest）")
        self.index = index
        self.embedder = embedder
        self.mode = mode
        # source -> the documents that are the same text published again (ingest.copies): a copy of
        # a document already among the hits takes no place of the k (it would say the same again)
        self.copies = copies or {}
        self.tokenizer = tokenizer or Tokenizer()
        self._qv = Bounded(QUERY_CACHE)
        self._qt = Bounded(QUERY_CACHE)  # (question, extra terms) -> its BM25 tokens
        vocab = getattr(index.bm25, "vocab_dict", None) or {}
        self._vocab = set(vocab)
        # top-k without the full postings of common terms; a backend whose BM25 side already
        # answers top_k/score_rows (index.milvus_read.MilvusBM25) is used as it is
        self._bm25 = index.bm25 if hasattr(index.bm25, "top_k") else PrunedBM25(index.bm25)
        bigrams = getattr(index, "bm25_bigrams", None)  # an index built before it (or Milvus): none
        self._bigrams = PrunedBM25(bigrams) if bigrams is not None else None
        self._sources = sorted({c.source for c in index.chunks})
        self._doc_vectors: dict[int, np.ndarray] = {}  # mean chunk vector per document, on first use
        self._rows_of: dict[str, list[int]] = {}
        self._row_of: dict[str, int] = {}  # chunk id -> row (once: at 10^6 chunks ~0.3 s per question)
        for i, c in enumerate(index.chunks):
            self._rows_of.setdefault(c.source, []).append(i)
            self._row_of[c.id] = i
        doc_of = {s: n for n, s in enumerate(self._sources)}
        self._owner = np.array([doc_of[c.source] for c in index.chunks], dtype=np.int64)
        self._passages = Passages(index, self.options, self._rows_of, self._row_of, self.copies)

    def _riders(self, hits: list[Hit]) -> set[str]:
        """The documents of ``hits`` (best first) that are a copy of a better hit's document: the
        same text again, it follows its twin without taking one of the k places (strict scores of
        the gold document id stay comparable, and the k places hold k different texts)."""
        kept: set[str] = set()
        riding: set[str] = set()
        for h in hits:
            source = h.chunk.source
            if source in kept or source in riding:
                continue
            if any(c in kept for c in self.copies.get(source, ())):
                riding.add(source)
            else:
                kept.add(source)
        return riding

    # -- the two rankers -------------------------------------------------
    def _query_tokens(self, query: str, extra_terms: tuple[str, ...], vocab: set[str],
                      regions: tuple[str, ...] = ()) -> list[str]:
        """The question's BM25 tokens, computed once per question (the chunk ranking and the
        document level both ask; kept for the last ``QUERY_CACHE`` questions); none when all it
        has are (parts of) the ``regions`` asked: a question whose topic the index does not know
        in its words (an English one the glossary translated only the place of) would be ranked
        by the place name alone, every chunk of every document of that place alike, while the
        place is the region boost's to weigh. A synonym adds only the tokens the question and the
        synonyms before it do not have, each once: a benefit's synonyms re-say its words
        (特困人员救助供养, 特困供养 hold 特困, 人员), and summed over its group the benefit's name
        weighed four or five times the place and the rest of the question, so documents repeating
        the name outranked the one asked about (a province's table of the benefit, not in the top 40)."""
        key = (query, tuple(extra_terms), tuple(regions))
        cached = self._qt.get(key) if vocab is self._vocab else None
        if cached is not None:
            return list(cached)
        tokens = in_vocabulary(self.tokenizer(query), vocab)
        seen = set(tokens)
        for term in extra_terms:
            for t in self.tokenizer(term):
                if t in vocab and t not in seen:
                    tokens.append(t)
                    seen.add(t)
        if regions and all(any(t in r for r in regions) for t in tokens):
            tokens = []
        if vocab is self._vocab:
            self._qt.put(key, tuple(tokens))
        return tokens

    def bm25_ranking(self, query: str, extra_terms: tuple[str, ...] = (),
                     regions: tuple[str, ...] = ()) -> list[tuple[int, float]]:
        tokens = self._query_tokens(query, extra_terms, self._vocab, regions)
        if not tokens:
            return []
        return self._top(self._bm25, tokens)

    def bigram_ranking(self, query: str, regions: tuple[str, ...] = ()) -> list[tuple[int, float]]:
        """The question's Han bigrams (no stopword: 多少, 哪些) against the bigram field; none when
        the index has no such field or all it would match is in the places asked (as for words)."""
        if self._bigrams is None or not self.options.bigram_weight:
            return []
        grams = [g for g in han_bigrams(query, stopwords()) if g in self._bigrams.vocab]
        if not grams or (regions and all(any(g in r for r in regions) for g in grams)):
            return []
        return self._top(self._bigrams, grams)

    def place_ranking(self, regions: tuple[str, ...]) -> list[tuple[int, float]]:
        """Chunks of a wider region's documents that open a row, a line or a clause with the most
        specific place asked (the county's row of a province's table, a city notice's line for the
        county: index.fusion.opens_with_place; not a news item naming it in passing), best BM25 first
        on the place's own tokens. Such a row is one line of a long chunk: the question's other
        words (and their synonyms) rank it below shorter chunks of other places, so it reaches the
        fusion as a ranking of its own, where the region boost then weighs it."""
        leaves = asked_leaves(regions) if regions else []
        key = ("\x00place", tuple(leaves))  # tokenised once per place, as a question's words are
        tokens = self._qt.get(key)
        if tokens is None:
            tokens = tuple(dict.fromkeys(t for leaf in leaves for t in self.tokenizer(leaf) if t in self._vocab))
            self._qt.put(key, tokens)
        if not tokens:
            return []
        out = []
        docs, scores, _ = self._bm25.top_k(list(tokens), min(PLACE_CANDIDATES, len(self.index.chunks)))
        for d, s in zip(docs, scores):
            chunk = self.index.chunks[int(d)]
            if s > 0 and any(region_contains(chunk.meta.get("city"), w) for w in regions) \
                    and opens_with_place(chunk.text, leaves):
                out.append((int(d), float(s)))
        return out[:self.options.candidates]

    def _top(self, bm25, tokens: list[str]) -> list[tuple[int, float]]:
        """(chunk row, score) of a BM25 field's ``candidates`` best chunks for ``tokens``."""
        docs, scores, _ = bm25.top_k(tokens, min(self.options.candidates, len(self.index.chunks)))
        return [(int(d), float(s)) for d, s in zip(docs, scores)]

    def _query_vector(self, query: str) -> np.ndarray:
        return self.query_vector(query)[None, :]

    def query_vector(self, query: str) -> np.ndarray:
        """The question's vector, cached for the last ``QUERY_CACHE`` questions: the answerer
        scores sentences against the vector retrieval computed, without embedding it again."""
        v = self._qv.get(query)
        if v is None:
            v = self.embedder.encode_query(query)
            self._qv.put(query, v)
        return v

    def dense_ranking(self, query: str, qv: np.ndarray | None = None) -> list[tuple[int, float]]:
        if self.index.faiss_index.ntotal == 0:
            return []
        q = self._query_vector(query) if qv is None else qv
        scores, ids = self.index.search(q, min(self.options.candidates, self.index.faiss_index.ntotal))
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    # -- the document level ---------------------------------------------
    def doc_rankings(self, query: str, extra_terms: tuple[str, ...], qv: np.ndarray | None,
                     docs: list[int], regions: tuple[str, ...] = ()) -> list[list[int]]:
        """The candidate documents ``docs`` (indexes into the sorted sources: those of the
        candidate chunks, the only ones a document score can lift) by the best BM25 score of
        any of their chunks, and by the similarity of the question to the mean of their chunk
        vectors (computed once per document, on first need). Both come from what the index
        holds: no document is tokenised and no other document is touched at query time."""
        out: list[list[int]] = []
        if len(docs) < 2:
            return out
        if self.mode in ("hybrid", "bm25"):
            tokens = self._query_tokens(query, extra_terms, self._vocab, regions)
            if tokens:
                rows = [self._rows_of[self._sources[d]] for d in docs]  # only these chunks are scored
                scores = self._bm25.score_rows(tokens, [r for rs in rows for r in rs])
                ends = np.cumsum([len(rs) for rs in rows])
                best = {d: float(scores[e - len(rs):e].max()) for d, rs, e in zip(docs, rows, ends)}
                out.append(sorted((d for d in docs if best[d] > 0), key=lambda d: (-best[d], d)))
        if qv is not None:
            sims = {d: float(self._doc_vector(d) @ qv[0]) for d in docs}
            out.append(sorted(docs, key=lambda d: (-sims[d], d)))
        return out

    def bm25_share(self, query: str) -> float:
        """The weight of the BM25 rankings in the fusion: the share of the question's tokens that
        are not Latin words the index does not know. A Chinese question has none of those (1.0:
        nothing changes); an English one the glossary translated in part is matched by BM25 on
        the few words translated (数量, 老年人 of a question of ten words), which then outvoted
        the multilingual embedder that reads the whole question."""
        if not any("a" <= ch <= "z" for ch in query.lower()):
            return 1.0
        tokens = self.tokenizer(query)
        unknown = sum(1 for t in tokens if t.isascii() and t.isalpha() and t not in self._vocab)
        return 1.0 - unknown / len(tokens) if tokens else 1.0

    def _doc_vector(self, d: int) -> np.ndarray:
        v = self._doc_vectors.get(d)
        if v is None:
            rows = self._rows_of[self._sources[d]]
            mean = np.mean([self.index.faiss_index.reconstruct(int(r)) for r in rows], axis=0)
            norm = float(np.linalg.norm(mean))
            v = self._doc_vectors[d] = (mean / norm if norm else mean).astype(np.float32)
        return v

    # -- passages (index.passages) ------------------------------------
    def passage(self, i: int) -> Chunk:
        """Chunk ``i`` widened to its passage (:meth:`index.passages.Passages.widen`)."""
        return self._passages.widen(i)

    # -- fusion -----------------------------------------------------------
    def __call__(self, query: str, hints: SearchHints | None = None, k: int | None = None) -> list[Hit]:
        hints = hints or SearchHints()
        if k is None:
            k = self.options.k
        elif k < 1:
            raise ConfigError(f"k 必须大于 0，当前为 {k}（k must be greater than 0）")
        qv = self._query_vector(query) if self.mode in ("hybrid", "dense") and self.index.faiss_index.ntotal else None
        bm = self.bm25_ranking(query, hints.extra_terms, hints.regions) if self.mode in ("hybrid", "bm25") else []
        de = self.dense_ranking(query, qv) if qv is not None else []
        bm_rank = {i: r for r, (i, _) in enumerate(bm)}
        de_rank = {i: r for r, (i, _) in enumerate(de)}
        bm_score = dict(bm)
        de_score = dict(de)
        share = self.bm25_share(query) if bm and de else 1.0  # weighs BM25 against the embedder only
        bg = self.bigram_ranking(query, hints.regions) if self.mode in ("hybrid", "bm25") else []
        pl = self.place_ranking(hints.regions) if self.mode in ("hybrid", "bm25") else []
        fused = rrf([[i for i, _ in bm], [i for i, _ in de], [i for i, _ in bg], [i for i, _ in pl]], self.options.rrf_k,
                    (share, 1.0, share * self.options.bigram_weight, share))
        candidate_docs = sorted({int(self._owner[i]) for i in fused})
        doc_fused = {}
        if self.options.doc_weight:
            levels = self.doc_rankings(query, hints.extra_terms, qv, candidate_docs, hints.regions)
            # the BM25 ranking comes first when there is one (dense alone: one ranking, weight 1)
            weights = (share, 1.0) if len(levels) == 2 else (share if qv is None else 1.0,)
            doc_fused = rrf(levels, self.options.rrf_k, weights[:len(levels)])
        unit = 1.0 / (self.options.rrf_k + 1)
        hits = []
        for i, score in fused.items():
            chunk = self.index.chunks[i]
            boosts = []
            score += self.options.doc_weight * doc_fused.get(int(self._owner[i]), 0.0)
            # (no region asked: no signal, and the chunk's text is not put together)
            region = region_signal(chunk.meta.get("city"), chunk.index_text, hints.regions, region_matches,
                                   region_contains) if hints.regions else None
            if region == "region":
                score += self.options.region_boost * unit
                boosts.append("region")
            elif region == "mention" and self.options.mention_boost:
                score += self.options.mention_boost * unit
                boosts.append("mention")
            if hints.years and chunk.meta.get("year") in hints.years:
                score += self.options.year_boost * unit
                boosts.append("year")
            hits.append(Hit(chunk, score, bm_rank.get(i), de_rank.get(i), de_score.get(i),
                            bm_score.get(i), tuple(boosts)))
        hits.sort(key=lambda h: (-h.score, h.chunk.source, h.chunk.start))
        riding = self._riders(hits) if self.copies else set()
        return self._passages.select(hits, k, riding)
