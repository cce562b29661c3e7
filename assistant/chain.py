"""The answer chain: question analysis → hybrid retriever → answerer → citations.

The three steps are plain functions that the CLI, the app and the evaluation all run
(``Assistant.ask``); ``Assistant.chain`` is the same steps as a LangChain runnable, and
``Assistant.retriever`` the searcher as a LangChain ``BaseRetriever``::

    analyze ─► HybridSearcher (or a replaced retriever) ─► ExtractiveAnswerer ─► Answer
                                                           └ or LLMAnswerer (ChatOpenAI, checked; falls back)

``ask`` calls the steps directly: LangChain's callback machinery imports ~0.7 s of modules
(langsmith) on the first ``invoke``, more than half of a command-line question's cold start.
The LangChain objects are built on first use only.

``Assistant`` loads the index and the embedder once and is safe to share
between threads (the embedder serialises its own calls).
"""
from __future__ import annotations

import dataclasses
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from index.backend import live_generation, load_index
from index.backend import resolve as resolve_backend
from index.embedders import make_embedder
from index.hybrid import HybridSearcher
from ingest.document import Chunk, locate
from ingest.errors import CivilQAError, ConfigError
from ingest.settings import default_index_dir, default_seeds_dir  # noqa: F401 (re-exported)

from . import warm
from .answer.passages import PassageFinder
from .extractive import ExtractiveAnswerer
from .examples import examples_for
from .followup import needs_history, previous_question, resolve
from .artifacts import ARTIFACTS, load_copies, load_standards  # noqa: F401 (ARTIFACTS re-exported)
from .kb import ensure_index
from .llm import LLMAnswerer, LLMConfig
from .query import QueryAnalysis, analyze, clean_question, region_names
from .scripts import present
from .types import Answer, Citation


def open_assistant(index_dir: Path | None = None, embedder: Any = None, *,
                   progress: Callable[[str, int, int], None] | None = None, backend: Any = None, warm: bool = False,
                   **options: Any) -> "Assistant":
    """What the CLI and the app start with: the index built from ``seeds/`` when there is none
    (``ensure_index``, with ``progress``; with Milvus, published or taken as Milvus serves it), then
    ``Assistant(index_dir, embedder, backend=backend, **options)``; ``warm`` (a server: ``civilqa
    ui``) starts its one-time loads in the background (``Assistant.warm_up``), which a one-question
    CLI run would only wait behind."""
    root = Path(index_dir) if index_dir else default_index_dir()
    model = embedder if embedder is not None and not isinstance(embedder, str) else make_embedder(embedder)
    backend = resolve_backend(backend)
    ensure_index(root, model, progress=progress, backend=backend)
    assistant = Assistant(root, model, backend=backend, **options)
    if warm:
        assistant.warm_up()
    return assistant


