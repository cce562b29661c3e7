"""Which engine serves the index: the FAISS files (default) or Milvus, chosen by ``CIVILQA_BACKEND``.

Valid values (anything else is refused with a message listing these)::

    faiss                                  the index directory's files (default)
    milvus://HOST:PORT[?collection=NAME]   a Milvus Standalone/Distributed server (gRPC, usually 19530)
    milvus-lite:///ABS/PATH.db[?collection=NAME]
    milvus-lite:REL/PATH.db[?collection=NAME]
                                           milvus-lite, embedded in this process (one process per file)

``NAME`` is the alias the app reads (default ``civilqa``); several indexes can share one server
under different names. With Milvus, ingest still writes the generation to the index directory
first (it is the ingest's working copy: what is unchanged, the vectors to reuse, the checksums),
then publishes it to Milvus as a new collection and swaps the alias (``index.milvus_store``).
App replicas read Milvus only.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ingest.errors import ConfigError

from . import milvus_read, milvus_store, store  # they import pymilvus only when Milvus is used

ENV = "CIVILQA_BACKEND"
DEFAULT_ALIAS = "civilqa"
FORMS = ("faiss", "milvus://HOST:PORT[?collection=NAME]", "milvus-lite:///ABS/PATH.db[?collection=NAME]",
         "milvus-lite:REL/PATH.db[?collection=NAME]")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,39}$")


@dataclass(frozen=True)
class Backend:
    kind: str  # "faiss" | "milvus"
    uri: str = ""  # what MilvusClient is given: http://host:port, or the absolute path of a .db file
    alias: str = DEFAULT_ALIAS

    @property
    def is_milvus(self) -> bool:
        return self.kind == "milvus"

    def describe(self) -> str:
        return "faiss" if not self.is_milvus else f"milvus {self.uri} (alias {self.alias})"


def _bad(value: str, why: str) -> ConfigError:
    return ConfigError(f"{ENV} 的值无效：{value!r}（{why}）。可用的写法：{' | '.join(FORMS)}"
                       f"（invalid {ENV}: {why}; valid forms: {' | '.join(FORMS)}）")


def parse(value: str | None) -> Backend:
    """``CIVILQA_BACKEND``'s value as a ``Backend``; None or blank is ``faiss``."""
    raw = (value or "").strip()
    if raw in ("", "faiss"):
        return Backend("faiss")
    if raw.startswith("milvus://"):
        parts = urlsplit(raw)
        if not parts.hostname or parts.path not in ("", "/"):
            raise _bad(raw, "需要 主机:端口，例如 milvus://127.0.0.1:19530；host:port expected")
        try:
            port = parts.port or 19530
        except ValueError:
            raise _bad(raw, "端口必须是 1–65535 的数字；port must be a number") from None
        return Backend("milvus", f"http://{parts.hostname}:{port}", _alias(raw, parts.query))
    if raw.startswith("milvus-lite:"):
        rest = raw[len("milvus-lite:"):]
        path, _, query = rest.partition("?")
        if path.startswith("//"):
            path = path[2:]
            if not path.startswith("/"):
                raise _bad(raw, "milvus-lite:// 后应是绝对路径（三个斜杠）；an absolute path after milvus-lite://")
        if not path.endswith(".db") or len(path) <= 3:
            raise _bad(raw, "milvus-lite 的数据文件名须以 .db 结尾；the milvus-lite file must end in .db")
        return Backend("milvus", str(Path(path).expanduser().resolve()), _alias(raw, query))
    raise _bad(raw, "未知的后端；unknown backend")


def _alias(raw: str, query: str) -> str:
    params = parse_qs(query, keep_blank_values=True)
    unknown = sorted(set(params) - {"collection"})
    if unknown:
        raise _bad(raw, f"未知参数 {', '.join(unknown)}；unknown parameter")
    name = params.get("collection", [DEFAULT_ALIAS])[-1]
    if not _NAME.match(name):
        raise _bad(raw, f"collection 名 {name!r} 只能含字母、数字、下划线，以字母或下划线开头，至多 40 个字符；"
                        f"letters, digits and _ only, at most 40")
    return name


def configured() -> Backend:
    return parse(os.environ.get(ENV))


def resolve(backend: Backend | str | None) -> Backend:
    if backend is None:
        return configured()
    return backend if isinstance(backend, Backend) else parse(backend)


# -- what the assistant and the builder call, whatever the engine ------------------------

def load_index(root: Path, backend: Backend | str | None = None) -> Any:
    """The live index: ``store.LoadedIndex`` (FAISS) or ``milvus_read.MilvusIndex``; both are
    what ``HybridSearcher`` searches."""
    b = resolve(backend)
    if b.is_milvus:
        return milvus_read.load(b)
    return store.load(Path(root))


def live_generation(root: Path, backend: Backend | str | None = None) -> str | None:
    """The name of the generation being served (cheap: no index is loaded), or None when there
    is none: a worker compares it with the one it holds to pick up an ingest made elsewhere."""
    b = resolve(backend)
    if b.is_milvus:
        return milvus_store.live_collection(b)
    gen = store.current_generation(Path(root))
    return gen.name if gen is not None else None


def publish(root: Path, backend: Backend | str | None = None) -> str | None:
    """After a generation went live in ``root``: make it the one the backend serves (Milvus: a new
    collection and the alias swap). Returns the served generation's name (None for FAISS)."""
    b = resolve(backend)
    if not b.is_milvus:
        return None
    return milvus_store.publish(b, Path(root))
