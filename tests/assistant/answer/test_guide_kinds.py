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


PHONES = {
    "pingguo_linshi.txt": "平果市临时救助办事指南\n\n一、适用对象\n遭遇急难的家庭。\n七、咨询电话\n5821234 平果市民政局\n",
    "tianyang_gaoling.txt": ("田阳区高龄津贴办事指南\n\n一、补贴标准\n80周岁以上每人每月50元。\n六、联系方式\n"
                             "联系电话：（0776）3216543（田阳区民政局）\n"),
    "debao_canbu.txt": "德保县残疾人两项补贴办事指南\n\n一、补贴标准\n一级残疾人每人每月80元。\n五、监督电话\n服务热线400-123-4567\n",
}


@pytest.fixture(scope="module")
def phones(make_answer_assistant):
    return make_answer_assistant("guide-phones", PHONES)


@pytest.mark.parametrize("question,line", [
    ("平果市临时救助的咨询电话是多少？", "5821234"),  # a local number under its phone heading
    ("田阳区高龄津贴的联系电话是多少？", "3216543"),  # the area code in brackets
    ("德保县残疾人两项补贴监督电话", "400-123-4567"),  # a 400 line
], ids=["local", "bracketed-area-code", "400-line"])
def test_a_phone_line_written_otherwise_answers_the_contact_asked(phones, question, line):
    a = phones.ask(question)
    assert a.answerable and line in a.answer, a.answer
