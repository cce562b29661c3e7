"""``civilqa ingest``, ``civilqa list``, ``civilqa remove``: the knowledge base from the command line.

Registered by ``assistant/cli.py``. Like every command, only ``CivilQAError`` is
caught (message printed, exit code 2). ``list`` reads the manifest only: no
model, no FAISS.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from index.builder import build_index
from index.embedders import make_embedder
from ingest.console import console, fail, plain, progress_printer
from ingest.errors import CivilQAError
from ingest.settings import default_index_dir

from .cli_options import EmbedderOpt, IndexDirOpt
from .kb import ARTIFACTS, default_sources, delete_documents, list_sources, vector_index_summary



def ingest(paths: Optional[list[Path]] = typer.Argument(
               None, help="文件或目录（文字、Word、PDF、网页、表格、图片等，见 README 知识库管理）。省略时为 seeds/ 加上传目录"
                          "（CIVILQA_LIBRARY_DIR，默认 .civilqa/library）"),
           add: bool = typer.Option(False, "--add", help="只添加或更新给定的文件，保留索引中的其他文件"),
           index_dir: Optional[Path] = IndexDirOpt, embedder: Optional[str] = EmbedderOpt) -> None:
    """导入报告，使索引与给定的文件和目录一致。

    未改动的文件（sha256 与索引记录相同）不重新解析、不重新向量化；改动的文件整体替换，
    旧版本的片段全部删除；索引中有而给定路径中没有的文件从索引删除（加 --add 则保留）。
    两个导入不能同时进行：后来者立即报错“另一个入库任务正在进行”。
    """
    if add and not paths:
        fail(CivilQAError("--add 需要给出要添加的文件（--add needs paths）"))
        return
    try:
        root = index_dir or default_index_dir()
        progress, update = progress_printer()
        with progress:
            report = build_index(paths or default_sources(root), root, make_embedder(embedder),
                                 progress=update, artifacts=ARTIFACTS, mode="add" if add else "sync")
    except CivilQAError as exc:
        fail(exc)
        return
    con = console()

    status = {**{s: "新增" for s in report.added}, **{s: "更新" for s in report.changed}}
    for d in report.documents:
        if d.source in status:
            con.print(f"  {status[d.source]}  {plain(d.source)}  {d.meta.city or '未知地区'}  "
                      f"{d.meta.period or ''}  {plain(' '.join(d.meta.title.split()))}", soft_wrap=True)
    for s in report.removed:
        con.print(f"  删除  {plain(s)}")
    con.print(f"已导入 {len(report.documents)} 个文件、{report.chunks} 个片段：新增 {len(report.added)}、"
              f"更新 {len(report.changed)}、未变 {len(report.unchanged)}、删除 {len(report.removed)} 个文件"
              f"（新向量化 {report.embedded}，复用 {report.reused}），用时 {report.seconds:.1f} 秒。", soft_wrap=True)
    if report.resumed:
        con.print(f"其中 {report.resumed} 个向量来自上次中断的导入（resumed from a killed ingest）", soft_wrap=True)
    err = console(stderr=True)
    for e in report.errors:
        err.print(f"[red]跳过：[/]{plain(e)}", soft_wrap=True)
    if report.errors:
        raise typer.Exit(1)


def list_documents(as_json: bool = typer.Option(False, "--json", help="输出 JSON 列表"),
                   index_dir: Optional[Path] = IndexDirOpt) -> None:
    """列出索引中的文件：地区、年份、片段数、页数/段数、位置。"""
    try:
        rows = list_sources(index_dir or default_index_dir())
        summary = vector_index_summary(index_dir or default_index_dir())
    except CivilQAError as exc:
        fail(exc)
        return
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return
    t = Table(title=f"知识库：{len(rows)} 个文件，{sum(r['chunks'] or 0 for r in rows)} 个片段",
              caption=summary)
    for col in ("文件", "格式", "地区", "年份", "片段数", "页/段/行", "标题", "位置"):
        t.add_column(col, overflow="fold")
    for r in rows:
        extent = f"{r['pages']}页" if r.get("pages") else (f"{r['paragraphs']}段" if r.get("paragraphs") else "")
        if r.get("rows"):
            extent = (f"{r['sheets']}个工作表，" if r.get("sheets") else "") + f"{r['rows']}行"
        if r.get("ocr_pages"):
            extent += f"（{len(r['ocr_pages'])}页文字识别）"
        where = "上传目录" if r["in_library"] else (r["path"] or "")
        t.add_row(plain(r["source"]), r["format"] + ("+OCR" if r.get("ocr_pages") else ""), plain(r["city"] or "未知"), str(r["year"] or "未知"),
                  str(r["chunks"]), extent, plain(r["title"] or ""), plain(where))
    Console(highlight=False, emoji=False, width=None if sys.stdout.isatty() else 200).print(t)


def remove(files: list[str] = typer.Argument(..., help="要删除的文件名（或路径，按文件名匹配）"),
           index_dir: Optional[Path] = IndexDirOpt) -> None:
    """从索引删除文件：之后任何问题都检索不到它的片段。

    上传目录中的文件同时删除；其他位置的文件保留在磁盘上（再次 civilqa ingest 该目录会重新导入）。
    """
    try:
        progress, update = progress_printer()
        with progress:
            report, deleted = delete_documents(index_dir or default_index_dir(), files, progress=update)
    except CivilQAError as exc:
        fail(exc)
        return
    con = console()
    for name in report.removed:
        con.print(f"  删除  {plain(name)}")
    for p in deleted:
        con.print(f"  已删除上传目录中的文件 {plain(p)}", soft_wrap=True)
    con.print(f"已从索引删除 {len(report.removed)} 个文件；索引现有 {len(report.documents)} 个文件、"
              f"{report.chunks} 个片段，用时 {report.seconds:.1f} 秒。", soft_wrap=True)
