"""A county-level city named by its short name, over a fresh index: its own notice answers,
never another city's figures; a town of its table asked as a follow-up keeps it as parent."""
import pytest

# Places are real; figures are made up for the tests.
DOCS = {
    "qionglai_dibao.txt": (
        "邛崃市民政局关于提高城乡低保标准的通知\n\n"
        "自2024年7月1日起，全市城市低保标准提高到每人每月760元，农村低保标准提高到每人每年7320元。"
        "各镇（街道）农村低保标准如下表。\n\n"
        "镇（街道）\t农村低保年标准（元）\n"
        "临邛街道\t7320\n固驿镇\t7440\n羊安街道\t7380\n"),
    "jiaozuo_dibao.txt": (
        "焦作市民政局关于提高城乡低保标准的通知\n\n"
        "全市城市低保标准提高到每人每月680元，农村低保标准提高到每人每年5280元。\n"),
    "luohe_dibao.txt": (
        "漯河市民政局关于调整城乡低保标准的通知\n\n"
        "全市城市低保标准调整为每人每月650元，农村低保标准调整为每人每年5160元。\n"),
}


@pytest.fixture(scope="module")
def short_place_assistant(make_answer_assistant):
    return make_answer_assistant("short-places", DOCS)


@pytest.mark.parametrize("question, figure", [
    ("邛崃低保标准是多少？", "760元"),
    ("邛崃农村低保标准每年多少钱？", "7320元"),
    ("邛崃哪个乡镇的农村低保标准最高？", "7440"),
])
def test_a_county_level_citys_short_name_scopes_the_answer(short_place_assistant, question, figure):
    a = short_place_assistant.ask(question)
    assert a.answerable and figure in a.answer, a.answer
    assert not any(other in a.answer for other in ("680", "5280", "650", "5160", "焦作", "漯河")), a.answer


def test_a_town_asked_after_its_county_keeps_the_county(short_place_assistant):
    a = short_place_assistant.ask("那固驿镇呢？", history=["邛崃农村低保标准每年多少钱？"])
    assert a.answerable and "7440" in a.answer, a.answer
    assert not any(other in a.answer for other in ("5280", "5160")), a.answer
