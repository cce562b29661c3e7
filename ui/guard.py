"""An ASGI middleware in front of Gradio's app: bounded request bodies, nothing before login,
and a per-address limit on failed logins.

- **Body size.** A body larger than ``MAX_REQUEST_BYTES`` (uploads: ``MAX_UPLOAD_FILES`` files of
  the upload limit) is refused with HTTP 413 before it is read; a body without Content-Length
  is read up to the limit and refused past it. Gradio itself reads any body whole.
- **Before login** (when the app has a login): only the login page, its static assets and the
  login route answer; everything else is 401 (``startup-events``: loopback clients only, as
  Gradio's own start-up check needs it). The login page is the one Gradio renders, minus
  the API description Gradio embeds in it (``window.gradio_api_info``: every endpoint with
  examples, i.e. file names and the document table).
- **Failed logins per address.** ``LOGIN_FAILURES_PER_IP`` failed logins within
  ``LOGIN_WINDOW_S`` from one client address, and that address gets 429 for the rest of the
  window whatever the user name (``ui.auth.Authenticator`` limits failures per user name).

Installed through ``launch(app_kwargs={"middleware": [...]})`` (``ui.app.launch``).
"""
from __future__ import annotations

import json
import re
import threading
import time
from collections import OrderedDict
from typing import Any, Callable

from ingest.loading import MAX_FILE_BYTES

from .limits import MAX_REQUEST_BYTES, MAX_UPLOAD_FILES

LOGIN_FAILURES_PER_IP = 20
LOGIN_WINDOW_S = 300.0
MAX_TRACKED_ADDRESSES = 10_000
MULTIPART_OVERHEAD = 1024 * 1024

# Reachable without login: the page (Gradio shows its login form), its static files, logging in.
_OPEN_EXACT = {"/", "/login", "/login/", "/favicon.ico", "/manifest.json", "/theme.css", "/robots.txt",
               "/gradio_api/login_check", "/gradio_api/login_check/"}
_OPEN_PREFIXES = ("/assets/", "/static/", "/svelte/", "/gradio_api/static/")
# Gradio's launch() checks this route itself, without a login, from the server's own address:
# it stays open to loopback clients only (it runs the app's start-up events, returns true).
_LOOPBACK_ONLY = {"/gradio_api/startup-events"}
_LOOPBACK = {"127.0.0.1", "::1"}
_API_INFO = re.compile(rb"window\.gradio_api_info = .*?;</script>", re.S)
_NO_API_INFO = b'window.gradio_api_info = {"named_endpoints": {}, "unnamed_endpoints": {}};</script>'


def _header(scope: dict[str, Any], name: bytes) -> bytes | None:
    for k, v in scope.get("headers") or []:
        if k.lower() == name:
            return v
    return None


async def _reply(send, status: int, message: str, extra: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps({"detail": message}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())] + (extra or [])})
    await send({"type": "http.response.body", "body": body})


def logged_in(scope: dict[str, Any], app: Any) -> bool:
    """Whether the request carries a session cookie Gradio issued (its own check, ``get_current_user``)."""
    from starlette.requests import Request

    cookies = Request(scope).cookies
    cookie_id = getattr(app, "cookie_id", "")
    token = cookies.get(f"access-token-{cookie_id}") or cookies.get(f"access-token-unsecure-{cookie_id}")
    return bool(token) and token in getattr(app, "tokens", {})


