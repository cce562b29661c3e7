"""The standards stage: an allowance asked is a standard asked (never a total)."""
from __future__ import annotations

import pytest

from assistant.answer.wording import allowance_asked, asks_standard

# Places are real; the figures are made up for these tests.
DOCS = {
    "suihua_guer.txt": (
        "绥化市2024年儿童福利工作总结\n\n绥化市民政局\n\n"
        "2024年，全市下拨孤儿基本生活费补助资金520万元。"
        "社会散居孤儿基本生活最低养育标准从每人每月1000元提高到1100元。\n"),
}


@pytest.fixture(scope="module")
def standards_assistant(make_answer_assistant):
    return make_answer_assistant("standard-answers", DOCS)


def test_an_allowance_asked_is_a_standard_asked_unless_a_total_is():
    assert allowance_asked("洛阳孤儿补助多少钱") and asks_standard("洛阳孤儿补助多少钱")
    assert not asks_standard("洛阳孤儿补助资金多少") and not asks_standard("发放孤儿补贴多少")
    assert not asks_standard("高龄津贴一共花了多少钱")
    assert not allowance_asked("冬春救助给低保户的取暖补助是多少？")  # the heating allowance, no 低保 level
    assert not allowance_asked("焦作 敬老补贴 高龄老人")  # a keyword query asks no amount


@pytest.mark.parametrize("question", ["绥化孤儿补助多少钱？", "What is the orphan allowance in Suihua?",
                                      "How much is the orphan allowance a month in Suihua?"])
def test_an_allowance_is_answered_with_the_standard_never_a_total(standards_assistant, question):
    a = standards_assistant.ask(question)
    assert a.answerable and "1100" in a.answer
    assert "520" not in a.answer
    first = a.answer.splitlines()[0]
    if first.startswith("Answer"):
        assert "1100 yuan" in first and "1000 yuan" not in first  # the raised value, not the old one
