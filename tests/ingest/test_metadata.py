"""Metadata: region and year of each seed, the sidecar, and the place gazetteer."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.cleaning import clean_with_blocks
from ingest.document import DocMeta
from ingest.errors import IngestError
from ingest.metadata import apply_sidecar, detect, detect_title, detect_year, load_sidecar
from ingest.pipeline import discover, process_file, sidecars_for
from ingest.places import detect_region, find_places, lookup

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="module")
def seed_meta() -> dict[str, DocMeta]:
    files = discover([SEEDS])
    sidecar = sidecars_for(files)
    return {f.name[:3]: process_file(f, sidecar).document.meta for f in files}


@pytest.mark.parametrize("prefix, city, year", [
    ("000", "洛阳市", 2017),
    ("001", "漯河市", 2020),
    ("002", "焦作市", 2021),
    ("003", "郑州市惠济区", 2016),
    ("004", "焦作市", 2016),
])
def test_seed_region_and_year(seed_meta, prefix, city, year):
    m = seed_meta[prefix]
    assert (m.city, m.year) == (city, year)
    assert m.publisher == f"{city}民政局"
    assert m.period is not None and m.period.startswith(str(year))
    assert m.title


def test_000_reports_on_the_first_half_year(seed_meta):
    assert seed_meta["000"].period == "2017年上半年"
    assert seed_meta["000"].title == "织密社会救助网 办好民生实在事"


def test_004_year_comes_from_the_sidecar():
    path = next(SEEDS.glob("004_*.txt"))
    detected = process_file(path).document.meta  # no sidecar
    assert detected.city == "焦作市"
    assert detected.year is None and detected.period is None  # no four-digit year in the text
    fixed = process_file(path, load_sidecar(SEEDS)).document.meta
    assert fixed.year == 2016 and fixed.period == "2016年"
    assert fixed.title.startswith("编密织牢民生保障“兜底网”")


def test_002_title_comes_from_the_sidecar(seed_meta):
    path = next(SEEDS.glob("002_*.txt"))
    assert process_file(path).document.meta.title == "焦作市火化情况排名"  # what detection finds
    assert seed_meta["002"].title == "焦作市民政局2021年工作回顾（焦作日报民政专版）"


def test_seed_sidecar_is_valid_and_only_corrects_known_files():
    data = load_sidecar(SEEDS)
    assert set(data) == {"002_39dfedb441b95935.txt", "004_6a9f14ed8234cc33.txt"}
    assert all((SEEDS / name).is_file() for name in data)


# -- sidecar validation ------------------------------------------------------------------

def _sidecar(tmp_path: Path, content: str | bytes) -> Path:
    p = tmp_path / "metadata.json"
    p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return p


@pytest.mark.parametrize("content, words", [
    ('{"a.txt": {"city": "焦作市", "author": "张三"}}', "author"),
    ('{"a.txt": {"year": "2016"}}', "'2016'"),
    ('{"a.txt": {"year": 2016.0}}', "2016.0"),
    ('{"a.txt": {"year": true}}', "True"),
    ('{"a.txt": {"title": null}}', "title"),
    ('{"a.txt": {"city": 410800}}', "410800"),
    ('{"a.txt": ["焦作市", 2016]}', "a.txt"),
    ('["a.txt"]', "JSON"),
    ('{"a.txt": {"year": 2016,}}', "JSON"),
    ('{"a.txt": {"year": 2016}', "JSON"),
    ("", "JSON"),
    (b'{"a.txt": {"city": "\xbd\xb9\xd7\xf7"}}', "JSON"),  # GBK bytes: not UTF-8
])
def test_bad_sidecar_is_an_error_naming_its_path(tmp_path, content, words):
    path = _sidecar(tmp_path, content)
    with pytest.raises(IngestError) as info:
        load_sidecar(tmp_path)
    msg = str(info.value)
    assert str(path) in msg
    assert words in msg


def test_bad_sidecar_stops_the_pipeline_before_any_file_is_read(tmp_path):
    (tmp_path / "a.txt").write_text("焦作市民政局。", encoding="utf-8")
    path = _sidecar(tmp_path, '{"a.txt": {"yaer": 2016}}')
    with pytest.raises(IngestError, match="yaer") as info:
        sidecars_for(discover([tmp_path]))
    assert str(path) in str(info.value)


def test_sidecar_comments_notes_and_nulls_are_accepted(tmp_path):
    _sidecar(tmp_path, json.dumps({
        "_doc": "说明",
        "a.txt": {"city": "郑州市惠济区", "year": 2016, "note": "人工核对"},
        "b.txt": {"city": None, "period": None},
    }, ensure_ascii=False))
    data = load_sidecar(tmp_path)
    assert set(data) == {"a.txt", "b.txt"}
    assert data["a.txt"]["city"] == "郑州市惠济区"


def test_missing_sidecar_is_empty(tmp_path):
    assert load_sidecar(tmp_path) == {}


def test_sidecar_overrides_detection_in_the_pipeline(tmp_path):
    (tmp_path / "a.txt").write_text(
        "焦作市民政工作简报\n\n2019年，焦作市农村低保标准提高。焦作市城市低保标准同步提高。", encoding="utf-8")
    _sidecar(tmp_path, '{"a.txt": {"city": "焦作市武陟县", "year": 2020, "note": "县级报道"}}')
    files = discover([tmp_path])
    meta = process_file(files[0], sidecars_for(files)).document.meta
    assert meta.city == "焦作市武陟县" and meta.year == 2020
    assert meta.period == "2020年" and meta.publisher == "焦作市武陟县民政局"
    assert meta.title == "焦作市民政工作简报"
    chunk_meta = process_file(files[0], sidecars_for(files)).chunks[0].meta
    assert chunk_meta["city"] == "焦作市武陟县" and chunk_meta["year"] == 2020


def test_apply_sidecar_keeps_explicit_period_and_publisher():
    base = DocMeta(city="焦作市", year=2021, title="t", period="2021年", publisher="焦作市民政局")
    out = apply_sidecar(base, {"year": 2016, "period": "2016年上半年", "city": "洛阳市", "publisher": "某报"})
    assert out == DocMeta(city="洛阳市", year=2016, title="t", period="2016年上半年", publisher="某报",
                          region_level="city", region_parents=("河南省",), region_code="410300",
                          region_source="sidecar")
    assert apply_sidecar(base, None) is base
    assert apply_sidecar(base, {"note": "only a note"}) == base


# -- detection helpers ---------------------------------------------------------------------

def test_detect_year():
    assert detect_year("2016年累计……2017年……2017年") == 2017
    assert detect_year("2020年……2021年") == 2021  # a tie goes to the later year
    assert detect_year("编号12016年的文件，没有年份") is None
    assert detect_year("5月27日，第三十二次集体学习") is None
    assert detect_year("截至2021 年底") == 2021


def test_detect_title_skips_mastheads_and_numbered_headings():
    body = "近年来，惠济区民政局始终秉持以人为本、为民解困、为民服务的根本宗旨，认真履行基本职责。"
    text, blocks = clean_with_blocks(f"惠济时报 特别报道\n\n惠济区民政局科学统筹\n\n{body}")
    assert detect_title(text, blocks) == "惠济区民政局科学统筹"
    neutral = "一年来，全系统坚决贯彻落实全面从严治党要求，把忠诚、干净、担当的要求贯穿党建全过程。"
    text, blocks = clean_with_blocks(f"## 1 聚焦党建引领\n\n{neutral}")
    assert detect_title(text, blocks) is None
    meta = detect(text, blocks, "x.txt")
    assert meta.title == "民政工作报道（x.txt）" and meta.city is None and meta.publisher is None


# -- places ---------------------------------------------------------------------------------

def test_district_maps_to_its_city_region():
    [(place, start, end)] = find_places("惠济区民政局")
    assert (place.name, place.level, place.parent) == ("惠济区", "county", "郑州市")
    assert place.region == "郑州市惠济区" and place.city == "郑州市"
    assert (start, end) == (0, 3)


def test_county_has_its_parent_city():
    place = lookup("武陟县")
    assert place is not None and place.parent == "焦作市" and place.city == "焦作市"
    assert lookup("温县").parent == "焦作市"
    assert lookup("不存在的县") is None
    assert detect_region("焦作市民政局召开会议，武陟县、温县、孟州市参加") == "焦作市"


def test_short_names_and_aliases():
    assert [p.name for p, _, _ in find_places("洛阳民政、漯河民政与惠济慈善")] == ["洛阳市", "漯河市"]
    assert [p.name for p, _, _ in find_places("郑州市民政局与惠济慈善")] == ["郑州市", "惠济区"]
    assert lookup("焦作").name == "焦作市"


@pytest.mark.parametrize("text", ["焦作日报记者李新和报道", "焦作日报民政专刊", "洛阳路小学", "漯河晚报", "洛阳网"])
def test_masthead_and_street_names_are_not_places(text):
    assert find_places(text) == []
    assert detect_region(text) is None


def test_zhengzhou_masthead_is_not_a_place():
    # 郑州 ends in 州, itself a place suffix: a short name all the same
    assert find_places("郑州晚报记者报道") == []
    assert [(p.name, s) for p, s, _ in find_places("郑州晚报报道，郑州市民政局")] == [("郑州市", 7)]


def test_masthead_next_to_a_real_mention():
    found = find_places("据焦作日报报道，焦作市民政局")
    assert [(p.name, s) for p, s, _ in found] == [("焦作市", 8)]


def test_detect_region_refines_to_a_dominant_district():
    text = "惠济区民政局。惠济区养老服务。惠济区慈善超市。郑州市文件。"
    assert detect_region(text) == "郑州市惠济区"
    assert detect_region("惠济区民政局。") == "郑州市惠济区"  # all the text names: the district
    assert detect_region("郑州市民政局。郑州市养老。惠济区慈善。") == "郑州市"  # a district in passing
    assert detect_region("武陟县民政局。武陟县养老。武陟县慈善。") == "焦作市武陟县"
    assert detect_region("河南省民政厅。") == "河南省"  # a province's text is the province's
    assert detect_region("今天天气很好。") is None


def test_most_mentioned_city_wins():
    assert detect_region("洛阳市。焦作市。焦作市。孟州市。") == "焦作市"  # 孟州市 counts for 焦作市


@pytest.mark.parametrize("text", ["建设美丽新乡村，推进乡村振兴。", "为新安置的退役士兵发放一次性补贴。"],
                         ids=["新乡村", "新安置"])
def test_ordinary_words_are_not_places(text):
    assert find_places(text) == []
    assert detect_region(text) is None


def test_docmeta_round_trips_and_reads_old_manifests():
    meta = DocMeta(city="郑州市惠济区", year=2016, title="t", period="2016年", publisher="惠济区民政局",
                   region_level="county", region_parents=("河南省", "郑州市"), region_code="410108",
                   region_source="issuer", issued="2016-12-30", effective=None)
    d = json.loads(json.dumps(meta.to_dict(), ensure_ascii=False))
    assert d["region_parents"] == ["河南省", "郑州市"]
    assert DocMeta.from_dict(d) == meta
    # a manifest written before the region/period fields existed
    old = DocMeta.from_dict({"city": "焦作市", "year": 2021, "title": "t", "period": "2021年",
                             "publisher": "焦作市民政局", "some_future_key": 1})
    assert old.city == "焦作市" and old.region_level is None and old.region_parents == ()
    assert old.issued is None and old.effective is None


@pytest.mark.parametrize("text, region", [
    # a province's bodies named twice outweigh one of its cities' government speaking at the meeting
    ("中新网南昌5月6日电 江西省养老服务推进会6日在南昌召开。会上，江西省民政厅、江西省财政厅、"
     "九江市人民政府等单位作交流发言。江西省民政厅有关负责人介绍了全省情况。", "江西省"),
    # the body named first is the document's own (a county forwarding its city's notice)
    ("武陟县民政局关于转发焦作市民政局调整城乡低保标准的通知\n\n各乡镇：现将焦作市民政局通知转发给你们。",
     "焦作市武陟县"),
])
def test_the_issuer_is_the_body_named_first_unless_another_place_speaks_more(text, region):
    t, b = clean_with_blocks(text)
    assert detect(t, b, "x.txt").city == region


def test_the_title_is_past_a_publication_stamp_and_without_a_sites_label():
    from ingest.cleaning import clean_with_blocks
    from ingest.metadata import detect

    page = ("2024-03-05 09:12，正文：\n\n原标题：某县提高困难群众救助标准\n\n"
            "近日，湖州市德清县民政局印发通知，进一步提高城乡低保和特困人员救助供养标准，自今年4月起执行。")
    text, blocks = clean_with_blocks(page)
    meta = detect(text, blocks, "page.txt")
    assert (meta.title, meta.issued) == ("某县提高困难群众救助标准", "2024-03-05")


@pytest.mark.parametrize("head, title", [
    ("娄底市娄星区民政局\n关于提高经济困难失能老年人居家养老服务补贴标准的通知\n娄星民发〔2026〕6号",
     "娄底市娄星区民政局关于提高经济困难失能老年人居家养老服务补贴标准的通知"),
    ("通化市民政局 通化市财政局\n关于提高全市城乡居民最低生活保障标准的通知\n通民联发〔2026〕4号",
     "通化市民政局 通化市财政局关于提高全市城乡居民最低生活保障标准的通知"),
    ("惠济区民政局科学统筹\n关于做好救助工作", "惠济区民政局科学统筹"),  # no issuer line: the first line stays
])
def test_an_issuer_line_then_a_guan_yu_line_is_one_title(head, title):
    body = "各县（市、区）民政局：\n\n为进一步做好困难群众基本生活保障工作，经研究决定，现将有关事项通知如下。"
    text, blocks = clean_with_blocks(f"{head}\n\n{body}")
    assert detect_title(text, blocks) == title
