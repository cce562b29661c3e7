"""Optional LLM answers through any OpenAI-compatible endpoint, verified before use.

``LLMAnswerer(config, extractive)(analysis, chunks) -> Answer`` is the ``llm``
answerer of the chain (``Assistant(answerer="llm")``). For each question it

1. runs the extractive answerer first: its answer has selected the facts and sentences that
   answer the question within its scope (the places and period asked, the kind of figure
   asked). When it answers nothing (a refusal: another place, another year, nothing found),
   that refusal is the answer and the model is never called, so a model never sees the facts
   of a place the question did not ask about;
2. builds a Chinese prompt (:mod:`assistant.llm_prompt`) from exactly those cited spans, numbered as in the extractive
   answer, each with its region, year and title, fenced by a per-request random tag and
   labelled as data, never instructions, with the instruction to cite every statement; a
   span is quoted through the injection filter (from a sentence that talks to a model to the
   end of the span the text is hidden from the model and from the check); the question is
   cut to ``MAX_QUESTION_CHARS``;
3. calls the model (:class:`assistant.llm_client.ChatClient`: ``langchain_openai.ChatOpenAI``,
   imported only then) with a timeout per attempt and at most ``max_retries`` retries
   (timeouts, connection errors, 429 and 5xx only; 0.5 s apart), streaming when asked;
4. checks the answer as the extractive one is checked (``grounding.check_claims`` and
   ``answer.invariants``): every [n] is a span given, every figure with its unit is in a cited
   span, every place named is the cited span's, the wording comes from the cited spans, an
   answer has a body and a citation, a figure question is answered with a figure of the asked
   kind — and it is one the extractive answer states (the same fact, so the English first
   line, derived from the answer's figure, is of the same fact), and nothing of the hidden text
   comes back.

Any failure — timeout, HTTP error, malformed response, failed check — returns
the extractive answer with ``answerer="extractive"`` and ``fallback_reason``.
The API key is sent in the Authorization header only: it is never part of a
reason, an error message, a log line or ``repr(config)``.
"""
from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Callable, Iterator

from ingest.document import Chunk

from .answer.figures import of_dimension, quantity_occurs
from .answer.wider import wider_level
from .answer.invariants import body, violations
from .grounding import REFUSAL, check_claims, claims, sentences
from .llm_client import ChatClient, LLMFailure, classify  # noqa: F401 (re-exported)
from .llm_config import (  # noqa: F401 (re-exported: the answerer's settings)
    DEFAULT_MAX_RETRIES,
    DEFAULT_TEMPERATURE,
    DEFAULT_TIMEOUT,
    MAX_PASSAGES,
    LLMConfig,
    resolve,
)
from .llm_prompt import (  # noqa: F401 (re-exported: the prompt's pieces)
    HIDDEN,
    MAX_QUESTION_CHARS,
    SYSTEM_PROMPT,
    Passage,
    build_messages,
    clean_answer,
    hidden_leak,
    hide_instructions,
    passages_from,
    visible,
)
from .types import Answer
from .vocabulary import fact_words

if TYPE_CHECKING:  # pragma: no cover
    from .extractive import ExtractiveAnswerer
    from .query import QueryAnalysis

log = logging.getLogger("civilqa.llm")
log.addHandler(logging.NullHandler())  # silent unless the application configures logging

MAX_ANSWER_CHARS = 2000  # a longer answer is not used


