"""Kinds of failure of documents written as offices publish them (a 公示 with a town table of
counts and sums, a province table by city beside a city's table by benefit, a 办法 stating a
multiple), each on made-up text: the asked kind of figure decides the cell, and a ranking of
places ranks rows that are places."""
import pytest

from assistant.answer.tables import column_score, parse_tables, rows_are_places
from assistant.vocabulary import qualifier_words

# Places are real, figures and wording made up for these tests.
DOCS = {
    "fuxin_gongshi.txt": (
        "彰武县民政局关于2025年第一季度城乡低保情况的公示\n\n"
        "现将2025年第一季度全县各乡镇低保情况公示如下。\n\n"
        "乡镇\t城市低保人数（人）\t城市低保金（元）\t农村低保人数（人）\t农村低保金（元）\n"
        "甲镇\t210\t356000\t75\t98000\n乙镇\t18\t30100\t633\t812000\n丙乡\t9\t15000\t402\t530500\n\n"
        "各乡镇高龄津贴发放情况另行公示。\n"),
    "jilin_table.md": (
        "# 吉林省2025年各市城乡低保标准\n\n吉林省民政厅\n\n"
        "全省城市低保平均标准为每人每月700元。各市执行的标准如下表。\n\n"
        "| 市 | 城市低保标准（元/人·月） | 农村低保标准（元/人·年） |\n|---|---|---|\n"
        "| 长春市 | 760 | 6100 |\n| 吉林市 | 720 | 5800 |\n| 四平市 | 690 | 5500 |\n| 通化市 | 705 | 5650 |\n| 白山市 | 690 | 5600 |\n\n"
        "注：表中为各市市区标准。\n"),
    "changchun_items.txt": (
        "长春市2025年城乡社会救助标准\n\n长春市民政局\n\n自2025年7月1日起调整全市社会救助标准。\n\n"
        "救助项目\t城市标准（元/人·月）\t农村标准（元/人·年）\n"
        "最低生活保障\t760\t6100\n特困人员基本生活\t990\t7930\n孤儿基本生活费（社会散居）\t1500\t18000\n\n"
        "农安县、榆树市城市低保标准按全市标准执行，农村低保标准不低于每人每年5600元。\n"),
    "chifeng_gaoling_faq.txt": (
        "赤峰市高龄津贴政策问答\n\n赤峰市民政局\n\n"
        "问：高龄津贴的标准是多少？\n答：80至89周岁老年人每人每月100元，90至99周岁老年人每人每月260元，"
        "100周岁及以上老年人每人每月900元。\n\n"
        "问：申请要准备哪些材料？\n答：老年人本人的居民身份证、户口簿和社会保障卡。\n"),
    "tonghua_banfa.txt": (
        "通化市特困人员救助供养办法\n\n"
        "第四条　特困人员基本生活标准按照不低于当地城市低保标准的1.5倍确定。\n"
        "第五条　特困老年人同时享受高龄津贴。\n第六条　本办法自2025年2月1日起施行。\n"),
}


@pytest.fixture(scope="module")
def written(make_answer_assistant):
    return make_answer_assistant("written-kinds", DOCS)


def test_a_count_asked_reads_the_count_column_not_the_sum_beside_it(written):
    a = written.ask("彰武县乙镇农村低保有多少人？")
    assert a.answerable and "633" in a.answer and "812000" not in a.answer
    b = written.ask("彰武县乙镇农村低保金是多少钱？")
    assert b.answerable and "812000" in b.answer and "633人" not in b.answer


def test_a_multiple_asked_is_never_a_table_cell_in_yuan(written):
    a = written.ask("通化特困人员基本生活标准按城市低保标准的几倍确定？")
    assert "705" not in a.answer  # the city's 低保 cell of the province table
    assert a.answerable and "1.5倍" in a.answer


def test_which_city_ranks_rows_that_are_places(written):
    a = written.ask("吉林哪个市的城市低保标准最高？")
    assert a.answerable and "长春市" in a.answer and "760" in a.answer
    assert "1500" not in a.answer and "孤儿" not in a.answer  # rows of benefits rank no places
    b = written.ask("吉林哪个市农村低保标准最低？")
    assert b.answerable and "四平市" in b.answer and "5500" in b.answer


def test_rows_are_places_tells_a_table_by_place_from_a_table_by_benefit():
    by_place, = parse_tables(DOCS["fuxin_gongshi.txt"])
    by_item, = parse_tables(DOCS["changchun_items.txt"])
    assert rows_are_places(by_place) and not rows_are_places(by_item)



