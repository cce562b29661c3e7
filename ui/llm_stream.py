"""The chat turn when the LLM answerer is on: the answer streams into the chat as the
model writes it; when it completes, the checked answer replaces the stream.

If the check (or the model call) fails, the extractive answer replaces the streamed
text, with one quiet line saying so. Nothing here decides what is correct: that is
``assistant/llm.py``; this only turns its events into chat messages.
"""
from __future__ import annotations

import html
from typing import Any, Iterator

from assistant.llm import stream_answer
from assistant.present import citation_label
from ingest.errors import CivilQAError
from ingest.safe_text import replace_surrogates

from .limits import trim_history
from .render import ECHO_CHARS, format_answer, source_html

LLM_NOTE = "*由大模型依据资料作答；数字与引用已逐一核对。*"
FALLBACK_NOTE = "*大模型的回答未通过核对或未能取得，以上为从原文摘录的答案。*"
CURSOR = "▍"


def streams(assistant: Any) -> bool:
    """Whether the chat should stream: the assistant answers with an LLM."""
    return getattr(assistant, "llm", None) is not None


def final_message(answer: dict[str, Any]) -> str:
    text = format_answer(answer)
    if answer.get("answerer") == "llm":
        return text + "\n\n" + LLM_NOTE
    if answer.get("fallback_reason"):
        return text + "\n\n" + FALLBACK_NOTE
    return text


def stream_chat_turn(assistant: Any, message: str, history: list[dict[str, Any]] | None
                     ) -> Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]]:
    """Like ``ui.app.chat_turn`` (follow-ups resolved against ``history`` too) but a generator:
    (history, citations, choices) for each streamed piece (no citations yet), then once more
    for the checked answer."""
    earlier = trim_history(history)
    message = replace_surrogates(message) if isinstance(message, str) else message
    base = earlier + [{"role": "user", "content": html.escape(message or "")}]
    try:
        for event in stream_answer(assistant, message, earlier):
            if isinstance(event, str):
                partial = html.escape(event).replace("\n", "  \n")
                yield base + [{"role": "assistant", "content": partial + CURSOR}], [], []
            else:
                answer = event.to_dict()
                cits = answer["citations"]
                yield (base + [{"role": "assistant", "content": final_message(answer)}], cits,
                       [citation_label(c) for c in cits])
    except CivilQAError as exc:
        shown = message or ""
        if len(shown) > ECHO_CHARS:  # as chat_turn: a refused huge question is not sent back whole
            shown = f"{shown[:ECHO_CHARS]}…（共 {len(shown)} 字）"
        yield earlier + [{"role": "user", "content": html.escape(shown)},
                         {"role": "assistant", "content": html.escape(f"⚠️ {exc}")}], [], []


def streaming_handler(assistant: Any):
    """The 问答 tab's ask handler when streaming: same inputs (message, history) and outputs
    (chat, citations state, citation picker, source pane, question box) as ``on_ask``."""
    import gradio as gr

    def on_ask_stream(message, history):
        for hist, cits, choices in stream_chat_turn(assistant, message, history):
            if cits:
                first = source_html(assistant.document_text(cits[0]["source"]), cits[0])
            elif choices == [] and hist and hist[-1]["content"].endswith(CURSOR):
                first = "<div class='civilqa-meta'>正在生成答案…</div>"
            else:
                first = "<div class='civilqa-meta'>本次回答没有引用。</div>"
            yield hist, cits, gr.update(choices=choices, value=choices[0] if choices else None), first, ""

    return on_ask_stream
