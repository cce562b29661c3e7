"""answer.narrower: a level asked of a wider place (a province, a city) is never given from a
document about a place inside it; a figure of an event told of a district is no level and is
answered. Places are real; documents, sentences and figures are made up."""
from __future__ import annotations

import pytest

DOCS = {
    "xinzhou_tekun.txt": (
        "忻州市民政局关于调整特困人员基本生活标准的通知\n\n"
        "自2024年3月1日起，全市特困人员基本生活标准调整为每人每月1020元。\n"),
    "xiaodian_news.txt": (
        "2023-08-10 09:12，正文：小店区一男子为办再婚登记伪造户口页被查处。近日，太原市小店区民政局婚姻登记处"
        "发现一份可疑户口页。经查，该男子在网上以300元的价格找人制作了一张假户口页。\n"),
}


@pytest.fixture(scope="module")
def narrower_assistant(make_answer_assistant):
    return make_answer_assistant("narrower", DOCS)


def test_a_provinces_level_is_not_given_from_one_of_its_cities(narrower_assistant):
    a = narrower_assistant.ask("山西省特困人员基本生活标准是多少？")
    assert not a.answerable, a.answer
    assert "不是山西省的" in a.answer, a.answer  # the city's figure is shown as the city's


def test_a_figure_of_an_event_told_of_a_district_is_answered_for_its_city(narrower_assistant):
    a = narrower_assistant.ask("太原那个伪造户口页的男子花了多少钱？")
    assert a.answerable and "300元" in a.answer, a.answer
