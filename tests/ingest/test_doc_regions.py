"""Region and period of whole documents, on the team's own fixture documents.

``fixtures/regions.jsonl`` gives each fixture document its expected region, level,
parent chain and period. Only the dev split is asserted here; the test split is
measured by ``python -m eval.doc_regions`` (kept aside from tuning).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest import datafiles
from ingest.cleaning import clean_with_blocks
from ingest.errors import ConfigError
from ingest.metadata import detect
from ingest.pipeline import process_file

FIXTURES = Path(__file__).with_name("fixtures")
ROWS = [json.loads(line) for line in (FIXTURES / "regions.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()]
DEV = [r for r in ROWS if r["split"] == "dev"]


def _meta(text: str, name: str = "t.txt"):
    cleaned, blocks = clean_with_blocks(text)
    return detect(cleaned, blocks, name)


def test_fixture_splits_keep_a_third_aside():
    test = [r for r in ROWS if r["split"] == "test"]
    assert len(test) * 3 >= len(ROWS) and set(r["split"] for r in ROWS) == {"dev", "test"}
    assert all((FIXTURES / "regions" / r["file"]).is_file() for r in ROWS)


@pytest.mark.parametrize("row", DEV, ids=[r["file"] for r in DEV])
def test_dev_fixture_region_and_period(row):
    meta = process_file(FIXTURES / "regions" / row["file"]).document.meta
    assert (meta.city, meta.region_level, list(meta.region_parents)) == \
        (row["city"], row["region_level"], row["region_parents"]), row["genre"]
    assert (meta.year, meta.period, meta.issued, meta.effective) == \
        (row["year"], row["period"], row["issued"], row["effective"]), row["genre"]


def test_region_not_stated_has_a_reason():
    meta = _meta("关于做好救助工作的通知\n\n各县（市、区）民政局：\n\n请做好低保对象复核工作。")
    assert meta.city is None and meta.region_level is None and meta.region_source == "not_stated"
    even = _meta("各地动态\n\n江苏省推行审批下放，浙江省建立监测平台，广东省统筹城乡，四川省开展试点。")
    assert even.city is None and even.region_source == "ambiguous"


def test_dateline_and_venue_never_give_the_region():
    meta = _meta("新华社太原3月2日电 记者从有关方面获悉，会议在长春召开，会议研究了养老服务工作。")
    assert meta.city is None
    meta = _meta("某省民政厅召开会议\n\n中新网长春7月31日电 河北省养老服务推进会议在长春召开。河北省民政厅作了部署。")
    assert meta.city == "河北省" and meta.region_level == "province"


def test_a_body_given_to_or_addressed_is_no_issuer():
    """捐赠给湖北省慈善总会 at a one-line news item's end names who received, not who wrote: the
    item is about the city its text names throughout (document_words recipient_before)."""
    text = ("共克时艰，长沙市养老机构在行动 近期，长沙市养老服务协会组织会员单位开展互助，长沙市各养老机构"
            "主动减免费用。长沙市一家企业还采购5万个口罩捐赠给湖北省慈善总会。")
    meta = _meta(text)
    assert meta.city == "长沙市" and meta.publisher != "湖北省慈善总会", (meta.city, meta.publisher)
    roundup = _meta("各地援助动态 国家开发银行向武汉市发放应急贷款，多家企业驰援武汉市，上海、广东医疗队已到达。")
    assert roundup.city != "武汉市" or roundup.region_source != "issuer", (roundup.city, roundup.region_source)


def test_province_notice_is_the_province_not_its_capital():
    meta = _meta("河南省民政厅关于提高城乡低保标准的通知\n\n各省辖市民政局：郑州市、开封市、洛阳市要率先落实。"
                 "郑州市要在6月底前完成。")
    assert (meta.city, meta.region_level, meta.region_parents) == ("河南省", "province", ())
    assert meta.publisher == "河南省民政厅" and meta.region_source == "issuer"


def test_county_report_is_the_county_with_its_prefecture_as_parent():
    meta = _meta("沁阳市民政局2021年工作总结\n\n2021年，全市低保标准提高。焦作市民政局给予表扬。焦作市表彰先进。")
    assert (meta.city, meta.region_level, meta.region_parents) == ("焦作市沁阳市", "county", ("河南省", "焦作市"))


def test_a_place_written_with_its_parents_is_one_mention_of_the_deepest():
    """湖南省益阳市安化县 names 安化县 once, not 湖南省 and 益阳市 besides: a page whose every mention of
    the city is the county written out in full is the county's (made-up page, real places)."""
    meta = _meta("2023-07-20 09:15，正文：中新网益阳7月20日电 (记者王敏)暑期来临，湖南省益阳市安化县多个社区开设暑托班。"
                 "记者走访益阳市安化县东坪镇多个社区看到，孩子们在这里读书、做手工。")
    assert (meta.city, meta.region_level) == ("益阳市安化县", "county")


