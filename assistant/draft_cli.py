"""``civilqa draft``: a reply draft to a citizen's message, printed or exported.

    civilqa draft --in message.txt                 # Markdown on stdout
    civilqa draft --in message.txt --out reply.docx
    civilqa draft --in message.txt --out reply.md
    civilqa draft --in - --json < message.txt      # the Draft as JSON

Everything that can be checked without the index is checked first (message file,
limits, template, output path), so bad input fails fast and writes nothing.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from ingest.console import fail, progress_printer
from ingest.errors import CivilQAError, InputError
from ingest.loading import decode_bytes

from .chain import open_assistant
from .cli_options import EmbedderOpt, IndexDirOpt
from .drafting import (
    MAX_MESSAGE_CHARS,
    MAX_MESSAGE_FILE_BYTES,
    check_export_path,
    draft_reply,
    load_template,
    parse_message,
    read_message_file,
)


def _read_stdin() -> str:
    data = sys.stdin.buffer.read(MAX_MESSAGE_FILE_BYTES + 1)
    if len(data) > MAX_MESSAGE_FILE_BYTES:
        raise InputError(f"留言过长：标准输入超过 {MAX_MESSAGE_CHARS} 字的上限（message too long）")
    return decode_bytes(data, "标准输入（stdin）")[0]


def draft(input_path: str = typer.Option(..., "--in", help="留言文件（UTF-8 或 GB18030 文本）；- 表示标准输入"),
          out: Path | None = typer.Option(None, "--out", help="导出文件：.docx 或 .md；省略时在终端输出 Markdown"),
          as_json: bool = typer.Option(False, "--json", help="在终端输出 JSON（Draft.to_dict()）"),
          template: Path | None = typer.Option(None, "--template",
                                               help="答复模板（默认取 CIVILQA_REPLY_TEMPLATE，否则 "
                                                    "assistant/data/reply_template.toml）"),
          index_dir: Path | None = IndexDirOpt, embedder: str | None = EmbedderOpt) -> None:
    """起草答复：把群众留言中的问题逐一核实作答，生成带政策依据的正式答复草稿。"""
    try:
        message = _read_stdin() if input_path == "-" else read_message_file(input_path)
        parse_message(message)  # limits and "no question" before any model is loaded
        tpl = load_template(template)
        target = check_export_path(out) if out is not None else None

        progress, update = progress_printer()
        with progress:
            assistant = open_assistant(index_dir, embedder, progress=update)
        result = draft_reply(assistant, message, tpl)
        if target is not None:
            result.write(target)
    except CivilQAError as exc:
        fail(exc)
        return
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=1) + "\n")
    elif target is None:
        sys.stdout.write(result.to_markdown())
    if target is not None:
        answered = sum(p.answerable for p in result.points)
        sys.stderr.write(f"已写入 {target}：{len(result.points)} 个问题，{answered} 个有资料依据，"
                         f"{len(result.points) - answered} 个资料未涉及；引用 {len(result.sources)} 处原文。\n")
