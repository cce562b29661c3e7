"""The LLM answerer's settings: ``CIVILQA_LLM_*`` (read by ``ingest.settings``) and the ``--llm-*``
options, checked once into an ``LLMConfig``; ``resolve`` is the CLI's and the app's answerer choice.

The API key is never repeated in a message, a ``repr`` or a log line; neither are the user and
password of a base URL.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping
from urllib.parse import urlsplit, urlunsplit

from ingest.errors import ConfigError
from ingest.settings import settings

ENV_BASE_URL = "CIVILQA_LLM_BASE_URL"
ENV_MODEL = "CIVILQA_LLM_MODEL"
ENV_API_KEY = "CIVILQA_LLM_API_KEY"
ENV_TEMPERATURE = "CIVILQA_LLM_TEMPERATURE"
ENV_TIMEOUT = "CIVILQA_LLM_TIMEOUT"
ENV_MAX_RETRIES = "CIVILQA_LLM_MAX_RETRIES"

DEFAULT_TEMPERATURE = 0.1
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RETRIES = 1
MAX_PASSAGES = 6  # passages given to the model


@dataclass(frozen=True)
class LLMConfig:
    base_url: str
    model: str
    api_key: str | None = field(default=None, repr=False)
    temperature: float = DEFAULT_TEMPERATURE
    timeout: float = DEFAULT_TIMEOUT  # seconds per attempt
    max_retries: int = DEFAULT_MAX_RETRIES
    max_passages: int = MAX_PASSAGES

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_url", _check_url(self.base_url, "--llm-base-url / " + ENV_BASE_URL))
        model = (self.model or "").strip()
        if not model or len(model) > 200 or any(ch.isspace() for ch in model):
            raise ConfigError(f"大模型名称无效：{self.model!r}（{ENV_MODEL} / --llm-model 必须是不含空白的名称，"
                              f"例如 qwen2.5:7b-instruct；invalid model name）")
        object.__setattr__(self, "model", model)
        if self.api_key is not None and (not self.api_key or any(ch.isspace() or ord(ch) < 32 for ch in self.api_key)):
            # the value itself is never repeated
            raise ConfigError(f"{ENV_API_KEY} 为空或含有空白/控制字符（the API key is empty or contains whitespace）")
        _check_range("temperature", self.temperature, 0.0, 2.0, ENV_TEMPERATURE, "--llm-temperature")
        _check_range("timeout", self.timeout, 0.1, 600.0, ENV_TIMEOUT, "--llm-timeout")
        if not isinstance(self.max_retries, int) or not 0 <= self.max_retries <= 5:
            raise ConfigError(f"{ENV_MAX_RETRIES} 必须是 0–5 的整数，当前为 {self.max_retries!r}"
                              f"（max retries must be an integer in [0, 5]）")
        if not isinstance(self.max_passages, int) or not 1 <= self.max_passages <= 20:
            raise ConfigError(f"max_passages 必须是 1–20 的整数，当前为 {self.max_passages!r}")

    def __repr__(self) -> str:
        key = "set" if self.api_key else "none"
        return (f"LLMConfig(base_url={self.display_url()!r}, model={self.model!r}, api_key=<{key}>, "
                f"temperature={self.temperature}, timeout={self.timeout}, max_retries={self.max_retries})")

    __str__ = __repr__

    def display_url(self) -> str:
        """The base URL without user:password or query (for messages and logs)."""
        return _public_url(self.base_url)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> "LLMConfig":
        """Settings from ``CIVILQA_LLM_*`` (read and typed by ``ingest.settings``; ``env`` instead of
        ``os.environ`` when given); ``overrides`` that are not None win (CLI/UI options)."""
        s = settings(env)
        base_url = overrides.get("base_url") or s.llm_base_url
        model = overrides.get("model") or s.llm_model
        missing = [name for name, v in ((f"{ENV_BASE_URL}（或 --llm-base-url）", base_url),
                                        (f"{ENV_MODEL}（或 --llm-model）", model)) if not v]
        if missing:
            raise ConfigError("使用大模型作答需要设置 " + "、".join(missing) +
                              "，例如 CIVILQA_LLM_BASE_URL=http://127.0.0.1:11434/v1 CIVILQA_LLM_MODEL=qwen2.5:7b-instruct"
                              "（the llm answerer needs a base URL and a model name）")
        key = overrides.get("api_key") or (s.llm_api_key.get_secret_value() if s.llm_api_key else None)
        given = {"temperature": s.llm_temperature, "timeout": s.llm_timeout, "max_retries": s.llm_max_retries,
                 **{k: v for k, v in overrides.items() if v is not None and k not in ("base_url", "model", "api_key")}}
        return cls(base_url=base_url, model=model, api_key=key,
                   **{k: float(v) if k in ("temperature", "timeout") else v for k, v in given.items() if v is not None})


def _check_range(what: str, value: Any, lo: float, hi: float, env: str, opt: str) -> None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and lo <= value <= hi
    if not ok:
        raise ConfigError(f"{what} 必须在 {lo:g}–{hi:g} 之间，当前为 {value!r}（{env} / {opt}；"
                          f"{what} must be in [{lo:g}, {hi:g}]）")


def _public_url(url: str) -> str:
    try:
        p = urlsplit(url)
        port = p.port
    except ValueError:  # a malformed URL or a port out of range: nothing of it is shown
        return "<invalid URL>"
    host = p.hostname or ""
    if port:
        host = f"{host}:{port}"
    return urlunsplit((p.scheme, host, p.path, "", ""))


def _check_url(url: str, where: str) -> str:
    url = (url or "").strip()
    try:
        p = urlsplit(url)
        p.port  # noqa: B018 - raises on a bad port
    except ValueError:
        p = None
    if p is None or p.scheme not in ("http", "https") or not p.hostname:
        raise ConfigError(f"大模型服务地址无效：{_public_url(url)!r}（{where}）。应形如 http://127.0.0.1:8000/v1"
                          f"（base URL must be http(s)://host[:port]/path）")
    url = url.rstrip("/")
    for tail in ("/chat/completions", "/completions"):
        if url.endswith(tail):  # the OpenAI client appends /chat/completions itself
            url = url[: -len(tail)]
    return url


def resolve(answerer: str | None, env: Mapping[str, str] | None = None, **options: Any) -> LLMConfig | None:
    """The answerer choice of the CLI/UI: None for ``extractive``, the config for ``llm``.
    ``options`` are the ``--llm-*`` values (None when not given)."""
    name = (answerer or "extractive").strip().lower()
    if name not in ("extractive", "llm"):
        raise ConfigError(f"没有这个作答方式：{answerer}。可选：extractive（默认，摘录原文）、llm（大模型）"
                          f"（--answerer must be extractive or llm）")
    given = [f"--llm-{k.replace('_', '-')}" for k, v in options.items() if v is not None]
    if name == "extractive":
        if given:
            raise ConfigError(f"{'、'.join(given)} 只在 --answerer llm 时有效（these options need --answerer llm）")
        return None
    return LLMConfig.from_env(env, **options)
