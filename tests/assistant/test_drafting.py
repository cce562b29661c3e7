"""起草答复: splitting a message, the verified draft over the real seed index, the template, exports."""
from __future__ import annotations

import datetime as dt
import os
import re

import pytest

from ingest.atomic import write_atomically
from assistant.drafting import (
    MAX_MESSAGE_CHARS,
    MAX_QUESTIONS,
    TEMPLATE_PATH,
    CitationNumbering,
    Question,
    changed_figures,
    chinese_count,
    chinese_number,
    draft_reply,
    export,
    load_template,
    make_point,
    parse_message,
    read_message_file,
    split_questions,
    topic_of,
)
from assistant.grounding import numbers_in
from assistant.types import Answer, Citation
from ingest.errors import CivilQAError, ConfigError, InputError

MESSAGE = ("您好！我家在焦作市农村，想问一下农村低保标准是多少？另外洛阳孤儿一个月给多少钱？"
           "还有北京市城市低保标准是多少？谢谢！")
JIAOZUO = "002_39dfedb441b95935.txt"
LUOYANG = "000_634e09650f0b344e.txt"
NOT_COVERED = "经查，现有资料未涉及“北京市城市低保标准”的相关内容，建议咨询当地民政部门。"


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


# -- the draft over the real seed index ----------------------------------------------------

@pytest.fixture(scope="module")
def draft(assistant):
    return draft_reply(assistant, MESSAGE, today=dt.date(2024, 5, 6))


def test_draft_answers_each_question_with_figure_city_year_and_basis(draft, assistant):
    p1, p2, p3 = draft.points
    assert [p.answerable for p in draft.points] == [True, True, False]
    assert "4524" in p1.text and "焦作市（2021年）" in p1.text
    assert "《焦作市民政局2021年工作回顾（焦作日报民政专版）》（焦作市民政局，2021年）[1]" in p1.text
    assert "700" in p2.text and "1100" in p2.text and "洛阳市（2017年上半年）" in p2.text
    assert "《织密社会救助网 办好民生实在事》（洛阳市民政局，2017年上半年）[2][3]" in p2.text
    assert NOT_COVERED in p3.text and p3.citations == () and "北京" not in "".join(s.text for s in draft.sources)
    assert p1.text.startswith("一、") and p3.text.startswith("三、")
    assert draft.salutation == "您好！" and "三个问题" in draft.opening
    assert draft.body.startswith("您好！") and "感谢您" in draft.body and "2024年5月6日" in draft.body
    assert draft.context == ("我家在焦作市农村",)


def test_every_point_keeps_verifiable_citations(draft, assistant):
    assert [c.marker for c in draft.sources] == list(range(1, len(draft.sources) + 1))
    assert {c.source for c in draft.points[0].citations} == {JIAOZUO}
    assert {c.source for c in draft.points[1].citations} == {LUOYANG}
    for c in draft.sources:
        assert assistant.document_text(c.source)[c.start:c.end] == c.text
    for p in draft.points:
        if not p.answerable:
            continue
        markers = {int(m) for m in re.findall(r"\[(\d+)\]", p.answer)}
        assert markers == {c.marker for c in p.citations}
        for num in numbers_in(p.answer):
            assert any(num in c.text for c in p.citations) or num in {str(c.year) for c in p.citations}, num


def test_draft_to_dict_is_json_ready(draft):
    import json

    d = json.loads(json.dumps(draft.to_dict(), ensure_ascii=False))
    assert d["points"][0]["citations"][0]["source"] == JIAOZUO
    assert d["points"][0]["carried_city"] == "焦作市" and d["points"][2]["answerable"] is False
    assert d["body"] == draft.body and len(d["source_lines"]) == len(d["sources"])


def test_a_table_span_is_one_source_line(assistant, tmp_path):
    d = draft_reply(assistant, "温县2021年的火化率是多少？")
    assert "33.06%" in d.points[0].text and "\n" in d.sources[0].text
    assert "\n" not in d.source_lines[0] and "温县 33.06% 45.08% 7" in d.source_lines[0]
    md = d.write(tmp_path / "r.md").read_text(encoding="utf-8")
    assert md.endswith(f"## 政策依据\n\n- {d.source_lines[0]}\n")


def test_a_span_cited_twice_keeps_one_number(assistant):
    d = draft_reply(assistant, "焦作市农村低保标准是多少？焦作市农村低保一年多少钱？")
    assert d.points[0].citations == d.points[1].citations and len(d.sources) == 1


def test_an_answer_that_fails_the_recheck_is_not_presented(assistant):
    text = assistant.document_text(JIAOZUO)
    s = text.index("农村最低生活保障年标准提高到4524元")
    cit = Citation(marker=1, source=JIAOZUO, title="t", city="焦作市", year=2021, text=text[s:s + 19], start=s,
                   end=s + 19)
    wrong = Answer(question="q", answer="焦作市农村最低生活保障年标准为4800元（2021年）[1]。", answerable=True,
                   citations=[cit])
    numbering = CitationNumbering()
    p = make_point(1, Question("焦作市农村低保标准", "焦作市农村低保标准"), wrong, load_template(), numbering,
                   assistant.index.documents)
    assert not p.answerable and "4800" not in p.text and "建议咨询当地民政部门" in p.text
    assert any("4800" in x for x in p.problems) and numbering.sources == ()
    right = Answer(question="q", answer="焦作市农村最低生活保障年标准为4524元（2021年）[1]。", answerable=True,
                   citations=[cit])
    assert make_point(1, Question("q", "q"), right, load_template(), numbering, assistant.index.documents).answerable


def test_draft_refuses_bad_input_before_asking(assistant):
    for bad in ("", "问" * 100_000):
        with pytest.raises(InputError):
            draft_reply(assistant, bad)


