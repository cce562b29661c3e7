"""``civilqa standards`` as a user runs it: a real subprocess against the prebuilt seed index."""
from __future__ import annotations

import json
import os
import subprocess
import sys

CLI = [sys.executable, "-m", "ui", "standards"]


def run(args, env, extra=(), timeout=120):
    return subprocess.run([sys.executable, *extra, "-m", "ui", "standards", *args], env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout)


def test_json_rows_for_a_region_and_category(cli_env):
    p = run(["--json", "--region", "焦作", "--category", "农村低保"], cli_env)
    assert p.returncode == 0, p.stderr
    rows = json.loads(p.stdout)
    assert rows and all(r["region"] == "焦作市" and r["category"] == "农村低保" for r in rows)
    r = rows[0]
    assert r["amount"] == "4524" and r["year"] == 2021 and r["period"] == "年"
    assert r["source"] == "002_39dfedb441b95935.txt" and "4524" in r["text"]
    assert set(r) >= {"id", "region", "year", "category", "amount", "unit", "period", "per", "previous",
                      "kind", "source", "start", "end", "text"}
    assert "\\u" not in p.stdout  # UTF-8, not ASCII escapes


def test_year_filter(cli_env):
    p = run(["--json", "--year", "2017"], cli_env)
    assert p.returncode == 0, p.stderr
    rows = json.loads(p.stdout)
    assert rows and {r["year"] for r in rows} == {2017} and {r["region"] for r in rows} == {"洛阳市"}


def test_table_output(cli_env):
    p = run([], cli_env)
    assert p.returncode == 0, p.stderr
    for text in ("地区", "年份", "类别", "原标准", "来源", "洛阳市", "700元", "600元", "漯河市", "4560元",
                 "000_634e09650f0b344e.txt"):
        assert text in p.stdout, text
    assert "203.45" not in p.stdout  # averages only with --averages
    p = run(["--averages", "--region", "漯河"], cli_env)
    assert "203.45" in p.stdout and "平均值" in p.stdout


def test_unknown_category_is_a_clear_message(cli_env):
    p = run(["--category", "护照"], cli_env)
    assert p.returncode == 1
    assert "没有这个类别" in p.stderr and "农村低保" in p.stderr and "Traceback" not in p.stderr


def test_unknown_region_lists_the_regions(cli_env):
    p = run(["--json", "--region", "北京"], cli_env)
    assert p.returncode == 1
    assert json.loads(p.stdout) == []
    assert "北京" in p.stderr and "焦作市" in p.stderr and "Traceback" not in p.stderr


def test_no_rows_for_a_year(cli_env):
    p = run(["--region", "焦作", "--year", "2023"], cli_env)
    assert p.returncode == 1 and "没有符合条件的标准" in p.stderr and "2021" in p.stderr


def test_does_not_import_torch_or_gradio(cli_env):
    p = run(["--json"], cli_env, extra=("-X", "importtime"))
    assert p.returncode == 0
    modules = {line.rsplit("|", 1)[-1].strip() for line in p.stderr.splitlines() if "|" in line}
    assert modules, p.stderr[:500]
    assert not {m for m in modules if m.split(".")[0] in ("torch", "gradio")}


def test_a_table_built_by_older_code_is_rebuilt_not_shown(embedder, tmp_path):
    """An index whose standards table older code wrote (another fingerprint, an older format):
    the command rebuilds the table from the stored documents, as `civilqa ask` and the app do,
    rather than failing on the old format or listing old rows."""
    from assistant.artifacts import ARTIFACTS, STANDARDS
    from index.artifacts import Artifact
    from index.builder import build_index

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notice.txt").write_text(
        "宜宾市2024年城乡低保标准调整情况\n\n宜宾市民政局\n\n2024年，宜宾市农村低保标准提高到每人每年6600元。\n",
        encoding="utf-8")
    older = Artifact(lambda docs: {"format_version": 1, "kind": "civilqa.standards", "rows": []}, lambda: "older")
    build_index([tmp_path / "docs"], tmp_path / "idx", embedder, artifacts={**ARTIFACTS, STANDARDS: older})
    env = {**os.environ, "CIVILQA_INDEX_DIR": str(tmp_path / "idx")}
    p = run(["--json", "--region", "宜宾"], env)
    assert p.returncode == 0, p.stderr
    assert {(r["region"], r["amount"]) for r in json.loads(p.stdout)} == {("宜宾市", "6600")}
