"""Standard questions answered from the benefit-standards table (real seed index, real chain)."""
from __future__ import annotations

import re

import pytest

from assistant.grounding import numbers_in

JIAOZUO = "002_39dfedb441b95935.txt"
LUOHE = "001_121c05062443fa9f.txt"
LUOYANG = "000_634e09650f0b344e.txt"
HUIJI = "003_8547944d577de060.txt"


def _spans_are_verbatim(assistant, answer):
    for c in answer.citations:
        assert assistant.document_text(c.source)[c.start:c.end] == c.text


def _line_with(answer_text: str, needle: str) -> str:
    return next(ln for ln in answer_text.splitlines() if needle in ln)


def test_the_table_is_loaded_with_the_index(assistant):
    assert assistant.standards is not None and len(assistant.standards) > 0
    assert assistant.answerer.standards is assistant.standards


def test_orphan_standard_is_answered_from_the_row(assistant):
    a = assistant.ask("洛阳市散居孤儿标准是多少？")
    assert a.answerable, a.answer
    assert a.answer == "洛阳市社会散居孤儿基本生活最低养育标准为每人每月700元（2017年由600元提高）[1]。"
    c = a.citations[0]
    assert c.source == LUOYANG and c.city == "洛阳市" and c.year == 2017
    assert "700" in c.text and "600" in c.text
    _spans_are_verbatim(assistant, a)
    row = assistant.standards.query(region="洛阳", category="散居孤儿")[0]
    assert (c.start, c.end) == (row.start, row.end)  # the citation is the row's span


def test_family_question_lists_each_category_with_its_own_citation(assistant):
    a = assistant.ask("洛阳孤儿一个月给多少钱")
    assert a.answerable
    assert "700" in a.answer and "600" in a.answer and "[1]" in a.answer
    assert "1100" in a.answer and "[2]" in a.answer
    assert "700" in a.citations[0].text and "1100" in a.citations[1].text
    assert a.citations[0].start != a.citations[1].start
    _spans_are_verbatim(assistant, a)


def test_every_region_listed_with_its_year_and_citation(assistant):
    a = assistant.ask("各地的农村低保标准分别是多少？")
    assert a.answerable
    jz, lh = _line_with(a.answer, "4524"), _line_with(a.answer, "4560")
    assert "焦作市" in jz and "2021年" in jz
    assert "漯河市" in lh and "2020年" in lh
    marker = {int(m) for m in re.findall(r"\[(\d+)\]", jz)} | {int(m) for m in re.findall(r"\[(\d+)\]", lh)}
    cited = {c.marker: c for c in a.citations}
    assert len(marker) == 2 and marker <= set(cited)
    assert {cited[m].source for m in marker} == {JIAOZUO, LUOHE}
    assert "203.45" not in a.answer  # an average is never given as a standard
    _spans_are_verbatim(assistant, a)


def test_highest_compares_same_period_figures_and_notes_the_years(assistant):
    a = assistant.ask("哪个城市的农村低保标准最高？")
    assert a.answerable
    assert "4524" in a.answer and "4560" in a.answer
    verdict = _line_with(a.answer, "最高")
    assert "漯河市" in verdict and "焦作市" not in verdict  # 4560 > 4524, both per year
    assert "年份不同" in a.answer and "2021" in a.answer and "2020" in a.answer
    assert len(a.citations) == 2


def test_monthly_and_unstated_periods_are_not_ranked(assistant):
    a = assistant.ask("哪个城市的城市低保标准最高？")
    assert a.answerable
    assert "600" in a.answer and "550" in a.answer
    assert "无法直接比较" in a.answer  # 焦作市 is per month, 惠济区 does not say
    assert not re.search(r"(焦作市|郑州市惠济区)最高", a.answer)
    assert "年份不同" in a.answer
    assert {c.source for c in a.citations} == {JIAOZUO, HUIJI}


def test_respectively_rows_name_the_asked_figure(assistant):
    a = assistant.ask("焦作市城市特困供养标准")
    assert "其中城市为9600元" in a.answer and a.citations[0].source == JIAOZUO


def test_average_question_gets_the_labelled_average(assistant):
    a = assistant.ask("漯河市农村低保金平均多少钱")
    assert "203.45" in a.answer and "平均值" in a.answer and "不是保障标准" in a.answer


@pytest.mark.parametrize("question,mentions", [
    ("北京市农村低保标准是多少？", "北京"),
    ("北京市2023年城市低保标准是多少？", "北京"),
    ("焦作市2023年城市低保标准是多少？", "2023"),
    ("焦作市2023年农村低保标准是多少？", "2023"),
])
def test_the_table_never_answers_outside_the_reports(assistant, question, mentions):
    a = assistant.ask(question)
    assert not a.answerable, a.answer
    assert a.answer.startswith("资料中没有") and mentions in a.answer
    assert a.citations == []
    assert "4524" not in a.answer and "600元" not in a.answer


def test_a_district_never_gets_another_citys_row(assistant):
    a = assistant.ask("惠济区农村低保标准是多少？")
    assert "4524" not in a.answer and "4560" not in a.answer
    assert all(c.city == "郑州市惠济区" for c in a.citations)


QUESTIONS = ["洛阳孤儿一个月给多少钱", "洛阳市散居孤儿标准是多少？", "各地的农村低保标准分别是多少？",
             "哪个城市的农村低保标准最高？", "哪个城市的城市低保标准最高？", "哪个城市的低保标准最低？",
             "焦作市农村特困人员供养标准是多少", "惠济区城市低保标准是多少", "温县低保标准是多少",
             "受灾群众生活救助标准是多少", "漯河市农村低保金平均多少钱"]


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_number_is_in_a_cited_span(assistant, question):
    a = assistant.ask(question)
    # answered, or (温县: only 焦作市's figures) said to be the wider region's, with its citations
    assert a.answerable or (a.answer.startswith("资料中没有") and a.citations), a.answer
    years = {str(c.year) for c in a.citations}
    for num in numbers_in(a.answer):
        assert num in years or any(re.search(rf"(?<![\d.]){re.escape(num)}(?![\d])", c.text)
                                   for c in a.citations), (question, num, a.answer)
    _spans_are_verbatim(assistant, a)
