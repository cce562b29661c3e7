"""How much work one source file, and one ingest, may cause: each limit with its reason.

Every limit refuses (the file is reported by name with the limit, the rest of the ingest goes
on) rather than truncates: a truncated report would be cited as the source while its missing
part is answered with 资料中没有, and nobody would know. A file over a limit should be split.
The values are listed in docs/operations.md (§5).
"""
from __future__ import annotations

from .errors import IngestError

# Characters extracted from one file, before cleaning. The five seed reports have 2 800–7 600
# each. (The red team's 7.9 MB .docx held 49 million.)
MAX_FILE_CHARS = 500_000
# Chunks of one file: embedding is the slow step of an ingest (docs/operations.md has the rate).
MAX_FILE_CHUNKS = 4_000
# Chunks of the files read (added or changed) by one ingest, together: the embedding holds the
# ingest lock meanwhile. Files past it are refused by name; ingest them next time.
MAX_INGEST_CHUNKS = 20_000
# The body of a Word document (word/document.xml) as its archive declares it, uncompressed:
# python-docx builds the whole XML tree in memory (~20 bytes per byte of XML).
MAX_DOCX_XML_BYTES = 25 * 1024 * 1024


def check_chars(name: str, chars: int, limit: int = MAX_FILE_CHARS) -> None:
    if chars > limit:
        raise IngestError(f"文件文字过多：{name} 提取出 {chars} 字以上，上限 {limit} 字，请拆分后再导入"
                          f"（too much text: over {limit} characters）")


def check_chunks(name: str, chunks: int, limit: int = MAX_FILE_CHUNKS) -> None:
    if chunks > limit:
        raise IngestError(f"文件片段过多：{name} 切分出 {chunks} 个片段，上限 {limit} 个，请拆分后再导入"
                          f"（too many chunks: {chunks} > {limit}）")


def ingest_budget_error(name: str, chunks: int, used: int, limit: int = MAX_INGEST_CHUNKS) -> IngestError:
    return IngestError(f"本次导入的新片段已达上限：{name} 有 {chunks} 个片段，本次已读入 {used} 个，"
                       f"每次导入上限 {limit} 个。其他文件照常导入，请再运行一次导入以加入此文件"
                       f"（ingest chunk budget of {limit} reached）")
