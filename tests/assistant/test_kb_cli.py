"""civilqa ingest / list / remove / ask as a user runs them (real subprocesses) over Word, PDF,
HTML and text files: incremental re-ingest, replace, delete, the managed library, the lock."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.builder import build_index
from kb_samples import DOCX_ITEMS, make_docx, make_html, make_pdf, make_scanned_pdf, make_zip_bomb_docx

CLI = [sys.executable, "-m", "ui"]
A_TXT = "温县民政局2020年工作简报\n\n温县2020年火化率达到100%，新建农村幸福院12所。"
NAMES = ["a.txt", "jz.docx", "lh.html", "ly.pdf"]
PDF_Q = "洛阳市散居孤儿基本生活保障标准是多少？"
DOCX_Q = "焦作市农村最低生活保障年标准是多少？"


def run(args, env, timeout=300):
    return subprocess.run(CLI + args, env=env, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def _env(base: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(CIVILQA_INDEX_DIR=str(base / "idx"), CIVILQA_LIBRARY_DIR=str(base / "library"),
               CIVILQA_SEEDS_DIR=str(base / "src"), COLUMNS="200")
    return env


def _sources(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.txt").write_text(A_TXT, encoding="utf-8")
    make_docx(folder / "jz.docx")
    make_html(folder / "lh.html", "gb2312", "gb18030")
    make_pdf(folder / "ly.pdf")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Sources and an index made by `civilqa ingest SRC` (read-only for the tests below)."""
    base = tmp_path_factory.mktemp("kbcli")
    src = _sources(base / "src")
    p = run(["ingest", str(src)], _env(base))
    assert p.returncode == 0, p.stderr[-3000:]
    assert "新增 4、更新 0、未变 0、删除 0 个文件" in p.stdout
    for name in NAMES:
        assert f"新增  {name}" in p.stdout
    return base


@pytest.fixture()
def copy(built, tmp_path, embedder) -> Path:
    """A private copy whose index records the copy's own file paths."""
    shutil.copytree(built / "src", tmp_path / "src")
    shutil.copytree(built / "idx", tmp_path / "idx")
    assert build_index([tmp_path / "src"], tmp_path / "idx", embedder).embedded == 0
    return tmp_path


def _ask(question: str, env) -> dict:
    p = run(["ask", "--json", question], env)
    assert p.returncode == 0, p.stderr[-3000:]
    return json.loads(p.stdout)


def test_list_shows_files_formats_cities_years_and_chunk_counts(built):
    p = run(["list", "--json"], _env(built))
    assert p.returncode == 0, p.stderr
    rows = {r["source"]: r for r in json.loads(p.stdout)}
    assert sorted(rows) == NAMES
    # a.txt is 温县民政局's own report: filed under the county (焦作市温县), not the whole city
    assert {s: (r["format"], r["city"], r["year"]) for s, r in rows.items()} == {
        "a.txt": ("txt", "焦作市温县", 2020), "jz.docx": ("docx", "焦作市", 2021),
        "lh.html": ("html", "漯河市", 2020), "ly.pdf": ("pdf", "洛阳市", 2017)}
    assert all(r["chunks"] > 0 for r in rows.values())
    assert rows["ly.pdf"]["pages"] == 3 and rows["jz.docx"]["paragraphs"] == 6
    assert rows["ly.pdf"]["path"] == str((built / "src" / "ly.pdf").resolve()) and not rows["ly.pdf"]["in_library"]
    p = run(["list"], _env(built))
    assert p.returncode == 0
    for word in NAMES + ["3页", "6段", "洛阳市", "2017", "知识库：4 个文件", "向量索引：Flat（精确检索）"]:
        assert word in p.stdout, word


def test_ask_cites_the_pdf_page_and_the_docx_paragraph_and_imports_no_parser(built):
    env = _env(built)
    p = subprocess.run([sys.executable, "-X", "importtime", "-m", "ui", "ask"], env=env,
                       input=f"{PDF_Q}\n{DOCX_Q}\n漯河市特困人员有多少人？\n", capture_output=True, text=True,
                       timeout=300)
    assert p.returncode == 0, p.stderr[-2000:]
    imported = {line.split("|")[-1].strip().split(".")[0] for line in p.stderr.splitlines() if "|" in line}
    assert not imported & {"docx", "pypdf", "reportlab", "torch", "gradio", "lxml"}
    pdf, docx, html = [json.loads(line) for line in p.stdout.splitlines()]
    c = pdf["citations"][0]
    assert "700" in pdf["answer"] and c["source"] == "ly.pdf" and c["page"] == 2 and "paragraph" not in c
    c = docx["citations"][0]
    assert "4524" in docx["answer"] and c["source"] == "jz.docx" and c["paragraph"] == 4 and "page" not in c
    c = html["citations"][0]
    assert "5200" in html["answer"] and c["source"] == "lh.html" and "page" not in c and "paragraph" not in c
    p = run(["ask", PDF_Q], env)
    # the page with the title a person reads, the file and offsets on the details line below it
    assert re.search(r"^\[1\] .+（洛阳市，2017年，第2页）$", p.stdout, re.M) and "    文件 ly.pdf，第" in p.stdout


def test_reingest_of_unchanged_files(copy):
    t0 = time.perf_counter()
    p = run(["ingest", str(copy / "src")], _env(copy))
    assert p.returncode == 0, p.stderr[-2000:]
    assert "新增 0、更新 0、未变 4、删除 0 个文件" in p.stdout and "新向量化 0" in p.stdout
    print(f"\nre-ingest of 4 unchanged files (CLI, process start to exit): {time.perf_counter() - t0:.1f} s")


