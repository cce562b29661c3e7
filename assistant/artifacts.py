"""What the index holds beside the chunks: the named artifacts the assistant layer gives the
index builder's hook (``index.builder``/``index.refresh`` take them as ``artifacts=``), and their
readers. The index layer stores them by name and knows nothing of what they mean."""
from __future__ import annotations

import json

from index import store
from index.artifacts import Artifact, code_fingerprint
from ingest.copies import copy_groups
from ingest.errors import IndexStoreError

from .standards import TABLE_ARTIFACT, StandardsTable

STANDARDS = "standards"  # the benefit-standards table (assistant/standards.py), built at every ingest
COPIES = "copies"  # source -> the documents that are the same text published again (ingest.copies)


def _build_copies(documents: list) -> dict[str, list[str]]:
    return {s: list(c) for s, c in copy_groups({d.source: d.text for d in documents}).items()}


COPIES_ARTIFACT = Artifact(_build_copies, lambda: code_fingerprint(("ingest.copies",), ("ingest",)))
# the index builder's hook: name -> builder(documents), with its version (a stale one is rebuilt)
ARTIFACTS = {STANDARDS: TABLE_ARTIFACT, COPIES: COPIES_ARTIFACT}


def load_standards(index: store.LoadedIndex) -> StandardsTable | None:
    """The benefit-standards table of a loaded index, or None when the index was built without
    one. A damaged table raises ``IndexStoreError`` with a re-ingest hint."""
    path = index.artifact_path(STANDARDS)
    return StandardsTable.load(path) if path.is_file() else None


def load_copies(index: store.LoadedIndex) -> dict[str, tuple[str, ...]]:
    """The recorded copies of each document of a loaded index ({} when it was built without
    them). A damaged file raises ``IndexStoreError`` with a re-ingest hint."""
    path = index.artifact_path(COPIES)
    if not path.is_file():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {str(s): tuple(map(str, c)) for s, c in raw.items()}
    except (OSError, ValueError, AttributeError, TypeError) as exc:
        raise IndexStoreError(f"索引中的副本记录（{path.name}）已损坏，请重新导入：civilqa ingest"
                              f"（damaged copies artifact: {exc}）") from exc
