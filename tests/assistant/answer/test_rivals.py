"""Two documents that state no region answer a question naming no place with different figures
(one 解读 says 10 working days, another 20): neither is the answer alone, both are said, each with
its own citation (assistant/answer/rivals.py). Texts and figures are made up for the tests."""
from __future__ import annotations

import pytest

FIRST = ("低保边缘家庭认定办法政策解读\n\n"
         "一、认定程序。申请人向户籍所在地乡镇（街道）提出申请，乡镇（街道）自受理之日起10个工作日内完成调查核实，"
         "县级民政部门自收到材料之日起10个工作日内作出认定决定。\n")
SECOND = ("刚性支出困难家庭认定工作问答\n\n"
          "问：申请低保边缘家庭或刚性支出困难家庭认定后，多久能有结果？\n"
          "答：乡镇（街道）应当自受理申请之日起20个工作日内完成调查核实，并提出审核意见。\n")
PLACED = ("安阳市民政局关于做好临时救助工作的通知\n\n"
          "安阳市临时救助申请，乡镇（街道）应当在5个工作日内完成入户调查。\n")


@pytest.fixture(scope="module")
def unplaced(make_answer_assistant):
    return make_answer_assistant("rivals", {"jiedu.txt": FIRST, "wenda.txt": SECOND, "anyang.txt": PLACED})


def test_two_region_less_documents_stating_different_limits_are_both_said(unplaced):
    a = unplaced.ask("申请低保边缘家庭认定，乡镇（街道）要在多少个工作日内完成调查核实？")
    assert a.answerable, a.answer
    assert "10个工作日" in a.answer and "20个工作日" in a.answer, a.answer
    assert {c.source for c in a.citations} == {"jiedu.txt", "wenda.txt"}
    assert [c.marker for c in a.citations] == list(range(1, len(a.citations) + 1))
    assert "资料未注明地区" in a.answer


def test_a_place_asked_gets_its_own_documents_figure_alone(unplaced):
    a = unplaced.ask("安阳市临时救助，乡镇（街道）要在多少个工作日内完成入户调查？")
    assert a.answerable and "5个工作日" in a.answer and "20个工作日" not in a.answer, a.answer
