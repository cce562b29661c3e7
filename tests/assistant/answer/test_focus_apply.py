"""Confidently-wrong kinds of issue 13 on who may apply, how and where to apply, and who holds a
post: a materials list or an amount for 谁可以申请, the eligibility sentence for 怎么申请 / 到哪里申请,
a 相关负责人表示 sentence for 局长是谁. Places are real; documents and sentences are written for these tests."""
from __future__ import annotations

import pytest

GUIDE = (
    "田阳区临时救助办事指南\n\n"
    "一、申请材料\n1.临时救助申请书；2.申请人身份证、户口簿；3.家庭收入情况说明。\n"
    "二、救助标准\n田阳区临时救助金额不超过当地月低保标准的3倍。\n"
    "三、救助对象\n因火灾、交通事故等意外事件，导致基本生活暂时出现严重困难的家庭或个人，可以申请临时救助。\n")
# the eligibility sentence after a heading, naming no topic word: refused rather than led by the amount
HEADED = (
    "田林县临时救助办事指南\n\n"
    "一、救助标准\n田林县临时救助金额不超过当地月低保标准的3倍。\n"
    "二、救助对象\n因火灾、交通事故等意外事件，导致基本生活暂时出现严重困难的家庭或个人。\n")
GUIDE_NO_WHO = (
    "凌云县临时救助办事指南\n\n"
    "一、申请材料\n1.临时救助申请书；2.申请人身份证、户口簿；3.家庭收入情况说明。\n"
    "二、救助标准\n凌云县临时救助金额不超过当地月低保标准的3倍。\n")
ALLOWANCE = (
    "夏津县关于做好高龄津贴发放工作的通知\n\n"
    "具有夏津县户籍、年满80周岁的老年人，均可申请高龄津贴。"
    "高龄津贴标准为每人每月100元。"
    "申请人持身份证、户口簿到户籍所在地村（居）委会提出申请，经乡镇审核后报县民政局审批。\n")
ALLOWANCE_NO_HOW = (
    "武城县关于做好高龄津贴发放工作的通知\n\n"
    "具有武城县户籍、年满80周岁的老年人，均可申请高龄津贴。"
    "高龄津贴标准为每人每月100元。\n")
MEETING = (
    "2023-09-01 10:00，正文：邵东市召开养老服务工作推进会"
    "邵东市民政局日前召开全市养老服务工作推进会，总结上半年工作。"
    "邵东市民政局相关负责人表示，下一步将继续推进居家养老服务。\n")
NAMED = (
    "2023-09-02 10:00，正文：新宁县召开社会救助工作会议"
    "新宁县民政局日前召开社会救助工作会议。"
    "新宁县民政局局长李明华出席会议并讲话，要求做好低保扩围工作。\n")
DOCS = {"tianyang_guide.txt": GUIDE, "tianlin_guide.txt": HEADED, "lingyun_guide.txt": GUIDE_NO_WHO, "xiajin_gaoling.txt": ALLOWANCE,
        "wucheng_gaoling.txt": ALLOWANCE_NO_HOW, "shaodong_meeting.txt": MEETING, "xinning_meeting.txt": NAMED}


@pytest.fixture(scope="module")
def apply_assistant(make_answer_assistant):
    return make_answer_assistant("focus-apply", DOCS)


@pytest.mark.parametrize("question", [
    "谁可以申请田阳区的临时救助？", "田阳区临时救助对象有哪些？", "田阳区哪些人可以申请临时救助？",
    "Who can apply for temporary assistance in Tianyang District?"])
def test_who_may_apply_is_answered_by_who_qualifies(apply_assistant, question):
    a = apply_assistant.ask(question)
    assert "申请书" not in a.answer and "3倍" not in a.answer, a.answer
    assert a.answerable and "意外事件" in a.answer, a.answer


@pytest.mark.parametrize("question", ["谁可以申请凌云县的临时救助？", "凌云县临时救助对象有哪些？",
                                      "谁可以申请田林县的临时救助？"])
def test_who_may_apply_is_never_answered_by_materials_or_an_amount(apply_assistant, question):
    a = apply_assistant.ask(question)
    assert "申请书" not in a.answer and "3倍" not in a.answer, a.answer
    assert not a.answerable or "意外事件" in a.answer, a.answer


@pytest.mark.parametrize("question", [
    "夏津县高龄津贴怎么申请？", "夏津高龄津贴到哪里申请？", "Where do I apply for the old-age allowance in Xiajin?"])
def test_how_to_apply_is_answered_by_the_steps(apply_assistant, question):
    a = apply_assistant.ask(question)
    assert a.answerable and "委会提出申请" in a.answer, a.answer
    assert "均可申请" not in a.answer, a.answer


@pytest.mark.parametrize("question", ["武城县高龄津贴怎么申请？", "武城县高龄津贴到哪里申请？"])
def test_how_to_apply_is_never_answered_by_who_qualifies(apply_assistant, question):
    a = apply_assistant.ask(question)
    assert "均可申请" not in a.answer, a.answer
    assert not a.answerable, a.answer


def test_who_holds_a_post_needs_a_name_next_to_it(apply_assistant):
    a = apply_assistant.ask("邵东市民政局局长是谁？")
    assert not a.answerable and "相关负责人表示" not in a.answer, a.answer
    b = apply_assistant.ask("新宁县民政局局长是谁？")
    assert b.answerable and "李明华" in b.answer, b.answer
