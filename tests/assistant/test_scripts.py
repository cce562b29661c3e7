"""Answers in the user's script: traditional characters, and an English first line."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from assistant.grounding import check, numbers_in
from assistant.scripts import (
    english_line, is_english, place_in_english, present, to_traditional, traditional_config,
)
from assistant.types import Answer, Citation

CLI = [sys.executable, "-m", "ui"]


@pytest.mark.parametrize("text, config", [
    ("焦作市农村低保标准是多少？", None),
    ("那城市的呢？", None),  # no character tells
    ("焦作市農村最低生活保障年標準是多少？", "s2tw"),
    ("誰可以申請特困人員救助供養？", "s2tw"),
    ("What is the dibao standard?", None),
    ("乾安县低保标准是多少？", None),  # 乾 is the place's own character, not traditional writing
    ("乾安縣低保標準是多少？", "s2tw"),
    ("松原乾安今年临时救助了多少人次？", None),  # by its short name after its city's too
])
def test_traditional_detection(text, config):
    assert traditional_config(text) == config


def test_english_detection():
    assert is_english("What is the rural dibao standard in Jiaozuo?")
    assert is_english("What is the dibao standard in 焦作市?")  # a Chinese name inside stays English
    assert not is_english("焦作市dibao标准是多少")
    assert not is_english("焦作市农村低保标准")


def test_place_names_in_english():
    assert place_in_english("焦作市") == "Jiaozuo"
    assert place_in_english("郑州市惠济区") == "Huiji District, Zhengzhou"
    assert place_in_english("三亚市") == "Sanya"  # every gazetteer place has its pinyin
    assert place_in_english("湖州市德清县") == "Deqing County, Huzhou"
    assert place_in_english("西藏自治区") == "Tibet"  # an exonym of places.json
    assert place_in_english("某某新区") == "某某新区"  # not in the gazetteer: left as it is


def _doc_span(assistant, c) -> str:
    return assistant.document_text(c.source)[c.start:c.end]


def test_traditional_question_gets_a_traditional_answer_and_verbatim_citations(assistant):
    ans = assistant.ask("焦作市農村最低生活保障年標準是多少？")
    assert ans.answerable and "4524" in ans.answer
    assert "農村最低生活保障年標準" in ans.answer and "农村" not in ans.answer
    c = ans.citations[0]
    assert c.text == _doc_span(assistant, c) and "农村最低生活保障年标准" in c.text  # the source, not converted
    assert check(ans.answer, ans.citations)[0]


def test_traditional_procedure_answer(assistant):
    ans = assistant.ask("誰可以申請特困人員救助供養？")
    assert ans.answerable and "無勞動能力" in ans.answer and "未滿16" in ans.answer
    assert all(c.text == _doc_span(assistant, c) for c in ans.citations)


def test_traditional_refusal(assistant):
    ans = assistant.ask("北京市2023年城市低保標準是多少？")
    assert not ans.answerable and ans.answer.startswith("資料中沒有")


def test_traditional_follow_up_keeps_the_script(assistant):
    first = assistant.ask("焦作市農村低保標準是多少？")
    ans = assistant.ask("那城市的呢？", [first.to_dict()])  # no character of its own tells the script
    assert ans.resolved_question == "焦作市城市低保標準是多少？"
    assert "600" in ans.answer and "標準" in ans.answer
    plain = assistant.ask("那城市的呢？", ["焦作市农村低保标准是多少？"])
    assert "标准" in plain.answer and plain.resolved_question == "焦作市城市低保标准是多少？"


def _english_and_chinese(answer: str) -> tuple[str, str]:
    first, _, rest = answer.partition("\n")
    return first, rest


def test_english_question_gets_an_english_first_line(assistant):
    ans = assistant.ask("What is the rural minimum living allowance standard in Jiaozuo?")
    first, rest = _english_and_chinese(ans.answer)
    assert first == "Answer (in Chinese, from the Jiaozuo 2021 report [1]): 4524 yuan."
    assert "4524元" in rest
    ok, problems = check(ans.answer, ans.citations, {"焦作市", "洛阳市"})
    assert ok, problems
    cited = " ".join(c.text for c in ans.citations)
    years = {str(c.year) for c in ans.citations}
    assert all(n in cited or n in years for n in numbers_in(first))


def test_english_line_for_several_figures_and_reports(assistant):
    ans = assistant.ask("What are the annual basic living standards for urban and rural extremely poor persons "
                        "in Jiaozuo?")
    first, _ = _english_and_chinese(ans.answer)
    assert first == "Answer (in Chinese, from the Jiaozuo 2021 report [1]): 9600 yuan, 6000 yuan."
    many = assistant.ask("What is the rural dibao standard in each city?")
    first, rest = _english_and_chinese(many.answer)
    assert "Luohe 2020 report" in first and "Jiaozuo 2021 report" in first
    assert "4560 yuan [" in first and "4524 yuan [" in first
    assert check(many.answer, many.citations)[0]


def test_english_line_for_a_district_and_a_count(assistant):
    ans = assistant.ask("What is the urban dibao standard in Huiji District?")
    assert ans.answer.startswith("Answer (in Chinese, from the Huiji District, Zhengzhou 2016 report [1]): 550 yuan.")
    count = assistant.ask("How many orphans were there in Luohe at the end of 2020?")
    assert count.answer.startswith("Answer (in Chinese, from the Luohe 2020 report [1]): 427 people.")


def test_english_refusal(assistant):
    ans = assistant.ask("What is the dibao standard in Xinxiang?")
    first, rest = _english_and_chinese(ans.answer)
    assert not ans.answerable and first.startswith("Not found in the reports")
    assert rest.startswith("资料中没有新乡市")


def test_english_line_without_grounded_figures_drops_them():
    """A figure the cited span does not hold never reaches the English line."""
    cit = Citation(marker=1, source="a.txt", title="t", city="焦作市", year=2021, text="标准提高到4524元", start=0, end=9)
    ans = Answer(question="q", answer="焦作市标准为12元、4524元[1]。", answerable=True, citations=[cit])
    assert "12 yuan" in english_line(ans, "amount", multiple=True)
    out = present(ans, "What are the urban and rural standards in Jiaozuo?")
    assert out.answer.splitlines()[0] == "Answer (in Chinese, from the Jiaozuo 2021 report [1]):"


def test_english_line_states_no_figure_a_question_does_not_ask():
    """"What services…" asks no figure: the English line states none, though the cited sentence
    holds one (一个平台 read as a count); "How much…" still gets its figure."""
    text = "嘉定区小程序覆盖了养老政策、辅具租赁等领域，为老年人提供了一个信息平台"
    cit = Citation(marker=1, source="a.txt", title="t", city="上海市嘉定区", year=None, text=text, start=0, end=len(text))
    ans = Answer(question="q", answer=f"{text}[1]。", answerable=True, citations=[cit])
    out = present(ans, "What elderly services does Jiading's mini program offer?")
    assert out.answer.splitlines()[0].endswith("):"), out.answer
    cit2 = Citation(marker=1, source="b.txt", title="t", city="焦作市", year=2021, text="标准提高到4524元", start=0, end=9)
    ans2 = Answer(question="q", answer="焦作市标准提高到4524元[1]。", answerable=True, citations=[cit2])
    assert "4524 yuan" in present(ans2, "How much is the standard in Jiaozuo?").answer.splitlines()[0]


def test_english_line_states_the_raised_value_not_the_old_one():
    """由X提高到Y: the English line states Y, the value now paid, never X."""
    text = "散居孤儿基本生活最低养育标准从每人每月600元提高到700元"
    cit = Citation(marker=1, source="a.txt", title="t", city="洛阳市", year=2017, text=text, start=0, end=len(text))
    ans = Answer(question="q", answer=f"洛阳市{text}[1]。", answerable=True, citations=[cit])
    line = english_line(ans, "amount")
    assert "700 yuan" in line and "600" not in line
    again = Answer(question="q", answer="标准由每人每月600元，再提高到700元[1]。", answerable=True, citations=[cit])
    assert "600" not in english_line(again, "amount")


def test_units_are_glossed_not_converted():
    cit = Citation(marker=1, source="a.txt", title="t", city="焦作市", year=2021,
                   text="为7.7万80岁以上高龄老人发放敬老补贴6423万元", start=0, end=10)
    ans = Answer(question="q", answer="焦作市发放敬老补贴6423万元[1]。", answerable=True, citations=[cit])
    line = english_line(ans, "amount")
    assert "6423万 (万 = ten thousand) yuan" in line
    assert check(line + "\n" + ans.answer, [cit])[0]


def test_present_converts_only_the_answer():
    cit = Citation(marker=1, source="a.txt", title="标题", city="焦作市", year=2021, text="农村低保标准", start=0, end=6)
    ans = Answer(question="焦作市農村低保標準？", answer="焦作市农村低保标准为4524元[1]。", answerable=True,
                 citations=[cit])
    out = present(ans, "焦作市農村低保標準？")
    assert out.answer == "焦作市農村低保標準為4524元[1]。"
    assert out.citations[0].text == "农村低保标准" and out.citations[0].title == "标题"
    assert to_traditional("农村低保", "s2hk") == "農村低保"


def test_cli_answers_in_the_users_script(cli_env):
    p = subprocess.run(CLI + ["ask"], env=cli_env, capture_output=True, text=True, timeout=180,
                       input="惠濟區城市低保標準是多少？\nHow much is the charity shopping card per person per month "
                             "in Huiji District?\n")
    assert p.returncode == 0, p.stderr
    trad, en = [json.loads(x) for x in p.stdout.splitlines()]
    assert "550" in trad["answer"] and "惠濟區" in trad["answer"] and "标准" not in trad["answer"]
    assert "城市低保标准" in trad["citations"][0]["text"]  # the source's own (simplified) words
    assert en["answer"].startswith("Answer (in Chinese, from the Huiji District, Zhengzhou 2016 report [1]): 50 yuan.")
    assert "\n郑州市惠济区" in en["answer"]


def test_english_line_states_the_new_figure_and_the_band_asked_not_the_old_one():
    """由X提高到Y: the English line states Y (the Chinese answer's current figure), for the band asked."""
    text = ("宜春市自2024年7月1日起，80—89周岁老年人高龄津贴由每人每月40元提高到每人每月70元；"
            "90—99周岁老年人由每人每月90元提高到每人每月150元[1]（宜春市，2024年）。")
    cit = Citation(marker=1, source="a.txt", title="t", city="宜春市", year=2024, text=text, start=0, end=9)
    ans = Answer(question="q", answer=text, answerable=True, citations=[cit])
    assert english_line(ans, "amount").endswith(": 70 yuan.")
    assert english_line(ans, "amount", age=92).endswith(": 150 yuan.")
    assert "40" not in english_line(ans, "amount", age=85)
