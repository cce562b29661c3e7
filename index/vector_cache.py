"""Embedding progress that survives a killed ingest: vectors appended to a file as they are made.

Embedding is the slow step of an ingest (hours for a big batch). ``index.builder`` appends every
batch of new vectors here, fsynced, under the ingest lock; an ingest that is killed (``kill -9``,
power loss) leaves the file behind and the next ingest reuses its vectors instead of starting
from zero. A successful ingest deletes it: the vectors are then in the generation.

One file per embedder in the index directory, ``.vectors-<digest of the embedder id>.cache``:
fixed-size records of the sha256 of the embedded text (32 bytes), the float32 vector and a CRC32
of both. A torn last record (the kill came mid-write) or a damaged one ends the file there: what
follows is embedded again, nothing wrong is ever reused. Raw bytes only, never a pickle.
"""
from __future__ import annotations

import hashlib
import os
import zlib
from pathlib import Path

import numpy as np

PREFIX = ".vectors-"
SUFFIX = ".cache"


class VectorCache:
    def __init__(self, root: Path, embedder_id: str, dim: int) -> None:
        digest = hashlib.sha256(f"{embedder_id}\0{dim}".encode("utf-8")).hexdigest()[:16]
        self.path = Path(root) / f"{PREFIX}{digest}{SUFFIX}"
        self.dim = int(dim)
        self.record = 32 + 4 * self.dim + 4
        self._valid_bytes: int | None = None

    def load(self) -> dict[str, np.ndarray]:
        """Vectors by the hex sha256 of their text, from every intact record."""
        out: dict[str, np.ndarray] = {}
        try:
            data = self.path.read_bytes() if self.path.exists() else b""
        except OSError:
            self._valid_bytes = 0
            return out
        n = 0
        while n + self.record <= len(data):
            body, crc = data[n:n + self.record - 4], int.from_bytes(data[n + self.record - 4:n + self.record], "little")
            if zlib.crc32(body) != crc:
                break
            out[body[:32].hex()] = np.frombuffer(body[32:], dtype="<f4").astype(np.float32)
            n += self.record
        self._valid_bytes = n
        return out

    def append(self, shas: list[str], vectors: np.ndarray) -> None:
        """Add records and fsync: after this returns, a kill loses none of them."""
        if self._valid_bytes is None:
            self.load()
        vectors = np.ascontiguousarray(vectors, dtype="<f4")
        parts = []
        for sha, vec in zip(shas, vectors):
            body = bytes.fromhex(sha) + vec.tobytes()
            parts.append(body + zlib.crc32(body).to_bytes(4, "little"))
        with open(self.path, "r+b" if self.path.exists() else "wb") as f:
            f.truncate(self._valid_bytes)  # drop a torn or damaged tail before appending
            f.seek(self._valid_bytes)
            f.write(b"".join(parts))
            f.flush()
            os.fsync(f.fileno())
        self._valid_bytes += sum(len(p) for p in parts)

    @staticmethod
    def clear(root: Path) -> None:
        """Delete every embedder's cache (after a generation holding the vectors went live)."""
        for p in Path(root).glob(f"{PREFIX}*{SUFFIX}"):
            p.unlink(missing_ok=True)
