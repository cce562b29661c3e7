"""``civilqa eval`` and ``civilqa bench``: registered on the main app in ``cli.py``.

Only typer is imported here; the evaluation modules load when a command runs.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ingest.errors import CivilQAError


def eval_command(
        questions: Optional[Path] = typer.Option(None, "--questions", help="问题集 JSONL（默认 eval/questions.jsonl）"),
        sets: Optional[list[str]] = typer.Option(
            None, "--set", help="评测集，可重复，并列报告：seeds（种子报告）、newdocs（新文档 dev）、"
                                "newdocs-test（新文档 test，少用）、holdout（留出集，只测不调）、news（真实新闻，只测不调）、ncp（NCPPolicies）；给出时默认配置为 hybrid 与 langchain"),
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
        index_dir: Optional[Path] = typer.Option(None, "--index-dir", envvar="CIVILQA_INDEX_DIR",
                                                 help="索引目录（与 civilqa ask 相同）"),
        embedder: Optional[str] = typer.Option(None, "--embedder", envvar="CIVILQA_EMBEDDER",
                                               help="默认向量模型"),
        backend: Optional[list[str]] = typer.Option(
            None, "--backend", help="检索后端，可重复（与 --set 同用），并列报告：faiss、milvus://主机:端口、"
                                    "milvus-lite:///路径.db（默认取 CIVILQA_BACKEND）")) -> None:
    """在问题集上评测：准确率、检索命中、引用精确率、拒答、延迟；与 LangChain 标准做法并列比较。"""
    from .cli import _console, _fail, _progress_printer

    try:
        if fail_under is not None and not 0 <= fail_under <= 100:
            raise CivilQAError(f"--fail-under 应在 0–100 之间，当前为 {fail_under}")
        from eval import report as report_mod
        from eval.configs import parse_configs
        from eval.dataset import load_questions
        from eval.runner import Systems, run_eval

        if backend and not sets:
            raise CivilQAError("--backend 需与 --set 同用（--backend compares sets across backends）")
        if sets:
            _eval_sets(sets, config, questions, sample, out, name, fail_under, index_dir, embedder, backend)
            return
        configs = parse_configs(config)
        qs = load_questions(questions)
        if sample is not None:
            qs = qs.sample(sample)
        progress, update = _progress_printer()
        with progress:
            systems = Systems(index_dir, embedder, progress=update)
            run = run_eval(qs, configs, systems, on_question=lambda c, i, n: update(f"评测 {c}", i, n))
        path = report_mod.write(run, out, name, chart=chart)
    except CivilQAError as exc:
        _fail(exc)
        return
    import sys

    con = _console()
    sys.stdout.write(report_mod.summary_table(run) + "\n")
    con.print(f"\n报告已写入 {path}（report.md、results.jsonl、summary.json"
              + ("、" + report_mod.CHART if chart else "") + f"），用时 {run.seconds:.0f} 秒。")
    head = report_mod.headline_config(run)
    accuracy = 100 * (run.metrics(head)["accuracy"] or 0)
    if fail_under is not None and accuracy < fail_under:
        _console(stderr=True).print(f"[bold red]未达标：[/]{head} 准确率 {accuracy:.1f}% 低于 --fail-under {fail_under:g}%")
        raise typer.Exit(1)


def _eval_sets(set_names: list[str], config: Optional[list[str]], questions: Optional[Path],
               sample: Optional[int], out: Optional[Path], name: Optional[str], fail_under: Optional[float],
               index_dir: Optional[Path], embedder: Optional[str], backends: Optional[list[str]] = None) -> None:
    """Several evaluation sets in one run, one report with the sets side by side; with
    ``backends``, every set once per backend (``seeds@faiss``, ``seeds@milvus``), in one run."""
    import os
    import sys
    import time

    from index.backend import ENV as BACKEND_ENV
    from index.backend import parse as parse_backend

    from eval import report as report_mod
    from eval.configs import parse_configs
    from eval.runner import Systems, run_eval
    from eval.sets import CORPORA, parse_sets
    from index.embedders import make_embedder

    from .cli import _console, _progress_printer

    configs = parse_configs(config or ["hybrid", "langchain"])
    chosen = parse_sets(set_names, questions)
    t0 = time.perf_counter()
    shared = make_embedder(embedder)  # loaded once for every set
    runs = []
    progress, update = _progress_printer()
    chosen_backends = [(b, parse_backend(b)) for b in backends or []] or [(None, None)]
    saved = os.environ.get(BACKEND_ENV)
    try:
        with progress:
            for raw, b in chosen_backends:
                if raw is not None:  # what Assistant and the builder read (index/backend.py)
                    os.environ[BACKEND_ENV] = raw
                for es in chosen:
                    label = es.name if b is None else f"{es.name}@{b.kind}"
                    qs = es.questions.sample(sample) if sample is not None else es.questions
                    corpus = (es.corpus, CORPORA[es.corpus]) if es.corpus else None
                    systems = Systems(index_dir, shared, progress=update, corpus=corpus)
                    runs.append((label, run_eval(qs, configs, systems,
                                                 on_question=lambda c, i, n, s=label: update(f"评测 {s}/{c}", i, n))))
    finally:
        if saved is None:
            os.environ.pop(BACKEND_ENV, None)
        else:
            os.environ[BACKEND_ENV] = saved
    seconds = time.perf_counter() - t0
    path = report_mod.write_sets(runs, out, name, seconds)
    sys.stdout.write(report_mod.sets_table(runs) + "\n")
    _console().print(f"\n报告已写入 {path}（report.md、results.jsonl、summary.json），用时 {seconds:.0f} 秒。")
    if fail_under is not None:
        low = [(s, 100 * (r.metrics(report_mod.headline_config(r))["accuracy"] or 0)) for s, r in runs]
        low = [(s, a) for s, a in low if a < fail_under]
        if low:
            _console(stderr=True).print("[bold red]未达标：[/]" + "；".join(
                f"{s} 准确率 {a:.1f}%" for s, a in low) + f" 低于 --fail-under {fail_under:g}%")
            raise typer.Exit(1)


def bench_command(
        scale: Optional[list[int]] = typer.Option(None, "--scale", help="合成语料规模（片段数），可重复，如 --scale 100000 --scale 1000000"),
        vectors: str = typer.Option("structured", "--vectors", help="合成向量：structured（真实模板向量加噪声）或 random"),
        sigma: float = typer.Option(0.02, "--sigma", help="structured 向量每维噪声标准差"),
        variants: int = typer.Option(200_000, "--variants", help="最多分词的句子变体数"),
        hnsw_max: int = typer.Option(200_000, "--hnsw-max", help="超过此规模不建 HNSW（太慢）"),
        cold_runs: int = typer.Option(3, "--cold-runs", help="冷启动测量次数（0 跳过）"),
        warm: bool = typer.Option(True, "--warm/--no-warm", help="测量热启动延迟"),
        ingest: bool = typer.Option(True, "--ingest/--no-ingest", help="测量导入速度与内存"),
        out: Optional[Path] = typer.Option(None, "--out", help="报告目录的上级（默认 eval/reports/）"),
        name: Optional[str] = typer.Option(None, "--name", help="报告目录名（默认 bench-时间戳）"),
        index_dir: Optional[Path] = typer.Option(None, "--index-dir", envvar="CIVILQA_INDEX_DIR",
                                                 help="索引目录（与 civilqa ask 相同）")) -> None:
    """性能基准：冷启动、热启动延迟、导入速度与内存、合成大规模语料上的检索（只报告数字）。"""
    import os
    import sys
    import tempfile
    import time

    from .cli import _console, _fail

    con = _console()
    try:
        if vectors not in ("structured", "random"):
            raise CivilQAError(f"无效的 --vectors：{vectors!r}，可选：structured、random")
        if any(n < 100 for n in scale or []):
            raise CivilQAError("--scale 至少为 100 个片段")
        from assistant.chain import Assistant, default_index_dir, default_seeds_dir
        from eval import bench
        from eval.report import _git_commit

        root = index_dir or default_index_dir()
        Assistant(root).ask(bench.COLD_QUESTION)  # builds the index from seeds/ when there is none
        env = dict(os.environ, CIVILQA_INDEX_DIR=str(root))
        res: dict = {"time": time.strftime("%Y-%m-%d %H:%M:%S"), "commit": _git_commit(), "scale": [],
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
            res["scale"].append(bench.run_scale_child(n, vectors, sigma, variants, hnsw_max, env=env))
        path = bench.write(res, out, name)
    except CivilQAError as exc:
        _fail(exc)
        return
    sys.stdout.write(bench.markdown(res) + "\n")
    con.print(f"基准报告已写入 {path}")
