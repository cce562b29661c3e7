"""assistant/chain.py: a question is analysed once per ``ask`` — the retriever takes that analysis
(``QueryAnalysis.search_query()``), the follow-up check and the presenter reuse it."""
from __future__ import annotations

import sys

import pytest

import assistant.query as query_mod
from assistant.chain import Assistant


@pytest.fixture()
def analyses(monkeypatch) -> list[str]:
    """Every ``analyze`` call, wherever the function was imported to (its text recorded)."""
    original = query_mod.analyze
    calls: list[str] = []

    def counting(question, *args, **kwargs):
        calls.append(question)
        return original(question, *args, **kwargs)

    for module in list(sys.modules.values()):
        if getattr(module, "analyze", None) is original:
            monkeypatch.setattr(module, "analyze", counting)
    return calls


@pytest.fixture(scope="module")
def tiny_assistant(tiny_index, embedder) -> Assistant:
    return Assistant(tiny_index[1], embedder)


@pytest.mark.parametrize("question", ["焦作市农村低保标准是多少？", "焦作市農村低保標準是多少？",
                                      "What is the rural dibao standard in Jiaozuo?"])
def test_one_analysis_per_ask(tiny_assistant, analyses, question):
    answer = tiny_assistant.ask(question)
    assert analyses == [question]
    assert answer.citations and answer.citations[0].source == "a.txt"


def test_a_follow_up_analyses_each_text_once(tiny_assistant, analyses):
    answer = tiny_assistant.ask("那城市的呢？", history=["焦作市农村低保标准是多少？"])
    assert answer.resolved_question  # resolved against the previous question, then answered
    assert len(analyses) == len(set(analyses)) == 3, analyses  # as typed, the previous one, the full form
    analyses.clear()
    tiny_assistant.ask("那城市的呢？")  # nothing to continue: refused, after one analysis
    assert analyses == ["那城市的呢？"]


def test_the_retriever_takes_the_analysis(tiny_assistant):
    """The LangChain retriever searches with the hints of the analysis it is given, as ``ask`` does."""
    a = query_mod.analyze("焦作市农村低保标准是多少？")
    docs = tiny_assistant.retriever.invoke(a.search_query())
    chunks = [h.chunk.id for h in tiny_assistant.searcher(a.normalized, a.hints(), k=tiny_assistant.k)]
    assert [d.id for d in docs] == chunks and docs[0].metadata["source"] == "a.txt"


def test_a_follow_up_that_does_not_fit_the_previous_question_says_so(tiny_assistant):
    """那城市的呢？ after a question with no city/rural side: the previous question is there, so the
    refusal names it instead of saying there is none; with no history it says there is none."""
    previous = "焦作市高龄津贴是多少？"
    answer = tiny_assistant.ask("那城市的呢？", history=[previous])
    assert not answer.answerable and not answer.citations
    assert previous in answer.answer and "没有可以接续" not in answer.answer
    alone = tiny_assistant.ask("那城市的呢？")
    assert not alone.answerable and "没有可以接续的上一个问题" in alone.answer
