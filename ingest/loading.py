"""Read a source file into text: encoding detection without ever dropping bytes.

A byte-order mark decides (UTF-8, UTF-16 LE/BE). Otherwise strict UTF-8 is taken when it
decodes (it is self-checking: other encodings of Chinese text are almost never valid UTF-8).
Else every candidate of ``CANDIDATES`` (GB18030, a superset of GBK and GB2312; Big5; UTF-16
LE/BE without BOM) that decodes strictly to text (not control characters) is scored by the
share of its characters that Chinese text is made of (ASCII, punctuation, the 3755 common
characters of GB2312 level 1 in simplified or traditional form): the right decode of a report
scores ~0.97–1.0, a wrong one (Big5 read as GB18030: ``礘硂…``; GB18030 read as UTF-16) under
0.6 (``benchmarks``: ``python -m eval.encodings``). charset-normalizer decides between
candidates that score alike in a text of 20 characters or more; a tie in a shorter text (where
charset-normalizer guesses: 低保 in GB18030 is Big5 to it) goes to the first of ``CANDIDATES``.

Every decode is strict, and the text it yields is checked: control characters (a binary
file), private-use characters (GB18030's user-defined areas: bytes of another encoding) or a
low score (mojibake) are an error that names the file, never a silently mangled document.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import IngestError
from .suffixes import SUPPORTED_LABEL, SUPPORTED_SUFFIXES, TEXT_SUFFIXES  # noqa: F401 (re-exported)
from .text import converter

MAX_FILE_BYTES = 20 * 1024 * 1024
CANDIDATES = ("gb18030", "big5", "cp950", "utf-16-le", "utf-16-be")  # order = preference on a tie
BOMS = ((b"\xef\xbb\xbf", "utf-8-sig", "utf-8"), (b"\xff\xfe", "utf-16-le", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be", "utf-16-be"))  # (mark, reported name, codec of the rest)
MIN_PLAUSIBLE = 0.8  # the share of plausible characters below which a decode is mojibake
MIN_EVIDENCE = 20  # characters (not spaces) a text needs before its score can refuse it
NEAR_TIE = 0.02  # scores this close are decided by charset-normalizer
SUPPORTED_ENCODINGS = "UTF-8（可带 BOM）、GB18030/GBK、Big5、UTF-16（可带 BOM）"
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")  # C0 controls but tab, line ends, form feed, escape
_PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")
# symbols a report holds besides ASCII and Han: Latin-1 (×, ·), general punctuation, ℃, ①,
# box drawing and shapes (■), CJK punctuation, full-width forms
_SYMBOLS = re.compile("[\u00a0-\u00ff\u2000-\u22ff\u2460-\u25ff\u3000-\u303f\uff00-\uffef]")


@dataclass(frozen=True)
class LoadedFile:
    path: Path
    text: str
    encoding: str
    sha256: str


def _looks_binary(data: bytes | str) -> bool:
    """NULs or many control characters other than tab/newline/carriage return/form feed/escape
    (on bytes, or on a decoded text)."""
    sample = data[:8192]
    nul = b"\x00" if isinstance(sample, bytes) else "\x00"
    if nul in sample:
        return True
    codes = sample if isinstance(sample, bytes) else map(ord, sample)
    ctrl = sum(1 for b in codes if b < 32 and b not in (9, 10, 12, 13, 27))
    return ctrl > max(4, len(sample) // 100)


@lru_cache(maxsize=1)
def _common_han() -> frozenset[str]:
    """GB2312 level 1 (the 3755 common characters) and their traditional forms."""
    chars = []
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.append(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    simplified = "".join(chars)
    return frozenset(simplified).union(*(converter(c).convert(simplified) for c in ("s2t", "s2tw", "s2hk")))


def plausibility(text: str, limit: int = 200_000) -> tuple[float, int]:
    """(share of plausible characters, characters counted) over the first ``limit`` characters
    that are not spaces: ASCII, the symbols of ``_SYMBOLS`` and the common Han characters."""
    common = _common_han()
    n = ok = 0
    for c in text[:limit]:
        if c.isspace():
            continue
        n += 1
        if c in common or (c < "\x7f" and c.isprintable()) or _SYMBOLS.match(c):
            ok += 1
    return (ok / n if n else 1.0), n


def _checked(text: str, encoding: str, name: str) -> tuple[str, str]:
    if _looks_binary(text):
        raise IngestError(f"不是文本文件（含二进制内容）：{name}（binary file, not text）")
    m = _PRIVATE_USE.search(text)
    if m:
        line = text.count("\n", 0, m.start()) + 1
        raise IngestError(
            f"无法识别文件编码：{name} 按 {encoding} 解码后第 {line} 行含私用区字符 U+{ord(m.group()):04X}，"
            f"多半是编码判断错误或文件已损坏；请另存为 UTF-8 后重试（支持 {SUPPORTED_ENCODINGS}）"
            f"（cannot decode {name}: decoding as {encoding} yields private-use characters）")
    return text, encoding


def _decodes(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _tie_break(data: bytes, tied: list[str]) -> str:
    """charset-normalizer's choice among encodings whose decodes score alike, else the first."""
    from charset_normalizer import from_bytes

    codecs = {c.replace("-", "_"): c for c in tied}
    best = from_bytes(data, cp_isolation=list(codecs)).best()
    return codecs.get(best.encoding, tied[0]) if best is not None else tied[0]


