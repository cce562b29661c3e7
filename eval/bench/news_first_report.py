"""The first round's before/after section of ``eval/reports/bench/news.md`` (``case-first``): the
two ``ask`` runs side by side, then the parts ``eval.bench.news_first`` timed."""
from __future__ import annotations

from typing import Any

from .report import _f

PART_NAMES = {"passage_embed": "段落：句子向量化", "extract_facts": "从原文抽取数字事实", "df_count": "词的文档频率计数",
              "regions_for": "地名对应的地区", "chinese_number": "中文数字（首次导入 cn2an）",
              "jieba_load": "jieba 词典加载"}
RETRIEVE_NAMES = {"query_embed": "检索：问题向量化（第 2 轮取自缓存）", "bm25_prefix": "检索：常见词按影响排序的倒排（每词首次）",
                  "doc_vector": "检索：文档平均向量（每文档首次）", "bm25_topk": "检索：BM25 top k（每题，含倒排）",
                  "dense_search": "检索：向量检索（每题）", "doc_level": "检索：文档层（每题，含文档平均向量）",
                  "bm25_rows": "检索：文档层的 BM25 片段打分（每题）"}


FIRST_CHANGE = ("地区索引按地名链建一次（`Corpus.regions_for`），启动时在后台完成一次性加载"
                "（`Assistant.warm_up`：cn2an、地名用的 jieba 词典），基准在第 1 题前等它完成，如服务器开始接受提问前")


def _first_lines(f: dict[str, Any], earlier: bool = False) -> list[str]:
    """The first round before and after a change: ask figures side by side, then the parts.
    ``f["change"]`` says what the change was (the first such pair, recorded without it, had
    ``FIRST_CHANGE``); ``earlier``: the pair of a change before the newest one."""
    b, a = f["before"], f["after"]
    title = "第 1 轮（每题首次）：更早一次改动之前 / 之后" if earlier else "第 1 轮（每题首次）：之前 / 之后"
    lines = ["", f"### {title}", "",
             f"- 运行：{f['run']['time']}，代码版本 {f['run']['commit']}（之前为代码 {f['before_commit']}，"
             "同一代索引，先后在同一台机器上各一个进程）",
             f"- 之后：{f.get('change') or FIRST_CHANGE}",
             "", "| | 第 1 轮 p50 / p95 / 最大 ms | 第 1 轮 作答 p50 / p95 ms | 第 1 轮 检索 p50 / p95 ms | "
             "第 2 轮 p50 / p95 ms | recall@10 | BM25 重合率 | 加载 s（预热 s） | 加载后 / 峰值内存 MB | 负载（第 1 / 2 轮结束） |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for label, r in (("之前", b), ("之后", a)):
        r1, r2 = r["rounds"][0], r["rounds"][-1]
        warm = f"（{r['warm_up_s']:.1f}）" if r.get("warm_up_s") is not None else ""
        lines.append(f"| {label} | {_f(r1['p50_ms'])} / {_f(r1['p95_ms'])} / {_f(r1['max_ms'])} | "
                     f"{_f(r1['stage_p50_ms']['answer'])} / {_f(r1['stage_p95_ms']['answer'])} | "
                     f"{_f(r1['stage_p50_ms']['retrieve'])} / {_f(r1['stage_p95_ms']['retrieve'])} | "
                     f"{_f(r2['p50_ms'])} / {_f(r2['p95_ms'])} | {r['vector']['recall_at_10']:.3f} | "
                     f"{r['bm25']['top10_overlap']:.3f} | {r['load_s']:.1f}{warm} | {r['rss_loaded_mb']:.0f} / "
                     f"{r['peak_rss_mb']:.0f} | {r1.get('loadavg', float('nan')):.1f} / {r2.get('loadavg', float('nan')):.1f} |")
    pb, pa = f.get("parts_before"), f.get("parts_after")
    if pb and pa:
        lines += ["", f"- 第 1 轮中只在首次遇到时才做的部分（作答阶段六项与合计，其后为检索阶段各项（前三项只在首次，其余每题都做）；`python -m eval.bench_news first DIR`，"
                  f"{pb['questions']} 题，各部分在整轮中的总毫秒；负载 {pb['loadavg']:.1f} / {pa['loadavg']:.1f}；"
                  "部分可以互相包含：之前的 jieba 词典加载发生在抽取数字事实之中）：", "",
                  "| 部分 | 之前 ms | 之后 ms |", "|---|---|---|"]
        lines += [f"| {name} | {_f(pb['parts_sum_ms'].get(k, 0.0))} | {_f(pa['parts_sum_ms'].get(k, 0.0))} |"
                  for k, name in PART_NAMES.items()]
        lines += [f"| 作答阶段合计 | {_f(pb['answer_sum_ms'])} | {_f(pa['answer_sum_ms'])} |",
                  f"| 作答阶段 p50 / p95 | {_f(pb['answer_p50_ms'])} / {_f(pb['answer_p95_ms'])} | "
                  f"{_f(pa['answer_p50_ms'])} / {_f(pa['answer_p95_ms'])} |"]
        if pb.get("retrieve_parts_sum_ms") and pa.get("retrieve_parts_sum_ms"):
            lines += [f"| {name} | {_f(pb['retrieve_parts_sum_ms'].get(k, 0.0))} | {_f(pa['retrieve_parts_sum_ms'].get(k, 0.0))} |"
                      for k, name in RETRIEVE_NAMES.items()]
            lines.append(f"| 整题 p95（这次计时） | {_f(pb['total_p95_ms'])} | {_f(pa['total_p95_ms'])} |")
        lines += ["",
                  "- 之后作答阶段最慢的几题（高于 p95）及其所占部分 ms："]
        for r in pa["slowest"]:
            parts = "，".join(f"{PART_NAMES[k]} {_f(r[k])}" for k in PART_NAMES if r.get(k, 0.0) >= 1.0) or "无"
            lines.append(f"  - {r['question']}：作答 {_f(r['answer_ms'])} ms（{parts}）")
        if pa.get("slowest_total"):
            names = {**PART_NAMES, **RETRIEVE_NAMES}
            lines += ["", "- 之后整题最慢的几题（高于 p95：决定第 1 轮 p95 的那几题）："]
            for r in pa["slowest_total"]:
                parts = "，".join(f"{names[k]} {_f(r[k])}" for k in names if r.get(k, 0.0) >= 1.0) or "无"
                lines.append(f"  - {r['question']}：整题 {_f(r['total_ms'])} ms，检索 {_f(r['retrieve_ms'])} ms，"
                             f"作答 {_f(r['answer_ms'])} ms（{parts}）")
    lines.append("")
    return lines
