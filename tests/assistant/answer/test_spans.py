"""How an answer line is put together (answer.spans): the region is never glued in front of a quote
that does not start with its subject (a heading number, a pronoun or connective, a page label, a
materials list), one full stop ends a line, and a quoted clause never stops inside a duration
phrase (3个工作日 | 内作出审批决定). Documents and sentences written for these tests (real places,
made-up figures); each test checks the other side too: the quote's own word for its place (全市)
still becomes the region, the cited span stays verbatim."""
from __future__ import annotations

import pytest

from assistant.answer.spans import heading_before, lead_with_region, run_lead, whole_duration, with_extension


@pytest.mark.parametrize("quote, said", [
    ("四、新标准自2025年7月1日起执行", "四、新标准自2025年7月1日起执行"),
    ("这是民政部继2018年之后开展的第3次专项行动", "这是民政部继2018年之后开展的第3次专项行动"),
    ("此外，城市特困人员按低保标准的1.3倍确定", "此外，城市特困人员按低保标准的1.3倍确定"),
    ("申请人身份证、户口簿和免冠照片一张。", "申请人身份证、户口簿和免冠照片一张"),
    ("2024-05-06 10:00，正文：原标题：打击整治养老诈骗专项行动启动", "打击整治养老诈骗专项行动启动"),
    ("正文：打击整治养老诈骗专项行动启动", "打击整治养老诈骗专项行动启动"),
])
def test_no_region_glued_before_a_quote_not_led_by_its_subject(quote, said):
    assert lead_with_region(quote, "南充市阆中市") == said


def test_the_quotes_own_word_for_its_place_becomes_the_region():
    assert lead_with_region("全市城市低保标准为每人每月750元。", "南充市") == "南充市城市低保标准为每人每月750元"
    assert lead_with_region("今年以来，全市新增低保对象120户", "南充市") == "今年以来，南充市新增低保对象120户"
    assert lead_with_region("答：需要提供户口簿。", "") == "需要提供户口簿"  # a FAQ's label, one stop


def test_a_clause_is_not_cut_inside_a_duration_phrase():
    text = "乡镇（街道）在5个工作日内完成审核，区民政局在3个工作日内作出审批决定。"
    cut = text.index("3个工作日") + len("3个工作日")
    assert text[:whole_duration(text, cut)].endswith("3个工作日内作出审批决定")
    whole = text.index("。")
    assert whole_duration(text, whole) == whole  # a span ending at its clause's end stays
    other = "发放补助500元内容另行通知"  # 内 after a figure that is no duration: not extended
    assert whole_duration(other, other.index("元") + 1) == other.index("元") + 1


DOCS = {
    "baise_linshi.txt": (
        "百色市右江区临时救助办事指南\n\n"
        "一、办理时限\n乡镇（街道）在5个工作日内完成审核，区民政局在3个工作日内作出审批决定。\n"
        "二、申请材料\n申请人需提交申请书、户口簿和近期免冠照片一张。\n"),
    "langzhong_dibao.txt": (
        "南充市阆中市民政局关于调整城乡低保标准的通知\n\n"
        "一、城市低保标准由每人每月700元提高到每人每月750元。\n"
        "四、新标准自2025年7月1日起执行。\n"),
    "quanguo_zhengzhi.txt": (
        "打击整治养老诈骗专项行动\n\n"
        "2024-05-06 10:00，正文：打击整治养老诈骗专项行动在全国启动。"
        "这是民政部继2018年、2021年之后开展的第3次专项行动，为期6个月。\n"),
}


@pytest.fixture(scope="module")
def wording_assistant(make_answer_assistant):
    return make_answer_assistant("wording", DOCS)


@pytest.mark.parametrize("question, line", [
    ("右江区临时救助审批要多长时间？", "3个工作日内作出审批决定[1]（百色市右江区"),
    ("右江区临时救助需要什么材料？", "免冠照片一张[1]（百色市右江区"),
    ("阆中市新标准什么时候开始执行？", "四、新标准自2025年7月1日起执行[1]（南充市阆中市"),
    ("养老诈骗专项行动为期多久？", "这是民政部继2018年、2021年之后开展的第3次专项行动，为期6个月[1]（全国"),
])
def test_answer_lines_read_right(wording_assistant, question, line):
    a = wording_assistant.ask(question)
    assert a.answerable and line in a.answer, a.answer
    assert "。[" not in a.answer and "。。" not in a.answer and not a.answer.endswith("）。。")
    first = a.answer.split("[1]")[0]
    assert not first.startswith(("百色市右江区", "南充市阆中市", "全国")), a.answer  # no region glued on
    assert a.citations[0].text in DOCS[a.citations[0].source]  # the cited span verbatim


@pytest.mark.unit
def test_a_list_items_heading_is_above_the_items_before_it_and_their_lead():
    text = ("【参保资助】\n特困人员个人缴费部分给予全额资助。\n\n【住院救助】\n经基本医保报销后，个人自付费用：\n"
            "· 特困人员按100%救助；\n· 低保对象按70%救助；\n· 低保边缘家庭成员按55%救助。\n")
    assert heading_before(text, text.index("· 低保对象")) == "【住院救助】 经基本医保报销后，个人自付费用："
    assert heading_before(text, text.index("经基本医保")) == "【住院救助】"
    assert heading_before(text, text.index("特困人员个人")) == "【参保资助】"
    items = "申请材料如下：\n1.身份证；\n2.户口簿。\n"
    assert heading_before(items, items.index("2.户口簿")) == "申请材料如下："  # a lead with no heading above


@pytest.mark.unit
def test_bulleted_items_are_no_headings_and_are_read_up_to_theirs():
    text = "【救助对象】\n· 特困人员\n· 低保对象\n\n【门诊和住院救助】\n· 特困人员：按80%救助，年度限额6万元\n· 低保对象：按70%救助，年度限额5万元\n"
    assert heading_before(text, text.index("· 低保对象\n")) == "【救助对象】"  # never · 特困人员
    assert heading_before(text, text.index("· 低保对象：")) == "【门诊和住院救助】"


@pytest.mark.parametrize("text, cut, quoted", [
    # the extension right after the limit, and after a condition clause (made-up 细则 wording)
    ("区民政局应当自收到材料之日起7个工作日内作出决定，情况复杂的可以延长至12个工作日。其他事项另行规定。",
     "作出决定", "作出决定，情况复杂的可以延长至12个工作日"),
    ("应在受理之日起3个工作日内出具报告；需要异地协查的，可延长至8个工作日。",
     "出具报告", "出具报告；需要异地协查的，可延长至8个工作日"),
    # another limit of another step is no extension: the span stays
    ("乡镇应在10个工作日内完成调查，县级应在5个工作日内作出决定。", "完成调查", "完成调查"),
])
def test_a_time_limit_is_quoted_with_what_extends_it(text, cut, quoted):
    end = text.index(cut) + len(cut)
    assert text[:with_extension(text, end)].endswith(quoted)


def test_a_runs_lead_is_above_its_items_own_labels():
    # 1．80—89周岁：…；2．90—99周岁：…: each item's band label ends with a colon of its own, no lead
    text = "发放标准如下：1．80—89周岁：每人每月100元；2．90—99周岁：每人每月300元；3．100周岁及以上：每人每月1000元。"
    a, b = run_lead(text, text.index("3．100"))
    assert text[a:b] == "发放标准如下："
