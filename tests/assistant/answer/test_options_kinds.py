"""Kinds of confidently-wrong answers read on news20k-test6 (issue 13, session 7): one item of a
listed series (小厅…，中厅…，大厅…) asked and answered with another item's figure, and a qualifier
pair said in one sentence (集中供养…780元，分散供养…690元) read as the first clause's qualifier for
both figures. Documents made up for the tests (real places, made-up sentences and figures)."""
from __future__ import annotations

import pytest

from ingest.document import DocMeta, Document

from assistant.answer.asked import understand_text
from assistant.answer.facts import extract_facts
from assistant.answer.series import items_asked, series

DOCS = {
    "hongshan_binyi.txt": (
        "2023年05月12日，正文：记者从武汉市洪山区获悉，洪山殡仪馆公示的服务项目收费标准显示，"
        "告别厅租用收费价格为：小厅500元一次，中厅900元一次，大厅1700元一次。\n"),
    "shaodong_tekun.txt": (
        "邵东市民政局关于提高特困人员救助供养标准的通知\n\n"
        "自2023年7月1日起，邵东市农村特困人员集中供养标准为每人每月820元，分散供养标准为每人每月655元。\n"),
}

PAIR = "邵东市农村特困人员集中供养标准为每人每月820元，分散供养标准为每人每月655元。"


@pytest.fixture(scope="module")
def options_assistant(make_answer_assistant):
    return make_answer_assistant("options-kinds", DOCS)


def _facts(text: str):
    d = Document(source="t.txt", text=text, sha256="0" * 64, encoding="utf-8",
                 meta=DocMeta(city="邵东市", year=2023, title="测试文件"))
    return {f.value: f for f in extract_facts(d)}


def test_each_figure_of_a_pair_keeps_its_own_clauses_qualifier():
    facts = _facts(PAIR)
    assert facts["820元"].holds("provision", "集中供养") and not facts["820元"].holds("provision", "分散供养")
    assert facts["655元"].holds("provision", "分散供养") and not facts["655元"].holds("provision", "集中供养")


def test_a_question_reads_the_provision_it_names():
    assert understand_text("邵东市农村特困人员分散供养标准是多少？").provision == "分散供养"
    assert understand_text("邵东市农村特困人员供养标准是多少？").provision is None


def test_the_provision_asked_gets_its_own_figure(options_assistant):
    a = options_assistant.ask("邵东市农村特困人员分散供养标准是多少？")
    assert a.answerable and "655元" in a.answer and "820元" not in a.answer, a.answer
    b = options_assistant.ask("邵东市农村特困人员集中供养标准是多少？")
    assert b.answerable and "820元" in b.answer and "655元" not in b.answer, b.answer


LIST = "告别厅租用收费价格为：小厅500元一次，中厅900元一次，大厅1700元一次，简易告别厅90元一次。"


def test_a_series_and_the_items_a_question_names():
    items = series(LIST)
    assert items == [("小厅", "500元"), ("中厅", "900元"), ("大厅", "1700元"), ("简易告别厅", "90元")]
    assert items_asked("租用中等大小的告别厅一次多少钱", items) == [("中厅", "900元")]  # 大小 names no size
    assert items_asked("大告别厅和小告别厅各多少钱", items) == [("小厅", "500元"), ("大厅", "1700元")]
    assert items_asked("告别厅租用多少钱", items) == []  # no item named: any answer quoting the list
    assert series("城市低保标准每人每月800元，农村低保标准每人每年6000元。") == []  # no shared head


def test_one_item_of_a_listed_series_gets_its_own_figure(options_assistant):
    a = options_assistant.ask("洪山殡仪馆租用中等大小的告别厅一次收多少钱？")
    assert a.answerable and "900元" in a.answer and "500元" not in a.answer, a.answer
    b = options_assistant.ask("洪山殡仪馆的大厅租一次多少钱？")
    assert b.answerable and "1700元" in b.answer and "500元" not in b.answer, b.answer
    c = options_assistant.ask("洪山殡仪馆的小厅租一次多少钱？")
    assert c.answerable and "500元" in c.answer and "900元" not in c.answer, c.answer


def test_every_item_asked_is_quoted(options_assistant):
    a = options_assistant.ask("洪山殡仪馆的大告别厅和小告别厅租一次各要多少钱？")
    assert a.answerable and "1700元" in a.answer and "500元" in a.answer, a.answer
