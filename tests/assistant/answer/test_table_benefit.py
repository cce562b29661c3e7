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
