"""A question that points at the document itself (表中, 文中, 该通知中, 本办法) asks about the
document's subject: the reference is no topic of the question (vocabulary ``document_refs``).
Places are real; documents and figures are made up for the tests."""
from __future__ import annotations

import pytest

from assistant.docrefs import document_ref_spans
from assistant.query import analyze

DOCS = {
    "gansu_dibao.txt": (
        "甘肃省民政厅关于公布2024年各市城乡低保标准的通知\n\n"
        "各市（州）民政局：经省政府同意，现将各市城乡低保标准公布如下，自2024年3月1日起执行。\n\n"
        "市（州）\t城市低保月标准（元）\t农村低保年标准（元）\n"
        "兰州市\t820\t5900\n天水市\t760\t5500\n酒泉市\t880\t6100\n"),
    "gansu_linshi.txt": (
        "甘肃省临时救助实施办法\n\n"
        "第五条 本办法所称临时救助，是指对遭遇突发性、紧急性困难的家庭或个人给予的应急性、过渡性救助。\n"
        "第九条 申请临时救助，由申请人向户籍所在地乡镇人民政府（街道办事处）提出。\n"),
}


@pytest.mark.parametrize("question,kept,dropped", [
    ("甘肃省表中哪个市的城市低保标准最高？", ["城市", "低保"], ["表中"]),
    ("上表里天水市农村低保是多少", ["农村", "低保"], ["上表", "表里"]),
    ("这份文件里说的临时救助找谁申请", ["临时救助"], ["这份", "文件"]),
    ("该通知中提到的补贴什么时候执行", ["补贴"], ["通知"]),
    ("本办法所称临时救助是指什么", ["临时救助"], ["办法"]),
    # the same characters inside other words are no reference to the document
    ("村民代表中有多少低保户", ["村民代表"], []),
    ("申请材料中要有身份证吗", ["申请材料"], []),
])
def test_a_reference_to_the_document_is_no_term_of_the_question(question, kept, dropped):
    terms = analyze(question).terms
    assert all(t in terms for t in kept), terms
    assert not any(d in t for t in terms for d in dropped), terms


def test_a_reference_is_found_only_as_whole_words():
    assert document_ref_spans("文中提到的补贴") == [(0, 2)]
    assert document_ref_spans("村民代表中有多少低保户") == []
    assert document_ref_spans("网上表示低保标准是多少") == []


@pytest.fixture(scope="module")
def refs_assistant(make_answer_assistant):
    return make_answer_assistant("document-refs", DOCS)


def test_a_refusal_names_the_topic_not_the_reference(refs_assistant):
    a = refs_assistant.ask("甘肃省表中哪个市的高龄津贴最高？")
    assert not a.answerable and "高龄津贴" in a.answer and "表中" not in a.answer, a.answer