def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Return (text, encoding) or raise IngestError naming ``name``."""
    if not data.strip():
        raise IngestError(f"文件为空：{name}（empty file）")
    for mark, reported, codec in BOMS:
        if data.startswith(mark):
            try:
                return _checked(data[len(mark):].decode(codec), reported, name)
            except UnicodeDecodeError as exc:
                raise IngestError(
                    f"无法解码：{name} 带 {reported.upper()} BOM，但第 {exc.start + len(mark)} 字节处不是合法的"
                    f" {codec.upper()}（cannot decode {name}: invalid {codec} at byte {exc.start + len(mark)}）"
                ) from None
    text = _decodes(data, "utf-8")
    if text is not None and not _CONTROL.search(text):
        return _checked(text, "utf-8", name)
    decoded: dict[str, str] = {}
    for enc in ("utf-8",) + CANDIDATES:  # UTF-8 with control characters: UTF-16 of a few characters?
        t = _decodes(data, enc)
        if t is not None and not _looks_binary(t) and t not in decoded.values():
            decoded[enc] = t
    if not decoded:
        if _looks_binary(data):
            raise IngestError(f"不是文本文件（含二进制内容）：{name}（binary file, not text）")
        raise IngestError(f"无法识别文件编码：{name}（支持 {SUPPORTED_ENCODINGS}）"
                          f"（cannot decode {name}: not UTF-8, GB18030, Big5 or UTF-16）")
    scores = {enc: plausibility(t) for enc, t in decoded.items()}
    top = max(s for s, _ in scores.values())
    tied = [enc for enc in decoded if scores[enc][0] >= top - NEAR_TIE]
    # charset-normalizer is unreliable on a few characters (it reads 低保 in GB18030 as Big5)
    enc = tied[0] if len(tied) == 1 or scores[tied[0]][1] < MIN_EVIDENCE else _tie_break(data, tied)
    score, counted = scores[enc]
    if score < MIN_PLAUSIBLE and counted >= MIN_EVIDENCE:
        if _looks_binary(data):  # bytes that look binary and decode to no plausible text
            raise IngestError(f"不是文本文件（含二进制内容）：{name}（binary file, not text）")
        raise IngestError(
            f"无法识别文件编码：{name} 无论按哪种编码解码都是乱码（按 {enc} 解码仅 {score:.0%} 为常见字符）；"
            f"请另存为 UTF-8 后重试（支持 {SUPPORTED_ENCODINGS}）"
            f"（cannot decode {name}: every decoding is mojibake, best {enc} with {score:.0%} plausible characters）")
    return _checked(decoded[enc], enc, name)


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
