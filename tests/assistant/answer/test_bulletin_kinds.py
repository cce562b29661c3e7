"""Kinds of figure a statistics bulletin states that answers missed (issue 13, holdout10): a count
broken down by county in the sentence after the whole's (全市共有特困人员…。分县（市、区）看，甲区…人、乙县…人),
and a count asked by the noun of the people counted, with no unit word (有多少特困人员). Documents
written for these tests (real places, made-up figures)."""
from __future__ import annotations

import pytest

from assistant.answer.spans import run_before
from assistant.answer.wording import qualifier_items
from assistant.query import detect_intent

DOCS = {
    "beihai_tongji.txt": (
        "北海市2026年第一季度民政事业统计数据\n\n"
        "截至3月底，全市共有城乡低保对象3.2万人，其中城市低保对象0.6万人、农村低保对象2.6万人。截至3月底，全市共有特困人员5200人，其中集中供养1100人。"
        "分县（区）看，海城区800人、银海区950人、铁山港区640人、合浦县2810人。第一季度支出临时救助资金860万元。\n"),
    "beihai_yanglao.txt": (
        "北海市养老服务设施建设情况\n\n"
        "全市已建成社区养老服务站42个，合浦县建成农村幸福院15个。\n"),
}


@pytest.fixture(scope="module")
def bulletin(make_answer_assistant):
    return make_answer_assistant("bulletin-kinds", DOCS)


@pytest.mark.parametrize("question", ["截至3月底合浦县有多少特困人员？", "北海市特困人员有多少？",
                                      "全市一共有多少低保对象", "几项指标不能完成算全护理？"])
def test_a_count_asked_by_the_noun_of_who_is_counted_is_a_count_question(question):
    assert detect_intent(question) == "count"


@pytest.mark.parametrize("question", ["北海市特困人员一个月多少钱？", "有多少老人领了高龄津贴？"])
def test_a_sum_asked_of_people_is_no_count_question(question):
    assert detect_intent(question) != "count"


def test_a_breakdown_sentence_is_read_with_the_sentence_it_breaks_down():
    text = "全市共有特困人员5200人。分县（区）看，海城区800人、合浦县2810人。从明年起，标准再提高。"
    run, start = run_before(text, text.index("分县"))
    assert run == "全市共有特困人员5200人" and start == 0
    assert run_before(text, text.index("从明年")) == ("", text.index("从明年"))  # 从明年起 breaks nothing down


def test_a_county_s_count_in_a_breakdown_answers_for_the_county(bulletin):
    a = bulletin.ask("截至3月底合浦县有多少特困人员？")
    assert a.answerable and "2810人" in a.answer and "5200" not in a.answer
    city = bulletin.ask("北海市截至3月底有多少特困人员？")
    assert city.answerable and "5200人" in city.answer


def test_the_items_of_a_list_are_told_apart_by_the_qualifier_asked():
    sent = "其中城市低保对象0.6万人、农村低保对象2.6万人"
    cut = sent.index("、") + 1
    assert qualifier_items("有多少农村低保对象", sent, 0, len(sent), "count") == [(0, cut), (cut, len(sent))]
    assert qualifier_items("有多少低保对象", sent, 0, len(sent), "count") == [(0, len(sent))]  # none asked: whole
    both = "孤儿386名、事实无人抚养儿童1142名"
    assert qualifier_items("有多少农村孤儿", both, 0, len(both), "count") == [(0, len(both))]


def test_a_qualifier_asked_picks_its_item_of_a_listed_count(bulletin):
    a = bulletin.ask("北海市有多少农村低保对象？")
    assert a.answerable and "2.6万人" in a.answer and "3.2万" not in a.answer
