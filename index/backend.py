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

from pathlib import Path
from typing import Any

# the forms are parsed and validated with the other settings (ingest/settings.py)
from ingest.settings import BACKEND_FORMS as FORMS  # noqa: F401
from ingest.settings import DEFAULT_ALIAS, Backend, settings  # noqa: F401
from ingest.settings import parse_backend as parse

from . import milvus_read, milvus_store, store  # they import pymilvus only when Milvus is used


def configured() -> Backend:
    """``CIVILQA_BACKEND``, validated with the other settings."""
    return settings().backend


def resolve(backend: Backend | str | None) -> Backend:
    """None: the configured backend; a string: parsed (``--backend``)."""
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
