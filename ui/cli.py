"""``civilqa ui``: the web interface's command, registered on the ``civilqa`` root by ``register``.

gradio loads inside the command (``ui.app.launch``), never when another command runs.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from assistant.chain import default_index_dir, open_assistant
from assistant.cli import llm_config
from assistant import cli_options as opt
from assistant.kb import ensure_index
from index.backend import live_generation
from index.embedders import make_embedder
from ingest.console import console, fail, progress_printer
from ingest.errors import CivilQAError, ConfigError
from ingest.settings import overridden, settings

from .app import launch
from .auth import describe, parse_auth
from .starting import BuildingPage
from .workers import MAX_WORKERS, serve


def ui(host: str = typer.Option("127.0.0.1", "--host", help="监听地址（默认仅本机 127.0.0.1；0.0.0.0 为所有网卡）"),
       port: int = typer.Option(7860, "--port"),
       auth: Optional[str] = typer.Option(None, "--auth", show_default=False,
                                          help="登录账号 用户名:密码，多个用逗号分隔。建议用环境变量 "
                                               "CIVILQA_UI_AUTH（命令行参数在进程列表中可见）"),
       index_dir: Optional[Path] = opt.IndexDirOpt, embedder: Optional[str] = opt.EmbedderOpt,
       answerer: Optional[str] = opt.AnswererOpt, llm_base_url: Optional[str] = opt.LLMBaseUrlOpt,
       llm_model: Optional[str] = opt.LLMModelOpt, llm_temperature: Optional[float] = opt.LLMTemperatureOpt,
       llm_timeout: Optional[float] = opt.LLMTimeoutOpt,
       workers: int = typer.Option(1, "--workers", min=1, max=MAX_WORKERS,
                                   help="工作进程数：N>1 时在 端口…端口+N-1 上各起一个进程，共用同一索引"
                                        "（前面需要按客户端固定转发的代理，见 docs/operations.md）")) -> None:
    """启动网页界面（Gradio）。"""
    try:
        current = settings()  # every CIVILQA_* validated before anything starts
        accounts = parse_auth(auth if auth is not None else
                              current.ui_auth.get_secret_value() if current.ui_auth else None)
        watch_seconds = current.watch_seconds
        llm = llm_config(answerer, llm_base_url, llm_model, llm_temperature, llm_timeout)
        con = console(stderr=True)
        url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
        progress, update = progress_printer()
        if workers > 1:
            _serve_workers(workers, host, port, index_dir, embedder, answerer, llm_base_url, llm_model,
                           llm_temperature, llm_timeout, auth, con, progress, update)
            return
        if not _has_index(Path(index_dir or default_index_dir())):
            # first start: about a minute of building; the browser gets a page saying so, not a refused connection
            with BuildingPage(host, port) as page:
                con.print(f"首次启动：正在从 seeds/ 建立资料索引（约一分钟），完成后自动启动网页界面。"
                          + (f"现在打开 {url} 可以看到进度。" if page.serving else ""), soft_wrap=True)

                def both(stage: str, done: int, total: int) -> None:
                    update(stage, done, total)
                    page.update(stage, done, total)

                with progress:
                    assistant = open_assistant(index_dir, embedder, progress=both,
                                               answerer="llm" if llm else "extractive", llm=llm, warm=True)
        else:
            with progress:
                assistant = open_assistant(index_dir, embedder, progress=update,
                                           answerer="llm" if llm else "extractive", llm=llm, warm=True)
        con.print(describe(accounts))
        if not accounts and host not in ("127.0.0.1", "localhost", "::1"):
            con.print(f"[bold yellow]注意：[/]监听 {host} 且未启用登录，同一网络中的任何人都能访问"
                      f"（listening on {host} without --auth）", markup=True)
        # quiet: Gradio's own start-up lines (English, and a hint about share=True) are replaced by ours
        demo = launch(assistant, host=host, port=port, auth=accounts, quiet=True, prevent_thread_lock=True)
        # an ingest from the command line, or an upload in another worker: picked up within seconds
        assistant.watch(watch_seconds, on_error=lambda exc: con.print(f"新索引无法加载，继续使用原索引：{exc}",
                                                                          soft_wrap=True, markup=False))
        con.print(f"网页界面已启动：{url}（按 Ctrl+C 停止）", soft_wrap=True)
        demo.block_thread()
    except CivilQAError as exc:
        fail(exc)


def _has_index(root: Path) -> bool:
    """An index to serve is there (the FAISS generation, or the Milvus alias): no first build.
    A damaged one counts as there: loading it reports the problem."""
    try:
        return live_generation(root) is not None
    except CivilQAError:
        return True


def _serve_workers(workers, host, port, index_dir, embedder, answerer, llm_base_url, llm_model, llm_temperature,
                   llm_timeout, auth, con, progress, update) -> None:
    """``civilqa ui --workers N``: the index is made ready once, here, then N workers serve it."""
    if port + workers - 1 > 65535:
        raise ConfigError(f"端口 {port}…{port + workers - 1} 超出 65535（ports out of range）")
    root = Path(index_dir or default_index_dir())
    with progress:
        ensure_index(root, make_embedder(embedder), progress=update)
    extra = ["--answerer", answerer] if answerer else []  # else the workers read CIVILQA_ANSWERER as this one did
    for flag, value in (("--llm-base-url", llm_base_url), ("--llm-model", llm_model),
                        ("--llm-temperature", llm_temperature), ("--llm-timeout", llm_timeout)):
        if value is not None:
            extra += [flag, str(value)]
    if embedder:
        extra += ["--embedder", embedder]
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    con.print(f"启动 {workers} 个工作进程：" + "、".join(f"http://{shown}:{port + i}/" for i in range(workers))
              + "（共用同一索引；按 Ctrl+C 全部停止）", soft_wrap=True)
    with overridden(ui_auth=auth):  # --auth through the environment, never the process list
        code = serve(workers, host, port, extra, index_dir=root)
    if code:
        raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    """The ``civilqa.commands`` entry point: ``civilqa ui``."""
    app.command()(ui)