def test_replaced_file_is_never_answered_from_its_old_version(copy):
    env = _env(copy)
    items = [(k, v.replace("4524", "4610") if isinstance(v, str) else v) for k, v in DOCX_ITEMS]
    make_docx(copy / "src" / "jz.docx", items)
    p = run(["ingest", str(copy / "src")], env)
    assert p.returncode == 0, p.stderr[-2000:]
    assert "新增 0、更新 1、未变 3、删除 0 个文件" in p.stdout and "更新  jz.docx" in p.stdout
    assert "新向量化 1，" in p.stdout  # only the changed chunk
    out = _ask(DOCX_Q, env)
    assert "4610" in out["answer"] and "4524" not in json.dumps(out, ensure_ascii=False)
    assert out["citations"][0]["paragraph"] == 4


def test_removed_file_is_never_answered_again(copy):
    env = _env(copy)
    t0 = time.perf_counter()
    p = run(["remove", "ly.pdf"], env)
    assert p.returncode == 0, p.stderr[-2000:]
    print(f"\ncivilqa remove (process start to exit): {time.perf_counter() - t0:.1f} s")
    assert "删除  ly.pdf" in p.stdout and "索引现有 3 个文件" in p.stdout
    assert (copy / "src" / "ly.pdf").is_file()  # not in the library: left on disk
    out = _ask(PDF_Q, env)
    assert not any(c["source"] == "ly.pdf" for c in out["citations"])
    assert "700" not in out["answer"]
    rows = json.loads(run(["list", "--json"], env).stdout)
    assert sorted(r["source"] for r in rows) == ["a.txt", "jz.docx", "lh.html"]
    # the folder still has it: ingesting the folder brings it back, as documented
    p = run(["ingest", str(copy / "src")], env)
    assert "新增 1、" in p.stdout and "新增  ly.pdf" in p.stdout


def test_file_deleted_from_the_folder_is_dropped_by_ingest(copy):
    env = _env(copy)
    (copy / "src" / "lh.html").unlink()
    p = run(["ingest", str(copy / "src")], env)
    assert p.returncode == 0 and "删除  lh.html" in p.stdout and "删除 1 个文件" in p.stdout
    out = _ask("漯河市特困人员有多少人？", env)
    assert out["answerable"] is False and out["citations"] == []


def test_default_ingest_is_seeds_plus_library_and_remove_deletes_library_files(copy):
    env = _env(copy)
    lib = copy / "library"
    lib.mkdir()
    (lib / "b.md").write_text("# 洛阳市养老服务\n\n洛阳市2017年新增养老床位1685张。", encoding="utf-8")
    p = run(["ingest"], env)  # CIVILQA_SEEDS_DIR is the copy's src/ here
    assert p.returncode == 0, p.stderr[-2000:]
    assert "新增 1、更新 0、未变 4、删除 0 个文件" in p.stdout
    rows = {r["source"]: r for r in json.loads(run(["list", "--json"], env).stdout)}
    assert rows["b.md"]["in_library"] is True and rows["a.txt"]["in_library"] is False
    p = run(["remove", "b.md", "a.txt"], env)
    assert p.returncode == 0, p.stderr[-2000:]
    assert not (lib / "b.md").exists() and f"已删除上传目录中的文件 {lib.resolve() / 'b.md'}" in p.stdout
    assert (copy / "src" / "a.txt").is_file() and "索引现有 3 个文件" in p.stdout


def test_remove_unknown_file_is_a_clear_error(built):
    before = (built / "idx" / "CURRENT").read_text()
    p = run(["remove", "nothere.pdf"], _env(built))
    assert p.returncode == 2 and "nothere.pdf" in p.stderr and "Traceback" not in p.stderr
    assert (built / "idx" / "CURRENT").read_text() == before


def test_bad_files_are_named_and_the_others_ingested(copy):
    make_scanned_pdf(copy / "src" / "扫描件.pdf")
    make_zip_bomb_docx(copy / "src" / "bomb.docx", megabytes=8)
    p = run(["ingest", str(copy / "src")], _env(copy))
    assert p.returncode == 1
    assert "扫描件.pdf" in p.stderr and "无可提取文字" in p.stderr
    assert "bomb.docx" in p.stderr and "压缩炸弹" in p.stderr
    assert "未变 4" in p.stdout


_HOLD_LOCK = """
import sys, time
from pathlib import Path
from index import store
with store.ingest_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(120)
"""


def test_second_writer_is_refused_while_another_process_ingests(copy):
    env = _env(copy)
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_LOCK, str(copy / "idx")], env=env,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        before = (copy / "idx" / "CURRENT").read_text()
        for args in (["ingest", str(copy / "src")], ["remove", "a.txt"]):
            t0 = time.perf_counter()
            p = run(args, env)
            assert p.returncode == 2, (args, p.stdout, p.stderr[-2000:])
            assert "另一个入库任务正在进行" in p.stderr and "Traceback" not in p.stderr
            assert time.perf_counter() - t0 < 60  # refused at once, not after waiting
        assert (copy / "idx" / "CURRENT").read_text() == before
    finally:
        holder.kill()
        holder.wait()
    assert run(["remove", "a.txt"], env).returncode == 0  # the lock died with its holder


