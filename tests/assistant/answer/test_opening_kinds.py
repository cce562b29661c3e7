"""Confidently-wrong kinds of a clean news set (issue 13): a yes/no or conditions question answered
by a news item's headline and lede, a yes/no question whose predicate no document uses, a duration
asked (几年) answered by how long something has run (运营3年来), and a town named after its county
(某海镇) not taken as a place. Places are real; documents, sentences and figures are made up.
"""
from __future__ import annotations

import pytest

from assistant.query import analyze

BREAKFAST = (
    "2023-08-11 16:45，正文：原标题：小店区这个社区开了个爱心早餐铺8月9日一早，太原市小店区坞城街道康宁社区"
    "“早餐帮帮团”成员在早餐铺里忙碌，社区居民聚在一起享受早餐。\n"
    "据了解，经过一个月的筹备，社区志愿服务队建立了爱心早餐项目，为辖区孤寡老人、低保户等特殊群体提供免费早餐，"
    "普通居民也可以低价用餐。早餐铺每天早上6点半开门。\n"
)
ALARMS = (
    "，正文：为独居老人加装烟感报警器是今年的区政府实事项目。为关爱辖区内的独居老人，提高独居老人消防安全意识，"
    "日前，榆次区锦纶路街道开展为独居老人加装烟感报警器的改造项目。\n"
    "街道工作人员上门走访，最终为辖区内210户独居老人加装了烟感报警器。\n"
)
PAIRING = (
    "2023-08-09 09:32，正文：原标题：阳曲县侯村乡：开展“结对行动”关爱农村留守儿童为进一步健全留守儿童关爱服务体系，"
    "阳曲县侯村乡积极开展农村留守儿童结对行动，在全乡营造关心关爱留守儿童的浓厚氛围。\n"
    "侯村乡各村将进一步加大结对行动宣传力度，着力营造齐抓共管的良好氛围。\n"
)
INSURANCE = (
    "晋城市惠民保运营3年来，累计赔付超5000万元，惠及1.2万人次。\n"
    "据悉，晋城市低保对象参加惠民保，每人每年129元保费全额予以补贴，补贴暂定实施2年。\n"
)
DOCS = {"taiyuan_breakfast.txt": BREAKFAST, "jinzhong_alarms.txt": ALARMS, "taiyuan_pairing.txt": PAIRING,
        "jincheng_insurance.txt": INSURANCE}


@pytest.fixture(scope="module")
def opening_assistant(make_answer_assistant):
    return make_answer_assistant("opening-kinds", DOCS)


def test_a_yes_no_question_is_answered_by_the_sentence_saying_so_not_by_the_lede(opening_assistant):
    a = opening_assistant.ask("我不是低保户，也能去康宁社区的爱心早餐铺吃早饭吗？")
    assert "原标题" not in a.answer, a.answer
    assert not a.answerable or "低价" in a.answer, a.answer


@pytest.mark.parametrize("question", [
    "锦纶路街道给独居老人装烟感报警器要收钱吗？",
    "锦纶路街道给独居老人装烟感报警器要钱吗？",  # 要钱: the modal and what it asks, segmented as one word
])
def test_a_yes_no_question_whose_predicate_no_document_uses_is_refused(opening_assistant, question):
    # 收钱: no document says whether the alarms cost anything, so no sentence says yes or no
    a = opening_assistant.ask(question)
    assert not a.answerable, a.answer
    assert not a.citations


CANTEEN = (
    "2023-08-12 10:20，正文：原标题：某村共享食堂开张近日，平遥县古陶镇某村共享食堂正式开张，每天中午为老人供餐。\n"
    "村党支部书记介绍，共享食堂由村集体投资建设，占地100多平方米，可同时容纳40人就餐。\n"
    "该村80岁以上老年人在共享食堂就餐免费，其他老年人每餐只需花3块钱。\n"
)


@pytest.fixture(scope="module")
def canteen_assistant(make_answer_assistant):
    return make_answer_assistant("cost-kinds", {"pingyao_canteen.txt": CANTEEN, **DOCS})


def test_a_yes_no_question_about_cost_is_answered_by_the_sentence_saying_what_it_costs(canteen_assistant):
    """要钱吗 asks whether something costs (vocabulary facts.selection.cost_asked): the sentence
    saying it is free answers, not one about the canteen alone."""
    a = canteen_assistant.ask("我爷爷今年82岁，去古陶镇的共享食堂吃饭要钱吗？")
    assert a.answerable and "免费" in a.answer, a.answer
    assert "占地" not in a.answer, a.answer


def test_a_conditions_question_is_never_answered_by_the_headline_nor_a_sentence_naming_no_condition(
        opening_assistant):
    a = opening_assistant.ask("在侯村乡当留守儿童结对人要符合什么条件？")
    assert "原标题" not in a.answer, a.answer
    assert not a.answerable, a.answer  # 各村将进一步加大结对行动宣传力度 names no condition


def test_how_long_something_has_run_is_no_duration_asked(opening_assistant):
    a = opening_assistant.ask("晋城低保户参加惠民保的补贴能补几年？")
    assert "3年" not in a.answer, a.answer
    assert not a.answerable or "2年" in a.answer, a.answer


def test_a_town_bearing_its_countys_name_is_that_county_and_is_no_topic():
    analysis = analyze("勐海镇敬老院集中供养的特困老人每月补助多少钱？")
    assert [p.name for p in analysis.places] == ["勐海县"], analysis.places
    assert not any("镇" in t for t in analysis.terms), analysis.terms
    assert analyze("某某单位帮助困难群众").places == ()  # no short name, no town: no place


JOBS = (
    "昔阳县残联2023年工作总结\n\n"
    "开展“乐业昔阳”春风行动，调查辖区内企业用工需求，举办三场专场招聘会，实现就业60名。"
    "积极探索残疾人就业新渠道，开发适合残疾人的岗位，运用“巧手工坊”帮助12名残疾人就业。"
    "全年为残疾人发放补贴资金90余万元。\n"
    "专场招聘会面向持有残疾人证、年满16周岁的残疾人，符合条件的可现场报名。\n"
)


@pytest.fixture(scope="module")
def jobs_assistant(make_answer_assistant):
    return make_answer_assistant("compared-sides", {"xiyang_jobs.txt": JOBS})


def test_two_things_compared_are_answered_with_both_figures(jobs_assistant):
    a = jobs_assistant.ask("昔阳县的专场招聘会和“巧手工坊”，哪个帮助残疾人就业的人数多？")
    assert a.answerable and "60名" in a.answer and "12名" in a.answer, a.answer
    # the result said in the cited figures' own words, never a computed difference
    assert "比较：专场招聘会（60名）多于巧手工坊（12名）" in a.answer or "比较：招聘会（60名）多于" in a.answer, a.answer


def test_a_comparison_whose_other_side_no_document_says_is_not_answered_with_one_side(jobs_assistant):
    a = jobs_assistant.ask("昔阳县的“巧手工坊”和爱心超市，哪个帮助残疾人就业的人数多？")
    assert not (a.answerable and "12名" in a.answer and "爱心超市" not in a.answer), a.answer


def test_a_conditions_question_is_answered_by_the_sentence_stating_them(jobs_assistant):
    a = jobs_assistant.ask("昔阳县专场招聘会报名要符合什么条件？")
    assert a.answerable and "残疾人证" in a.answer, a.answer
