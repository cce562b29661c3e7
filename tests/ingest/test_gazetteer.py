"""ingest/gazetteer.py: the gazetteer file (versioned, readable, complete) and the overlay's checks."""
from __future__ import annotations

import json
from collections import Counter

import pytest

from ingest import gazetteer as G
from ingest.errors import ConfigError
from ingest.places import candidates, lookup

MAINLAND_PROVINCES = {
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省",
    "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省",
    "云南省", "陕西省", "甘肃省", "青海省", "内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区",
    "新疆维吾尔自治区"}


@pytest.fixture(scope="module")
def raw():
    return json.loads(G.GAZETTEER.read_text(encoding="utf-8"))


def test_gazetteer_file_is_readable_versioned_and_says_where_it_came_from(raw):
    text = G.GAZETTEER.read_text(encoding="utf-8")
    assert "河南省" in text  # ensure_ascii=False: Chinese stays readable on disk
    assert (raw["format"], raw["version"]) == G.GAZETTEER_FORMAT
    assert raw["source"]["package"] == "jionlp" and raw["source"]["package_version"]
    assert "build_gazetteer.py" in raw["generated_by"]
    assert len(text.splitlines()) > 3000  # one place per line: diffs stay reviewable


def test_coverage_all_provinces_prefectures_and_counties(raw):
    levels = Counter(p.level for p in G.places() if not p.zone)
    assert MAINLAND_PROVINCES <= {p.name for p in G.places() if p.level == "province"}
    assert 320 <= levels["city"] <= 345  # 333 prefecture-level units in 2023
    assert 2780 <= levels["county"] <= 2900  # 2844 county-level units in 2023
    assert raw["counts"]["city"] == levels["city"] and raw["counts"]["county"] == levels["county"]
    # every place's parent chain ends in a province, and codes nest
    for p in G.places():
        if p.level != "province":
            assert lookup(p.parents[0]).level == "province", p
            assert p.code[:2] == candidates(p.parents[0])[0].code[:2], p
    # every province but the three without subdivisions has prefectures or districts
    with_children = {p.parents[0] for p in G.places() if p.parents}
    assert MAINLAND_PROVINCES <= with_children



@pytest.mark.parametrize("key, value", [("not_in_text", "城区"), ("aliases", ["惠济"]), ("not_place_after", [1])])
def test_overlay_of_the_wrong_shape_is_an_error_naming_the_key(tmp_path, monkeypatch, key, value):
    raw = json.loads(G.DATA.read_text(encoding="utf-8"))
    raw[key] = value
    bad = tmp_path / "places.json"
    bad.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(G, "DATA", bad)
    G.gazetteer.cache_clear()
    try:
        with pytest.raises(ConfigError, match=key) as info:
            G.places()
        assert str(bad) in str(info.value)
    finally:
        monkeypatch.undo()
        G.gazetteer.cache_clear()


def test_gazetteer_of_another_format_is_refused(tmp_path, monkeypatch):
    old = tmp_path / "gazetteer.json"
    old.write_text(json.dumps({"format": "civilqa-gazetteer", "version": 0, "places": []}), encoding="utf-8")
    monkeypatch.setattr(G, "GAZETTEER", old)
    G.gazetteer.cache_clear()
    try:
        with pytest.raises(ConfigError, match="build_gazetteer"):
            G.places()
    finally:
        monkeypatch.undo()
        G.gazetteer.cache_clear()


def test_short_names():
    assert G.short_name("焦作市") == "焦作" and G.short_name("内蒙古自治区") == "内蒙古"
    assert G.short_name("某某县") == "某某"  # not in the gazetteer: the suffix goes
