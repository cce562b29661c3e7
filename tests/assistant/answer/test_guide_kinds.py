"""Kinds a 办事指南 showed: a phone line on the line after its heading with the office's name after
the number, asked by a district's short name (also in traditional characters); a cap with two limits
(一般…不超过…的N倍；情况特殊的，最高不超过…元) asked as the highest, which must quote the top one.
Documents written for these tests (places real, figures and numbers made up)."""
import pytest

DOCS = {
    "lingui_linshi.txt": (
        "临桂区临时救助办事指南\n\n"
        "一、适用对象\n因火灾、交通事故等意外事件导致基本生活暂时出现严重困难的家庭或个人。\n"
        "二、救助标准\n一般情况下，临时救助金额不超过当地月低保标准的4倍；情况特殊的，最高不超过12000元。\n"
        "三、办理时限\n乡镇（街道）自受理申请之日起8个工作日内完成审核。\n"
        "七、咨询电话\n0773-5551234 临桂区民政局\n"),
    "sanshui_yanglao.txt": (
        "三水区居家养老服务补贴办事指南\n\n"
        "一、补贴标准\n居家养老服务补贴最多每人每月300元；一般情况下，每人每月不超过150元。\n"
        "五、联系电话\n0757-87700001（三水区民政局养老服务股）\n"),
}


@pytest.fixture(scope="module")
def guides(make_answer_assistant):
    return make_answer_assistant("guide-kinds", DOCS)


@pytest.mark.parametrize("question", ["临桂区临时救助的咨询电话是多少？", "临桂区临时救助电话",
                                      "臨桂區臨時救助的諮詢電話是多少？"])
def test_a_phone_line_after_its_heading_answers_the_contact_asked(guides, question):
    a = guides.ask(question)
    assert a.answerable and "0773-5551234" in a.answer, a.answer


def test_a_phone_line_with_the_office_in_brackets_is_answered(guides):
    a = guides.ask("三水区居家养老服务补贴的联系电话是多少？")
    assert a.answerable and "0757-87700001" in a.answer, a.answer


def test_the_highest_cap_asked_quotes_the_top_limit_after_the_ordinary_one(guides):
    a = guides.ask("临桂区临时救助最高能救助多少钱？")
    assert a.answerable and "12000元" in a.answer and "4倍" in a.answer, a.answer


def test_the_highest_cap_asked_quotes_the_top_limit_before_the_ordinary_one(guides):
    a = guides.ask("三水区居家养老服务补贴最高多少？")
    assert a.answerable and "300元" in a.answer, a.answer


def test_a_cap_not_asked_as_the_highest_keeps_its_own_sentence(guides):
    a = guides.ask("临桂区临时救助一般不超过月低保标准的几倍？")
    assert a.answerable and "4倍" in a.answer and "12000元" not in a.answer, a.answer
