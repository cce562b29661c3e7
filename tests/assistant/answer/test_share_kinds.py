"""Figure kinds of policy notices (issue 13, session 6): a question answered by a figure of another
unit than a loose reading of it asks — a share of an amount (按上年额度的多少: 60%), a change in
percentage points (降低1个百分点), institutions counted with 个 (多少家企业: 9个企业), a weight
(多少吨) — and a which-question that names a period (一年内，向哪类人群). Documents made up for
these tests (real places, made-up sentences and figures); each test names what a loose answerer
would have given instead, or that it must still refuse."""
from __future__ import annotations

import pytest

from assistant.answer.figures import of_dimension, quantities
from assistant.answer.selection import asked_units
from assistant.answer.wording import share_asked
from assistant.query import detect_intent

DOCS = {
    "zhuzhou_butie.txt": (
        "株洲市关于提前拨付养殖补贴资金的通知\n\n"
        "为支持养殖户恢复生产，各县（市、区）财政按上年补贴额度的60%提前拨付2024年度生猪养殖补贴资金。"
        "各地要在3月底前完成拨付。\n"),
    "xiangtan_butie.txt": (
        "湘潭市关于拨付养殖补贴资金的通知\n\n"
        "为支持养殖户恢复生产，市财政提前拨付2024年度生猪养殖补贴资金500万元，各县（市、区）要及时发放到户。\n"),
    "wuxi_yibao.txt": (
        "无锡市阶段性下调职工医疗保险费率\n\n"
        "记者从市医保局获悉，自2024年3月起，无锡市职工基本医疗保险单位缴费比例降低1个百分点，"
        "预计为企业减负约3.2亿元。\n"),
    "liuzhou_qiye.txt": (
        "柳州市工信局派出工作组帮扶企业\n\n"
        "柳州市工信局会同市场监管局组成工作组进驻9个防护用品企业，协调解决原材料供应问题。"
        "工作组还走访了46名企业职工。\n"),
    "yantai_gang.txt": (
        "烟台港开辟防疫物资绿色通道\n\n"
        "3月2日，烟台港集团连夜抢卸一批防疫物资。当日靠泊的两艘货轮共载有16个集装箱260吨医用防疫物资原料。\n"),
    "foshan_yuanqu.txt": (
        "佛山市产业园区在行动\n\n"
        "据佛山市产业园区商会统计，已有30家产业园区为园内企业减免租金，惠及中小企业超过900家。\n"),
    "leshan_jingqu.txt": (
        "乐山大佛景区向医务工作者免费开放\n\n"
        "为感谢抗疫一线人员，乐山大佛景区决定自恢复开放之日起一年内，向全省医务工作者免费开放。"
        "景区提醒，老年人群等重点人群入园需提前预约。\n"),
}


@pytest.fixture(scope="module")
def share_assistant(make_answer_assistant):
    return make_answer_assistant("share-kinds", DOCS)


def test_a_share_of_an_amount_is_asked_by_its_base_and_a_bare_how_much():
    assert share_asked("各县财政按上年补贴额度的多少提前拨付？")
    assert share_asked("返还标准按照实际缴纳失业保险费多少执行？")
    # a sum asked, a period (按月) or a unit after 多少: no share
    assert not share_asked("补贴额度是多少？")
    assert not share_asked("按月发放的补助金多少？")
    assert not share_asked("按标准发放多少钱？")
    assert not share_asked("按规定收取多少元费用？")


def test_a_share_is_said_as_a_rate_or_a_multiple_and_points_are_a_rate():
    assert [q.text for q in of_dimension("按上年额度的60%拨付，为低保标准的1.3倍，计500万元", "share")] == ["60%", "1.3倍"]
    q = quantities("单位缴费比例降低0.5个百分点")[0]
    assert (q.text, q.dimension, q.value) == ("0.5个百分点", "rate", 0.5)


def test_institutions_counted_with_a_generic_classifier_answer_a_how_many_firms_question():
    assert "个" in asked_units("进驻了多少家企业？")
    # people are never counted by 个 (vocabulary unit_families.generic_counts names no 人)
    assert "个" not in asked_units("走访了多少名职工？")


def test_a_which_question_naming_a_period_asks_no_amount():
    assert detect_intent("景区自恢复开放之日起一年内，向哪类人群免费开放？") == "general"
    assert detect_intent("一年内发放多少补贴？") == "amount"
    assert detect_intent("每月向哪类老人发放多少钱？") == "amount"


# (question, what the answer says, what a loose answerer would have said instead: before these
# kinds were read, each was refused (资料中没有…的具体数据) or answered with the other figure)
ANSWERED = [
    ("株洲市各县财政按上年补贴额度的多少提前拨付生猪养殖补贴资金？", ("60%",), "资料中没有"),
    ("无锡市职工基本医疗保险单位缴费比例降低多少？", ("1个百分点",), "资料中没有"),
    ("柳州市工信局会同市场监管局进驻了多少家企业？", ("9个",), "46名"),
    ("烟台港集团连夜抢卸多少吨防疫物资？", ("260吨",), "资料中没有"),
    ("乐山大佛景区决定自恢复开放之日起一年内，向哪类人群免费开放？", ("医务工作者",), "资料中没有"),
    # 30家 is stated by the question (which parks): a figure the question gives is never its answer
    ("获得佛山市30家产业园区减免租金的中小企业有多少家？", ("900家",), "资料中没有"),
]


@pytest.mark.parametrize("question,says,never", ANSWERED, ids=["share", "points", "firms-by-ge", "tons", "which-kind", "stated-figure"])
def test_a_figure_of_the_unit_the_question_means_answers_it(share_assistant, question, says, never):
    a = share_assistant.ask(question)
    assert a.answerable and all(x in a.answer for x in says) and never not in a.answer, a.answer


def test_a_share_asked_of_a_document_stating_only_a_sum_is_refused(share_assistant):
    """湘潭's notice gives 500万元, no part of last year's amount: the share asked is not there."""
    a = share_assistant.ask("湘潭市各县财政按上年补贴额度的多少提前拨付生猪养殖补贴资金？")
    assert not a.answerable and "500万元" not in a.answer, a.answer