def test_a_headline_city_yields_to_the_county_its_body_is_about():
    """贵州遵义：… opens a one-line page with the city; the body names one county of it throughout
    (遵义市湄潭县…湄潭县…): the county is what the page is about. A body naming the city's counties
    about evenly stays the city's."""
    meta = _meta("2023-08-01 10:00，正文：原标题：贵州遵义：办好家门口的儿童之家近年来，贵州省遵义市湄潭县建成儿童之家40个。"
                 "据了解，湄潭县还配备儿童主任120名。")
    assert (meta.city, meta.region_level) == ("遵义市湄潭县", "county")
    even = _meta("2023-08-01 10:00，正文：原标题：贵州遵义：办好家门口的儿童之家近年来，遵义市湄潭县建成儿童之家40个，"
                 "遵义市凤冈县建成30个，遵义市余庆县建成20个。")
    assert even.city == "遵义市"


@pytest.fixture
def words_file(tmp_path, monkeypatch):
    """Point the loader at a copy of document_words.json changed by ``edit``; the real
    file is read again afterwards."""
    path = tmp_path / "document_words.json"
    original = json.loads(datafiles.DOCUMENT_WORDS.read_text(encoding="utf-8"))
    monkeypatch.setattr(datafiles, "DOCUMENT_WORDS", path)

    def write(edit) -> Path:
        data = json.loads(json.dumps(original))
        edit(data)
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        datafiles.document_words.cache_clear()
        return path

    yield write
    monkeypatch.undo()
    datafiles.document_words.cache_clear()


@pytest.mark.parametrize("edit, words", [
    (lambda d: d.update(organ_words="民政局"), "organ_words"),  # a string where a list belongs
    (lambda d: d.pop("target_before"), "target_before"),
    (lambda d: d.update(head_chars=0), "head_chars"),
    (lambda d: d.update(new_list=["x"]), "new_list"),
])
def test_broken_words_file_is_an_error_naming_file_and_key(words_file, edit, words):
    path = words_file(edit)
    with pytest.raises(ConfigError) as info:
        datafiles.document_words()
    assert str(path) in str(info.value) and words in str(info.value)


def test_a_closing_contact_list_of_several_county_bureaus_is_no_issuer():
    """A city's guide that ends on every county's 民政局 phone is the city's, not the first
    county's (made-up guide, real places); one county's own guide ending on its own bureau stays
    the county's."""
    guide = _meta("洛阳市孤儿基本生活费申领指南\n\n一、申请条件\n具有本市户籍的孤儿可以申请基本生活费。\n\n"
                  "二、申请材料\n申请人填写申请表，提交户口簿、监护人身份证明和孤儿身份认定材料，由乡镇（街道）受理。\n\n"
                  "三、咨询电话\n新安县民政局：0379-1111111\n宜阳县民政局：0379-2222222\n"
                  "嵩县民政局：0379-3333333\n汝阳县民政局：0379-4444444\n")
    assert (guide.city, guide.region_level) == ("洛阳市", "city"), (guide.city, guide.publisher)
    own = _meta("孤儿基本生活费申领指南\n\n具有本县户籍的孤儿可以申请基本生活费。\n\n咨询电话\n新安县民政局：0379-1111111\n")
    assert own.city == "洛阳市新安县" and own.region_source == "issuer", (own.city, own.region_source)


