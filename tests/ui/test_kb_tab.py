"""The 知识库管理 tab: its handlers on a private index and a running Assistant, and the real
server (upload and delete over HTTP with gradio_client, then asking the same server)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from kb_samples import make_docx, make_html, make_pdf, make_scanned_pdf

from assistant.kb import MAX_UPLOAD_BYTES
from index import store
from index.builder import build_index
from ui.kb_tab import HEADERS, kb_delete, kb_reindex, kb_rows, kb_save, kb_upload

A_TXT = "温县民政局2020年工作简报\n\n温县2020年火化率达到100%，新建农村幸福院12所。"
HJ_ITEMS = [("h1", "郑州市惠济区民政局2016年工作总结"),
            ("p", "惠济区2016年城市低保标准为每人每月550元，农村低保标准为每人每月320元。"),
            ("p", "惠济区为辖区内80周岁以上老人发放高龄津贴，每人每月100元。")]
HJ_Q = "惠济区高龄津贴每人每月多少钱？"
OK, ERR = "<b>完成：</b>", "<b>错误：</b>"


@pytest.fixture(scope="module")
def base(tmp_path_factory, embedder) -> Path:
    root = tmp_path_factory.mktemp("kbtab")
    src = root / "src"
    src.mkdir()
    (src / "a.txt").write_text(A_TXT, encoding="utf-8")
    make_html(src / "lh.html")
    make_pdf(src / "ly.pdf")
    assert build_index([src], root / "idx", embedder).errors == []
    return root


@pytest.fixture()
def kb(base, tmp_path, embedder):
    """(assistant, sources dir, library dir) over a private copy of the index."""
    from assistant.chain import Assistant

    shutil.copytree(base / "src", tmp_path / "src")
    shutil.copytree(base / "idx", tmp_path / "idx")
    build_index([tmp_path / "src"], tmp_path / "idx", embedder)  # record the copy's paths
    a = Assistant(tmp_path / "idx", embedder)
    return a, tmp_path / "src", tmp_path / "library"


def _generation(assistant) -> str:
    return (assistant.index_dir / "CURRENT").read_text(encoding="utf-8")


def _upload_file(tmp_path: Path, name: str, items=HJ_ITEMS) -> Path:
    """Where gradio puts an upload: a temporary folder, under the original file name."""
    folder = tmp_path / "gradio-upload"
    folder.mkdir(parents=True, exist_ok=True)
    return make_docx(folder / name, items)


def test_rows_list_the_indexed_files(kb):
    a, _, _ = kb
    rows = kb_rows(a)
    assert [r[0] for r in rows] == ["a.txt", "lh.html", "ly.pdf"]
    assert all(len(r) == len(HEADERS) for r in rows)
    by = {r[0]: r for r in rows}
    assert by["ly.pdf"][1:6] == ["pdf", "洛阳市", 2017, by["ly.pdf"][4], "3页"] and by["ly.pdf"][4] > 0
    assert by["lh.html"][2:4] == ["漯河市", 2020] and by["a.txt"][7] == "src/"


@pytest.mark.parametrize("name, size, words", [
    ("setup.exe", 100, "不支持的文件类型"),
    ("报告.key", 100, "不支持的文件类型"),  # .doc is read now (LibreOffice)
    ("metadata.json", 100, "不支持的文件类型"),
    ("big.pdf", MAX_UPLOAD_BYTES + 1, f"上限 {MAX_UPLOAD_BYTES} 字节"),
    ("empty.txt", 0, "文件为空"),
])
def test_bad_uploads_are_refused_before_parsing_and_change_nothing(kb, tmp_path, name, size, words):
    a, _, lib = kb
    p = tmp_path / "up" / name
    p.parent.mkdir()
    with open(p, "wb") as f:  # sparse: the content is never looked at (it is not a valid PDF either)
        f.truncate(size)
    before = _generation(a)
    status, rows = kb_upload(a, [str(p)])
    assert status.startswith(ERR) and words in status and name in status
    assert _generation(a) == before and [r[0] for r in rows] == ["a.txt", "lh.html", "ly.pdf"]
    assert not lib.exists() or not [x for x in lib.iterdir() if not x.name.startswith(".")]


def test_upload_goes_to_the_library_and_the_running_assistant_answers_from_it(kb, tmp_path):
    a, src, lib = kb
    assert a.ask(HJ_Q).answerable is False
    stages = []
    status, rows = kb_upload(a, [str(_upload_file(tmp_path, "惠济区总结.docx"))],
                             progress=lambda stage, done, total: stages.append(stage))
    assert status.startswith(OK) and "新增 惠济区总结.docx" in status, status
    assert {"检查", "读取", "写入", "完成"} <= set(stages)
    assert (lib / "惠济区总结.docx").is_file() and not (src / "惠济区总结.docx").exists()
    assert not [x for x in lib.iterdir() if x.name.startswith(".staging")]
    row = next(r for r in rows if r[0] == "惠济区总结.docx")
    assert row[1:4] == ["docx", "郑州市惠济区", 2016] and row[5] == "3段" and row[7] == "上传目录"
    out = a.ask(HJ_Q).to_dict()  # no restart: the tab reloaded the assistant
    assert out["answerable"] and "100" in out["answer"]
    assert out["citations"][0]["source"] == "惠济区总结.docx" and out["citations"][0]["paragraph"] == 3


@pytest.mark.slow  # the scan goes through OCR first
def test_unreadable_upload_is_refused_by_name_and_never_enters_the_library(kb, tmp_path):
    a, _, lib = kb
    scan = make_scanned_pdf(tmp_path / "扫描件.pdf")
    before = _generation(a)
    status, _ = kb_upload(a, [str(scan)])
    assert status.startswith(ERR) and "无可提取文字" in status and "扫描件.pdf" in status
    assert _generation(a) == before and not (lib / "扫描件.pdf").exists()
    # with a good file in the same upload: the good one is added, the bad one named
    status, rows = kb_upload(a, [str(scan), str(_upload_file(tmp_path, "惠济区总结.docx"))])
    assert status.startswith(OK) and "新增 惠济区总结.docx" in status
    assert "跳过" in status and "扫描件.pdf" in status and not (lib / "扫描件.pdf").exists()


def test_upload_with_the_name_of_a_file_indexed_elsewhere_is_refused(kb, tmp_path):
    a, _, _ = kb
    p = tmp_path / "a.txt"
    p.write_text("另一个 a.txt：焦作市农村低保标准4524元。", encoding="utf-8")
    before = _generation(a)
    status, _ = kb_upload(a, [str(p)])
    assert status.startswith(ERR) and "同名" in status and "a.txt" in status
    assert _generation(a) == before


def test_second_upload_of_the_same_name_replaces_the_first(kb, tmp_path):
    a, _, lib = kb
    kb_upload(a, [str(_upload_file(tmp_path, "惠济区总结.docx"))])
    items = [(k, v.replace("100元", "120元")) for k, v in HJ_ITEMS]
    status, _ = kb_upload(a, [str(_upload_file(tmp_path / "second", "惠济区总结.docx", items))])
    assert "更新 惠济区总结.docx" in status
    out = a.ask(HJ_Q)
    assert "120" in out.answer and "100元" not in out.answer
    assert all("100元" not in c.text for c in out.citations)


def test_edited_city_and_year_are_saved_in_the_sidecar_and_reindexed(kb):
    a, src, _ = kb
    rows = kb_rows(a)
    edited = [list(r) for r in rows]
    i = [r[0] for r in rows].index("lh.html")
    edited[i][3] = "2019"
    j = [r[0] for r in rows].index("a.txt")
    edited[j][2] = "武陟县"  # detected as 焦作市温县 (its text is about 温县): a real correction
    status, new_rows = kb_save(a, edited)
    assert status.startswith(OK) and "lh.html（漯河市，2019）" in status, status
    sidecar = json.loads((src / "metadata.json").read_text(encoding="utf-8"))
    assert sidecar == {"lh.html": {"city": "漯河市", "year": 2019}, "a.txt": {"city": "焦作市武陟县", "year": 2020}}
    by = {r[0]: r for r in new_rows}
    assert by["lh.html"][3] == 2019 and by["a.txt"][2] == "焦作市武陟县"
    docs = {d["source"]: d for d in a.documents()}
    assert docs["lh.html"]["year"] == 2019 and docs["a.txt"]["city"] == "焦作市武陟县"
    assert {c.meta["year"] for c in a.index.chunks if c.source == "lh.html"} == {2019}
    assert kb_save(a, new_rows)[0] == "没有修改需要保存。"


@pytest.mark.parametrize("col, value, words", [(2, "火星市", "未知地区"), (3, "二〇二〇", "年份无效"),
                                               (3, "1800", "年份超出范围")])
def test_invalid_edits_are_refused_and_nothing_is_written(kb, col, value, words):
    a, src, _ = kb
    edited = [list(r) for r in kb_rows(a)]
    edited[0][col] = value
    before = _generation(a)
    status, _ = kb_save(a, edited)
    assert status.startswith(ERR) and words in status
    assert not (src / "metadata.json").exists() and _generation(a) == before


def test_delete_from_the_tab(kb, tmp_path):
    a, src, lib = kb
    kb_upload(a, [str(_upload_file(tmp_path, "惠济区总结.docx"))])
    status, rows = kb_delete(a, "惠济区总结.docx")
    assert status.startswith(OK) and "已同时删除上传目录中的文件" in status
    assert not (lib / "惠济区总结.docx").exists() and "惠济区总结.docx" not in [r[0] for r in rows]
    assert a.ask(HJ_Q).answerable is False
    status, rows = kb_delete(a, "ly.pdf")
    assert "保留在磁盘上" in status and (src / "ly.pdf").is_file()
    assert not any(c.source == "ly.pdf" for c in a.ask("洛阳市散居孤儿基本生活保障标准是多少？").citations)
    assert kb_delete(a, None)[0] == "请先选择要删除的文件。"


def test_reindex_picks_up_changed_files(kb):
    a, src, _ = kb
    (src / "a.txt").write_text(A_TXT.replace("12所", "15所"), encoding="utf-8")
    status, _ = kb_reindex(a)
    assert status.startswith(OK) and "更新 a.txt" in status
    out = a.ask("温县新建农村幸福院多少所？")
    assert "15" in out.answer and "12所" not in out.answer


def test_a_change_while_another_ingest_runs_is_refused_clearly(kb, tmp_path):
    a, _, lib = kb
    before = _generation(a)
    with store.ingest_lock(a.index_dir):
        for status, _ in (kb_upload(a, [str(_upload_file(tmp_path, "惠济区总结.docx"))]), kb_reindex(a),
                          kb_delete(a, "a.txt")):
            assert status.startswith(ERR) and "另一个入库任务正在进行" in status
    assert _generation(a) == before and [r[0] for r in kb_rows(a)] == ["a.txt", "lh.html", "ly.pdf"]


# -- the real server -----------------------------------------------------------------------------------

def test_server_upload_delete_and_ask(kb, tmp_path, serve):
    import httpx
    from gradio_client import Client, handle_file
    a, _, lib = kb
    with serve(a) as url:
        config = httpx.get(url + "config", timeout=30).json()
        ids = {c.get("props", {}).get("elem_id") for c in config["components"]}
        assert {"kb-upload", "kb-table", "kb-save", "kb-doc", "kb-delete", "kb-reindex", "kb-status"} <= ids
        client = Client(url, verbose=False)
        status, table, _, _ = client.predict([handle_file(str(_upload_file(tmp_path, "惠济区总结.docx")))],
                                             api_name="/kb_upload")
        assert OK in status and "新增 惠济区总结.docx" in status
        assert "惠济区总结.docx" in json.dumps(table, ensure_ascii=False)
        assert (lib / "惠济区总结.docx").is_file()
        history, *_ = client.predict(HJ_Q, [], api_name="/ask")
        assert "100" in str(history[-1]["content"]) and "第3段" in str(history[-1]["content"])
        bad = tmp_path / "x.exe"
        bad.write_bytes(b"MZ" * 10)
        status, *_ = client.predict([handle_file(str(bad))], api_name="/kb_upload")
        assert "不支持的文件类型" in status
        status, *_ = client.predict("惠济区总结.docx", api_name="/kb_delete")
        assert OK in status and not (lib / "惠济区总结.docx").exists()
        history, *_ = client.predict(HJ_Q, [], api_name="/ask")
        assert "资料中没有" in str(history[-1]["content"])


def test_citation_labels_show_page_or_paragraph():
    from ui.app import citation_label, render_source

    base = {"marker": 1, "title": "T", "city": "洛阳市", "year": 2017, "source": "ly.pdf", "start": 2, "end": 4}
    assert citation_label({**base, "page": 2}) == "[1] T（洛阳市，2017年，第2页）"
    assert citation_label({**base, "paragraph": 4}) == "[1] T（洛阳市，2017年，第4段）"
    assert citation_label(base) == "[1] T（洛阳市，2017年）"
    assert "第2页" in render_source("前文标准700元后文", {**base, "page": 2})


# -- upload staging (issue 14, defect 8 and the temp-folder item of 10): a refused or failed upload
# leaves nothing in the library or in Gradio's temp folder. Real index, real lock, real server.


def test_an_upload_refused_by_the_lock_leaves_nothing_in_the_library(kb, tmp_path):
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


def test_too_many_files_in_one_upload_are_refused(kb, tmp_path):
    from assistant.kb import MAX_UPLOAD_FILES

    a, _, lib = kb
    files = [str(_upload_file(tmp_path, f"f{i}.docx")) for i in range(MAX_UPLOAD_FILES + 1)]
    status, _ = kb_upload(a, files)
    assert status.startswith(ERR) and str(MAX_UPLOAD_FILES) in status and "过多" in status
    assert not lib.exists() or not any(lib.iterdir())


def test_uploads_leave_nothing_in_the_gradio_temp_folder(kb, tmp_path, serve):
    import gradio.utils
    from gradio_client import Client, handle_file
    a, _, lib = kb
    temp = Path(gradio.utils.get_upload_folder())
    with serve(a) as base:
        client = Client(f"{base}", verbose=False)
        bad = tmp_path / "refused-upload.exe"
        bad.write_bytes(b"MZ" * 10)
        good = _upload_file(tmp_path, "accepted-upload.docx")
        for path in (bad, good):
            status, *_ = client.predict([handle_file(str(path))], api_name="/kb_upload")
            assert ("不支持的文件类型" if path is bad else "新增") in status
    left = [p for p in temp.rglob("*") if p.is_file() and p.name in (bad.name, good.name)]
    assert left == [], left
    assert (lib / good.name).is_file()
