"""ingest/places.py: places in a text, region labels, and the one region matcher (relation)."""
from __future__ import annotations

import pytest

from ingest.places import (ANCESTOR, DESCENDANT, NATIONAL, SAME, UNKNOWN, UNRELATED, candidates, find_places,
                           lookup, mentions, place_of, question_not_places, relation, splits_at)


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
    # a county's short name alone is not read; with its city named in full it is
    assert find_places("武陟低保") == []
    assert [p.region for p, _, _ in find_places("焦作市民政局通报：武陟低保")] == ["焦作市", "焦作市武陟县"]
    assert [p.region for p, _, _ in find_places("湖州市民政局通报：德清低保")] == ["湖州市", "湖州市德清县"]
    assert [p.region for p, _, _ in find_places("焦作市民政局通报：德清低保")] == ["焦作市"]  # another city's county
    # an ethnic district or autonomous county is written with its short name and level
    assert [p.region for p, _, _ in find_places("郑州市管城区")] == ["郑州市", "郑州市管城回族区"]
    assert [p.region for p, _, _ in find_places("长阳县民政局")] == ["宜昌市长阳土家族自治县"]
    # two-character names inside words: 市和县级, 新县城
    assert find_places("省、市和县级民政部门") == []
    assert [p.region for p, _, _ in find_places("温县民政局")] == ["焦作市温县"]


def test_short_names_that_are_words_of_a_question_are_data():
    words = question_not_places()
    assert {"新建", "长寿", "惠民"} <= words  # places.json not_in_question, read by the gazetteer
    assert all(len(w) >= 2 for w in words)
    # jieba decides whether a short name stands as a word: 阆中|低保, but 和|政策
    assert splits_at("阆中低保标准", 0, 2) and not splits_at("和政策", 0, 2)


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


def test_find_places_reads_whole_documents():
    """Every mention of a 10,000-character text, none lost or doubled (its speed is a benchmark
    figure, ``civilqa bench``'s ingest, not a timed test)."""
    text = "焦作市民政局召开会议，武陟县、温县、孟州市参加。" * 400  # ~10,000 characters
    found = mentions(text)
    assert len(found) == 1600
    assert [m.place.name for m in found[:4]] == ["焦作市", "武陟县", "温县", "孟州市"]


# a bad alias in places.json: tests/assistant/test_vocabulary.py::test_a_bad_gazetteer_alias_is_a_clear_error


@pytest.mark.parametrize("text, names", [
    ("新乡乡村振兴", ["新乡市"]),  # the name, then the word
    ("创新乡村治理", []),  # 创新 / 乡村: no 新乡 here
    ("西安全市低保", ["西安市"]),  # 西安 / 全市, although 安全 is a word
    ("长沙发布会", ["长沙市"]),
    ("吉林全省", ["吉林省"]),
])
def test_short_names_running_into_words_are_cut_as_jieba_cuts_them(text, names):
    assert [p.name for p, _, _ in find_places(text)] == names
