"""``civilqa ask`` over several questions: batch lines, sessions, the interactive prompt.

- Batch (default): one question per stdin line, one JSON answer per line, no memory
  between lines.
- A line may be JSON instead: ``{"question": "那农村的呢？", "history": [...]}``;
  ``history`` lists earlier questions (strings, oldest first), chat messages
  ``{"role", "content"}`` or earlier answers as printed here (their
  ``resolved_question`` is used). That line's follow-up is resolved against it.
- ``--session``: every line is a follow-up candidate of the lines before it
  (a JSON line's own ``history`` wins).
- A terminal on stdin: an interactive prompt with follow-ups, readable answers.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Iterable, TextIO

from ingest.errors import CivilQAError, InputError
from ingest.safe_text import decode_line, replace_surrogates

MAX_LINE_BYTES = 64 * 1024  # one stdin line read at most (a question is at most 500 characters)
MAX_HISTORY = 50  # earlier turns kept; only the last one is used to resolve a follow-up


def parse_line(line: str, lineno: int) -> tuple[str, list[Any] | None]:
    """A stdin line → (question, history or None). Raises InputError for bad JSON lines."""
    text = line.strip()
    if not text.startswith("{"):
        return line.rstrip("\n"), None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"第{lineno}行不是合法的 JSON：{e.msg}（第{e.colno}列）"
                         f"（line {lineno} is not valid JSON: {e.msg} at column {e.colno}）") from None
    if not isinstance(obj, dict) or not isinstance(obj.get("question"), str):
        raise InputError(f"第{lineno}行的 JSON 需要字符串字段 question"
                         f"（line {lineno}: a JSON line needs a string field \"question\"）")
    unknown = set(obj) - {"question", "history"}
    if unknown:
        raise InputError(f"第{lineno}行的 JSON 有未知字段：{', '.join(sorted(unknown))}，只能有 question 和 history"
                         f"（line {lineno}: unknown fields {sorted(unknown)}; only question and history）")
    history = obj.get("history")
    if history is not None:
        if not isinstance(history, list) or not all(isinstance(h, (str, dict)) for h in history):
            raise InputError(f"第{lineno}行的 history 应为列表，元素是问题字符串或消息对象"
                             f"（line {lineno}: history must be a list of question strings or message objects）")
    return obj["question"], history


def stdin_lines(stream: TextIO) -> Iterable[str]:
    """The lines of a text stream read as bytes: invalid UTF-8 becomes U+FFFD in that line only
    (Python's own stdin would raise, or turn them into surrogates, and end the batch)."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        yield from stream
        return
    while True:
        raw = buffer.readline(MAX_LINE_BYTES)
        if not raw:
            return
        if len(raw) == MAX_LINE_BYTES and not raw.endswith(b"\n"):
            # a line longer than any question could be: its start is kept (and refused as too long
            # by the question check, echo cut), the rest is read and dropped in bounded pieces
            while (more := buffer.readline(MAX_LINE_BYTES)) and not more.endswith(b"\n"):
                pass
        yield decode_line(raw)


def run_batch(assistant, lines: Iterable[str], out: TextIO, session: bool = False) -> bool:
    """Answer each line; returns False when some line failed (its error is printed as JSON).
    Lone surrogates (an argument or a JSON ``"\\ud800"``) become U+FFFD: no line ends the batch."""
    ok = True
    history: list[dict[str, Any]] = []
    for lineno, line in enumerate(lines, 1):
        line = replace_surrogates(line)
        if not line.strip():
            continue
        try:
            question, own = parse_line(line, lineno)
            question = replace_surrogates(question)
            if own is not None:
                own = json.loads(replace_surrogates(json.dumps(own, ensure_ascii=False)))
            answer = assistant.ask(question, own if own is not None else (history if session else None))
            result = answer.to_dict()
            if session:
                history = (history + [result])[-MAX_HISTORY:]
        except CivilQAError as exc:
            result = {"question": line.strip()[:200], "error": str(exc), "line": lineno}
            ok = False
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return ok


def run_interactive(assistant, show: Callable[[Any], None], say: Callable[[str], None],
                    read: Callable[[str], str] = input) -> None:
    """A prompt loop: follow-ups are resolved against the conversation so far."""
    say("请输入问题，回车提问；可以追问（如“那农村的呢？”）。输入“退出”或按 Ctrl-D 结束。")
    history: list[dict[str, Any]] = []
    while True:
        try:
            question = read("问：")
        except (EOFError, KeyboardInterrupt):
            say("")
            return
        if question.strip() in ("退出", "exit", "quit", "q"):
            return
        if not question.strip():
            continue
        try:
            answer = assistant.ask(question, history)
        except CivilQAError as exc:
            say(f"错误：{exc}")
            continue
        show(answer)
        history = (history + [answer.to_dict()])[-MAX_HISTORY:]
