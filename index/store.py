"""The index on disk: versioned, checksummed, swapped in atomically. No pickle.

Layout of an index directory::

    CURRENT                 name of the live generation (replaced with os.replace)
    gen-<time>-<rand>/      one complete, immutable index
        manifest.json       format version, embedder id/dim, sources (sha256, meta), counts, file checksums,
                            and its own checksum (manifest_sha256, over its canonical JSON)
        documents.json      cleaned text and metadata of every source (citations quote it)
        chunks.jsonl        one chunk per line, row i = FAISS id i
        faiss.index         faiss.write_index of the vector index over normalised vectors: exact
                            IndexFlatIP, or IVF/HNSW above a size (index/ann.py; the kind, its
                            parameters and its measured recall@10 in the manifest's vector_index)
        bm25/               bm25s arrays (.npy, allow_pickle=False) and vocabulary (JSON)
        <name>.json         named artifacts an upper layer built from the documents at ingest
                            (``build_index(artifacts={name: builder})``; optional)
    .lock                   held while an ingest writes

A new generation is written completely in a temporary directory, every file
fsynced, renamed to ``gen-*``, and only then does CURRENT point at it. A crash
(kill -9, power loss) at any moment leaves CURRENT naming a complete generation;
a failed write (disk full) raises ``IndexStoreError`` and leaves nothing behind.
Loading verifies every checksum, the manifest's included, so a damaged file is
an error with a re-ingest hint, never a silently different answer.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from ingest.atomic import write_bytes_atomic, write_json_atomic  # noqa: F401 (the one atomic writer)
from ingest.document import Chunk
from ingest.errors import REINGEST, IndexStoreError  # noqa: F401 (REINGEST re-exported)

from . import ann
from .bm25lib import bm25s_module

# 2: faiss.index written by Python I/O (fsynced), manifest carries its own checksum
FORMAT_VERSION = 2
CURRENT = "CURRENT"
REQUIRED_FILES = ("documents.json", "chunks.jsonl", "faiss.index")
ARTIFACT_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")  # a file name of its own: <name>.json
RESERVED = {"manifest", "documents", "chunks", "faiss", "bm25"}
BIGRAMS = "bm25-bigrams"  # the second BM25 field's folder


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def manifest_digest(manifest: dict[str, Any]) -> str:
    """sha256 of the manifest's canonical JSON, its own ``manifest_sha256`` left out."""
    body = {k: v for k, v in manifest.items() if k != "manifest_sha256"}
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True,
                                     separators=(",", ":")).encode("utf-8")).hexdigest()


