"""Run a question set through the chain ``civilqa ask`` uses, once per configuration.

``run_eval(questions, configs)`` returns an ``EvalRun`` (rows + metrics); ``report.write``
turns it into ``eval/reports/<timestamp>/``.
"""
from __future__ import annotations

import copy
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from assistant.chain import Assistant, default_index_dir, default_seeds_dir
from assistant.extractive import ExtractiveAnswerer
from assistant.kb import ARTIFACTS, ensure_index
from assistant.query import analyze
from assistant.types import Answer
from index import store
from index.builder import build_index, is_current
from index.refresh import refresh_artifacts
from index.embedders import make_embedder
from index.hybrid import HybridSearcher
from index.store import sha256_file
from ingest.atomic import write_json_atomic
from ingest.errors import CivilQAError
from ingest.pipeline import discover

from .baseline import langchain_retriever
from .configs import EvalConfig
from .dataset import QuestionSet
from .metrics import aggregate, score

# asked once per built system before the timed questions (eval.bench.latency asks it too): it names
# no place, so it suits every collection, and still runs question analysis, both retrievers and the
# answerer once, which is what the first call pays for
WARM_QUESTION = "农村低保标准是多少？"

RETRIEVED_KEPT = 5


@dataclass
class EvalRun:
    questions: QuestionSet
    configs: list[EvalConfig]
    rows: list[dict[str, Any]] = field(default_factory=list)
    indexes: dict[str, dict[str, Any]] = field(default_factory=dict)  # config name -> index facts
    started: float = field(default_factory=time.time)
    seconds: float = 0.0

    def rows_for(self, config: str, category: str | None = None) -> list[dict[str, Any]]:
        return [r for r in self.rows if r["config"] == config and (category is None or r["category"] == category)]

    def metrics(self, config: str, category: str | None = None) -> dict[str, Any]:
        return aggregate(self.rows_for(config, category))


