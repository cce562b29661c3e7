"""Read a source file into text: encoding detection without ever dropping bytes.

Order of attempts: UTF-8 (with or without BOM), GB18030 (a superset of GBK and
GB2312), then charset-normalizer's best guess. Every decode is strict: a file
that no encoding decodes cleanly is an error that names the file, never a
silently mangled document.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .errors import IngestError
from .suffixes import SUPPORTED_LABEL, SUPPORTED_SUFFIXES, TEXT_SUFFIXES  # noqa: F401 (re-exported)

MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class LoadedFile:
    path: Path
    text: str
    encoding: str
    sha256: str


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data[:8192]:
        return True
    sample = data[:8192]
    # Control bytes other than tab/newline/carriage return/form feed/escape.
    ctrl = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return ctrl > max(4, len(sample) // 100)


def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Return (text, encoding) or raise IngestError naming ``name``."""
    if not data.strip():
        raise IngestError(f"文件为空：{name}（empty file）")
    if _looks_binary(data):
        raise IngestError(f"不是文本文件（含二进制内容）：{name}（binary file, not text）")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise IngestError(
                f"无法解码：{name} 带 UTF-8 BOM，但第 {exc.start} 字节处不是合法 UTF-8"
                f"（cannot decode {name}: invalid UTF-8 at byte {exc.start}）"
            ) from None
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding), best.encoding
        except (UnicodeDecodeError, LookupError):
            pass
    raise IngestError(
        f"无法识别文件编码：{name}（支持 UTF-8、UTF-8 BOM、GB18030/GBK）"
        f"（cannot decode {name}: not UTF-8 or GB18030）"
    )


def check_source(path: str | Path, suffixes: tuple[str, ...] = SUPPORTED_SUFFIXES) -> Path:
    """The checks every source passes before it is read: type, existence, size."""
    p = Path(path)
    if p.suffix.lower() not in suffixes:
        raise IngestError(
            f"不支持的文件类型：{p.name}（支持 {SUPPORTED_LABEL}）"
            f"（unsupported file type {p.suffix!r}）"
        )
    if not p.is_file():
        raise IngestError(f"找不到文件：{p}（file not found）")
    size = p.stat().st_size
    if size > MAX_FILE_BYTES:
        raise IngestError(
            f"文件过大：{p.name} 为 {size} 字节，上限 {MAX_FILE_BYTES} 字节（file too large）"
        )
    return p


def load_file(path: str | Path) -> LoadedFile:
    """Read one ``.txt``/``.md`` file; raise ``IngestError`` naming it on any problem.
    (Word, PDF and HTML files are read by ``ingest.formats`` through ``pipeline.process_file``.)"""
    p = check_source(path, TEXT_SUFFIXES)
    data = p.read_bytes()
    text, encoding = decode_bytes(data, p.name)
    return LoadedFile(path=p, text=text, encoding=encoding, sha256=hashlib.sha256(data).hexdigest())
