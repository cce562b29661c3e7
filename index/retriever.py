"""The hybrid searcher as a LangChain ``BaseRetriever``.

Each returned ``Document`` carries the chunk (``metadata["chunk"]``, a dict),
its source, offsets, region and year, and the fused score. The input is a
``SearchQuery`` (the question analysed once, upstream: its hints are used as
they are) or a plain string, which the optional ``analyzer`` turns into
``SearchHints`` (named regions/years, synonyms) before searching.
"""
from __future__ import annotations

from typing import Any, Callable

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from .hybrid import HybridSearcher, Hit, SearchHints
from .query import SearchQuery


def hit_to_document(hit: Hit) -> Document:
    c = hit.chunk
    return Document(page_content=c.text, id=c.id, metadata={
        "chunk": c.to_dict(), "source": c.source, "start": c.start, "end": c.end,
        "city": c.meta.get("city"), "year": c.meta.get("year"), "title": c.meta.get("title"),
        "heading": c.heading, "score": hit.score, "bm25_rank": hit.bm25_rank,
        "dense_rank": hit.dense_rank, "dense_score": hit.dense_score, "boosts": list(hit.boosts)})


class HybridRetriever(BaseRetriever):
    searcher: Any
    analyzer: Callable[[str], SearchHints] | None = None
    k: int = 8

    def _get_relevant_documents(self, query: str | SearchQuery, *,
                                run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        if not isinstance(query, SearchQuery):
            query = SearchQuery(query, self.analyzer(query) if self.analyzer else SearchHints())
        searcher: HybridSearcher = self.searcher
        return [hit_to_document(h) for h in searcher(query.text, query.hints, k=self.k)]
