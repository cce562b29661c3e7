"""ingest.atomic: the one atomic writer (files and folders), used by every layer."""
from __future__ import annotations

import json
import os
import sqlite3

import pytest

from ingest.atomic import (
    write_atomically, write_bytes_atomic, write_dir_atomically, write_json_atomic, write_text_atomic,
)


def _left(folder):
    return sorted(p.name for p in folder.iterdir())


def test_bytes_text_and_json_replace_whole(tmp_path):
    p = tmp_path / "a.bin"
    write_bytes_atomic(p, b"old")
    write_bytes_atomic(p, b"new")
    assert p.read_bytes() == b"new"
    write_text_atomic(tmp_path / "t.txt", "焦作低保")
    assert (tmp_path / "t.txt").read_text(encoding="utf-8") == "焦作低保"
    write_json_atomic(tmp_path / "j.json", {"城市": "焦作"})
    raw = (tmp_path / "j.json").read_text(encoding="utf-8")
    assert "焦作" in raw and json.loads(raw) == {"城市": "焦作"}
    assert _left(tmp_path) == ["a.bin", "j.json", "t.txt"]  # no temporary behind


def test_a_failing_write_keeps_the_old_file_and_no_temporary(tmp_path):
    p = tmp_path / "keep.json"
    write_json_atomic(p, [1])
    with pytest.raises(TypeError):
        write_json_atomic(p, {"x": object()})
    assert json.loads(p.read_text(encoding="utf-8")) == [1]

    def broken(tmp):
        tmp.write_bytes(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError):
        write_atomically(p, broken)
    assert json.loads(p.read_text(encoding="utf-8")) == [1]
    assert _left(tmp_path) == ["keep.json"]


def test_write_atomically_lets_the_writer_create_the_file(tmp_path):
    """SQLite (the jieba cache) and python-docx create the file themselves."""
    p = tmp_path / "c.sqlite3"

    def write(tmp):
        assert not tmp.exists()
        with sqlite3.connect(tmp) as conn:
            conn.execute("CREATE TABLE t (x)")
        conn.close()

    write_atomically(p, write)
    with sqlite3.connect(p) as conn:
        assert conn.execute("SELECT count(*) FROM t").fetchone() == (0,)
    conn.close()
    assert _left(tmp_path) == ["c.sqlite3"]


def test_a_folder_appears_whole_under_a_free_name(tmp_path):
    def fill(d):
        (d / "report.md").write_text("# 报告", encoding="utf-8")

    first = write_dir_atomically(tmp_path, "run", fill)
    second = write_dir_atomically(tmp_path, "run", fill)
    assert (first.name, second.name) == ("run", "run-2")
    assert (second / "report.md").read_text(encoding="utf-8") == "# 报告"

    def broken(d):
        (d / "half.md").write_text("x", encoding="utf-8")
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        write_dir_atomically(tmp_path, "run", broken)
    assert _left(tmp_path) == ["run", "run-2"]
