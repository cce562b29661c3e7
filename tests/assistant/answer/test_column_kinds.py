"""Kinds of wrong answer fresh office documents showed: a table's before/after columns, a 分别
list of care levels, two benefits sharing grade labels. Documents written for these tests (real
places, made-up figures)."""
import pytest

from assistant.answer.tables import parse_tables, period_columns

BEFORE_AFTER = ("县（市、区）\t城市低保月标准（元）\t农村低保年标准（元）\t调整前农村低保年标准（元）\n"
                "汇川区\t790\t6100\t5700\n桐梓县\t760\t5650\t5300\n绥阳县\t765\t5700\t5250\n")

DOCS = {
    "zunyi_dibao.txt": (
        "遵义市民政局关于提高2024年城乡低保标准的通知\n\n"
        "全市城市低保标准不低于每人每月760元，农村低保标准不低于每人每年5600元。各县（市、区）标准见下表。\n\n"
        + BEFORE_AFTER),
    "zhangye_tekun.txt": (
        "张掖市特困人员救助供养实施办法\n\n"
        "第六条　特困人员基本生活标准为每人每月1100元。\n"
        "第七条　照料护理标准按生活自理能力分三档：生活能够自理的，按基本生活标准的8%确定；"
        "部分丧失生活自理能力的，按基本生活标准的25%确定；完全丧失生活自理能力的，按基本生活标准的50%确定。"
        "2024年三档标准分别为每人每月88元、275元、550元。\n"),
    "ankang_yiliao.txt": (
        "安康市2024年医疗救助待遇标准\n\n现将2024年全市医疗救助待遇标准公布如下。\n\n"
        "救助对象\t住院救助比例\t年度住院救助限额（元）\n特困人员\t100%\t不设限额\n"
        "低保对象\t70%\t50000\n低收入人口\t60%\t30000\n\n"
        "住院救助起付标准：特困人员、低保对象不设起付线；低收入人口起付标准为3000元。\n"),
}


def test_a_column_period_role_is_read_from_its_header():
    (t,) = parse_tables(BEFORE_AFTER)
    cols = t.value_columns()
    assert period_columns(t, cols, "桐梓县现在农村低保一年多少钱") == [1, 2]
    assert period_columns(t, cols, "桐梓县提标前农村低保一年多少钱") == [3]
    assert period_columns(t, cols, "桐梓县原来的农村低保标准") == [3]
    plain = parse_tables("县\t农村低保年标准（元）\n甲县\t5000\n乙县\t5100")[0]
    assert period_columns(plain, plain.value_columns(), "甲县调整前农村低保多少") == []
    raised = parse_tables("县\t提高前月标准（元）\t月标准（元）\n甲县\t700\t750\n乙县\t690\t740")[0]
    assert period_columns(raised, raised.value_columns(), "甲县提高前每月多少") == [1]
    assert period_columns(raised, raised.value_columns(), "甲县每月多少") == [2]


@pytest.fixture(scope="module")
def columns(make_answer_assistant):
    return make_answer_assistant("column-kinds", DOCS)


def test_the_current_figure_asked_is_the_current_column(columns):
    a = columns.ask("我家在桐梓县农村，现在低保标准一年是多少？")
    assert a.answerable and "5650" in a.answer and "5300" not in a.answer
    b = columns.ask("遵义哪个县的农村低保标准最低？")
    assert b.answerable and "桐梓县" in b.answer and "绥阳县" not in b.answer


def test_the_earlier_figure_asked_is_the_before_column(columns):
    a = columns.ask("绥阳县提标前农村低保一年多少钱？")
    assert a.answerable and "5250" in a.answer and "5700" not in a.answer


def test_a_respective_list_maps_its_figures_to_the_levels_named_before_it(columns):
    a = columns.ask("张掖完全丧失生活自理能力的特困人员照料护理标准每月多少？")
    assert a.answerable and "550" in a.answer and "1100" not in a.answer
    b = columns.ask("我姑姑在张掖是特困人员，部分不能自理了，每个月护理费有多少？")
    assert "1100" not in b.answer and "姑姑" not in b.answer
    assert b.answerable and "275" in b.answer


def test_a_cell_of_another_measure_never_answers_the_measure_asked(columns):
    a = columns.ask("安康低收入人口住院救助起付标准是多少？")
    assert "30000" not in a.answer
    assert a.answerable and "3000元" in a.answer
    b = columns.ask("安康低保对象年度住院救助限额是多少？")
    assert b.answerable and "50000" in b.answer
