"""How the extractive answerer's cost grows with the collection: a micro-benchmark.

``python -m eval.bench.answerer [--chunks 100000 1000000] [--questions 60]``

The seed index (``civilqa ingest`` of the seed reports; ``CIVILQA_INDEX_DIR`` or the default
index) is loaded once; its questions are analysed and retrieved once on it. Then, for each size,
an answerer is built over a synthetic catalog of that many chunks — the seed chunks and
documents repeated under new source names (the texts are shared, not copied) — and every
question is answered with the chunks retrieved on the seed index, twice: the first round meets
every term and place for the first time, the second finds the answerer's caches filled. Only the
answerer is timed (no retrieval, no embedding). Printed: per-question ms p50/p95/max per round,
the time to build the answerer, and how many answers equal those over the seed index alone.

Run it on another checkout (``PYTHONPATH=/that/checkout``) for a before/after comparison: an
answerer without the ``token_df`` parameter is built without it.
"""
from __future__ import annotations

import argparse
import inspect
import statistics
import time

from assistant.chain import Assistant
from assistant.extractive import ExtractiveAnswerer
from assistant.query import analyze
from eval.dataset import load_questions
from index.embedders import make_embedder
from ingest.document import Chunk


def _catalog(index, size: int) -> tuple[dict[str, dict], list[Chunk], int]:
    """(documents, chunks, copies): the seed collection repeated until it holds ``size`` chunks."""
    base = index.chunks
    copies = max(1, -(-size // len(base)))
    documents = dict(index.documents)
    chunks: list[Chunk] = []
    for n in range(copies):
        for c in base:
            if len(chunks) >= size:
                break
            source = c.source if n == 0 else f"copy{n}-{c.source}"
            if source not in documents:
                documents[source] = index.documents[c.source]
            chunks.append(c if n == 0 else Chunk(c.id, source, c.start, c.end, c.text, c.heading, c.context,
                                                 c.meta, c.kind))
    return documents, chunks, copies


def _answerer(assistant: Assistant, documents, chunks, copies: int) -> ExtractiveAnswerer:
    kwargs = {"standards": assistant.standards, "passages": assistant.answerer.passages}
    if "token_df" in inspect.signature(ExtractiveAnswerer).parameters:
        df = assistant.index.document_frequency
        kwargs["token_df"] = lambda t: (df(t) or 0) * copies
    return ExtractiveAnswerer(documents, chunks, **kwargs)


def _round(answerer, asked) -> tuple[list[float], list[str]]:
    times, texts = [], []
    for analysis, retrieved in asked:
        t0 = time.perf_counter()
        texts.append(answerer(analysis, retrieved).answer)
        times.append((time.perf_counter() - t0) * 1000)
    return times, texts


def _figures(times: list[float]) -> str:
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return f"p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chunks", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--questions", type=int, default=60, help="the first N questions of the seed set")
    args = parser.parse_args(argv)
    assistant = Assistant(None, make_embedder(None))
    questions = load_questions().questions[: args.questions]
    asked = []
    for q in questions:
        analysis = analyze(q.question)
        asked.append((analysis, assistant._search(analysis.normalized)))
    _, reference = _round(assistant.answerer, asked)
    with open("/proc/loadavg") as f:
        load = f.read().split()[0]
    print(f"answerer micro-benchmark: {len(asked)} seed questions, seed index of {len(assistant.index.chunks)} "
          f"chunks; 1-minute load average at start {load} (2 cores)")
    for size in args.chunks:
        documents, chunks, copies = _catalog(assistant.index, size)
        t0 = time.perf_counter()
        answerer = _answerer(assistant, documents, chunks, copies)
        built = time.perf_counter() - t0
        first, texts = _round(answerer, asked)
        second, _ = _round(answerer, asked)
        same = sum(a == b for a, b in zip(texts, reference))
        print(f"- {len(chunks):,} chunks, {len(documents):,} documents: built in {built:.1f} s; "
              f"round 1 {_figures(first)}; round 2 {_figures(second)}; "
              f"{same}/{len(texts)} answers as on the seed index alone")


if __name__ == "__main__":
    main()
