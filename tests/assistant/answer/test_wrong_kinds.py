"""Confidently-wrong kinds (issue 13, step 3): one test per kind, on documents written for these
tests (real places, made-up sentences and figures), each beside the figure or sentence a loose
answerer would quote instead."""
from __future__ import annotations

import pytest

DOCS = {
    "yichang_cishan.txt": (
        "宜昌市民政局关于开展年度爱心榜申报的通知\n\n"
        "2024年度，在宜昌市范围内，单位捐赠20万元及以上，个人捐赠2万元及以上即可入选宜昌爱心榜。\n\n"
        "全年共办理婚姻登记5000对，其中结婚登记4100对、离婚登记900对。\n"),
    "yichang_binzang.txt": (
        "宜昌市惠民殡葬政策\n\n"
        "宜昌市对本市户籍居民去世后实行基本殡葬服务费用减免。\n\n"
        "减免项目包括遗体接运和火化，减免标准为每例最高900元。\n\n"
        "对低保对象去世后在减免基本殡葬服务费用的基础上选择生态安葬的，另给予一次性奖励700元。\n\n"
        "减免费用由殡仪馆结算时直接抵扣，家属不必另行申请。\n"),
    "yichang_canji_faq.txt": (
        "宜昌市残疾人护理补贴政策问答\n\n"
        "问：护理补贴标准是多少？\n答：宜昌市残疾人护理补贴标准为每人每月100元。\n"
        "问：在外地居住的残疾人能领取护理补贴吗？\n答：可以。长期在外地居住的，由户籍所在地乡镇受理领取申请。\n"
        "问：补贴资金如何到账？\n答：补贴资金按季度通过社保卡发放到本人账户。\n"
        "问：补贴对象去世后家属要做什么？\n答：家属应在15日内告知乡镇，每月5日前停发。\n"),
}


@pytest.fixture(scope="module")
def kinds_assistant(make_answer_assistant):
    return make_answer_assistant("wrong-kinds", DOCS)


@pytest.mark.parametrize("question,says,never", [
    ("单位捐多少钱以上能入选宜昌爱心榜？", "20万元", "2万元及以上即可"),  # the 个人 figure beside it
    ("宜昌结婚登记有多少对？", "4100", "5000"),  # 其中结婚登记… beside the whole (a synonym of it)
    ("宜昌殡葬费用减免最高多少钱？", "900", "700"),  # the cap asked, not the 奖励 beside it
], ids=["subject", "of-which", "cap"])
def test_a_sentence_with_several_figures_gives_the_one_of_the_asked_subject(kinds_assistant, question, says, never):
    """Kind (a): of several figures, the one whose own clause holds the asked qualifier/measure."""
    a = kinds_assistant.ask(question)
    assert a.answerable and says in a.answer and never not in a.answer, a.answer


@pytest.mark.parametrize("question,says,never", [
    ("宜昌基本殡葬服务费用减免需要另外申请吗？", "不必另行申请", "实行基本殡葬服务费用减免"),  # the predicate, not the topic
    ("宜昌在外地居住的残疾人能领取护理补贴吗？", "可以", "100元"),  # a FAQ reply from its 可以
    ("宜昌残疾人护理补贴是怎么发放的？", "社保卡", "100元"),  # how it is paid, not how much
], ids=["predicate", "faq-yes", "manner"])
def test_a_yes_no_or_how_question_gets_the_sentence_holding_what_it_asks(kinds_assistant, question, says, never):
    """Kind (b): yes/no and how questions are answered by the sentence holding the asked predicate
    (or its negation), never by a related sentence about the topic alone."""
    a = kinds_assistant.ask(question)
    assert a.answerable and says in a.answer and never not in a.answer, a.answer


def test_a_yes_no_question_whose_predicate_no_sentence_holds_is_refused(kinds_assistant):
    a = kinds_assistant.ask("宜昌殡葬费用减免可以用社保卡领取吗？")
    assert not a.answerable, a.answer


def test_a_part_of_a_two_place_question_not_found_is_said_not_answered_as_whole(kinds_assistant):
    """Kind (c): 宜昌和襄阳…哪个高 with only 宜昌's figure: the missing part is said, and the answer
    is not given as the whole (no comparison, not ``answerable``)."""
    a = kinds_assistant.ask("宜昌和襄阳的殡葬费用减免最高多少钱，哪个高？")
    assert not a.answerable and "襄阳" in a.answer and "900" in a.answer, a.answer
    whole = kinds_assistant.ask("宜昌殡葬费用减免最高多少钱？")
    assert whole.answerable and "资料中没有" not in whole.answer, whole.answer


def test_a_time_limit_in_days_is_a_duration_not_a_day_of_the_month(kinds_assistant):
    """Kind (d), an answerable question refused: 15日内 is a time limit (a bare 5日 stays a date)."""
    from assistant.answer.figures import quantities

    assert [(q.text, q.dimension) for q in quantities("应在15日内告知，每月5日前停发")] == [
        ("15日内", "duration"), ("5日", "date")]
    a = kinds_assistant.ask("宜昌残疾人补贴对象去世后多少天内要告知？")
    assert a.answerable and "15日内" in a.answer, a.answer
