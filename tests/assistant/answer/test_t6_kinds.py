"""Kinds of confidently-wrong answers read on a clean news set (issue 13, session 7, news20k-test6):
another month's figure for the month asked (the month said in a headline before the span); an
institution asked by its place-name part answered with another institution of its kind; two
figures asked in two clauses answered with one; a group of the person asked (在澳门结婚)
answered with another group's rule. Each test is written on documents made up for it (real
places, made-up sentences and figures) and checks the other side too: the span still answers the
question that asks what it holds."""
from __future__ import annotations

import pytest

from assistant.answer.named import figures_short, institution_unnamed, level_unsaid, month_unsaid, months_asked

DOCS = {
    "yingji_zaiqing.txt": (
        "2023-06-04 10:20，正文：原标题：5月，全国因灾死亡失踪36人！应急管理部近日会同有关部门，"
        "对2023年5月全国自然灾害情况进行了会商分析。全国因灾死亡失踪36人，倒塌房屋120间。\n"),
    "qingshan_binyi.txt": (
        "2023年06月10日，正文：记者从武汉市青山区获悉，青山殡仪馆公示的服务项目收费标准显示，"
        "告别厅租用收费价格为：小厅600元一次，大厅1500元一次。\n"),
    "yuqing_juanzeng.txt": (
        "余庆县红十字会2023年上半年捐赠款物公示\n\n"
        "一、捐赠资金接收情况余庆县红十字会1月1日—6月30日接收捐赠资金12000元，明细详见表一。"
        "二、捐赠资金支出情况余庆县红十字会1月1日—6月30日支出捐赠资金8000元，明细详见表二。\n"),
    "huaian_diming.txt": (
        "2023-07-24，正文：原标题：20个地名新入选市级文化遗产保护名录。淮安市民政局近日公布名录，"
        "最终评选出市级地名文化遗产20个。\n"),
    "tianjin_hunyin.txt": (
        "天津市户籍居民如何变更婚姻状况\n\n"
        "所需材料：在中国大陆地区结婚的需提交：结婚证，同时提交本人的居民户口簿。"
        "在澳门结婚的需提交：澳门民事登记局出具的结婚登记证明。\n"),
}


@pytest.fixture(scope="module")
def t6_assistant(make_answer_assistant):
    return make_answer_assistant("t6-kinds", DOCS)


def test_the_month_asked():
    """A single month asked (2023年8月), never a day (8月8号) nor the end of a range (1到6月)."""
    assert months_asked("2023年8月全国因灾死亡多少人") == {8}
    assert months_asked("八月份发了多少") == {8}
    assert months_asked("1到6月收到多少钱") == set() and months_asked("8月8号领证") == set()
    assert month_unsaid("8月有多少人", [("全国36人", "原标题：7月，")]) == "7月"
    assert month_unsaid("8月有多少人", [("1至8月共36人", "")]) is None
    assert month_unsaid("8月有多少人", [("全国36人", "")]) is None  # nothing says another month


def test_another_months_figure_is_refused(t6_assistant):
    a = t6_assistant.ask("2023年6月全国自然灾害造成多少人因灾死亡失踪？")
    assert not a.answerable and "36人" not in a.answer.split("\n")[0], a.answer
    own = t6_assistant.ask("2023年5月全国自然灾害造成多少人因灾死亡失踪？")
    assert own.answerable and "36人" in own.answer, own.answer


def test_an_institution_named_by_its_place():
    assert institution_unnamed("江夏殡仪馆收费多少", "青山殡仪馆公示的收费标准") == ("江夏殡仪馆", "青山殡仪馆")
    assert institution_unnamed("在青山殡仪馆火化要多少钱", "送往青山区青山殡仪馆") is None
    assert institution_unnamed("殡仪馆收费多少", "青山殡仪馆") is None  # no institution named
    assert institution_unnamed("郑州市殡仪馆收费多少", "郑州殡仪馆的收费") is None  # 市 is a suffix


def test_another_institution_of_the_kind_is_refused(t6_assistant):
    a = t6_assistant.ask("江夏殡仪馆的大告别厅租用一次收费多少？")
    assert not a.answerable and "1500元" not in a.answer and "600元" not in a.answer, a.answer
    own = t6_assistant.ask("青山殡仪馆的小告别厅租用一次收费多少？")  # (a listed option: not this test's kind)
    assert own.answerable and "600元" in own.answer, own.answer


def test_two_figures_asked():
    assert figures_short("收到多少钱？支出了多少？", "支出8000元", "money") == 2
    assert figures_short("收到多少钱？支出了多少？", "收到12000元，支出8000元", "money") is None
    assert figures_short("收到多少钱？", "收到12000元", "money") is None
    assert figures_short("救助多少人次？支出多少？", "救助90人次，支出资金6万元", "count") is None  # two dimensions


def test_one_of_two_figures_asked_is_no_answer(t6_assistant):
    a = t6_assistant.ask("余庆县红十字会今年1到6月接收了多少捐赠资金？支出了多少？")
    assert not a.answerable or ("12000元" in a.answer and "8000元" in a.answer), a.answer
    one = t6_assistant.ask("余庆县红十字会今年1到6月支出了多少捐赠资金？")
    assert one.answerable and "8000元" in one.answer, one.answer


def test_the_group_asked_must_be_the_spans(t6_assistant):
    """在澳门结婚 asks the Macao rule: the mainland sentence beside it is no answer."""
    a = t6_assistant.ask("天津户口的人在澳门登记结婚，回来变更婚姻状况要交什么证明材料？")
    assert not a.answerable or "澳门民事登记局" in a.answer, a.answer
    other = t6_assistant.ask("天津户口的人在香港登记结婚，回来变更婚姻状况要交什么证明材料？")
    assert not other.answerable, other.answer


def test_another_level_is_no_answer(t6_assistant):
    """国家级 asked, 市级 cited: a near miss (levels: vocabulary facts.selection.levels)."""
    assert level_unsaid("有多少个国家级地名文化遗产", "市级地名文化遗产20个") == ("国家级", "市级")
    assert level_unsaid("有多少个市级地名文化遗产", "市级地名文化遗产20个") is None
    a = t6_assistant.ask("淮安市有多少个地名入选了国家级地名文化遗产？")
    assert not a.answerable and "20个" not in a.answer, a.answer
    own = t6_assistant.ask("淮安市新评出了几个市级地名文化遗产？")
    assert own.answerable and "20个" in own.answer, own.answer
