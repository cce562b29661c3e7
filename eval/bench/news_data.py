"""The real-text benchmark's material (``eval.bench_news``): the news-20k items through the
product's ingest, real sample vectors (cached) and the vectors derived from them, and the varied
copies (places and figures) that take the collection past the corpus."""
from __future__ import annotations

import gzip
import json
import random
import re
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from index.vector_cache import VectorCache
from ingest.document import sha256_text
from ingest.errors import IngestError
from ingest.pipeline import process_file
from ingest.places import gazetteer

from .common import ROOT

NEWS = ROOT.parent / "shared" / "corpus" / "news-20k" / "news-20k.jsonl.gz"
CACHE = ROOT / ".civilqa" / "bench-news"
SIGMA = 0.02


def read_news(path: Path = NEWS, limit: int | None = None) -> list[tuple[str, str]]:
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                out.append((d["id"], d["text"]))
                if limit and len(out) >= limit:
                    break
    return out


def ingest_items(items: list[tuple[str, str]], work: Path) -> tuple[list[Any], dict[str, Any]]:
    """Each item through the product's ingest (load, clean, metadata, chunk) as a .txt file."""

    work.mkdir(parents=True, exist_ok=True)
    done, failed, chars = [], 0, 0
    t = time.perf_counter()
    for n, (_, text) in enumerate(items):
        p = work / f"news-{n:05d}.txt"
        p.write_text(text, encoding="utf-8")
        try:
            ing = process_file(p)
        except IngestError:
            failed += 1
            continue
        done.append(ing)
        chars += len(ing.document.text)
    s = time.perf_counter() - t
    chunks = sum(len(i.chunks) for i in done)
    return done, {"items": len(items), "failed": failed, "documents": len(done), "chunks": chunks,
                  "chars": chars, "parse_s": s, "parse_chunks_per_s": chunks / s if s else None}


def sample_vectors(texts: list[str], rows: list[int], embedder) -> tuple[Any, dict[str, Any]]:
    """Real passage vectors of ``texts[rows]``, through a cache keyed by the text's sha256."""

    import fcntl

    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / ".embed.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two benchmark runs embed the same sample once, not twice
        cache = VectorCache(CACHE, embedder.id, embedder.dim)
        known = cache.load()
        shas = [sha256_text(texts[r]) for r in rows]
        todo = [i for i, s in enumerate(shas) if s not in known]
        t = time.perf_counter()
        for b in range(0, len(todo), 16):
            ids = todo[b:b + 16]
            vecs = embedder.encode_passages([texts[rows[i]] for i in ids])
            cache.append([shas[i] for i in ids], vecs)
            known.update(zip((shas[i] for i in ids), vecs))
            print(f"embedded {b + len(ids)}/{len(todo)}", file=sys.stderr, flush=True)
        s = time.perf_counter() - t
    out = np.stack([known[x] for x in shas]).astype(np.float32)
    return out, {"sample": len(rows), "embedded_now": len(todo), "embed_s": s,
                 "embed_chunks_per_s": len(todo) / s if todo and s else None}


def derived_vectors(n: int, sample, seed: int = 11, batch: int = 100_000):
    """Normalised sum of two random sample vectors plus N(0, SIGMA²) per dimension."""
    rng = np.random.default_rng(seed)
    d = sample.shape[1]
    out = np.empty((n, d), dtype=np.float32)
    for s in range(0, n, batch):
        e = min(n, s + batch)
        ab = rng.integers(0, len(sample), size=(e - s, 2))
        v = sample[ab[:, 0]] + sample[ab[:, 1]] + SIGMA * rng.standard_normal((e - s, d), dtype=np.float32)
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        out[s:e] = v
    return out


class Variants:
    """Copy ``c`` of a text: gazetteer places replaced by others of the same length, digits 3–9
    permuted; the same substitutions applied to a token."""

    def __init__(self, seed: int = 7) -> None:

        names = sorted({p.name for p in gazetteer().values() if len(p.name) >= 2})
        self.place_re = re.compile("|".join(re.escape(x) for x in sorted(names, key=len, reverse=True)))
        self.by_len: dict[int, list[str]] = {}
        for x in names:
            self.by_len.setdefault(len(x), []).append(x)
        self.seed = seed

    def maps(self, copy: int) -> tuple[dict[str, str], dict[int, int]]:
        """(place -> place of the same length, digit table). A place's stem (焦作 of 焦作市, a
        token jieba's search mode cuts out of it) maps to the other place's stem."""
        rng = random.Random(self.seed * 1_000 + copy)
        places = {x: rng.choice(group) for group in self.by_len.values() for x in group}
        for x, y in list(places.items()):
            if len(x) >= 3:
                places.setdefault("\0" + x[:-1], y[:-1])
        digits = list("3456789")
        rng.shuffle(digits)
        return places, str.maketrans("3456789", "".join(digits))

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        return [(m.start(), m.end(), m.group()) for m in self.place_re.finditer(text)]

    @staticmethod
    def apply(text: str, spans: list[tuple[int, int, str]], places: dict[str, str], digits: dict[int, int]) -> str:
        parts, at = [], 0
        for s, e, name in spans:
            parts += [text[at:s], places[name]]
            at = e
        parts.append(text[at:])
        return "".join(parts).translate(digits)

    def token(self, tok: str, places: dict[str, str], digits: dict[int, int]) -> str:
        stem = places.get("\0" + tok)
        if stem is not None:
            return stem.translate(digits)
        return self.place_re.sub(lambda m: places[m.group()], tok).translate(digits)
