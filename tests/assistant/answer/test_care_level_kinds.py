"""A care level's figure stated with its share of a base (半失能的按照30%确定，每人每月561元) is quoted
from the level on and cited the same, so every figure said is in the cited span; a bedridden
relative (瘫在床上) asks the 全护理 level; 爹娘 are 父母 (holdout13's kinds). Documents written for
these tests (made-up figures)."""
import pytest

DOCS = {
    "jian_tekun.txt": (
        "吉安市特困人员救助供养办法\n\n"
        "第八条　特困人员照料护理标准根据生活自理能力分档确定，以本市现行月最低工资标准1900元为基数："
        "全自理的按照10%确定，每人每月190元；半失能的按照30%确定，每人每月570元；全失能的按照60%确定，每人每月1140元。\n"),
    "hua_guer.txt": (
        "滑县孤儿基本生活费申领指南\n\n"
        "一、保障对象\n\n父母双方均死亡或者被人民法院宣告失踪的未满18周岁儿童。\n\n"
        "二、保障标准\n\n社会散居孤儿基本生活费每人每月1450元。\n"),
}


@pytest.fixture(scope="module")
def levels(make_answer_assistant):
    return make_answer_assistant("care-level-kinds", DOCS)


def test_a_levels_share_of_a_base_is_cited_with_its_figure(levels):
    a = levels.ask("吉安市半失能特困人员的照料护理标准是多少？")
    assert a.answerable and "30%" in a.answer and "570元" in a.answer
    assert "30%" in a.citations[0].text


def test_a_bedridden_relative_asks_the_full_care_level(levels):
    a = levels.ask("我大伯在吉安市，是特困户，现在瘫在床上完全不能自理了，护理费一个月给多少？")
    assert a.answerable and "1140元" in a.answer


def test_parents_said_colloquially_are_no_unknown_word(levels):
    a = levels.ask("滑县孩子爹娘都没了，孤儿基本生活费每个月多少？")
    assert a.answerable and "1450元" in a.answer