class Systems:
    """Builds one assistant per configuration; embedders and indexes are shared between
    configurations that use the same embedder."""

    def __init__(self, index_dir: Path | None = None, embedder: Any = None, work_dir: Path | None = None,
                 seeds: Path | None = None, progress: Callable[[str, int, int], None] | None = None,
                 corpus: tuple[str, Callable[[], list[Path]]] | None = None) -> None:
        """``corpus``: (name, a function giving the folders to index) for an evaluation set with
        its own documents; its index is ``work_dir/set-<name>``, kept in step with the folders."""
        self.index_dir = Path(index_dir) if index_dir else default_index_dir()
        self.work_dir = Path(work_dir) if work_dir else self.index_dir.parent / "eval-index"
        self.corpus = corpus
        self._corpus_roots: dict[str | None, Path] = {}
        self.default_embedder = embedder
        self.seeds = seeds
        self.progress = progress
        self._embedders: dict[str | None, Any] = {}
        self._product_embedder_id: str | None = None  # read once: configs share the product index

    def embedder(self, spec: str | None) -> Any:
        if spec not in self._embedders:
            if spec is None and self.default_embedder is not None and not isinstance(self.default_embedder, str):
                self._embedders[spec] = self.default_embedder
            else:
                self._embedders[spec] = make_embedder(spec if spec is not None else self.default_embedder)
        return self._embedders[spec]

    def index_for(self, spec: str | None, embedder: Any) -> Path:
        """The product index for the default embedder (built from seeds/ if missing, exactly as
        ``civilqa ask`` does); a private index under ``work_dir`` for any other embedder."""
        if self.corpus is not None:
            if spec in self._corpus_roots:
                return self._corpus_roots[spec]
            name, paths_of = self.corpus
            suffix = "" if spec is None else "-" + re.sub(r"[^0-9A-Za-z._-]+", "_", embedder.id).strip("_")
            root = self.work_dir / f"set-{name}{suffix}"
            paths = paths_of()
            failed_path = root.with_name(root.name + ".unreadable.json")
            try:
                unreadable = json.loads(failed_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                unreadable = {}
            if not is_current(paths, root, embedder.id, unreadable):
                report = build_index(paths, root, embedder, progress=self.progress, artifacts=ARTIFACTS)
                kept = {d.source for d in report.documents}
                write_json_atomic(failed_path, {f.name: sha256_file(f) for f in discover(paths) if f.name not in kept})
            else:
                refresh_artifacts(root, ARTIFACTS, progress=self.progress)  # e.g. standards built by older code
            self._corpus_roots[spec] = root
            return root
        if self._product_embedder_id is None:
            ensure_index(self.index_dir, self.embedder(None), seeds=self.seeds, progress=self.progress)
            self._product_embedder_id = store.load(self.index_dir, verify=False).embedder_id
        if spec is None or embedder.id == self._product_embedder_id:
            return self.index_dir
        root = self.work_dir / re.sub(r"[^0-9A-Za-z._-]+", "_", embedder.id).strip("_")
        build_index([self.seeds or default_seeds_dir()], root, embedder, progress=self.progress,
                    artifacts=ARTIFACTS)
        return root

    def build(self, config: EvalConfig):
        embedder = self.embedder(config.embedder)
        root = self.index_for(config.embedder, embedder)
        assistant = Assistant(root, embedder, mode=config.mode, k=config.k)
        chunks = assistant.index.chunks
        if config.recipe == "civilqa" and config.searcher_options:
            from index.retriever import HybridRetriever  # langchain_core

            assistant = copy.copy(assistant)
            assistant.searcher = HybridSearcher(assistant.index, embedder, mode=config.mode, k=config.k,
                                                copies=assistant.searcher.copies, **config.searcher_options)
            assistant.retriever = HybridRetriever(searcher=assistant.searcher, k=config.k,
                                                  analyzer=lambda q: analyze(q).hints())
            assistant._chain = None
        if config.recipe == "langchain":
            assistant = copy.copy(assistant)
            assistant.retriever, chunks = langchain_retriever(
                assistant.index.documents, embedder, k=config.k, chunk_size=config.chunk_size,
                chunk_overlap=config.chunk_overlap, cache_dir=self.work_dir / "langchain-vectors")
        if config.recipe == "langchain" or not config.table:
            assistant = copy.copy(assistant)
            assistant.standards = assistant.standards if config.table else None
            assistant.answerer = ExtractiveAnswerer(assistant.index.documents, chunks,
                                                    standards=assistant.standards)
            assistant._chain = None
        facts = {"index_dir": str(root), "embedder": embedder.id, "chunks": len(chunks),
                 "sources": {s: v.get("sha256", "")[:12]
                             for s, v in sorted(assistant.index.manifest["sources"].items())},
                 "generation": assistant.index.generation.name}
        return assistant, facts


def result_row(config: EvalConfig, q, answer, latency_ms: float, error: str | None,
               copies: Mapping[str, Sequence[str]] | None = None) -> dict[str, Any]:
    """One row of ``results.jsonl``: the question, the answer, its score and citations
    (``copies``: the index's recorded copies of each document, for ``doc_hit_copy``)."""
    s = score(q, answer, copies)
    return {
        "config": config.name, "id": q.id, "category": q.category, "question": q.question,
        "answerable_gold": q.answerable, "answer_keys": list(q.answer_keys), "gold_sources": list(q.sources),
        "answerable": answer.answerable, "correct": s.correct, "answer": answer.answer,
        "citations": [{"marker": c.marker, "source": c.source, "city": c.city, "year": c.year,
                       "start": c.start, "end": c.end, "text": c.text} for c in answer.citations],
        "retrieved": [{"source": c.source, "start": c.start, "end": c.end}
                      for c in answer.retrieved[:RETRIEVED_KEPT]],
        "rank": s.rank, "cited": s.cited, "cited_good": s.cited_good, "refused": s.refused,
        "missing_keys": list(s.missing_keys), "missing_sources": list(s.missing_sources),
        "doc_hit": s.doc_hit, "doc_hit_copy": s.doc_hit_copy, "rouge_recall": None if s.rouge_recall is None else round(s.rouge_recall, 4),
        "confidently_wrong": s.confidently_wrong, "split": q.split,
        "latency_ms": round(latency_ms, 2), "answerer": answer.answerer,
        "fallback_reason": answer.fallback_reason, "error": error,
    }


def run_eval(questions: QuestionSet, configs: list[EvalConfig], systems: Systems | None = None,
             on_question: Callable[[str, int, int], None] | None = None) -> EvalRun:
    systems = systems or Systems()
    run = EvalRun(questions, configs)
    t0 = time.perf_counter()
    for config in configs:
        assistant, facts = systems.build(config)
        run.indexes[config.name] = facts
        copies = getattr(getattr(assistant, "searcher", None), "copies", None) or {}  # the index's record
        assistant.ask(WARM_QUESTION)  # warm-up: first-call costs are not per-question latency
        total = len(questions.questions)
        for i, q in enumerate(questions.questions, 1):
            t = time.perf_counter()
            error = None
            try:
                answer = assistant.ask(q.question)
            except CivilQAError as exc:  # a refused input is a wrong answer, not a crash of the run
                error = str(exc)
                answer = Answer(q.question, error, False, [])
            run.rows.append(result_row(config, q, answer, (time.perf_counter() - t) * 1000, error, copies))
            if on_question:
                on_question(config.name, i, total)
    run.seconds = time.perf_counter() - t0
    return run
