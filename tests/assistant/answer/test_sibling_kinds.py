"""A county asked of its city's document that lists every county's own figure or phone line, and a
quarter asked of a bulletin about another quarter: the answer is the county's own line, never a
sibling's or the city's total, and another quarter's figure is no answer. Documents made up for the
test (real places, invented figures and numbers)."""
from __future__ import annotations

import pytest

from assistant.answer.named import quarter_unsaid, quarters_said
from assistant.answer.series import items_asked, series

DOCS = {
    "baoji_gaoling_guide.txt": (
        "宝鸡市高龄老人生活补贴办事指南\n\n"
        "一、补贴标准\n80至89周岁老人每人每月50元，90至99周岁每人每月100元。\n\n"
        "二、办理时限\n自受理之日起15个工作日内办结。\n\n"
        "三、办理地点及咨询电话\n"
        "渭滨区民政局养老服务股，咨询电话：0917-3261001；\n"
        "金台区民政局社会事务股，咨询电话：0917-3362002；\n"
        "陈仓区民政局社会事务股，咨询电话：0917-6213003。\n"),
    "yingtan_yibao.txt": (
        "鹰潭市医疗救助政策明白纸\n\n"
        "一、救助对象\n特困人员、低保对象、返贫致贫人口。\n\n"
        "二、咨询方式\n月湖区医保中心0701-6221004；余江区医保中心0701-5882005；贵溪市医保中心0701-3312006。\n"),
    "qinzhou_ertong_news.txt": (
        "钦州市加强困境儿童保障\n\n"
        "记者从钦州市民政局获悉，钦州市目前共保障孤儿120名、事实无人抚养儿童430名，"
        "其中钦南区205名、钦北区176名、灵山县169名。\n"),
    "fangchenggang_jibao.txt": (
        "防城港市2024年第一季度社会救助统计季报\n\n"
        "一、临时救助\n第一季度共实施临时救助860人次，发放临时救助金214万元。\n"),
}


@pytest.mark.unit
def test_a_listed_count_series_gives_each_district_its_own_count():
    items = series("钦州市目前共保障孤儿120名、事实无人抚养儿童430名，其中钦南区205名、钦北区176名、灵山县169名。")
    assert ("钦北区", "176名") in items
    assert items_asked("钦州市钦北区保障了多少名儿童？", items) == [("钦北区", "176名")]


@pytest.mark.unit
def test_a_quarter_asked_is_said_or_the_answer_is_a_near_miss():
    assert quarters_said("2024年第三季度，较第2季度末增加") == {2, 3}
    assert quarters_said("每季度发放一次，本季度新增") == set()
    assert quarter_unsaid("第二季度发放了多少", [("第一季度共发放214万元", "")]) == "第一季度"
    assert quarter_unsaid("第一季度发放了多少", [("第一季度共发放214万元", "")]) is None
    assert quarter_unsaid("二季度发放了多少", [("共发放214万元", "")]) is None  # the heading may say it


@pytest.fixture(scope="module")
def sibling_assistant(make_answer_assistant):
    return make_answer_assistant("sibling-kinds", DOCS)


@pytest.mark.integration
@pytest.mark.parametrize("question,own,siblings", [
    ("宝鸡市陈仓区办理高龄补贴的咨询电话是多少？", "0917-6213003", ("0917-3261001", "0917-3362002")),
    ("宝鸡金台区办理高龄补贴打什么电话？", "0917-3362002", ("0917-3261001",)),
    ("鹰潭市余江区医保中心电话是多少？", "0701-5882005", ("0701-6221004",)),
])
def test_a_county_asked_gets_its_own_phone_line(sibling_assistant, question, own, siblings):
    a = sibling_assistant.ask(question)
    assert a.answerable and own in a.answer, a.answer
    assert not any(s in a.answer for s in siblings), a.answer
    assert "单列" not in a.answer  # the document does list the county asked


@pytest.mark.integration
def test_a_district_asked_gets_its_own_count_never_the_city_total(sibling_assistant):
    a = sibling_assistant.ask("钦州市钦北区保障了多少名孤儿和事实无人抚养儿童？")
    assert a.answerable and "176" in a.answer, a.answer
    assert "120名" not in a.answer.splitlines()[0] and "205" not in a.answer


@pytest.mark.integration
def test_another_quarters_figure_is_no_answer(sibling_assistant):
    a = sibling_assistant.ask("防城港市2024年第二季度发放了多少临时救助金？")
    assert not a.answerable and "第二季度" in a.answer and "214" not in a.answer, a.answer
    a = sibling_assistant.ask("防城港市2024年第一季度发放了多少临时救助金？")
    assert a.answerable and "214万元" in a.answer, a.answer
