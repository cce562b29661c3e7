"""Kinds where the qualifier asked chooses between figures of one paragraph, sentence or table
(holdout5's clean measurement, session 8): the whole procedure's time limit, not a stage's; a care
level the table or sentence lacks, asked in Chinese or in English, refused; a benefit named only
as the base of a multiple, not answered by the other benefit's figure; a count of one provision
(分散供养) not answered by the whole's count nor by the provision's monthly amount; a rise asked
answered by a table's change column (较上年提高). Documents made up for the
test (real places, made-up sentences and figures)."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration

DOCS = {
    "nanping_canbu.txt": (
        "南平市残疾人两项补贴办事指南\n\n"
        "一、申请条件\n具有本市户籍的困难残疾人和重度残疾人。\n\n"
        "二、补贴标准\n困难残疾人生活补贴每人每月90元，重度残疾人护理补贴每人每月100元。\n\n"
        "三、办理时限\n乡镇（街道）初审10个工作日，县残联审核5个工作日，县民政局审批3个工作日，"
        "全程不超过18个工作日。\n\n"
        "四、咨询电话\n0599-8123456。\n"),
    "jiujiang_linshi.txt": (
        "九江市临时救助办理流程\n\n"
        "申请人向乡镇（街道）提出申请，乡镇（街道）应在7个工作日内完成初审并公示，公示期为5天；"
        "县民政局在收到材料之日起6个工作日内作出审批决定。\n"),
    "ganzhou_tekun.txt": (
        "赣州市特困人员救助供养政策问答\n\n"
        "问：城市特困人员基本生活标准是多少？\n"
        "答：城市特困人员基本生活标准按不低于当地城市低保标准的1.3倍确定，为每人每月1066元。\n"
        "问：照料护理标准是多少？\n"
        "答：照料护理标准按护理等级确定，全自理人员每人每月135元，全护理人员每人每月1180元。\n"),
    "huaihua_tekun.txt": (
        "怀化市特困人员救助供养政策问答\n\n"
        "问：特困人员基本生活标准是多少？\n"
        "答：2025年全市特困人员基本生活标准为每人每月1012元，按不低于当地城市低保标准的1.3倍确定。\n"),
    "shebao_notice.txt": (
        "关于阶段性减免企业失业保险费的通知\n\n"
        "二、自2022年3月起，江西省可免征各类参保单位三项社会保险单位缴费部分，免征期限不超过4个月。\n"),
    "fujian_tekun_table.txt": (
        "福建省民政厅关于公布2025年各设区市特困人员供养标准的通知\n\n"
        "设区市\t特困人员基本生活标准（元/月）\t全护理标准（元/月）\t较上年提高（元）\n"
        "莆田市\t1090\t1320\t45\n宁德市\t1050\t1290\t38\n龙岩市\t1010\t1260\t30\n"
        "注：半护理标准由各设区市自定，本表未列。\n"),
    "shangrao_summary.txt": (
        "上饶市民政局2025年上半年民政工作总结\n\n一、兜底保障\n"
        "全市纳入特困供养1126人。其中集中供养218人、分散供养908人。累计发放特困供养金1560万元。\n"),
    "jian_summary.txt": (
        "吉安市民政局2025年上半年工作总结\n\n"
        "上半年，全市共有特困人员1243人，其中集中供养305人、分散供养938人，发放供养资金2100万元。\n"
        "分散供养特困人员基本生活标准为每人每月1050元。\n"),
}


@pytest.fixture(scope="module")
def kinds_assistant(make_answer_assistant):
    return make_answer_assistant("qualifier-kinds", DOCS)


def first_line(a) -> str:
    return a.answer.splitlines()[0]


def test_the_whole_limit_asked_is_the_whole_not_a_stage(kinds_assistant):
    a = kinds_assistant.ask("南平市残疾人两项补贴全程不超过多少个工作日？")
    assert a.answerable and "18个工作日" in first_line(a) and "10个工作日" not in first_line(a)
    # a stage asked is still that stage's limit
    own = kinds_assistant.ask("南平市残疾人两项补贴初审要几个工作日？")
    assert own.answerable and "10个工作日" in first_line(own) and "18个工作日" not in first_line(own)


def test_no_qualifier_gives_every_limit_with_the_whole(kinds_assistant):
    a = kinds_assistant.ask("南平市残疾人两项补贴办理时限是多少？")
    assert a.answerable and "10个工作日" in first_line(a) and "18个工作日" in first_line(a)


def test_the_whole_asked_where_only_stages_are_given_is_refused(kinds_assistant):
    a = kinds_assistant.ask("九江市临时救助全部办完要多少个工作日？")
    assert not a.answerable and "7个工作日" not in a.answer and "6个工作日" not in a.answer


def test_a_care_level_the_table_lacks_is_refused(kinds_assistant):
    a = kinds_assistant.ask("莆田市半护理标准是多少？")
    assert not a.answerable and "1320" not in a.answer and "1090" not in a.answer
    own = kinds_assistant.ask("莆田市全护理标准是多少？")
    assert own.answerable and "1320" in first_line(own)


@pytest.mark.parametrize("question", [
    "What is the monthly care standard for semi-care persons in Ganzhou?",
    "What is the care standard for partially dependent persons in Ganzhou?",
    "赣州市半护理人员照料护理标准是多少？",
])
def test_a_care_level_the_sentence_lacks_is_refused(kinds_assistant, question):
    a = kinds_assistant.ask(question)
    assert not a.answerable and "1066" not in a.answer and "1180" not in a.answer and "135" not in a.answer


def test_a_care_level_asked_in_english_reaches_the_level(kinds_assistant):
    a = kinds_assistant.ask("What is the monthly care standard for fully self-care persons in Ganzhou?")
    assert a.answerable and "135" in a.answer and "1066" not in a.answer


def test_the_base_of_a_multiple_is_not_answered_by_the_multiple(kinds_assistant):
    a = kinds_assistant.ask("赣州市城市低保标准每月多少？")
    assert not a.answerable and "1066" not in a.answer
    own = kinds_assistant.ask("赣州市城市特困人员基本生活标准是多少？")
    assert own.answerable and "1066" in first_line(own)
    # the multiple said after the figure
    after = kinds_assistant.ask("怀化市城市低保标准每月多少？")
    assert not after.answerable and "1012" not in after.answer
    level = kinds_assistant.ask("怀化市特困人员基本生活标准是多少？")
    assert level.answerable and "1012" in first_line(level)


def test_a_provision_asked_is_not_answered_by_the_whole(kinds_assistant):
    a = kinds_assistant.ask("上饶市分散供养特困人员有多少人？")
    assert a.answerable and "908人" in first_line(a) and "1126" not in a.answer


def test_a_count_of_a_provision_is_no_amount_of_it(kinds_assistant):
    a = kinds_assistant.ask("吉安市分散供养特困人员有多少人？")
    assert a.answerable and "938人" in first_line(a) and "1050" not in a.answer


def test_a_rise_asked_is_the_change_column(kinds_assistant):
    a = kinds_assistant.ask("宁德市特困人员基本生活标准较上年提高了多少？")
    assert a.answerable and "38元" in first_line(a) and "1050" not in first_line(a)
    level = kinds_assistant.ask("宁德市特困人员基本生活标准是多少？")
    assert level.answerable and "1050" in first_line(level) and "38" not in first_line(level)


def test_a_cap_limit_keeps_the_clause_naming_the_place_asked(kinds_assistant):
    # a 不超过 limit now read as a duration: its quote keeps the clause saying whose limit it is
    a = kinds_assistant.ask("江西省免征参保单位社会保险缴费期限为多久？")
    assert a.answerable and "4个月" in a.answer and "江西省可免征" in a.answer and "单列" not in a.answer, a.answer
