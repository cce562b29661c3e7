"""assistant/drafting/message.py: a message cut into questions (courtesy dropped, the one city carried, follow-ups
resolved as in the chat, limits), message files (UTF-8, GB18030, clear errors), the citizen's numbering."""
from __future__ import annotations

import pytest
from drafting_samples import MESSAGE

from assistant.drafting import (
    MAX_MESSAGE_CHARS,
    MAX_QUESTIONS,
    Question,
    changed_figures,
    chinese_count,
    chinese_number,
    parse_message,
    read_message_file,
    split_questions,
    topic_of,
)
from ingest.errors import CivilQAError, InputError


# -- splitting -----------------------------------------------------------------------------

def asked(message: str) -> list[str]:
    return [q.asked for q in split_questions(message)]


def test_split_drops_courtesy_and_carries_the_only_city_named_before():
    questions, context = parse_message(MESSAGE)
    assert [q.text for q in questions] == ["农村低保标准是多少", "洛阳孤儿一个月给多少钱", "北京市城市低保标准是多少"]
    assert questions[0] == Question("农村低保标准是多少", "焦作市农村低保标准是多少", carried_city="焦作市")
    assert questions[1].carried_city is None and questions[2].carried_city is None
    assert context == ["我家在焦作市农村"]


def test_city_is_not_carried_when_two_regions_were_named():
    assert asked("焦作农村低保多少？洛阳孤儿多少钱？特困供养谁能申请？")[2] == "特困供养谁能申请"
    assert asked("我在焦作工作，老家在洛阳。孤儿每月多少钱？") == ["孤儿每月多少钱"]


def test_city_is_carried_to_a_later_question_and_a_county_keeps_its_name():
    assert asked("焦作市农村低保标准是多少？孤儿每月多少钱？") == ["焦作市农村低保标准是多少", "焦作市孤儿每月多少钱"]
    assert asked("我是武陟县的。农村低保标准是多少？") == ["武陟县农村低保标准是多少"]
    # a province is not a city to carry
    assert asked("我住在河南省。农村低保标准是多少？") == ["农村低保标准是多少"]


def test_place_only_follow_up_repeats_the_previous_question():
    qs = split_questions("1、焦作市农村低保标准是多少？\n2、漯河呢？\n（3）惠济区城市低保标准")
    assert [q.asked for q in qs] == ["焦作市农村低保标准是多少", "漯河市农村低保标准是多少", "惠济区城市低保标准"]
    assert qs[1].follows == 1 and qs[1].text == "漯河"
    assert asked("焦作市农村低保标准是多少？那洛阳的呢？")[1] == "洛阳市农村低保标准是多少"


def test_a_follow_up_in_a_message_resolves_as_it_would_in_the_chat():
    """One resolver (assistant.followup.resolve) for chat and drafting: slots other than the
    place (the qualifier, the year) are carried over too."""
    from assistant.followup import resolve

    qs = split_questions("洛阳市特困人员供养标准是多少？那农村的呢？")
    assert qs[1].follows == 1
    assert qs[1].asked == "洛阳市农村特困人员供养标准是多少"
    assert qs[1].asked == resolve("那农村的", ["洛阳市特困人员供养标准是多少"]).rstrip("？")


def test_comma_splits_only_a_second_question():
    assert asked("焦作农村低保多少钱，洛阳孤儿每月多少钱？") == ["焦作农村低保多少钱", "洛阳孤儿每月多少钱"]
    assert asked("焦作农村低保多少钱，另外孤儿每月多少钱？") == ["焦作农村低保多少钱", "焦作市孤儿每月多少钱"]
    assert asked("焦作市有多少人领低保，发了多少钱？") == ["焦作市有多少人领低保，发了多少钱"]


def test_announcement_and_courtesy_are_not_questions():
    qs, context = parse_message("领导您好！\n我是焦作市温县的低保户，想咨询几个问题：\n1、焦作市农村低保标准是多少？\n"
                                "2、洛阳孤儿一个月给多少钱？\n麻烦了，谢谢！")
    assert [q.asked for q in qs] == ["焦作市农村低保标准是多少", "洛阳孤儿一个月给多少钱"]
    assert context == ["我是焦作市温县的低保户"]
    assert asked("问题如下：焦作市农村低保标准是多少？") == ["焦作市农村低保标准是多少"]
    assert asked("我想问以下问题：1、焦作市农村低保标准是多少？2、漯河呢？") == ["焦作市农村低保标准是多少",
                                                                   "漯河市农村低保标准是多少"]


