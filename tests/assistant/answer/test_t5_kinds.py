"""Kinds of confidently-wrong answers read on a clean news set (issue 13, session 6, news20k-test5):
a figure of another year than the one asked (a span stating 2021年 for 2023年 asked; a count to
date in a document of another year); a question asking two days (7月28日…此前7月20日那次呢)
answered for one; a question asking each of two quoted sides (评为“好”的和评为“中”的各有几件)
answered by a sentence naming neither. Each test is written on documents made up for it (real
places, made-up sentences and figures) and checks the other side too: the figure still answers
the question that asks what it holds."""
from __future__ import annotations

import pytest

from assistant.answer.selection import year_unsaid, years_said

DOCS = {
    "nanping_juankuan.txt": (
        "南平市2023-08-10，正文：2023年南平市慈善总会爱心企业座谈会日前举行。2021年汛期期间，南平恒远公司累计捐款800万元支持灾后重建。"
        "座谈会上，与会企业交流了参与公益的做法。\n"),
    "kunming_ertong.txt": (
        "昆明市2023-07-20，正文：记者从昆明市儿童医院获悉，截至目前，该医院已免费救治困境患儿逾3000名，"
        "覆盖全省各州市。该院的困境患儿救助基金于2021年设立。\n"),
    "anyang_juanzeng.txt": (
        "安阳市2023-07-30，正文：7月28日，安阳锦程公司向安阳市慈善总会捐赠价值80万元的防汛物资，支持防汛救灾。\n"),
    "ganzhou_shishi.txt": (
        "赣州市2023-08-15，正文：赣州市财政局会同有关部门，对2022年度30件民生实事开展绩效评价，评价结果将向社会公开。\n"),
}


@pytest.fixture(scope="module")
def t5_assistant(make_answer_assistant):
    return make_answer_assistant("t5-kinds", DOCS)


def test_years_a_span_states():
    """A year a span states (2021年, 2023-08-01), the years it counts from (以来), never a year it
    compares with (比2020年) nor a count that looks like a year (2050名)."""
    assert years_said("2023-08-01 18:02，截至2023年6月30日，共2050名") == ({2023}, set())
    assert years_said("2021年以来累计救助300人，比2020年增加20人") == ({2021}, {2021})


def test_another_years_span_is_no_answer():
    assert year_unsaid([2023], [("2021年汛期期间累计捐款800万元", 2023, "")]) == "2021年"
    assert year_unsaid([2023], [("2021年以来累计捐款800万元", 2023, "")]) is None  # runs to 2023
    assert year_unsaid([2022], [("截至目前已救治3000名", 2023, "")]) == "2023年"
    assert year_unsaid([2022], [("截至目前已救治3000名", 2023, "2022年，该院")]) is None  # its paragraph says 2022
    assert year_unsaid([2023], [("全年救治3000名，比2022年增加100名", 2023, "")]) is None


@pytest.mark.parametrize("question,figure", [
    ("南平恒远公司2023年汛期累计捐款多少？", "800万元"),
    ("昆明市儿童医院2021年全年救治了多少名困境患儿？", "3000名"),
], ids=["span-of-another-year", "to-date-of-another-year"])
def test_a_figure_of_another_year_is_refused(t5_assistant, question, figure):
    a = t5_assistant.ask(question)
    assert not a.answerable and figure not in a.answer and "所引原文说的是" in a.answer, a.answer


@pytest.mark.parametrize("question,figure", [
    ("南平恒远公司2021年汛期累计捐款多少？", "800万元"),
    ("昆明市儿童医院已经救治了多少名困境患儿？", "3000名"),
], ids=["its-own-year", "no-year-asked"])
def test_the_figure_answers_its_own_year(t5_assistant, question, figure):
    a = t5_assistant.ask(question)
    assert a.answerable and figure in a.answer, a.answer


def test_two_days_asked_one_cited_is_not_answered_whole(t5_assistant):
    a = t5_assistant.ask("安阳锦程公司7月28日向安阳市慈善总会捐赠了价值多少的物资？此前7月20日那次呢？")
    assert not a.answerable and "7月20日" in a.answer.split("\n")[0], a.answer
    one = t5_assistant.ask("安阳锦程公司7月28日向安阳市慈善总会捐赠了价值多少的物资？")
    assert one.answerable and "80万元" in one.answer, one.answer


def test_quoted_sides_asked_each_must_be_cited(t5_assistant):
    a = t5_assistant.ask("赣州市2022年度民生实事绩效评价中，评为“好”的和评为“中”的各有几件？")
    assert not a.answerable and "30件" not in a.answer.split("\n")[0], a.answer
    whole = t5_assistant.ask("赣州市对2022年度多少件民生实事开展了绩效评价？")
    assert whole.answerable and "30件" in whole.answer, whole.answer
