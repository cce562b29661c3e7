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
