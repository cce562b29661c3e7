"""The example questions come from the index served: an office's own documents (made up here, of a
province the seed reports never mention) give examples naming its places, on the 问答 tab's buttons
and placeholder, in the 起草答复 tab's placeholder and in the draft's "no question" error; an index
without standards names no place."""
from __future__ import annotations

import pytest

from assistant.chain import Assistant
from assistant.examples import example_questions, examples_for
from assistant.kb import ARTIFACTS
from index.builder import build_index
from ingest.errors import InputError

pytestmark = pytest.mark.integration

DOCUMENTS = {
    "chengdu_2022.txt": "成都市民政局关于2022年社会救助工作的报告\n\n2022年，成都市农村低保标准提高到每人每月650元，"
                        "城市低保标准提高到每人每月800元。",
    "chengdu_orphans.txt": "成都市民政局通知\n\n成都市社会散居孤儿基本生活最低养育标准为每人每月1400元。"
                           "农村低保标准为每人每月650元。",
    "mianyang_2022.txt": "绵阳市民政局2022年工作总结\n\n绵阳市农村低保标准提高到每人每月560元。",
}


@pytest.fixture(scope="module")
def office(tmp_path_factory, fake_embedder):
    base = tmp_path_factory.mktemp("office")
    src = base / "src"
    src.mkdir()
    for name, text in DOCUMENTS.items():
        (src / name).write_text(text, encoding="utf-8")
    report = build_index([src], base / "idx", fake_embedder, artifacts=ARTIFACTS)
    assert report.errors == []
    return Assistant(base / "idx", fake_embedder)


def test_the_examples_name_the_offices_own_places(office):
    examples = examples_for(office)
    assert examples[0] == "成都市农村低保标准是多少？"  # the region most documents are about, first
    assert "绵阳市农村低保标准是多少？" in examples
    assert examples[-1] == "各地的农村低保标准分别是多少？"  # stated by both regions
    assert not any(seed in q for q in examples for seed in ("焦作", "洛阳", "惠济", "漯河"))
    assert example_questions(office.standards, "绵阳市")[0] == "绵阳市农村低保标准是多少？"


def test_no_standards_no_place_but_the_place_most_documents_are_about():
    assert example_questions(None, None) == ["低保标准是多少？"]
    assert example_questions([], "成都市") == ["成都市低保标准是多少？"]


def test_the_chat_tab_and_the_draft_error_use_them(office):
    import gradio as gr

    from assistant.drafting import draft_reply
    from ui.app import build

    demo = build(office)
    buttons = [b.value for b in demo.blocks.values()
               if isinstance(b, gr.Button) and "civilqa-example" in (b.elem_classes or [])]
    assert buttons == examples_for(office)
    box = next(b for b in demo.blocks.values() if getattr(b, "elem_id", None) == "question")
    assert box.placeholder == "例如：成都市农村低保标准是多少？"
    draft_box = next(b for b in demo.blocks.values() if getattr(b, "elem_id", None) == "draft-input")
    assert draft_box.placeholder == "例如：您好！想问一下成都市农村低保标准是多少？另外绵阳市农村低保标准是多少？谢谢！"
    with pytest.raises(InputError, match="例如：成都市农村低保标准是多少？"):
        draft_reply(office, "领导您好，谢谢。")
