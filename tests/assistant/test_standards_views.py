"""The 补贴标准速查 rows of the genres offices hold beyond work reports (made-up documents, real
facts layer, real vocabulary and gazetteer; no model): a city notice whose prose names a county's
own figure, a county table, and an age-band notice."""
from __future__ import annotations

import pytest

from assistant.standards import Standard, StandardsTable, extract_standards
from ingest.document import DocMeta, Document

pytestmark = pytest.mark.unit

CITY_NOTICE = ("宜宾市2024年城乡低保标准调整情况\n\n宜宾市民政局\n\n"
               "2024年，宜宾市将全市城市低保指导标准由每人每月700元提高到每人每月730元。"
               "其中，翠屏区城市低保标准为每人每月760元，农村低保标准为每人每年6900元；"
               "南溪区城市低保标准为每人每月740元。\n")
COUNTY_TABLE = ("宜宾市关于公布2024年各县（区）城乡低保标准的通知\n\n宜宾市民政局\n\n各县（区）标准如下表。\n\n"
                "县（区）\t城市低保月标准（元）\t农村低保年标准（元）\n"
                "翠屏区\t760\t6900\n南溪区\t740\t6600\n\n请各地按时发放。\n")
AGE_BANDS = ("宜宾市高龄津贴发放标准\n\n宜宾市民政局\n\n"
             "具有本市户籍的80周岁以上老年人按年龄段享受高龄津贴：80—89周岁每人每月60元；"
             "90—99周岁每人每月150元；100周岁及以上每人每月400元。\n")


def _doc(text: str, source: str = "t.txt") -> Document:
    return Document(source=source, text=text, sha256="0", encoding="utf-8", meta=DocMeta("宜宾市", 2024, "t"))


def _exact(doc: Document, rows: list[Standard]) -> None:
    for r in rows:
        assert doc.text[r.start:r.end] == r.text and r.amount in r.text


def test_a_county_named_in_a_city_report_keeps_its_own_region():
    doc = _doc(CITY_NOTICE)
    rows = extract_standards(doc)
    _exact(doc, rows)
    by_amount = {r.amount: r.region for r in rows}
    assert by_amount == {"730": "宜宾市", "760": "宜宾市翠屏区", "6900": "宜宾市翠屏区", "740": "宜宾市南溪区"}
    table = StandardsTable(rows)
    # the county filter finds the county's row; the city's own figure is not reported as the county's
    assert [r.amount for r in table.query(region="翠屏区")] == ["760", "6900"]
    assert [r.amount for r in table.query(region="宜宾市", broader=True) if r.region == "宜宾市"] == ["730"]


def test_a_county_tables_cells_are_rows_of_their_county():
    doc = _doc(COUNTY_TABLE)
    rows = extract_standards(doc)
    _exact(doc, rows)
    got = {(r.region, r.category, r.amount, r.period, r.kind) for r in rows}
    assert got == {("宜宾市翠屏区", "城市低保", "760", "月", "table"), ("宜宾市翠屏区", "农村低保", "6900", "年", "table"),
                   ("宜宾市南溪区", "城市低保", "740", "月", "table"), ("宜宾市南溪区", "农村低保", "6600", "年", "table")}
    table = StandardsTable(rows)
    assert {r.amount for r in table.query(region="南溪", category="农村低保")} == {"6600"}
    # answers read only prose standards (kind "standard"): a table cell reaches them through the table answerer
    assert table.query(region="南溪", include_averages=True, unique=False)
    assert all(r.kind == "table" for r in table.query(region="南溪"))


def test_age_bands_are_rows_with_their_band():
    doc = _doc(AGE_BANDS)
    rows = extract_standards(doc)
    _exact(doc, rows)
    got = [(r.amount, r.qualifier, r.kind) for r in rows]
    assert got == [("60", "80—89周岁", "band"), ("150", "90—99周岁", "band"), ("400", "100周岁以上", "band")]
    assert all(r.region == "宜宾市" and r.period == "月" for r in rows)


def test_rows_round_trip_through_the_saved_table(tmp_path):
    docs = [_doc(CITY_NOTICE, "a.txt"), _doc(COUNTY_TABLE, "b.txt"), _doc(AGE_BANDS, "c.txt")]
    table = StandardsTable.from_documents(docs)
    back = StandardsTable.load(table.save(tmp_path / "standards.json"))
    assert back.rows == table.rows and len(back) >= 10


def test_the_tab_and_the_cli_list_county_and_band_rows(tmp_path):
    from types import SimpleNamespace

    from ui.app import standards_filters, standards_rows

    docs = [_doc(CITY_NOTICE, "a.txt"), _doc(COUNTY_TABLE, "b.txt"), _doc(AGE_BANDS, "c.txt")]
    index = SimpleNamespace(documents={d.source: {"meta": {"title": d.source}} for d in docs})
    assistant = SimpleNamespace(standards=StandardsTable.from_documents(docs), index=index)
    regions, _, _ = standards_filters(assistant)
    assert {"宜宾市", "宜宾市翠屏区", "宜宾市南溪区"} <= set(regions)
    county = standards_rows(assistant, "宜宾市南溪区", None, None)
    assert {(r[2], r[3]) for r in county} == {("城市低保", "740元（每人每月）"), ("城市低保", "740元（每月）"),
                                              ("农村低保", "6600元（每年）")}
    city = standards_rows(assistant, "宜宾市", None, None)  # the city picked: its counties' rows too
    assert {r[0] for r in city} == {"宜宾市", "宜宾市翠屏区", "宜宾市南溪区"}
    assert ["高龄津贴（80—89周岁）", "高龄津贴（90—99周岁）", "高龄津贴（100周岁以上）"] == [
        r[2] for r in city if r[2].startswith("高龄津贴")]
