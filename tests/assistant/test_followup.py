"""Follow-up questions: resolution rules, and through Assistant.ask, civilqa ask and the chat handler."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from assistant.followup import previous_question, resolve
from assistant.session import run_interactive
from ingest.errors import InputError

CLI = [sys.executable, "-m", "ui"]
URBAN = "焦作市城市低保标准是多少？"


@pytest.mark.parametrize("prev, question, expected", [
    (URBAN, "那农村的呢？", "焦作市农村低保标准是多少？"),
    (URBAN, "洛阳呢？", "洛阳市城市低保标准是多少？"),
    (URBAN, "2020年呢？", "焦作市2020年城市低保标准是多少？"),
    (URBAN, "特困呢？", "焦作市城市特困标准是多少？"),
    (URBAN, "漯河的农村呢", "漯河市农村低保标准是多少？"),
    (URBAN, "惠济区呢", "惠济区城市低保标准是多少？"),
    (URBAN, "洛阳和漯河呢", "洛阳市和漯河市城市低保标准是多少？"),
    (URBAN, "农村的", "焦作市农村低保标准是多少？"),  # slots only, no 呢
    (URBAN, "那有多少人呢？", "焦作市城市低保有多少人？"),  # new question word, old topic
    (URBAN, "那农村低保一年多少钱？", "焦作市农村低保一年多少钱？"),  # complete but for the place
    (URBAN, "那農村的呢？", "焦作市农村低保标准是多少？"),  # traditional follow-up
    (URBAN, "What about Luoyang?", "洛阳市城市低保标准是多少？"),
    (URBAN, "And in 2020?", "焦作市2020年城市低保标准是多少？"),
    ("焦作市2021年城市低保标准是多少？", "2020年呢", "焦作市2020年城市低保标准是多少？"),
    ("洛阳散居孤儿一个月多少钱", "那机构养育的呢", "洛阳机构养育孤儿一个月多少钱？"),
    ("温县2021年的火化率是多少？", "武陟县呢", "武陟县2021年的火化率是多少？"),
    ("What is the rural dibao standard in Jiaozuo?", "What about Luohe?", "漯河市农村低保标准是多少？"),
    # a county named by its short name is the previous place; a town keeps it as its parent
    ("邛崃农村低保标准每年多少钱？", "那崇州呢？", "崇州市农村低保标准每年多少钱？"),
    ("邛崃农村低保标准每年多少钱？", "那固驿镇呢？", "邛崃固驿镇农村低保标准每年多少钱？"),
    ("邛崃固驿镇农村低保标准每年多少钱？", "那羊安街道呢？", "邛崃羊安街道农村低保标准每年多少钱？"),
    ("邛崃固驿镇农村低保标准每年多少钱？", "那城市的呢？", "邛崃固驿镇城市低保标准每年多少钱？"),
])
def test_follow_ups_are_resolved_against_the_previous_question(prev, question, expected):
    assert resolve(question, [prev]) == expected


def test_a_town_with_no_place_before_it_is_not_given_one():
    assert resolve("那固驿镇呢？", ["农村低保标准每年多少钱？"]) is None


@pytest.mark.parametrize("question", [
    "洛阳孤儿一个月给多少钱",  # a complete question of its own
    "谁可以申请特困供养？",  # no place, but no follow-up word either: about every report
    "北京市2023年城市低保标准是多少？",
    "那洛阳的农村低保标准是多少？",  # a follow-up word, but nothing missing
    "焦作 低保",  # a keyword query
    "低保",
    "那北京的天气呢？",  # a new topic: nothing to borrow
    "那些人可以申请低保吗",  # 那些 is not 那
    "那一个月呢",  # not a slot we know how to replace
    "And what is the dibao standard in Luoyang?",
])
def test_self_contained_questions_are_not_rewritten(question):
    assert resolve(question, [URBAN]) is None


def test_no_history_no_rewrite():
    assert resolve("那农村的呢？", []) is None
    assert resolve("那农村的呢？", None) is None
    assert resolve("那农村的呢？", ["   "]) is None


def test_a_bad_earlier_question_is_ignored_and_a_bad_question_is_an_error():
    assert resolve("那农村的呢？", ["问" * 600]) is None
    with pytest.raises(InputError):
        resolve("", [URBAN])


def test_previous_question_reads_every_history_form():
    # plain questions, oldest first
    assert previous_question(["a", URBAN]) == URBAN
    # Gradio 6 Chatbot messages (content as a list of text parts, user text HTML-escaped);
    # the assistant's 已理解为 line gives that turn's resolved question
    chat = [{"role": "user", "content": [{"type": "text", "text": URBAN}]},
            {"role": "assistant", "content": [{"type": "text", "text": "焦作市……600元[1]"}]},
            {"role": "user", "content": [{"type": "text", "text": "那农村的呢？"}]},
            {"role": "assistant", "content": "*已理解为：焦作市农村低保标准是多少？*\n\n焦作市……4524元[1]"}]
    assert previous_question(chat) == "焦作市农村低保标准是多少？"
    assert previous_question(chat, resolved=False) == "那农村的呢？"
    assert previous_question([{"role": "user", "content": "a &lt;b&gt;"}]) == "a <b>"
    # earlier answers as civilqa ask --json prints them
    assert previous_question([{"question": "洛阳呢？", "resolved_question": "洛阳市城市低保标准是多少？"}]) \
        == "洛阳市城市低保标准是多少？"
    assert previous_question([{"question": URBAN}]) == URBAN


def test_a_chain_of_follow_ups_through_assistant_ask(assistant):
    history = []
    first = assistant.ask(URBAN, history)
    assert first.resolved_question is None and "600" in first.answer
    history.append(first.to_dict())
    second = assistant.ask("那农村的呢？", history)
    assert second.question == "那农村的呢？"
    assert second.resolved_question == "焦作市农村低保标准是多少？"
    assert "4524" in second.answer and second.citations[0].city == "焦作市"
    history.append(second.to_dict())
    third = assistant.ask("漯河呢？", history)  # resolved against the resolved 农村 question
    assert third.resolved_question == "漯河市农村低保标准是多少？"
    assert "4560" in third.answer and all(c.city == "漯河市" for c in third.citations)
    assert "resolved_question" in third.to_dict()
    own = assistant.ask("洛阳孤儿一个月给多少钱", history)
    assert own.resolved_question is None and "700" in own.answer
    assert "resolved_question" not in own.to_dict()


def test_a_follow_up_about_a_year_the_reports_lack_is_refused(assistant):
    ans = assistant.ask("2020年呢？", [URBAN])
    assert ans.resolved_question == "焦作市2020年城市低保标准是多少？"
    assert not ans.answerable and "2020" in ans.answer and ans.citations == []


def test_chat_handler_resolves_and_shows_the_resolved_question(assistant):
    from ui.app import chat_turn

    history, _, _ = chat_turn(assistant, URBAN, [])
    history, cits, choices = chat_turn(assistant, "那农村的呢？", history)
    reply = history[-1]["content"]
    assert "已理解为：焦作市农村低保标准是多少？" in reply and "4524" in reply
    assert history[-2]["content"] == "那农村的呢？" and cits[0]["city"] == "焦作市" and choices
    # Gradio hands the history back with list contents: the chain goes on
    as_gradio = [{"role": m["role"], "content": [{"type": "text", "text": m["content"]}]} for m in history]
    history, _, _ = chat_turn(assistant, "漯河呢？", as_gradio)
    assert "已理解为：漯河市农村低保标准是多少？" in history[-1]["content"] and "4560" in history[-1]["content"]


def test_chat_handler_leaves_a_new_question_alone(assistant):
    from ui.app import chat_turn

    history, _, _ = chat_turn(assistant, URBAN, [])
    history, _, _ = chat_turn(assistant, "谁可以申请特困供养？", history)
    assert "已理解为" not in history[-1]["content"]


def _run(args, env, stdin):
    return subprocess.run(CLI + args, env=env, input=stdin, capture_output=True, text=True, timeout=180)


def test_cli_batch_lines_have_no_memory_but_json_lines_bring_their_history(cli_env):
    stdin = "\n".join([
        URBAN,
        "那农村的呢？",  # a plain batch line: no memory of the line before
        json.dumps({"question": "2020年呢？", "history": ["漯河市农村低保标准是多少？"]}, ensure_ascii=False),
        json.dumps({"question": "那城市的呢", "history": [{"role": "user", "content": "焦作市农村低保标准是多少？"}]},
                   ensure_ascii=False),
        json.dumps({"question": "洛阳孤儿一个月给多少钱"}, ensure_ascii=False),
    ]) + "\n"
    p = _run(["ask"], cli_env, stdin)
    assert p.returncode == 0, p.stderr
    first, second, a, b, c = [json.loads(x) for x in p.stdout.splitlines()]
    assert "600" in first["answer"]
    assert "resolved_question" not in second and "4524" not in second["answer"]
    assert a["resolved_question"] == "漯河市2020年农村低保标准是多少？" and "4560" in a["answer"]
    assert b["resolved_question"] == "焦作市城市低保标准是多少？" and "600" in b["answer"]
    assert "resolved_question" not in c and "700" in c["answer"]


def test_cli_session_resolves_follow_ups(cli_env):
    p = _run(["ask", "--session"], cli_env, f"{URBAN}\n那农村的呢？\n洛阳呢？\n")
    assert p.returncode == 0, p.stderr
    lines = [json.loads(x) for x in p.stdout.splitlines()]
    assert [x.get("resolved_question") for x in lines] == [
        None, "焦作市农村低保标准是多少？", "洛阳市农村低保标准是多少？"]
    assert "4524" in lines[1]["answer"] and lines[1]["question"] == "那农村的呢？"
    assert lines[2]["answerable"] is False  # the Luoyang report states no rural dibao standard


BAD_LINES = [
    ("{bad json", "不是合法的 JSON"),
    ('{"history": []}', "question"),
    ('{"question": "那农村的呢", "history": "焦作"}', "history"),
    ('{"question": "x", "extra": 1}', "extra"),
]


def test_cli_bad_json_lines_are_clear_errors_and_the_session_goes_on(cli_env):
    stdin = URBAN + "\n" + "".join(line + "\n" for line, _ in BAD_LINES) + "那农村的呢？\n"
    p = _run(["ask", "--session"], cli_env, stdin)
    out = [json.loads(x) for x in p.stdout.splitlines()]
    assert len(out) == len(BAD_LINES) + 2
    for n, ((_, message), bad) in enumerate(zip(BAD_LINES, out[1:-1]), 2):
        assert message in bad["error"] and bad["line"] == n
    assert out[-1]["resolved_question"] == "焦作市农村低保标准是多少？"  # bad lines do not enter the history
    assert p.returncode == 1 and "Traceback" not in p.stderr


def test_interactive_prompt_keeps_the_conversation(assistant):
    typed = iter([URBAN, "", "那农村的呢？", "问" * 600, "洛阳呢？", "退出", "never read"])
    shown, said = [], []
    run_interactive(assistant, shown.append, said.append, read=lambda prompt: next(typed))
    assert [a.resolved_question for a in shown] == [None, "焦作市农村低保标准是多少？", "洛阳市农村低保标准是多少？"]
    assert "4524" in shown[1].answer
    assert any("过长" in s for s in said)  # a bad question is reported, the session goes on
    assert next(typed) == "never read"


def test_interactive_prompt_ends_on_eof(assistant):
    def eof(prompt):
        raise EOFError

    run_interactive(assistant, lambda a: None, lambda s: None, read=eof)
