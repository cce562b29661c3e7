"""Sentence-aware chunking of a cleaned document.

Chunks are runs of whole sentences (split after 。！？；) inside one paragraph,
at most ``max_chars`` long, and each new chunk repeats the previous chunk's last
sentence when it is short (``overlap_chars``) so that a fact split across a
boundary is still found whole. A table is one chunk, its header included, so
that every row is read with its header; a table longer than ``max_table_chars``
(a spreadsheet of every village) is cut between rows, and each later part carries
the header row in its indexing context and in ``meta["table_header"]``. Each chunk knows the section heading
it sits under; in a report whose headings trail their sections (the layout of
000: the report ends with a heading), the following heading is used. A "heading"
that heads nothing and holds a figure (followed by another heading, such as a
guide's line `咨询电话 0571-…`), and the text's last block, are content and become
chunks of their own (the title, even with its year, is not: it is the chunks'
context already),
so that no text of a document is out of reach of retrieval.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .cleaning import Block
from .datafiles import document_words
from .document import Chunk, Document
from .errors import ConfigError
from .signature import signature_line
from .text import split_sentences

_DIGIT = re.compile(r"\d")


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



# the date a joint issuers' line may end with (某省民政厅　某省财政厅　2025年3月)


@dataclass(frozen=True)
class Chunker:
    """``Chunker(max_chars=200, overlap_chars=80, max_table_chars=1000)(document, blocks) -> list[Chunk]``."""

    max_chars: int = 200
    overlap_chars: int = 80
    max_table_chars: int = 1000  # a longer table is cut between rows (see ``_table_parts``)

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
        # a signature (the issuers' line, the date) heads nothing, at the end or anywhere (an issuers'
        # line over the body: the title, not the issuers, says what the chunks under it are about)
        signed = [b.kind == "heading" and signature_line(text[b.start:b.end]) for b in blocks]
        # trailing layout: the text ends with a lone heading (one after a heading heads that one); a
        # closing signature is no trailing heading
        end = len(blocks)
        while end and signed[end - 1]:
            end -= 1
        trailing = end > 0 and blocks[end - 1].kind == "heading" and (end < 2 or blocks[end - 2].kind != "heading")
        headings = self._headings(text, blocks, trailing, signed)
        chunks: list[Chunk] = []

        def emit(start: int, end: int, heading: str | None, kind: str, table_header: str | None = None) -> None:
            body = text[start:end]
            # a chunk under no heading (or only the issuers' line, which heads nothing) is read with the
            # title: a table's rows are names and figures, and the title says what they are of (各市…标准)
            ctx_parts = [p for p in (doc.meta.city, doc.meta.period, heading or doc.meta.title) if p]
            chunk_meta = dict(meta)
            if table_header:  # a later part of a long table: its rows are read with the header
                ctx_parts.append(table_header.replace("\t", " "))
                chunk_meta["table_header"] = table_header
            chunks.append(Chunk(
                id=Chunk.make_id(doc.source, start, end, body), source=doc.source, start=start,
                end=end, text=body, heading=heading, context=" ".join(ctx_parts), meta=chunk_meta,
                kind=kind))

        i = 0
        while i < len(blocks):
            b = blocks[i]
            heading = headings[i]
            if b.kind == "heading":
                nxt = blocks[i + 1] if i + 1 < len(blocks) else None
                if nxt is None or (i > 0 and not trailing and nxt.kind == "heading"
                                   and _DIGIT.search(text[b.start:b.end])):
                    emit(b.start, b.end, heading, "text")
                i += 1
                continue
            if b.kind == "table":
                j = i
                while j + 1 < len(blocks) and blocks[j + 1].kind == "table":
                    j += 1
                for start, end, header in self._table_parts(text, blocks[i:j + 1]):
                    emit(start, end, heading, "table", header)
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

    def _table_parts(self, text: str, rows: list[Block]) -> list[tuple[int, int, str | None]]:
        """(start, end, header) of each chunk of a table: the whole table when it is at most
        ``max_table_chars`` long, else runs of whole rows that long, the first with the header
        row, the others carrying it as ``header`` (indexed as context, kept in the chunk's
        ``meta["table_header"]`` so that ``Table.from_text(header + "\n" + text)`` reads them)."""
        if rows[-1].end - rows[0].start <= self.max_table_chars or len(rows) < 3:
            return [(rows[0].start, rows[-1].end, None)]
        header = text[rows[0].start:rows[0].end]
        parts: list[tuple[int, int, str | None]] = []
        first = 0
        for k in range(1, len(rows) + 1):
            if k == len(rows) or (rows[k].end - rows[first].start > self.max_table_chars and k - first > (0 if first else 1)):
                parts.append((rows[first].start, rows[k - 1].end, header if first else None))
                first = k
        return parts

    @staticmethod
    def _headings(text: str, blocks: list[Block], trailing: bool, signed: list[bool]) -> list[str | None]:
        out: list[str | None] = [None] * len(blocks)
        order = range(len(blocks) - 1, -1, -1) if trailing else range(len(blocks))
        current: str | None = None
        for i in order:
            b = blocks[i]
            if b.kind == "heading" and not signed[i]:
                current = text[b.start:b.end]
            out[i] = current
        return out
