"""The editable vocabulary (assistant/data/vocabulary.json): its content, its checks, and that
BM25, the standards table and the refusal logic use it. Also typos, spacing and width folding."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from assistant import synonyms as synonym_classes, vocabulary
from assistant.query import analyze, synonyms
from assistant.standards import Vocabulary, load_vocabulary
from ingest import places
from ingest.errors import ConfigError

CLI = [sys.executable, "-m", "ui"]


@pytest.mark.parametrize("words", [
    ("低保", "最低生活保障"),
    ("五保", "特困供养", "特困"),
    ("高龄津贴", "敬老补贴", "高龄补贴"),
    ("孤儿基本生活费", "养育标准"),
    ("城市", "城镇", "城里"),
])
def test_synonym_groups_hold_the_equivalences(words):
    for w in words:
        assert set(words) <= set(synonyms(w)), w


def test_benefit_synonyms_are_written_once_and_merged():
    raw = vocabulary.read()
    # 敬老金 is a benefit term only (benefits section), yet it is a BM25/refusal synonym too
    assert not any("敬老金" in g for g in raw["synonyms"])
    assert "敬老金" in synonyms("高龄津贴")
    # an extra synonym group joins its benefit family: 五保户 (synonyms) ~ 特困人员救助供养 (benefits)
    assert "特困人员救助供养" in synonyms("五保户")
    groups = synonym_classes.synonym_groups()
    assert len({w for g in groups for w in g}) == sum(len(g) for g in groups)  # every word in one group


@pytest.mark.parametrize("alias, name, city", [
    ("焦作", "焦作市", "焦作市"),
    ("惠济", "惠济区", "郑州市"),
    ("惠济区", "惠济区", "郑州市"),
    ("孟州市", "孟州市", "焦作市"),
    ("武陟县", "武陟县", "焦作市"),
    ("武陟", "武陟县", "焦作市"),
])
def test_place_aliases(alias, name, city):
    p = places.lookup(alias)
    assert p is not None and p.name == name and p.city == city


def test_the_file_is_documented():
    raw = json.loads(vocabulary.VOCABULARY_PATH.read_text(encoding="utf-8"))
    doc = " ".join(raw["_doc"])
    for section in vocabulary.SECTIONS:
        assert section + ":" in doc
    assert "places.json" in doc


# -- used by BM25, the standards table and the refusal logic ---------------------------

def test_bm25_query_expansion_uses_synonyms(assistant):
    """Passages that say 特困 but never 五保 are found for 五保 only through the synonyms."""
    searcher = assistant.searcher
    a = analyze("五保")
    assert "特困供养" in a.expansions
    chunks = assistant.index.chunks
    plain = [chunks[i].text for i, _ in searcher.bm25_ranking(a.normalized)]
    expanded = [chunks[i].text for i, _ in searcher.bm25_ranking(a.normalized, a.hints().extra_terms)]
    assert plain and all("五保" in t for t in plain)
    assert any("特困" in t and "五保" not in t for t in expanded[:5])


def test_standards_table_uses_the_vocabulary(assistant):
    table = assistant.standards
    rural = table.query(region="焦作", category="五保")
    assert rural and {r.category for r in rural} == {"农村特困"} and {r.amount for r in rural} == {"6000"}
    assert load_vocabulary().detect("焦作的高龄补贴") == ["高龄津贴"]
    assert load_vocabulary().detect("孤儿养育标准") == ["散居孤儿", "机构养育孤儿"]


@pytest.mark.parametrize("question, key, city", [
    ("焦作五保老人一年给多少钱", "6000", "焦作市"),
    ("焦作敬老金发了多少钱", "6423", "焦作市"),  # the report says 敬老补贴
    ("惠济区的高龄补贴发了多少", "109", "郑州市惠济区"),  # the report says 高龄津贴
    ("洛阳孤儿养育标准一个月多少", "700", "洛阳市"),
])
def test_questions_in_other_words_are_answered_not_refused(assistant, question, key, city):
    ans = assistant.ask(question)
    assert ans.answerable and key in ans.answer and ans.citations[0].city == city


@pytest.mark.parametrize("question, word", [
    ("焦作的天气怎么样？", "天气"),  # 自然灾害天气 is in a report, the weather is not
    ("What's the weather in Jiaozuo?", "天气"),
    ("洛阳怎么办护照？", "护照"),
])
def test_off_topic_words_are_refused(assistant, question, word):
    ans = assistant.ask(question)
    assert not ans.answerable and word in ans.answer and ans.citations == []


def test_off_topic_does_not_refuse_civil_affairs_questions(assistant):
    ans = assistant.ask("焦作市受灾群众过渡期生活救助人均多少钱？")  # a disaster question may mention weather
    assert ans.answerable and "230" in ans.answer


# -- typos, spacing, width ------------------------------------------------------------

@pytest.mark.parametrize("question", [
    "焦作市农村低保标准是多少？",
    "焦作市农村低保标准是多少?",  # half-width punctuation
    "焦作市，农村低保标准？",
    "焦作 农村低保",  # keywords
    "焦作　低保　农村",  # ideographic spaces, keywords in any order
    "焦 作 市 农 村 低 保 标 准",  # letter by letter
    "焦作农村底保标准是多少",  # a typo from the vocabulary
    "焦作市２０２１年农村低保标准",  # full-width digits
])
def test_typing_variants_give_the_same_answer(assistant, question):
    ans = assistant.ask(question)
    assert ans.answerable and "4524" in ans.answer and ans.citations[0].city == "焦作市"
    assert "6000" not in ans.answer  # never the 特困 figure of the same sentence


def test_normalisation_of_questions():
    assert analyze("４５２４元").normalized == "4524元"
    assert analyze("焦 作 市 低 保").normalized == "焦作市低保"
    assert analyze("焦作 低保").normalized == "焦作 低保"  # spaces between words stay
    assert analyze("兜底保障政策").normalized == "兜底保障政策"  # no typo inside a correct word
    assert analyze("焦作 低保").bare and not analyze("焦作低保多少人").bare


def test_keyword_query_through_the_cli(cli_env):
    p = subprocess.run(CLI + ["ask", "--json", "焦作　低保"], env=cli_env, capture_output=True, text=True, timeout=180)
    out = json.loads(p.stdout)
    assert out["answerable"] and "600" in out["answer"] and "4524" in out["answer"]
    assert "6000" not in out["answer"] and "9600" not in out["answer"]


# -- editing the file -------------------------------------------------------------------

def _copy(tmp_path, mutate):
    raw = json.loads(vocabulary.VOCABULARY_PATH.read_text(encoding="utf-8"))
    mutate(raw)
    p = tmp_path / "vocabulary.json"
    p.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return p


def test_a_valid_copy_loads():
    raw = vocabulary.read()
    assert raw["format_version"] == 1 and raw["english"]["dibao"] == "低保"
    assert Vocabulary.load(vocabulary.VOCABULARY_PATH).names == load_vocabulary().names


@pytest.mark.parametrize("mutate, where", [
    (lambda raw: raw["synonyms"].append(["孤单"]), "synonyms[" ),
    (lambda raw: raw["synonyms"].append("低保"), "synonyms["),
    (lambda raw: raw["english"].update({"pension": ""}), "english.pension"),
    (lambda raw: raw["typos"].update({"低保": "低保户"}), "typos.低保"),
    (lambda raw: raw["typos"].update({"补": "补贴"}), "typos.补"),
    (lambda raw: raw.pop("typos"), "typos"),
    (lambda raw: raw.update(extra={}), "extra"),
    (lambda raw: raw.update(format_version=2), "format_version"),
    (lambda raw: raw.update(off_topic="天气"), "off_topic"),
    (lambda raw: raw["passages"].pop("who"), "passages.who"),
    (lambda raw: raw["passages"].update(who=[]), "passages.who"),
    (lambda raw: raw["passages"].update(whom=["谁"]), "passages.whom"),
])
def test_bad_entries_are_clear_errors(tmp_path, mutate, where):
    p = _copy(tmp_path, mutate)
    with pytest.raises(ConfigError) as e:
        vocabulary.read(p)
    assert str(p) in str(e.value) and where in str(e.value)


def test_bad_benefits_section_names_the_section(tmp_path):
    p = _copy(tmp_path, lambda raw: raw["benefits"]["categories"].append({"name": "新类别", "family": "不存在"}))
    with pytest.raises(ConfigError) as e:
        Vocabulary.load(p)
    assert str(p) in str(e.value) and "benefits.categories" in str(e.value) and "新类别" in str(e.value)


def test_unreadable_files_are_clear_errors(tmp_path):
    with pytest.raises(ConfigError, match="不存在"):
        vocabulary.read(tmp_path / "nope.json")
    bad = tmp_path / "v.json"
    bad.write_text('{"format_version": 1,', encoding="utf-8")
    with pytest.raises(ConfigError, match="第1行"):
        vocabulary.read(bad)


@pytest.mark.parametrize("term, topic", [
    ("俺家", ""), ("咱家", ""), ("俺们", ""),  # dialect pronouns are no topic
    ("哪些项目", "项目"), ("低保", "低保"),
])
def test_filler_is_never_a_topic(term, topic):
    assert vocabulary.topic_term(term) == topic
