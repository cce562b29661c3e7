"""assistant/drafting/draft.py: the verified draft over the real seed index (figures, city, year and basis per
question, citations renumbered across the reply and re-checked)."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from drafting_samples import JIAOZUO, LUOYANG, NOT_COVERED

from assistant.drafting import (
    CitationNumbering,
    Question,
    draft_reply,
    load_template,
    make_point,
)
from assistant.grounding import numbers_in
from assistant.types import Answer, Citation
from ingest.errors import InputError


# -- the draft over the real seed index ----------------------------------------------------

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


def test_draft_quotes_the_question_without_the_citizens_numbering(assistant):
    d = draft_reply(assistant, "一是焦作市农村低保一年多少钱？二是北京市城市低保标准是多少？", today=dt.date(2024, 5, 6))
    first, second = d.points
    assert "关于“焦作市农村低保一年多少钱”的问题" in first.text and "一是" not in first.text
    assert "关于“北京市城市低保标准是多少”的问题" in second.text and "二是" not in second.text
