"""The event a when / how-long question asks (answer.events): a date or time limit answers it only
when its own clause says that event. Documents made up for the test (invented places, figures)."""
from __future__ import annotations

import pytest

from assistant.answer.asked import understand_text
from assistant.answer.events import event_of

DOCS = {
    "qingshui_guer.txt": (
        "青水市民政局关于孤儿基本生活费发放的通知\n\n"
        "一、标准\n社会散居孤儿基本生活费每人每月1380元。\n\n"
        "二、发放\n各县民政局于每月15日前将基本生活费打入监护人银行账户。\n"),
    "lanshan_bianyuan.txt": (
        "蓝山县低收入家庭认定问答\n\n"
        "问：多长时间办结？\n"
        "答：乡镇自受理之日起8个工作日内完成入户调查，县民政局在4个工作日内完成认定。"
        "认定结果有效期一般为2年，期满后重新核对。\n"),
    "qinghe_zangjiang.txt": (
        "生态安葬奖补办事指南\n\n"
        "办理时限：生态安葬奖补自受理之日起6个工作日内审核，审核通过后12个工作日内发放到家属账户。"
        "家属应在安葬之日起45日内，向所在乡镇提出申请。\n"),
}


@pytest.mark.unit
@pytest.mark.parametrize("question,event", [
    ("审核通过后多少天内把钱发放下来？", "发放"),
    ("申请以后大概多久能办完？", "办结"),
    ("公示期是几天？", None),  # no asking word next to an event word but 公示 itself
    ("每人每月多少钱？", None),
])
def test_the_event_asked_is_the_one_said_by_the_asking_word(question, event):
    asked = understand_text(question)
    if event is None and asked.kind not in ("when", "duration"):
        assert asked.event is None
    elif event is not None:
        assert asked.event == event


@pytest.mark.unit
def test_a_time_it_runs_from_is_no_event_asked():
    assert event_of("审核通过后几天发放？", ("几天",)) == "发放"
    assert understand_text("办理时限是多少？").event is None  # the asking word itself is no event
    assert event_of("某市低保审核确认实施细则从哪天起施行？", ("哪天",)) is None  # 审核 names the title, far away


@pytest.fixture(scope="module")
def events_assistant(make_answer_assistant):
    return make_answer_assistant("event-kinds", DOCS)


@pytest.mark.integration
def test_a_validity_period_does_not_answer_how_long_processing_takes(events_assistant):
    a = events_assistant.ask("蓝山县低收入家庭认定一般多长时间能办完？")
    assert a.answerable and "8个工作日" in a.answer.splitlines()[0]


@pytest.mark.integration
def test_a_review_limit_does_not_answer_when_payment_follows(events_assistant):
    a = events_assistant.ask("生态安葬奖补审核通过后多长时间内发放？")
    assert a.answerable and "12个工作日" in a.answer.splitlines()[0]
    assert "6个工作日" not in a.answer.splitlines()[0]


@pytest.mark.integration
def test_a_limit_is_read_on_to_the_figure_free_clause_after_it(events_assistant):
    a = events_assistant.ask("生态安葬奖补要在安葬后多少天内申请？")
    assert a.answerable and "45日" in a.answer.splitlines()[0]
