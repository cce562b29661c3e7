"""A measure named by a one-character suffix (劝和率, 保障率, 火化费) is read with the word it
closes: jieba may cut 劝和率 into 劝 / 和 / 率 and drop 和, and 率 alone let any rate of the
sentence answer (辅导率91.25%，劝和率62.5% answered 劝和率 with 91.25%; news20k-test7, session 7).
Documents made up for the test (real places, made-up sentences and figures)."""
from __future__ import annotations

import pytest

from assistant.answer.selection import measure_terms
from assistant.query import analyze

DOCS = {
    "lianjiang_hunyin.txt": (
        "2023年08月02日，正文：连江县妇联深入开展婚姻家庭辅导服务。今年以来，县婚姻家庭辅导中心"
        "开展婚前辅导服务420人次，为210对夫妻提供调适辅导，辅导率88.4%，劝和率57.1%；"
        "接待来访群众300人次。\n"),
}


@pytest.fixture(scope="module")
def suffix_assistant(make_answer_assistant):
    return make_answer_assistant("measure-suffix", DOCS)


def test_a_suffix_is_read_with_its_word():
    assert measure_terms("婚姻家庭辅导的劝和率是多少", ("婚姻家庭", "辅导", "劝", "率")) == ("劝和率",)
    assert measure_terms("城市低保的保障率是多少", ("城市", "低保", "保障", "率"))[-1] == "保障率"
    # a word that is no suffix, or a suffix with no word before it, stays as it is
    assert measure_terms("养老机构入住率要达到多少", ("养老", "机构", "入住率", "达到"))[-1] == "入住率"
    assert measure_terms("率是多少", ("率",)) == ("率",)


def test_the_rate_asked_not_its_neighbour(suffix_assistant):
    a = suffix_assistant.ask("连江县婚姻家庭辅导的劝和率是多少？")
    assert a.answerable and "57.1%" in a.answer.splitlines()[0] and "88.4%" not in a.answer.splitlines()[0]
    own = suffix_assistant.ask("连江县婚姻家庭辅导的辅导率是多少？")
    assert own.answerable and "88.4%" in own.answer.splitlines()[0] and "57.1%" not in own.answer.splitlines()[0]



@pytest.mark.parametrize("question", ["连江县婚姻家庭辅导的辅导率有多少？", "连江县婚前辅导的辅导率为多少？"])
def test_a_suffix_jieba_glues_to_a_copula_is_read_alone(suffix_assistant, question):
    # 率为 / 率有: no word of the documents, it weighed as the rarest term of the question
    terms = analyze(question).terms
    assert "率为" not in terms and "率有" not in terms
    a = suffix_assistant.ask(question)
    assert a.answerable and "88.4%" in a.answer.splitlines()[0]
