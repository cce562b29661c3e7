"""The default answerer: extractive, offline, and strict about scope.

Given the question analysis and the retrieved chunks it

1. refuses when the question is outside the reports: a place no report covers,
   a year no report of that place covers, or content words the reports do not
   contain (天气, 护照) — saying what was not found and what is covered;
2. keeps only chunks about the named place (a county counts as its city);
3. scores every sentence of the remaining chunks by the IDF-weighted share of
   the question's content words it contains (synonyms count), whether it holds
   a figure of the kind asked (元 for amounts; 人/户/家/个/张… for counts; % for
   ratios), and whether its qualifiers agree (农村 vs 城市, 散居 vs 机构);
4. answers with the minimal clause that holds the figure, led by the region,
   marked ``[n]`` and followed by the region and year the source is about; a
   question naming no place that several reports answer gets one line per
   region, each with its own citation.

Standard questions (``洛阳孤儿一个月给多少钱``, ``哪个城市的农村低保标准最高``) are
answered from the benefit-standards table (``standards.json``) first, after the
scope refusals of step 1 and only from rows of reports in scope; each row is
cited with its own span. Comparisons list one line per region with its year
and compare only figures with the same period (月 vs 年). When no row matches,
the sentence-based steps 2–4 answer as before.

No figure is ever written that is not in the cited span (``grounding.check``).
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Callable

from ingest.document import Chunk

from .answer.candidates import Candidate, candidates
from .answer.compose import asked_dimension, finish
from .answer.corpus import Corpus, Scope
from .answer.fact_answers import answer_facts
from .answer.facts import DocumentFacts
from .answer.passages import PassageFinder, asks_passage
from .answer.scope import Screened, docs_for, screen
from .answer.sentence_answers import answer_figures, answer_sentences
from .answer.standard_answers import answer_standards
from .answer.table_answers import answer_data_tables, answer_ranking_table
from .answer.figures import quantities
from .answer.wording import FIGURE
from .benefits import Vocabulary, load_vocabulary
from .grounding import check as check_grounding
from .query import QueryAnalysis, synonyms
from .standards import format_row
from .types import Answer
from .vocabulary import fact_words, filler, topic_term

if TYPE_CHECKING:  # pragma: no cover
    from .standards import StandardsTable


class ExtractiveAnswerer:
    """``ExtractiveAnswerer(documents, chunks)(analysis, chunks) -> Answer``: the stages of
    assistant/answer/ in order (scope, tables and facts, standards, passages, figures and
    sentences, composing), each the context object ``ex`` of the others.

    ``documents`` maps each source to its metadata and text (``LoadedIndex.documents``); it tells
    which places and years the reports cover. ``standards`` (optional) is the benefit-standards
    table extracted from the same documents; ``token_df`` the index's BM25 document frequency of
    a token (``LoadedIndex.document_frequency``), used above the corpus stage's sample size.
    """

    name = "extractive"
    check_grounding = staticmethod(check_grounding)  # for answer.compose
    format_row = staticmethod(format_row)  # for answer.standard_answers
    forms = staticmethod(synonyms)  # a term and its synonyms (query), for the stages

    def __init__(self, documents: dict[str, dict], all_chunks: list[Chunk], min_coverage: float = 0.5,
                 max_regions: int = 6, standards: "StandardsTable | None" = None,
                 passages: PassageFinder | None = None,
                 token_df: Callable[[str], int | None] | None = None) -> None:
        self.documents = documents
        # without an embedder (a bare answerer) passages are scored on terms and retrieval rank alone
        self.passages = passages or PassageFinder(documents)
        self.doc_texts = {s: d["text"] for s, d in documents.items()}
        self.standards = standards
        self.min_coverage = min_coverage
        self.max_regions = max_regions
        # document frequencies, the region index and the coverage note: built once, and what a
        # question asks of them does not grow with the collection (answer.corpus)
        self.corpus = Corpus(documents, all_chunks, token_df=token_df, forms=synonyms)
        self.facts = DocumentFacts(documents)

    # -- what every stage asks of the collection and the question -------------------------
    @property
    def _doc_texts(self) -> dict[str, str]:  # the LLM answerer's name for it
        return self.doc_texts

    def coverage_note(self) -> str:
        return self.corpus.coverage_note

    def known_cities(self) -> frozenset[str]:
        return self.corpus.cities

    def facts_of(self, source: str) -> list:
        return self.facts.of(source)

    @staticmethod
    def contains(text: str, term: str) -> bool:
        if term in ("城市", "农村") and "城乡" in text:
            return True
        if any(f in text for f in synonyms(term)):
            return True
        # the question is case-folded (MTC → mtc), the documents are not
        return term.isascii() and any(c.isalpha() for c in term) and term in text.lower()

    def known(self, term: str) -> bool:
        """Some chunk of the corpus holds ``term`` or a synonym of it."""
        return self.corpus.known(term)

    def terms_in(self, text: str, weights: dict[str, float]) -> set[str]:
        return {t for t in weights if self.contains(text, t)}

    @staticmethod
    def benefits() -> Vocabulary:
        return load_vocabulary()

    @staticmethod
    def topic(analysis: QueryAnalysis) -> str:
        """The question's topic as a refusal names it: its first three words, no filler, no unit
        of a figure it states (80岁老人 → 老人, never 岁老人) and, when longer words are said, no
        word of one character (住、去 of 我爷爷住在某村，去食堂…: verbs, not what is asked about)."""
        fill = filler() | {q.unit for q in quantities(analysis.normalized)}
        words = [w for t in analysis.terms if (w := topic_term(t)) and w not in fill]  # as screen reads topics
        return "".join(([t for t in words if len(t) > 1] or words)[:3])

    def _docs_for(self, analysis: QueryAnalysis, chunks: list[Chunk] = ()) -> tuple[Scope | None, str | None]:
        """Sources in scope, or the places no document covers (answer.scope; the LLM answerer's too)."""
        return docs_for(self.corpus, analysis, chunks)

    def candidates(self, analysis: QueryAnalysis, pool: list[Chunk], weights: dict[str, float],
                   total_w: float, with_context: bool = False) -> list[Candidate]:
        return candidates(self, analysis, pool, weights, total_w, with_context)

    asked_dimension = staticmethod(asked_dimension)

    # -- answering ---------------------------------------------------------------
    def __call__(self, analysis: QueryAnalysis, chunks: list[Chunk]) -> Answer:
        screened = screen(self, analysis, chunks)
        if not isinstance(screened, Screened):
            return screened  # a place, a year or a topic the documents do not cover
        pool, weights, total_w = screened.pool, screened.weights, screened.total
        asked = analysis.asked
        if asked.kind == "contact":  # 咨询电话多少: a phone line, not an amount or a count
            analysis = replace(analysis, intent="general")
        if asked.figure_free:  # 是什么关系 / 可以换现金吗 / 什么情况下 / 哪些措施: sentences, never a figure
            return answer_sentences(self, analysis, pool, screened.asked_weights, asked)
        # every scope refusal is behind us: a table row or column the question names comes first,
        # then a fact of the kind asked, then a standard question from the standards table
        data = answer_data_tables(self, analysis, pool)
        if data is None:
            data = answer_facts(self, analysis, pool, weights, total_w)
        if data is None and not analysis.sides:  # one standards row answers no comparison of two sides
            data = self._from_standards(analysis, screened.scope)
        if data is None and any(c.kind == "table" for c in pool[:3]):
            data = answer_ranking_table(self, analysis, [c for c in pool[:3] if c.kind == "table"][0])
        if data is not None:
            return data
        if (asks_passage(analysis.normalized, analysis.intent in FIGURE) or analysis.sides) \
                and analysis.asked.kind != "contact":
            # what / how / which / who / conditions: the one to three sentences that answer (answer.passages)
            required = [words for word, words in fact_words().must_cite if word in analysis.normalized]
            passage = self.passages(analysis.normalized, weights, pool, self.contains, required)
            if passage is not None:
                return finish(self, analysis, passage.answer(), [passage.citation()], answerable=True)
        return answer_figures(self, analysis, pool, weights, total_w)

    def _from_standards(self, analysis: QueryAnalysis, scope: Scope | None) -> Answer | None:
        found = answer_standards(self, analysis, scope)
        if found is None and analysis.bare:  # 焦作 低保: a keyword query naming a benefit asks its standard
            found = answer_standards(self, replace(analysis, intent="amount", normalized=analysis.normalized + " 标准"),
                                     scope)
        return found
