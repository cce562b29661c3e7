"""The assistant layer's commands: ingest, list, remove, ask, standards, draft, feedback.

Registered on the ``civilqa`` root (``ui/root.py``) by ``register`` through the
``civilqa.commands`` entry point. Only ``CivilQAError`` is caught: its message is printed
(``ingest.console.fail``) and the exit code is 2. ``ask`` never imports torch or gradio.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from index import store
from index.embedders import make_embedder
from index.refresh import refresh_artifacts
from ingest.console import console, fail, plain, print_error, progress_printer
from ingest.errors import CivilQAError, IndexStoreError
from ingest.safe_text import replace_surrogates
from ingest.settings import settings

from .chain import default_index_dir, open_assistant
from .cli_options import (
    AnswererOpt,
    EmbedderOpt,
    IndexDirOpt,
    LLMBaseUrlOpt,
    LLMModelOpt,
    LLMTemperatureOpt,
    LLMTimeoutOpt,
)
from .draft_cli import draft
from .feedback_cli import app as feedback_app
from .kb import ARTIFACTS, ensure_index, load_standards
from .kb_cli import ingest, list_documents, remove
from .llm_config import resolve
from .present import citation_details, citation_label, per_label
from .session import run_batch, run_interactive, stdin_lines

def llm_config(answerer, base_url, model, temperature, timeout):
    """None for the extractive answerer, else the checked LLM settings (env + options)."""
    return resolve(answerer or settings().answerer, base_url=base_url, model=model, temperature=temperature,
                   timeout=timeout)


def _print_answer(answer, con) -> None:
    """The answer and its sources as lines that copy well: no hard wrap (the terminal wraps a long
    line itself, a pipe gets it whole), so a file name or a [n] is never split from its text."""
    def say(text: str, **kw) -> None:
        con.print(text, soft_wrap=True, **kw)

    escape = plain

    if answer.resolved_question:
        say(f"[dim]已理解为：{escape(answer.resolved_question)}[/]")
    say(escape(answer.answer))
    if answer.answerer == "llm":
        say("[dim]（大模型作答，数字与引用已核对）[/]")
    elif answer.fallback_reason:
        say(f"[dim]（未采用大模型的回答：{escape(answer.fallback_reason)}）[/]")
    if answer.citations:
        say("\n[bold]来源[/]")
        for c in answer.citations:
            say(escape(citation_label(c)))
            say(f"    “{escape(' '.join(c.text.split()))}”")
            say(f"    {escape(citation_details(c))}", style="dim")


def ask(question: Optional[str] = typer.Argument(None, help="问题；省略时从标准输入逐行读取"),
        as_json: bool = typer.Option(False, "--json", help="输出 JSON（每个问题一行）"),
        index_dir: Optional[Path] = IndexDirOpt, embedder: Optional[str] = EmbedderOpt,
        mode: str = typer.Option("hybrid", "--mode", help="检索方式：hybrid、bm25、dense"),
        session: bool = typer.Option(False, "--session",
                                     help="标准输入的各行属于同一对话：可以追问（如“那农村的呢？”）"),
        answerer: Optional[str] = AnswererOpt, llm_base_url: Optional[str] = LLMBaseUrlOpt,
        llm_model: Optional[str] = LLMModelOpt, llm_temperature: Optional[float] = LLMTemperatureOpt,
        llm_timeout: Optional[float] = LLMTimeoutOpt) -> None:
    """提问。首次使用时自动从 seeds/ 建立索引。

    省略问题时从标准输入逐行读取，每行输出一个 JSON；一行也可以是
    {"question": "...", "history": [...]}（带上文，可追问）。在终端中直接运行则进入交互问答。"""
    try:
        llm = llm_config(answerer, llm_base_url, llm_model, llm_temperature, llm_timeout)
        progress, update = progress_printer()
        with progress:
            assistant = open_assistant(index_dir, embedder, mode=mode, progress=update,
                                  answerer="llm" if llm else "extractive", llm=llm)
    except CivilQAError as exc:
        fail(exc)
        return
    con = console()
    if question is not None:
        try:
            answer = assistant.ask(replace_surrogates(question))  # bytes the shell passed undecoded
        except CivilQAError as exc:
            fail(exc)
            return
        if as_json:
            sys.stdout.write(json.dumps(answer.to_dict(), ensure_ascii=False) + "\n")
        else:
            _print_answer(answer, con)
        return
    if sys.stdin.isatty() and not as_json:  # a person at a terminal: a conversation
        run_interactive(assistant, lambda a: (_print_answer(a, con), con.print()), con.print)
        return
    # batch: one question (or JSON line) per line on stdin, one JSON object per line out
    if not run_batch(assistant, stdin_lines(sys.stdin), sys.stdout, session=session):
        raise typer.Exit(1)


def _load_standards(index_dir: Optional[Path], embedder: Optional[str]):
    """The standards table of the current index (built from seeds/ first when there is none).
    Only the index files are read: no embedder is loaded unless the index must be built."""
    root = index_dir or default_index_dir()
    if not (root / store.CURRENT).exists():
        progress, update = progress_printer()
        with progress:
            ensure_index(root, make_embedder(embedder), progress=update)
    else:  # a table older code built is rebuilt from the stored documents (no embedder), as ask does
        refresh_artifacts(root, ARTIFACTS)
    table = load_standards(store.load(root))
    if table is None:
        raise IndexStoreError(f"索引中没有福利标准表（standards.json）：{root}。"
                              f"请重新导入：civilqa ingest（re-run `civilqa ingest`）")
    return table


def standards(region: Optional[str] = typer.Option(None, "--region", help="地区：市、县或区的名称，简称亦可（如 某市、某市某区）"),
              category: Optional[str] = typer.Option(None, "--category", help="类别，如 农村低保、低保、散居孤儿"),
              year: Optional[int] = typer.Option(None, "--year", help="年份，如 2021"),
              as_json: bool = typer.Option(False, "--json", help="输出 JSON 列表（Standard.to_dict()）"),
              averages: bool = typer.Option(False, "--averages", help="同时列出平均值（统计数，不是标准）"),
              index_dir: Optional[Path] = IndexDirOpt, embedder: Optional[str] = EmbedderOpt) -> None:
    """补贴标准速查：列出报告中的保障标准（地区、年份、类别、金额、来源）。"""
    try:
        table = _load_standards(index_dir, embedder)
    except CivilQAError as exc:
        fail(exc)
        return
    problems = []
    if category is not None and not table.vocab.resolve(category.strip()):
        problems.append(f"没有这个类别：{category}。可选类别：{'、'.join(table.categories())}")
    if region is not None and not table.query(region=region, broader=True, include_averages=True):
        problems.append(f"资料中没有这个地区：{region}。现有地区：{'、'.join(table.regions())}")
    rows = [] if problems else table.query(region=region, category=category.strip() if category else None,
                                           year=year, include_averages=averages, broader=True)
    if not problems and not rows:
        years = sorted({r.year for r in table if r.year})
        problems.append("没有符合条件的标准"
                        f"（地区：{region or '全部'}，类别：{category or '全部'}，年份：{year or '全部'}）。"
                        f"现有地区：{'、'.join(table.regions())}；现有类别：{'、'.join(table.categories())}；"
                        f"现有年份：{'、'.join(map(str, years))}")
    if as_json:
        sys.stdout.write(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=1) + "\n")
    else:
        escape = plain

        if rows:
            out = Console(highlight=False, emoji=False, width=None if sys.stdout.isatty() else 200)
            t = Table(title="补贴标准速查", show_lines=False)
            for col in ("地区", "年份", "类别", "标准", "单位/周期", "原标准", "来源"):
                t.add_column(col, overflow="fold")
            for r in rows:
                cat = r.category + (f"（{r.qualifier}）" if r.qualifier else "") + ("（平均值，非标准）" if r.kind == "average" else "")
                t.add_row(escape(r.region or ""), str(r.year or ""), escape(cat), f"{r.amount}{r.unit}",
                          per_label(r) or "未注明", f"{r.previous}{r.unit}" if r.previous else "",
                          f"{plain(r.source)} 第{r.start}–{r.end}字")
            out.print(t)
    for msg in problems:
        print_error(msg)
    if problems:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """The ``civilqa.commands`` entry point: this layer's commands on the root app."""
    app.command()(ingest)
    app.command("list")(list_documents)
    app.command()(remove)
    app.command()(ask)
    app.command()(standards)
    app.command()(draft)
    app.add_typer(feedback_app, name="feedback")