class LoginThrottle:
    """Failed logins per client address within a window; at most ``max_addresses`` tracked (LRU)."""

    def __init__(self, max_failures: int = LOGIN_FAILURES_PER_IP, window: float = LOGIN_WINDOW_S,
                 max_addresses: int = MAX_TRACKED_ADDRESSES, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_failures, self.window, self.max_addresses = max_failures, window, max_addresses
        self._clock = clock
        self._failures: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def blocked(self, address: str) -> bool:
        now = self._clock()
        with self._lock:
            recent = [t for t in self._failures.get(address, []) if now - t < self.window]
            if recent:
                self._failures[address] = recent
            else:
                self._failures.pop(address, None)
            return len(recent) >= self.max_failures

    def failed(self, address: str) -> None:
        now = self._clock()
        with self._lock:
            self._failures.setdefault(address, []).append(now)
            self._failures.move_to_end(address)
            del self._failures[address][:-self.max_failures]
            while len(self._failures) > self.max_addresses:
                self._failures.popitem(last=False)


class Guard:
    def __init__(self, app, max_body: int = MAX_REQUEST_BYTES, max_upload: int | None = None,
                 throttle: LoginThrottle | None = None) -> None:
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload or MAX_UPLOAD_FILES * MAX_FILE_BYTES + MULTIPART_OVERHEAD
        self.throttle = throttle or LoginThrottle()

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        gradio = scope.get("app")
        gated = getattr(gradio, "auth", None) is not None and not logged_in(scope, gradio)
        loopback = (scope.get("client") or ("", 0))[0] in _LOOPBACK
        if gated and path not in _OPEN_EXACT and not path.startswith(_OPEN_PREFIXES) \
                and not (loopback and path in _LOOPBACK_ONLY):
            if scope["type"] == "websocket":
                return await send({"type": "websocket.close", "code": 1008})
            return await _reply(send, 401, "请先登录（Not authenticated）")
        if scope["type"] == "websocket":
            return await self.app(scope, receive, send)
        limit = self.max_upload if path.rstrip("/").endswith("/upload") else self.max_body
        declared = _header(scope, b"content-length")
        try:
            length = int(declared) if declared is not None else None
        except ValueError:
            return await _reply(send, 400, "请求头 Content-Length 无效（invalid Content-Length）")
        if length is not None and length > limit:
            return await _reply(send, 413, _too_large(length, limit))
        if length is None and scope.get("method") in ("POST", "PUT", "PATCH"):
            body, ok = await _read_bounded(receive, limit)
            if not ok:
                return await _reply(send, 413, _too_large(None, limit))
            receive = _replay(body, receive)
        if path.rstrip("/") == "/login" and scope.get("method") == "POST":
            return await self._login(scope, receive, send)
        if gated and scope.get("method") == "GET" and path == "/":
            return await self.app(scope, receive, _scrub_page(send))
        return await self.app(scope, receive, send)

    async def _login(self, scope, receive, send) -> None:
        address = (scope.get("client") or ("?", 0))[0]
        if self.throttle.blocked(address):
            minutes = max(1, round(self.throttle.window / 60))
            return await _reply(send, 429, f"登录失败次数过多：本地址在 {minutes} 分钟内失败 "
                                           f"{self.throttle.max_failures} 次，请稍后再试（too many failed logins）",
                                [(b"retry-after", str(int(self.throttle.window)).encode())])

        async def watch(message):
            if message["type"] == "http.response.start" and message["status"] in (400, 401, 403):
                self.throttle.failed(address)
            await send(message)

        return await self.app(scope, receive, watch)


def _too_large(length: int | None, limit: int) -> str:
    size = f"{length} 字节" if length is not None else f"超过 {limit} 字节"
    return f"请求过大：{size}，上限 {limit} 字节（request body too large）"


async def _read_bounded(receive, limit: int) -> tuple[bytes, bool]:
    parts, total = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(parts), True
        chunk = message.get("body", b"")
        total += len(chunk)
        if total > limit:
            return b"", False
        parts.append(chunk)
        if not message.get("more_body"):
            return b"".join(parts), True


def _replay(body: bytes, receive):
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _scrub_page(send):
    """Buffer the HTML page (a few KB) and blank Gradio's embedded API description."""
    start: dict[str, Any] = {}
    parts: list[bytes] = []

    async def scrubbed(message):
        if message["type"] == "http.response.start":
            start.update(message)
            return
        if message["type"] != "http.response.body":
            return await send(message)
        parts.append(message.get("body", b""))
        if message.get("more_body"):
            return
        body = _API_INFO.sub(lambda _: _NO_API_INFO, b"".join(parts), count=1)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        await send({**start, "headers": headers + [(b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    return scrubbed
