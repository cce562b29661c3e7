"""Every ``CIVILQA_*`` setting, read and validated in one place (pydantic-settings).

The lowest layer holds it, since every layer reads some: ``settings()`` returns a fresh, validated
``Settings`` from the environment (a test or a user changes a variable and the next call sees it).
A bad value is a ``ConfigError`` naming the variable, in Chinese and English.

Where the data lives (``data_dir``):

- a source checkout (this package sits next to ``pyproject.toml`` and ``seeds/``): ``.civilqa/`` in
  the checkout, as ``make ui`` has always used, and ``seeds/`` of the checkout;
- an installed package (site-packages): the user data directory (``platformdirs``, e.g.
  ``~/.local/share/civilqa``), never inside site-packages; the seed reports are package data
  (``ingest/data/seeds/``, copied into the wheel by ``setup.py``) and only read.

``CIVILQA_DATA_DIR`` moves everything at once; ``CIVILQA_INDEX_DIR``, ``CIVILQA_LIBRARY_DIR``,
``CIVILQA_FEEDBACK_DB`` and ``CIVILQA_CACHE_DIR`` move one thing each.

The command line reads no variable itself: an option left out is None and the command takes the
setting (``--index-dir`` → ``index_dir``, ``--embedder`` → ``embedder``, ``--answerer`` → ``answerer``,
``--template`` → ``reply_template``, ``--db`` → ``feedback_db``, ``--auth`` → ``ui_auth``, a secret
like ``llm_api_key``). ``overridden(backend=…)`` runs a block with a setting set in the
environment (child processes see it too), checked first and restored after.

The engine settings are typed here too: ``CIVILQA_BACKEND`` (a ``Backend``: the FAISS files or a
Milvus server / milvus-lite file; ``index.backend`` serves it), ``CIVILQA_VECTOR_INDEX`` and
``CIVILQA_FLAT_MAX``, ``CIVILQA_SQ_MIN`` (the vector index kind, ``index.ann``), ``CIVILQA_WATCH_SECONDS`` (how often
``civilqa ui`` looks for a new index generation).
"""
from __future__ import annotations

import math
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Callable, Iterator, Mapping, Optional
from urllib.parse import parse_qs, urlsplit

import platformdirs
from pydantic import SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from .errors import ConfigError

PREFIX = "CIVILQA_"
APP_NAME = "civilqa"
PACKAGE_ROOT = Path(__file__).resolve().parents[1]  # the checkout, or site-packages when installed
FEEDBACK_FILE = "feedback.sqlite3"
PACKAGED_SEEDS = ("ingest", "data", "seeds")  # where setup.py puts seeds/ in the wheel
VECTOR_INDEX_KINDS = ("auto", "flat", "ivf", "ivf_sq", "hnsw")
WATCH_RANGE = (0.1, 3600.0)  # seconds between two looks for a new index generation

BACKEND_ENV = PREFIX + "BACKEND"
DEFAULT_ALIAS = "civilqa"
BACKEND_FORMS = ("faiss", "milvus://HOST:PORT[?collection=NAME]", "milvus-lite:///ABS/PATH.db[?collection=NAME]",
                 "milvus-lite:REL/PATH.db[?collection=NAME]")
_ALIAS_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,39}$")


@dataclass(frozen=True)
class Backend:
    """Which engine serves the index (see ``index.backend`` for the forms and what each does)."""

    kind: str  # "faiss" | "milvus"
    uri: str = ""  # what MilvusClient is given: http://host:port, or the absolute path of a .db file
    alias: str = DEFAULT_ALIAS

    @property
    def is_milvus(self) -> bool:
        return self.kind == "milvus"

    def describe(self) -> str:
        return "faiss" if not self.is_milvus else f"milvus {self.uri} (alias {self.alias})"


def _bad_backend(value: str, why: str) -> ConfigError:
    return ConfigError(f"{BACKEND_ENV} 的值无效：{value!r}（{why}）。可用的写法：{' | '.join(BACKEND_FORMS)}"
                       f"（invalid {BACKEND_ENV}: {why}; valid forms: {' | '.join(BACKEND_FORMS)}）")