def test_statement_without_question_mark_is_a_question_and_traditional_is_kept():
    assert asked("焦作市农村低保标准") == ["焦作市农村低保标准"]
    assert asked("焦作市農村低保標準是多少？還有孤兒每月多少錢？") == ["焦作市農村低保標準是多少", "焦作市孤兒每月多少錢"]


@pytest.mark.parametrize("message", ["", "   \n\t", None, "\x00\x01", "您好！谢谢！"])
def test_empty_or_courtesy_only_message_is_an_error(message):
    with pytest.raises(InputError, match="留言不能为空|没有找到问题"):
        split_questions(message)


def test_message_over_the_limit_is_refused_naming_the_limit():
    with pytest.raises(InputError, match=f"上限 {MAX_MESSAGE_CHARS} 字") as exc:
        split_questions("问" * 100_000)
    assert "100000" in str(exc.value)
    split_questions("焦作市农村低保标准是多少？" + " " * 10 + "问" * (MAX_MESSAGE_CHARS - 30))  # at the limit: fine


def test_too_many_questions_and_too_long_question():
    many = "".join(f"焦作市第{i}个问题是多少？" for i in range(MAX_QUESTIONS + 1))
    with pytest.raises(InputError, match=f"{MAX_QUESTIONS + 1} 个问题，超过上限 {MAX_QUESTIONS} 个"):
        split_questions(many)
    with pytest.raises(InputError, match="第 2 个问题过长.*上限 500 字"):
        split_questions("焦作市农村低保标准是多少？" + "低保" * 300 + "是多少？")


def test_topic_and_numbers():
    assert topic_of("北京市城市低保标准是多少") == "北京市城市低保标准"
    assert topic_of("洛阳孤儿一个月给多少钱") == "洛阳孤儿一个月给多少钱"
    assert [chinese_number(n) for n in (1, 2, 10, 11, 20, 35)] == ["一", "二", "十", "十一", "二十", "三十五"]
    assert chinese_count(2) == "两" and chinese_count(3) == "三"
    assert changed_figures("标准为4524元（2021年）[1]", "标准为4525元（2021年）[1]，另有 600 元") == ["4525", "600"]


# -- message files -------------------------------------------------------------------------

def test_message_file_utf8_and_gb18030(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(MESSAGE, encoding="utf-8")
    b.write_bytes(MESSAGE.encode("gb18030"))
    assert read_message_file(a) == MESSAGE == read_message_file(b)


@pytest.mark.parametrize("content, message", [
    (b"", "文件为空"), (b"\x00\x01\x02binary" * 50, "不是文本文件"), ("问".encode() * 100_000, "上限 5000 字"),
])
def test_unreadable_message_file_is_a_clear_error(tmp_path, content, message):
    p = tmp_path / "m.txt"
    p.write_bytes(content)
    with pytest.raises(CivilQAError, match=message) as exc:
        read_message_file(p)
    assert "m.txt" in str(exc.value)


def test_missing_or_directory_message_file(tmp_path):
    with pytest.raises(InputError, match="找不到留言文件"):
        read_message_file(tmp_path / "none.txt")
    with pytest.raises(InputError, match="不是普通文件"):
        read_message_file(tmp_path)


@pytest.mark.parametrize("message, expected", [
    ("一是焦作农村低保一年多少钱？二是洛阳孤儿每月多少钱？", ["焦作农村低保一年多少钱", "洛阳孤儿每月多少钱"]),
    ("一是焦作农村低保一年多少钱，二是焦作孤儿每月多少钱？", ["焦作农村低保一年多少钱", "焦作孤儿每月多少钱"]),
    ("1. 焦作市农村低保标准是多少？ 2. 洛阳孤儿每月多少钱？", ["焦作市农村低保标准是多少", "洛阳孤儿每月多少钱"]),
    ("（一）焦作市农村低保标准是多少？（二）洛阳孤儿一个月给多少钱？", ["焦作市农村低保标准是多少", "洛阳孤儿一个月给多少钱"]),
    ("① 焦作市农村低保标准是多少？② 洛阳孤儿每月多少钱？", ["焦作市农村低保标准是多少", "洛阳孤儿每月多少钱"]),
    ("首先，我想知道焦作农村低保多少钱？其次，麻烦问下洛阳孤儿每月多少钱？", ["焦作农村低保多少钱", "洛阳孤儿每月多少钱"]),
    ("是否可以申请特困供养？", ["是否可以申请特困供养"]),  # 是否 is not the numbering 一是/二是
], ids=["yishi", "yishi-comma", "digits", "paren-han", "circled", "shouxian-filler", "shifou"])
def test_the_citizens_numbering_and_filler_are_not_quoted(message, expected):
    assert asked(message) == expected
