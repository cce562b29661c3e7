"""The answer chain: question analysis → hybrid retriever → answerer → citations.

It is a LangChain runnable (``Assistant.chain``) so that the CLI, the app and the
evaluation run exactly the same steps::

    analyze ─► HybridRetriever (BaseRetriever) ─► ExtractiveAnswerer ─► Answer
                                                  └ or LLMAnswerer (ChatOpenAI, checked; falls back)

``Assistant`` loads the index and the embedder once and is safe to share
between threads (the embedder serialises its own calls).
"""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any, Callable

from ingest.document import Chunk
from ingest.errors import CivilQAError, ConfigError

from .query import QueryAnalysis, analyze
from .types import Answer

ROOT = Path(__file__).resolve().parents[1]


def default_index_dir() -> Path:
    env = os.environ.get("CIVILQA_INDEX_DIR")
    return Path(env).expanduser() if env else ROOT / ".civilqa" / "index"


def default_seeds_dir() -> Path:
    env = os.environ.get("CIVILQA_SEEDS_DIR")
    return Path(env).expanduser() if env else ROOT / "seeds"


def standards_extras(documents) -> dict[str, Any] | None:
    """The benefit-standards table built at ingest, when that module is available."""
    try:
        from .standards import build_table_json
    except ImportError:
        return None
    return build_table_json(documents)


def load_standards(index) -> Any:
    """The benefit-standards table of a loaded index (``StandardsTable``), or None when the
    index was built without one. A damaged table raises ``IndexError_`` with a re-ingest hint."""
    path = getattr(index, "standards_path", None)
    if path is None or not Path(path).is_file():
        return None
    from .standards import StandardsTable

    return StandardsTable.load(path)


def ensure_index(index_dir: Path, embedder, seeds: Path | None = None,
                 progress: Callable[[str, int, int], None] | None = None) -> None:
    """Build the index from ``seeds/`` when there is none yet."""
    from index import store
    from index.builder import build_index

    if (index_dir / store.CURRENT).exists():
        return  # an index is there; if it is damaged, loading says so (no silent rebuild)
    build_index([seeds or default_seeds_dir()], index_dir, embedder, progress=progress,
                extras=standards_extras)


class Assistant:
    def __init__(self, index_dir: Path | None = None, embedder: Any = None, mode: str = "hybrid",
                 k: int = 8, auto_build: bool = True,
                 progress: Callable[[str, int, int], None] | None = None,
                 answerer: str = "extractive", llm: Any = None) -> None:
        from index import store
        from index.embedders import make_embedder
        from index.hybrid import HybridSearcher
        from index.retriever import HybridRetriever

        from .extractive import ExtractiveAnswerer

        if answerer not in ("extractive", "llm"):
            raise ConfigError(f"没有这个作答方式：{answerer}（answerer must be extractive or llm）")
        llm_config = None
        if answerer == "llm":  # settings checked before the index is loaded
            from .llm import LLMAnswerer, LLMConfig

            llm_config = llm if llm is not None else LLMConfig.from_env()
        self.index_dir = Path(index_dir) if index_dir else default_index_dir()
        self.embedder = embedder if embedder is not None and not isinstance(embedder, str) \
            else make_embedder(embedder)
        if auto_build:
            ensure_index(self.index_dir, self.embedder, progress=progress)
        self.index = store.load(self.index_dir)
        self.mode = mode
        self.searcher = HybridSearcher(self.index, self.embedder, mode=mode, k=k)
        self.retriever = HybridRetriever(searcher=self.searcher, k=k,
                                         analyzer=lambda q: analyze(q).hints())
        self.standards = load_standards(self.index)
        self.answerer = ExtractiveAnswerer(self.index.documents, self.index.chunks, standards=self.standards)
        # answerer="llm": an OpenAI-compatible model (assistant/llm.py), checked, extractive as fallback
        self.llm = None if llm_config is None else LLMAnswerer(llm_config, self.answerer)
        self._chain = None
        self._lock = threading.Lock()

    # -- the LangChain chain ------------------------------------------------------
    @property
    def chain(self):
        if self._chain is None:
            from langchain_core.runnables import RunnableLambda

            def retrieve(state: dict[str, Any]) -> dict[str, Any]:
                t0 = time.perf_counter()
                analysis: QueryAnalysis = state["analysis"]
                # the normalised question: traditional, full-width and English already folded
                state["docs"] = self.retriever.invoke(analysis.normalized)
                state["timings"]["retrieve"] = (time.perf_counter() - t0) * 1000
                return state

            def answer(state: dict[str, Any]) -> Answer:
                t0 = time.perf_counter()
                chunks = [Chunk.from_dict(d.metadata["chunk"]) for d in state["docs"]]
                if self.llm is not None:
                    result = self.llm(state["analysis"], chunks, on_delta=state.get("on_delta"))
                else:
                    result = self.answerer(state["analysis"], chunks)
                state["timings"]["answer"] = (time.perf_counter() - t0) * 1000
                result.timings_ms = {**state["timings"], **result.timings_ms}  # + llm, check
                return result

            self._chain = (RunnableLambda(_analyze_step) | RunnableLambda(retrieve)
                           | RunnableLambda(answer)).with_config(run_name="civilqa")
        return self._chain

    def ask(self, question: str, on_delta: Callable[[str], None] | None = None) -> Answer:
        """``on_delta(text_so_far)`` is called while an LLM answer streams (llm answerer only)."""
        t0 = time.perf_counter()
        result: Answer = self.chain.invoke({"question": question, "timings": {}, "on_delta": on_delta})
        result.timings_ms["total"] = (time.perf_counter() - t0) * 1000
        return result

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


def _analyze_step(state: dict[str, Any]) -> dict[str, Any]:
    t0 = time.perf_counter()
    state = dict(state)
    state["analysis"] = analyze(state["question"])
    state["timings"]["analyze"] = (time.perf_counter() - t0) * 1000
    return state