def test_a_table_by_benefit_is_read_by_the_row_its_measure_names(written):
    a = written.ask("长春市特困人员基本生活标准每月多少？")
    assert a.answerable and "990" in a.answer and "1500" not in a.answer
    b = written.ask("长春散居孤儿基本生活费每月多少？")
    assert b.answerable and "1500" in b.answer and "18000" not in b.answer


def test_a_qualifier_clashes_only_with_its_own_kind():
    q = qualifier_words()
    assert column_score("城市标准（元/人·月）", "散居孤儿基本生活费每月多少", q, []) > 0  # 散居 is no area
    assert column_score("城市标准（元/人·月）", "农村低保每月多少", q, []) < 0


def test_a_county_the_table_does_not_list_is_answered_by_the_sentence_naming_it(written):
    a = written.ask("长春农安县农村低保标准不低于多少？")
    assert a.answerable and "5600" in a.answer


BAISHAN = {
    "baishan_tibiao.txt": (
        "白山市关于提高城乡低保标准的通知\n\n"
        "自2025年5月1日起，城市低保标准由每人每月650元提高到每人每月690元。"
        "城乡特困人员基本生活标准调整为每人每月900元。\n"
        "新标准执行后，5月份已按原标准发放的，于6月份一并补发差额。\n"),
    "baishan_linshi_guide.txt": (
        "白山市临时救助办事指南\n\n一、办理流程\n申请人向户籍所在地乡镇（街道）提出申请，也可通过“白山通”手机端在线申请。\n\n"
        "二、咨询电话\n白山市民政局社会救助科：0439-3201234；工作日8:30—17:00受理。\n"),
    "huairou_guide.txt": (
        "北京市怀柔区最低生活保障办事指南\n\n发布单位：北京市怀柔区民政局\n\n"
        "一、受理条件\n共同生活的家庭成员月人均收入低于本市城乡居民最低生活保障标准（2025年为每人每月1400元）。\n\n"
        "二、办理方式\n到区民政局窗口办理，也可网上办理。\n"),
}


@pytest.fixture(scope="module")
def baishan(make_answer_assistant):
    return make_answer_assistant("written-baishan", {**DOCS, **BAISHAN})


def test_a_province_asked_is_not_answered_by_one_city_of_it(baishan):
    a = baishan.ask("吉林省特困人员基本生活标准是多少？")
    assert not a.answerable and "吉林省" in a.answer  # 白山's 900元 or 长春's cell is no figure of the province
    c = baishan.ask("北京市2025年低保标准每月多少钱？")  # a district's guide quoting 本市's standard
    assert c.answerable and "1400" in c.answer
    b = baishan.ask("吉林哪个市的城市低保标准最高？")  # a place inside it asked: a city answers
    assert b.answerable and "长春市" in b.answer


def test_a_date_asked_is_never_answered_by_the_standards_table(baishan):
    from assistant.answer.standard_answers import standard_rows
    from assistant.query import analyze

    ex = baishan.answerer
    assert standard_rows(ex, analyze("白山城市低保标准是多少？"), None)  # the table holds 白山's rows
    for q in ("白山按老标准发的低保，差额什么时候补？", "白山低保标准按城市低保标准的几倍确定？"):
        assert standard_rows(ex, analyze(q), None) == []


def test_a_care_level_said_as_half_self_caring_selects_its_level(answer_docs_assistant):
    a = answer_docs_assistant.ask("德阳半自理的特困老人，照料护理费每月有多少？")
    assert a.answerable and "420" in a.answer and "1250" not in a.answer and "110元" not in a.answer


def test_an_age_said_without_sui_selects_its_band(written):
    from assistant.answer.asked import understand_text

    assert understand_text("我妈今年85了，每月能领多少？").age == 85.0
    assert understand_text("申请已经15了吗").age is None  # no age an elderly benefit is asked about
    a = written.ask("我爸今年92了，户口在赤峰，每个月能领多少高龄津贴？")
    assert a.answerable and "260" in a.answer and "900元" not in a.answer


def test_the_value_before_a_raise_is_answered_by_the_sentence_saying_it(baishan):
    a = baishan.ask("白山提标以前城市低保每月多少钱？")  # the province table's cell and the standards row are current
    assert a.answerable and "650" in a.answer
    assert a.citations and all("由" in c.text for c in a.citations)


def test_a_phone_line_is_read_with_its_heading_and_title(baishan):
    a = baishan.ask("白山临时救助的咨询电话是多少？")  # the line names neither 临时救助 nor 咨询电话
    assert a.answerable and "0439-3201234" in a.answer


def test_online_asked_is_answered_by_a_sentence_saying_zaixian(baishan):
    a = baishan.ask("在白山能网上申请吗？")  # 网上 asked, 在线申请 written (vocabulary synonyms)
    assert a.answerable and "白山通" in a.answer
