"""Refreshing an index's stale artifacts (issue 15: the builder knows artifacts only as named
builders): when an artifact builder's fingerprint (its code and data files,
:mod:`index.artifacts`) differs from the one recorded in the manifest, that artifact alone is
rebuilt from the stored documents into a new generation; documents, chunks, vectors and BM25
are taken over as they are."""
from __future__ import annotations

from pathlib import Path

from . import derived, store
from .artifacts import ArtifactBuilders, artifact_fingerprints, stale_artifacts
from .builder import Progress, document_from_index


def refresh_artifacts(root: Path, builders: ArtifactBuilders | None,
                      progress: Progress | None = None) -> list[str]:
    """Rebuild the stale artifacts of the index at ``root`` from its stored documents, in one new
    generation that takes everything else over (nothing is parsed or embedded again). Returns
    the names rebuilt; [] when none is stale, or when another ingest holds the lock (it writes
    every artifact anew)."""
    root = Path(root)
    if store.current_generation(root) is None:
        return []
    if not stale_artifacts(store.read_manifest(root, verify=False)[1], builders):
        return []
    try:
        with store.ingest_lock(root):
            index = store.load(root, verify=True)
            stale = stale_artifacts(index.manifest, builders)
            if not stale:
                return []
            if progress:
                progress("更新附加数据", 0, len(stale))
            documents = [document_from_index(index, s) for s in index.manifest["sources"]]
            values = {name: builders[name](documents) for name in stale}
            recorded = dict(index.manifest.get("artifacts") or {})
            recorded.update(artifact_fingerprints({name: builders[name] for name in stale}))
            derived.replace_artifacts(root, values, {"artifacts": recorded})
            if progress:
                progress("完成", len(stale), len(stale))
            return stale
    except store.IngestBusyError:
        return []
