"""Calling the model: ``ChatClient(config).complete(messages, on_delta)`` returns the reply text
or raises :class:`LLMFailure` with a reason that is safe to show (built from the error's type and
HTTP status only: never the key, never the server's body).

Each attempt has the configured timeout; only what may pass on retry is retried (timeouts,
connection errors, 408/409/429, 5xx), at most ``max_retries`` times, ``RETRY_BACKOFF`` apart, and
never once text has been streamed; a stream still writing when the whole budget
((retries + 1) × (timeout + backoff)) is spent is cut. ``langchain_openai`` is imported only
when a client is made.
"""
from __future__ import annotations

import time
from typing import Any, Callable

from ingest.errors import ConfigError

from .llm_config import LLMConfig
from .llm_prompt import visible

MAX_TOKENS = 1024  # asked of the model
RETRY_BACKOFF = 0.5  # seconds between attempts


class LLMFailure(Exception):
    """Why a model answer cannot be used; ``reason`` is safe to show (no key, no raw body)."""

    def __init__(self, reason: str, retryable: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


def classify(exc: BaseException, timeout: float) -> LLMFailure:
    """An exception of the client → a short reason built from its type and status only."""
    if isinstance(exc, LLMFailure):
        return exc
    try:
        import openai
    except ImportError:  # pragma: no cover - langchain-openai depends on it
        openai = None
    if openai is not None:
        if isinstance(exc, openai.APITimeoutError):
            return LLMFailure(f"大模型服务超时（timeout，单次等待超过 {timeout:g} 秒）", True)
        if isinstance(exc, openai.APIConnectionError):
            return LLMFailure("无法连接大模型服务（connection error）", True)
        if isinstance(exc, openai.APIStatusError):
            code = exc.status_code
            hint = {401: "，请检查 API key", 403: "，请检查 API key 的权限", 404: "，请检查服务地址和模型名",
                    429: "，请求过多"}.get(code, "")
            return LLMFailure(f"大模型服务返回错误（HTTP {code}{hint}）", code in (408, 409, 429) or code >= 500)
        if isinstance(exc, openai.APIResponseValidationError):
            return LLMFailure("大模型返回的内容无法解析（malformed response）")
    name = type(exc).__name__
    if isinstance(exc, (ValueError, TypeError, KeyError, AttributeError, IndexError)):
        return LLMFailure(f"大模型返回的内容无法解析（malformed response: {name}）")
    if "timeout" in name.lower():
        return LLMFailure(f"大模型服务超时（timeout，单次等待超过 {timeout:g} 秒）", True)
    return LLMFailure(f"大模型调用失败（{name}）")


class ChatClient:
    """The model behind an OpenAI-compatible endpoint (``model``: any object with LangChain's
    ``invoke``/``stream``, e.g. a stand-in that must never be called)."""

    def __init__(self, config: LLMConfig, model: Any = None) -> None:
        self.config = config
        self.model = model if model is not None else self._make_model()

    def _make_model(self):
        try:
            from langchain_openai import ChatOpenAI
        except ImportError:
            raise ConfigError("使用大模型作答需要安装 langchain-openai：pip install -e '.[llm]'"
                              "（the llm answerer needs the llm extra）") from None
        c = self.config
        # retries are ours (bounded, short backoff, never after streamed text): the client's are off
        return ChatOpenAI(base_url=c.base_url, model=c.model, api_key=c.api_key or "not-needed",
                          temperature=c.temperature, timeout=c.timeout, max_retries=0, max_tokens=MAX_TOKENS)

    def describe(self) -> str:
        return f"{self.config.model} @ {self.config.display_url()}"

    def complete(self, messages: list[tuple[str, str]], on_delta: Callable[[str], None] | None) -> str:
        """The model's reply text. Retries only what may pass on retry, and never once text has
        been streamed; the whole call is bounded by (retries + 1) × timeout + backoff."""
        c = self.config
        deadline = time.monotonic() + self._budget()
        attempts = 0
        while True:
            attempts += 1
            streamed = [False]
            try:
                return self._attempt(messages, on_delta, deadline, streamed)
            except Exception as exc:  # noqa: BLE001 - the model is outside: every failure is a fallback
                failure = classify(exc, c.timeout)
                if (failure.retryable and attempts <= c.max_retries and not streamed[0]
                        and time.monotonic() + RETRY_BACKOFF < deadline):
                    time.sleep(RETRY_BACKOFF)
                    continue
                if attempts > 1:
                    failure = LLMFailure(f"{failure.reason}，共尝试 {attempts} 次", failure.retryable)
                raise failure from None

    def _attempt(self, messages, on_delta, deadline: float, streamed: list[bool]) -> str:
        if on_delta is None:
            reply = self.model.invoke(messages)
            content = reply.content
            if not isinstance(content, str):
                raise LLMFailure("大模型返回的内容无法解析（malformed response: content is not text）")
            return content
        parts: list[str] = []
        for chunk in self.model.stream(messages):
            piece = chunk.content
            if not isinstance(piece, str):
                raise LLMFailure("大模型返回的内容无法解析（malformed response: content is not text）")
            if piece:
                parts.append(piece)
                streamed[0] = True
                on_delta(visible("".join(parts)))
            if time.monotonic() > deadline:
                raise LLMFailure(f"大模型回答超时（timeout，{self._budget():g} 秒内没有写完）", retryable=False)
        return "".join(parts)

    def _budget(self) -> float:
        c = self.config
        return (c.max_retries + 1) * (c.timeout + RETRY_BACKOFF)