def parse_backend(value: str | None) -> Backend:
    """``CIVILQA_BACKEND``'s value (or ``--backend``'s) as a ``Backend``; None or blank is ``faiss``."""
    raw = (value or "").strip()
    if raw in ("", "faiss"):
        return Backend("faiss")
    if raw.startswith("milvus://"):
        parts = urlsplit(raw)
        if not parts.hostname or parts.path not in ("", "/"):
            raise _bad_backend(raw, "需要 主机:端口，例如 milvus://127.0.0.1:19530；host:port expected")
        try:
            port = parts.port or 19530
        except ValueError:
            raise _bad_backend(raw, "端口必须是 1–65535 的数字；port must be a number") from None
        return Backend("milvus", f"http://{parts.hostname}:{port}", _alias(raw, parts.query))
    if raw.startswith("milvus-lite:"):
        rest = raw[len("milvus-lite:"):]
        path, _, query = rest.partition("?")
        if path.startswith("//"):
            path = path[2:]
            if not path.startswith("/"):
                raise _bad_backend(raw, "milvus-lite:// 后应是绝对路径（三个斜杠）；an absolute path after milvus-lite://")
        if not path.endswith(".db") or len(path) <= 3:
            raise _bad_backend(raw, "milvus-lite 的数据文件名须以 .db 结尾；the milvus-lite file must end in .db")
        return Backend("milvus", str(Path(path).expanduser().resolve()), _alias(raw, query))
    raise _bad_backend(raw, "未知的后端；unknown backend")


def _alias(raw: str, query: str) -> str:
    params = parse_qs(query, keep_blank_values=True)
    unknown = sorted(set(params) - {"collection"})
    if unknown:
        raise _bad_backend(raw, f"未知参数 {', '.join(unknown)}；unknown parameter")
    name = params.get("collection", [DEFAULT_ALIAS])[-1]
    if not _ALIAS_NAME.match(name):
        raise _bad_backend(raw, f"collection 名 {name!r} 只能含字母、数字、下划线，以字母或下划线开头，至多 40 个字符；"
                                f"letters, digits and _ only, at most 40")
    return name


def is_checkout(root: Path) -> bool:
    """Whether ``root`` (the folder holding the ``ingest`` package) is a source checkout."""
    return (root / "pyproject.toml").is_file() and (root / "seeds").is_dir()


