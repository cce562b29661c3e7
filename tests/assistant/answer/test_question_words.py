"""Which words of a question must be found (issue 13, refusals kind 1): a topic noun the documents
lack refuses the question; a verb, a way of asking or colloquial filler they never use does not,
and a refusal never quotes one. Places are real; documents, sentences and figures are made up.
"""
from __future__ import annotations

import pytest

from assistant.answer.invariants import said
from assistant.answer.scope import names_topic

DOCS = {
    "xinzhou_jifen.txt": (
        "忻州市忻府区开展爱心积分超市试点\n\n"
        "忻府区在全区推行“爱心超市”互助模式，由村委会统一管理。"
        "困难群众参加公益劳动获得的积分，可以在爱心超市兑换米面油等生活用品。\n"),
    "xinzhou_zhuxue.txt": (
        "忻州市慈善助学项目实施方案\n\n"
        "（一）考入本科院校的学生每人资助不超过6000元，考入专科院校的学生每人资助不超过2500元。\n\n"
        "忻州市助学服务网上线以来，已汇集86家合作学校的信息。\n"),
    "xinzhou_yanglao.txt": (
        "忻州市退休人员养老金调整方案解读\n\n"
        "1940年以前出生的退休人员，每月可获得50元的高龄倾斜津贴；1941年至1950年出生的退休人员，则每月获得20元的高龄倾斜津贴。"
        "同时符合多项倾斜条件的，按就高原则享受，不重复计发。\n"),
}


@pytest.fixture(scope="module")
def words_assistant(make_answer_assistant):
    return make_answer_assistant("question-words", DOCS)


@pytest.mark.parametrize("word,topic", [
    ("房价", True), ("护照", True), ("模式", True),  # nouns: what a question is about
    ("采用", False), ("考上", False),  # verbs
    ("最多能", False), ("上限", False),  # ways of asking a kind of fact (vocabulary facts.asked)
    ("这户", False), ("干什么", False),  # a pronoun with its classifier, colloquial filler
])
def test_a_word_names_the_topic_by_what_it_is(word, topic):
    assert names_topic(word) is topic


def test_a_word_said_only_inside_a_longer_word_of_the_documents_is_not_said():
    doc = "助学服务网上线以来，已汇集86家合作学校"
    assert not said("网上", "助学服务网上有多少家合作学校？", doc)  # 服务网 + 上
    assert said("网上", "助学金可以网上申请吗？", doc)
    assert said("网上", "助学服务网上有多少家合作学校？", "")  # nothing to read it by: said


def test_an_unknown_verb_does_not_refuse_a_question_whose_topic_is_found(words_assistant):
    a = words_assistant.ask("忻府区爱心超市采用什么互助模式？")
    assert a.answerable, a.answer
    assert "采用" not in a.answer and "村委会" in a.answer


def test_a_colloquial_purpose_question_is_answered_by_what_the_thing_is_used_for(words_assistant):
    a = words_assistant.ask("忻府区爱心超市的积分能干什么用？")
    assert a.answerable and "兑换" in a.answer, a.answer


def test_a_cap_asked_with_circumstances_is_the_cap_of_its_own_clause(words_assistant):
    a = words_assistant.ask("我家孩子今年考上专科，户口在忻州，慈善助学最多能资助多少？")
    assert a.answerable and "2500" in a.answer and "6000" not in a.answer, a.answer
    both = words_assistant.ask("忻州慈善助学本科和专科的资助上限差多少？")
    assert both.answerable and "6000" in both.answer and "2500" in both.answer, both.answer


def test_a_word_of_a_longer_document_word_needs_no_citation_of_its_own(words_assistant):
    a = words_assistant.ask("忻州市助学服务网上有多少家合作学校？")
    assert a.answerable and "86" in a.answer, a.answer


@pytest.mark.parametrize("question,quoted", [("忻州的房价多少？", "房价"), ("忻州怎么办护照？", "护照")])
def test_a_topic_the_documents_lack_is_still_refused_and_named(words_assistant, question, quoted):
    a = words_assistant.ask(question)
    assert not a.answerable and f"“{quoted}”" in a.answer, a.answer


def test_a_refusal_never_quotes_a_way_of_asking(words_assistant):
    a = words_assistant.ask("忻州怎么考上驾校？")  # no civil-affairs word, no topic the documents hold
    assert not a.answerable
    assert "考上" not in a.answer.split("。")[0], a.answer


def test_an_english_question_maps_its_words_or_says_which_it_could_not(words_assistant):
    from assistant.query import analyze

    glossed = analyze("How much does the project give each household at most this year?").normalized
    assert all(w in glossed for w in ("工程", "每户", "最高", "今年"))
    # zebra: the English lexicon's 斑马 is no word of this collection, so it stays unmapped
    a = words_assistant.ask("How much does Xinfu's charity project give each zebra at most?")
    assert not a.answerable
    # Xinfu spells two places (忻州市忻府区, 抚顺市新抚区); the collection is about one of them
    assert "忻州市忻府区" in a.answer and "could not map: each, zebra" in a.answer, a.answer
    # student is the collection's 学生 (the lexicon): the city-wide figure is said as the city's, not Xinfu's
    a = words_assistant.ask("How much does Xinfu's charity project give each student at most?")
    assert not a.answerable and "资料中没有忻府区单列的数据" in a.answer and "6000元" in a.answer, a.answer
    assert [p.region for p in analyze("What does Xinfu give?").places] == []  # no collection: not guessed
    assert [p.region for p in analyze("What does Xinfu give?", regions=words_assistant.regions).places] == ["忻州市忻府区"]


def test_birth_years_are_who_is_asked_about_not_a_period():
    from assistant.query import analyze

    assert analyze("1941年至1950年出生的退休人员每月高龄倾斜多少？").years == ()
    assert analyze("1940年以前出生的老人有补贴吗？").years == ()
    assert analyze("2023年低保标准是多少？").years == (2023,)


def test_a_monthly_amount_without_a_standard_word_answers_a_standard_question(words_assistant):
    a = words_assistant.ask("忻州1941年至1950年出生的退休人员每月高龄倾斜多少？")
    assert a.answerable and "20元" in a.answer and "50元" not in a.answer, a.answer


def test_how_something_is_reckoned_is_answered_by_the_rule_that_says_so(words_assistant):
    a = words_assistant.ask("同时符合几项条件的退休人员在忻州高龄倾斜怎么算？")
    assert a.answerable and "就高原则" in a.answer, a.answer


def test_an_unknown_modifier_glued_to_a_known_word_asks_about_that_word(words_assistant):
    # 花样 (no document says it) only qualifies 互助模式: the question is about the 互助模式
    a = words_assistant.ask("忻府区爱心超市推行了哪些花样互助模式？")
    assert a.answerable and "村委会" in a.answer, a.answer


def test_an_unknown_modifier_is_refused_when_no_first_document_holds_every_known_word(words_assistant):
    # 助学 is a word of another document: no document holds all the question asks
    a = words_assistant.ask("忻府区爱心超市推行了哪些花样助学模式？")
    assert not a.answerable and "“花样”" in a.answer, a.answer
    # said apart from any known word (的窍门), an unknown noun is still the topic asked
    b = words_assistant.ask("忻府区爱心超市兑换积分的窍门是什么？")
    assert not b.answerable and "“窍门”" in b.answer, b.answer
