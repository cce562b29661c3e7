"""Write an evaluation run to ``<out>/<timestamp>/``: ``report.md``, ``results.jsonl``
(one row per question and configuration), ``summary.json`` and ``accuracy_by_category.png``.

The directory is written under a temporary name and renamed into place, so a report is
either complete or absent.
"""
from __future__ import annotations

import json
import os
import platform
import subprocess
import time
from pathlib import Path
from typing import Any, Callable, Iterable

from ingest.atomic import write_dir_atomically

from .configs import HEADLINE
from .metrics import HIT_KS
from .metrics import __doc__ as METRICS_DOC
from .runner import EvalRun

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "eval" / "reports"
CHART = "accuracy_by_category.png"


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{100 * v:.1f}%"


def _ms(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f}"


def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                             text=True, timeout=5)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return (out.stdout.strip() + ("-dirty" if dirty else "")) if out.returncode == 0 else None


def headline_config(run: EvalRun) -> str:
    names = [c.name for c in run.configs]
    return HEADLINE if HEADLINE in names else names[0]


def summary_table(run: EvalRun) -> str:
    """The headline table: one line per configuration (pasted into the README)."""
    head = ["配置 config", "准确率 accuracy", *[f"hit@{k}" for k in HIT_KS], "MRR", "引用精确率",
            "拒答精确率", "拒答召回率", "p50 ms", "p95 ms"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for c in run.configs:
        m = run.metrics(c.name)
        cells = [f"**{c.name}**" if c.name == headline_config(run) else c.name,
                 f"{_pct(m['accuracy'])} ({m['correct']}/{m['n']})",
                 *[_pct(m[f"hit@{k}"]) for k in HIT_KS], "—" if m["mrr"] is None else f"{m['mrr']:.3f}",
                 _pct(m["citation_precision"]), _pct(m["refusal_precision"]), _pct(m["refusal_recall"]),
                 _ms(m["latency_p50_ms"]), _ms(m["latency_p95_ms"])]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _category_rows(run: EvalRun, cats, cell: Callable[[dict[str, Any]], str],
                   lead: Callable[[str], list[str]] = lambda cat: []) -> list[str]:
    """One table row per category: its name, the ``lead`` cells, then ``cell`` of each configuration's metrics."""
    return ["| " + " | ".join([cat, *lead(cat), *(cell(run.metrics(c.name, cat)) for c in run.configs)]) + " |"
            for cat in cats]


def category_table(run: EvalRun) -> str:
    lines = ["| 类别 category | n | " + " | ".join(c.name for c in run.configs) + " |",
             "|---|---|" + "---|" * len(run.configs)]
    count = lambda cat: [str(len([q for q in run.questions.questions if q.category == cat]))]  # noqa: E731
    lines += _category_rows(run, run.questions.categories, lambda m: _pct(m["accuracy"]), count)
    return "\n".join(lines)


def retrieval_table(run: EvalRun) -> str:
    cats = [c for c in run.questions.categories
            if any(q.answerable for q in run.questions.questions if q.category == c)]
    lines = ["| 类别 category | " + " | ".join(f"{c.name} hit@5 / MRR" for c in run.configs) + " |",
             "|---|" + "---|" * len(run.configs)]
    lines += _category_rows(run, cats, lambda m: f"{_pct(m['hit@5'])} / {'—' if m['mrr'] is None else format(m['mrr'], '.2f')}")
    return "\n".join(lines)


def failures(run: EvalRun, config: str, limit: int = 60) -> str:
    rows = [r for r in run.rows_for(config) if not r["correct"]]
    if not rows:
        return "（无）"
    lines = ["| id | 问题 | 期望 | 回答（节选） | 原因 |", "|---|---|---|---|---|"]
    for r in rows[:limit]:
        if r["error"]:
            why = "出错：" + r["error"][:60]
        elif r["answerable"] != r["answerable_gold"]:
            why = "误拒答" if r["refused"] else "应拒答"
        else:
            why = "；".join(x for x in (
                "缺少 " + "、".join(r["missing_keys"]) if r["missing_keys"] else "",
                "未引用 " + "、".join(r["missing_sources"]) if r["missing_sources"] else "") if x)
        expect = "、".join(r["answer_keys"]) or "拒答"
        answer = _answer_cell(r)
        lines.append(f"| {r['id']} | {r['question'].replace('|', '/')} | {expect} | {answer} | {why} |")
    if len(rows) > limit:
        lines.append(f"\n…另有 {len(rows) - limit} 条，见 results.jsonl。")
    return "\n".join(lines)


# an answer quotes its documents: a committed report keeps a short excerpt (under the 60 characters
# tests/eval/test_news20k_set.py treats as copied text), never the evaluation data itself
QUOTE_CHARS = 48


def _answer_cell(r: dict[str, Any], n: int = QUOTE_CHARS) -> str:
    text = r["answer"].replace("\n", " ")
    return (text[:n] + ("…" if len(text) > n else "")).replace("|", "\\|")


def confidently_wrong(run: EvalRun, config: str, limit: int = 60) -> str:
    """Answers given as fact that are wrong: the worst failure, listed apart from refusals."""
    rows = [r for r in run.rows_for(config) if r.get("confidently_wrong")]
    if not rows:
        return "（无）"
    lines = ["| id | 问题 | 期望 | 回答（节选） | 为什么错 |", "|---|---|---|---|---|"]
    for r in rows[:limit]:
        if not r["answerable_gold"]:
            why = "资料未涉及却作答"
        else:
            why = "；".join(x for x in (
                "缺少 " + "、".join(r["missing_keys"]) if r["missing_keys"] else "",
                "未引用 " + "、".join(r["missing_sources"]) if r["missing_sources"] else "",
                f"ROUGE-L 召回 {r['rouge_recall']:.2f}" if r.get("rouge_recall") is not None else "") if x)
        expect = "、".join(r["answer_keys"]) or ("拒答" if not r["answerable_gold"] else "、".join(r["gold_sources"]))
        lines.append(f"| {r['id']} | {r['question'].replace('|', '/')} | {expect} | {_answer_cell(r)} | {why} |")
    if len(rows) > limit:
        lines.append(f"\n…另有 {len(rows) - limit} 条，见 results.jsonl。")
    return "\n".join(lines)


def wrongly_refused(run: EvalRun, config: str, limit: int = 40) -> str:
    rows = [r for r in run.rows_for(config) if r["answerable_gold"] and r["refused"]]
    if not rows:
        return "（无）"
    lines = ["| id | 问题 | 期望 | 回答（节选） |", "|---|---|---|---|"]
    for r in rows[:limit]:
        expect = "、".join(r["answer_keys"]) or "、".join(r["gold_sources"])
        lines.append(f"| {r['id']} | {r['question'].replace('|', '/')} | {expect} | {_answer_cell(r)} |")
    if len(rows) > limit:
        lines.append(f"\n…另有 {len(rows) - limit} 条，见 results.jsonl。")
    return "\n".join(lines)


def sets_table(runs: list[tuple[str, EvalRun]]) -> str:
    """One line per set and configuration: the side-by-side comparison."""
    head = ["评测集 set", "配置 config", "n", "准确率 accuracy", "hit@1", "hit@5", "MRR", "doc hit",
            "doc hit（含副本 or a copy）", "ROUGE-L 召回", "自信答错 confidently wrong", "误拒答 refused answerable", "p50 ms"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for set_name, run in runs:
        for c in run.configs:
            m = run.metrics(c.name)
            lines.append("| " + " | ".join([
                set_name, c.name, str(m["n"]), f"{_pct(m['accuracy'])} ({m['correct']}/{m['n']})",
                _pct(m["hit@1"]), _pct(m["hit@5"]), "—" if m["mrr"] is None else f"{m['mrr']:.3f}",
                _pct(m["doc_hit"]), _pct(m.get("doc_hit_copy")), _pct(m["rouge_l_recall"]),
                f"{m['confidently_wrong']} ({_pct(m['confidently_wrong_rate'])})", str(m["wrongly_refused"]),
                _ms(m["latency_p50_ms"])]) + " |")
    return "\n".join(lines)


def markdown(run: EvalRun, chart: bool) -> str:
    qs = run.questions
    head = headline_config(run)
    facts = run.indexes.get(head, {})
    parts = [
        "# 评测报告 Evaluation report",
        "",
        f"- 时间：{time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(run.started))}；"
        f"代码版本：{git_commit() or '未知'}；用时 {run.seconds:.0f} 秒",
        f"- 问题集：`{qs.path.name}`（sha256 {qs.sha256[:12]}），{len(qs.questions)} 题，"
        f"{len(qs.categories)} 类",
        f"- 索引：{facts.get('embedder', '?')}，{facts.get('chunks', '?')} 个片段；来源 "
        + "，".join(f"`{s}`({h})" for s, h in facts.get("sources", {}).items()),
        f"- 机器：Python {platform.python_version()}，{platform.machine()}，{os.cpu_count()} 核",
        "",
        "## 配置 Configurations",
        "",
        *[f"- **{c.name}**：{c.describe()}" for c in run.configs],
        "",
        "## 总表 Summary",
        "",
        summary_table(run),
        "",
        "## 各类准确率 Accuracy by category",
        "",
        category_table(run),
        "",
    ]
    if chart:
        parts += [f"![accuracy by category]({CHART})", ""]
    parts += [
        "## 各类检索命中 Retrieval by category (answerable questions)",
        "",
        retrieval_table(run),
        "",
        f"## {head} 自信答错 Confidently wrong (answered, not correct)",
        "",
        confidently_wrong(run, head),
        "",
        f"## {head} 的错题 Failures of {head}",
        "",
        failures(run, head),
        "",
        "## 指标定义 Metric definitions",
        "",
        (METRICS_DOC or "").split("(also printed in every report):", 1)[-1].strip(),
        "",
    ]
    return "\n".join(parts)


def write_chart(run: EvalRun, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cats = run.questions.categories + ["overall"]
    width = 0.8 / max(1, len(run.configs))
    fig, ax = plt.subplots(figsize=(max(8, 1.1 * len(cats)), 4.5), dpi=110)
    for i, c in enumerate(run.configs):
        values = [100 * (run.metrics(c.name, None if cat == "overall" else cat)["accuracy"] or 0)
                  for cat in cats]
        ax.bar([x + i * width - 0.4 + width / 2 for x in range(len(cats))], values, width, label=c.name)
    ax.set_xticks(range(len(cats)), cats, rotation=30, ha="right")
    ax.set_ylabel("accuracy (%)")
    ax.set_ylim(0, 105)
    ax.set_title(f"Answer accuracy by category and configuration ({len(run.questions.questions)} questions)")
    ax.legend(fontsize=8, ncols=min(5, len(run.configs)), loc="upper center", bbox_to_anchor=(0.5, -0.28),
              frameon=False)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def summary_json(run: EvalRun) -> dict[str, Any]:
    return {"questions": {"path": run.questions.path.name, "sha256": run.questions.sha256,
                          "n": len(run.questions.questions)},
            "configs": {c.name: {"describe": c.describe(), "index": run.indexes.get(c.name),
                                 "overall": run.metrics(c.name),
                                 "by_category": {cat: run.metrics(c.name, cat)
                                                 for cat in run.questions.categories}}
                        for c in run.configs},
            "headline": headline_config(run), "seconds": round(run.seconds, 1), "commit": git_commit()}


def _write_dir(out: Path | None, name: str, fill: Callable[[Path], None]) -> Path:
    """``fill`` a temporary directory, then rename it to ``out/name`` (``name-2``… if taken)."""
    return write_dir_atomically(Path(out) if out else DEFAULT_OUT, name, fill)


def _write_rows(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def write(run: EvalRun, out: Path | None = None, name: str | None = None, chart: bool = True) -> Path:
    """Write the report directory atomically; returns its path."""
    def fill(tmp: Path) -> None:
        _write_rows(tmp / "results.jsonl", run.rows)
        (tmp / "summary.json").write_text(json.dumps(summary_json(run), ensure_ascii=False, indent=2),
                                          encoding="utf-8")
        if chart:
            write_chart(run, tmp / CHART)
        (tmp / "report.md").write_text(markdown(run, chart), encoding="utf-8")

    return _write_dir(out, name or time.strftime("%Y%m%d-%H%M%S", time.localtime(run.started)), fill)


def markdown_sets(runs: list[tuple[str, EvalRun]], seconds: float) -> str:
    parts = [
        "# 评测报告（多评测集）Evaluation report, sets side by side",
        "",
        f"- 时间：{time.strftime('%Y-%m-%d %H:%M:%S')}；代码版本：{git_commit() or '未知'}；用时 {seconds:.0f} 秒",
        f"- 机器：Python {platform.python_version()}，{platform.machine()}，{os.cpu_count()} 核",
        "",
        "## 各评测集对比 Sets side by side",
        "",
        sets_table(runs),
        "",
    ]
    for set_name, run in runs:
        head = headline_config(run)
        facts = run.indexes.get(head, {})
        qs = run.questions
        parts += [
            f"## 评测集 {set_name}",
            "",
            f"- 问题集：`{qs.path.name}`（sha256 {qs.sha256[:12]}），{len(qs.questions)} 题；索引 "
            f"`{facts.get('index_dir', '?')}`，{len(facts.get('sources', {}))} 个文件，"
            f"{facts.get('chunks', '?')} 个片段",
            *[f"- **{c.name}**：{c.describe()}" for c in run.configs],
            "",
            summary_table(run),
            "",
            "### 各类准确率与检索 By category",
            "",
            category_table(run),
            "",
            retrieval_table(run),
            "",
            f"### {head} 自信答错 Confidently wrong",
            "",
            confidently_wrong(run, head),
            "",
            f"### {head} 误拒答 Answerable questions refused",
            "",
            wrongly_refused(run, head),
            "",
        ]
    parts += ["## 指标定义 Metric definitions", "",
              (METRICS_DOC or "").split("(also printed in every report):", 1)[-1].strip(), ""]
    return "\n".join(parts)


def write_sets(runs: list[tuple[str, EvalRun]], out: Path | None = None, name: str | None = None,
               seconds: float = 0.0) -> Path:
    """The multi-set report directory (report.md, results.jsonl with a ``set`` field, summary.json),
    written atomically like ``write``."""
    def fill(tmp: Path) -> None:
        _write_rows(tmp / "results.jsonl", ({"set": s, **row} for s, run in runs for row in run.rows))
        summary = {"sets": {s: summary_json(r) for s, r in runs}, "seconds": round(seconds, 1),
                   "commit": git_commit()}
        (tmp / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
        (tmp / "report.md").write_text(markdown_sets(runs, seconds), encoding="utf-8")

    return _write_dir(out, name or time.strftime("%Y%m%d-%H%M%S"), fill)
