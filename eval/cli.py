"""``civilqa eval``, ``civilqa bench`` and ``civilqa bench-load``: the evaluation layer's commands,
registered on the ``civilqa`` root by ``register``.

matplotlib (the report's chart) and httpx (the load test) load when a command needs them.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional
from urllib.parse import urlparse

import typer

from assistant.chain import default_index_dir, default_seeds_dir, open_assistant
from assistant.cli_options import IndexDirOpt
from index.backend import parse as parse_backend
from index.embedders import make_embedder
from ingest.console import console, fail, print_error, progress_printer
from ingest.errors import CivilQAError, ConfigError
from ingest.settings import overridden

from . import bench
from . import report as report_mod
from .configs import parse_configs
from .dataset import load_questions
from .load import bench_load, eval_questions
from .report import git_commit
from .runner import Systems, run_eval
from .sets import CORPORA, parse_sets


def eval_command(
        questions: Optional[Path] = typer.Option(None, "--questions", help="问题集 JSONL（默认 eval/questions.jsonl）"),
        sets: Optional[list[str]] = typer.Option(
            None, "--set", help="评测集，可重复，并列报告：seeds（种子报告）、newdocs（新文档 dev）、"
                                "newdocs-test（新文档 test，少用）、holdout（留出集，已分析失败）、holdout2（第二个留出集，已分析失败）、holdout3（第三个留出集，已分析失败）、holdout4（第四个留出集，只测不调）、holdout5（第五个留出集，只测不调）、holdout6（第六个留出集，只测不调）、holdout7（第七个留出集，只测不调）、holdout8（第八个留出集，已分析失败）、holdout9（第九个留出集，已分析失败）、holdout10（第十个留出集，已分析失败）、holdout11（第十一个留出集，已分析失败）、holdout12（第十二个留出集，已分析失败）、holdout13（第十三个留出集，只测不调）、news（真实新闻，已用于调试）、news-test（其他真实新闻，已分析失败类型）、news-test2（又一批真实新闻，只测不调）、news20k-test（news-20k 中的民政新闻加干扰新闻，已分析失败）、news20k-test2（news-20k 中另一批民政新闻，同一索引，已分析失败）、news20k-test3（news-20k 中第三批民政新闻，同一索引，已分析失败）、news20k-test4（news-20k 中第四批民政新闻，同一索引，已分析失败）、news20k-test5（news-20k 中第五批民政新闻，同一索引，已分析失败）、news20k-test6（news-20k 中第六批民政新闻，同一索引，已分析失败）、news20k-test7（news-20k 中第七批民政新闻，同一索引，只测不调）、ncp（NCPPolicies）；给出时默认配置为 hybrid 与 langchain"),
        config: Optional[list[str]] = typer.Option(
            None, "--config", help="评测配置，可重复：预设 hybrid、bm25、dense、hybrid-no-table、langchain，"
                                   "或 key=value,…（如 name=minilm,embedder=st:/path,mode=hybrid,k=8）；"
                                   "默认全部预设"),
        sample: Optional[int] = typer.Option(None, "--sample", help="每类只取前 N 题（快速检查）"),
        out: Optional[Path] = typer.Option(None, "--out", help="报告目录的上级（默认 eval/reports/）"),
        name: Optional[str] = typer.Option(None, "--name", help="报告目录名（默认时间戳）"),
        fail_under: Optional[float] = typer.Option(
            None, "--fail-under", help="主配置（hybrid）准确率低于此百分比时以退出码 1 结束"),
        chart: bool = typer.Option(True, "--chart/--no-chart", help="是否生成 PNG 图表"),
        index_dir: Optional[Path] = typer.Option(None, "--index-dir",
                                                 help="索引目录（与 civilqa ask 相同；或环境变量 CIVILQA_INDEX_DIR）"),
        embedder: Optional[str] = typer.Option(None, "--embedder", help="默认向量模型（或环境变量 CIVILQA_EMBEDDER）"),
        backend: Optional[list[str]] = typer.Option(
            None, "--backend", help="检索后端，可重复（与 --set 同用），并列报告：faiss、milvus://主机:端口、"
                                    "milvus-lite:///路径.db（默认取 CIVILQA_BACKEND）")) -> None:
    """在问题集上评测：准确率、检索命中、引用精确率、拒答、延迟；与 LangChain 标准做法并列比较。"""
    try:
        if fail_under is not None and not 0 <= fail_under <= 100:
            raise CivilQAError(f"--fail-under 应在 0–100 之间，当前为 {fail_under}")
        if backend and not sets:
            raise CivilQAError("--backend 需与 --set 同用（--backend compares sets across backends）")
        if sets:
            _eval_sets(sets, config, questions, sample, out, name, fail_under, index_dir, embedder, backend)
            return
        configs = parse_configs(config)
        qs = load_questions(questions)
        if sample is not None:
            qs = qs.sample(sample)
        progress, update = progress_printer()
        with progress:
            systems = Systems(index_dir, embedder, progress=update)
            run = run_eval(qs, configs, systems, on_question=lambda c, i, n: update(f"评测 {c}", i, n))
        path = report_mod.write(run, out, name, chart=chart)
    except CivilQAError as exc:
        fail(exc)
        return
    con = console()
    sys.stdout.write(report_mod.summary_table(run) + "\n")
    con.print(f"\n报告已写入 {path}（report.md、results.jsonl、summary.json"
              + ("、" + report_mod.CHART if chart else "") + f"），用时 {run.seconds:.0f} 秒。")
    head = report_mod.headline_config(run)
    accuracy = 100 * (run.metrics(head)["accuracy"] or 0)
    if fail_under is not None and accuracy < fail_under:
        print_error(f"{head} 准确率 {accuracy:.1f}% 低于 --fail-under {fail_under:g}%", label="未达标：")
        raise typer.Exit(1)


def _eval_sets(set_names: list[str], config: Optional[list[str]], questions: Optional[Path],
               sample: Optional[int], out: Optional[Path], name: Optional[str], fail_under: Optional[float],
               index_dir: Optional[Path], embedder: Optional[str], backends: Optional[list[str]] = None) -> None:
    """Several evaluation sets in one run, one report with the sets side by side; with
    ``backends``, every set once per backend (``seeds@faiss``, ``seeds@milvus``), in one run."""
    configs = parse_configs(config or ["hybrid", "langchain"])
    chosen = parse_sets(set_names, questions)
    t0 = time.perf_counter()
    shared = make_embedder(embedder)  # loaded once for every set
    runs = []
    progress, update = progress_printer()
    chosen_backends = [(b, parse_backend(b)) for b in backends or []] or [(None, None)]
    with progress:
        for raw, b in chosen_backends:
            # --backend: what Assistant and the builder read (index/backend.py), for these sets only
            with overridden(backend=raw):
                for es in chosen:
                    label = es.name if b is None else f"{es.name}@{b.kind}"
                    qs = es.questions.sample(sample) if sample is not None else es.questions
                    corpus = (es.corpus, CORPORA[es.corpus]) if es.corpus else None
                    systems = Systems(index_dir, shared, progress=update, corpus=corpus)
                    runs.append((label, run_eval(qs, configs, systems,
                                                 on_question=lambda c, i, n, s=label: update(f"评测 {s}/{c}", i, n))))
    seconds = time.perf_counter() - t0
    path = report_mod.write_sets(runs, out, name, seconds)
    sys.stdout.write(report_mod.sets_table(runs) + "\n")
    console().print(f"\n报告已写入 {path}（report.md、results.jsonl、summary.json），用时 {seconds:.0f} 秒。")
    if fail_under is not None:
        low = [(s, 100 * (r.metrics(report_mod.headline_config(r))["accuracy"] or 0)) for s, r in runs]
        low = [(s, a) for s, a in low if a < fail_under]
        if low:
            print_error("；".join(f"{s} 准确率 {a:.1f}%" for s, a in low) + f" 低于 --fail-under {fail_under:g}%",
                        label="未达标：")
            raise typer.Exit(1)


def bench_command(
        scale: Optional[list[int]] = typer.Option(None, "--scale", help="合成语料规模（片段数），可重复，如 --scale 100000 --scale 1000000"),
        vectors: str = typer.Option("structured", "--vectors", help="合成向量：structured（真实模板向量加噪声）或 random"),
        sigma: float = typer.Option(0.02, "--sigma", help="structured 向量每维噪声标准差"),
        variants: int = typer.Option(200_000, "--variants", help="最多分词的句子变体数"),
        hnsw_max: int = typer.Option(200_000, "--hnsw-max", help="超过此规模不建 HNSW（太慢）"),
        templates: int = typer.Option(0, "--templates", min=0,
                                      help="合成语料最多用多少个真实模板句子（需逐句向量化；0 为全部）"),
        cold_runs: int = typer.Option(3, "--cold-runs", help="冷启动测量次数（0 跳过）"),
        warm: bool = typer.Option(True, "--warm/--no-warm", help="测量热启动延迟"),
        ingest: bool = typer.Option(True, "--ingest/--no-ingest", help="测量导入速度与内存"),
        out: Optional[Path] = typer.Option(None, "--out", help="报告目录的上级（默认 eval/reports/）"),
        name: Optional[str] = typer.Option(None, "--name", help="报告目录名（默认 bench-时间戳）"),
        index_dir: Optional[Path] = typer.Option(None, "--index-dir",
                                                 help="索引目录（与 civilqa ask 相同；或环境变量 CIVILQA_INDEX_DIR）")) -> None:
    """性能基准：冷启动、热启动延迟、导入速度与内存、合成大规模语料上的检索（只报告数字）。"""
    con = console()
    try:
        if vectors not in ("structured", "random"):
            raise CivilQAError(f"无效的 --vectors：{vectors!r}，可选：structured、random")
        if any(n < 100 for n in scale or []):
            raise CivilQAError("--scale 至少为 100 个片段")

        root = index_dir or default_index_dir()
        open_assistant(root).ask(bench.COLD_QUESTION)  # builds the index from seeds/ when there is none
        env = dict(os.environ, CIVILQA_INDEX_DIR=str(root))
        res: dict = {"time": time.strftime("%Y-%m-%d %H:%M:%S"), "commit": git_commit(), "scale": [],
                     "loadavg": os.getloadavg()[0]}
        if cold_runs:
            con.print("冷启动……")
            res["cold"] = bench.bench_cold(root, cold_runs)
        if warm:
            con.print("热启动延迟……")
            res["warm"] = bench.bench_warm(root)
        if ingest:
            con.print("导入……")
            with tempfile.TemporaryDirectory() as work:
                res["ingest"] = bench.bench_ingest(default_seeds_dir(), Path(work))
        for n in scale or []:
            con.print(f"规模 {n:,} 片段（子进程）……")
            res["scale"].append(bench.run_scale_child(n, vectors, sigma, variants, hnsw_max, env=env,
                                                        templates_max=templates))
        path = bench.write(res, out, name)
    except CivilQAError as exc:
        fail(exc)
        return
    sys.stdout.write(bench.markdown(res) + "\n")
    con.print(f"基准报告已写入 {path}")


def bench_load_command(
        users: int = typer.Option(50, "--users", min=1, max=500, help="并发用户数"),
        seconds: float = typer.Option(60, "--seconds", min=1, max=600, help="持续秒数"),
        questions: int = typer.Option(0, "--questions", min=0, help="只用评测集前 N 个问题（0 为全部）"),
        url: Optional[str] = typer.Option(None, "--url", help="已在本机运行的界面地址；省略时自动启动一个"),
        index_dir: Optional[Path] = IndexDirOpt,
        workers: int = typer.Option(1, "--workers", min=1, max=16,
                                    help="自动启动的工作进程数（共用同一索引；每个用户固定一个进程）")) -> None:
    """负载测试：多个并发用户通过网页接口提问，报告 p50/p95 延迟、错误数和服务器内存。"""
    if url is not None:
        if urlparse(url).hostname not in ("127.0.0.1", "localhost", "::1"):
            fail(CivilQAError(f"负载测试只能指向本机地址（127.0.0.1/localhost）：{url}"
                              f"（load tests only target this machine）"))
        url = url.rstrip("/") + "/"
    if url is not None and workers > 1:
        fail(ConfigError("--workers 只用于自动启动的界面，不能与 --url 同用（--workers starts its own servers）"))
    report = bench_load(users, seconds, url=url, questions=eval_questions(questions or None), index_dir=index_dir,
                        workers=workers)
    print(report.summary())
    if report.errors or report.mismatches:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """The ``civilqa.commands`` entry point: this layer's commands on the root app."""
    app.command("eval")(eval_command)
    app.command("bench")(bench_command)
    app.command("bench-load")(bench_load_command)