class Assistant:
    def __init__(self, index_dir: Path | None = None, embedder: Any = None, mode: str = "hybrid",
                 k: int = 8, answerer: str = "extractive", llm: Any = None, backend: Any = None) -> None:
        """Load the index at ``index_dir`` (never build one: ``assistant.kb.ensure_index`` does,
        called by the CLI and the app first); a missing index is an ``IndexStoreError``."""
        if answerer not in ("extractive", "llm"):
            raise ConfigError(f"没有这个作答方式：{answerer}（answerer must be extractive or llm）")
        llm_config = None
        if answerer == "llm":  # settings checked before the index is loaded
            llm_config = llm if llm is not None else LLMConfig.from_env()
        self.index_dir = Path(index_dir) if index_dir else default_index_dir()
        self.backend = resolve_backend(backend)  # CIVILQA_BACKEND unless given: faiss files or Milvus (index/backend.py)
        self.embedder = embedder if embedder is not None and not isinstance(embedder, str) \
            else make_embedder(embedder)
        self.mode = mode
        self.k = k
        self._chain = None
        self._lock = threading.Lock()
        self._swap = _SwapLock()
        self._reload_lock = threading.Lock()
        self._watcher: threading.Thread | None = None
        self._attach(self._parts(load_index(self.index_dir, self.backend)))
        # answerer="llm": an OpenAI-compatible model (assistant/llm.py), checked, extractive as fallback
        self.llm = None if llm_config is None else LLMAnswerer(llm_config, self.answerer)

    def _parts(self, index) -> dict[str, Any]:
        """Everything that depends on the loaded index, built without touching ``self``."""
        searcher = HybridSearcher(index, self.embedder, mode=self.mode, k=self.k, copies=load_copies(index))
        standards = load_standards(index)
        answerer = ExtractiveAnswerer(index.documents, index.chunks, standards=standards,
                                      passages=PassageFinder(index.documents, self.embedder, searcher.query_vector),
                                      token_df=index.document_frequency)
        return {"index": index, "searcher": searcher, "standards": standards, "_retriever": None,
                "regions": region_names(answerer.corpus.cities), "answerer": answerer,
                # the collection's words: which Chinese gloss of an English word it uses (query.gloss_english)
                "used": index.document_frequency}

    @property
    def retriever(self):
        """The searcher as a LangChain ``BaseRetriever`` (built on first use); assigning another
        retriever (the evaluation's LangChain baseline) makes ``ask`` retrieve through it."""
        if self._retriever is None:
            from index.retriever import HybridRetriever  # langchain_core

            self._retriever = HybridRetriever(searcher=self.searcher, k=self.k,
                                              analyzer=lambda q: analyze(q, regions=self.regions, used=self.used).hints())
            self._own_retriever = self._retriever
        return self._retriever

    @retriever.setter
    def retriever(self, value) -> None:
        self._retriever = value

    def _search(self, analysis: QueryAnalysis) -> list[Chunk]:
        """The chunks for the analysed question, best first: our searcher directly with the
        analysis' ``SearchQuery`` (what ``HybridRetriever`` returns, without the Document round
        trip), or the replaced retriever, which gets the normalised question as a string."""
        own = self._retriever
        if own is None or own is getattr(self, "_own_retriever", None):
            q = analysis.search_query()
            return [h.chunk for h in self.searcher(q.text, q.hints, k=self.k)]
        return [Chunk.from_dict(d.metadata["chunk"]) for d in own.invoke(analysis.normalized)]

    def _attach(self, parts: dict[str, Any]) -> None:
        for name, value in parts.items():
            setattr(self, name, value)

    def reload(self) -> bool:
        """Serve the index's current generation (after an ingest, upload, delete or re-index).

        The new index, searcher and answerer are built aside and swapped in at once
        under a lock: a question being answered finishes on the old index, the next
        one uses the new. Returns False when the generation has not changed."""
        with self._reload_lock:
            if live_generation(self.index_dir, self.backend) == self.index.generation.name:
                return False
            index = load_index(self.index_dir, self.backend)
            if index.generation.name == self.index.generation.name:
                return False
            parts = self._parts(index)
            with self._swap.write():
                self._attach(parts)
            return True

    def warm_up(self) -> threading.Thread:
        """Start the answer layer's one-time loads (``assistant.warm``: cn2an, the place
        finder's jieba dictionary, ~1.7 s together) in a daemon thread, so the first questions do
        not pay them; the thread is returned (``join()`` waits for it). Questions asked meanwhile
        are answered as always: each load happens once, behind its lock."""
        thread = threading.Thread(target=warm.warm_up, name="civilqa-warm-up", daemon=True)
        thread.start()
        return thread

    def watch(self, interval: float = 2.0, on_error: Callable[[Exception], None] | None = None) -> None:
        """Pick up a generation written by another process (an ingest, another app worker's
        upload): every ``interval`` seconds the live generation's name is read (a small file, or
        the Milvus alias) and, when it changed, ``reload`` runs. A daemon thread; idempotent."""
        if self._watcher is not None:
            return

        def loop() -> None:
            stop = self._stop_watch
            while not stop.wait(interval):
                try:
                    self.reload()
                except CivilQAError as exc:  # a damaged new generation: keep serving the one we have
                    if on_error:
                        on_error(exc)

        self._stop_watch = threading.Event()
        self._watcher = threading.Thread(target=loop, name="civilqa-index-watch", daemon=True)
        self._watcher.start()

    def stop_watching(self) -> None:
        if self._watcher is not None:
            self._stop_watch.set()
            self._watcher.join()
            self._watcher = None

    # -- the steps, and the LangChain chain made of them -------------------------------
    def _retrieve_step(self, state: dict[str, Any]) -> dict[str, Any]:
        t0 = time.perf_counter()
        # the normalised question (traditional, full-width and English already folded) and its hints
        state["chunks"] = self._search(state["analysis"])
        state["timings"]["retrieve"] = (time.perf_counter() - t0) * 1000
        return state

    def _answer_step(self, state: dict[str, Any]) -> Answer:
        t0 = time.perf_counter()
        chunks = state["chunks"]
        if self.llm is not None:
            result = self.llm(state["analysis"], chunks, on_delta=state.get("on_delta"),
                              extractive=self.answerer)  # the current one, after a reload too
        else:
            result = self.answerer(state["analysis"], chunks)
        state["timings"]["answer"] = (time.perf_counter() - t0) * 1000
        result.timings_ms = {**state["timings"], **result.timings_ms}  # + llm, check
        result.retrieved = chunks  # for the evaluation's retrieval metrics; not in the JSON
        return result

    def _run(self, state: dict[str, Any]) -> Answer:
        return self._answer_step(self._retrieve_step(_analyze_step(state)))

    @property
    def chain(self):
        """The same steps as a LangChain runnable (``chain.invoke({"question": …, "timings": {}})``)."""
        if self._chain is None:
            from langchain_core.runnables import RunnableLambda

            self._chain = (RunnableLambda(_analyze_step) | RunnableLambda(self._retrieve_step)
                           | RunnableLambda(self._answer_step)).with_config(run_name="civilqa")
        return self._chain

    def ask(self, question: str, history: Sequence[Any] | None = None,
            on_delta: Callable[[str], None] | None = None) -> Answer:
        """Answer ``question``; with ``history`` (earlier questions, or chat messages) a
        follow-up such as ``那农村的呢？`` is first resolved against the previous turn
        (``followup.resolve``). The answer comes back in the user's script (``scripts.present``).
        ``on_delta(text_so_far)`` is called while an LLM answer streams (llm answerer only)."""
        t0 = time.perf_counter()
        asked = analyze(question, regions=self.regions, used=self.used)  # the one analysis of what was typed (a bad question raises InputError)
        resolved = resolve(question, history, analysis=asked) if history else None
        if resolved is None and needs_history(question, analysis=asked):
            # 那农村的呢？ with nothing before it to continue, or after a question it cannot continue
            # (no city/rural side): never answered with an unrelated sentence
            before = previous_question(history)
            why = (f"但无法接着上一个问题（{before}）补全" if before else "但没有可以接续的上一个问题")
            result = Answer(question=clean_question(question), answerable=False, citations=[],
                            answerer=getattr(self.answerer, "name", "extractive"),
                            answer=f"这像是接着上一个问题的追问，{why}。请把问题问完整，例如：{examples_for(self)[0]}")
            result = present(result, question, None, previous_question(history, resolved=False), analysis=asked)
            result.timings_ms["total"] = (time.perf_counter() - t0) * 1000
            return result
        analysis = analyze(resolved, regions=self.regions, used=self.used) if resolved else asked  # a follow-up's full form, analysed once
        timings = {"analyze": (time.perf_counter() - t0) * 1000}
        with self._swap.read():  # one index from retrieval to citations, even during a reload
            result: Answer = self._run({"question": resolved or question, "analysis": analysis, "timings": timings,
                                        "on_delta": on_delta})
            result.citations = self._locate(result.citations)
        result = present(result, question, resolved, previous_question(history, resolved=False), analysis=analysis)
        result.timings_ms["total"] = (time.perf_counter() - t0) * 1000
        return result

    def _locate(self, citations: list[Citation]) -> list[Citation]:
        """Add the PDF page / docx paragraph each cited span starts on."""
        out = []
        for c in citations:
            where = locate(self.index.documents.get(c.source, {}).get("locations"), c.start)
            out.append(dataclasses.replace(c, **where) if where else c)
        return out

    # -- facts for the UI ---------------------------------------------------------
    def documents(self) -> list[dict[str, Any]]:
        out = []
        for source, d in sorted(self.index.documents.items()):
            m = d["meta"]
            out.append({"source": source, "title": m.get("title"), "city": m.get("city"),
                        "year": m.get("year"), "period": m.get("period"),
                        "chunks": self.index.manifest["sources"].get(source, {}).get("chunks")})
        return out

    def document_text(self, source: str) -> str:
        if source not in self.index.documents:
            raise CivilQAError(f"没有这个来源文件：{source}（unknown source）")
        return self.index.documents[source]["text"]


class _SwapLock:
    """Questions read the index concurrently; a reload waits for the questions in flight,
    holds new ones back for the instant of the swap, then lets them through."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._waiting = 0

    @contextmanager
    def read(self) -> Iterator[None]:
        with self._cond:
            while self._writing or self._waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextmanager
    def write(self) -> Iterator[None]:
        with self._cond:
            self._waiting += 1
            while self._writing or self._readers:
                self._cond.wait()
            self._waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


def _analyze_step(state: dict[str, Any]) -> dict[str, Any]:
    """The question's analysis, unless the caller made it already (``Assistant.ask``)."""
    if state.get("analysis") is not None:
        return state
    t0 = time.perf_counter()
    state = dict(state)
    state["analysis"] = analyze(state["question"])
    state["timings"]["analyze"] = (time.perf_counter() - t0) * 1000
    return state

