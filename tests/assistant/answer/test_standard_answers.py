"""The standards stage: an allowance asked is a standard asked (never a total), the place asked
answers for itself (its own figure before its counties' lines, never a sibling city's)."""
from __future__ import annotations

import pytest

from assistant.answer.wording import allowance_asked, asks_standard

# Places are real; the figures are made up for these tests.
DOCS = {
    "changzhi_dibao_2024.txt": (
        "长治市民政局关于提高2024年城乡最低生活保障标准的通知\n\n"
        "自2024年1月1日起，全市城市低保标准由每人每月690元提高到每人每月730元，"
        "农村低保标准由每人每年5800元提高到每人每年6300元。\n"),
    "changzhi_dibao_2023.txt": (
        "长治市2023年城乡低保工作总结\n\n长治市民政局\n\n"
        "2023年，全市城乡低保工作平稳推进。其中，潞州区农村低保标准为每人每年6500元，"
        "上党区农村低保标准为每人每年6200元。全年全市累计发放城乡低保资金4.1亿元。\n"),
    "shanxi_news.txt": (
        "山西省各地提高城乡低保标准\n\n山西省民政厅\n\n"
        "2024年，山西省各地相继提高城乡低保标准，阳泉市城市低保标准为每人每月810元。\n"),
    "datong_dibao_2024.txt": (
        "大同市2024年城乡低保工作总结\n\n大同市民政局\n\n"
        "2024年，各县区相继提高城乡低保标准。平城区城市低保标准为每人每月800元，"
        "云冈区城市低保标准为每人每月780元。\n"),
    "suihua_guer.txt": (
        "绥化市2024年儿童福利工作总结\n\n绥化市民政局\n\n"
        "2024年，全市下拨孤儿基本生活费补助资金520万元。"
        "社会散居孤儿基本生活最低养育标准从每人每月1000元提高到1100元。\n"),
}


@pytest.fixture(scope="module")
def standards_assistant(make_answer_assistant):
    return make_answer_assistant("standard-answers", DOCS)


def test_an_allowance_asked_is_a_standard_asked_unless_a_total_is():
    assert allowance_asked("洛阳孤儿补助多少钱") and asks_standard("洛阳孤儿补助多少钱")
    assert not asks_standard("洛阳孤儿补助资金多少") and not asks_standard("发放孤儿补贴多少")
    assert not asks_standard("高龄津贴一共花了多少钱")
    assert not allowance_asked("冬春救助给低保户的取暖补助是多少？")  # the heating allowance, no 低保 level
    assert not allowance_asked("焦作 敬老补贴 高龄老人")  # a keyword query asks no amount


@pytest.mark.parametrize("question", ["绥化孤儿补助多少钱？", "What is the orphan allowance in Suihua?",
                                      "How much is the orphan allowance a month in Suihua?"])
def test_an_allowance_is_answered_with_the_standard_never_a_total(standards_assistant, question):
    a = standards_assistant.ask(question)
    assert a.answerable and "1100" in a.answer
    assert "520" not in a.answer
    first = a.answer.splitlines()[0]
    if first.startswith("Answer"):
        assert "1100 yuan" in first and "1000 yuan" not in first  # the raised value, not the old one


def test_a_city_asked_gets_its_own_figure_not_its_counties_lines(standards_assistant):
    a = standards_assistant.ask("长治农村低保一年多少钱？")
    assert a.answerable and "6300" in a.answer
    assert "潞州区" not in a.answer and "6500" not in a.answer and "6200" not in a.answer


def test_another_citys_row_never_answers_for_the_city_asked(standards_assistant):
    a = standards_assistant.ask("长治城市低保标准是多少？")
    assert a.answerable and "730" in a.answer
    assert "阳泉" not in a.answer and "810" not in a.answer


def test_a_county_asked_still_gets_its_line(standards_assistant):
    a = standards_assistant.ask("潞州区农村低保标准是多少？")
    assert a.answerable and "6500" in a.answer and "6300" not in a.answer


def test_a_city_with_only_its_districts_lines_gets_them_said_as_the_districts(standards_assistant):
    a = standards_assistant.ask("大同城市低保标准是多少？")
    assert a.answerable and a.answer.startswith("资料中没有大同市全市统一的标准；各县（市、区）标准如下：")
    assert "800" in a.answer and "780" in a.answer and len(a.citations) == 2


def test_a_funeral_allowance_asked_gets_no_row_of_the_basic_living_standard(answer_docs_assistant):
    # 丧葬费 is a benefit of its own (vocabulary selection.other_benefits): the 特困 rows are no answer
    a = answer_docs_assistant.ask("俺舅是德阳的特困户，人要是走了，丧葬费按啥标准给啊？")
    assert "1001" not in a.answer and not a.answerable, a.answer
