"""What a question says in other words than its document, and the documents in other places
than the cited words (holdout6, measured clean in session 9, found these kinds):
- a narrowing word (比上年) said by the cited cell's column header (较上年…提高（元）), not its row;
- 上大学 asked, 全日制普通高等学校 said (a synonym the narrowing check did not know);
- an age said as a bare number (我姥姥今年92，…);
- an age in English (aged 90 to 99, a 92-year-old), which selected no band, so the English first
  line stated the first band's figure;
- a time limit whose stage is said after it (15个工作日内完成调查审核，…公示7个工作日): the clause read only
  up to the figure, so another limit of the sentence answered (holdout4, session 9).
Documents made up for the test (real places, made-up sentences and figures)."""
from __future__ import annotations

import pytest

from ingest.document import DocMeta, Document
from assistant.answer.asked import age_stated
from assistant.answer.facts import extract_facts
from assistant.query import gloss_english

DOCS = {
    "yueyang_dibao.txt": (
        "岳阳市民政局关于公布2026年各县（市、区）城乡低保标准的通知\n\n各县（市、区）民政局：\n\n"
        "现将调整后的城乡低保标准公布如下：\n\n"
        "县（市、区）\t城市低保月标准（元）\t农村低保年标准（元）\t较上年城市低保提高（元）\t较上年农村低保提高（元）\n"
        "平江县\t720\t5760\t25\t240\n汨罗市\t740\t5880\t30\t300\n华容县\t715\t5700\t20\t180\n\n"
        "岳阳市民政局\n2026年1月5日\n"),
    "yiyang_guer.txt": (
        "益阳市孤儿保障工作通知\n\n一、社会散居孤儿基本生活费每人每月1300元。\n\n"
        "对考入全日制普通高等学校的孤儿，每人每年发放助学金6000元。\n\n"
        "益阳市民政局\n2026年2月1日\n"),
    "liling_gaoling.txt": (
        "醴陵市高龄津贴发放办法\n\n一、发放标准：80—89周岁老年人每人每月80元；90—99周岁老年人每人每月180元；"
        "100周岁及以上老年人每人每月600元。\n\n二、本办法自2026年1月1日起施行。\n\n醴陵市民政局\n2025年12月8日\n"),
    "chenzhou_tekun.txt": (
        "郴州市特困人员救助供养审核确认办法\n\n第八条 乡镇人民政府（街道办事处）应当自受理之日起"
        "15个工作日内完成入户调查和审核，审核意见在村（居）公示7个工作日，县级民政部门自收到审核意见之日起"
        "10个工作日内作出确认决定。\n\n郴州市民政局\n2026年3月1日\n"),
}


@pytest.fixture(scope="module")
def elsewhere_assistant(make_answer_assistant):
    return make_answer_assistant("said-elsewhere", DOCS)


def test_a_column_header_says_the_narrowing_word(elsewhere_assistant):
    a = elsewhere_assistant.ask("汨罗市城市低保比上年提高了多少元？")
    assert a.answerable and "30" in a.answer.splitlines()[0], a.answer
    assert any("汨罗市" in c.text for c in a.citations)


def test_higher_education_is_university(elsewhere_assistant):
    a = elsewhere_assistant.ask("益阳的孤儿考上大学，每年有多少助学金？")
    assert a.answerable and "6000元" in a.answer, a.answer


@pytest.mark.unit
def test_an_age_said_as_a_bare_number():
    assert age_stated("我姥姥今年92，户口在醴陵，高龄津贴一个月多少？") == 92
    assert age_stated("今年85了") == 85
    assert age_stated("今年92户低保户") is None and age_stated("今年100万元") is None


def test_a_bare_age_selects_its_band(elsewhere_assistant):
    a = elsewhere_assistant.ask("我姥姥今年92，户口在醴陵，高龄津贴现在一个月多少？")
    assert a.answerable and "180元" in a.answer.splitlines()[0] and "80元；" not in a.answer.splitlines()[0], a.answer


@pytest.mark.unit
def test_english_ages_read_as_chinese_ages():
    assert "90—99周岁" in gloss_english("old-age allowance for people aged 90 to 99")
    assert "92岁" in gloss_english("allowance for a 92-year-old")
    assert "100周岁以上" in gloss_english("people aged 100 and over")


@pytest.mark.parametrize("question, figure, other", [
    ("How much is the monthly old-age allowance for people aged 90 to 99 in Liling?", "180 yuan", "80 yuan"),
    ("How much old-age allowance does a 92-year-old get each month in Liling?", "180 yuan", "80 yuan"),
])
def test_the_english_line_states_the_band_asked(elsewhere_assistant, question, figure, other):
    a = elsewhere_assistant.ask(question)
    first = a.answer.splitlines()[0]
    assert a.answerable and figure in first and not first.endswith(f" {other}."), a.answer


@pytest.mark.unit
@pytest.mark.parametrize("text, kind", [
    ("对考入高校的孤儿，每人每年发放助学金6000元。", "amount"),  # per head before the verb: no total
    ("分档发放：一级每人每月120元。", "standard"),
    ("每人每月发放，全年共发放资金6000元。", "total"),  # summed after the per-head words
    ("全年发放救助金600万元。", "total"),
])
def test_a_per_head_amount_paid_is_no_total(text, kind):
    doc = Document(source="", text=text, sha256="", encoding="utf-8", meta=DocMeta(city=None, year=None, title=""))
    assert [f.kind for f in extract_facts(doc)] == [kind]


def test_a_time_limit_is_read_with_the_stage_after_it(elsewhere_assistant):
    a = elsewhere_assistant.ask("在郴州申请特困供养，镇里要在几个工作日内完成入户调查和审核？")
    first = a.answer.splitlines()[0]
    assert a.answerable and "15个工作日" in first and "7个工作日" not in first, a.answer
