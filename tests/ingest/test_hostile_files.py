"""Hostile source files (issue 14): quadratic HTML, lying encoding declarations, files whose
parse raises, controls in documents, in-limit files that expand into unbounded work."""
from __future__ import annotations

import time

import pytest

from ingest.errors import IngestError
from ingest.formats.html_format import MAX_DEPTH, extract_html
from ingest.pipeline import process_file

SENTENCE = "<p>某市城市低保标准为每人每月700元。</p>"


def _nested(n: int, stray: int | None = None) -> bytes:
    return ("<html><body>" + "<div>" * n + SENTENCE + "</b>" * (n if stray is None else stray)
            + "</body></html>").encode("utf-8")


def test_the_red_team_page_at_40000_is_done_in_under_a_second(tmp_path):
    """Defect 2: 40 000 nested <div> and 40 000 stray </b> took 67 s (quadratic). Now one linear
    pass; the nesting is past the depth limit, so the page is refused, fast, by name."""
    p = tmp_path / "deep.html"
    p.write_bytes(_nested(40_000))
    t0 = time.perf_counter()
    with pytest.raises(IngestError) as info:
        process_file(p)
    assert time.perf_counter() - t0 < 1.0
    assert "deep.html" in str(info.value) and "嵌套过深" in str(info.value) and str(MAX_DEPTH) in str(info.value)


def test_stray_end_tags_cost_linear_time_and_the_text_is_kept(tmp_path):
    """Within the depth limit, 200 000 stray end tags (the quadratic case) parse in under a second."""
    p = tmp_path / "stray.html"
    p.write_bytes(_nested(MAX_DEPTH - 20, stray=200_000))
    t0 = time.perf_counter()
    ing = process_file(p)
    assert time.perf_counter() - t0 < 1.0
    assert "每人每月700元" in ing.document.text


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
    cli = [sys.executable, "-m", "assistant.cli"]
    p = subprocess.run(cli + ["ingest", str(src)], capture_output=True, text=True, env=env, timeout=300)
    assert "Traceback" not in p.stderr, p.stderr[-2000:]
    assert p.returncode == 1 and "b_empty.html" in p.stderr
    listed = subprocess.run(cli + ["list", "--json"], capture_output=True, text=True, env=env, timeout=120)
    names = {r["source"] for r in json.loads(listed.stdout)}
    assert names == {"a_undefined.html", "c_good.txt"}
