"""Build (or update) the index from source files, incrementally.

``build_index(paths, root, embedder)`` makes the index reflect ``paths``:

- a file whose sha256, sidecar entry and parser version match the current
  manifest is *unchanged*: its cleaned text, chunks and vectors are taken from
  the current index without reading it again;
- a *changed* or *added* file is parsed; of its chunks, only those whose
  embedded text is new are embedded (vectors are reused by the sha256 of the
  embedded text, for the same embedder);
- a file of the current index that is not among ``paths`` is *removed*, and so is
  one that can no longer be read (its error is reported by name).

``mode="add"`` keeps the current index's other files (used for uploads and
``civilqa ingest --add``); ``mode="refresh"`` re-reads exactly the files the
current index was built from (the app's 重新索引). ``remove_sources`` drops
files without reading or embedding anything.

Every change is one new generation written completely and switched in
atomically (``index.store``), under the index's ingest lock: two writers never
interleave, and the decision what is unchanged is taken under the same lock.
If no file can be read, nothing changes.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import numpy as np

import ingest
from ingest.document import Chunk, DocMeta, Document, sha256_text
from ingest.errors import CivilQAError, IndexStoreError, IngestError, InputError
from ingest.limits import MAX_INGEST_CHUNKS, ingest_budget_error
from ingest.pipeline import discover, process_file, sidecars_for
from ingest.suffixes import SUPPORTED_LABEL

from . import store
from . import tokenize
from .artifacts import ArtifactBuilders, artifact_fingerprints, code_fingerprint
from .backend import Backend, publish
from .backend import resolve as resolve_backend
from .hybrid import build_bm25
from .tokenize import Tokenizer, han_bigrams
from .vector_cache import VectorCache

Progress = Callable[[str, int, int], None]  # (stage, done, total)
MODES = ("sync", "add", "refresh")

# what BM25 was built by (the manifest records it): jieba words, and the Han bigrams as a second field
TOKENIZER = "jieba-search+stopwords;han-bigrams"
TOKENIZER_DATA = ("user_words.txt", "stopwords.txt")  # in index/data/: what the jieba tokens depend on


def tokenizer_version() -> str:
    """``TOKENIZER@<digest of TOKENIZER_DATA>``, as the manifest records it: an index whose BM25 was
    built before a user word or stopword was added is not current (BM25 is built again, vectors reused)."""
    return f"{TOKENIZER}@{code_fingerprint((), (), tuple(tokenize.DATA / f for f in TOKENIZER_DATA))}"


@dataclass
class BuildReport:
    documents: list[Document]
    chunks: int
    embedded: int
    reused: int
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    generation: Path | None = None
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # carried over untouched (mode="add")
    resumed: int = 0  # vectors taken from a killed ingest's checkpoint (index/vector_cache.py)


@dataclass
class _Source:
    """One document of the index being written."""

    document: Document
    chunks: list[Chunk]
    entry: dict[str, Any]  # its manifest entry
    path: str | None
    vectors: np.ndarray | None = None  # known vectors (taken over from the current index)


@lru_cache(maxsize=1)
def parser_fingerprint() -> str:
    """A digest of the ingest code and data: when it changes, unchanged files are parsed again."""
    base = Path(ingest.__file__).resolve().parent
    h = hashlib.sha256()
    for p in sorted(base.rglob("*")):
        if p.is_file() and p.suffix in (".py", ".json", ".txt") and "__pycache__" not in p.parts:
            h.update(p.relative_to(base).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


def _load_current(root: Path) -> store.LoadedIndex | None:
    try:
        return store.load(root, verify=True)
    except CivilQAError:
        return None  # none yet, or damaged: everything is read and embedded again


def _rows_by_source(index: store.LoadedIndex) -> dict[str, list[int]]:
    rows: dict[str, list[int]] = {}
    for i, c in enumerate(index.chunks):
        rows.setdefault(c.source, []).append(i)
    return rows


def document_from_index(index: store.LoadedIndex, source: str) -> Document:
    d = index.documents[source]
    entry = index.manifest["sources"].get(source, {})
    return Document(source=source, text=d["text"], sha256=d["sha256"], encoding=entry.get("encoding", ""),
                    meta=DocMeta(**d["meta"]), locations=d.get("locations"))


def _old_source(index: store.LoadedIndex, source: str, rows: list[int], vectors: np.ndarray | None) -> _Source:
    return _Source(document_from_index(index, source), [index.chunks[i] for i in rows],
                   dict(index.manifest["sources"][source]), index.manifest.get("files", {}).get(source),
                   vectors[rows] if vectors is not None else None)


def _entry(doc: Document, chunks: list[Chunk], path: Path, sidecar: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {"sha256": doc.sha256, "encoding": doc.encoding, "chars": len(doc.text),
                             "chunks": len(chunks), **doc.meta.to_dict(), "format": path.suffix.lower().lstrip("."),
                             "parser": parser_fingerprint(), "sidecar": sidecar.get(path.name) or {}}
    if doc.locations:
        unit = doc.locations["unit"]
        if unit == "row":  # spreadsheets: how many rows, over how many sheets
            extra = doc.locations.get("extra") or [{}] * len(doc.locations["numbers"])
            entry["rows"] = len({(e.get("sheet"), n) for n, e in zip(doc.locations["numbers"], extra)})
            entry["sheets"] = len({e.get("sheet") for e in extra} - {None})
        else:
            entry[{"page": "pages", "paragraph": "paragraphs"}[unit]] = max(doc.locations["numbers"], default=0)
        ocr = sorted({n for n, e in zip(doc.locations["numbers"], doc.locations.get("extra", [])) if e.get("ocr")})
        if ocr:
            entry["ocr_pages"] = ocr  # pages whose text was read by OCR
    return entry


def _unchanged(entry: dict[str, Any] | None, sha: str | None, sidecar: dict[str, Any], name: str) -> bool:
    return (entry is not None and sha is not None and entry.get("sha256") == sha
            and entry.get("parser") == parser_fingerprint() and entry.get("sidecar", {}) == (sidecar.get(name) or {}))


def _sha256(path: Path) -> str | None:
    try:
        return store.sha256_file(path) if path.is_file() else None
    except OSError:
        return None


def build_index(paths: list[Path] | None, root: Path, embedder, *, progress: Progress | None = None,
                artifacts: ArtifactBuilders | None = None, mode: str = "sync",
                backend: Backend | str | None = None) -> BuildReport:
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    for name in artifacts or {}:
        store.check_artifact_name(name)  # before anything is read or embedded
    t0 = time.perf_counter()
    root = Path(root)
    if mode != "refresh":
        files = discover([Path(p) for p in paths or []])
        if not files:
            raise IngestError(f"没有找到可导入的文件（{SUPPORTED_LABEL}）：{', '.join(map(str, paths or []))}"
                              f"（no input files）")
    with store.ingest_lock(root):
        old = _load_current(root)
        if mode == "refresh":
            files = _recorded_files(root, old)
        sidecar = sidecars_for(files)
        reusable = old is not None and old.embedder_id == embedder.id
        old_vectors = old.vectors() if reusable else None
        old_rows = _rows_by_source(old) if old is not None else {}
        old_entries = old.manifest["sources"] if old is not None else {}
        report = BuildReport([], 0, 0, 0)
        new: dict[str, _Source] = {}
        budget = 0  # chunks read by this ingest (MAX_INGEST_CHUNKS)
        for n, f in enumerate(files, 1):
            name = f.name
            entry = old_entries.get(name) if reusable else None
            if _unchanged(entry, _sha256(f), sidecar, name) and name in old.documents:
                src = _old_source(old, name, old_rows.get(name, []), old_vectors)
                src.path = str(f.resolve())
                new[name] = src
                report.unchanged.append(name)
            else:
                try:
                    ing = process_file(f, sidecar)
                except IngestError as exc:
                    report.errors.append(str(exc))
                    ing = None
                if ing is not None and budget + len(ing.chunks) > MAX_INGEST_CHUNKS:
                    # the file is fine, this run's budget is spent: a version already indexed stays
                    # (a refusal changes nothing); the next ingest takes the new one
                    keep = old is not None and name in old.documents
                    report.errors.append(str(ingest_budget_error(name, len(ing.chunks), budget))
                                         + ("；已保留索引中的旧版本（the indexed version is kept）" if keep else ""))
                    if keep:
                        new[name] = _old_source(old, name, old_rows.get(name, []), old_vectors)
                        report.kept.append(name)
                    ing = None
                if ing is not None:
                    budget += len(ing.chunks)
                    new[name] = _Source(ing.document, ing.chunks, _entry(ing.document, ing.chunks, f, sidecar),
                                        str(f.resolve()))
                    (report.changed if name in old_entries else report.added).append(name)
                    if ing.problems:  # read, but not whole: say which pages are missing
                        report.errors.append(f"部分内容未能读入：{name}（{'；'.join(ing.problems)}）")
            if progress:
                progress("读取", n, len(files))
        if not new:
            raise IngestError("没有任何文件导入成功，索引保持不变：\n" + "\n".join(report.errors))
        if mode == "add" and old is not None:
            final = [new.pop(s) if s in new else _old_source(old, s, old_rows.get(s, []), old_vectors)
                     for s in old_entries]
            report.kept = [s.document.source for s in final if s.document.source not in report.unchanged
                           and s.document.source not in report.changed]
            final += list(new.values())
        else:
            final = list(new.values())
        names = {s.document.source for s in final}
        report.removed = [s for s in old_entries if s not in names]
        _commit(root, {"id": embedder.id, "dim": int(embedder.dim)}, final, report, embedder=embedder,
                old=old if reusable else None, old_vectors=old_vectors, artifacts=artifacts, progress=progress,
                backend=backend)
    report.seconds = time.perf_counter() - t0
    return report


def is_current(paths: list[Path], root: Path, embedder_id: str, unreadable: dict[str, str] | None = None) -> bool:
    """True when the index at ``root`` was built by this embedder and parser from exactly the
    files under ``paths``, none changed since: ``build_index`` would write the same generation.
    ``unreadable``: name -> sha256 of files the last build could not ingest; while unchanged
    they are left out (they would fail again), so they do not force a rebuild every time."""
    unreadable = unreadable or {}
    files = [f for f in discover([Path(p) for p in paths])
             if not (f.name in unreadable and unreadable[f.name] == _sha256(f))]
    old = _load_current(Path(root))
    if old is None or old.embedder_id != embedder_id or not files or old.manifest.get("tokenizer") != tokenizer_version():
        return False  # (another tokenizer's BM25: built again, the vectors reused)
    sources = old.manifest["sources"]
    if {f.name for f in files} != set(sources) or len(files) != len(sources):
        return False
    sidecar = sidecars_for(files)
    return all(_unchanged(sources[f.name], _sha256(f), sidecar, f.name) for f in files)


def _recorded_files(root: Path, old: store.LoadedIndex | None) -> list[Path]:
    if old is None:
        raise IndexStoreError(f"索引不存在或已损坏：{root}。{store.REINGEST}")
    recorded = old.manifest.get("files", {})
    missing = [s for s in old.manifest["sources"] if s not in recorded]
    if missing:
        raise IndexStoreError(f"索引没有记录这些文件的位置：{'、'.join(missing)}。请用 civilqa ingest 目录 重新导入"
                              f"（the index does not record where its files are）")
    return [Path(recorded[s]) for s in old.manifest["sources"]]


def remove_sources(root: Path, names: list[str], *, artifacts: ArtifactBuilders | None = None,
                   progress: Progress | None = None, backend: Backend | str | None = None) -> BuildReport:
    """Drop sources from the index: nothing is read or embedded; vectors of the rest are kept."""
    t0 = time.perf_counter()
    root = Path(root)
    with store.ingest_lock(root):
        old = store.load(root, verify=True)
        wanted = list(dict.fromkeys(Path(n).name for n in names))
        unknown = [n for n in wanted if n not in old.documents]
        if unknown:
            raise InputError(f"索引中没有这个文件：{'、'.join(unknown)}（现有 {len(old.documents)} 个文件，"
                             f"可用 civilqa list 查看；not in the index）")
        rows = _rows_by_source(old)
        vectors = old.vectors()
        final = [_old_source(old, s, rows.get(s, []), vectors) for s in old.manifest["sources"] if s not in wanted]
        if not final:
            raise InputError("不能删除索引中的全部文件：至少要保留一个文件"
                             "（refusing to empty the index; ingest other files first）")
        report = BuildReport([], 0, 0, 0, removed=wanted, kept=[s.document.source for s in final])
        _commit(root, old.manifest["embedder"], final, report, embedder=None, old=None, old_vectors=None,
                artifacts=artifacts, progress=progress, backend=backend)
    report.seconds = time.perf_counter() - t0
    return report


def _artifacts(builders: ArtifactBuilders | None, documents: list[Document]) -> dict[str, Any]:
    built = {name: build(documents) for name, build in (builders or {}).items()}
    return {name: value for name, value in built.items() if value is not None}


def _reused_vectors(final: list[_Source], n: int, dim: int, old: store.LoadedIndex | None,
                    old_vectors: np.ndarray | None) -> tuple[np.ndarray, list[int]]:
    """The vectors of the ``n`` chunks of ``final`` that are known (a source's own, or an old
    chunk of the same text), and the rows still to embed."""
    vectors = np.zeros((n, dim), dtype=np.float32)
    todo: list[int] = []
    cache: dict[str, np.ndarray] | None = None
    i = 0
    for s in final:
        if s.vectors is not None and len(s.vectors) == len(s.chunks):
            vectors[i:i + len(s.chunks)] = s.vectors
        else:
            if cache is None:
                cache = ({sha256_text(c.index_text): old_vectors[j] for j, c in enumerate(old.chunks)}
                         if old is not None and old_vectors is not None else {})
            for j, c in enumerate(s.chunks):
                v = cache.get(sha256_text(c.index_text))
                if v is None:
                    todo.append(i + j)
                else:
                    vectors[i + j] = v
        i += len(s.chunks)
    return vectors, todo


def _embed_missing(root: Path, embedder, embedder_info: dict[str, Any], chunks: list, vectors: np.ndarray,
                   todo: list[int], report: BuildReport, progress: Progress | None) -> int:
    """Fill the ``todo`` rows of ``vectors``: from the checkpoint of an earlier ingest that was
    killed mid-way (index/vector_cache.py), else by the embedder, checkpointed batch by batch.
    Returns how many were embedded now."""
    dim = int(embedder_info["dim"])
    if todo and embedder is None:
        raise IndexStoreError(f"内部错误：{len(todo)} 个片段缺少向量。{store.REINGEST}")
    # vectors of an earlier ingest of this index that was killed mid-way (index/vector_cache.py)
    saved = VectorCache(root, embedder_info["id"], dim) if todo else None
    if saved is not None:
        known = saved.load()  # unreadable: nothing to resume
        still = []
        for k in todo:
            v = known.get(sha256_text(chunks[k].index_text))
            if v is not None and v.shape == (dim,):
                vectors[k] = v
            else:
                still.append(k)
        report.resumed = len(todo) - len(still)
        todo = still
    batch = 16
    for b in range(0, len(todo), batch):
        ids = todo[b:b + batch]
        vectors[ids] = embedder.encode_passages([chunks[k].index_text for k in ids])
        try:
            saved.append([sha256_text(chunks[k].index_text) for k in ids], vectors[ids])  # checkpoint
        except OSError as exc:  # a full disk now: the generation could not be written either
            raise store.disk_error(root, exc) from exc
        if progress:
            progress("向量化", min(b + batch, len(todo)), len(todo))
    return len(todo)


def _commit(root: Path, embedder_info: dict[str, Any], final: list[_Source], report: BuildReport, *,
            embedder, old: store.LoadedIndex | None, old_vectors: np.ndarray | None,
            artifacts: ArtifactBuilders | None, progress: Progress | None,
            backend: Backend | str | None = None) -> None:
    """Embed what is new, build BM25 and write the generation (the caller holds the lock); with
    the Milvus backend, publish it there (a new collection, then the alias swap)."""
    chunks = [c for s in final for c in s.chunks]
    dim = int(embedder_info["dim"])
    vectors, todo = _reused_vectors(final, len(chunks), dim, old, old_vectors)
    embedded = _embed_missing(root, embedder, embedder_info, chunks, vectors, todo, report, progress)
    tokenizer = Tokenizer()
    bm25 = build_bm25([tokenizer(c.index_text) for c in chunks])
    bigrams = build_bm25([han_bigrams(c.index_text) for c in chunks])
    documents = [s.document for s in final]
    manifest = {
        "embedder": {"id": embedder_info["id"], "dim": dim},
        "tokenizer": tokenizer_version(),
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "sources": {s.document.source: s.entry for s in final},
        "files": {s.document.source: s.path for s in final if s.path},
        "artifacts": artifact_fingerprints(artifacts),  # the versions the artifacts below are built by
    }
    docs_json = {}
    for d in documents:
        docs_json[d.source] = {"text": d.text, "sha256": d.sha256, "meta": d.meta.to_dict()}
        if d.locations:
            docs_json[d.source]["locations"] = d.locations
    if progress:
        progress("写入", 0, 1)
    report.generation = store.write_generation(root, manifest=manifest, documents=docs_json, chunks=chunks,
                                               vectors=vectors, bm25=bm25, bm25_bigrams=bigrams,
                                               artifacts=_artifacts(artifacts, documents))
    VectorCache.clear(root)  # the vectors are in the live generation now
    if resolve_backend(backend).is_milvus:
        if progress:
            progress("发布到 Milvus", 0, 1)
        publish(root, backend)
    if progress:
        progress("完成", 1, 1)
    report.documents = documents
    report.chunks = len(chunks)
    report.embedded = embedded
    report.reused = len(chunks) - embedded
