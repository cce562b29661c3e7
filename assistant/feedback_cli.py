"""``civilqa feedback list`` and ``civilqa feedback export``: the votes left on answers (assistant/feedback.py).

Registered by ``assistant/cli.py`` as a sub-command group. Reads the SQLite file only: no model, no index.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from ingest.console import console, fail, plain
from ingest.errors import CivilQAError, InputError

from .feedback import RATINGS, FeedbackStore, default_path

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="群众对回答的评价（👍/👎 和意见）：列出或导出。")

DbOpt = typer.Option(None, "--db", show_default=False,
                     help="反馈数据库文件（默认 .civilqa/feedback.sqlite3，即索引目录旁；或环境变量 CIVILQA_FEEDBACK_DB）")
IndexDirOpt = typer.Option(None, "--index-dir", show_default=False,
                           help="索引目录（反馈数据库默认放在它的上一级目录；或环境变量 CIVILQA_INDEX_DIR）")
RatingOpt = typer.Option("all", "--rating", help="只看某类评价：down（👎）、up（👍）或 all（全部，默认）")


def _store(db: Optional[Path], index_dir: Optional[Path]):
    return FeedbackStore(db or default_path(index_dir))


def _rating(value: str) -> Optional[str]:
    value = (value or "all").strip().lower()
    if value not in ("all", "up", "down"):
        raise InputError(f"--rating 只能是 down、up 或 all：{value}（--rating must be down, up or all）")
    return None if value == "all" else value


@app.command("list")
def list_feedback(rating: str = RatingOpt,
                  limit: int = typer.Option(50, "--limit", min=1, max=10_000, help="最多列出条数（最新的在前）"),
                  as_json: bool = typer.Option(False, "--json", help="输出 JSON 列表"),
                  db: Optional[Path] = DbOpt, index_dir: Optional[Path] = IndexDirOpt) -> None:
    """列出评价，最新的在前：时间、👍/👎、意见、问题、回答摘要。"""
    try:
        store = _store(db, index_dir)
        items = store.list(_rating(rating), limit=limit)
    except CivilQAError as exc:
        fail(exc)
        return
    if as_json:
        sys.stdout.write(json.dumps([f.to_dict() for f in items], ensure_ascii=False, indent=1) + "\n")
        return
    con = console()
    if not items:
        con.print(f"还没有评价（{store.path}）。", soft_wrap=True)
        return
    for f in items:
        con.print(f"#{f.id}  {f.created}  {RATINGS[f.rating]}  {plain(f.comment) or '（无意见）'}", soft_wrap=True)
        con.print(f"    问：{plain(f.question)}", soft_wrap=True)
        con.print(f"    答：{plain(' '.join(f.answer.split()))}", soft_wrap=True, style="dim")
    con.print(f"共 {len(items)} 条（{store.path}）", soft_wrap=True)


@app.command("export")
def export_feedback(out: Path = typer.Argument(..., help="导出文件：.csv（Excel 可直接打开）或 .xlsx"),
                    rating: str = RatingOpt, db: Optional[Path] = DbOpt,
                    index_dir: Optional[Path] = IndexDirOpt) -> None:
    """导出评价为 CSV 或 XLSX 表格（编号、时间、评价、意见、问题、回答、引用）。"""
    try:
        path, n = _store(db, index_dir).export(out, _rating(rating))
    except CivilQAError as exc:
        fail(exc)
        return
    console().print(f"已导出 {n} 条评价到 {path}", soft_wrap=True)
