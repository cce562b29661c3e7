"""ingest.text: the one home of Han ranges, punctuation, splitting, years and normalisation."""
from __future__ import annotations

import re

import pytest

from ingest import text as T


@pytest.mark.parametrize("ch, han", [
    ("农", True), ("龥", True),
    ("\u3400", True),  # extension A
    ("\uf900", True),  # a compatibility ideograph
    ("a", False), ("1", False), ("，", False), ("。", False), ("ア", False), ("\ue000", False),
])
def test_one_han_range(ch, han):
    assert bool(T.HAN_CHAR.fullmatch(ch)) is han
    assert T.has_han(ch) is han


def test_han_runs_and_the_class_body_compose():
    assert T.HAN_RUN.findall("焦作2021年低保") == ["焦作", "年低保"]
    assert re.fullmatch(rf"[{T.HAN}]{{2,4}}", "焦作市")
    assert re.fullmatch(rf"[{T.CJK}]+", "焦作，“低保”…")


def test_split_sentences_keeps_closing_quotes_and_trims_spaces():
    text = " 他说：“提高了。” 特困人员呢？\n第三句"
    spans = T.split_sentences(text, offset=10)
    assert [text[s - 10:e - 10] for s, e in spans] == ["他说：“提高了。”", "特困人员呢？", "第三句"]
    assert T.split_sentences("") == []
    assert T.split_sentences("   \n ") == []


def test_sentence_piece_ends_at_a_line_break_too():
    assert T.SENTENCE_PIECE.findall("第一句。\n第二行\n第三句！！") == ["第一句。\n", "第二行\n", "第三句！！"]


def test_split_clauses_cuts_at_commas_not_enumerations():
    assert T.split_clauses("城乡低保、特困供养提高，农村每年4524元；城市每月780元。") == [
        "城乡低保、特困供养提高，", "农村每年4524元；", "城市每月780元。"]
    assert T.split_clauses("") == []


def test_punctuation_sets():
    assert set(T.CLAUSE_END) < set(T.COMMA_LIKE)
    assert "。" in T.SENTENCE_END and "…" in T.TERMINAL and "，" not in T.SENTENCE_END


@pytest.mark.parametrize("text, strict, loose", [
    ("2021年低保", [2021], [2021]),
    ("2021 年", [2021], [2021]),
    ("2021低保", [], [2021]),
    ("12021年", [], []),  # part of a longer number
    ("20215", [], []),
    ("1999年和2000年", [1999, 2000], [1999, 2000]),
    ("2100年", [], []),
])
def test_years(text, strict, loose):
    assert [int(y) for y in T.YEAR.findall(text)] == strict
    assert [int(y) for y in T.YEAR_LOOSE.findall(text)] == loose


def test_normalize_folds_width_script_case_and_spaces():
    assert T.normalize("農村  最低生活保障 ４５２４元 ＡＢ") == "农村 最低生活保障 4524元 ab"
    assert T.normalize("\ud800低保") == "\ufffd低保"  # a lone surrogate does not end OpenCC
    assert T.normalize("") == ""


def test_one_cached_converter_per_config():
    assert T.converter("t2s") is T.converter("t2s")
    assert T.converter("s2tw").convert("农村") == "農村"
    assert T.to_simplified("臺灣農村") == "台湾农村"
    assert T.to_simplified("abc") == "abc"


def test_is_traditional():
    assert T.is_traditional("農村低保")
    assert not T.is_traditional("农村低保")
    assert not T.is_traditional("dibao")


@pytest.mark.parametrize("text, english", [
    ("What is the rural dibao standard in Jiaozuo?", True),
    ("What is the dibao standard in 焦作市?", True),
    ("焦作市dibao标准是多少", False),
    ("焦作市农村低保标准", False),
    ("2021", False),
    ("", False),
])
def test_is_english(text, english):
    assert T.is_english(text) is english
