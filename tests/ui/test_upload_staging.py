"""Upload staging (issue 14, defect 8 and the temp-folder item of 10): a refused or failed upload
leaves nothing in the library or in Gradio's temp folder. Real index, real lock, real server."""
from __future__ import annotations

from pathlib import Path

from index import store
from test_kb_tab import ERR, HJ_ITEMS, OK, _generation, _upload_file, base, kb  # noqa: F401 (fixtures)
from ui.kb_tab import kb_rows, kb_upload
from eval.load import free_port


def test_an_upload_refused_by_the_lock_leaves_nothing_in_the_library(kb, tmp_path):  # noqa: F811
    a, _, lib = kb
    status, _ = kb_upload(a, [str(_upload_file(tmp_path, "惠济区总结.docx"))])
    assert status.startswith(OK)
    first = (lib / "惠济区总结.docx").read_bytes()
    before = _generation(a)
    changed = HJ_ITEMS[:-1] + [("p", "惠济区为辖区内80周岁以上老人发放高龄津贴，每人每月200元。")]
    with store.ingest_lock(a.index_dir):
        status, _ = kb_upload(a, [str(_upload_file(tmp_path / "2", "惠济区总结.docx", changed)),
                                  str(_upload_file(tmp_path / "2", "新文件.docx"))])
    assert status.startswith(ERR) and "另一个入库任务正在进行" in status
    assert _generation(a) == before
    # the new file is not in the library, the replaced one is back as it was, no staging left
    assert sorted(p.name for p in lib.iterdir()) == ["惠济区总结.docx"]
    assert (lib / "惠济区总结.docx").read_bytes() == first
    assert "新文件.docx" not in [r[0] for r in kb_rows(a)]


def test_too_many_files_in_one_upload_are_refused(kb, tmp_path):  # noqa: F811
    from assistant.kb import MAX_UPLOAD_FILES

    a, _, lib = kb
    files = [str(_upload_file(tmp_path, f"f{i}.docx")) for i in range(MAX_UPLOAD_FILES + 1)]
    status, _ = kb_upload(a, files)
    assert status.startswith(ERR) and str(MAX_UPLOAD_FILES) in status and "过多" in status
    assert not lib.exists() or not any(lib.iterdir())


def test_uploads_leave_nothing_in_the_gradio_temp_folder(kb, tmp_path):  # noqa: F811
    import gradio.utils
    from gradio_client import Client, handle_file

    from ui.app import launch

    a, _, lib = kb
    temp = Path(gradio.utils.get_upload_folder())
    port = free_port()
    demo = launch(a, host="127.0.0.1", port=port, prevent_thread_lock=True, quiet=True)
    try:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        bad = tmp_path / "refused-upload.exe"
        bad.write_bytes(b"MZ" * 10)
        good = _upload_file(tmp_path, "accepted-upload.docx")
        for path in (bad, good):
            status, *_ = client.predict([handle_file(str(path))], api_name="/kb_upload")
            assert ("不支持的文件类型" if path is bad else "新增") in status
    finally:
        demo.close()
    left = [p for p in temp.rglob("*") if p.is_file() and p.name in (bad.name, good.name)]
    assert left == [], left
    assert (lib / good.name).is_file()
