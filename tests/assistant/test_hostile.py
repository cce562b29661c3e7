"""Hostile input: planted pickles, huge questions, control characters, markup, oversized uploads."""
from __future__ import annotations

import json
import pickle
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.chain import Assistant
from assistant.query import MAX_QUESTION_CHARS
from index import store
from ingest.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "ui"]
SOURCE_DIRS = ["ingest", "index", "assistant", "ui", "eval"]


class _Payload:
    """Unpickling this runs code that creates ``marker``: it needs nothing but builtins, so it would
    fire in any process that unpickled it (the CLI's included)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (exec, (f"open({str(self.marker)!r}, 'w').write('pwned')",))


def _plant(root: Path, marker: Path) -> list[Path]:
    payload = pickle.dumps(_Payload(marker))
    gen = store.load(root).generation
    planted = [root / "index.pkl", root / "index.pickle", gen / "index.pkl", gen / "docstore.pkl",
               gen / "index.faiss.pkl", gen / "bm25" / "retriever.pickle", gen / "chunks.pkl"]
    for p in planted:
        p.write_bytes(payload)
    return planted


def test_planted_pickles_are_never_loaded(index_copy, tmp_path, embedder, cli_env):
    marker = tmp_path / "pickle-was-loaded"
    _plant(index_copy, marker)
    # in process: the answer chain loads and answers
    answer = Assistant(index_copy, embedder).ask("焦作市农村低保标准是多少？")
    assert "4524" in answer.answer
    # and in the CLI, a fresh process
    p = subprocess.run(CLI + ["ask", "--json", "洛阳孤儿一个月给多少钱？"], capture_output=True, text=True,
                       env=dict(cli_env, CIVILQA_INDEX_DIR=str(index_copy)), timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]
    assert "700" in json.loads(p.stdout)["answer"]
    assert not marker.exists()
    # the payload is real: unpickling it would have created the marker
    pickle.loads(pickle.dumps(_Payload(tmp_path / "control")))
    assert (tmp_path / "control").read_text() == "pwned"


def test_no_code_path_deserialises_pickles():
    """Over the source tree: no pickle/joblib/torch.load, no allow_pickle=True, and LangChain's
    allow_dangerous_deserialization never appears (it would let FAISS.load_local unpickle)."""
    banned = re.compile(r"\bimport\s+(c?pickle|dill|joblib|shelve)\b|\bfrom\s+(c?pickle|dill|joblib|shelve)\b|"
                        r"pickle\.loads?\(|torch\.load\(|joblib\.load\(|allow_pickle\s*=\s*True|"
                        r"allow_dangerous_deserialization|load_local\(|np\.load\((?![^)]*allow_pickle\s*=\s*False)")
    files = [p for d in SOURCE_DIRS if (ROOT / d).is_dir() for p in (ROOT / d).rglob("*.py")]
    assert len(files) > 20
    hits = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}" for p in files
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if banned.search(line)]
    assert hits == []
    # the one loader of binary arrays refuses pickles explicitly
    assert "allow_pickle=False" in (ROOT / "index" / "store.py").read_text(encoding="utf-8")


# -- huge questions ------------------------------------------------------------------------------

HUGE = "焦作市农村低保标准是多少？" * (200_000 // 13 + 1)


class _CountingQueries:
    def __init__(self, inner) -> None:
        self.inner, self.calls = inner, 0

    def __call__(self, text):
        self.calls += 1
        return self.inner(text)


def test_200k_character_question_is_refused_before_embedding(assistant, monkeypatch):
    assert len(HUGE) >= 200_000
    spy = _CountingQueries(assistant.embedder.encode_query)
    monkeypatch.setattr(assistant.embedder, "encode_query", spy)
    t0 = time.perf_counter()
    with pytest.raises(InputError) as info:
        assistant.ask(HUGE)
    assert time.perf_counter() - t0 < 2.0
    msg = str(info.value)
    assert "问题过长" in msg and str(len(HUGE)) in msg and str(MAX_QUESTION_CHARS) in msg
    assert spy.calls == 0
    # the spy does see a normal question (one not asked before: the searcher caches recent query vectors)
    assistant.ask("焦作市农村低保标准现在每年是多少元？")
    assert spy.calls == 1


def test_200k_character_question_through_the_cli(cli_env):
    # one line on standard input (an argument that long exceeds the kernel's limit)
    p = subprocess.run(CLI + ["ask"], input=HUGE + "\n焦作市农村低保标准是多少？\n", capture_output=True,
                       text=True, env=cli_env, timeout=120)
    lines = [json.loads(x) for x in p.stdout.splitlines()]
    assert len(lines) == 2 and "问题过长" in lines[0]["error"] and len(lines[0]["question"]) <= 200
    assert "4524" in lines[1]["answer"]
    assert p.returncode == 1 and "Traceback" not in p.stderr


def test_200k_character_question_through_the_app_api(assistant, serve):
    import httpx

    from eval.load import answer_text, message_text

    with serve(assistant) as base:
        r = httpx.post(base + "gradio_api/call/ask", json={"data": [HUGE, []]}, timeout=60)
        assert r.status_code == 200
        with httpx.stream("GET", base + f"gradio_api/call/ask/{r.json()['event_id']}", timeout=60) as s:
            lines = list(s.iter_lines())
        data = json.loads(next(line[5:] for line in lines if line.startswith("data:") and "[" in line))
        reply = answer_text(data)
        assert "问题过长" in reply and str(MAX_QUESTION_CHARS) in reply
        assert "event: complete" in lines
        # the refused question is echoed cut, not sent back (and kept in the session) whole
        assert len(json.dumps(data, ensure_ascii=False)) < 20_000
        assert f"共 {len(HUGE)} 字" in message_text(data[0][0]["content"])


# -- control characters, emoji, markup --------------------------------------------------------------

@pytest.mark.parametrize("question", [
    "焦作市\x00农村\x1b[31m低保\x07标准是多少？",
    "焦作市农村低保标准是多少？😀🙏",
    "焦作市农村低保标准是多少<script>alert(1)</script>？",
    "焦作市<img src=x onerror=alert(1)>农村低保标准是多少？",
    "\u202e焦作市农村低保标准是多少？\u200b",
])
def test_odd_characters_in_questions_still_get_the_cited_answer(assistant, question):
    answer = assistant.ask(question)
    assert "4524" in answer.answer and answer.citations
    assert "<script" not in answer.answer and "\x00" not in answer.answer


@pytest.mark.parametrize("question", ["\x00\x01\x02", "<script>alert(1)</script>", "   \t  ", "\u200b"])
def test_questions_of_nothing_but_noise_are_a_clear_error(assistant, question):
    try:
        answer = assistant.ask(question)
    except InputError as exc:
        assert "问题不能为空" in str(exc)
    else:
        assert not answer.answerable and not answer.citations


# -- uploads -----------------------------------------------------------------------------------------

def test_uploads_over_the_limit_are_refused_by_the_server(assistant, serve):
    """Gradio accepts uploads on /gradio_api/upload for every app; ours refuses more than the ingest
    limit (HTTP 413) before anything is written or parsed."""
    import httpx

    from ingest.loading import MAX_FILE_BYTES
    from ui.app import MAX_UPLOAD_BYTES

    assert MAX_UPLOAD_BYTES == MAX_FILE_BYTES
    with serve(assistant) as base:
        url = f"{base}gradio_api/upload"
        big = b"x" * (MAX_FILE_BYTES + 1024)
        r = httpx.post(url, files={"files": ("big.txt", big, "text/plain")}, timeout=60)
        assert r.status_code == 413, (r.status_code, r.text[:200])
        small = httpx.post(url, files={"files": ("small.txt", "焦作".encode(), "text/plain")}, timeout=60)
        assert small.status_code == 200  # the limit, not a broken route
