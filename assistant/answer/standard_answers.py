"""The standards stage: a standard question (洛阳孤儿一个月给多少钱, 哪个城市的农村低保标准最高)
answered from the benefit-standards table, only from rows of documents in scope, each row cited
with its own span; comparisons per category and period. Entry point: :func:`answer_standards`."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..types import Answer, Citation
from ..vocabulary import fact_words
from .compose import finish
from .spans import lead_with_region
from .wording import QUESTION_PHRASES, SUPERLATIVE_HIGH, SUPERLATIVE_LOW, not_superlative, asks_standard, respective, respectively

if TYPE_CHECKING:  # pragma: no cover
    from ..query import QueryAnalysis
    from ..standards import Standard
    from .corpus import Scope


# the fact kinds asked (answer.asked) that a row of the standards table (an amount) never answers
NOT_A_STANDARD = ("when", "duration", "contact", "multiple", "age")


# -- the standards table -------------------------------------------------------
def standard_rows(ex, analysis: QueryAnalysis, scope: Scope | None) -> list["Standard"]:
    """Table rows that answer a standard question about places in ``scope``, or []."""
    if ex.standards is None or analysis.intent != "amount":
        return []
    if analysis.asked.kind in NOT_A_STANDARD:
        return []  # 差额什么时候补 / 几倍 / 几个工作日: a standard's amount is no date, multiple or time limit
    if any(w in analysis.normalized for w in dict(fact_words().selection).get("earlier_asked", ())):
        return []  # 提标以前是多少: the earlier figure is asked, which a row states only beside its current one
    q = analysis.normalized
    # 平均 asks for a statistic: only the labelled average rows answer it, never a standard
    kind = "average" if "平均" in q else "standard"
    if kind == "standard" and not asks_standard(q):
        return []
    cats = ex.standards.vocab.detect(QUESTION_PHRASES.sub(" ", q))
    if not cats:
        return []
    years = set(analysis.years)
    rows: list[Standard] = []
    seen: set[str] = set()
    for cat in cats:
        for r in ex.standards.query(category=cat, latest=not years, include_averages=kind == "average"):
            if r.kind != kind or r.id in seen or r.source not in ex.documents:
                continue
            if scope is not None and r.source not in scope:
                continue  # the table never answers for a place the question did not ask about
            if years and r.year not in years:
                continue
            text = ex.documents[r.source]["text"]
            if text[r.start:r.end] != r.text:
                continue  # a stale table: never cite a span that is not there
            seen.add(r.id)
            rows.append(r)
    return rows

def answer_standards(ex, analysis: QueryAnalysis, scope: Scope | None) -> Answer | None:
    rows = standard_rows(ex, analysis, scope)
    if not rows:
        return None
    vocab = ex.standards.vocab
    rows = rows[: ex.max_regions * 2]
    # one citation per span (城乡特困...分别为9600元、6000元 holds two rows)
    groups: dict[tuple[str, int, int], list[Standard]] = {}
    for r in rows:
        groups.setdefault((r.source, r.start, r.end), []).append(r)
    citations: list[Citation] = []
    lines: list[str] = []
    for n, ((source, start, end), grp) in enumerate(groups.items(), 1):
        r = grp[0]
        citations.append(row_citation(ex, n, r))
        if respective(r.text):
            region = r.region or ""
            claim = lead_with_region(r.text.strip("，,；; "), region)
            picked = respectively(r.text, " ".join(x.category for x in grp))
            year = f"（{r.year}年）" if r.year else ""
            lines.append(f"{claim}{picked}[{n}]{year}")
        else:
            lines.extend(ex.format_row(x, n, vocab) for x in grp)
    regions = list(dict.fromkeys(r.region or "" for r in rows))
    if len(lines) == 1:
        text = lines[0] + "。"
    elif len(regions) == 1:
        text = f"{regions[0]}的相关标准如下：\n" + "\n".join(f"- {ln}" for ln in lines)
    else:
        text = "各地资料中的标准如下（各报告年份不同，请注意年份）：\n" + "\n".join(f"- {ln}" for ln in lines)
    extra = _superlative_notes(analysis.normalized, rows, vocab) if len(regions) > 1 else []
    if extra:
        text += "\n" + "\n".join(extra)
    return finish(ex, analysis, text, citations, answerable=True)

def row_citation(ex, marker: int, row: "Standard") -> Citation:
    m = ex.documents[row.source]["meta"]
    text = ex.documents[row.source]["text"][row.start:row.end]
    return Citation(marker=marker, source=row.source, title=m.get("title") or "", city=m.get("city"),
                    year=m.get("year"), text=text, start=row.start, end=row.end, score=1.0)

_PERIOD_WORD = {"月": "月标准", "年": "年标准"}

def _superlative_notes(q: str, rows: list["Standard"], vocab) -> list[str]:
    """最高/最低 across regions: compared only within one category and one period (月 vs 年),
    plus a note when the figures come from different years."""
    q = not_superlative().sub(" ", q)
    wants = [w for w, pat in (("最高", SUPERLATIVE_HIGH), ("最低", SUPERLATIVE_LOW)) if pat.search(q)]
    if not wants:
        return []
    notes: list[str] = []
    by_cat: dict[str, list[Standard]] = {}
    for r in rows:
        by_cat.setdefault(r.category, []).append(r)
    for cat, cat_rows in by_cat.items():
        if len({r.region for r in cat_rows}) < 2:
            continue
        label = vocab.label(cat) if cat in vocab.names else cat
        compared = False
        for period in ("年", "月"):
            same = [r for r in cat_rows if r.period == period]
            if len({r.region for r in same}) < 2:
                continue
            compared = True
            for w in wants:
                pick = max(same, key=lambda r: r.number) if w == "最高" else min(same, key=lambda r: r.number)
                ties = [r.region for r in same if r.number == pick.number]
                who = "、".join(dict.fromkeys(x or "" for x in ties))
                others = [r for r in same if r.region not in ties]
                notes.append(f"在按{_PERIOD_WORD[period]}计的{label}中，{who}{w}（{pick.amount}{pick.unit}，"
                             f"{pick.year}年）" + ("" if others else "，各地相同") + "。")
            left = [r for r in cat_rows if r.period != period]
            if left:
                notes.append("未参与比较：" + "、".join(
                    f"{r.region}（{'未注明按月还是按年' if r.period is None else '按' + r.period + '计'}）"
                    for r in left) + "，计算周期不同，不能直接比较。")
        if not compared:
            desc = "、".join(f"{r.region}{'未注明周期' if r.period is None else '按' + r.period + '计'}"
                             for r in cat_rows)
            notes.append(f"各地{label}的计算周期不同或未注明（{desc}），无法直接比较高低。")
    years = {r.year for r in rows}
    if len(years) > 1:
        per_region = "、".join(dict.fromkeys(f"{r.region}{r.year}年" for r in rows if r.year))
        notes.append(f"注意：各地数据年份不同（{per_region}），比较时请留意年份。")
    return notes
