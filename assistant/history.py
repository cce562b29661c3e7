"""The previous question of a conversation, read from any history form the callers pass
(plain questions, chat messages, earlier answers' JSON), in its resolved form when the
assistant said how it understood a follow-up (``已理解为：…``)."""
from __future__ import annotations

import html
from typing import Any, Iterable

RESOLVED_PREFIX = "已理解为："


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return _text_of(content.get("text") or content.get("content") or "")
    if isinstance(content, (list, tuple)):
        return "\n".join(_text_of(c) for c in content)
    return ""


def _resolved_in(reply: str) -> str | None:
    for line in reply.splitlines():
        line = line.strip().strip("*_ ")
        if line.startswith(RESOLVED_PREFIX):
            return html.unescape(line[len(RESOLVED_PREFIX):]).strip("*_ ") or None
    return None


def previous_question(history: Iterable[Any] | None, resolved: bool = True) -> str | None:
    """The last question asked before: in its resolved form when it was a follow-up itself,
    or (``resolved=False``) as the user typed it."""
    items = list(history or [])
    for i in range(len(items) - 1, -1, -1):
        item = items[i]
        if isinstance(item, str):
            if item.strip():
                return item.strip()
            continue
        if not isinstance(item, dict):
            continue
        if "role" not in item:  # an earlier answer's JSON
            q = (item.get("resolved_question") if resolved else None) or item.get("question")
            if isinstance(q, str) and q.strip():
                return q.strip()
            continue
        if item.get("role") != "user":
            continue
        asked = html.unescape(_text_of(item.get("content"))).strip()
        for later in items[i + 1:] if resolved else ():
            if isinstance(later, dict) and later.get("role") == "assistant":
                resolved = _resolved_in(_text_of(later.get("content")))
                if resolved:
                    return resolved
                break
        if asked:
            return asked
    return None
