"""Data that flows between stages: small frozen dataclasses with deterministic ids."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, asdict
from typing import Any


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class DocMeta:
    """What a report is about. ``city`` is the full region name (e.g. 郑州市惠济区)."""

    city: str | None
    year: int | None
    title: str
    period: str | None = None
    publisher: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Document:
    """A cleaned source report. ``text`` is what chunk offsets refer to."""

    source: str  # file name, e.g. 002_39dfedb441b95935.txt
    text: str
    sha256: str  # of the raw file bytes
    encoding: str
    meta: DocMeta
    # where each PDF page / docx paragraph starts in ``text`` (ingest.formats.Locations.to_dict())
    locations: dict[str, Any] | None = None


@dataclass(frozen=True)
class Chunk:
    """A span of a cleaned document. ``text == document.text[start:end]``.

    ``context`` is prepended to the text for indexing only (title, section
    heading, table header) so that a chunk can be found by what it is about.
    """

    id: str
    source: str
    start: int
    end: int
    text: str
    heading: str | None
    context: str
    meta: dict[str, Any] = field(default_factory=dict)
    kind: str = "text"  # "text" or "table"

    @staticmethod
    def make_id(source: str, start: int, end: int, text: str) -> str:
        return sha256_text(f"{source}\x00{start}\x00{end}\x00{text}")[:32]

    @property
    def index_text(self) -> str:
        """The text that is embedded and BM25-indexed."""
        return f"{self.context}\n{self.text}" if self.context else self.text

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Chunk":
        return cls(**d)
