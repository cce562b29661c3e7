"""The 知识库管理 tab takes the office formats: a workbook and an OFD uploaded through its
handler are indexed, listed and answerable; an unsupported type is refused by name."""
from __future__ import annotations

from format_samples import make_ofd, make_xlsx
from index.builder import build_index
from ui.kb_tab import kb_upload

OK, ERR = "<b>完成：</b>", "<b>错误：</b>"

def test_upload_of_a_workbook_and_an_ofd(tmp_path, embedder):
    from assistant.chain import Assistant

    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("温县民政局2020年工作简报\n\n温县2020年火化率达到100%。", encoding="utf-8")
    build_index([src], tmp_path / "idx", embedder)
    a = Assistant(tmp_path / "idx", embedder)
    up = tmp_path / "gradio-upload"
    up.mkdir()
    status, rows = kb_upload(a, [str(make_xlsx(up / "焦作低保标准.xlsx")), str(make_ofd(up / "洛阳通知.ofd"))])
    assert status.startswith(OK) and "焦作低保标准.xlsx" in status and "洛阳通知.ofd" in status
    assert (tmp_path / "library" / "焦作低保标准.xlsx").is_file()
    assert {"焦作低保标准.xlsx", "洛阳通知.ofd"} <= {r[0] for r in rows}
    answer = a.ask("洛阳市农村低保标准是多少？")
    assert "5328" in answer.answer and answer.citations[0].source == "洛阳通知.ofd"
    bad = up / "演示.key"
    bad.write_bytes(b"PK\x03\x04")
    status, _ = kb_upload(a, [str(bad)])
    assert status.startswith(ERR) and "演示.key" in status and ".xlsx" in status and ".ofd" in status
