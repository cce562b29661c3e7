"""Tables as data: a header and rows, each row with its label, cells and exact span.

Tables reach the answer layer as text: tab-separated lines (docx, html, xlsx and PDF tables
are written that way by ingest, first row the header) or markdown pipe tables
(``| 县 | 城市低保月标准（元） |`` with a ``|---|`` line). :func:`parse_tables` finds them
in a text; :func:`pick_column` and :func:`pick_rows` choose what a question names:

- a row by its label (a county: ``平遥县`` / ``平遥``) or a row label quoted in the question;
- a column by the measure words of its header, the qualifiers (城市/农村 …) and the period
  (月/年) the question says, never a column whose qualifier contradicts the question's;
- the rows with the highest / lowest value of a column.

>>> t = parse_tables("县\\t城市低保月标准（元）\\n甲县\\t760\\n乙县\\t740")[0]
>>> [r.label for r in t.rows], t.header
(['甲县', '乙县'], ('县', '城市低保月标准（元）'))
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.places import lookup

from ..vocabulary import fact_words, qualifier_kinds

from .facts_reading import patterns, read_qualifiers
from .figures import UNITS, fold
from .injection import INJECTION
from .selection import earlier_words, measure_terms

_MD_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_NUMBER = re.compile(r"^\s*[-+]?\d+(?:\.\d+)?\s*%?\s*$")
# a cell that carries its unit (230元/人·月, 1.2万元, 185元/人·月（限智力、精神残疾）): a value too, of an
# amount, a count or a rate (a 2026年 cell is a label's year, no value)
_CELL_UNITS = sorted((u for u, d in UNITS.items() if d in ("money", "count", "rate")), key=len, reverse=True)
_VALUE_WITH_UNIT = re.compile(r"^\s*[-+]?\d+(?:\.\d+)?\s*[万亿]?(?P<unit>" + "|".join(map(re.escape, _CELL_UNITS))
                              + r")(?:/[^\s/]{1,6})?\s*(?:[（(][^（）()]{0,20}[）)])?\s*$")


def _value(cell: str) -> bool:
    """A table cell that is a number, bare or with its unit."""
    folded = fold(cell)
    return bool(_NUMBER.match(folded) or _VALUE_WITH_UNIT.match(folded))
_UNIT_IN_HEADER = re.compile(r"[（(]([^（）()]{1,6})[）)]")
MAX_ROWS = 2000  # a table longer than this is read up to here (bounded cost per question)


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[str, ...]  # all cells, the label's included
    start: int  # offsets of the row's line in the text parsed
    end: int


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    start: int  # the header line's start
    end: int  # the last row's end
    label_col: int = 0

    def value_columns(self) -> list[int]:
        """Columns other than the label column whose cells are mostly numbers."""
        out = []
        for i in range(len(self.header)):
            if i == self.label_col:
                continue
            vals = [r.cells[i] for r in self.rows if i < len(r.cells)]
            if vals and sum(_value(v) for v in vals) >= max(1, len(vals) // 2):
                out.append(i)
        return out

    def unit(self, col: int) -> str:
        """The unit a header states in brackets: 城市低保月标准（元） → 元."""
        m = _UNIT_IN_HEADER.search(self.header[col])
        return m.group(1) if m else ""

    def dimension(self, col: int) -> str | None:
        """The dimension (answer.figures) of the unit a header states: （人） → count,
        （元/人·月） → money; None when the header states no unit the figures module knows."""
        unit = self.unit(col)
        if not unit:  # a header of a grade (三级) over cells that say their unit (175元/人·月)
            said = {m.group("unit") for r in self.rows if col < len(r.cells)
                    and (m := _VALUE_WITH_UNIT.match(fold(r.cells[col])))}
            unit = said.pop() if len(said) == 1 else ""
        return next((UNITS[u] for u in sorted(UNITS, key=len, reverse=True) if unit.startswith(u)), None)


def _lines(text: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return out


def _md_cells(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [c.strip() for c in s.split("|")]


def _make(header: list[str], body: list[tuple[int, int, list[str]]], start: int, offset: int) -> Table | None:
    if len(header) < 2 or not body:
        return None
    rows = []
    for s, e, cells in body[:MAX_ROWS]:
        cells = cells + [""] * (len(header) - len(cells))
        rows.append((s, e, cells))
    # the label column: the first whose cells are mostly words, not numbers
    label_col = 0
    for i in range(len(header)):
        words = [c for _, _, c in rows if i < len(c) and c[i] and not _value(c[i])]
        if len(words) >= max(1, len(rows) // 2):
            label_col = i
            break
    return Table(tuple(header), tuple(Row(c[label_col], tuple(c), s + offset, e + offset) for s, e, c in rows),
                 start + offset, rows[-1][1] + offset, label_col)


def parse_tables(text: str, offset: int = 0) -> list[Table]:
    """Every table of ``text`` (offsets shifted by ``offset``): runs of two or more tab-separated
    lines, or markdown pipe tables. A table whose text talks to a model is dropped."""
    tables: list[Table] = []
    lines = _lines(text)
    i = 0
    while i < len(lines):
        s, e, line = lines[i]
        if "\t" in line and line.strip():
            j = i
            while j + 1 < len(lines) and "\t" in lines[j + 1][2] and lines[j + 1][2].strip():
                j += 1
            if j > i:
                header = [c.strip() for c in line.split("\t")]
                body = [(bs, be, [c.strip() for c in bl.split("\t")]) for bs, be, bl in lines[i + 1:j + 1]]
                t = _make(header, body, s, offset)
                if t is not None:
                    tables.append(t)
            i = j + 1
            continue
        if line.strip().startswith("|") and i + 1 < len(lines) and _MD_SEPARATOR.match(lines[i + 1][2]):
            j = i + 1
            while j + 1 < len(lines) and lines[j + 1][2].strip().startswith("|"):
                j += 1
            body = [(bs, be, _md_cells(bl)) for bs, be, bl in lines[i + 2:j + 1]]
            t = _make(_md_cells(line), body, s, offset)
            if t is not None:
                tables.append(t)
            i = j + 1
            continue
        i += 1
    return [t for t in tables if not INJECTION.search(text[t.start - offset:t.end - offset])]


def short_name(name: str) -> str:
    """平遥县 → 平遥 (the gazetteer's short name); a name it does not know loses a 县/区/市 suffix."""
    place = lookup(name)
    if place is not None and place.short:
        return place.short
    return name[:-1] if len(name) > 2 and name[-1] in "县区市旗" else name


def label_matches(label: str, name: str) -> bool:
    """A row label names the place ``name``: 平遥县 / 平遥 for 平遥县."""
    label = re.sub(r"\s+", "", label)
    if not label or not name:
        return False
    if label == name:
        return True
    a, b = short_name(label), short_name(name)
    return len(a) >= 2 and a == b


_PLACE_END = re.compile(r"(?:省|市|县|区|旗|州|盟|镇|乡|街道|地区)$")
# 哪个市 / 哪些县区 / 哪个城市: a question asking which place (the rows it ranks must be places)
WHICH_PLACE = re.compile(r"哪(?:个|些|一个)?(?:省|市|县|区|镇|乡|街道|地区|城市|地方|旗)")


def rows_are_places(table: Table) -> bool:
    """Most row labels name places (a gazetteer place, or a name ending in a level word:
    包家店镇), not benefits or items (最低生活保障, 孤儿基本生活费)."""
    labels = [re.sub(r"\s+", "", r.label) for r in table.rows]
    places = sum(1 for x in labels if x and (lookup(x) is not None or _PLACE_END.search(x)))
    return bool(labels) and 2 * places > len(labels)


def measure_rows(table: Table, terms: list[str], contains) -> list[Row]:
    """The rows of a table by benefit (最低生活保障 / 孤儿基本生活费（社会散居）) whose label says the
    most of the question's measure ``terms`` (``contains`` decides, synonyms included: 低保 is
    said by 最低生活保障); [] when no label says any, or the table's rows are places."""
    if rows_are_places(table):
        return []
    # two words the question says side by side that a label says side by side too decide a tie
    # (低保家庭 of 困难残疾人生活补贴（低保家庭）, not of …（低保边缘家庭）)
    pairs = [a + b for a, b in zip(terms, terms[1:])]
    said = [((sum(len(t) for t in terms if contains(r.label, t)), sum(p in r.label for p in pairs)), i)
            for i, r in enumerate(table.rows)]
    best = max((n for n, _ in said), default=(0, 0))
    return [table.rows[i] for n, i in said if n[0] and n == best]


def _levels_said(text: str) -> set[tuple[str, str]]:
    """(kind, value) of each care level / disability grade / provision ``text`` says (answer.facts_reading)."""
    return {(k, v) for k, v, _ in read_qualifiers(text, 0, len(text), patterns())}


def rows_of_level(rows: list[Row], asked, terms: list[str], contains) -> list[Row]:
    """Of the ``rows`` a table by benefit gives for the measure asked (several 重度残疾人护理补贴 rows,
    one per grade), those whose cells say the level ``asked`` names (一级) and, of them, those whose
    other cells say the most of the question's ``terms`` (低保家庭中的残疾人); ``rows`` when none does,
    or when they are not several rows of one label."""
    if len({r.label for r in rows}) != 1 or len(rows) < 2:
        return rows
    wanted = set(asked.levels)
    if wanted:
        rows = [r for r in rows if wanted <= _levels_said("\t".join(r.cells))] or rows
    said = [(sum(len(t) for t in terms if contains("\t".join(r.cells[1:]), t)), r) for r in rows]
    best = max((n for n, _ in said), default=0)
    return [r for n, r in said if n == best] if best else rows


def pick_rows(table: Table, names: list[str], question: str) -> list[Row]:
    """Rows whose label is a place the question names, or a label the question quotes."""
    out = []
    for r in table.rows:
        if any(label_matches(r.label, n) for n in names) or (len(r.label) >= 2 and r.label in question):
            out.append(r)
    return out


def column_score(header: str, question: str, qualifier_words: dict[str, str], measure_terms: list[str]) -> float:
    """How well a value column's header fits the question (negative: it contradicts it).

    Qualifiers (城市/农村, 散居/机构, …) in both agree (+2) or clash (−10); 月/年 asked
    (每个月, 一年) agree (+1) or clash (−3); each measure term of the question in the header +1, and a
    standard word (标准) both say +1."""
    score = 0.0
    asked = {v for w, v in qualifier_words.items() if w in question}
    said = {v for w, v in qualifier_words.items() if w in header}
    # a clash is within one kind of qualifier: 散居 asked is no clash with a 城市 column
    kind_of = qualifier_kinds()
    kinds = {kind_of.get(v, v) for v in asked} & {kind_of.get(v, v) for v in said}
    if kinds:
        score += 2 if asked & said else -10
    month_q = bool(re.search(r"月|每个月|一个月", question))
    year_q = bool(re.search(r"年标准|每年|一年|年度|全年", question))
    month_h, year_h = "月" in header, "年" in header
    if month_q and not year_q:
        score += 1 if month_h else (-3 if year_h else 0)
    if year_q and not month_q:
        score += 1 if year_h else (-3 if month_h else 0)
    score += sum(1 for t in measure_terms if t and t in header)
    # 基本生活标准是多少 of a 新标准（元/人·月） column: a standard word (vocabulary facts.standard) both say
    score += any(w in header and w in question for w in fact_words().standard)
    return score


def level_columns(table: Table, cols: list[int], asked) -> list[int]:
    """The value columns that can hold the care level / disability grade / provision ``asked``
    names (半护理): a column whose header names it, or one naming no level of that kind in a
    table whose row labels name it; never a column of another level (全护理 for 半护理 asked),
    nor a column of no level in a table naming it nowhere (the parent benefit's 基本生活标准)."""
    wanted = asked.levels
    if not wanted:
        return cols
    by_rows = set().union(*(_levels_said("\t".join(r.cells)) for r in table.rows))  # a 残疾等级 column says them too
    out = []
    for i in cols:
        head = _levels_said(table.header[i])
        if all(want in head or (not any(k == want[0] for k, _ in head) and want in by_rows) for want in wanted):
            out.append(i)
    return out


def change_header(header: str) -> bool:
    """The header is of a change's column (较上年提高, 比上年增加): a raise word (vocabulary
    facts.raise) after a word of an earlier value or of a comparison (facts.selection previous,
    earlier_asked, year_reference) — never an earlier value (调整前…标准) nor the current one."""
    fw = fact_words()
    refs = (*earlier_words(), *dict(fw.selection).get("year_reference", ()))
    after = [header.find(w) + len(w) for w in refs if w in header]
    return bool(after) and any(header.find(r, min(after)) >= 0 for r in fw.raise_)


def period_columns(table: Table, cols: list[int], question: str) -> list[int]:
    """The value columns whose period role (before a change / current / the change itself, read
    from the header's words) is the one the question asks: a change asked (提高了多少: vocabulary
    facts.asked.change) keeps the change's columns when there are some; an earlier value asked
    (提标前) keeps the earlier columns only; otherwise the earlier and change columns go when a
    current one is left (现在 / no period said)."""
    change = [i for i in cols if change_header(table.header[i])]
    asks_change = any(w in question for w in dict(fact_words().asked).get("change", ()))
    if change and asks_change:
        return change
    earlier = [i for i in cols if i not in change and earlier_header(table.header[i])]
    if any(w in question for w in dict(fact_words().selection).get("earlier_asked", ())) \
            and not from_to_asked(question) and not asks_change:
        return earlier
    current = [i for i in cols if i not in earlier and i not in change]
    return current or ([] if earlier or change else cols)


def from_to_asked(question: str, table: Table | None = None) -> bool:
    """The question asks both the value before a change and after it (从多少提高到多少: vocabulary
    facts.selection.from_to_asked) — or asks the change (提高了多少) of a ``table`` that has no
    column of the change, only the values before and after it."""
    if any(w in question for w in dict(fact_words().selection).get("from_to_asked", ())):
        return True
    return table is not None and any(w in question for w in dict(fact_words().asked).get("change", ())) \
        and not any(change_header(h) for h in table.header)


def earlier_header(header: str) -> bool:
    """A column's header says an earlier value (调整前农村低保年标准; 原城市低保月标准: vocabulary
    facts.selection.earlier_header_prefixes)."""
    prefixes = tuple(dict(fact_words().selection).get("earlier_header_prefixes", ()))
    return any(w in header for w in earlier_words()) or header.startswith(prefixes)


def earlier_column(table: Table, cols: list[int], col: int, score) -> int | None:
    """The column of ``cols`` holding the earlier value of current column ``col`` (城市低保原标准 beside
    城市低保新标准): a header with an earlier word that ``score`` (a header -> score function) rates
    as high as ``col``'s; None when there is none."""
    best = score(table.header[col])
    earlier = [i for i in cols if i != col and not change_header(table.header[i])
               and earlier_header(table.header[i]) and score(table.header[i]) >= best]
    return earlier[0] if earlier else None


def side_column(table: Table, cols: list[int], col: int, sides, qualifiers) -> int | None:
    """The column of ``cols`` holding the other of two sides compared (城市特困…标准 beside 农村特困…标准
    for 城市特困人员基本生活标准比农村高多少): its header is ``col``'s but for the qualifiers, and it
    names a word of the other side than the one ``col``'s header names; None when there is none."""
    if len(sides) != 2:
        return None
    def bare(h: str) -> str:
        for w in sorted(qualifiers, key=len, reverse=True):
            h = h.replace(w, "")
        return h

    head = table.header[col]
    for i in cols:
        other = table.header[i]
        if i == col or other == head or bare(other) != bare(head):
            continue
        own = [n for n, side in enumerate(sides) if any(w in head and w not in other for w in side)]
        if len(own) == 1 and any(w in other and w not in head for w in sides[1 - own[0]]):
            return i
    return None


def measure_said(table: Table, col: int, rows: list[Row], around: str, document: str, question: str, terms,
                 contains) -> bool:
    """The head of what the question asks the figure of (the last term of its measure that is no
    generic word and that the table's ``document`` says — 起付 of 住院救助起付标准是多少; vocabulary
    facts.selection.generic_measures, answer.selection.measure_terms) is said by the column's
    header, a picked row's label or the table's caption / title (``around``): a 年度住院救助限额 cell
    is no 起付标准 the document states elsewhere. A verb the document never uses (能领, 相差) or one
    character (差) is no measure of it. True when the question names no such head."""
    generic = dict(fact_words().selection).get("generic_measures", ())
    measure = measure_terms(question, [*terms, *generic])
    head = next((t for t in reversed(measure) if len(t) >= 2 and t not in generic and contains(document, t)), None)
    if head is None:
        return True
    said = (table.header[col], *(r.label for r in rows), around)
    return any(contains(x, head) for x in said)


def number(cell: str) -> float | None:
    m = re.match(r"\s*([-+]?\d+(?:\.\d+)?)", fold(cell))
    return float(m.group(1)) if m else None
