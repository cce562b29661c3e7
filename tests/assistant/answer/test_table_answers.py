"""A city asked where only its counties' table exists: the rows, said to be the counties', never
one county's figure as the city's; the city's own figure wins where one is stated."""
from __future__ import annotations

import pytest

# Places are real; the figures are made up for these tests.
COUNTIES = ["盐湖区", "永济市", "河津市", "临猗县", "万荣县", "闻喜县", "稷山县", "新绛县", "绛县", "垣曲县", "夏县", "平陆县"]
DOCS = {
    "yuncheng_tekun.txt": (
        "运城市关于调整2024年特困人员救助供养标准的通知\n\n运城市民政局 运城市财政局\n\n"
        "各县（市、区）民政局、财政局：\n\n自2024年1月1日起调整全市特困人员基本生活标准，"
        "调整后各县（市、区）标准如下。\n\n"
        "县（市、区）\t城市特困人员基本生活标准（元/月）\t农村特困人员基本生活标准（元/月）\n"
        + "".join(f"{c}\t{1100 - 7 * i}\t{880 - 5 * i}\n" for i, c in enumerate(COUNTIES))),
    "xinzhou_dibao.txt": (
        "忻州市民政局关于提高2024年城乡低保标准的通知\n\n"
        "全市城市低保标准由每人每月700元提高到每人每月745元，城市低保对象月人均补差水平不低于480元。各县（市、区）标准如下表。\n\n"
        "县（市、区）\t城市低保月标准（元）\n忻府区\t790\n原平市\t770\n定襄县\t750\n"),
    "lvliang_dibao.txt": (
        "吕梁市关于提高城乡低保标准的通知\n\n各县（市、区）调整后的具体标准见下表：\n\n"
        "县（市、区）\t原城市低保月标准（元）\t新城市低保月标准（元）\n离石区\t700\t735\n孝义市\t710\t745\n"),
    "lvliang_liangxiang.txt": (
        "吕梁市残疾人两项补贴标准\n\n"
        "补贴项目\t补贴对象\t残疾等级\t补贴标准（元/人·月）\n"
        "困难残疾人生活补贴\t低保家庭中的残疾人\t一级、二级\t110\n"
        "困难残疾人生活补贴\t低保家庭中的残疾人\t三级、四级\t85\n"
        "重度残疾人护理补贴\t一级残疾人\t一级\t140\n"
        "重度残疾人护理补贴\t二级残疾人\t二级\t105\n"),
    "jinzhong_guer.txt": (
        "晋中市孤儿基本生活保障标准调整情况\n\n"
        "类别\t调整前标准（元/人·月）\t调整后标准（元/人·月）\n社会散居孤儿\t1200\t1300\n集中养育孤儿\t1600\t1750\n"),
}


@pytest.fixture(scope="module")
def tables_assistant(make_answer_assistant):
    return make_answer_assistant("table-answers", DOCS)


def test_a_city_with_only_county_rows_gets_the_rows_said_as_the_counties(tables_assistant):
    a = tables_assistant.ask("运城城市特困人员基本生活标准是多少？")
    assert a.answerable
    assert a.answer.startswith("资料中没有运城市全市统一的标准；各县（市、区）标准如下")
    assert "盐湖区" in a.answer and "1100" in a.answer
    assert "880" not in a.answer  # the rural column is not the one asked
    # bounded: ten rows, each cited by its row, the rest cited as one span
    assert len(a.citations) == 11 and "等县（市、区），其余见所引表格[11]" in a.answer
    assert all(c.text.split("\t")[0] == county for c, county in zip(a.citations, COUNTIES[:10]))
    assert a.citations[-1].text.startswith(COUNTIES[10]) and COUNTIES[11] in a.citations[-1].text


def test_no_qualifier_asked_gives_every_column_that_fits(tables_assistant):
    a = tables_assistant.ask("运城市特困人员基本生活标准一个月多少钱？")
    assert a.answerable and "全市统一" in a.answer and "1100" in a.answer and "880" in a.answer


def test_a_county_row_asked_is_still_that_row(tables_assistant):
    a = tables_assistant.ask("永济市农村特困人员基本生活标准是多少？")
    assert a.answerable and "875" in a.answer and "全市统一" not in a.answer


def test_a_city_wide_figure_wins_over_the_county_rows(tables_assistant):
    a = tables_assistant.ask("忻州城市低保标准是多少？")
    assert a.answerable and "745" in a.answer
    assert "忻府区" not in a.answer and "全市统一" not in a.answer


def test_a_floor_asked_by_its_least_is_no_lowest_row(tables_assistant):
    # 最少要达到多少: the floor one figure must reach, not the table's lowest row (定襄县 750)
    a = tables_assistant.ask("忻州市城市低保对象月人均补差最少要达到多少钱？")
    assert a.answerable and "480元" in a.answer and "750" not in a.answer


@pytest.mark.parametrize("question, says, never", [
    ("吕梁孝义市这次调标之前的城市低保月标准是多少？", ("710",), "745"),  # 原…: the earlier column
    ("吕梁孝义市的城市低保月标准这次比原来提高了多少？", ("710", "745"), None),  # no change column: both
    ("吕梁孝义市的城市低保月标准是多少？", ("745",), "710"),  # 新…: the current one
])
def test_a_header_opening_with_yuan_is_the_earlier_value(tables_assistant, question, says, never):
    a = tables_assistant.ask(question)
    assert a.answerable and all(x in a.answer for x in says) and (never is None or never not in a.answer), a.answer


@pytest.mark.parametrize("question, says, never", [
    ("吕梁市一级残疾人的重度残疾人护理补贴每月多少？", "140", ("105", "110")),
    ("吕梁低保家庭里的三级残疾人，每月生活补贴多少？", "85", ("110", "140")),
])
def test_a_benefit_s_rows_by_grade_give_the_grade_asked(tables_assistant, question, says, never):
    # rows of one benefit, one per grade (a 残疾等级 column): the grade asked picks its row, not all
    a = tables_assistant.ask(question)
    assert a.answerable and says in a.answer and not any(n in a.answer for n in never), a.answer


def test_both_values_asked_by_their_column_headers_are_answered(tables_assistant):
    # 调整前和调整后分别是多少: the two sides are the columns' headers, which the cited row does not repeat
    a = tables_assistant.ask("晋中社会散居孤儿的基本生活保障标准，调整前和调整后分别是多少？")
    assert a.answerable and "1200" in a.answer and "1300" in a.answer, a.answer
