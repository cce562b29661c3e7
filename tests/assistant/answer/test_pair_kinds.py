"""A question joining two things and asking each (审核和审批各要多少个工作日, 法定和承诺办结时限分别是多少)
is answered by a fact for each, in the question's order, not by one of them; a difference asked
(城市比农村高多少) is answered by both sides' figures, or, with one side's alone, not answered
(holdout13's kinds). Documents written for these tests (made-up figures)."""
import pytest

DOCS = {
    "yidu_faq.txt": (
        "宜都市临时救助政策问答\n\n"
        "问：申请临时救助要多长时间？\n"
        "答：乡镇人民政府（街道办事处）自受理申请之日起5个工作日内完成审核；"
        "市民政局自收到审核意见之日起3个工作日内作出审批决定。\n"),
    "puyang_zhinan.txt": (
        "濮阳县孤儿基本生活费申领办事指南\n\n"
        "一、办理时限\n\n法定办结时限：30个工作日；承诺办结时限：20个工作日。\n\n"
        "二、咨询电话\n\n0393-3212345\n"),
    "guangxi_tekun.txt": (
        "广西壮族自治区民政厅关于公布2026年特困人员基本生活标准的通知\n\n"
        "2026年各县特困人员基本生活标准（单位：元/人·月）\n\n"
        "县\t城市低保标准\t城市特困人员基本生活标准\t农村低保标准\t农村特困人员基本生活标准\n"
        "隆安县\t750\t975\t710\t923\n马山县\t740\t962\t700\t910\n"),
    "wuhu_2023.txt": ("芜湖市2023年城乡低保标准调整情况\n\n芜湖市民政局\n\n"
                      "经市政府同意，自2023年7月1日起，芜湖市区城乡低保标准由每人每月835元提高到每人每月890元。\n"),
    "wuhu_2024.txt": ("芜湖市关于2024年提高城乡低保标准的通知\n\n芜湖市民政局 芜湖市财政局\n\n"
                      "各县（市）区民政局、财政局：经市政府同意，自2024年7月1日起，芜湖市区城乡低保标准由每人每月890元"
                      "提高到每人每月940元。\n\n芜湖市民政局 芜湖市财政局\n2024年6月20日\n"),
    "xinyu_tekun.txt": ("新余市特困人员认定办法\n\n"
                        "第五条　符合下列情形之一的，应当认定为无劳动能力：（一）60周岁以上的老年人；（二）未满16周岁的未成年人；"
                        "（三）残疾等级为一、二、三级的智力、精神残疾人。\n"),
    "dabu_yiliao.txt": (
        "大埔县医疗救助实施办法解读\n\n"
        "因病致贫重病患者的医疗救助起付线为6500元，大约相当于上年度全县居民人均可支配收入的25%，低保边缘家庭成员的起付线另行公布。\n"),
}


@pytest.fixture(scope="module")
def pairs(make_answer_assistant):
    return make_answer_assistant("pair-kinds", DOCS)


def test_two_steps_asked_each_get_both_limits_in_the_questions_order(pairs):
    a = pairs.ask("在宜都市申请临时救助，审核和审批各要多少个工作日？")
    assert a.answerable and len(a.citations) == 2
    assert a.answer.index("5个工作日内完成审核") < a.answer.index("3个工作日内作出审批决定")


def test_two_limits_named_before_their_figures_are_both_said(pairs):
    a = pairs.ask("濮阳县孤儿基本生活费的法定办结时限和承诺办结时限分别是多少？")
    assert a.answerable and "30个工作日" in a.answer and "20个工作日" in a.answer


def test_one_step_asked_gets_its_own_limit_alone(pairs):
    a = pairs.ask("在宜都市申请临时救助，审批要几个工作日？")
    assert a.answerable and "3个工作日内作出审批决定" in a.answer and len(a.citations) == 1


def test_a_difference_asked_of_a_tables_row_is_answered_by_both_columns(pairs):
    a = pairs.ask("隆安县2026年城市特困人员基本生活标准比农村高多少？")
    assert a.answerable and "975" in a.answer and "923" in a.answer


def test_a_difference_asked_with_one_side_found_is_no_answer(pairs):
    a = pairs.ask("大埔县因病致贫重病患者的医疗救助起付线比低保边缘家庭成员高多少？")
    assert not a.answerable and "6500元" in a.answer and "只找到其中一方" in a.answer


def test_a_year_against_another_is_answered_by_the_first_years_change(pairs):
    a = pairs.ask("芜湖市区低保2024年比2023年提高了多少？")
    assert a.answerable and "940元" in a.answer and "835元" not in a.answer


def test_an_age_asked_of_two_joined_groups_is_each_groups_age(pairs):
    # no 各 / 分别: an age asked of two things is asked of each
    a = pairs.ask("新余市特困人员认定中，多大年龄的老年人和未成年人算无劳动能力？")
    assert a.answerable and "60周岁以上" in a.answer and "未满16周岁" in a.answer


def test_a_look_back_window_asked_in_its_own_words_is_the_duration_asked():
    # 最近12个月内 points at a stretch past; asked 最近多长时间内, it is exactly what is asked
    from types import SimpleNamespace

    from assistant.answer.stages import duration_said
    text = "刚性支出困难家庭是指家庭财产状况符合规定，最近12个月内因病、因学等刚性支出较大的家庭。"
    at = text.index("12个月")
    f = SimpleNamespace(start=at, end=at + len("12个月"))
    assert duration_said(text, f, "认定时看的是最近多长时间内的刚性支出？") == 2.0
    assert duration_said(text, f, "渐退期是几个月？") == 0.3
