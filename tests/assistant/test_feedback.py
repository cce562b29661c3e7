"""Feedback on answers (assistant/feedback.py): the SQLite store, its limits, CSV/XLSX export, the CLI."""
from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
import threading

import pytest

from assistant.feedback import MAX_COMMENT_CHARS, FeedbackStore, default_path
from ingest.errors import InputError

CIT = {"marker": 1, "source": "002_39dfedb441b95935.txt", "title": "焦作市民政局2021年工作回顾", "city": "焦作市",
       "year": 2021, "start": 206, "end": 225, "text": "农村最低生活保障年标准提高到4524元", "score": 0.9}


@pytest.fixture()
def store(tmp_path):
    return FeedbackStore(tmp_path / "data" / "feedback.sqlite3")


def test_votes_are_stored_with_question_answer_citations_and_time(store):
    up = store.add("up", question="焦作市农村低保标准是多少？", answer="4524元[1]", citations=[CIT])
    down = store.add("down", question="洛阳孤儿每月多少钱？", answer="700元[1]", citations=[CIT], comment=" 数字不对 ")
    assert store.path.is_file() and down.id > up.id
    newest = store.list()
    assert [f.id for f in newest] == [down.id, up.id]
    assert [f.id for f in store.list(rating="down")] == [down.id]
    f = store.list(rating="down")[0]
    assert f.comment == "数字不对" and f.question == "洛阳孤儿每月多少钱？" and f.answer == "700元[1]"
    assert f.citations[0]["source"] == CIT["source"] and "score" not in f.citations[0]
    assert f.created.endswith("+00:00")
    # nothing else is kept: the columns are exactly these
    cols = [r[1] for r in sqlite3.connect(store.path).execute("PRAGMA table_info(feedback)")]
    assert cols == ["id", "created", "rating", "comment", "question", "answer", "citations"]


@pytest.mark.parametrize("kwargs, message", [
    ({"rating": "meh"}, "评价只能是"),
    ({"comment": "长" * (MAX_COMMENT_CHARS + 1)}, f"上限 {MAX_COMMENT_CHARS} 字"),
    ({"answer": "  "}, "问题或回答为空"),
    ({"citations": [CIT] * 51}, "引用过多"),
])
def test_bad_votes_are_refused_and_write_nothing(store, kwargs, message):
    args = {"rating": "down", "question": "q", "answer": "a", "citations": [CIT], "comment": ""} | kwargs
    rating = args.pop("rating")
    with pytest.raises(InputError, match=message):
        store.add(rating, **args)
    assert store.list() == []


def test_concurrent_votes_are_all_kept(store):
    def vote(i):
        store.add("down" if i % 2 else "up", question=f"问题{i}", answer=f"回答{i}")

    threads = [threading.Thread(target=vote, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(f.question for f in store.list()) == sorted(f"问题{i}" for i in range(16))


def test_export_csv_and_xlsx(store, tmp_path):
    store.add("down", question="焦作市农村低保标准是多少？", answer="=HYPERLINK(\"x\") 4524元[1]", citations=[CIT],
              comment="应该是2022年的")
    store.add("up", question="q2", answer="a2")
    path, n = store.export(tmp_path / "反馈.csv", rating="down")
    assert n == 1
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert rows[0] == ["编号", "时间", "评价", "意见", "问题", "回答", "引用"]
    assert rows[1][2] == "👎" and rows[1][3] == "应该是2022年的"
    assert rows[1][5].startswith("'=")  # a formula is written as text
    assert "焦作市民政局2021年工作回顾" in rows[1][6] and CIT["source"] in rows[1][6]
    from openpyxl import load_workbook

    path, n = store.export(tmp_path / "反馈.xlsx")
    ws = load_workbook(path).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert n == 2 and values[0][2] == "评价" and {values[1][2], values[2][2]} == {"👍", "👎"}
    assert not list(tmp_path.glob(".*.tmp"))  # the atomic writer left no temp file


@pytest.mark.parametrize("name, message", [("out.pdf", "不支持的导出格式"), ("missing/out.csv", "导出目录不存在")])
def test_export_refuses_bad_paths(store, tmp_path, name, message):
    store.add("down", question="q", answer="a")
    with pytest.raises(InputError, match=message):
        store.export(tmp_path / name)


def test_default_path_is_beside_the_index(tmp_path, monkeypatch):
    monkeypatch.delenv("CIVILQA_FEEDBACK_DB", raising=False)
    assert default_path(tmp_path / "idx") == (tmp_path / "feedback.sqlite3").resolve()
    monkeypatch.setenv("CIVILQA_FEEDBACK_DB", str(tmp_path / "x.sqlite3"))
    assert default_path(tmp_path / "idx") == (tmp_path / "x.sqlite3").resolve()


def _cli(args, env_db):
    import os

    env = {**os.environ, "CIVILQA_FEEDBACK_DB": str(env_db), "COLUMNS": "60"}
    return subprocess.run([sys.executable, "-m", "ui", "feedback", *args], env=env,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.system  # the CLI in a subprocess
def test_cli_list_and_export(store, tmp_path):
    store.add("down", question="焦作市农村低保标准是多少？", answer="4524元[1]", citations=[CIT], comment="太旧了")
    store.add("up", question="洛阳孤儿每月多少钱？", answer="700元[1]")
    p = _cli(["list", "--rating", "down"], store.path)
    assert p.returncode == 0, p.stderr
    assert "👎" in p.stdout and "太旧了" in p.stdout and "焦作市农村低保标准是多少？" in p.stdout
    assert "洛阳孤儿" not in p.stdout
    items = json.loads(_cli(["list", "--json"], store.path).stdout)
    assert [i["rating"] for i in items] == ["up", "down"]
    out = tmp_path / "export.xlsx"
    p = _cli(["export", str(out)], store.path)
    assert p.returncode == 0 and out.is_file() and "已导出 2 条" in p.stdout
    p = _cli(["list", "--rating", "bad"], store.path)
    assert p.returncode == 2 and "--rating 只能是" in p.stderr