def write_bytes(path: Path, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _fsync_tree(path: Path) -> None:
    """fsync every file under ``path`` (bm25s and numpy do not), then the directories."""
    for p in sorted(path.rglob("*")):
        if p.is_file():
            fd = os.open(p, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        elif p.is_dir():
            _fsync_dir(p)
    _fsync_dir(path)


def disk_error(root: Path, exc: OSError) -> IndexStoreError:
    import errno

    full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
    if not full and exc.errno is None:  # a short write reported without errno (numpy, bm25s)
        try:
            full = shutil.disk_usage(root).free < 1024 * 1024
        except OSError:
            pass
    what = "磁盘空间不足" if full else "写入失败"
    return IndexStoreError(f"保存索引时{what}：{root}（{exc.strerror or exc}）。原有索引未改动，"
                           f"请释放空间或检查权限后重新导入：civilqa ingest"
                           f"（could not write the index: {exc}; the previous index is unchanged）")


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class IngestBusyError(IndexStoreError):
    """Another writer holds the index's ingest lock."""


@contextmanager
def ingest_lock(root: Path) -> Iterator[None]:
    """Serialise writers (ingest, add, refresh, remove): a second one fails at once with a
    clear message instead of waiting or racing. Readers never take the lock."""
    import fcntl

    root.mkdir(parents=True, exist_ok=True)
    f = open(root / ".lock", "w")
    try:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IngestBusyError(f"另一个入库任务正在进行：另一个导入正在写入索引目录 {root}，请等待其完成后再试"
                                  f"（another ingest holds the lock）") from None
        yield
    finally:
        f.close()


@dataclass
class LoadedIndex:
    root: Path
    generation: Path
    manifest: dict[str, Any]
    documents: dict[str, dict[str, Any]]  # source -> {"text", "meta", "sha256", ...}
    chunks: list[Chunk]
    faiss_index: Any
    bm25: Any
    bm25_bigrams: Any = None  # BM25 over the chunks' Han bigrams (index.tokenize.han_bigrams); None: not built

    def artifact_path(self, name: str) -> Path:
        """Where the named artifact of this generation is (it may not exist: built without it)."""
        return self.generation / f"{check_artifact_name(name)}.json"

    @property
    def embedder_id(self) -> str:
        return self.manifest["embedder"]["id"]

    @property
    def vector_index(self) -> dict[str, Any]:
        """Kind (flat | ivf | ivf_sq | hnsw), parameters and measured recall@10 of the vector index."""
        return self.manifest.get("vector_index") or {"kind": "flat", "params": {}}

    def search(self, query_vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids) of the ``k`` nearest chunks of each query vector (inner product over
        normalised vectors), whatever the index kind; ids are rows of ``chunks``, -1 for none."""
        q = np.ascontiguousarray(query_vectors, dtype=np.float32).reshape(-1, self.faiss_index.d)
        return self.faiss_index.search(q, k)

    def document_frequency(self, token: str) -> int | None:
        """How many chunks hold the BM25 token ``token`` (the length of its postings), 0 for a
        token not in the vocabulary; None when this index carries no bm25s arrays."""
        scores = getattr(self.bm25, "scores", None)
        vocab = getattr(self.bm25, "vocab_dict", None)
        if not isinstance(scores, dict) or "indptr" not in scores or vocab is None:
            return None
        tid = vocab.get(token)
        if tid is None:
            return 0
        indptr = scores["indptr"]
        return int(indptr[tid + 1] - indptr[tid])

    def vectors(self) -> np.ndarray:
        n = self.faiss_index.ntotal
        return self.faiss_index.reconstruct_n(0, n) if n else np.zeros((0, self.faiss_index.d), np.float32)


def current_generation(root: Path) -> Path | None:
    pointer = root / CURRENT
    if not pointer.is_file():
        return None
    name = pointer.read_text(encoding="utf-8").strip()
    if not name.startswith("gen-") or "/" in name or ".." in name:
        raise IndexStoreError(f"索引指针文件 {pointer} 内容无效：{name!r}。{REINGEST}")
    gen = root / name
    if not gen.is_dir():
        raise IndexStoreError(f"索引指针文件 {pointer} 指向的目录缺失：{gen}。{REINGEST}")
    return gen


def exists(root: Path) -> bool:
    try:
        return current_generation(root) is not None
    except IndexStoreError:
        return False


def check_artifact_name(name: str) -> str:
    if not ARTIFACT_NAME.fullmatch(name) or name in RESERVED:
        raise ValueError(f"not an artifact name: {name!r} (lower-case letters, digits, _; not {sorted(RESERVED)})")
    return name


@contextmanager
def _removed_on_failure(root: Path, tmp: Path) -> Iterator[Path]:
    """``tmp`` (a generation being written in ``root``) is removed if anything fails inside the
    block; an OSError becomes the disk error with its hint."""
    try:
        yield tmp
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise disk_error(root, exc) from exc
        raise


def building(root: Path):
    """A new temporary generation directory in ``root``, removed if writing it fails."""
    return _removed_on_failure(root, Path(tempfile.mkdtemp(dir=root, prefix=".tmp-gen-")))


def write_generation(root: Path, *, manifest: dict[str, Any], documents: dict[str, Any],
                     chunks: list[Chunk], vectors: np.ndarray, bm25: Any,
                     artifacts: dict[str, Any] | None = None, index_config: Any = None,
                     bm25_bigrams: Any = None) -> Path:
    """Write a complete generation and make it current. Returns its path. ``artifacts``: name ->
    JSON value, each written as ``<name>.json`` and checksummed like every other file. The vector
    index is chosen by size (``index_config``: an ``index.ann.IndexConfig``, default from the
    environment)."""
    import faiss

    if len(chunks) != len(vectors):
        raise ValueError(f"{len(chunks)} chunks but {len(vectors)} vectors")
    root.mkdir(parents=True, exist_ok=True)
    with building(root) as tmp:
        write_json_atomic(tmp / "documents.json", documents)
        with open(tmp / "chunks.jsonl", "w", encoding="utf-8") as f:
            for c in chunks:
                f.write(json.dumps(c.to_dict(), ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())
        dim = int(manifest["embedder"]["dim"])
        index, vector_info = ann.build(vectors, dim, index_config)
        # serialised in memory and written by Python: a full disk is an OSError like any other
        # write (faiss' own fwrite reports it as a RuntimeError), and the file is fsynced
        write_bytes(tmp / "faiss.index", faiss.serialize_index(index).tobytes())
        bm25.save(str(tmp / "bm25"))
        if bm25_bigrams is not None:
            bm25_bigrams.save(str(tmp / BIGRAMS))
        for name, value in (artifacts or {}).items():
            write_json_atomic(tmp / f"{check_artifact_name(name)}.json", value)
        manifest = dict(manifest)
        manifest["vector_index"] = vector_info
        manifest["counts"] = {"documents": len(documents), "chunks": len(chunks)}
    return seal(root, tmp, manifest)


def seal(root: Path, tmp: Path, manifest: dict[str, Any]) -> Path:
    """Checksum the files written in ``tmp``, write its manifest, fsync, rename it to a generation
    and switch CURRENT to it; the generation before stays as the previous one."""
    with _removed_on_failure(root, tmp):
        manifest = dict(manifest)
        manifest["format_version"] = FORMAT_VERSION
        manifest["checksums"] = {p.relative_to(tmp).as_posix(): sha256_file(p)
                                 for p in sorted(tmp.rglob("*")) if p.is_file() and p.name != "manifest.json"}
        manifest["manifest_sha256"] = manifest_digest(manifest)
        write_json_atomic(tmp / "manifest.json", manifest)
        _fsync_tree(tmp)
        gen = root / f"gen-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}"
        os.rename(tmp, gen)
        _fsync_dir(root)
    previous = None
    try:
        previous = current_generation(root)
    except IndexStoreError:
        pass
    pointer_tmp = root / f".{CURRENT}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        pointer_tmp.write_text(gen.name, encoding="utf-8")
        os.replace(pointer_tmp, root / CURRENT)
    except BaseException as exc:
        # CURRENT still names the previous generation: drop the one that never went live
        pointer_tmp.unlink(missing_ok=True)
        shutil.rmtree(gen, ignore_errors=True)
        if isinstance(exc, OSError):
            raise disk_error(root, exc) from exc
        raise
    _fsync_dir(root)
    _collect_garbage(root, keep={gen.name, previous.name if previous else ""})
    return gen


def _collect_garbage(root: Path, keep: set[str]) -> None:
    """Drop generations other than the current and the previous one, stale temp dirs, and the
    pointer's temp file of a writer killed between writing it and os.replace (writers hold the
    lock: no other writer's temp file can be there)."""
    for p in root.glob(f".{CURRENT}.*.tmp"):
        p.unlink(missing_ok=True)
    for p in root.iterdir():
        if p.is_dir() and (p.name.startswith("gen-") or p.name.startswith(".tmp-gen-")) and p.name not in keep:
            shutil.rmtree(p, ignore_errors=True)


def _read_faiss(path: Path):
    """The FAISS index with its vectors memory-mapped read-only where the index kind allows it
    (a generation's files never change): app workers of one machine (``civilqa ui --workers N``)
    share those pages through the page cache instead of holding a copy each. A kind that cannot
    be mapped is read into memory as before."""
    import faiss

    try:
        return faiss.read_index(str(path), faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY)
    except RuntimeError:
        return faiss.read_index(str(path))


def parse_manifest(text: str | bytes, *, verify: bool = True) -> dict[str, Any]:
    """A generation's manifest from its JSON text: the one reader, for the FAISS files, the copy
    published to Milvus and ``civilqa list``. It must be a JSON object of this ``FORMAT_VERSION``
    whose own checksum matches (``verify``); anything else is an ``IndexStoreError`` to re-ingest."""
    try:
        manifest = json.loads(text)
    except ValueError as exc:
        raise IndexStoreError(f"索引清单 manifest.json 无法读取（{exc}）。{REINGEST}") from None
    if not isinstance(manifest, dict):
        raise IndexStoreError(f"索引清单 manifest.json 内容无效。{REINGEST}（manifest is not a JSON object）")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise IndexStoreError(f"索引格式版本为 {version!r}，本程序需要 {FORMAT_VERSION}。{REINGEST}"
                              f"（index format version mismatch）")
    if verify and manifest.get("manifest_sha256") != manifest_digest(manifest):
        raise IndexStoreError(f"索引清单 manifest.json 已损坏或被修改（校验和不符）。{REINGEST}"
                              f"（checksum mismatch for manifest.json）")
    return manifest


def read_manifest(root: Path, *, verify: bool = True) -> tuple[Path, dict[str, Any]]:
    """The current generation's directory and manifest (no FAISS, no BM25: cheap)."""
    gen = current_generation(Path(root))
    if gen is None:
        raise IndexStoreError(f"索引不存在：{root}。{REINGEST}")
    try:
        text = (gen / "manifest.json").read_text(encoding="utf-8")
    except (OSError, ValueError) as exc:
        raise IndexStoreError(f"索引清单 manifest.json 无法读取（{exc}）。{REINGEST}") from None
    return gen, parse_manifest(text, verify=verify)


def load(root: Path, *, verify: bool = True) -> LoadedIndex:
    """Load the current generation; raise IndexStoreError with a re-ingest hint on any problem."""
    bm25s = bm25s_module()  # searching needs no scipy

    gen, manifest = read_manifest(root, verify=verify)
    if verify:
        checksums = manifest.get("checksums") or {}
        missing = [n for n in REQUIRED_FILES if n not in checksums]
        if missing or not any(n.startswith("bm25/") for n in checksums):
            raise IndexStoreError(f"索引清单 manifest.json 缺少文件校验和：{', '.join(missing) or 'bm25/'}。{REINGEST}"
                                  f"（manifest lists no checksum for {', '.join(missing) or 'bm25/'}）")
        for name, expected in checksums.items():
            path = gen / name
            if not path.is_file() or sha256_file(path) != expected:
                raise IndexStoreError(f"索引文件 {name} 已损坏或被修改（校验和不符）。{REINGEST}"
                                      f"（checksum mismatch for {name}）")
    try:
        documents = json.loads((gen / "documents.json").read_text(encoding="utf-8"))
        with open(gen / "chunks.jsonl", encoding="utf-8") as f:
            chunks = [Chunk.from_dict(json.loads(line)) for line in f if line.strip()]
        index = _read_faiss(gen / "faiss.index")
        bm25 = bm25s.BM25.load(str(gen / "bm25"), allow_pickle=False)
        bigrams = bm25s.BM25.load(str(gen / BIGRAMS), allow_pickle=False) if (gen / BIGRAMS).is_dir() else None
    except (OSError, ValueError, TypeError, RuntimeError) as exc:
        raise IndexStoreError(f"索引文件无法读取（{exc}）。{REINGEST}") from None
    if index.ntotal != len(chunks) or index.d != manifest["embedder"]["dim"]:
        raise IndexStoreError(f"索引内部不一致：{index.ntotal} 个向量、{len(chunks)} 个片段。{REINGEST}")
    ann.configure(index, manifest.get("vector_index"))
    return LoadedIndex(root, gen, manifest, documents, chunks, index, bm25, bigrams)
