"""Source file -> Document -> chunks: the ingest entry point used by the index builder."""
from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .chunking import Chunker
from .cleaning import clean_with_blocks
from .document import Chunk, Document
from .errors import CivilQAError, IngestError
from .formats import Locations, assemble, extract
from .limits import check_chars, check_chunks
from .loading import SUPPORTED_SUFFIXES, TEXT_SUFFIXES, check_source, load_file
from .metadata import SIDECAR_NAME, apply_sidecar, detect, load_sidecar
from .text import YEAR


@dataclass(frozen=True)
class Ingested:
    document: Document
    chunks: list[Chunk]
    problems: tuple[str, ...] = ()  # parts of the file that could not be read (第3页无法识别)


def process_file(path: Path, sidecar: dict[str, Any] | None = None,
                 chunker: Chunker | None = None) -> Ingested:
    """Read, clean, describe and chunk one source (any of ``SUPPORTED_SUFFIXES``).

    Whatever goes wrong inside one file's parse is that file's ``IngestError``, with its name:
    one bad file never ends an ingest of many (the others are still read)."""
    path = Path(path)
    try:
        return _process(path, sidecar, chunker)
    except CivilQAError:
        raise
    except (Exception, RecursionError) as exc:  # a parser's own failure on this file's bytes
        raise IngestError(f"无法读取：{path.name}（{type(exc).__name__}: {str(exc)[:200]}）") from exc


def _process(path: Path, sidecar: dict[str, Any] | None, chunker: Chunker | None) -> Ingested:
    locations: Locations | None = None
    problems: tuple[str, ...] = ()
    if path.suffix.lower() in TEXT_SUFFIXES:
        loaded = load_file(path)
        check_chars(path.name, len(loaded.text))
        text, blocks = clean_with_blocks(loaded.text)
        sha256, encoding = loaded.sha256, loaded.encoding
    else:
        data = check_source(path).read_bytes()
        extracted = extract(path, data)
        check_chars(path.name, sum(len(u.text) for u in extracted.units))
        text, blocks, locations = assemble(extracted)
        sha256, encoding = hashlib.sha256(data).hexdigest(), extracted.encoding
        problems = extracted.problems
    if not text.strip():
        raise IngestError(f"清洗后没有可用文字：{path.name}（no text left after cleaning）")
    meta = apply_sidecar(detect(text, blocks, path.name), (sidecar or {}).get(path.name))
    doc = Document(source=path.name, text=text, sha256=sha256, encoding=encoding, meta=meta,
                   locations=locations.to_dict() if locations else None)
    chunks = (chunker or Chunker())(doc, blocks)
    if not chunks:
        raise IngestError(f"没有可检索的片段：{path.name}（清洗后的文字切分不出片段；no chunks）")
    check_chunks(path.name, len(chunks))
    if locations is not None:
        chunks = [_with_location(c, locations) for c in chunks]
    return Ingested(doc, chunks, problems)


def _with_location(chunk: Chunk, locations: Locations) -> Chunk:
    """Chunk metadata gains the page/paragraph/row it starts on (and ends on, when different),
    and what else its first location says (``sheet``, ``ocr``); a sheet whose name states one
    year (2022年标准) gives its chunks that year."""
    where = locations.where(chunk.start)
    first, last = locations.at(chunk.start), locations.at(max(chunk.start, chunk.end - 1))
    meta = {**chunk.meta, **where}
    years = {int(y) for y in YEAR.findall(str(where.get("sheet") or ""))}
    if len(years) == 1:  # a workbook's sheet 2022年标准 holds 2022's figures, whatever the workbook's year
        meta["year"] = years.pop()
    if last != first:
        meta[f"{locations.unit}_end"] = last
    return dataclasses.replace(chunk, meta=meta)


def discover(paths: list[Path]) -> list[Path]:
    """Expand folders into their supported files (sorted); keep explicit files as given.
    A symbolic link in a folder that leads outside it is not followed (a link to /etc/passwd
    named report.txt is not a report of that folder)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            folder = p.resolve()
            out.extend(sorted(f for f in p.iterdir()
                              if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES
                              and f.name != SIDECAR_NAME and not f.name.startswith((".", "~$"))
                              and f.resolve().is_relative_to(folder)))
        else:
            out.append(p)
    seen: set[str] = set()
    unique = []
    for p in out:
        if p.name in seen:
            raise IngestError(f"文件名重复：{p.name}（两个来源同名，引用会混淆；duplicate file name）")
        seen.add(p.name)
        unique.append(p)
    return unique


def sidecars_for(paths: list[Path]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for folder in sorted({p.parent for p in paths}):
        merged.update(load_sidecar(folder))
    return merged
