"""The standards stage: a standard question (洛阳孤儿一个月给多少钱, 哪个城市的农村低保标准最高)
answered from the benefit-standards table, only from rows of documents in scope, each row cited
with its own span; comparisons per category and period. Entry point: :func:`answer_standards`."""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ingest.metadata import without_datelines
from ingest.places import ANCESTOR, SAME, UNRELATED, lookup, relation

from ..types import Answer, Citation
from ..vocabulary import fact_words
from .compose import finish, refuse
from .corpus import most_specific
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
    return of_place_asked(analysis, rows)


def other_benefit(q: str, rows: list["Standard"]) -> str | None:
    """The benefit the question names that the table keeps no category of (vocabulary
    ``facts.selection.other_benefits``: 教育救助, 资助) when no row's span says it: the rows are
    another benefit's standards of the group asked (孤儿 上研究生资助 vs 孤儿基本生活标准)."""
    named = [w for w in dict(fact_words().selection).get("other_benefits", ()) if w in q]
    if not named or any(w in r.text for r in rows for w in named):
        return None
    return named[0]


def of_place_asked(analysis: QueryAnalysis, rows: list["Standard"]) -> list["Standard"]:
    """The rows that may answer for the one place asked: another place's row never does (a
    province's report quoting a sibling city); where a row of the place itself states a category,
    only such rows do (晋中 asked: the city-wide figure, not two county lines; a county asked: its
    line, not its city's); else its counties' rows, said as what they are (:func:`inside_lead`),
    or its wider region's. Every row when the question names no place or several."""
    places = most_specific(analysis.places)
    if len(places) != 1:
        return rows
    asked = places[0]
    names = {n for n in (asked.name, asked.short) if n and len(n) >= 2}
    # a row's span naming the place asked states its figure, whatever place the row is filed under
    # (肥东县、肥西县…和巢湖市城乡低保标准…: one row, filed under the last place named)
    said = {r.id for r in rows if any(n in r.text for n in names)}
    kept = [r for r in rows if r.id in said or relation(asked, r.region) != UNRELATED]
    own = {r.category for r in kept if r.id in said or relation(asked, r.region) == SAME}
    label = getattr(asked, "region", None) or asked.name
    return [replace(r, region=label) if r.id in said and relation(asked, r.region) == UNRELATED else r
            for r in kept if r.category not in own or r.id in said or relation(asked, r.region) == SAME]


def inside_lead(ex, analysis: QueryAnalysis, rows: list["Standard"]) -> str | None:
    """``资料中没有X全市统一的标准；各县（市、区）标准如下：`` when the one place asked is the region of
    every row's document and every row is a place inside it that its span names (榆次区农村低保标准为…),
    no span naming the place asked or speaking for it as a whole (本市, 全省); else None."""
    places = most_specific(analysis.places)
    if len(places) != 1 or not rows:
        return None
    asked = places[0]
    words = {n for n in (asked.name, asked.short) if n and len(n) >= 2} | set(_self_words())
    for r in rows:
        if relation(asked, r.region) != ANCESTOR or ex.documents[r.source]["meta"].get("city") != asked.name:
            return None
        if any(w in r.text for w in words) or not _names_own_region(r):
            return None
    wide, parts = _levels(asked)
    return f"资料中没有{asked.name}{wide}统一的标准；{parts}标准如下："


def _self_words() -> tuple[str, ...]:
    selection = dict(fact_words().selection)
    return selection.get("self_city", ()) + selection.get("self_province", ())


def _names_own_region(row: "Standard") -> bool:
    """The row's span names the place it is filed under (a dateline's city is no such place)."""
    place = lookup(row.region) if row.region else None
    return place is not None and any(n and len(n) >= 2 and n in without_datelines(row.text)
                                     for n in (place.name, place.short))


def _levels(place) -> tuple[str, str]:
    """How a region's own figure and its parts are said: 全市 / 各县（市、区） for a city; a
    municipality is a province that calls itself 市 (its parts are districts)."""
    if place.level == "province" and place.name.endswith("市"):
        return WIDE["city"], "各区（县）"
    return WIDE.get(place.level, ""), PARTS.get(place.level, "所辖各地")


# how a region's own figure and its parts are said, by the region's level (ingest.places)
WIDE = {"province": "全省", "city": "全市", "county": "全县"}
PARTS = {"province": "各市", "city": "各县（市、区）", "county": "各乡镇（街道）"}

def answer_standards(ex, analysis: QueryAnalysis, scope: Scope | None) -> Answer | None:
    rows = standard_rows(ex, analysis, scope)
    if not rows:
        return None
    other = other_benefit(analysis.normalized, rows)
    if other is not None:  # never another benefit's standard for the one asked
        return refuse(ex, analysis, f"资料中没有{other}的具体标准。")
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
            label = "，".join(x for x in (region, f"{r.year}年" if r.year else "") if x)
            year = f"（{label}）" if label else ""  # the region is said here, never glued before the quote
            lines.append(f"{claim}{picked}[{n}]{year}")
        else:
            lines.extend(ex.format_row(x, n, vocab) for x in grp)
    regions = list(dict.fromkeys(r.region or "" for r in rows))
    inside = inside_lead(ex, analysis, rows)
    if inside is not None:
        text = inside + "\n" + "\n".join(f"- {ln}" for ln in lines)
    elif len(lines) == 1:
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
