"""What the lead before a table or a list says: a table introduced as another benefit's (its base
benefit named only in a reference phrase) answers no question about the base; a row asked 从多少提高到多少
is answered with its earlier column beside the current one; a lead ending on a colon is read with
the items that follow it, each a paragraph of its own (an .html list). Documents made up for the test (real
places, invented figures)."""
from __future__ import annotations

import pytest

from assistant.answer.tables import from_to_asked

DOCS = {
    "zhaoqing_tekun.txt": (
        "肇庆市民政局关于调整特困人员救助供养标准的通知\n\n"
        "一、基本生活标准\n"
        "特困人员基本生活标准按不低于当地低保标准的1.5倍确定。调整后各地特困人员基本生活标准如下表：\n\n"
        "地区\t原标准（元/人·月）\t新标准（元/人·月）\n"
        "端州区\t1410\t1470\n广宁县\t1380\t1446\n德庆县\t1374\t1440\n\n"
        "三、其他事项\n特困人员死亡后，丧葬费用按规定一次性给予补助。\n"),
    "yunfu_tekun.html": (
        "<html><head><meta charset=\"utf-8\"><title>云浮市民政局关于特困人员照料护理标准的通知</title></head><body>"
        "<h1>云浮市民政局关于特困人员照料护理标准的通知</h1>"
        "<h2>一、照料护理标准</h2>"
        "<p>照料护理标准根据特困人员生活自理能力评估结果分档确定，全市统一执行：</p><ul>"
        "<li>具备生活自理能力的：每人每月按当地最低工资标准的6%发放；</li>"
        "<li>部分丧失生活自理能力的：每人每月按当地最低工资标准的25%发放；</li>"
        "<li>完全丧失生活自理能力的：每人每月按当地最低工资标准的55%发放。</li></ul>"
        "<h2>二、其他事项</h2><ul><li>特困人员死亡后，丧葬费用按当地上年度职工月平均工资的6个月标准一次性给予补助。</li>"
        "<li>集中供养特困人员的基本生活费和照料护理费，按月拨付给供养服务机构。</li></ul></body></html>"),
    "ganzhou_biao.txt": (
        "赣州市2025年各县（区）社会救助保障标准一览表\n\n"
        "经市人民政府同意，2025年全市城乡低保、特困人员基本生活和孤儿基本生活保障标准按下表执行。\n\n"
        "县（区）\t城市低保（元/月）\t农村低保（元/月）\t特困基本生活（元/月）\t散居孤儿（元/月）\n"
        "章贡区\t910\t705\t1183\t1400\n南康区\t880\t690\t1144\t1400\n信丰县\t870\t680\t1131\t1400\n"),
    "hanzhong_dibao.txt": (
        "汉中市民政局关于提高城乡低保标准的通知\n\n"
        "各县（区）城市低保标准和农村低保标准调整如下表：\n\n"
        "县（区）\t城市低保原标准\t城市低保新标准\t农村低保原标准\t农村低保新标准\n"
        "汉台区\t735\t770\t5220\t5520\n南郑区\t725\t760\t5100\t5400\n城固县\t720\t755\t5040\t5340\n\n"
        "低保金按月足额发放到每人社会保障卡。\n"),
}


@pytest.mark.unit
def test_from_to_is_asked_by_its_words():
    assert from_to_asked("城固县农村低保标准从多少提高到多少？")
    assert from_to_asked("城市低保调整前后分别是多少？")
    assert not from_to_asked("城固县农村低保调整前是多少？")


@pytest.fixture(scope="module")
def lead_assistant(make_answer_assistant):
    return make_answer_assistant("lead-kinds", DOCS)


@pytest.mark.integration
def test_a_table_introduced_as_another_benefits_never_answers_its_base(lead_assistant):
    a = lead_assistant.ask("肇庆市广宁县的城市低保标准是每月多少？")
    assert "1446" not in a.answer and "1380" not in a.answer, a.answer
    b = lead_assistant.ask("肇庆市广宁县特困人员基本生活标准是每月多少？")
    assert b.answerable and "1446" in b.answer, b.answer


