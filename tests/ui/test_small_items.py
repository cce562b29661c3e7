"""The smaller defects of issue 14 (item 10), each against the real component."""
from __future__ import annotations

import pytest

from ingest.errors import ConfigError
from test_kb_tab import ERR, base, kb  # noqa: F401 (fixtures)
from ui.kb_tab import kb_rows, kb_save


def test_a_port_out_of_range_is_a_config_error():
    from assistant.llm import resolve

    env = {"CIVILQA_LLM_BASE_URL": "http://127.0.0.1:99999/v1", "CIVILQA_LLM_MODEL": "m"}
    with pytest.raises(ConfigError) as info:
        resolve("llm", env=env)
    assert "大模型服务地址无效" in str(info.value) and "99999" not in str(info.value)


@pytest.mark.parametrize("table", ["x", 7, {"data": [["a.txt"]]}, [[["a.txt"], 1, 2, 3]], [None], [[1, 2]],
                                   {"headers": [], "data": "oops"}])
def test_kb_save_rows_of_the_wrong_shape_are_a_clear_error(kb, table):  # noqa: F811
    a, _, _ = kb
    before = kb_rows(a)
    status, rows = kb_save(a, table)
    assert status.startswith(ERR) and "格式不对" in status
    assert rows == before


def test_refusals_never_print_none_for_a_document_without_a_year(tmp_path, embedder):
    from assistant.chain import Assistant
    from assistant.kb import ARTIFACTS
    from index.builder import build_index

    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("新乡市民政局工作总结\n\n新乡市城市低保标准为每人每月650元。", encoding="utf-8")
    (src / "metadata.json").write_text('{"a.txt": {"city": "新乡市", "year": null}}', encoding="utf-8")
    build_index([src], tmp_path / "idx", embedder, artifacts=ARTIFACTS)
    a = Assistant(tmp_path / "idx", embedder)
    shown = []
    for q in ("北京市2023年城市低保标准是多少？", "新乡市2019年城市低保标准是多少？", "新乡市的护照怎么办？"):
        answer = a.ask(q)
        assert "None" not in answer.answer, (q, answer.answer)
        shown.append(answer.answer)
    assert any("年份未知" in s for s in shown), shown


def test_the_cli_does_not_follow_links_out_of_the_folder(tmp_path):
    from ingest.pipeline import discover

    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0", encoding="utf-8")
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text("焦作市", encoding="utf-8")
    (folder / "passwd.txt").symlink_to(outside)
    (folder / "alias.txt").symlink_to(folder / "a.txt")  # a link inside the folder is kept
    assert [p.name for p in discover([folder])] == ["a.txt", "alias.txt"]


def test_a_short_write_without_errno_on_a_full_disk_is_reported_as_disk_full(tmp_path, monkeypatch):
    import shutil
    from collections import namedtuple

    from index import store

    exc = OSError("12009 requested and 7136 written")
    assert "写入失败" in str(store.disk_error(tmp_path, exc))  # plenty of space here
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(100, 100, 0))
    assert "磁盘空间不足" in str(store.disk_error(tmp_path, exc))
