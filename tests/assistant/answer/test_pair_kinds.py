"""A question joining two things and asking each (审核和审批各要多少个工作日, 法定和承诺办结时限分别是多少)
is answered by a fact for each, in the question's order, not by one of them (holdout13's kind).
Documents written for these tests (made-up figures)."""
import pytest

DOCS = {
    "yidu_faq.txt": (
        "宜都市临时救助政策问答\n\n"
        "问：申请临时救助要多长时间？\n"
        "答：乡镇人民政府（街道办事处）自受理申请之日起5个工作日内完成审核；"
        "市民政局自收到审核意见之日起3个工作日内作出审批决定。\n"),
    "puyang_zhinan.txt": (
        "濮阳县孤儿基本生活费申领办事指南\n\n"
        "一、办理时限\n\n法定办结时限：30个工作日；承诺办结时限：20个工作日。\n\n"
        "二、咨询电话\n\n0393-3212345\n"),
}


@pytest.fixture(scope="module")
def pairs(make_answer_assistant):
    return make_answer_assistant("pair-kinds", DOCS)


def test_two_steps_asked_each_get_both_limits_in_the_questions_order(pairs):
    a = pairs.ask("在宜都市申请临时救助，审核和审批各要多少个工作日？")
    assert a.answerable and len(a.citations) == 2
    assert a.answer.index("5个工作日内完成审核") < a.answer.index("3个工作日内作出审批决定")


def test_two_limits_named_before_their_figures_are_both_said(pairs):
    a = pairs.ask("濮阳县孤儿基本生活费的法定办结时限和承诺办结时限分别是多少？")
    assert a.answerable and "30个工作日" in a.answer and "20个工作日" in a.answer


def test_one_step_asked_gets_its_own_limit_alone(pairs):
    a = pairs.ask("在宜都市申请临时救助，审批要几个工作日？")
    assert a.answerable and "3个工作日内作出审批决定" in a.answer and len(a.citations) == 1
