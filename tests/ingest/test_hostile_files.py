"""Hostile source files (issue 14): quadratic HTML, lying encoding declarations, files whose
parse raises, controls in documents, in-limit files that expand into unbounded work."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.formats.html_format import MAX_DEPTH, extract_html
from ingest.pipeline import process_file

SENTENCE = "<p>某市城市低保标准为每人每月700元。</p>"


def _nested(n: int, stray: int | None = None) -> bytes:
    return ("<html><body>" + "<div>" * n + SENTENCE + "</b>" * (n if stray is None else stray)
            + "</body></html>").encode("utf-8")


def _seconds(work) -> float:
    """The shortest of three timings of ``work()``: a shared machine's load adds, never subtracts."""
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        work()
        times.append(time.perf_counter() - t0)
    return min(times)


# ten times the input: a linear parse takes about ten times as long (less, with its fixed cost), a
# quadratic one a hundred times; compared in one run, so the machine's load cancels out
LINEAR_RATIO = 30


def _refused(path: Path) -> IngestError:
    with pytest.raises(IngestError) as info:
        process_file(path)
    return info.value


def test_the_red_team_page_is_refused_in_linear_time(tmp_path):
    """Defect 2: 40 000 nested <div> and 40 000 stray </b> took 67 s (quadratic). Now one linear
    pass; the nesting is past the depth limit, so the page is refused, fast, by name (400 000 of
    each against the red team's 40 000: a few milliseconds are too short to time on a busy machine)."""
    small, big = tmp_path / "small.html", tmp_path / "deep.html"
    small.write_bytes(_nested(40_000))
    big.write_bytes(_nested(400_000))
    err = _refused(big)
    assert "deep.html" in str(err) and "嵌套过深" in str(err) and str(MAX_DEPTH) in str(err)
    assert _seconds(lambda: _refused(big)) < LINEAR_RATIO * _seconds(lambda: _refused(small))


def test_stray_end_tags_cost_linear_time_and_the_text_is_kept(tmp_path):
    """Within the depth limit, 200 000 stray end tags (the quadratic case) parse in linear time."""
    small, big = tmp_path / "small.html", tmp_path / "stray.html"
    small.write_bytes(_nested(MAX_DEPTH - 20, stray=20_000))
    big.write_bytes(_nested(MAX_DEPTH - 20, stray=200_000))
    assert "每人每月700元" in process_file(big).document.text
    assert _seconds(lambda: process_file(big)) < LINEAR_RATIO * _seconds(lambda: process_file(small))


def test_html_parse_has_a_time_limit():
    page = ("<html><body>" + "<p>段落</p>" * 20_000 + "</body></html>").encode("utf-8")
    with pytest.raises(IngestError) as info:
        extract_html(page, "slow.html", max_seconds=0.0)
    assert "slow.html" in str(info.value) and "超时" in str(info.value)
    assert extract_html(page, "slow.html").units  # the default limit reads it


# -- one bad file, lying encodings (defect 6) ------------------------------------------------------------

GOOD = "<html><body><p>洛阳市2021年城市低保标准为每人每月700元。</p></body></html>"


def test_a_pseudo_codec_declaration_is_ignored(tmp_path):
    p = tmp_path / "undefined.html"
    p.write_bytes(f'<meta charset="undefined">{GOOD}'.encode("utf-8"))
    ing = process_file(p)
    assert "每人每月700元" in ing.document.text and ing.document.encoding == "html:utf-8"


def test_a_utf8_page_declaring_utf16_is_read_as_utf8(tmp_path):
    p = tmp_path / "utf16.html"
    p.write_bytes(f'<meta http-equiv="Content-Type" content="text/html; charset=utf-16">{GOOD}'.encode("utf-8"))
    ing = process_file(p)
    assert "每人每月700元" in ing.document.text and ing.document.encoding == "html:utf-8"


def test_a_utf8_page_declaring_gbk_is_read_as_utf8(tmp_path):
    p = tmp_path / "gbk.html"
    p.write_bytes(f'<meta charset="gbk">{GOOD}'.encode("utf-8"))
    assert "每人每月700元" in process_file(p).document.text


def test_any_exception_in_one_files_parse_is_that_files_error(tmp_path, monkeypatch):
    """Whatever a parser raises (here lxml, made to fail) is an IngestError naming the file."""
    from lxml import etree

    p = tmp_path / "boom.html"
    p.write_bytes(GOOD.encode("utf-8"))

    def broken(*args, **kwargs):
        raise RuntimeError("parser exploded")

    monkeypatch.setattr(etree, "fromstring", broken)
    with pytest.raises(IngestError) as info:
        process_file(p)
    assert "boom.html" in str(info.value) and "RuntimeError" in str(info.value)