# -- the template --------------------------------------------------------------------------

def write_template(tmp_path, **changes) -> str:
    text = TEMPLATE_PATH.read_text(encoding="utf-8")
    for key, value in changes.items():
        text = re.sub(rf"^{key} = .*$", f"{key} = {value}", text, flags=re.MULTILINE)
    p = tmp_path / "tpl.toml"
    p.write_text(text, encoding="utf-8")
    return str(p)


def test_default_template_loads():
    tpl = load_template()
    assert tpl.salutation == "您好！" and "{answer}" in tpl.answered and tpl.path == str(TEMPLATE_PATH)


@pytest.mark.parametrize("changes, message", [
    ({"answered": '"{number}、经查，{basis}。"'}, r"answered 缺少必需的占位符：\{answer\}"),
    ({"not_covered": '"{number}、{city}未涉及{topic}"'}, r"not_covered 使用了未知占位符：\{city\}"),
    ({"opening": '"共{count个问题"'}, "opening 的花括号不成对"),
    ({"closing": '"{date.year}"'}, "占位符 .* 无效"),
    ({"salutation": "3"}, "salutation 应为文本"),
    ({"title": '"unterminated'}, r"格式错误.*line \d+"),
    ({"sources_heading": '"政策依据"\nextra = "x"'}, "未知条目：extra"),
])
def test_bad_template_is_an_error_naming_the_file(tmp_path, changes, message):
    path = write_template(tmp_path, **changes)
    with pytest.raises(ConfigError, match=message) as exc:
        load_template(path)
    assert path in str(exc.value)


def test_missing_template_key_and_missing_file(tmp_path):
    p = tmp_path / "t.toml"
    p.write_text('title = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="缺少条目：salutation"):
        load_template(p)
    with pytest.raises(ConfigError, match="找不到答复模板"):
        load_template(tmp_path / "none.toml")


def test_edited_template_changes_the_wording_not_the_figures(assistant, tmp_path, monkeypatch):
    path = write_template(tmp_path, salutation='"尊敬的市民：您好！"',
                          not_covered='"{number}、{question}：经查，现有资料未涉及{topic}，建议咨询当地民政部门。"')
    monkeypatch.setenv("CIVILQA_REPLY_TEMPLATE", path)
    d = draft_reply(assistant, "焦作市农村低保标准是多少？北京市城市低保标准是多少？")
    assert d.body.startswith("尊敬的市民：您好！") and d.template == path
    assert "4524" in d.points[0].text
    assert d.points[1].text == "二、北京市城市低保标准是多少：经查，现有资料未涉及北京市城市低保标准，建议咨询当地民政部门。"


# -- exports -------------------------------------------------------------------------------

def docx_text(path) -> list[str]:
    import docx

    return [p.text for p in docx.Document(str(path)).paragraphs]


def test_docx_export_has_title_body_and_sources(draft, tmp_path):
    out = draft.write(tmp_path / "reply.docx")
    paras = docx_text(out)
    text = "\n".join(paras)
    assert paras[0] == "关于群众留言的答复（草稿）" and paras[1] == "您好！"
    for figure in ("4524元", "700元", "1100元"):
        assert figure in text
    assert NOT_COVERED in text
    assert "政策依据" in paras
    for c in draft.sources:
        assert any(p.startswith(f"[{c.marker}] 《{c.title}》") and c.source in p and f"“{c.text}”" in p
                   for p in paras)
    assert [p.name for p in tmp_path.iterdir()] == ["reply.docx"]  # no temp file left behind


def test_markdown_export_and_edited_body(draft, tmp_path):
    md = draft.write(tmp_path / "reply.md").read_text(encoding="utf-8")
    assert md.startswith("# 关于群众留言的答复（草稿）\n\n您好！\n\n") and "\n## 政策依据\n\n- [1] 《" in md
    assert "4524" in md and NOT_COVERED in md and JIAOZUO in md and LUOYANG in md
    assert draft.to_markdown() == md
    edited = draft.body.replace("感谢您对民政工作的关心和支持！", "特此答复。")
    md2 = draft.write(tmp_path / "edited.md", body=edited).read_text(encoding="utf-8")
    assert "特此答复。" in md2 and "感谢您对民政工作" not in md2 and "## 政策依据" in md2


@pytest.mark.parametrize("name, message", [("reply.pdf", "不支持的导出格式"), ("nodir/reply.docx", "导出目录不存在"),
                                           (".", "导出")])
def test_bad_export_path_writes_nothing(draft, tmp_path, name, message):
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(InputError, match=message):
        draft.write(tmp_path / name)
    assert sorted(os.listdir(tmp_path)) == before


def test_empty_body_is_not_exported(draft, tmp_path):
    with pytest.raises(InputError, match="答复正文为空"):
        export(tmp_path / "r.md", "t", "  \n", "政策依据", [])
    assert not (tmp_path / "r.md").exists()


def test_failed_write_leaves_the_old_file_and_no_temp(tmp_path):
    target = tmp_path / "reply.md"
    target.write_text("old", encoding="utf-8")

    def broken(path):
        path.write_text("half", encoding="utf-8")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_atomically(target, broken)
    assert target.read_text(encoding="utf-8") == "old" and os.listdir(tmp_path) == ["reply.md"]


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


def test_draft_quotes_the_question_without_the_citizens_numbering(assistant):
    d = draft_reply(assistant, "一是焦作市农村低保一年多少钱？二是北京市城市低保标准是多少？", today=dt.date(2024, 5, 6))
    first, second = d.points
    assert "关于“焦作市农村低保一年多少钱”的问题" in first.text and "一是" not in first.text
    assert "关于“北京市城市低保标准是多少”的问题" in second.text and "二是" not in second.text
