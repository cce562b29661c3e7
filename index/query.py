"""What the retriever searches with, built once from the question's analysis.

The index layer never analyses a question (that is ``assistant.query``, a layer above): the
assistant analyses it once and hands the retriever a ``SearchQuery`` — the normalised text and the
``SearchHints`` (regions, years, synonyms) — through ``QueryAnalysis.search_query()``.

    >>> SearchQuery("焦作市农村低保标准是多少", SearchHints(regions=("焦作市",))).hints.regions
    ('焦作市',)
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .hybrid import SearchHints


@dataclass(frozen=True)
class SearchQuery:
    text: str  # the normalised question: what BM25 and the embedder see
    hints: SearchHints = field(default_factory=SearchHints)
