"""Generations derived from the current one without re-reading, re-embedding or re-training
anything: the same files with some artifacts replaced (``replace_artifacts``, used by
:mod:`index.refresh`) or with the vector index built again from the same vectors
(``rebuild_vector_index``, after the size thresholds or the recall calibration changed). Both
take every other file over hard-linked and seal the new generation through :mod:`index.store`,
so it goes live atomically like any other. The caller holds the ingest lock."""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from ingest.atomic import write_json_atomic
from ingest.errors import REINGEST, IndexStoreError

from . import ann, store


def replace_artifacts(root: Path, artifacts: dict[str, Any], manifest_updates: dict[str, Any]) -> Path:
    """A new generation that is the current one with the named artifacts replaced (a value of
    None drops that artifact) and ``manifest_updates`` merged into the manifest; every other file
    (documents, chunks, vectors, BM25) is taken over as it is (hard-linked where the file system
    allows: generations never change), so nothing is re-read, re-embedded or re-trained. The
    caller holds the ingest lock. Returns the new generation's path."""
    gen, manifest = store.read_manifest(root)
    names = {f"{store.check_artifact_name(n)}.json" for n in artifacts}
    with store.building(root) as tmp:
        take_over(gen, tmp, skip=names)
        for name, value in artifacts.items():
            if value is not None:
                write_json_atomic(tmp / f"{name}.json", value)
        manifest.update(manifest_updates)
    return store.seal(root, tmp, manifest)


def take_over(gen: Path, tmp: Path, skip: set[str]) -> None:
    """Every file of generation ``gen`` but its manifest and ``skip`` (paths relative to it) into
    the new generation ``tmp``, hard-linked where the file system allows (generations never
    change), copied otherwise."""
    for p in sorted(gen.rglob("*")):
        rel = p.relative_to(gen)
        if p.is_dir() or rel.as_posix() == "manifest.json" or rel.as_posix() in skip:
            continue
        (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(p, tmp / rel)
        except OSError:
            shutil.copy2(p, tmp / rel)


def rebuild_vector_index(root: Path, index_config: Any = None) -> Path:
    """A new generation that is the current one with its vector index built again from the same
    vectors, as ``write_generation`` would choose it now (``index_config``: an
    ``index.ann.IndexConfig``, default from the environment), e.g. after the size thresholds or
    the recall calibration changed: nothing is re-embedded, re-tokenised or re-chunked; every other
    file is taken over as it is. The vectors are read back from the current index (checksums
    verified first). The caller holds the ingest lock. Returns the new generation's path."""
    import faiss

    gen, manifest = store.read_manifest(root)
    path = gen / "faiss.index"
    if (manifest.get("checksums") or {}).get("faiss.index") != store.sha256_file(path):
        raise IndexStoreError(f"索引文件 faiss.index 已损坏或被修改（校验和不符）。{REINGEST}"
                              f"（checksum mismatch for faiss.index）")
    try:
        old = ann.configure(faiss.read_index(str(path)), manifest.get("vector_index"))
    except RuntimeError as exc:
        raise IndexStoreError(f"索引文件无法读取（{exc}）。{REINGEST}") from None
    n = old.ntotal
    vectors = old.reconstruct_n(0, n) if n else np.zeros((0, old.d), np.float32)
    del old
    with store.building(root) as tmp:
        take_over(gen, tmp, skip={"faiss.index"})
        index, vector_info = ann.build(vectors, int(manifest["embedder"]["dim"]), index_config)
        del vectors
        store.write_bytes(tmp / "faiss.index", faiss.serialize_index(index).tobytes())
        del index
        manifest["vector_index"] = vector_info
    return store.seal(root, tmp, manifest)
