"""How the LLM-answer check behaves on the question set, and what it costs.

    python -m eval.llm_check [--index-dir DIR] [--questions eval/questions.jsonl]

No model is called: for every answerable question the extractive answerer answers (real
retrieval), the passages the llm answerer would send are its selected spans. For each span
with a figure it writes the answer a faithful model would write (``{region}{span}[n]。``) and
three wrong ones (the figure changed, the region changed to another region of the index, a
citation that was not given), runs ``LLMAnswerer.verify`` on each and prints how many pass,
and the time the check takes.

Then the whole llm path end to end on every question (``--no-end-to-end`` skips it): the
model is a stand-in that copies the passages it is sent, each sentence with its ``[n]`` (what
a faithful model writes); the answers are scored as ``civilqa eval`` scores them, beside the
extractive answers. It measures how often the llm path keeps a faithful answer (its prompt,
filter, check and invariants), why it falls back otherwise, and that it never answers worse.
"""
from __future__ import annotations

import argparse
import re
import statistics
import time
from collections import Counter
from types import SimpleNamespace
from pathlib import Path

from assistant.answer.figures import quantities
from assistant.chain import open_assistant
from assistant.llm import LLMAnswerer, LLMConfig
from assistant.query import analyze
from ingest.document import Chunk
from ingest.text import SENTENCE_END, split_sentences

from .dataset import load_questions
from .metrics import score

QUESTIONS = Path(__file__).with_name("questions.jsonl")


class _NoModel:
    """verify() never calls the model; this makes sure of it."""

    def invoke(self, *_a, **_k):  # pragma: no cover
        raise AssertionError("no model call in this benchmark")

    stream = invoke


_FENCE = re.compile(r'<资料 编号="(\d+)" 地区="([^"]*)"[^>]*>\n(.*?)\n</资料 ', re.S)


class _CopyingModel:
    """A faithful stand-in: its answer is the passages it was sent, region first, every sentence
    with the passage's [n]."""

    def invoke(self, messages, *_a, **_k):
        user = messages[-1][1]
        parts = [_cited(("" if region == "未注明" else region) + body.strip("，,。；; "), int(n))
                 for n, region, body in _FENCE.findall(user)]
        return SimpleNamespace(content="".join(parts))

    stream = None  # never streamed here


def _end_to_end(assistant, questions) -> None:
    llm = LLMAnswerer(LLMConfig(base_url="http://127.0.0.1:9/v1", model="copying"), assistant.answerer,
                      model=_CopyingModel())
    tally = {"llm": Counter(), "extractive": Counter()}
    reasons: Counter = Counter()
    used = 0
    worse: list[str] = []  # questions the extractive answer gets right and the llm path does not
    times: list[float] = []
    for q in questions:
        analysis = analyze(q.question)
        chunks = [Chunk.from_dict(d.metadata["chunk"]) for d in assistant.retriever.invoke(analysis.normalized)]
        t0 = time.perf_counter()
        answer = llm(analysis, chunks)
        times.append((time.perf_counter() - t0) * 1000)
        answer.retrieved = chunks
        if answer.answerer == "llm":
            used += 1
        else:
            reasons[re.sub(r"[：:].*", "", answer.fallback_reason or "")] += 1
        right = {}
        for name, a in (("llm", answer), ("extractive", assistant.answerer(analysis, chunks))):
            a.retrieved = chunks
            s = score(q, a)
            tally[name]["correct"] += s.correct
            tally[name]["confidently wrong"] += s.confidently_wrong
            right[name] = s.correct
        if right["extractive"] and not right["llm"]:
            worse.append(f"{q.id}: {answer.answer[:80]}")
    n = len(questions)
    print(f"end to end, a model copying its passages: {n} questions; the model's answer used {used}, "
          f"fell back {n - used}")
    for reason, count in reasons.most_common(5):
        print(f"  fell back {count}: {reason}")
    for name, t in tally.items():
        print(f"  {name:<11} correct {t['correct']}/{n} ({100 * t['correct'] / n:.1f}%), "
              f"confidently wrong {t['confidently wrong']}")
    for w in worse:
        print("  right extractive, wrong llm:", w)
    times.sort()
    print(f"  llm path per question (extractive + prompt + check): p50 {statistics.median(times):.1f} ms, "
          f"p95 {times[int(0.95 * (len(times) - 1))]:.1f} ms")


