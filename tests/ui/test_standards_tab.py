"""The 补贴标准速查 tab's pure functions on the real seed index."""
from __future__ import annotations

import re

from ui.app import (ALL, STANDARD_HEADERS, filter_standards, standard_source_html, standards_filters,
                    standards_rows, standards_state)


def test_filters_come_from_the_table(assistant):
    regions, categories, years = standards_filters(assistant)
    assert regions[0] == categories[0] == years[0] == ALL
    assert {"焦作市", "漯河市", "洛阳市", "郑州市惠济区"} <= set(regions)
    assert {"农村低保", "城市低保", "散居孤儿"} <= set(categories)
    assert {"2021", "2020", "2017", "2016"} <= set(years)


def test_all_rows_without_filters(assistant):
    rows = standards_rows(assistant)
    assert rows and all(len(r) == len(STANDARD_HEADERS) for r in rows)
    assert rows == standards_rows(assistant, ALL, ALL, ALL) == standards_rows(assistant, None, "", None)
    assert not any("203.45" in r[3] for r in rows)  # averages are not standards
    # the twice-stated 4524 appears once
    assert sum(1 for r in rows if r[3].startswith("4524元")) == 1


def test_filter_by_region_category_year(assistant):
    rows = standards_rows(assistant, "焦作市", "农村低保", None)
    assert len(rows) == 1
    region, year, cat, amount, previous, source = rows[0]
    assert (region, year, cat) == ("焦作市", 2021, "农村低保")
    assert amount == "4524元（每年）" and previous == ""
    assert source == "焦作市民政局2021年工作回顾（焦作日报民政专版）"  # the report's title, not its file name
    assert {r[0] for r in standards_rows(assistant, None, "农村低保", None)} == {"焦作市", "漯河市"}
    assert [r[3] for r in standards_rows(assistant, None, "农村低保", "2020")] == ["4560元（每人每年）"]
    assert standards_rows(assistant, "洛阳市", None, "2017")[0][4] == "600元"
    assert standards_rows(assistant, "焦作市", None, "2017") == []
    assert {r[2] for r in standards_rows(assistant, "洛阳市", ALL, ALL)} == {"散居孤儿", "机构养育孤儿"}


def test_selecting_a_row_highlights_its_span(assistant):
    state = standards_state(assistant, "洛阳市", "散居孤儿", ALL)
    assert len(state) == 1
    html = standard_source_html(assistant, state, [0, 3])  # gr.SelectData.index is [row, column]
    assert html == standard_source_html(assistant, state, 0)
    m = re.search(r'<mark[^>]*>(.*?)</mark>', html, re.S)
    assert m and "700" in m.group(1) and "600" in m.group(1)
    row = state[0]
    assert m.group(1) == assistant.document_text(row["source"])[row["start"]:row["end"]]
    assert "000_634e09650f0b344e.txt" in html and "洛阳市" in html


def test_out_of_range_selection_is_a_hint(assistant):
    assert "<mark" not in standard_source_html(assistant, [], [0, 0])
    assert "<mark" not in standard_source_html(assistant, standards_state(assistant), 999)
    assert "<mark" not in standard_source_html(assistant, None, None)


class _FakeIndex:
    def __init__(self, text):
        self.documents = {"x.txt": {"text": text, "meta": {"title": "<b>标题</b>", "city": "焦作市", "year": 2021}}}


class _FakeAssistant:
    def __init__(self, text):
        self.index = _FakeIndex(text)
        self.standards = None

    def document_text(self, source):
        return self.index.documents[source]["text"]


def test_everything_in_the_source_is_escaped():
    text = "前文<script>alert(1)</script>，农村低保标准为<i>4524</i>元&，后文"
    start = text.index("农村")
    end = text.index("，后文")
    fake = _FakeAssistant(text)
    state = [{"source": "x.txt", "start": start, "end": end, "region": "焦作市", "year": 2021}]
    html = standard_source_html(fake, state, 0)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert "<mark" in html and "&lt;i&gt;4524&lt;/i&gt;元&amp;" in html
    # no standards table: empty filters and rows, no crash
    assert standards_filters(fake) == ([ALL], [ALL], [ALL])
    assert standards_rows(fake) == [] and filter_standards(fake, "焦作市") == []


def test_the_tab_is_built(assistant):
    from ui.app import build

    demo = build(assistant)
    assert demo is not None
