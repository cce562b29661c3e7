"""Confidently-wrong kind of issue 13: a what-else / where / which / materials question answered by
a sentence sharing its words without saying the asked part (a document's first sentence, the
neighbour of the right one, who may apply for where to apply, an office's filing list for what an
applicant brings). Places are real; documents and sentences are written for these tests."""
from __future__ import annotations

import pytest

EXPLAINER = (
    "残疾人帮扶政策问答\n\n"
    "什么是困难残疾人生活补贴？\n"
    "困难残疾人生活补贴是对低保家庭中的残疾人给予的生活补助，是残疾人福利制度的重要内容。\n\n"
    "补贴怎么发？\n"
    "补贴以按月发放现金为主，也可以发放轮椅、拐杖、助听器等辅助器具。\n")
WHO_MAY = (
    "许昌市临时救助政策解读\n\n"
    "许昌市对遭遇火灾、交通事故等突发事件，导致基本生活陷入困境的家庭，给予临时救助。"
    "因教育、医疗等支出突然增加，超出家庭承受能力的家庭，也可以申请临时救助。\n")
WHERE = (
    "漯河市临时救助办事指南\n\n"
    "漯河市对遭遇突发事件导致基本生活困难的家庭给予临时救助。"
    "申请临时救助的，由申请人向户籍所在地的乡镇人民政府（街道办事处）提出申请。\n")
GRANT = (
    "2023-08-20 10:00，正文：原标题：鹤壁市启动大学新生助学活动鹤壁市民政局日前启动2023年大学新生助学活动。"
    "符合条件的学生可携带身份证、录取通知书和家庭困难证明向县民政局提出申请。"
    "县民政局收集申请人材料为：申请书一份、身份证复印件一份、户口本复印件一份，统一报送市民政局存档。\n")
RETROFIT = (
    "2023-08-15 09:00，正文：原标题：济源某街道为老人免费做适老化改造近年来，济源市某街道为老人免费进行适老化改造，打造老年宜居环境。"
    "街道工作人员走访了辖区老人，了解老人需求。"
    "街道优先为高龄、独居、残疾等困难老人免费进行适老化改造。\n")
DOCS = {"cl_explainer.txt": EXPLAINER, "xuchang_linshi.txt": WHO_MAY, "luohe_linshi.txt": WHERE,
        "hebi_grant.txt": GRANT, "jiyuan_retrofit.txt": RETROFIT}


@pytest.fixture(scope="module")
def focus_assistant(make_answer_assistant):
    return make_answer_assistant("focus-kinds", DOCS)


def test_what_else_is_answered_by_the_other_thing_given_not_by_the_definition(focus_assistant):
    a = focus_assistant.ask("困难残疾人生活补贴除了发钱，还能发什么？")
    assert "福利制度的重要内容" not in a.answer, a.answer
    assert not a.answerable or "辅助器具" in a.answer, a.answer


def test_where_to_apply_is_not_answered_by_who_may_apply(focus_assistant):
    a = focus_assistant.ask("许昌临时救助去哪里申请？")
    assert not a.answerable, a.answer  # the notice says who may apply, never where
    assert not a.citations


def test_where_to_apply_is_answered_by_the_sentence_naming_the_office(focus_assistant):
    a = focus_assistant.ask("漯河临时救助去哪里申请？")
    assert a.answerable and "乡镇人民政府" in a.answer, a.answer


def test_materials_asked_by_an_applicant_are_those_the_applicant_brings(focus_assistant):
    a = focus_assistant.ask("申请鹤壁大学新生助学要带哪些材料？")
    assert "存档" not in a.answer and "收集" not in a.answer, a.answer
    assert not a.answerable or "录取通知书" in a.answer, a.answer


def test_which_ones_are_answered_by_the_sentence_naming_them(focus_assistant):
    a = focus_assistant.ask("济源这个街道哪些老人可以免费做适老化改造？")
    assert "宜居环境" not in a.answer, a.answer
    assert not a.answerable or "独居" in a.answer, a.answer
