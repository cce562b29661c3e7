"""The national gazetteer (generated data) and the one region matcher over it."""
from __future__ import annotations

import json
from collections import Counter

import pytest

from ingest import places as P
from ingest.errors import ConfigError
from ingest.places import (ANCESTOR, DESCENDANT, NATIONAL, SAME, UNKNOWN, UNRELATED, candidates, find_places,
                           lookup, mentions, place_of, relation)

MAINLAND_PROVINCES = {
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省",
    "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省",
    "云南省", "陕西省", "甘肃省", "青海省", "内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区",
    "新疆维吾尔自治区"}


@pytest.fixture(scope="module")
def raw():
    return json.loads(P.GAZETTEER.read_text(encoding="utf-8"))


def test_gazetteer_file_is_readable_versioned_and_says_where_it_came_from(raw):
    text = P.GAZETTEER.read_text(encoding="utf-8")
    assert "河南省" in text  # ensure_ascii=False: Chinese stays readable on disk
    assert (raw["format"], raw["version"]) == P.GAZETTEER_FORMAT
    assert raw["source"]["package"] == "jionlp" and raw["source"]["package_version"]
    assert "build_gazetteer.py" in raw["generated_by"]
    assert len(text.splitlines()) > 3000  # one place per line: diffs stay reviewable


def test_coverage_all_provinces_prefectures_and_counties(raw):
    levels = Counter(p.level for p in P.places() if not p.zone)
    assert MAINLAND_PROVINCES <= {p.name for p in P.places() if p.level == "province"}
    assert 320 <= levels["city"] <= 345  # 333 prefecture-level units in 2023
    assert 2780 <= levels["county"] <= 2900  # 2844 county-level units in 2023
    assert raw["counts"]["city"] == levels["city"] and raw["counts"]["county"] == levels["county"]
    # every place's parent chain ends in a province, and codes nest
    for p in P.places():
        if p.level != "province":
            assert lookup(p.parents[0]).level == "province", p
            assert p.code[:2] == candidates(p.parents[0])[0].code[:2], p
    # every province but the three without subdivisions has prefectures or districts
    with_children = {p.parents[0] for p in P.places() if p.parents}
    assert MAINLAND_PROVINCES <= with_children


@pytest.mark.parametrize("name, region, level, parents", [
    ("武陟县", "焦作市武陟县", "county", ("河南省", "焦作市")),
    ("惠济区", "郑州市惠济区", "county", ("河南省", "郑州市")),
    ("济源市", "河南省济源市", "county", ("河南省",)),  # a county-level city under the province
    ("容县", "玉林市容县", "county", ("广西壮族自治区", "玉林市")),
    ("大理白族自治州", "大理白族自治州", "city", ("云南省",)),
    ("锡林郭勒盟", "锡林郭勒盟", "city", ("内蒙古自治区",)),
    ("昌平区", "北京市昌平区", "county", ("北京市",)),
])
def test_places_have_level_and_parent_chain(name, region, level, parents):
    p = lookup(name)
    assert (p.region, p.level, p.parents) == (region, level, parents)
    assert place_of(region) == p  # a region label reads back to its place


def test_ambiguous_names_are_decided_by_the_parent_chain():
    # 朝阳区 is in 北京 and in 长春; 朝阳市 is in 辽宁
    found = [(p.region, s) for p, s, _ in find_places("北京市朝阳区、长春市朝阳区和辽宁省朝阳市")]
    assert found == [("北京市", 0), ("北京市朝阳区", 3), ("长春市", 7), ("长春市朝阳区", 10),
                     ("辽宁省", 14), ("朝阳市", 17)]
    assert {p.region for p in candidates("朝阳区")} == {"北京市朝阳区", "长春市朝阳区"}
    assert lookup("朝阳").region == "朝阳市"  # a short name: the prefecture before districts
    assert lookup("吉林").level == "province" and lookup("吉林市").parents == ("吉林省",)
    assert place_of("长春市朝阳区").parents == ("吉林省", "长春市")
    # a name several places share is decided by the place named nearest before it
    ms = mentions("开封市民政局。鼓楼区养老服务中心开业。")
    assert [m.place.region for m in ms] == ["开封市", "开封市鼓楼区"] and not ms[1].ambiguous
    # with nothing to decide by, it is marked ambiguous (and never decides a region)
    [m] = mentions("鼓楼区养老服务中心开业。")
    assert m.ambiguous and m.weak


def test_ordinary_words_and_person_names_are_not_counties():
    # county short names in running text are too often words or names: 李新和, 惠民政策, 和政策
    assert find_places("记者李新和报道，落实惠民政策和政策宣传，城区低保标准") == []
    # except the hand-made aliases of places.json
    assert [p.region for p, _, _ in find_places("武陟低保")] == ["焦作市武陟县"]
    # two-character names inside words: 市和县级, 新县城
    assert find_places("省、市和县级民政部门") == []
    assert [p.region for p, _, _ in find_places("温县民政局")] == ["焦作市温县"]


@pytest.mark.parametrize("asked, region, expected", [
    ("焦作市", "焦作市", SAME),
    ("焦作", "焦作市", SAME),
    ("河南省", "焦作市", ANCESTOR),  # province asked, city document
    ("河南省", "郑州市惠济区", ANCESTOR),
    ("郑州市", "郑州市惠济区", ANCESTOR),
    ("武陟县", "焦作市", DESCENDANT),  # county asked, city document
    ("惠济区", "河南省", DESCENDANT),
    ("洛阳市", "焦作市", UNRELATED),
    ("北京市朝阳区", "朝阳市", UNRELATED),  # same short name, other place
    ("朝阳市", "辽宁省", DESCENDANT),
    ("河南省", NATIONAL, DESCENDANT),  # a national document covers every place
    (NATIONAL, "河南省", ANCESTOR),
    ("河南省", None, UNKNOWN),  # the document states no region
    ("不存在的地方", "河南省", UNKNOWN),
])
def test_relation_of_asked_place_to_document_region(asked, region, expected):
    assert relation(asked, region) == expected


def test_relation_takes_places_too():
    assert relation(lookup("武陟县"), lookup("焦作市")) == DESCENDANT


def test_find_places_is_fast_enough_for_whole_documents():
    import time
    text = "焦作市民政局召开会议，武陟县、温县、孟州市参加。" * 400  # ~10,000 characters
    mentions(text)
    t = time.perf_counter()
    found = mentions(text)
    assert len(found) == 1600
    assert time.perf_counter() - t < 0.5


def test_bad_overlay_is_an_error_naming_the_file(tmp_path, monkeypatch):
    bad = tmp_path / "places.json"
    bad.write_text(json.dumps({"aliases": {"某地": "不存在的县"}}, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(P, "DATA", bad)
    P._tables.cache_clear()
    try:
        with pytest.raises(ConfigError) as info:
            P.lookup("焦作")
        assert str(bad) in str(info.value) and "不存在的县" in str(info.value)
    finally:
        monkeypatch.undo()
        P._tables.cache_clear()
    assert P.lookup("焦作").name == "焦作市"


def test_gazetteer_of_another_format_is_refused(tmp_path, monkeypatch):
    old = tmp_path / "gazetteer.json"
    old.write_text(json.dumps({"format": "civilqa-gazetteer", "version": 0, "places": []}), encoding="utf-8")
    monkeypatch.setattr(P, "GAZETTEER", old)
    P._tables.cache_clear()
    try:
        with pytest.raises(ConfigError, match="build_gazetteer"):
            P.places()
    finally:
        monkeypatch.undo()
        P._tables.cache_clear()