def test_the_cli_ingests_the_good_file_beside_a_bad_one(tmp_path, cli_env):
    """Defect 6 end to end: a real `civilqa ingest` of a folder with a page whose declaration is
    a pseudo-codec and one that cannot be read at all: no traceback, the good file is indexed."""
    import json
    import subprocess
    import sys

    src = tmp_path / "src"
    src.mkdir()
    (src / "a_undefined.html").write_bytes(f'<meta charset="undefined">{GOOD}'.encode("utf-8"))
    (src / "b_empty.html").write_bytes(b"<html><body><script>x()</script></body></html>")
    (src / "c_good.txt").write_text("焦作市2021年农村低保标准为每人每年4524元。", encoding="utf-8")
    env = dict(cli_env, CIVILQA_INDEX_DIR=str(tmp_path / "idx"))
    cli = [sys.executable, "-m", "ui"]
    p = subprocess.run(cli + ["ingest", str(src)], capture_output=True, text=True, env=env, timeout=300)
    assert "Traceback" not in p.stderr, p.stderr[-2000:]
    assert p.returncode == 1 and "b_empty.html" in p.stderr
    listed = subprocess.run(cli + ["list", "--json"], capture_output=True, text=True, env=env, timeout=120)
    names = {r["source"] for r in json.loads(listed.stdout)}
    assert names == {"a_undefined.html", "c_good.txt"}


# -- in-limit files that expand into unbounded work (defect 3) ----------------------------------------------

def _han(n: int, seed: int = 1) -> str:
    """n distinct-looking Chinese characters in sentences (no two chunks alike)."""
    import random

    rng = random.Random(seed)
    out = []
    for i in range(0, n, 40):
        out.append("".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(39)) + "。")
    return "".join(out)[:n]


def test_a_text_file_over_the_character_limit_is_refused_by_name(tmp_path):
    from ingest.limits import MAX_FILE_CHARS

    p = tmp_path / "huge.txt"
    p.write_text(_han(MAX_FILE_CHARS + 1000), encoding="utf-8")
    assert p.stat().st_size < 20 * 1024 * 1024  # under the byte limit
    t0 = time.perf_counter()
    with pytest.raises(IngestError) as info:
        process_file(p)
    assert time.perf_counter() - t0 < 5.0
    msg = str(info.value)
    assert "huge.txt" in msg and str(MAX_FILE_CHARS) in msg and "文字过多" in msg


def test_a_file_of_too_many_chunks_is_refused_by_name(tmp_path):
    """Short lines of many paragraphs: under the character limit, over the chunk limit."""
    from ingest.limits import MAX_FILE_CHUNKS

    p = tmp_path / "lines.txt"
    p.write_text("\n\n".join(f"第{i}条：" + _han(30, i) + "。" for i in range(MAX_FILE_CHUNKS * 3)), encoding="utf-8")
    with pytest.raises(IngestError) as info:
        process_file(p)
    assert "lines.txt" in str(info.value) and str(MAX_FILE_CHUNKS) in str(info.value)


def _docx_with_body(path: Path, body: bytes, template: Path) -> Path:
    import zipfile

    with zipfile.ZipFile(template) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, body if info.filename == "word/document.xml" else src.read(info))
    return path


def test_a_docx_whose_body_expands_past_the_limits_is_refused_fast(tmp_path):
    """The red team's .docx: 7.9 MB that expanded into 49 M characters (243 s, 3.4 GB). Its body
    is refused from the archive's directory (nothing inflated), and a body under that but with
    more text than a file may hold stops being read at the character limit."""
    import os

    from ingest.limits import MAX_DOCX_XML_BYTES, MAX_FILE_CHARS
    from kb_samples import make_docx

    template = make_docx(tmp_path / "t.docx")
    big = _docx_with_body(tmp_path / "bomb.docx", os.urandom(MAX_DOCX_XML_BYTES // 2 + 1024).hex().encode(), template)
    t0 = time.perf_counter()
    with pytest.raises(IngestError) as info:
        process_file(big)
    assert time.perf_counter() - t0 < 2.0
    assert "bomb.docx" in str(info.value) and str(MAX_DOCX_XML_BYTES) in str(info.value)

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    paras = "".join(f"<w:p><w:r><w:t>{_han(1000, i)}</w:t></w:r></w:p>" for i in range(MAX_FILE_CHARS // 1000 + 50))
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {ns}><w:body>{paras}</w:body></w:document>'
    long = _docx_with_body(tmp_path / "long.docx", xml.encode("utf-8"), template)
    with pytest.raises(IngestError) as info:
        process_file(long)
    assert "long.docx" in str(info.value) and str(MAX_FILE_CHARS) in str(info.value)


def test_a_document_that_yields_no_chunks_is_refused(tmp_path, monkeypatch):
    from ingest import pipeline

    p = tmp_path / "empty-chunks.txt"
    p.write_text("焦作市2021年农村低保标准为每人每年4524元。", encoding="utf-8")
    monkeypatch.setattr(pipeline, "Chunker", lambda: (lambda doc, blocks: []))
    with pytest.raises(IngestError) as info:
        process_file(p)
    assert "empty-chunks.txt" in str(info.value) and "片段" in str(info.value)
