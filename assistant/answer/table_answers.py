"""The table-answers stage: a cell of a header-plus-rows table (answer.tables) for the row and
column a question names, the highest / lowest row, or a refusal naming the rows listed; and the
序号 / 名称 / 值 / 排名 ranking tables (rank, last, rise, fall). Entry points:
:func:`answer_data_tables`, :func:`answer_ranking_table`."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ingest.document import Chunk

from ..types import Answer
from ..vocabulary import fact_words, filler, qualifier_words
from .compose import citation, finish, refuse
from .corpus import most_specific
from .facts_reading import clauses_of, references
from .figures import quantities
from .tables import (WHICH_PLACE, change_header, column_score, earlier_column, from_to_asked, level_columns, measure_rows,
                     measure_said, number, parse_tables, period_columns, pick_rows, rows_are_places, rows_of_level, side_column)
from .standard_answers import PARTS as _PARTS, WIDE as _WIDE
from .wording import QUESTION_PHRASES, asked_figure, without_places, not_superlative, SUPERLATIVE_HIGH, SUPERLATIVE_LOW, header_name

if TYPE_CHECKING:  # pragma: no cover
    from ..query import QueryAnalysis


def answer_data_tables(ex, analysis: QueryAnalysis, pool: list[Chunk]) -> Answer | None:
    """A cell of a header-plus-rows table (answer.tables): the row the question names (a county)
    in the column its measure, qualifier and period fit; or the highest / lowest row of that
    column; or, when the question names a place below the table's region that no row lists,
    a refusal that says so (never the region-wide figure in its place)."""
    if analysis.asked.kind in ("when", "duration", "contact"):
        return None  # a date, a time limit or a phone line is no table cell here
    want = cell_asked(analysis)
    q = analysis.normalized
    plain = not_superlative().sub(" ", q)
    extreme = "max" if SUPERLATIVE_HIGH.search(plain) else "min" if SUPERLATIVE_LOW.search(plain) else None
    quals = qualifier_words()
    terms = [t for t in analysis.terms if t not in quals]
    unplaced = without_places(q, analysis.places)  # 运城市 says no 城市 column
    seen: set[tuple[str, int]] = set()
    unlisted, named = "", False  # the refusal for a place below a table's region that no row lists
    asked = _families(ex, q)
    said: dict[str, set[str]] = {}  # source -> the benefit families its document names (read once)
    for chunk in pool[:8]:
        tables = _tables_of(ex, chunk, whole_document=extreme is not None)
        if tables and asked and chunk.source not in said:
            said[chunk.source] = _families_said(ex, chunk.source)
        if not tables or (asked and not asked & said[chunk.source]):
            continue  # (a benefit asked that the table's document never names: 孤儿 of a 低保 table)
        region = chunk.meta.get("city") or ""
        below = [p for p in analysis.places if p.name != region and p.region != region
                 and (p.level in ("county", "town") or (p.level == "city" and region.endswith("省")))]
        for table in tables:
            if (chunk.source, table.start) in seen:
                continue
            seen.add((chunk.source, table.start))
            fits = [i for i in table.value_columns() if cell_fits(table.dimension(i), want)]
            cols = level_columns(table, period_columns(table, fits, q), analysis.asked)
            if not cols:
                continue
            scored = sorted(((column_score(table.header[i], unplaced, quals, terms) + _benefit_fit(ex, table.header[i], asked),
                              i) for i in cols), reverse=True)
            best, col = scored[0]
            if best < 1:
                continue  # no column is about what was asked
            rows = rows_of_level(pick_rows(table, [p.name for p in most_specific(below)], q),  # 长春农安县: 农安县's
                                 analysis.asked, terms, ex.contains)  # row; of one benefit's rows by grade, the grade's
            if not rows and not below and not extreme:
                # 沈阳市城市低保标准: a table by benefit, the row its measure names, the column its qualifier
                rows = rows_of_level(measure_rows(table, terms, ex.contains), analysis.asked, terms, ex.contains)[:2]
            note = ""
            if not rows and extreme and not below:
                if WHICH_PLACE.search(q) and not rows_are_places(table):
                    continue  # 哪个市最高 over rows of benefits (最低生活保障, 孤儿…): no place ranks there
                vals = [(v, r) for r in table.rows if (v := number(r.cells[col])) is not None]
                if not vals:
                    continue
                pick = max(v for v, _ in vals) if extreme == "max" else min(v for v, _ in vals)
                rows = [r for v, r in vals if v == pick]
                note = f"{header_name(table.header[col])}{'最高' if extreme == 'max' else '最低'}的是"
            if not rows and not below and not extreme and _region_itself(analysis, region) and rows_are_places(table) \
                    and _header_says(ex, table.header[col], terms) and not region_wide_said(ex, analysis, region):
                # 赣州城市特困标准 over a table of its counties, no city-wide figure anywhere: the rows
                # as what they are, never one county's as the city's
                tied = sorted(i for sc, i in scored if sc == best)  # no qualifier asked: every column that fits
                return part_rows(ex, analysis, chunk, table, tied)
            if not rows:
                if below and any(p.parent == region or region in p.chain for p in below):
                    named |= _named_outside(ex.doc_texts.get(chunk.source, ""), table, below)
                    listed = "、".join(r.label for r in table.rows[:12])
                    unlisted = unlisted or (f"资料中没有{'、'.join(p.name for p in below)}单列的"
                                            f"{header_name(table.header[col])}（{region}的表格列出：{listed}）。")
                continue
            document = ex.doc_texts.get(chunk.source, "")
            if asked and _of_other_benefit(ex, chunk, table, rows[:6], asked):
                continue  # a 特困 table (…按不低于当地低保标准的1.6倍确定…如下表) is no 低保 table
            if not measure_said(table, col, rows[:6], _caption(ex, chunk, table), document, q, analysis.terms,
                                ex.contains):
                continue  # the cell is of another measure than the one asked (限额 for 起付标准)
            # 从多少提高到多少: the row's earlier value said beside its current one; 城市…比农村高多少: the other side's
            earlier = (earlier_column(table, fits, col, lambda h: column_score(h, unplaced, quals, terms)) if from_to_asked(
                q, table) else side_column(table, fits, col, analysis.sides, quals)) if len(rows) == 1 else None
            return table_cells(ex, analysis, chunk, table, rows[:6], col, note, earlier)
    # a place no table lists, which no sentence of those documents names either: said outright
    return refuse(ex, analysis, unlisted) if unlisted and not named else None


def _families(ex, text: str) -> set[str]:
    """The benefit families ``text`` names (a question, a header, a table's lead, a document)."""
    return {m.family for m in ex.benefits().mentions(text)}


def _families_said(ex, source: str) -> set[str]:
    """The benefit families a document names: a table of one benefit has no cell of another, whose
    period (每月) alone fits a column of it."""
    return _families(ex, ex.doc_texts.get(source, ""))


def _header_says(ex, header: str, terms: list[str]) -> bool:
    """The column's header says every content word of the question (synonyms count; periods,
    generic measures and filler aside): 照料护理 asked is no 基本生活标准 column."""
    skip = {w for _, words in fact_words().periods for w in words}
    skip |= set(dict(fact_words().selection).get("generic_measures", ())) | set(filler())
    return all(ex.contains(header, t) for t in terms if t not in skip)


def _region_itself(analysis: QueryAnalysis, region: str) -> bool:
    """The question names one place, the table's region itself (赣州 for a 赣州市 notice)."""
    places = most_specific(analysis.places)
    return bool(region) and len(places) == 1 and places[0].name == region


def region_wide_said(ex, analysis: QueryAnalysis, region: str) -> bool:
    """Some document states ``region``'s own figure (a standard or an average) of a category the
    question names: that answers it (the standards stage), not the rows of its parts."""
    if ex.standards is None:
        return False
    cats = ex.standards.vocab.detect(QUESTION_PHRASES.sub(" ", analysis.normalized))
    return any(r.region == region and r.kind in ("standard", "average") for cat in cats
               for r in ex.standards.query(category=cat, include_averages=True, unique=False))


MAX_PART_ROWS = 10  # rows of a region's parts listed in one answer; the rest are counted


def part_rows(ex, analysis: QueryAnalysis, chunk: Chunk, table, cols: list[int]) -> Answer:
    """``资料中没有X全市统一的标准；各县（市、区）标准如下：`` and the table's rows (at most
    ``MAX_PART_ROWS``, each cited by its row) in the columns ``cols`` that fit the question."""
    region = chunk.meta.get("city") or ""
    place = most_specific(analysis.places)[0]
    citations, lines = [], []
    for n, r in enumerate(table.rows[:MAX_PART_ROWS], 1):
        citations.append(citation(ex, n, chunk, r.start, r.end, 1.0))
        cells = "，".join(f"{header_name(table.header[c])}为{r.cells[c]}{table.unit(c)}" for c in cols)
        lines.append(f"- {r.label}：{cells}[{n}]")
    parts = _PARTS.get(place.level, "所辖各地")
    more = ""
    if len(table.rows) > MAX_PART_ROWS:
        # the rest cited as one span; their count is no figure of the documents (grounding)
        rest = table.rows[MAX_PART_ROWS:]
        n = len(citations) + 1
        citations.append(citation(ex, n, chunk, rest[0].start, rest[-1].end, 1.0))
        more = f"\n等{parts.removeprefix('各')}，其余见所引表格[{n}]。"
    year = chunk.meta.get("year")
    tail = f"（{region}{'，' + str(year) + '年' if year else ''}，表格）"
    text = (f"资料中没有{region}{_WIDE.get(place.level, '')}统一的标准；{parts}标准如下{tail}：\n"
            + "\n".join(lines) + more)
    return finish(ex, analysis, text, citations, answerable=True, dimension=None)


def _caption(ex, chunk: Chunk, table) -> str:
    """What names a table: its document's title, the chunk's heading and the text right before it."""
    before = ex.doc_texts.get(chunk.source, "")[max(0, table.start - 200):table.start]
    return " ".join((chunk.meta.get("title") or "", chunk.heading or "", before))


def _benefit_fit(ex, header: str, asked: set[str]) -> float:
    """+1 when a column's header names a benefit the question asks (特困基本生活 for 特困供养), −10 when it
    names only others (散居孤儿, 城市低保 of a county × benefit table); 0 when either names none."""
    said = _families(ex, header)
    return 0.0 if not (said and asked) else (1.0 if said & asked else -10.0)


def _of_other_benefit(ex, chunk: Chunk, table, rows, asked: set[str]) -> bool:
    """The benefits the table's title, heading, header, picked ``rows``' cells (低保对象, a group
    asked by its benefit; 低保家庭中的残疾人, whom a row is for) and the two lines right before it name (a reference phrase's base left
    out: 低保 of 按不低于当地低保标准的1.6倍确定) hold none of ``asked``: the table is about another
    benefit than the one asked."""
    text = ex.doc_texts.get(chunk.source, "")
    lines = text[max(0, table.start - 300):table.start].rstrip("\n").split("\n")[-2:]
    lead = "\n".join(lines)
    for a, b, _ in references(lead, clauses_of(lead, 0, len(lead)), quantities(lead)):
        lead = lead[:a] + " " * (b - a) + lead[b:]
    named = " ".join((chunk.meta.get("title") or "", chunk.heading or "", lead, *table.header,
                      *(c for r in rows for c in r.cells)))  # 低保家庭中的残疾人: a row's cells say whom it is for
    said = _families(ex, named)
    return bool(said) and not said & asked


def _named_outside(text: str, table, places) -> bool:
    """The document names one of ``places`` outside ``table`` (辽中区、康平县…农村低保标准不低于…): its
    sentences, not the table, may answer for it."""
    names = {n for p in places for n in (p.name, p.short) if n and len(n) >= 2}
    outside = text[:table.start] + "\n" + text[table.end:]
    return any(n in outside for n in names)


def _tables_of(ex, chunk: Chunk, whole_document: bool) -> list:
    """The header-plus-rows tables of ``chunk``; with ``whole_document`` (a highest / lowest
    asked), of the chunk's whole document when the chunk holds none: the prose that matched the
    question (各市执行的标准如下表) and the table that ranks its rows are different chunks."""
    text, offset = chunk.text, chunk.start
    if "\t" not in text and "|" not in text:
        if not whole_document:
            return []
        text, offset = ex.doc_texts.get(chunk.source, ""), 0
        if "\t" not in text and "|" not in text:
            return []
    if parse_ranking_table(text) is not None:
        return []  # a 序号/名称/值/排名 ranking table with a two-line header: answer_ranking_table reads it
    return parse_tables(text, offset)


# the fact kinds (answer.asked) a cell answers only when its header states that unit: 几倍 is no
# cell in 元, 多大年龄 no cell in 人
_KIND_DIMENSION = {"multiple": "multiple", "age": "age"}


def cell_asked(analysis: QueryAnalysis) -> tuple[str, bool] | None:
    """(dimension, strict) of the figure a table cell must be to answer ``analysis``: 几倍 asks a
    multiple (strict: the header must say 倍), 多少人 a count, 多少钱 money (a header stating no
    unit may still hold it); None when the question asks no one dimension."""
    kind = analysis.asked.kind
    if kind in _KIND_DIMENSION:
        return _KIND_DIMENSION[kind], True
    fig = asked_figure(analysis)
    return (fig, False) if fig in ("money", "count", "rate") else None


def cell_fits(dimension: str | None, want: tuple[str, bool] | None) -> bool:
    """A column whose header states ``dimension`` can answer what ``cell_asked`` wants: the
    same dimension, or (not strict) a header that states no unit."""
    if want is None:
        return True
    asked, strict = want
    return dimension == asked or (dimension is None and not strict)


def table_cells(ex, analysis: QueryAnalysis, chunk: Chunk, table, rows, col: int, note: str,
                earlier: int | None = None) -> Answer:
    """The cells of column ``col`` in ``rows``, each cited by its row; ``earlier``: a column whose
    value before the change is said first (城市低保原标准为720元，城市低保新标准为755元)."""
    region = chunk.meta.get("city") or ""
    unit = table.unit(col)
    name = header_name(table.header[col])
    citations, lines = [], []
    be = "" if change_header(table.header[col]) else "为"  # 较上年提高45元, not 提高为45元 (a level)
    for n, r in enumerate(rows, 1):
        label = r.label if not region or r.label.startswith(region) else f"{region}{r.label}"
        citations.append(citation(ex, n, chunk, r.start, r.end, 1.0))
        before = "" if earlier is None else \
            f"{header_name(table.header[earlier])}为{r.cells[earlier]}{table.unit(earlier)}，"
        lines.append(f"{label}{before}{name}{be}{r.cells[col]}{unit}[{n}]")
    year = chunk.meta.get("year")
    tail = f"（{region}{'，' + str(year) + '年' if year else ''}，表格）" if region else "（表格）"
    if len(lines) == 1:
        text = f"{note}{lines[0]}{tail}。"
    else:
        text = (f"{note}：\n" if note else "") + "\n".join(f"- {ln}" for ln in lines) + f"\n{tail}"
        if len(rows) == 2 and not note:
            a, b = (number(r.cells[col]) for r in rows)
            if a is not None and b is not None:
                rel = "高于" if a > b else "低于" if a < b else "等于"
                text += f"\n{rows[0].label}{rel}{rows[1].label}。"
    # an earlier column beside the current one states the change (由740到770: the 由 of vocabulary must_cite)
    heads = table.header[col] if earlier is None else f"{table.header[earlier]} {table.header[col]} 由"
    return finish(ex, analysis, text, citations, answerable=True, dimension=None, headers=heads)

# -- tables ------------------------------------------------------------------
def answer_ranking_table(ex, analysis: QueryAnalysis, chunk: Chunk) -> Answer | None:
    """A row the question names (a county, or any row label it quotes, e.g. 示范区), or the rows
    a ranking / lowest / highest / rise / fall question picks out of the table."""
    table = parse_ranking_table(chunk.text)
    if table is None:
        return None
    cols, rows, measure = table
    q = analysis.normalized
    names = {p.name for p in analysis.places if p.level == "county"}
    names |= {p.name for p in analysis.places if p.level == "city" and p.name != chunk.meta.get("city")}
    picked = [r for r in rows if any(_label_matches(r.label, n) for n in names) or r.label in q]
    note = ""
    if not picked:
        picked, note = ranking_select(q, cols, rows, measure)
    if not picked:
        return None
    value_cols = list(range(len(cols)))
    if analysis.years and len(picked) == 1 and not note:
        value_cols = [i for i, c in enumerate(cols) if any(str(y) in c for y in analysis.years)] or value_cols
    parts = []
    for r in picked:
        vals = "，".join(f"{cols[i]}{measure}为{r.values[i]}" for i in value_cols if i < len(r.values))
        rank = f"，排名第{r.rank}" if r.rank else ""
        parts.append(f"{r.label}：{vals}{rank}")
    lead = f"{note}：" if note else ""
    title = chunk.heading or "表格"
    text = f"{lead}{'；'.join(parts)}[1]（{chunk.meta.get('city')}，{title}）。"
    span_end = chunk.start + max(r.end for r in picked)
    cit = citation(ex, 1, chunk, chunk.start, span_end)
    return finish(ex, analysis, text, [cit], answerable=True)

@dataclass(frozen=True)
class TableRow:
    label: str  # 县市区
    values: tuple[str, ...]  # one per value column, as printed (71.82%)
    rank: int | None
    end: int  # offset of the row's end inside the chunk text

_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

def cn_number(text: str) -> int | None:
    """3, 三, 十一, 二十 → int."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return _CN_DIGITS.get(text)

def _label_matches(label: str, name: str) -> bool:
    short = name[:-1] if len(name) > 2 else name
    return label == name or label == short or label.startswith(short)

def parse_ranking_table(text: str) -> tuple[list[str], list[TableRow], str] | None:
    """(value column names, rows, what the values measure) of a ``序号 名称 值… 排名`` table
    (one or two header lines); None for any other shape."""
    lines = text.split("\n")
    header = [ln for ln in lines if not re.match(r"^\d+\t", ln)]
    if not header:
        return None
    top = header[0].split("\t")
    has_rank = bool(top) and "排名" in top[-1]
    if not has_rank and len(header) < 2:
        return None  # 序号 | 市（州） | 标准…: a numbered data table (answer.tables reads it), no ranking
    cols = [c for c in header[-1].split("\t") if c] if len(header) > 1 else [c for c in top[2:-1 if has_rank else None] if c]
    rows, offset = [], 0
    for ln in lines:
        start = text.index(ln, offset)
        offset = start + len(ln)
        if not re.match(r"^\d+\t", ln):
            continue
        cells = [c for c in ln.split("\t")]
        if len(cells) < 3:
            continue
        values = [c for c in cells[2:] if c]
        rank = None
        if has_rank and len(values) > len(cols):
            rank = int(values[-1]) if values[-1].isdigit() else None
            values = values[:-1]
        rows.append(TableRow(cells[1], tuple(values), rank, start + len(ln)))
    if not rows or not cols:
        return None
    measure = next((c for c in top[2:] if c and "排名" not in c), "") if len(header) > 1 else ""
    return cols, rows, measure

def ranking_select(q: str, cols: list[str], rows: list[TableRow], measure: str = "") -> tuple[list[TableRow], str]:
    """The rows a ranking / extreme / change question asks for, and a lead that says which."""
    if "排名" in q or "名次" in q or "第" in q:
        if re.search(r"最后|末位|倒数第一", q):
            last = max((r.rank for r in rows if r.rank), default=None)
            return [r for r in rows if r.rank == last], f"排名最后（第{last}名）的是"
        m = re.search(r"第([0-9一二两三四五六七八九十]+)", q)
        if m and (n := cn_number(m.group(1))):
            return [r for r in rows if r.rank == n], f"排名第{n}的是"
        if re.search(r"(并列)?第一|最好|最高", q):
            return [r for r in rows if r.rank == 1], "排名第1的是"
    col = 0
    for i, c in enumerate(cols):
        year = re.match(r"(\d{4})年", c)
        if year and year.group(1) in q and (len(c) <= 5 or c[5:] in q or "月" not in q):
            col = i
    if len(cols) >= 2 and re.search(r"下降|降低|减少|回落", q):
        out = [r for r in rows if len(r.values) >= 2 and _lt(r.values[-1], r.values[0])]
        return out, f"{cols[-1]}{measure}比{cols[0]}下降的是"
    if len(cols) >= 2 and re.search(r"上升|提高|增长|增加", q) and "最" not in q:
        out = [r for r in rows if len(r.values) >= 2 and _lt(r.values[0], r.values[-1])]
        return out, f"{cols[-1]}{measure}比{cols[0]}上升的是"
    for words, pick, label in ((r"最低|最少|最差", min, "最低"), (r"最高|最多|最好", max, "最高")):
        if re.search(words, q):
            scored = [(v, r) for r in rows if col < len(r.values) and (v := number(r.values[col])) is not None]
            if not scored:
                return [], ""
            best = pick(v for v, _ in scored)
            return [r for v, r in scored if v == best], f"{cols[col]}{measure}{label}的是"
    return [], ""

def _lt(a: str, b: str) -> bool:
    x, y = number(a), number(b)
    return x is not None and y is not None and x < y
