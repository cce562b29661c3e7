"""A county asked of its city's document that lists every county's own figure or phone line, and a
quarter asked of a bulletin about another quarter: the answer is the county's own line, never a
sibling's or the city's total, and another quarter's figure is no answer. Documents made up for the
test (real places, invented figures and numbers)."""
from __future__ import annotations

import pytest

from assistant.answer.named import quarter_unsaid, quarters_said
from assistant.answer.selection import marked_run
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


LIAOCHENG_LIKE = {
    "jincheng_zongjie.md": (
        "# 晋城市民政局2025年社会救助工作总结\n\n"
        "（一）低保保障水平稳步提高。截至12月底，全市共保障城乡低保对象6.21万人。\n\n"
        "（二）各县（市、区）情况。城区保障低保对象0.92万人，高平市1.26万人，阳城县1.08万人，泽州县1.31万人。\n\n"
        "（三）特困供养。全市共有特困人员1.02万人，其中集中供养0.19万人，集中供养率18.6%。\n\n"
        "二、存在的问题\n\n部分县区救助经办人员不足，主动发现机制仍需完善。\n\n"
        "三、2026年工作计划\n\n（一）城市低保标准力争提高到每人每月940元，农村低保标准提高到每人每年8900元以上；\n"
        "（二）生活不能自理特困人员集中供养率达到70%以上。\n"),
    "wuzhong_news.txt": (
        "吴忠：孤儿基本生活保障标准再提高\n\n"
        "新华社银川5月18日电 记者从宁夏回族自治区民政厅获悉，吴忠市近日提高孤儿基本生活保障标准，"
        "从2025年5月起，集中养育孤儿基本生活费由每人每月1900元提高到每人每月2000元。\n"),
    "xining_yibao.txt": (
        "西宁市医疗救助政策明白纸\n\n"
        "亲爱的群众朋友：看病就医有困难，医疗救助来帮忙。为让您清楚了解医疗救助政策，我们把主要内容整理如下，请妥善保存。\n\n"
        "【救助对象】\n1.特困人员、孤儿、事实无人抚养儿童；\n2.低保对象；\n3.低保边缘家庭成员；\n4.纳入监测的防止返贫对象。\n\n"
        "【参保资助】\n特困人员参加城乡居民医保的个人缴费部分给予全额资助；低保对象给予定额资助，每人每年资助260元；返贫致贫人口按个人缴费额的50%给予资助。\n\n"
        "【门诊救助】\n特困人员、低保对象在公立医疗机构就诊免收普通门诊诊查费；门诊慢特病费用按规定给予救助。\n\n"
        "【住院救助】\n经基本医保、大病保险报销后，政策范围内个人自付费用：\n"
        "· 特困人员按100%救助，不设年度限额；\n"
        "· 低保对象按70%救助，年度救助限额3万元；\n"
        "· 低保边缘家庭成员按55%救助，年度救助限额2万元。\n"),
}


@pytest.fixture(scope="module")
def place_assistant(make_answer_assistant):
    return make_answer_assistant("place-kinds", LIAOCHENG_LIKE)


@pytest.mark.integration
def test_a_city_named_with_cheng_asks_no_urban_figure(place_assistant):
    """晋城市 holds 城市: it asks no 城市 figure, so a sentence not saying 城市 still answers."""
    a = place_assistant.ask("晋城市2025年特困人员集中供养率是多少？")
    assert a.answerable and "18.6%" in a.answer, a.answer
    b = place_assistant.ask("晋城市高平市保障低保对象多少人？")  # a series counted in 万人
    assert b.answerable and "1.26万人" in b.answer and "6.21" not in b.answer, b.answer


@pytest.mark.integration
def test_where_a_reporter_learned_a_fact_is_no_region_of_it(place_assistant):
    a = place_assistant.ask("吴忠市集中养育孤儿的基本生活费现在每月多少？")
    assert a.answerable and "2000元" in a.answer and "单列" not in a.answer, a.answer


@pytest.mark.integration
def test_a_list_item_is_read_with_its_heading_and_lead(place_assistant):
    """· 低保对象按70%救助 under 【住院救助】 and its lead: a 住院救助比例 asked is that item's."""
    a = place_assistant.ask("西宁市低保对象住院救助比例是多少？")
    assert a.answerable and "70%" in a.answer and "55%" not in a.answer, a.answer


@pytest.mark.integration
def test_a_plan_sections_heading_says_the_year_of_its_figures(place_assistant):
    """三、2026年工作计划 in a 2025 summary: its figures answer 2026 asked, never as the summary's year's."""
    a = place_assistant.ask("晋城市2026年城市低保标准计划提高到多少？")
    assert a.answerable and "940" in a.answer, a.answer


@pytest.mark.unit
def test_a_materials_list_said_in_several_clauses_is_read_whole():
    marks = ("身份证", "户口簿", "证明", "残疾人证")
    text = "答：申请人向乡镇提出申请。需要提供身份证或户口簿、残疾人证；申请生活补贴的，还需提供低保证明。审定通过的，按月发放。"
    s = text.index("申请生活补贴的")
    a, b = marked_run(text, s, text.index("。审定") + 1, marks, 400)
    assert text[a:b] == "需要提供身份证或户口簿、残疾人证；申请生活补贴的，还需提供低保证明。"


