"""What one request may make the web app do: the limits, each with its reason.

Every value is listed in docs/operations.md (§5). The request body limit is enforced before
Gradio reads the body (``ui.guard``); the history limits on what the 提问 handler keeps.
"""
from __future__ import annotations

from typing import Any

from ingest.safe_text import replace_surrogates

# A request body (JSON of a button press) beyond this is refused with HTTP 413 before it is read:
# a question (500 characters) plus a chat history at its limit below is under 200 KB.
MAX_REQUEST_BYTES = 1024 * 1024
# Files per upload request (the 知识库管理 tab): each one is parsed and may be embedded; a file
# larger than a source file the ingest reads (ingest/loading.py) is refused (HTTP 413 from Gradio).
from assistant.kb import MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES  # noqa: E402,F401 (checked in add_files; re-exported)
# The chat history a question is answered against and that is sent back: only the last turn
# resolves a follow-up, the rest is what the page shows. Older messages are dropped (never echoed).
MAX_HISTORY_MESSAGES = 40
MAX_HISTORY_CHARS = 60_000


def _chars(message: Any) -> int:
    """A message's size: its text (a string, or Gradio's list of typed parts)."""
    content = message.get("content") if isinstance(message, dict) else message
    if isinstance(content, str):
        return len(content)
    if isinstance(content, list):
        return sum(len(str(p.get("text", ""))) if isinstance(p, dict) else len(str(p)) for p in content)
    return len(str(content))


def trim_history(history: Any) -> list[Any]:
    """The last ``MAX_HISTORY_MESSAGES`` messages that fit in ``MAX_HISTORY_CHARS`` (newest kept).
    Anything that is not a list is no history."""
    if not isinstance(history, list):
        return []
    kept: list[Any] = []
    total = 0
    for message in reversed(history[-MAX_HISTORY_MESSAGES:]):
        total += _chars(message)
        if total > MAX_HISTORY_CHARS:
            break
        kept.append(message)
    kept.reverse()
    # a conversation starts with a question: drop an answer whose question was cut off
    while kept and isinstance(kept[0], dict) and kept[0].get("role") == "assistant":
        kept.pop(0)
    # lone surrogates in an earlier turn (a raw \ud800 in the JSON) would fail the request later
    return [{**m, "content": _clean(m.get("content"))} if isinstance(m, dict) else m for m in kept]


def _clean(content: Any) -> Any:
    """A message's content (a string, or Gradio's list of ``{"type": "text", "text": …}`` parts)
    with lone surrogates replaced."""
    if isinstance(content, str):
        return replace_surrogates(content)
    if isinstance(content, list):
        return [{**p, "text": replace_surrogates(p["text"])} if isinstance(p, dict) and isinstance(p.get("text"), str)
                else p for p in content]
    return content
