"""A real HTTP server speaking the OpenAI chat-completions protocol, for tests.

It listens on a free localhost port (``http.server`` in a thread) and answers
``POST /v1/chat/completions`` with scripted replies, as plain JSON or, when the
request says ``"stream": true``, as server-sent events (``data: {...}`` chunks
carrying ``choices[0].delta.content``, then ``data: [DONE]``). Every request is
recorded (path, headers, JSON body) so tests can check what the model was sent.

Replies are played in order; the last one repeats (so retries see it too)::

    server.play(text("焦作市…4524元[1]。"))
    server.play(status(500), text("…"))     # a 500, then a good answer
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    kind: str  # text | status | raw | raw_stream
    content: str = ""
    status: int = 200
    delay: float = 0.0  # seconds before the response starts
    chunk_delay: float = 0.0  # seconds between streamed chunks
    chunk_chars: int = 4  # characters per streamed delta
    lines: tuple[str, ...] = ()  # raw SSE data lines (raw_stream)


def text(content: str, delay: float = 0.0, chunk_delay: float = 0.0, chunk_chars: int = 4) -> Reply:
    return Reply("text", content, delay=delay, chunk_delay=chunk_delay, chunk_chars=chunk_chars)


def status(code: int, body: str | None = None) -> Reply:
    return Reply("status", body if body is not None else json.dumps(
        {"error": {"message": f"scripted error {code}", "type": "server_error", "code": code}}), status=code)


def raw(body: str) -> Reply:
    """A 200 whose body is whatever is given (e.g. not JSON)."""
    return Reply("raw", body)


def raw_stream(*lines: str) -> Reply:
    """A 200 event stream made of exactly these ``data:`` payloads."""
    return Reply("raw_stream", lines=lines)


def stall(seconds: float) -> Reply:
    """Accept the request, then say nothing for ``seconds`` (a client timeout)."""
    return Reply("text", "（迟到的回答）", delay=seconds)


class ScriptedOpenAI:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self._script: list[Reply] = [text("资料中没有相关内容。")]
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="scripted-openai", daemon=True)

    # -- control ---------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> "ScriptedOpenAI":
        self._thread.start()
        return self

    def close(self) -> None:
        if self._thread.is_alive():
            self._httpd.shutdown()
        self._httpd.server_close()

    def play(self, *replies: Reply) -> None:
        with self._lock:
            self._script = list(replies)
            self.requests.clear()

    def _next(self) -> Reply:
        with self._lock:
            return self._script.pop(0) if len(self._script) > 1 else self._script[0]

    def prompt(self, i: int = -1) -> str:
        """All message contents of request ``i``, joined (what the model was shown)."""
        return "\n".join(str(m.get("content")) for m in self.requests[i]["body"].get("messages", []))

    # -- the protocol ---------------------------------------------------------------
    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                data = self.rfile.read(length)
                try:
                    body = json.loads(data.decode("utf-8"))
                except ValueError:
                    body = {"_unparsed": data.decode("utf-8", "replace")}
                with server._lock:
                    server.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(404, json.dumps({"error": {"message": "not found"}}))
                    return
                reply = server._next()
                time.sleep(reply.delay)
                try:
                    if reply.kind == "status":
                        self._send(reply.status, reply.content)
                    elif reply.kind == "raw":
                        self._send(200, reply.content)
                    elif reply.kind == "raw_stream":
                        self._stream_lines(list(reply.lines), 0.0)
                    elif body.get("stream"):
                        self._stream_text(reply, body)
                    else:
                        self._send(200, json.dumps(_completion(reply.content, body), ensure_ascii=False))
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout): nothing to do

            def _send(self, code: int, payload: str, ctype: str = "application/json") -> None:
                data = payload.encode("utf-8")
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _stream_text(self, reply: Reply, body: dict[str, Any]) -> None:
                model = body.get("model", "scripted")
                pieces = [reply.content[i:i + reply.chunk_chars]
                          for i in range(0, len(reply.content), reply.chunk_chars)]
                lines = [json.dumps(_chunk(model, {"role": "assistant", "content": ""}, None))]
                lines += [json.dumps(_chunk(model, {"content": p}, None), ensure_ascii=False) for p in pieces]
                lines += [json.dumps(_chunk(model, {}, "stop")), "[DONE]"]
                self._stream_lines(lines, reply.chunk_delay)

            def _stream_lines(self, lines: list[str], delay: float) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.end_headers()
                for line in lines:
                    self.wfile.write(f"data: {line}\n\n".encode("utf-8"))
                    self.wfile.flush()
                    if delay:
                        time.sleep(delay)

        return Handler


def _completion(content: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"id": "chatcmpl-scripted", "object": "chat.completion", "created": int(time.time()),
            "model": body.get("model", "scripted"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                         "finish_reason": "stop", "logprobs": None}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}


def _chunk(model: str, delta: dict[str, Any], finish: str | None) -> dict[str, Any]:
    return {"id": "chatcmpl-scripted", "object": "chat.completion.chunk", "created": int(time.time()),
            "model": model, "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}]}


def llm_assistant(index_dir, embedder, server: ScriptedOpenAI, api_key: str, **config: Any):
    """A real ``Assistant`` whose llm answerer talks to ``server``."""
    from assistant.chain import Assistant
    from assistant.llm import LLMConfig

    settings = {"timeout": 1.0, "max_retries": 1, **config}
    cfg = LLMConfig(base_url=server.base_url, model="scripted-qwen", api_key=api_key, **settings)
    return Assistant(index_dir, embedder, answerer="llm", llm=cfg)