@pytest.mark.unit
def test_a_label_with_a_figure_before_the_series_names_the_whole_no_item():
    assert series("仅5月份就受理事项2161件，办结事项2161件，其中承诺事项488件，受理事项488件，提前办结事项488件。") == []
    assert len(series("告别厅分小厅、中厅、大厅，小厅800元一次，中厅1200元一次，大厅1600元一次。")) == 3


COUNTY_OWN = {
    "yanshan_goufang.txt": (
        "铅山县延续实施购房补贴政策\n\n"
        "近日，铅山县人民政府办公室印发《关于延续实施促进铅山县房地产市场健康发展有关措施的通知》。"
        "即“凡在2023年5月10日至2024年12月31日期间，购买铅山县范围的新建商品住房的，属首次购买的，给予300元/平方米补贴；"
        "属改善型的，给予250元/平方米补贴；铅山县常住居民二孩、三孩家庭群体，购房时凭户口本或出生证明，"
        "分别给予300元/平方米、500元/平方米的补贴。上述补贴不重复享受。”\n"),
}


@pytest.mark.integration
def test_in_a_countys_own_document_a_clause_naming_it_is_not_preferred(make_answer_assistant):
    a = make_answer_assistant("county-own", COUNTY_OWN).ask("铅山县改善型购房补贴是多少？")
    assert a.answerable and "250元" in a.answer and "500元" not in a.answer, a.answer


RUN_TOGETHER = {
    "nanyang_gaoling_guide.txt": (
        "南阳市高龄津贴办事指南\n\n"
        "一、发放标准\n80—89周岁老年人每人每月60元；90—99周岁老年人每人每月120元。\n\n"
        "二、咨询电话\n宛城区民政局：0377-6311001\n卧龙区民政局：0377-6322002\n南召县民政局：0377-6633003\n"
        "方城县民政局：0377-6744004\n西峡县民政局：0377-6955005\n"),
    "zhumadian_jibao.txt": (
        "驻马店市2025年第三季度社会救助统计季报\n\n"
        "一、城乡低保\n7月份，全市城市低保对象1.52万人，农村低保对象8.71万人；\n"
        "8月份，全市城市低保对象1.50万人，农村低保对象8.66万人；\n"
        "9月份，全市城市低保对象1.49万人，农村低保对象8.62万人。\n\n"
        "二、临时救助\n全年实施临时救助1.9万人次，发放临时救助资金4100万元。\n"),
}


@pytest.fixture(scope="module")
def run_together_assistant(make_answer_assistant):
    return make_answer_assistant("run-together", {**RUN_TOGETHER, **COUNTY_OWN})


@pytest.mark.integration
def test_which_phone_asked_gets_the_countys_own_number_of_a_run_together_list(run_together_assistant):
    a = run_together_assistant.ask("南阳南召县办高龄津贴打哪个电话咨询？")
    assert a.answerable and "0377-6633003" in a.answer, a.answer
    assert not any(n in a.answer for n in ("6311001", "6322002", "6744004", "6955005")), a.answer


@pytest.mark.integration
def test_the_month_asked_is_read_before_the_documents_other_months(run_together_assistant):
    a = run_together_assistant.ask("驻马店市2025年9月份农村低保对象有多少人？")
    assert a.answerable and "8.62万人" in a.answer, a.answer


@pytest.mark.integration
def test_a_per_head_word_and_a_light_verb_are_no_measure(run_together_assistant):
    a = run_together_assistant.ask("驻马店市2025年一共做了多少人次临时救助？")  # 做: a light verb (vocabulary filler)
    assert a.answerable and "1.9万人次" in a.answer, a.answer


JINING_FAQ = {"jining_tekun_wenda.txt": (
    "济宁市特困人员救助供养政策问答\n\n"
    "问：特困人员每月的基本生活费是多少？\n\n"
    "答：基本生活标准按照不低于当地城市低保标准的1.3倍确定。2026年任城区、兖州区为每人每月1170元，"
    "曲阜市、邹城市为每人每月1105元，泗水县为每人每月1066元。\n\n"
    "问：除了基本生活费，还有照料护理费吗？\n\n"
    "答：有。照料护理标准按照生活自理能力分为三档：全自理人员每人每月150元，半护理人员每人每月520元。\n")}


def test_a_faq_replys_later_sentence_is_about_its_question_and_the_asked_places_clause_answers(make_answer_assistant):
    from assistant.answer.spans import replied_question

    text = JINING_FAQ["jining_tekun_wenda.txt"]
    assert replied_question(text, text.find("2026年任城区")) == "问：特困人员每月的基本生活费是多少？"
    assert replied_question(text, text.find("济宁市特困")) == ""
    a = make_answer_assistant("faq-places", JINING_FAQ).ask("邹城市特困人员的基本生活标准是每月多少元？")
    assert a.answerable and "1105元" in a.answer, a.answer
    assert "1170元" not in a.answer and "520元" not in a.answer, a.answer