class Settings(BaseSettings):
    """The environment, typed. Paths are as given (``~`` expanded); use the ``*_path`` methods
    for the effective locations."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, extra="ignore", frozen=True)

    data_dir: Optional[Path] = None
    index_dir: Optional[Path] = None
    seeds_dir: Optional[Path] = None
    library_dir: Optional[Path] = None
    feedback_db: Optional[Path] = None
    cache_dir: Optional[Path] = None
    embedder: Optional[str] = None
    answerer: str = "extractive"
    reply_template: Optional[Path] = None  # the drafting template (default assistant/data/reply_template.toml)
    ncp_dir: Optional[Path] = None  # the NCPPolicies evaluation set (eval/corpora.py has the default)
    news_dir: Optional[Path] = None  # the real news items of the news set (eval/corpora.py has the default)
    # time limits of the child processes that read a file (seconds; each reader has its default)
    pdf_timeout: Optional[float] = None
    ocr_timeout: Optional[float] = None
    convert_timeout: Optional[float] = None
    # the optional LLM answerer (assistant/llm.py checks ranges, the URL and the model name, which
    # the --llm-* options may also give)
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: Optional[SecretStr] = None
    llm_temperature: Optional[float] = None
    llm_timeout: Optional[float] = None
    llm_max_retries: Optional[int] = None
    # civilqa ui's login, user:password[,user:password…] (ui/auth.py parses it); never printed
    ui_auth: Optional[SecretStr] = None
    # the index engine and the vector index kind (index/backend.py, index/ann.py)
    backend: Annotated[Backend, NoDecode] = Backend("faiss")  # NoDecode: the value is a URI, not JSON
    vector_index: str = "auto"
    flat_max: Optional[int] = None  # None: index.ann's default threshold
    sq_min: Optional[int] = None  # None: index.ann's default threshold (IVF-SQ8 with exact re-ranking above it)
    watch_seconds: float = 2.0  # civilqa ui: how often to look for a new index generation

    @field_validator("data_dir", "index_dir", "seeds_dir", "library_dir", "feedback_db", "cache_dir", "reply_template",
                     "ncp_dir", "news_dir", mode="after")
    @classmethod
    def _expand(cls, value: Optional[Path]) -> Optional[Path]:
        return value.expanduser() if value is not None else None

    @field_validator("embedder", mode="after")
    @classmethod
    def _blank_is_default(cls, value: Optional[str]) -> Optional[str]:
        return value.strip() or None if value is not None else None

    @field_validator("llm_base_url", "llm_model", mode="after")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @field_validator("llm_api_key", "ui_auth", mode="before")
    @classmethod
    def _key(cls, value: Any) -> Any:
        return value.strip() or None if isinstance(value, str) else value

    @field_validator("llm_temperature", "llm_timeout", mode="before")
    @classmethod
    def _number(cls, value: Any) -> Any:
        return _parse(value, float, "数字", "number")

    @field_validator("pdf_timeout", "ocr_timeout", "convert_timeout", mode="before")
    @classmethod
    def _seconds(cls, value: Any) -> Any:
        return _checked(value, float, lambda s: s > 0, lambda raw: f"应为正数（秒），当前为 {raw!r}（must be a positive number）",
                        own_parse_error=False)

    @field_validator("llm_max_retries", mode="before")
    @classmethod
    def _whole(cls, value: Any) -> Any:
        return _parse(value, int, "整数", "whole number")

    @field_validator("answerer", mode="after")
    @classmethod
    def _answerer(cls, value: str) -> str:
        return _one_of(value.lower(), ("extractive", "llm"), lambda raw: f"没有这个作答方式：{raw}（answerer must be extractive or llm）")

    @field_validator("backend", mode="before")
    @classmethod
    def _backend(cls, value: Any) -> Any:
        if isinstance(value, Backend):
            return value
        try:
            return parse_backend(value)
        except ConfigError as exc:
            raise ValueError(str(exc)) from None

    @field_validator("vector_index", mode="before")
    @classmethod
    def _vector_index(cls, value: Any) -> Any:
        return _one_of(value.lower() if isinstance(value, str) else value, VECTOR_INDEX_KINDS,
                       lambda raw: f"应为 {'、'.join(VECTOR_INDEX_KINDS)} 之一，当前为 {raw!r}"
                                   f"（must be one of {', '.join(VECTOR_INDEX_KINDS)}）")

    @field_validator("flat_max", "sq_min", mode="before")
    @classmethod
    def _flat_max(cls, value: Any) -> Any:
        return _checked(value, int, lambda n: n >= 0, lambda raw: f"应为非负整数（片段数），当前为 {raw!r}"
                                                                  f"（must be a non-negative whole number of chunks）")

    @field_validator("watch_seconds", mode="before")
    @classmethod
    def _watch(cls, value: Any) -> Any:
        low, high = WATCH_RANGE
        seconds = _checked(value, float, lambda s: low <= s <= high,
                           lambda raw: f"应为 {low:g}–{high:g} 之间的秒数，当前为 {raw!r}（must be {low:g}–{high:g} seconds）")
        return 2.0 if seconds is None else seconds

    # -- effective locations --------------------------------------------------------------

    def data_path(self, package_root: Path = PACKAGE_ROOT) -> Path:
        if self.data_dir is not None:
            return self.data_dir
        if is_checkout(package_root):
            return package_root / ".civilqa"
        return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))

    def index_path(self, package_root: Path = PACKAGE_ROOT) -> Path:
        return self.index_dir if self.index_dir is not None else self.data_path(package_root) / "index"

    def seeds_path(self, package_root: Path = PACKAGE_ROOT) -> Path:
        """The seed reports: ``CIVILQA_SEEDS_DIR``, else ``seeds/`` of the checkout, else those the
        installed package carries (``ingest/data/seeds``, read only)."""
        if self.seeds_dir is not None:
            return self.seeds_dir
        if is_checkout(package_root):
            return package_root / "seeds"
        return package_root.joinpath(*PACKAGED_SEEDS)

    def library_path(self, index_dir: Path | None = None, package_root: Path = PACKAGE_ROOT) -> Path:
        """Uploaded files: ``CIVILQA_LIBRARY_DIR``, else ``library/`` beside the index."""
        if self.library_dir is not None:
            return self.library_dir.resolve()
        return Path(index_dir or self.index_path(package_root)).expanduser().resolve().parent / "library"

    def feedback_path(self, index_dir: Path | None = None, package_root: Path = PACKAGE_ROOT) -> Path:
        """The feedback database: ``CIVILQA_FEEDBACK_DB``, else beside the index directory."""
        if self.feedback_db is not None:
            return self.feedback_db.resolve()
        return Path(index_dir or self.index_path(package_root)).expanduser().resolve().parent / FEEDBACK_FILE

    def cache_path(self) -> Path:
        """Derived data that may be deleted (jieba's word table): ``CIVILQA_CACHE_DIR``, else the
        user cache directory (``$XDG_CACHE_HOME/civilqa``, ``~/.cache/civilqa``)."""
        if self.cache_dir is not None:
            return self.cache_dir
        return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def _one_of(value: Any, choices: tuple[str, ...], message: Callable[[str], str]) -> str:
    """``value`` stripped, blank meaning the first choice (the default); not a choice: ``message(value)``."""
    raw = value.strip() if isinstance(value, str) else value
    chosen = raw or choices[0]
    if chosen not in choices:
        raise ValueError(message(raw))
    return chosen


def _checked(value: Any, kind: type, ok: Callable[[Any], bool], message: Callable[[Any], str], *,
             own_parse_error: bool = True) -> Any:
    """A number of ``kind`` from ``value`` (blank: None) for which ``ok`` holds, else ``message(value)``;
    a value that is no number at all gets ``_parse``'s message unless ``own_parse_error``."""
    raw = value.strip() if isinstance(value, str) else value
    try:
        number = _parse(value, kind, *_KIND_WORDS[kind])
    except ValueError:
        if not own_parse_error:
            raise
        raise ValueError(message(raw)) from None
    if number is not None and not ok(number):
        raise ValueError(message(raw))
    return number


_KIND_WORDS = {float: ("数字", "number"), int: ("整数", "whole number")}


def _parse(value: Any, kind: type, zh: str, en: str) -> Any:
    """A number from an environment string ("" = not set); a bad one says what it must be."""
    if not isinstance(value, str):
        return value
    raw = value.strip()
    if not raw:
        return None
    try:
        number = kind(raw)
    except ValueError:
        number = None
    if number is None or (kind is float and not math.isfinite(number)):
        raise ValueError(f"必须是{zh}，当前为 {raw!r}（must be a {en}）")
    return number


def settings(env: Mapping[str, str] | None = None) -> Settings:
    """The current settings from ``os.environ`` (or from ``env`` only, when given), validated.
    A bad value raises ``ConfigError`` naming the variable, e.g. ``环境变量 CIVILQA_LLM_TIMEOUT
    必须是数字，当前为 'soon'（must be a number）``."""
    try:
        if env is None:
            return Settings()
        fields = Settings.model_fields
        return Settings.model_validate({k[len(PREFIX):].lower(): v for k, v in env.items()
                                        if k.startswith(PREFIX) and k[len(PREFIX):].lower() in fields})
    except ValidationError as exc:
        raise ConfigError(_message(exc)) from None


def _message(exc: ValidationError) -> str:
    parts = []
    for e in exc.errors():
        name = PREFIX + str(e["loc"][0]).upper() if e.get("loc") else PREFIX
        text = str(e.get("msg", "")).removeprefix("Value error, ")
        if e.get("type") != "value_error":  # pydantic's own (English) message: the value is not repeated
            text = f"值无效（{text}）"
        if text.startswith(name):  # the message names the variable already (CIVILQA_BACKEND's)
            parts.append(f"环境变量 {text}")
        else:
            parts.append(f"环境变量 {name} {text}" if text.startswith(("必须", "应为")) else f"环境变量 {name}：{text}")
    return "；".join(parts)


def env_name(field: str) -> str:
    """The environment variable of a settings field: ``backend`` → ``CIVILQA_BACKEND``."""
    if field not in Settings.model_fields:
        raise KeyError(field)
    return PREFIX + field.upper()


@contextmanager
def overridden(**values: Optional[str]) -> Iterator[None]:
    """Run the block with these settings (field=raw value, as the environment would give it; None
    leaves a field as it is) in the environment, so that ``settings()`` here and every child
    process started inside see them; checked first (a bad value is the usual ``ConfigError``),
    the environment as it was afterwards."""
    given = {env_name(k): v for k, v in values.items() if v is not None}
    settings({**os.environ, **given})
    saved = {name: os.environ.get(name) for name in given}
    os.environ.update(given)
    try:
        yield
    finally:
        for name, old in saved.items():
            if old is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = old


def default_index_dir() -> Path:
    return settings().index_path()


def default_seeds_dir() -> Path:
    return settings().seeds_path()
