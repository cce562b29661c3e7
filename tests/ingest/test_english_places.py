"""English (pinyin) place names: read in a question, written in an answer."""
import json

import pytest

from ingest import english_places, gazetteer
from ingest.english_places import english_name, find_english_places, places_spelled, proper_words, region_in_english
from ingest.errors import ConfigError
from ingest.places import lookup, places


def _read(text):
    return [p.region for p, _, _ in find_english_places(text.lower(), proper=proper_words(text))]


def test_every_gazetteer_place_but_functional_zones_has_an_english_name():
    missing = [p.name for p in places() if not p.zone and not english_name(p)]
    assert missing == []


def test_names_are_written_with_their_level_and_city():
    assert region_in_english(lookup("郑州市惠济区")) == "Huiji District, Zhengzhou"
    assert region_in_english(lookup("湖州市德清县")) == "Deqing County, Huzhou"
    assert english_name(lookup("黑龙江省")) == "Heilongjiang"
    assert english_name(lookup("西安市")) == "Xi'an"  # an apostrophe before a vowel syllable
    assert english_name(lookup("长治市")) == "Changzhi"  # 长 reads chang in place names
    assert english_name(lookup("长子县")) == "Zhangzi County"  # ... except where places.json says otherwise
    assert english_name(lookup("内蒙古自治区")) == "Inner Mongolia"  # exonyms from places.json


def test_a_question_names_places_in_pinyin_with_or_without_a_level_word():
    assert _read("What is the dibao standard of Heilongjiang?") == ["黑龙江省"]
    assert _read("How much does Kunshan's programme give?") == ["苏州市昆山市"]  # a possessive
    assert _read("What did Deqing County, Huzhou add?") == ["湖州市德清县", "湖州市"]
    assert _read("dibao in Xi'an and Inner Mongolia") == ["西安市", "内蒙古自治区"]
    assert _read("Shaanxi and Shanxi") == ["陕西省", "山西省"]  # the exonym keeps the two apart
    assert _read("how much is dibao in zhengzhou") == ["郑州市"]  # typed without capitals


def test_a_spelling_several_places_share_is_read_only_when_the_text_says_which():
    assert {p.name for p in places_spelled("Huangpu")} == {"黄浦区", "黄埔区"}
    assert _read("How many restaurants did Huangpu add?") == []
    assert _read("How many restaurants did Huangpu District, Shanghai add?") == ["上海市黄浦区", "上海市"]
    # a level word decides between a city and a county of one spelling
    assert _read("Chaoyang District, Beijing") == ["北京市朝阳区", "北京市"]
    # the highest level wins when it is alone there: the province, not a county
    assert _read("Qinghai") == ["青海省"]
    # the places a collection is about decide what nothing else does
    read = lambda text, known: [p.region for p, _, _ in find_english_places(text.lower(), known=frozenset(known))]
    assert read("Huangpu", {"广东省", "广州市"}) == ["广州市黄埔区"]
    assert read("Huangpu", {"上海市", "黄浦区"}) == ["上海市黄浦区"]
    assert read("Huangpu", {"上海市", "广州市"}) == []  # both: still not guessed


def test_english_words_are_not_read_as_places():
    # one-character names only with their level word (Wen County; 温县 and 文县 share it)
    assert _read("Long-term care in Long County, Baoji") == ["宝鸡市陇县", "宝鸡市"]
    assert _read("long-term care for the elderly") == []
    # places.json english_not_places: words that are also the pinyin of a place (贵德县)
    assert _read("Is there a Guide for applicants?") == []
    # with capitals in the text, a place name must be capitalised: 'yuan' is money
    assert _read("How many yuan does Qinghai pay?") == ["青海省"]


def test_a_bad_names_file_names_the_file_and_the_key(tmp_path, monkeypatch):
    bad = tmp_path / "place_names_en.json"
    bad.write_text(json.dumps({"format": "civilqa-place-names-en", "version": 9, "names": {}}), encoding="utf-8")
    monkeypatch.setattr(english_places, "NAMES", bad)
    english_places._names.cache_clear()
    try:
        with pytest.raises(ConfigError, match="place_names_en.json.*format/version"):
            english_places._names()
        bad.write_text(json.dumps({"format": "civilqa-place-names-en", "version": 1, "names": {"999999": {}}}),
                       encoding="utf-8")
        english_places._names.cache_clear()
        with pytest.raises(ConfigError, match="999999"):
            english_places._names()
    finally:
        english_places._names.cache_clear()
    assert gazetteer.places()  # the real files still load
