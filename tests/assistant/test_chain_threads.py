"""One Assistant shared by many threads (as the web server shares it) answers exactly as it does
when questions come one at a time: the embedder, FAISS, bm25s and jieba are used concurrently."""
from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor

from eval.load import eval_questions


def _answer(assistant, question: str) -> dict:
    out = assistant.ask(question).to_dict()
    out.pop("timings_ms")
    return out


def test_concurrent_answers_equal_sequential_answers(assistant):
    questions = eval_questions()[::6]  # 35 questions across every category of the set
    sequential = {q: _answer(assistant, q) for q in questions}
    # every question three times, shuffled, from 16 threads at once
    work = questions * 3
    random.Random(8).shuffle(work)
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda q: (q, _answer(assistant, q)), work))
    assert len(results) == len(work)
    for q, got in results:
        assert got == sequential[q], q
    assert sum(1 for q in questions if sequential[q]["answerable"]) >= len(questions) // 2
