"""Figure kinds of issue 13 (session 4): a 多少/几 question is answered by the figure of what it
asks, or refused. Each test is written on documents made up for it (real places, made-up
sentences and figures) and names the figure a loose answerer would have given instead."""
from __future__ import annotations

import pytest

from assistant.answer.selection import counts_asked, measure_terms

DOCS = {
    "shaoxing_shifan.txt": (
        "绍兴市示范养老机构评定办法\n\n"
        "根据《办法》，参评的养老机构要持续运营2年以上，床位数不少于80张，入住率不低于75%。"
        "在服务管理中，示范养老机构与老年人签订服务合同要达到100%，满意度测评达到95%以上。\n"),
    "jiaxing_qianyue.txt": (
        "嘉兴市养老产业招商推介会举行\n\n"
        "全年嘉兴市共谋划建设了60个康养项目、医养结合综合体等项目，总投资达200亿元。"
        "在18日举行的推介会上，9个涉长三角一体化发展的养老服务项目现场签约。\n"),
}


@pytest.fixture(scope="module")
def figures_assistant(make_answer_assistant):
    return make_answer_assistant("figure-kinds", DOCS)


def test_the_measure_of_a_question_is_read_past_its_bridge_words():
    """入住率要达到多少 asks 入住率, not 达到; 签约了多少个 asks 签约: the words between what is asked
    and the asking word (vocabulary facts.selection.bridges) are skipped."""
    terms = ("示范", "养老", "入住率", "达到")
    assert measure_terms("示范养老入住率要达到多少？", terms)[-1] == "入住率"
    assert measure_terms("推介会上签约了多少个项目？", ("推介会", "签约", "项目")) == ("签约",)
    # a bridge that ends a longer question word is that word (到达 is no 到)
    assert measure_terms("游客到达多少", ("游客", "到达"))[-1] == "到达"


def test_a_counted_noun_phrase_may_follow_a_modifier():
    text = "9个涉长三角一体化发展的养老服务项目现场签约"
    assert counts_asked(text, len("9个"), "养老服务项目")
    # a short noun still needs its words right after the figure (80余名志愿者 … 看望孩子)
    text = "组织80余名志愿者来到福利院看望孩子"
    assert not counts_asked(text, text.index("志"), "孩子")


@pytest.mark.parametrize("question,says,never", [
    ("绍兴示范养老机构入住率要达到多少？", "75%", "100%"),  # 要达到 in the question, 达到 beside another figure
    ("嘉兴推介会上签约了多少个养老服务项目？", "9个", "60个"),  # the 签约 figure, not the 建设 one
], ids=["rate-bridge", "count-bridge"])
def test_a_figure_is_the_one_of_the_measure_before_the_bridge(figures_assistant, question, says, never):
    a = figures_assistant.ask(question)
    assert a.answerable and says in a.answer and never not in a.answer, a.answer
