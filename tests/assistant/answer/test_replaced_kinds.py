"""Confidently-wrong kinds found on an unseen set (session 9): another benefit's standard given for
the one asked, a replaced rule's figure given as the one in force, a choice question (按月还是按季度)
answered with a figure. Documents written for these tests (real places, made-up sentences and figures)."""
from __future__ import annotations

import pytest

DOCS = {
    "zhuzhou_guer.txt": (
        "株洲市民政局关于提高孤儿基本生活保障标准的通知\n\n"
        "自2024年1月1日起，株洲市社会散居孤儿基本生活标准由每人每月1200元提高到每人每月1300元，"
        "机构养育孤儿基本生活标准由每人每月1600元提高到每人每月1700元。\n"),
    "yancheng_quannuan.txt": (
        "盐城市困难群众冬季取暖补助实施办法\n\n"
        "对城乡低保家庭、特困人员和低保边缘家庭，由乡镇（街道）于11月底前一次性发放到户，每户最高800元。"
        "原冬季取暖补助每户最高补助500元的规定同时停止执行。\n"),
    "yancheng_jiuzhu.txt": (
        "盐城市困难职工节日慰问实施细则\n\n"
        "节日慰问金由市总工会统一发放。原节日慰问金每户最高发放600元，现调整为每户最高发放900元。\n"),
    "mianyang_ertong.txt": (
        "绵阳市提高困境儿童保障水平\n\n"
        "今年绵阳市共保障事实无人抚养儿童820名，1至6月已发放基本生活费560万元。\n\n"
        "自今年1月起，绵阳市保障水平再次提高，散居孤儿和事实无人抚养儿童由每人每月1100元提高到每人每月1200元。\n"),
    "baoji_canji_faq.txt": (
        "宝鸡市残疾人两项补贴政策问答\n\n"
        "问：两项补贴标准是多少？\n答：困难残疾人生活补贴每人每月90元，重度残疾人护理补贴每人每月100元。\n"
        "问：两项补贴什么时候到账？\n答：两项补贴按季度发放，于每季度首月15日前打入本人社会保障卡。\n"),
}


@pytest.fixture(scope="module")
def kinds_assistant(make_answer_assistant):
    return make_answer_assistant("replaced-kinds", DOCS)


@pytest.mark.parametrize("question", [
    "株洲市孤儿的教育救助每年给多少钱？",
    "株洲市散居孤儿上学每年资助多少？",
], ids=["education-assistance", "grant"])
def test_a_benefit_the_table_has_no_row_of_is_refused_not_answered_with_another(kinds_assistant, question):
    """The standards rows of the group asked (孤儿基本生活) are another benefit's: refused, no figure."""
    a = kinds_assistant.ask(question)
    assert not a.answerable and "1300" not in a.answer and "1700" not in a.answer, a.answer


def test_the_groups_own_standard_is_still_answered(kinds_assistant):
    a = kinds_assistant.ask("株洲市散居孤儿每月多少钱？")
    assert a.answerable and "1300" in a.answer, a.answer


@pytest.mark.parametrize("question,says,never", [
    ("盐城冬季取暖补助每户最多补助多少？", "800", "500"),  # 原…的规定同时停止执行 in the next sentence
    ("盐城节日慰问金每户最高发放多少？", "900", "600"),  # 原…，现调整为… in one sentence
], ids=["stopped", "now-adjusted"])
def test_a_replaced_rules_figure_is_not_given_as_the_one_in_force(kinds_assistant, question, says, never):
    a = kinds_assistant.ask(question)
    assert a.answerable and says in a.answer and never not in a.answer, a.answer


def test_a_choice_question_is_answered_by_the_sentence_naming_an_option(kinds_assistant):
    a = kinds_assistant.ask("宝鸡残疾人两项补贴是按月发还是按季度发？")
    assert a.answerable and "按季度" in a.answer and "90元" not in a.answer, a.answer


def test_a_raise_asked_from_and_to_is_answered_with_the_level_not_a_spending_total(kinds_assistant):
    a = kinds_assistant.ask("绵阳事实无人抚养儿童的基本生活费从多少提高到了多少？")
    assert a.answerable and "1200" in a.answer and "1100" in a.answer and "560" not in a.answer, a.answer
