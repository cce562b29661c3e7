"""A figure question whose measure the answering sentence leaves to its heading and title, or
whose asking word follows a word saying which value is asked (product check, session 9):
- 某地高龄津贴的标准是多少 over a notice titled …高龄津贴发放标准…, whose 二、发放标准。 paragraph
  lists the age bands without naming the benefit again: no sentence named 高龄津贴, so the
  question was refused although the document answers it with every band;
- 某地城市低保原来是多少: 原来 stood between the measure and 多少 and was taken as the measure,
  so 由每人每月780元提高到每人每月820元 did not answer it.
Documents made up for the test (real places, made-up sentences and figures)."""
from __future__ import annotations

import pytest

from assistant.answer.selection import measure_terms

DOCS = {
    "xiangtan_gaoling.txt": (
        "湘潭县民政局关于调整高龄津贴发放标准的通知\n\n各乡镇人民政府：\n\n"
        "经县人民政府同意，现将高龄津贴发放标准调整如下：\n\n"
        "一、发放对象。具有本县户籍、年满80周岁的老年人。\n\n"
        "二、发放标准。80—89周岁老年人每人每月60元；90—99周岁老年人每人每月150元；"
        "100周岁及以上老年人每人每月400元。\n\n"
        "三、执行时间。本通知自2026年1月1日起执行。\n\n湘潭县民政局\n2025年12月10日\n"),
    "shaoshan_dibao.txt": (
        "韶山市关于提高城乡最低生活保障标准的通知\n\n经市人民政府研究决定，从2026年1月1日起，"
        "提高全市城乡居民最低生活保障标准。\n\n城市最低生活保障标准由每人每月705元提高到每人每月745元；农村最低生活保障标准由每人每年"
        "5600元提高到每人每年6000元。\n\n特困人员基本生活标准按不低于当地低保标准的1.3倍确定，城市特困人员"
        "每人每月969元，农村特困人员每人每年7800元。\n\n韶山市民政局\n2025年12月1日\n"),
}


@pytest.fixture(scope="module")
def unnamed_assistant(make_answer_assistant):
    return make_answer_assistant("unnamed-measure", DOCS)


@pytest.mark.unit
def test_a_word_saying_which_value_is_no_measure():
    assert measure_terms("城市低保原来是多少", ("城市", "低保", "原来")) == ("低保",)
    assert measure_terms("农村低保以前是多少", ("农村", "低保", "以前")) == ("低保",)


def test_the_bands_answer_a_standard_asked_without_an_age(unnamed_assistant):
    a = unnamed_assistant.ask("湘潭县高龄津贴的标准是多少？")
    first = a.answer.splitlines()[0]
    assert a.answerable and all(f in first for f in ("60元", "150元", "400元")), a.answer
    assert a.citations and "湘潭县" in (a.citations[0].city or "")


def test_the_earlier_value_asked_is_answered_by_the_rise(unnamed_assistant):
    a = unnamed_assistant.ask("韶山市城市低保原来是多少？")
    assert a.answerable and "705元" in a.answer.splitlines()[0], a.answer
    assert any("705元" in c.text for c in a.citations)
