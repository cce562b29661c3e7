"""Sentence-aware chunking of a cleaned document.

Chunks are runs of whole sentences (split after 。！？；) inside one paragraph,
at most ``max_chars`` long, and each new chunk repeats the previous chunk's last
sentence when it is short (``overlap_chars``) so that a fact split across a
boundary is still found whole. A table is one chunk, its header included, so
that every row is read with its header. Each chunk knows the section heading
it sits under; in a report whose headings trail their sections (the layout of
000: the report ends with a heading), the following heading is used. A "heading"
that heads nothing (followed by another heading or by the end of the text, such
as a guide's last line `咨询电话 0571-…`; the last block is always kept) is content
and becomes a chunk of its own,
so that no text of a document is out of reach of retrieval.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .cleaning import Block
from .document import Chunk, Document
from .errors import ConfigError

_SENTENCE = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[”’」』）)]*|$)")


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``, shifted by ``offset``; spaces trimmed."""
    spans = []
    for m in _SENTENCE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((offset + s, offset + e))
    return spans


def _split_long(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Cut a sentence longer than max_chars after commas, never inside a clause."""
    pieces: list[tuple[int, int]] = []
    s = start
    while end - s > max_chars:
        window = text[s:s + max_chars]
        cut = max(window.rfind(c) for c in "，,、：:")
        if cut <= 0:
            cut = max_chars - 1
        pieces.append((s, s + cut + 1))
        s = s + cut + 1
    pieces.append((s, end))
    return pieces


@dataclass(frozen=True)
class Chunker:
    """``Chunker(max_chars=200, overlap_chars=80)(document, blocks) -> list[Chunk]``."""

    max_chars: int = 200
    overlap_chars: int = 80

    def __post_init__(self) -> None:
        if self.max_chars < 20:
            raise ConfigError(f"max_chars 必须 ≥ 20，当前为 {self.max_chars}（max_chars must be at least 20）")
        if not 0 <= self.overlap_chars < self.max_chars:
            raise ConfigError(
                f"overlap_chars 必须在 0 与 max_chars 之间，当前为 {self.overlap_chars}"
                f"（overlap_chars must be in [0, max_chars)）")

    def __call__(self, doc: Document, blocks: list[Block]) -> list[Chunk]:
        text = doc.text
        meta = {"city": doc.meta.city, "year": doc.meta.year, "title": doc.meta.title,
                "period": doc.meta.period}
        # trailing layout: the text ends with a lone heading (one after a heading heads that one)
        trailing = bool(blocks) and blocks[-1].kind == "heading" and (len(blocks) < 2 or blocks[-2].kind != "heading")
        headings = self._headings(text, blocks, trailing)
        chunks: list[Chunk] = []

        def emit(start: int, end: int, heading: str | None, kind: str) -> None:
            body = text[start:end]
            ctx_parts = [p for p in (doc.meta.city, doc.meta.period, heading or doc.meta.title) if p]
            chunks.append(Chunk(
                id=Chunk.make_id(doc.source, start, end, body), source=doc.source, start=start,
                end=end, text=body, heading=heading, context=" ".join(ctx_parts), meta=dict(meta),
                kind=kind))

        i = 0
        while i < len(blocks):
            b = blocks[i]
            heading = headings[i]
            if b.kind == "heading":
                nxt = blocks[i + 1] if i + 1 < len(blocks) else None
                if nxt is None or (not trailing and nxt.kind == "heading"):
                    emit(b.start, b.end, heading, "text")
                i += 1
                continue
            if b.kind == "table":
                j = i
                while j + 1 < len(blocks) and blocks[j + 1].kind == "table":
                    j += 1
                emit(b.start, blocks[j].end, heading, "table")
                i = j + 1
                continue
            sentences: list[tuple[int, int]] = []
            for s, e in split_sentences(text[b.start:b.end], b.start):
                sentences.extend(_split_long(text, s, e, self.max_chars))
            cur: list[tuple[int, int]] = []
            for s, e in sentences:
                if cur and e - cur[0][0] > self.max_chars:
                    emit(cur[0][0], cur[-1][1], heading, "text")
                    last = cur[-1]
                    overlap = last[1] - last[0] <= self.overlap_chars and (e - last[0]) <= self.max_chars
                    cur = [last] if overlap else []
                cur.append((s, e))
            if cur:
                emit(cur[0][0], cur[-1][1], heading, "text")
            i += 1
        return chunks

    @staticmethod
    def _headings(text: str, blocks: list[Block], trailing: bool) -> list[str | None]:
        out: list[str | None] = [None] * len(blocks)
        order = range(len(blocks) - 1, -1, -1) if trailing else range(len(blocks))
        current: str | None = None
        for i in order:
            b = blocks[i]
            if b.kind == "heading":
                current = text[b.start:b.end]
            out[i] = current
        return out