class LLMAnswerer:
    """The ``llm`` answerer. ``fallback`` is the extractive answerer (always computed first:
    it is fast, and is the answer whenever the model's cannot be used)."""

    name = "llm"

    def __init__(self, config: LLMConfig, fallback: "ExtractiveAnswerer", model: Any = None) -> None:
        self.config = config
        self.fallback = fallback
        self.client = ChatClient(config, model)

    def describe(self) -> str:
        return self.client.describe()

    # -- one question ----------------------------------------------------------------------
    def __call__(self, analysis: "QueryAnalysis", chunks: list[Chunk],
                 on_delta: Callable[[str], None] | None = None,
                 extractive: "ExtractiveAnswerer | None" = None) -> Answer:
        """``extractive``: the answerer of the index being served (after a reload, the new one)."""
        ex = extractive or self.fallback
        t0 = time.perf_counter()
        timings: dict[str, float] = {}
        fallback = ex(analysis, chunks)
        timings["extractive"] = (time.perf_counter() - t0) * 1000
        if wider_level(fallback):  # a city's level for its county, said as such: the model could drop that
            return _fell_back(fallback, "答案是所属上级地区的标准（已注明），未调用大模型（a wider region's level）", timings)
        passages = self.passages(fallback, ex)
        if not passages:
            return _fell_back(fallback, "资料中没有与问题所问地区、年份、事项相符的可核实内容，未调用大模型"
                                        "（nothing selected in scope）", timings)
        messages = build_messages(analysis.question, passages)
        t1 = time.perf_counter()
        try:
            raw = self.client.complete(messages, on_delta)
        except LLMFailure as exc:
            timings["llm"] = (time.perf_counter() - t1) * 1000
            return self._fail(fallback, exc.reason, timings)
        timings["llm"] = (time.perf_counter() - t1) * 1000
        t2 = time.perf_counter()
        result = self.verify(analysis, clean_answer(raw), passages, fallback, ex.asked_dimension(analysis))
        timings["check"] = (time.perf_counter() - t2) * 1000
        if isinstance(result, str):
            return self._fail(fallback, result, timings)
        result.timings_ms.update(timings)
        return result

    def passages(self, selected: Answer, extractive: "ExtractiveAnswerer | None" = None) -> list[Passage]:
        """What the model is given: the spans the extractive answer selected and cites, when it
        answers (a refusal, also one showing a wider region's figure, gives nothing); a table
        row with its table's header (from the documents of ``extractive``, the one answering)."""
        if not selected.answerable:
            return []
        documents = (extractive or self.fallback).documents
        return passages_from(selected, self.config.max_passages,
                             {c.source: documents[c.source]["text"] for c in selected.citations if c.source in documents})

    def verify(self, analysis: "QueryAnalysis", text: str, passages: list[Passage],
               selected: Answer | None = None, dimension: str | None = None) -> Answer | str:
        """The checked answer, or why it failed. ``selected``: the extractive answer the passages
        come from; ``dimension``: the kind of figure asked (``ExtractiveAnswerer.asked_dimension``)."""
        if not text:
            return "大模型返回了空答案（empty answer）"
        if len(text) > MAX_ANSWER_CHARS:
            return f"大模型答案过长（{len(text)} 字，上限 {MAX_ANSWER_CHARS} 字）"
        grounds = {p.marker: p.grounds() for p in passages}
        ok, problems = check_claims(text, [p.checked() for p in passages], analysis.question)
        leaked = hidden_leak(text, passages, analysis.question)
        if leaked:
            problems.insert(0, f"答案含有资料中被隐去的指令内容“{leaked}”")
            ok = False
        if REFUSAL not in text:  # must cite: a statement without its [n] is checked by nothing
            problems += [f"“{sent[:20]}”没有标注引用" for sent, markers in claims(text)
                         if not markers and not sent.rstrip().endswith(("：", ":"))]
            ok = ok and not problems
        if not ok:
            return "大模型答案未通过核对（check failed）：" + "；".join(problems[:3])
        cited = sorted({m for _, ms in sentences(text) for m in ms if m in grounds})
        citations = [grounds[m] for m in cited]
        answerable = bool(citations) or REFUSAL not in text
        if citations:
            # the answer layer's invariants, as for the extractive answer: a 多少 question's cited
            # span holds a figure of the asked kind; a narrowing word (原来, 带什么) is spoken to
            wrong = violations(text, answerable, citations, dimension,
                               question=analysis.normalized, must_cite=fact_words().must_cite)
            if not wrong and dimension and selected is not None:
                wrong = _other_fact(text, selected.answer, dimension)
            if wrong:
                return "大模型答案未通过核对（check failed）：" + "；".join(wrong[:3])
        return Answer(question=analysis.question, answer=text, answerable=answerable, citations=citations,
                      answerer=self.name)

    def _fail(self, fallback: Answer, reason: str, timings: dict[str, float]) -> Answer:
        reason = self.redact(reason)
        log.warning("LLM answer not used (%s): %s", self.describe(), reason)
        return _fell_back(fallback, reason, timings)

    def redact(self, text: str) -> str:
        key = self.config.api_key
        return text.replace(key, "***") if key else text

def _other_fact(text: str, selected: str, dimension: str) -> list[str]:
    """A figure question: the model's answer states a figure of the asked kind that the extractive
    answer states (the same fact), or it answers with another figure of its cited spans."""
    mine = of_dimension(body(text), dimension)
    theirs = of_dimension(body(selected), dimension)
    if not theirs or any(quantity_occurs(q, selected) for q in mine):
        return []
    return [f"答案的数字（{'、'.join(q.text for q in mine[:3])}）不是所选资料回答问题的数字"
            f"（{'、'.join(q.text for q in theirs[:3])}）"]


def _fell_back(fallback: Answer, reason: str, timings: dict[str, float]) -> Answer:
    out = replace(fallback, answerer="extractive", fallback_reason=reason, timings_ms=dict(fallback.timings_ms))
    out.timings_ms.update(timings)
    return out


# -- streaming to a UI ---------------------------------------------------------------------
def stream_answer(assistant: Any, question: str, history: Any = None) -> Iterator[str | Answer]:
    """Run ``assistant.ask`` in a thread, yielding the visible answer text as the model writes
    it, then the final (checked) ``Answer``. Errors raised by ``ask`` are raised here."""
    events: queue.Queue = queue.Queue()

    def run() -> None:
        try:
            events.put(("final", assistant.ask(question, history or None,
                                               on_delta=lambda text: events.put(("delta", text)))))
        except BaseException as exc:  # noqa: BLE001 - re-raised in the consumer
            events.put(("error", exc))

    threading.Thread(target=run, name="civilqa-llm-stream", daemon=True).start()
    while True:
        kind, value = events.get()
        if kind == "delta":
            yield value
        elif kind == "final":
            yield value
            return
        else:
            raise value
