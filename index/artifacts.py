"""Artifacts: what an upper layer derives from the documents at ingest, stored by name beside the
index (``build_index(artifacts={name: builder})``; the store writes ``<name>.json``), with a version.

A builder is an :class:`Artifact` (a build function and a fingerprint of what decides its output)
or a plain function of the documents, which has no version and is rebuilt only with the
documents. The manifest records each artifact's fingerprint (``manifest["artifacts"]``); an
artifact whose builder's fingerprint differs is stale, and ``index.refresh.refresh_artifacts``
rebuilds it alone from the stored documents. Only the standard library is used here.
"""
from __future__ import annotations

import ast
import hashlib
import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping, Union

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


def _module_file(name: str) -> Path | None:
    """The source file of module ``name`` (``a/b.py`` or ``a/b/__init__.py``), found on disk under
    its top-level package without importing anything; None for a name that is not a module."""
    top, _, rest = name.partition(".")
    spec = importlib.util.find_spec(top)
    roots = list(spec.submodule_search_locations or []) if spec is not None else []
    for root in roots:
        base = Path(root).joinpath(*rest.split(".")) if rest else Path(root)
        for path in (base.with_suffix(".py") if rest else None, base / "__init__.py"):
            if path is not None and path.is_file():
                return path
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
    Modules are found without being imported; names that are not modules are skipped."""
    seen: dict[str, Path] = {}
    todo = list(modules)
    while todo:
        name = todo.pop()
        if name in seen or name.split(".")[0] not in packages:
            continue
        path = _module_file(name)
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
    return h.hexdigest()[:16]


def artifact_fingerprints(builders: ArtifactBuilders | None) -> dict[str, str | None]:
    """name -> the fingerprint of its builder now (None: a builder without a version)."""
    return {name: b.fingerprint() if isinstance(b, Artifact) else None for name, b in (builders or {}).items()}


def stale_artifacts(manifest: dict[str, Any], builders: ArtifactBuilders | None) -> list[str]:
    """The versioned artifacts whose fingerprint in ``manifest`` is not their builder's now (an
    index written before fingerprints were recorded has every versioned artifact stale)."""
    recorded = manifest.get("artifacts") or {}
    return [name for name, fp in artifact_fingerprints(builders).items()
            if fp is not None and recorded.get(name) != fp]
