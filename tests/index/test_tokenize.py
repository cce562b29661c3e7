"""Question words that jieba glues to a neighbour are dropped like the question words they are
(real jieba, the shipped stopwords.txt)."""
from __future__ import annotations

import pytest

from index.tokenize import Tokenizer, question_affixes, stopwords, strip_question_words


@pytest.fixture(scope="module")
def tok():
    return Tokenizer()


def test_the_data_file_lists_question_prefixes_and_suffixes():
    prefixes, suffixes = question_affixes()
    assert ("哪", 2) in prefixes and ("何", 1) in prefixes and "有何" in suffixes
    assert not any("*" in w for w in stopwords())  # the affix entries are no whole words


@pytest.mark.parametrize("token, kept", [
    ("哪项", ""), ("哪天", ""), ("几项", ""), ("何用", ""),  # a question prefix and a classifier
    ("哪三问", ""),  # 哪** : at most two characters after 哪
    ("何立峰", "何立峰"), ("几内亚", "几内亚"),  # 何* / 几*: one character after it at most: a name stays
    ("时有何", ""),  # a question suffix after one character: nothing of a topic is left
    ("便利有何", "便利"),  # after a word: the word is kept
    ("政策", "政策"), ("4524", "4524"),
])
def test_strip_question_words(token, kept):
    assert strip_question_words(token, stopwords()) == kept


def test_a_longer_word_with_a_question_prefix_is_a_word():
    assert strip_question_words("哪吒闹海", stopwords()) == "哪吒闹海"


def test_names_with_a_question_character_survive_tokenisation(tok):
    assert "何立峰" in tok("何立峰强调，要保障几内亚航线")
    assert "几内亚" in tok("何立峰强调，要保障几内亚航线")


def test_questions_lose_their_glued_question_words_and_keep_their_topic(tok):
    assert tok("在支持复工复产方面涉及企业所得税哪项政策？")[-2:] == ["所得税", "政策"]
    assert "何用" not in tok("车辆持有货通证有何用处？") and "货通证" in tok("车辆持有货通证有何用处？")
    got = tok("办理业务时有何注意事项？")
    assert "时有何" not in got and "注意事项" in got
    # document text is tokenised by the same rules: the figures and units stay
    assert tok("农村最低生活保障年标准提高到4524元")[-2:] == ["4524", "元"]


def test_a_short_text_read_again_gets_the_same_tokens_in_a_list_of_its_own(tok):
    q = "焦作市农村低保标准是多少？"
    first = tok(q)
    first.append("改动")  # the caller's copy; the next call is not changed by it
    assert tok(q) == Tokenizer.tokens(q) == first[:-1]
    long_text = "焦作市农村最低生活保障年标准提高到每人每年4524元。" * 4  # longer than SHORT_TEXT: not kept
    assert tok(long_text) == Tokenizer.tokens(long_text)
