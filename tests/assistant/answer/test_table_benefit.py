"""A province's table of one benefit, by city, holds no cell of another benefit: a city asked
picks its row, and the period asked (每月) fits the table's monthly column, but the question asks
about a benefit the table's document never names. Places are real; the document and figures are
made up for the tests."""
from __future__ import annotations

import pytest

DOCS = {
    "qinghai_dibao.md": (
        "青海省2025年各市（州）城乡低保标准\n\n"
        "青海省民政厅　青海省财政厅　2025年2月\n\n"
        "各市（州）城乡最低生活保障标准如下，自2025年1月1日起执行。\n\n"
        "市（州）\t城市低保标准（元/人·月）\t农村低保标准（元/人·年）\n"
        "西宁市\t870\t6900\n海东市\t845\t6600\n海西州\t910\t7200\n"),
    "xining_linshi.txt": (
        "西宁市临时救助工作情况\n\n"
        "今年以来，西宁市共实施临时救助3200人次，发放临时救助金650万元。\n"),
}


@pytest.fixture(scope="module")
def table_assistant(make_answer_assistant):
    return make_answer_assistant("table-benefit", DOCS)


def test_another_benefit_is_not_answered_from_the_tables_cells(table_assistant):
    a = table_assistant.ask("西宁市孤儿基本生活费每月多少？")
    assert "870" not in a.answer and "6900" not in a.answer, a.answer


def test_the_tables_own_benefit_is_still_answered_from_its_row(table_assistant):
    a = table_assistant.ask("西宁市城市低保标准每月多少？")
    assert a.answerable and "870" in a.answer, a.answer


# a table by benefit × grade whose cells carry their unit (230元/人·月) while the headers are grades
GRADES = {
    "zhaoqing_liangxiang.txt": (
        "肇庆市残疾人两项补贴标准\n\n"
        "自2026年1月1日起调整我市残疾人两项补贴标准，端州区、鼎湖区、四会市统一执行以下标准。\n\n"
        "补贴类别\t一级\t二级\t三级\t四级\n"
        "困难残疾人生活补贴（低保家庭）\t240元/人·月\t240元/人·月\t180元/人·月\t180元/人·月\n"
        "困难残疾人生活补贴（低保边缘家庭）\t200元/人·月\t200元/人·月\t150元/人·月\t150元/人·月\n"
        "重度残疾人护理补贴\t320元/人·月\t260元/人·月\t190元/人·月\t不享受\n"),
}


@pytest.fixture(scope="module")
def grades_assistant(make_answer_assistant):
    return make_answer_assistant("table-grades", GRADES)


def test_cells_that_carry_their_unit_are_values_of_the_column_a_grade_names():
    from assistant.answer.tables import parse_tables

    (t,) = parse_tables(GRADES["zhaoqing_liangxiang.txt"])
    assert t.label_col == 0 and t.value_columns() == [1, 2, 3, 4]
    assert t.dimension(3) == "money"  # the header says no unit; its cells say 元


def test_a_grade_and_a_family_pick_their_cell_of_a_benefit_by_grade_table(grades_assistant):
    a = grades_assistant.ask("肇庆市低保家庭中的三级残疾人，困难残疾人生活补贴每月多少？")
    assert a.answerable and "180元" in a.answer and "150元" not in a.answer and "240元" not in a.answer, a.answer
    b = grades_assistant.ask("肇庆低保边缘家庭的二级残疾人，每月困难残疾人生活补贴是多少钱？")
    assert b.answerable and "200元" in b.answer and "240元" not in b.answer and "150元" not in b.answer, b.answer
    c = grades_assistant.ask("肇庆市一级残疾人的重度残疾人护理补贴标准是每月多少？")
    assert c.answerable and "320元" in c.answer and "240元" not in c.answer, c.answer
