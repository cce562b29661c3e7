"""Answerable questions refused or answered beside the point (issue 13), kinds 2–4: an age asked
over bands in a list, per-unit prices, and when / what time. Places are real; documents,
sentences and figures are made up for these tests.
"""
from __future__ import annotations

import pytest

from assistant.answer.facts import extract_facts
from assistant.answer.figures import quantities
from ingest.document import DocMeta, Document

MEALS = (
    "大同市长者助餐补贴实施办法\n\n"
    "具备大同市户籍的老年人在社区长者餐厅就餐，可以享受以下补助：1、60周岁至69周岁：每天一次，套餐直减1元；"
    "2、70周岁至79周岁：每天一次，一次补贴3元；3、80周岁至99周岁：每天一次，一次补贴4元；"
    "4、百岁老人：每天一次，一次补贴8元。\n"
)
GAS = (
    "，正文：朔州市发展改革委发布《关于调整居民用管道天然气销售价格的通知》。据了解，价格调整后，普通居民用户"
    "每立方用气将上涨0.3元。持有低保证的用户，仍然按照每立方米2.40元执行。"
    "养老机构等非居民用气销售价格由每立方米3.20元调整为3.50元。\n"
)
PLATFORM = (
    "2023-09-02 09:15，正文：原标题：阳泉市矿区南山街道社区长者食堂开餐了。阳泉养老服务网是由阳泉市民政局打造的养老服务平台，"
    "于今年5月16日上线。截至8月30日，阳泉养老服务网累计访问量为12.5万。"
    "长者食堂每天开餐时间为：11:30-12:30，也可以提供上门送餐服务。\n"
)
DOCS = {"datong_zhucan.txt": MEALS, "shuozhou_gas.txt": GAS, "yangquan_platform.txt": PLATFORM}


@pytest.fixture(scope="module")
def kinds_assistant(make_answer_assistant):
    return make_answer_assistant("refusal-kinds", DOCS)


def test_an_age_band_with_its_unit_said_twice_is_one_band():
    (band,) = [q for q in quantities("2、70周岁至79周岁：每天一次") if q.dimension == "age"]
    assert (band.value, band.upper) == (70, 79)
    assert [q.dimension for q in quantities("80岁至100元")] == ["age", "money"]  # no band of money


def test_each_list_item_figure_has_its_items_band_and_a_hundred_years_is_100_and_over():
    doc = Document(source="d.txt", text=MEALS, sha256="", encoding="utf-8", meta=DocMeta(city="大同市", year=None, title=""))
    bands = {f.value: f.age_band for f in extract_facts(doc) if f.unit == "元"}
    assert bands["3元"] == (70, 79) and bands["4元"] == (80, 99) and bands["8元"] == (100, None)


@pytest.mark.parametrize("question,says,never", [
    ("大同85岁老人在长者餐厅吃饭每次补贴多少？", "4元", "3元"),
    ("大同72岁的老人在长者餐厅就餐一次补贴多少？", "3元", "4元"),
    ("大同百岁老人在长者餐厅每天补贴多少？", "8元", "4元"),
])
def test_the_age_asked_selects_its_band_of_a_list(kinds_assistant, question, says, never):
    a = kinds_assistant.ask(question)
    assert a.answerable and says in a.answer and never not in a.answer, a.answer


def test_a_refusal_never_names_the_unit_of_the_age_asked(kinds_assistant):
    a = kinds_assistant.ask("大同50岁老人在长者餐厅吃饭每次补贴多少？")  # no band holds 50
    assert not a.answerable and "岁老人" not in a.answer, a.answer


def test_the_new_price_of_a_per_unit_change_is_the_fact_and_the_old_one_its_previous_value():
    doc = Document(source="g.txt", text=GAS, sha256="", encoding="utf-8", meta=DocMeta(city="朔州市", year=None, title=""))
    facts = {f.value: f for f in extract_facts(doc) if f.unit == "元"}
    assert "3.20元" not in facts and facts["3.50元"].previous == "3.20元"
    assert facts["3.50元"].kind != "total"  # 销售价格 per 立方米 is a price, no spending total


@pytest.mark.parametrize("question,says,never", [
    ("朔州低保户用管道天然气每立方米多少钱？", "2.40元", "3.50元"),  # what the sentence is of: the opening says
    ("朔州养老机构用气价格调整为多少？", "3.50元", "2.40元"),  # 由X调整为Y: Y
])
def test_a_per_unit_price_is_an_amount(kinds_assistant, question, says, never):
    a = kinds_assistant.ask(question)
    assert a.answerable and says in a.answer and never not in a.answer, a.answer


def test_times_of_day_are_figures_and_a_page_stamp_is_none():
    (span,) = [q for q in quantities("每天开餐时间为：11:30-12:30，也可") if q.dimension == "date"]
    assert span.text == "11:30-12:30" and span.date == "T11:30"
    assert [q.text for q in quantities("2023-09-02 09:15，正文") if q.unit == "时刻"] == []
    assert [q.text for q in quantities("于今年5月16日上线")] == ["5月16日"]


@pytest.mark.parametrize("question,says,never", [
    ("阳泉养老服务网是哪天上线的？", "5月16日", "8月30日"),  # 截至8月30日 is when a count was taken
    ("南山街道长者食堂每天几点开餐？", "11:30-12:30", "09:15"),  # a time of day, not the page's stamp
])
def test_a_when_question_is_answered_by_the_date_or_time_of_the_event_asked(kinds_assistant, question, says, never):
    a = kinds_assistant.ask(question)
    assert a.answerable and says in a.answer and never not in a.answer, a.answer
