"""Artifacts: what an upper layer derives from the documents at ingest, stored by name beside the
index (``build_index(artifacts={name: builder})``; the store writes ``<name>.json``), with a version.

A builder is an :class:`Artifact` (a build function and a fingerprint of what decides its output)
or a plain function of the documents, which has no version and is rebuilt only with the
documents. The manifest records each artifact's fingerprint (``manifest["artifacts"]``); an
artifact whose builder's fingerprint differs is stale, and ``index.refresh.refresh_artifacts``
rebuilds it alone from the stored documents. Only the standard library (and the settings, for
the cache directory) is used here.
"""
from __future__ import annotations

import ast
import hashlib
import importlib.util
import json
import os
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping, Union

from ingest.atomic import write_json_atomic
from ingest.settings import settings

if TYPE_CHECKING:  # pragma: no cover
    from ingest.document import Document


@dataclass(frozen=True)
class Artifact:
    """An artifact builder with a version. ``build(documents)`` gives the artifact's JSON value
    (None: nothing is stored); ``fingerprint()`` a digest of what decides that value (the
    builder's code and the data files it reads, e.g. :func:`code_fingerprint`). The manifest
    records the fingerprint each artifact was built with; when it differs,
    ``index.refresh.refresh_artifacts`` rebuilds that artifact alone from the stored documents."""

    build: Callable[[list["Document"]], Any]
    fingerprint: Callable[[], str]

    def __call__(self, documents: list["Document"]) -> Any:
        return self.build(documents)


# name -> builder (a builder returning None adds nothing)
ArtifactBuilders = Mapping[str, Union[Artifact, Callable[[list["Document"]], Any]]]


def _module_file(name: str, absent: set[str] | None = None) -> Path | None:
    """The source file of module ``name`` (``a/b.py`` or ``a/b/__init__.py``), found on disk under
    its top-level package without importing anything; None for a name that is not a module. The
    paths looked at before the one found (or all, for None) are added to ``absent``."""
    top, _, rest = name.partition(".")
    spec = importlib.util.find_spec(top)
    roots = list(spec.submodule_search_locations or []) if spec is not None else []
    for root in roots:
        base = Path(root).joinpath(*rest.split(".")) if rest else Path(root)
        for path in (base.with_suffix(".py") if rest else None, base / "__init__.py"):
            if path is not None and path.is_file():
                return path
            if path is not None and absent is not None:
                absent.add(str(path))
    return None


def _imported(tree: ast.AST, name: str, is_package: bool) -> set[str]:
    """Absolute names of the modules a module's source imports (``from . import x`` resolved)."""
    package = name if is_package else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                up = parts[:len(parts) - node.level + 1] if node.level > 1 else parts
                base = ".".join(up + ([node.module] if node.module else []))
            out.add(base)
            out.update(f"{base}.{a.name}" for a in node.names)  # a submodule imported by name
    return out


@lru_cache(maxsize=None)
def code_fingerprint(modules: tuple[str, ...], packages: tuple[str, ...], files: tuple[Path, ...] = ()) -> str:
    """A digest of the source of ``modules``, of every module of ``packages`` they import
    (transitively), and of the data ``files``: what an artifact builder's output depends on.
    Modules are found without being imported; names that are not modules are skipped.

    Computed once per process, and across processes once per change: the digest is kept in the
    cache directory (``FINGERPRINTS``) with the (size, mtime_ns) of every file it read and the
    paths it looked for and did not find; while those are as they were, it is not hashed again
    (~0.1 s of parsing and hashing). A file changed within ``RACY_SECONDS`` of when the entry was
    written is hashed again (git's "racy" case: a same-size write in the same clock tick)."""
    key = json.dumps([list(modules), list(packages), [str(f) for f in files]])
    cached = _cached_digest(key)
    if cached is not None:
        return cached
    seen: dict[str, Path] = {}
    absent: set[str] = set()
    todo = list(modules)
    while todo:
        name = todo.pop()
        if name in seen or name.split(".")[0] not in packages:
            continue
        path = _module_file(name, absent)
        if path is None:
            continue
        seen[name] = path
        source = path.read_bytes()
        todo.extend(_imported(ast.parse(source), name, path.name == "__init__.py"))
    h = hashlib.sha256()
    for name in sorted(seen):
        h.update(name.encode() + b"\0" + seen[name].read_bytes())
    for f in files:
        h.update(Path(f).name.encode() + b"\0" + (Path(f).read_bytes() if Path(f).is_file() else b""))
    digest = h.hexdigest()[:16]
    _store_digest(key, digest, [*seen.values(), *map(Path, files)], absent)
    return digest


FINGERPRINTS = "fingerprints.json"  # in the cache directory (CIVILQA_CACHE_DIR)
RACY_SECONDS = 2.0


def _stamp(path: Path | str) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def _cache_file() -> Path:
    return settings().cache_path() / FINGERPRINTS


def _read_cache() -> dict[str, Any]:
    try:
        data = json.loads(_cache_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("version") == 1 else {}


def _cached_digest(key: str) -> str | None:
    """The stored digest for ``key`` when nothing it depends on has changed since, else None."""
    entry = _read_cache().get("entries", {}).get(key)
    try:
        trusted_before = entry["written_ns"] - int(RACY_SECONDS * 1e9)
        for path, stamp in entry["stamps"].items():
            now = _stamp(path)
            if now != stamp or (now is not None and now[1] >= trusted_before):
                return None
        if any(os.path.exists(p) for p in entry["absent"]):
            return None
        return str(entry["digest"])
    except (TypeError, KeyError, ValueError):
        return None


def _store_digest(key: str, digest: str, read: list[Path], absent: set[str]) -> None:
    """Keep ``digest`` for ``key``; a cache that cannot be written only costs the next process a
    hash."""
    entry = {"digest": digest, "written_ns": time.time_ns(), "stamps": {str(p): _stamp(p) for p in read},
             "absent": sorted(absent)}
    data = _read_cache()
    entries = {k: v for k, v in data.get("entries", {}).items() if k != key}
    entries = dict(list(entries.items())[-(MAX_ENTRIES - 1):], **{key: entry})
    try:
        _cache_file().parent.mkdir(parents=True, exist_ok=True)
        write_json_atomic(_cache_file(), {"version": 1, "entries": entries}, indent=None)
    except OSError:
        pass


MAX_ENTRIES = 16  # distinct builders' keys kept (one per artifact builder and checkout in practice)


def artifact_fingerprints(builders: ArtifactBuilders | None) -> dict[str, str | None]:
    """name -> the fingerprint of its builder now (None: a builder without a version)."""
    return {name: b.fingerprint() if isinstance(b, Artifact) else None for name, b in (builders or {}).items()}


def stale_artifacts(manifest: dict[str, Any], builders: ArtifactBuilders | None) -> list[str]:
    """The versioned artifacts whose fingerprint in ``manifest`` is not their builder's now (an
    index written before fingerprints were recorded has every versioned artifact stale)."""
    recorded = manifest.get("artifacts") or {}
    return [name for name, fp in artifact_fingerprints(builders).items()
            if fp is not None and recorded.get(name) != fp]
