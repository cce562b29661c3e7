"""assistant/drafting/export.py: .docx and .md exports, atomic, nothing written on a bad path or an empty body."""
from __future__ import annotations

import os

import pytest
from drafting_samples import JIAOZUO, LUOYANG, NOT_COVERED

from ingest.atomic import write_atomically
from assistant.drafting import (
    export,
)
from ingest.errors import InputError


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
