"""Kinds of confidently-wrong answers found on news items (issue 13, session 4): a news item's
opening (dateline, 原标题, lead sentence) is never the answer to a figure question it holds no
figure of the kind asked for. Each test is written on documents made up for it (real places,
made-up sentences and figures) and names what the loose answer gave instead."""
from __future__ import annotations

import pytest

from assistant.answer.selection import asked_units
from assistant.answer.wording import asked_figure
from assistant.query import analyze

DOCS = {
    "ningbo_shijian.txt": (
        "宁波市江北区2022-05-03，正文：原标题：宁波一社区招募志愿者：每周服务老人两小时可获积分"
        "江北区民政局推出“时间银行”互助养老项目，相关社区正在招募第二批志愿者。\n"
        "报名者须年满18周岁，面试通过后签订协议，除每月50元保险费外，可享受免费体检，每周需完成至少2小时的服务。\n"),
    "shaanxi_qingdan.txt": (
        "陕西省2022-06-11，正文：本报西安6月10日电 近日，陕西省民政厅会同省委组织部制定"
        "《社区依法履行职责事项清单》《社区减负事项清单》“两张清单”，为社区减负增效。\n"
        "据介绍，“两张清单”明确了社区依法履行职责事项36项、社区减负事项17项。\n"),
    "minzheng_tisheng.txt": (
        "2022-09-02，正文：记者从民政部获悉，民政部近日印发通知，开展社区服务能力提升行动。\n"
        "民政部要求，各地要结合实际，选择重点任务中的一项或者几项作为突破口，确保行动取得实效。\n"
        "此次行动将包括建设一批社区服务设施、培育一批社区社会组织、推出一批便民服务项目等共8项重点任务。\n"),
}


@pytest.fixture(scope="module")
def news_assistant(make_answer_assistant):
    return make_answer_assistant("news-kinds", DOCS)


def test_a_question_of_no_intent_may_still_ask_a_figure():
    """有多少项 / 几项 ask a count and 多少保险费 a sum of money (vocabulary facts.asked.money_noun_ends),
    though no intent word says so; a procedure question (申请几次) keeps its own path."""
    assert asked_figure(analyze("陕西社区依法履行职责事项清单有多少项？")) == "count"
    assert asked_figure(analyze("社区服务能力提升行动一共有几项重点任务？")) == "count"
    assert asked_figure(analyze("江北区时间银行志愿者每月交多少保险费？")) == "money"
    assert asked_figure(analyze("同一事由一年能申请几次临时救助？")) is None
    assert asked_figure(analyze("时间银行的志愿者要做什么？")) is None


def test_a_bare_unit_asked_is_the_unit_of_the_answer():
    """清单有多少项？ is answered in 项 (vocabulary facts.asked.bare_units), never by 两张清单;
    多少项标准 names what is counted, so 项 restricts nothing there."""
    assert asked_units("清单有多少项？") == ("项",)
    assert asked_units("制定了多少项标准？") == ()


ANSWERED = [
    # the lead holds 两小时 (no money): the later sentence's 50元保险费 answers
    ("江北区时间银行志愿者每月交多少保险费？", ("50元",), "原标题"),
    # the lead holds 两张清单: a count in 张, not in the 项 asked
    ("陕西社区依法履行职责事项清单有多少项？", ("36项",), "原标题"),
    # 一项或者几项 is no count of the tasks: the sentence with 共8项 answers
    ("民政部社区服务能力提升行动一共有几项重点任务？", ("8项",), "突破口"),
]


@pytest.mark.parametrize("question,says,never", ANSWERED, ids=["money-noun", "bare-unit", "count-of-tasks"])
def test_a_news_items_opening_is_no_answer_to_a_figure_question(news_assistant, question, says, never):
    a = news_assistant.ask(question)
    assert a.answerable and all(x in a.answer for x in says) and never not in a.answer, a.answer