@pytest.mark.integration
@pytest.mark.parametrize("question,keys", [
    ("汉中市城固县农村低保标准从多少提高到多少？", ("5040", "5340")),
    ("汉中市南郑区城市低保调整前后分别是多少？", ("725", "760")),
])
def test_a_row_asked_from_and_to_gets_both_columns(lead_assistant, question, keys):
    a = lead_assistant.ask(question)
    assert a.answerable and all(k in a.answer for k in keys), a.answer
    assert a.answer.index(keys[0]) < a.answer.index(keys[1])  # the earlier value first


@pytest.mark.integration
def test_a_colon_lead_is_read_with_its_items(lead_assistant):
    a = lead_assistant.ask("云浮市完全丧失生活自理能力的特困人员照料护理标准怎么定？")
    assert a.answerable and "55%" in a.answer, a.answer
    assert "丧葬" not in a.answer  # the list ends where the next section starts


@pytest.mark.integration
def test_a_standard_asked_fits_a_column_headed_by_the_standard(lead_assistant):
    """调整后的…基本生活标准是多少 names no period and no column word but 标准: the 新标准 column."""
    a = lead_assistant.ask("肇庆市广宁县调整后的特困人员基本生活标准是多少？")
    assert a.answerable and "1446" in a.answer and "1380" not in a.answer, a.answer


BURIAL = {
    "yulin_binzang_guide.txt": (
        "玉林市惠民殡葬政策办事指南\n\n"
        "一、奖补标准\n对自愿选择骨灰撒散、树葬、花坛葬等节地生态安葬方式的，每例另给予一次性奖补900元。\n\n"
        "二、申请材料\n逝者死亡证明、火化证明和申请人身份证。\n"),
    "noregion_binzang_jiedu.txt": (
        "惠民殡葬政策解读\n\n"
        "问：什么是节地生态安葬？\n"
        "答：选择骨灰撒散、海葬、树葬、花坛葬等不保留骨灰的生态安葬方式的，多数地方给予一次性奖补，具体金额以当地公布的标准为准。\n"),
}


@pytest.fixture(scope="module")
def burial_assistant(make_answer_assistant):
    return make_answer_assistant("burial-kinds", {**DOCS, **BURIAL})  # other documents: the words' IDF as in a library


@pytest.mark.integration
def test_an_alternative_the_figures_list_leaves_out_gets_no_figure(burial_assistant):
    """海葬 asked: one document's reward lists 骨灰撒散、树葬、花坛葬 without it, another lists 海葬 beside
    them with no figure — the reward is not said of 海葬; 树葬 asked is answered."""
    a = burial_assistant.ask("选择海葬的一次性奖补具体是多少钱？")
    assert not a.answerable and "900" not in a.answer and "海葬" in a.answer, a.answer
    b = burial_assistant.ask("选择树葬的一次性奖补具体是多少钱？")
    assert b.answerable and "900元" in b.answer, b.answer


@pytest.mark.integration
def test_a_per_head_period_word_is_no_measure_of_a_table_cell(lead_assistant):
    """城市低保每人每月是多少钱: 每人 and 每月 say the figure's unit; 低保 is what is asked (the 新标准 column)."""
    a = lead_assistant.ask("汉中市城固县这次调整后城市低保每人每月是多少钱？")
    assert a.answerable and "755" in a.answer and "720" not in a.answer, a.answer


@pytest.mark.integration
def test_a_county_by_benefit_tables_column_is_the_benefit_asked(lead_assistant):
    """特困供养基本生活费 asked of a county × benefit table whose headers share only 元/月 with it: the 特困
    column, never the last column that fits the period (散居孤儿)."""
    a = lead_assistant.ask("赣州信丰县的特困供养基本生活费一个月多少？")
    assert a.answerable and "1131" in a.answer and "1400" not in a.answer, a.answer
