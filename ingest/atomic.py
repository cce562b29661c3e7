"""The one atomic writer: a new file or folder appears whole or not at all.

A file is written to a temporary name in the same folder, fsynced, and renamed over the target
(``os.replace``); a failure (or a kill) leaves the old file as it was and no temporary behind.
Every layer writes through here: the index store, the standards table, the knowledge base's
records, drafting and feedback exports, the jieba cache, eval reports.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.json"
>>> write_json_atomic(p, {"城市": "焦作"}); p.read_text(encoding="utf-8")
'{\\n "城市": "焦作"\\n}'
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def fsync_file(path: Path | str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")


def write_atomically(path: Path | str, write: Callable[[Path], None]) -> None:
    """``write(tmp)`` a new file next to ``path``, fsync it, then rename it over ``path``.

    ``write`` may replace or recreate ``tmp`` (python-docx, SQLite, openpyxl do); the file it
    leaves gets the usual permissions (umask), not mkstemp's 0600."""
    path = Path(path)
    tmp = _temp_name(path)
    try:
        write(tmp)
        fsync_file(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes_atomic(path: Path | str, data: bytes) -> None:
    """Bytes through a temp file in the same folder (fsynced) and ``os.replace``."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path | str, text: str) -> None:
    """UTF-8 text, atomically."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_json_atomic(path: Path | str, data: Any, indent: int | None = 1) -> None:
    """UTF-8 JSON (``ensure_ascii=False``: Chinese stays readable on disk), atomically."""
    write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=indent))


def write_dir_atomically(out: Path | str, name: str, fill: Callable[[Path], None]) -> Path:
    """``fill`` a temporary folder in ``out``, then rename it to ``out/name`` (``name-2``… when
    taken: two runs in the same second). Returns the folder's path."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    final, n = out / name, 1
    while final.exists():
        n += 1
        final = out / f"{name}-{n}"
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=out))
    try:
        fill(tmp)
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final