def _cited(text: str, marker: int) -> str:
    """``text`` with ``[marker]`` before the end of each of its sentences."""
    out = []
    for s, e in split_sentences(text):
        sentence = text[s:e]
        bare = sentence.rstrip(SENTENCE_END)
        out.append(f"{bare}[{marker}]{sentence[len(bare):] or '。'}")
    return "".join(out)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index-dir", type=Path, default=None)
    ap.add_argument("--questions", type=Path, default=QUESTIONS)
    ap.add_argument("--no-end-to-end", dest="end_to_end", action="store_false")
    args = ap.parse_args(argv)
    assistant = open_assistant(args.index_dir)
    llm = LLMAnswerer(LLMConfig(base_url="http://127.0.0.1:9/v1", model="none"), assistant.answerer, model=_NoModel())
    questions = load_questions(args.questions).questions
    regions = sorted({d["meta"].get("city") for d in assistant.index.documents.values() if d["meta"].get("city")})
    counts = {k: [0, 0] for k in ("faithful", "figure changed", "region changed", "citation not given")}
    times: list[float] = []
    missed = skipped = 0
    failures: list[str] = []
    for q in questions:
        if not q.answerable:
            continue
        analysis = analyze(q.question)
        chunks = [Chunk.from_dict(d.metadata["chunk"]) for d in assistant.retriever.invoke(analysis.normalized)]
        selected = assistant.answerer(analysis, chunks)
        passages = llm.passages(selected)
        if not passages:
            missed += 1  # the extractive answerer refused: the model would not be called
            continue
        hit = passages[0]
        region = hit.citation.city or ""
        span = hit.text.strip("，,。；; ")
        if "\n" in span or "\t" in span:
            skipped += 1  # a table row: a model would write a sentence, not copy the row
            continue
        # the figure the question is about: the last one with a unit other than a date
        # (answer.figures reads it: written in Arabic digits, so that one digit can be changed)
        figures = [f for f in quantities(span) if f.dimension not in ("date", "number")
                   and span[f.start:f.start + len(f.number)] == f.number]
        if not figures:
            skipped += 1
            continue
        figure = figures[-1]
        n = hit.marker
        digits_end = figure.start + len(figure.number)
        bumped = str(int(float(figure.number)) + 1) if "." not in figure.number else figure.number + "1"
        other = next((r for r in regions if r != region and r[:2] != region[:2]), "北京市")
        changed = f"{span[:figure.start]}{bumped}{span[digits_end:]}"
        variants = {  # every sentence cites, as the prompt asks
            "faithful": _cited(region + span, n),
            "figure changed": _cited(region + changed, n),
            "region changed": _cited(other + span, n),
            "citation not given": _cited(region + span, max(p.marker for p in passages) + 1),
        }
        dimension = assistant.answerer.asked_dimension(analysis)
        for name, text in variants.items():
            t0 = time.perf_counter()
            result = llm.verify(analysis, text, passages, selected, dimension)
            times.append((time.perf_counter() - t0) * 1000)
            passed = not isinstance(result, str)
            counts[name][0] += passed
            counts[name][1] += 1
            if passed != (name == "faithful"):
                failures.append(f"{name}: {q.id}: {text} → {'passed' if passed else result}")
    print(f"questions: {len(questions)}; checked: {counts['faithful'][1]}; extractive refused (no model call): "
          f"{missed}; table rows or spans without a figure: {skipped}")
    for name, (ok, total) in counts.items():
        print(f"  {name:<20} passed the check {ok}/{total}" + (" (should all pass)" if name == "faithful"
                                                                  else " (should all fail)"))
    times.sort()
    print(f"check time per answer: p50 {statistics.median(times):.2f} ms, "
          f"p95 {times[int(0.95 * (len(times) - 1))]:.2f} ms, max {times[-1]:.2f} ms ({len(times)} answers)")
    for f in failures[:20]:
        print("  wrong outcome:", f)
    if args.end_to_end:
        _end_to_end(assistant, questions)


if __name__ == "__main__":
    main()