def test_a_contact_list_the_head_window_cuts_is_still_a_list():
    """A short 明白纸 whose opening window ends inside its list of every county's office (the
    window holds only the first county) is the city's (made-up text, real places)."""
    sheet = _meta("鹰潭市医疗救助政策明白纸\n\n一、救助对象\n特困人员、低保对象、返贫致贫人口。\n\n"
                  "二、咨询方式\n月湖区医保中心0701-6221004；余江区医保中心0701-5882005；贵溪市医保中心0701-3312006。\n")
    assert (sheet.city, sheet.region_level) == ("鹰潭市", "city"), (sheet.city, sheet.publisher)


def test_a_speaker_quoted_at_the_end_is_no_signature():
    """A province's news round-up that ends quoting a district's community secretary (…社区党委
    书记某某说) is the province's, not the district's (made-up text, real places); a notice signed
    by the district's bureau on its last line stays the district's, and a county report quoting its
    own bureau chief last stays the county's."""
    news = _meta("浙江多地用数据助力防疫。在宁波，社区用门禁数据排查外来人员；在温州瑞安，企业核查用电数据；"
                 "在台州，网格员逐户登记。在杭州，杭州市滨江区的街道与供电公司联合完成了六十个社区的住户画像，"
                 "累计预警人员流动两千余人。“数据让排查省力多了。”杭州市滨江区协同社区党委书记杨某说。")
    assert news.city == "浙江省", (news.city, news.publisher)
    county = _meta("平凉静宁：冬季救助送温暖\n\n新华社兰州11月26日电（记者张某）入冬以来，甘肃省平凉市静宁县提前发放取暖救助资金。静宁县地处山区，"
                   "今年累计实施临时救助四千余人次。\n\n静宁县民政局局长刘某介绍，下一步将继续推进互助幸福院建设。")
    assert county.city == "平凉市静宁县", (county.city, county.publisher)  # a report quoting its own county's chief
    signed = _meta("关于做好居家隔离人员生活保障的通知\n\n各街道：\n请各街道做好居家隔离人员的生活物资保障。\n\n"
                   "杭州市滨江区民政局\n")
    assert signed.city == "杭州市滨江区" and signed.region_source == "issuer", (signed.city, signed.region_source)


def test_a_site_label_before_the_headline_does_not_hide_its_place():
    """【某网】 before a one-line page's headline is the site's label: the place the headline opens
    with is still the page's (made-up text, real places), not the province its body names more."""
    page = _meta("【新华网】成都推出助企信用贷款 日前，四川一家医药企业通过手机申办获得信用贷款，"
                 "这是与四川省内银行联合推出的首笔贷款。四川省其他地区也在推广。")
    assert page.city == "成都市", (page.city, page.region_source)


def test_a_headline_naming_city_and_county_by_short_names_is_the_countys():
    """A dateline item headed 某市某县： by both short names (赣州信丰：…) is about the county,
    once its text names the county's city in full (made-up text, real places)."""
    item = _meta("赣州信丰：山区群众冬有所暖\n\n新华社南昌12月9日电（记者王某）入冬以来，江西省赣州市信丰县"
                 "提前发放取暖补贴。今年信丰县农村低保标准提高到每人每年6000元。")
    assert item.city == "赣州市信丰县", (item.city, item.region_source)


def test_a_title_place_one_of_several_stands_for_their_parent():
    """关于公布甲市等N个市（州）…: the first of several places the notice covers is not its region; their
    province is, when the text names only places of it (made-up text, real places)."""
    notice = _meta("关于公布黔西南州等3个市（州）2026年城乡低保标准的通知\n\n各市（州）民政局：\n"
                   "黔西南州、安顺市、六盘水市提出了调整方案，经审核予以公布。\n\n"
                   "市（州）\t城市低保（元/月）\n黔西南州\t860\n安顺市\t850\n六盘水市\t870\n")
    assert notice.city == "贵州省", (notice.city, notice.region_source)
    mixed = _meta("关于表扬郑州市等3个城市的通报\n\n郑州市、成都市、西安市养老服务工作成效明显。\n")
    assert mixed.city != "河南省"  # places of several provinces: no province of one of them
