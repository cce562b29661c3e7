"""Tab 起草答复: the handler functions directly, then the real server over HTTP (gradio_client)."""
from __future__ import annotations

from pathlib import Path

import pytest

from ui.draft_tab import DraftExports, draft_message, export_draft

MESSAGE = ("您好！我家在焦作市农村，想问一下农村低保标准是多少？另外洛阳孤儿一个月给多少钱？"
           "还有北京市城市低保标准是多少？谢谢！")
NOT_COVERED = "经查，现有资料未涉及“北京市城市低保标准”的相关内容，建议咨询当地民政部门。"


def docx_text(path) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


@pytest.fixture(scope="module")
def drafted(assistant):
    return draft_message(assistant, MESSAGE)


def test_draft_message_gives_text_sources_state_and_status(drafted):
    body, rows, state, status = drafted
    assert body.startswith("您好！") and "4524" in body and "700" in body and NOT_COVERED in body
    # a person reads the report title first; the file and offsets sit in the last, checking column
    assert rows[0][:4] == ["[1]", "焦作市民政局2021年工作回顾（焦作日报民政专版）", "焦作市", 2021]
    assert rows[0][5] == "农村最低生活保障年标准提高到4524元"
    assert rows[0][6].startswith("文件 002_39dfedb441b95935.txt，第") and "002_" not in "".join(map(str, rows[0][:6]))
    assert len(rows) == len(state["sources"]) == len(state["source_lines"])
    assert "共 3 个问题：2 个有资料依据，1 个资料未涉及" in status
    assert "按留言前文所说的焦作市作答" in status and "“我家在焦作市农村”" in status


@pytest.mark.parametrize("message, error", [("", "留言不能为空"), ("问" * 100_000, "上限 5000 字"),
                                            ("您好！谢谢！", "没有找到问题")])
def test_draft_message_errors_become_the_status(assistant, message, error):
    body, rows, state, status = draft_message(assistant, message)
    assert body == "" and rows == [] and state is None and error in status and status.startswith("⚠️")


def test_status_escapes_the_message(assistant):
    _, _, _, status = draft_message(assistant, "我家在<b>焦作</b>。农村低保标准是多少？")
    assert "<b>" not in status and "&lt;b&gt;" in status


def test_export_docx_and_md_from_the_edited_text(drafted, tmp_path):
    body, _rows, state, _ = drafted
    exports = DraftExports(tmp_path / "exports")
    path, status = export_draft(exports, state, body, "docx")
    text = docx_text(path)
    assert path.endswith("答复草稿.docx") and path.startswith(str(tmp_path / "exports"))
    assert "4524" in text and NOT_COVERED in text and "政策依据" in text and "002_39dfedb441b95935.txt" in text
    assert "已导出" in status and "⚠️" not in status
    edited = body.replace("感谢您对民政工作的关心和支持！", "特此答复，另有补助 888 元。")
    path, status = export_draft(exports, state, edited, "md")
    md = Path(path).read_text(encoding="utf-8")
    assert "特此答复" in md and "感谢您对民政工作" not in md and "## 政策依据" in md
    assert "888" in status and "未经资料核实" in status


def test_export_without_draft_or_with_empty_text_writes_nothing(drafted, tmp_path):
    exports = DraftExports(tmp_path / "exports")
    assert export_draft(exports, None, "x", "docx") == (None, "⚠️ 请先点击“起草”生成答复草稿，再导出。")
    path, status = export_draft(exports, drafted[2], "  ", "md")
    assert path is None and "答复正文为空" in status
    path, status = export_draft(exports, drafted[2], drafted[0], "pdf")
    assert path is None and "不支持的导出格式" in status
    assert not any(p.is_file() for p in (tmp_path / "exports").rglob("*"))


def test_exports_folder_keeps_only_the_latest(tmp_path):
    exports = DraftExports(tmp_path / "e", keep=2)
    paths = []
    for _ in range(4):
        paths.append(exports.new_path(".md"))
        paths[-1].write_text("x", encoding="utf-8")
    assert sorted(p.parent for p in (tmp_path / "e").rglob("*.md")) == sorted({p.parent for p in paths[-2:]})


# -- the real server ----------------------------------------------------------------------------

def test_server_drafts_and_serves_the_docx(app_server):
    from gradio_client import Client

    client = Client(app_server, verbose=False)
    body, sources, status, download = client.predict(MESSAGE, api_name="/draft")
    assert "4524" in body and NOT_COVERED in body and download is None
    assert sources["data"][0][6].startswith("文件 002_39dfedb441b95935.txt，第") and "2 个有资料依据" in status
    path, status = client.predict(body, api_name="/draft_docx")
    text = docx_text(path)
    assert "4524" in text and "700" in text and NOT_COVERED in text and "织密社会救助网 办好民生实在事" in text
    path, _ = client.predict(body, api_name="/draft_md")
    assert Path(path).read_text(encoding="utf-8").startswith("# 关于群众留言的答复")


def test_server_refuses_bad_messages_and_export_before_draft(app_server):
    from gradio_client import Client

    client = Client(app_server, verbose=False)
    path, status = client.predict("随便写点", api_name="/draft_docx")
    assert path is None and "请先点击“起草”" in status
    body, _sources, status, download = client.predict("问" * 100_000, api_name="/draft")
    assert body == "" and "上限 5000 字" in status and download is None


def test_draft_tab_components_have_ids(assistant):
    from ui.app import build

    demo = build(assistant)
    ids = {getattr(b, "elem_id", None) for b in demo.blocks.values()}
    assert {"draft-tab", "draft-input", "draft-button", "draft-output", "draft-sources", "draft-status",
            "draft-export-docx", "draft-export-md", "draft-file"} <= ids
