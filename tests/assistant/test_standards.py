"""Benefit standards extracted from the real seed reports (real ingest, no mocks).

GOLD was written by reading all five reports in seeds/: every benefit amount
that is a standard (保障标准), plus the two averages the reports state.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ingest.errors import CivilQAError, ConfigError, IndexStoreError  # noqa: E402
from ingest.pipeline import process_file, sidecars_for  # noqa: E402
from ingest.document import DocMeta, Document  # noqa: E402

from assistant.standards import (  # noqa: E402
    FORMAT_VERSION, VOCABULARY_PATH, Standard, StandardsTable, Vocabulary,
    build_table_json, extract_standards, format_row, load_vocabulary, region_matches,
)

SEEDS = ROOT / "seeds"

# (file prefix, region, year, category, amount, period, per, previous, kind)
GOLD = [
    # 000 洛阳 2017: 孤儿基本生活费提标 (第人每月 is the report's typo for 每人每月)
    ("000", "洛阳市", 2017, "散居孤儿", "700", "月", "人", "600", "standard"),
    ("000", "洛阳市", 2017, "机构养育孤儿", "1100", "月", "人", "1000", "standard"),
    # 000: 累计临时救助9584人次，支出资金677.02万元，平均每人次救助支出706元 — an average
    ("000", "洛阳市", 2017, "临时救助", "706", None, "人次", None, "average"),
    # 001 漯河 2020
    ("001", "漯河市", 2020, "农村低保", "4560", "年", "人", None, "standard"),
    ("001", "漯河市", 2020, "农村低保", "203.45", "月", None, None, "average"),
    # 002 焦作 2021 (4524 is stated twice: lead summary and the 社会救助 article)
    ("002", "焦作市", 2021, "城市低保", "600", "月", None, None, "standard"),
    ("002", "焦作市", 2021, "农村低保", "4524", "年", None, None, "standard"),
    ("002", "焦作市", 2021, "城市特困", "9600", "年", None, None, "standard"),
    ("002", "焦作市", 2021, "农村特困", "6000", "年", None, None, "standard"),
    # 003 郑州市惠济区 2016
    ("003", "郑州市惠济区", 2016, "城市低保", "550", None, None, "520", "standard"),
    ("003", "郑州市惠济区", 2016, "慈善购物卡", "50", "月", "人", None, "standard"),
    # 004 焦作 2016: 过渡期临时生活困难救助，按照人均230元的标准补助
    ("004", "焦作市", 2016, "受灾群众生活救助", "230", None, "人", None, "standard"),
]

# Totals and other amounts that must never be a standard
NOT_STANDARDS = ["8.8", "1582", "677.02", "706", "25.45", "6500", "367", "3988.1", "1.98", "660",
                 "1429.882", "1090", "810.973", "1033", "6423", "109", "2.49"]


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    paths = sorted(SEEDS.glob("*.txt"))
    assert len(paths) == 5
    sidecars = sidecars_for(paths)
    return {p.name[:3]: process_file(p, sidecars).document for p in paths}


@pytest.fixture(scope="module")
def rows(docs) -> list[Standard]:
    out: list[Standard] = []
    for d in docs.values():
        out.extend(extract_standards(d))
    return out


@pytest.fixture(scope="module")
def table(rows) -> StandardsTable:
    return StandardsTable(rows)


def _key(r: Standard) -> tuple:
    return (r.source[:3], r.region, r.year, r.category, r.amount, r.period, r.per, r.previous, r.kind)


def test_seed_metadata(docs):
    assert {k: (d.meta.city, d.meta.year) for k, d in docs.items()} == {
        "000": ("洛阳市", 2017), "001": ("漯河市", 2020), "002": ("焦作市", 2021),
        "003": ("郑州市惠济区", 2016), "004": ("焦作市", 2016)}


def test_recall_against_gold(rows):
    got = {_key(r) for r in rows}
    missing = [g for g in GOLD if g not in got]
    assert not missing, "gold standards not extracted:\n" + "\n".join(map(str, missing)) + \
        "\nextracted:\n" + "\n".join(map(str, sorted(got)))


def test_precision_against_gold(rows):
    gold = set(GOLD)
    extra = [(_key(r), r.text) for r in rows if _key(r) not in gold]
    assert not extra, "rows not in the gold list:\n" + "\n".join(map(str, extra))
    # 4524 is stated twice in 002: two rows, two different spans
    spans = sorted(r.start for r in rows if r.source.startswith("002") and r.amount == "4524")
    assert len(spans) == 2 and spans[0] != spans[1]


def test_rows_agree_with_their_span(rows, docs):
    vocab = load_vocabulary()
    for r in rows:
        doc = docs[r.source[:3]]
        assert r.text == doc.text[r.start:r.end], r
        assert r.text and r.text == r.text.strip()
        assert r.region == doc.meta.city
        assert r.unit == "元"
        assert r.kind in ("standard", "average")
        assert r.period in ("月", "年", None) and r.per in ("人", "人次", None)
        # the amount is in the span, as a 元 amount (not 万元/亿元)
        assert re.search(rf"(?<![\d.]){re.escape(r.amount)}(?:元|、)", r.text), r
        assert not re.search(rf"(?<![\d.]){re.escape(r.amount)}\s*[万亿]", r.text), r
        if r.previous:
            assert re.search(rf"(?<![\d.]){re.escape(r.previous)}元", r.text), r
            assert float(r.previous) < float(r.amount)
        # a word for the category in the span or in its sentence
        sent_start = max(doc.text.rfind(c, 0, r.start) for c in "。！？；\n") + 1
        sent_end = min([i for i in (doc.text.find(c, r.end) for c in "。！？；\n") if i >= 0] or [len(doc.text)])
        sentence = doc.text[sent_start:sent_end]
        assert any(t in r.text or t in sentence for t in vocab.terms(r.category)), r
        assert r.category in vocab.names or r.category in vocab.families
        if r.year != doc.meta.year:
            assert str(r.year) in r.text
        assert r.id == Standard.make_id(r.source, r.start, r.end, r.category)
    assert len({r.id for r in rows}) == len(rows)


def test_totals_are_never_standards(rows):
    standards = {r.amount for r in rows if r.kind == "standard"}
    for amount in NOT_STANDARDS:
        assert amount not in standards, amount
    averages = {r.amount for r in rows if r.kind == "average"}
    assert "706" in averages  # 平均每人次救助支出706元: kept, but only as an average
    for amount in ["8.8", "1582", "677.02"]:
        assert amount not in averages


def test_averages_are_labelled(rows):
    avg = {(r.source[:3], r.amount): r for r in rows if r.kind == "average"}
    assert set(avg) == {("000", "706"), ("001", "203.45")}
    assert "平均" in avg[("000", "706")].text and "临时救助" in avg[("000", "706")].text
    assert avg[("001", "203.45")].text == "农村低保金实际月补差平均水平达203.45元"


def test_fenbie_maps_chengxiang_in_order(rows):
    te = {r.category: r for r in rows if r.source.startswith("002") and r.category.endswith("特困")}
    assert te["城市特困"].amount == "9600" and te["农村特困"].amount == "6000"
    assert te["城市特困"].text == te["农村特困"].text == "城乡特困基本生活年标准分别为9600元、6000元"
    assert te["城市特困"].id != te["农村特困"].id


def _doc(text: str, year: int | None = 2022) -> Document:
    return Document(source="t.txt", text=text, sha256="0", encoding="utf-8", meta=DocMeta("测试市", year, "t"))


def test_fenbie_with_previous_lists_and_explicit_qualifiers():
    rows = extract_standards(_doc("城市和农村低保标准分别由500元、300元提高到每人每月600元、400元。"))
    got = {(r.category, r.amount, r.previous, r.period, r.per) for r in rows}
    assert got == {("城市低保", "600", "500", "月", "人"), ("农村低保", "400", "300", "月", "人")}


@pytest.mark.parametrize("text", [
    "城市低保标准提高50元。",                  # a raise, not a level
    "发放临时救助金3000元。",                  # a payment
    "医疗救助标准提高，最高救助5万元。",        # 万元
    "标准为600元、700元的城市低保。",           # which is which?
    "农村低保金比省定最低目标高25.45元。",       # a difference
    "下拨孤儿基本生活费补助资金660万元。",
])
def test_synthetic_negatives(text):
    assert [r for r in extract_standards(_doc(text)) if r.kind == "standard"] == []


def test_synthetic_positives():
    rows = extract_standards(_doc("2019年，农村特困人员基本生活标准提高，达到每人每年5000元。"
                                  "城市低保标准为600元/人·月。城乡低保标准统一为每月700元。"))
    got = {(r.category, r.amount, r.period, r.per, r.year) for r in rows}
    assert got == {("农村特困", "5000", "年", "人", 2019), ("城市低保", "600", "月", "人", 2022),
                   ("城市低保", "700", "月", None, 2022), ("农村低保", "700", "月", None, 2022)}
    generic = extract_standards(_doc("孤儿基本生活费标准为每人每月1000元。"))
    assert [(r.category, r.amount) for r in generic] == [("孤儿", "1000")]


def test_previous_and_year_from_sentence(rows):
    r = next(r for r in rows if r.source.startswith("003") and r.category == "城市低保")
    assert (r.amount, r.previous, r.year, r.period) == ("550", "520", 2016, None)
    assert r.text == "自2016年7月1日起,城市低保标准由520元提高到550元"
    r = next(r for r in rows if r.source.startswith("001") and r.kind == "standard")
    assert r.text.startswith("2020年") and "农村低保" in r.text and r.text.endswith("4560元")
    r = next(r for r in rows if r.category == "机构养育孤儿")
    assert (r.previous, r.per, r.period) == ("1000", "人", "月")


def test_save_load_round_trip(tmp_path, table):
    path = tmp_path / "sub" / "standards.json"
    table.save(path)
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["format_version"] == FORMAT_VERSION
    assert "洛阳市" in path.read_text(encoding="utf-8")  # ensure_ascii=False
    loaded = StandardsTable.load(path)
    assert loaded.rows == table.rows
    assert [p.name for p in path.parent.iterdir()] == ["standards.json"]  # no temp files left
    table.save(path)  # overwrite in place
    assert StandardsTable.load(path).rows == table.rows
    r = table.rows[0]
    assert Standard.from_dict(r.to_dict()) == r


def test_build_table_json_is_the_saved_format(tmp_path, docs, table):
    raw = build_table_json(docs.values())
    assert raw == table.to_json()
    path = tmp_path / "standards.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    assert StandardsTable.load(path).rows == table.rows


def test_load_errors(tmp_path, table):
    path = tmp_path / "standards.json"
    table.save(path)
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["format_version"] = FORMAT_VERSION + 1
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(IndexStoreError) as e:
        StandardsTable.load(path)
    assert "ingest" in str(e.value) and str(path) in str(e.value) and "版本" in str(e.value)
    assert isinstance(e.value, CivilQAError)
    assert "civilqa ingest" in str(e.value)
    with pytest.raises(IndexStoreError, match="不存在"):
        StandardsTable.load(tmp_path / "missing.json")
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexStoreError, match="损坏"):
        StandardsTable.load(path)
    path.write_text(json.dumps({"format_version": FORMAT_VERSION, "rows": [{"id": "x"}]}), encoding="utf-8")
    with pytest.raises(IndexStoreError, match="损坏"):
        StandardsTable.load(path)


def _vocab_file(tmp_path, mutate) -> Path:
    """A copy of the benefits section as a standalone file (format_version on top), mutated."""
    raw = json.loads(VOCABULARY_PATH.read_text(encoding="utf-8"))
    raw = dict(raw["benefits"], format_version=raw["format_version"])
    mutate(raw)
    p = tmp_path / "benefits.json"
    p.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return p


@pytest.mark.parametrize("mutate, where", [
    (lambda raw: raw["categories"].append({"name": "新类别", "family": "不存在"}), "新类别"),
    (lambda raw: raw["families"][0]["terms"].append("特困"), "特困"),
    (lambda raw: raw["categories"][0].update(qualifier="城乡"), "城市低保"),
    (lambda raw: raw["categories"][7].update(qualifier="城市"), "高龄津贴"),
    (lambda raw: raw["families"][0].update(terms=[]), "低保"),
    (lambda raw: raw["families"][0].update(qualifier_kind="nope"), "nope"),
    (lambda raw: raw.update(format_version=99), "format_version"),
    (lambda raw: raw["qualifiers"]["area"][2].update(means=["郊区"]), "郊区"),
])
def test_bad_vocabulary_file(tmp_path, mutate, where):
    p = _vocab_file(tmp_path, mutate)
    with pytest.raises(ConfigError) as e:
        Vocabulary.load(p)
    assert str(p) in str(e.value) and where in str(e.value)


def test_vocabulary_file_errors(tmp_path):
    p = tmp_path / "benefits.json"
    p.write_text('{"format_version": 1,', encoding="utf-8")
    with pytest.raises(ConfigError, match="JSON"):
        Vocabulary.load(p)
    with pytest.raises(ConfigError, match="不存在"):
        Vocabulary.load(tmp_path / "nope.json")
    assert Vocabulary.load(_vocab_file(tmp_path, lambda raw: None)).names == load_vocabulary().names


def test_vocabulary_is_documented_and_complete():
    raw = json.loads(VOCABULARY_PATH.read_text(encoding="utf-8"))
    assert raw["_doc"] and raw["benefits"]["_doc"]
    v = load_vocabulary()
    for name in ["城市低保", "农村低保", "城市特困", "农村特困", "散居孤儿", "机构养育孤儿", "事实无人抚养儿童",
                 "高龄津贴", "临时救助", "医疗救助", "受灾群众生活救助", "慈善购物卡", "残疾人两项补贴"]:
        assert name in v.names


@pytest.mark.parametrize("question, expected", [
    ("洛阳孤儿一个月给多少钱", ["散居孤儿", "机构养育孤儿"]),
    ("五保老人一年能拿多少", ["农村特困"]),
    ("焦作城乡低保标准是多少", ["城市低保", "农村低保"]),
    ("城镇低保每月多少钱", ["城市低保"]),
    ("我在农村，低保多少钱", ["农村低保"]),
    ("最低生活保障标准", ["城市低保", "农村低保"]),
    ("特困供养标准", ["城市特困", "农村特困"]),
    ("福利院的孤儿每月多少", ["机构养育孤儿"]),
    ("敬老补贴怎么发", ["高龄津贴"]),
    ("高龄补贴", ["高龄津贴"]),
    ("重度残疾人护理补贴", ["残疾人两项补贴"]),
    ("事实孤儿有补助吗", ["事实无人抚养儿童"]),
    ("低保边缘户", ["低保边缘"]),
    ("过渡期生活救助标准", ["受灾群众生活救助"]),
    ("在焦作城里吃低保，一个月能领多少？", ["城市低保"]),
    ("焦作特困的人一年能拿多少生活费？城里和农村一样吗", ["城市特困", "农村特困"]),
    ("焦作家里遭灾了，政府一个人给补多少钱？", ["受灾群众生活救助"]),
    ("惠济区低保户每个月能领多少钱的购物卡", ["城市低保", "农村低保", "慈善购物卡"]),
    ("今天天气怎么样", []),
])
def test_detect_on_questions(question, expected):
    assert load_vocabulary().detect(question) == expected


def test_resolve():
    v = load_vocabulary()
    assert v.resolve("低保") == ["城市低保", "农村低保"]
    assert v.resolve("城市低保") == ["城市低保"]
    assert v.resolve("五保") == ["农村特困"]


def test_query_region_matching(table):
    def srcs(**kw):
        return sorted({r.source[:3] for r in table.query(**kw)})
    assert srcs(region="焦作") == ["002", "004"]
    assert srcs(region="焦作市") == ["002", "004"]
    assert srcs(region="郑州") == ["003"]
    assert srcs(region="惠济") == ["003"]
    assert srcs(region="惠济区") == ["003"]
    assert srcs(region="郑州市惠济区") == ["003"]
    assert srcs(region="漯河") == ["001"]
    assert srcs(region="开封") == []
    assert srcs(region="州惠") == []
    assert region_matches("郑州市惠济区", "郑州市", broader=True)
    assert not region_matches("郑州市惠济区", "郑州市")
    assert not region_matches("焦作市", "郑州市", broader=True)


def test_query_filters(table):
    q = table.query(region="焦作", category="低保", year=2021)
    assert sorted((r.category, r.amount) for r in q) == [("农村低保", "4524"), ("城市低保", "600")]
    assert len(table.query(region="焦作", category="农村低保", unique=False)) == 2
    assert [r.amount for r in table.query(category="五保")] == ["6000"]
    assert [r.amount for r in table.query(region="洛阳", category="孤儿")] == ["700", "1100"]
    assert [r.amount for r in table.query(region="洛阳", category="洛阳孤儿一个月给多少钱")] == ["700", "1100"]
    assert all(r.kind == "standard" for r in table.query())
    avg = [r for r in table.query(include_averages=True) if r.kind == "average"]
    assert {r.amount for r in avg} == {"706", "203.45"}
    assert {r.year for r in table.query(region="焦作", latest=True)} == {2016, 2021}  # per category
    assert table.regions() == sorted(["洛阳市", "漯河市", "焦作市", "郑州市惠济区"])
    assert "城市低保" in table.categories() and "慈善购物卡" in table.categories()


def test_format_row_numbers_are_verbatim(rows):
    for i, r in enumerate(rows, 1):
        out = format_row(r, i)
        assert out.startswith(r.region) and out.endswith(f"[{i}]")
        body = out[: -len(f"[{i}]")]
        for n in re.findall(r"\d+(?:\.\d+)?", body):
            assert n in r.text or n == str(r.year), (n, out, r.text)
        assert r.amount + "元" in body
        if r.kind == "average":
            assert "平均" in body and "不是保障标准" in body
    orphan = next(r for r in rows if r.category == "散居孤儿")
    assert format_row(orphan, 1) == "洛阳市社会散居孤儿基本生活最低养育标准为每人每月700元（2017年由600元提高）[1]"


@pytest.mark.integration  # a second interpreter
def test_no_heavy_imports():
    code = ("import sys, assistant.standards; "
            "bad = [m for m in ('torch', 'gradio', 'faiss', 'langchain_core', 'numpy') if m in sys.modules]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
