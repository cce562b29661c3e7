"""Kinds of wrong answers read on a clean news set (issue 13, session 6): the kind of answer
asked against what the cited span holds. A 第几年 answered by a duration (为期5天); a 多少 asked
beside 多大年龄 answered by a headline with no figure; a count of a thing answered by the figure of
another thing in the same sentence (入住居民…人 for 多少个留守儿童). Each test is written on
documents made up for it (real places, made-up sentences and figures)."""
from __future__ import annotations

import pytest

from assistant.answer.asked import understand
from assistant.answer.candidates import best_clause
from assistant.answer.compose import asked_dimension
from assistant.answer.figures import of_dimension, ordinals, quantities
from assistant.answer.selection import asked_units, figures_asked
from assistant.query import analyze

DOCS = {
    "weifang_caifeng.txt": (
        "潍坊市2023-08-10，正文：原标题：潍坊慈善采风启动8月10日，潍坊市慈善总会组织的慈善项目采风活动启动。"
        "此次采风活动为期4天，将走进潍坊市儿童福利院、潍坊市养老服务中心。"
        "今年是潍坊慈善采风活动连续举办的第五年，活动累计走访慈善项目60余个。\n"),
    "anhua_shutuo.txt": (
        "益阳市安化县2023-07-20 09:15，正文：原标题：安化爱心暑托班开班啦参加爱心暑托班的孩子们合影。"
        "7月19日，安化县团县委主办的爱心暑托班在县青少年活动中心开班。"
        "据介绍，参加本期暑托班的36名孩子，年龄在8到13岁之间，大多是留守儿童。"
        "今年19岁的李明是一名大一学生，他主动报名担任暑托班的助教志愿者。\n"),
    "pingjiang_shitang.txt": (
        "岳阳市平江县2023-08-12，正文：平江县童家村共享食堂开张，村里70岁以上老人在这里吃饭全部免费，其他村民每餐收费5元。"
        "该村还为青少年开设了暑期阅读室，孩子们随时可以来看书，无需证件、没有费用。\n"),
    "jiaokou_shequ.txt": (
        "吕梁市交口县2023-08-05，正文：原标题：交口县：志愿服务进社区在交口县康城社区，每天都有十多个孩子来这里学习。"
        "康城社区是交口县的易地扶贫搬迁安置社区，入住居民2600多人，在读学生有800人，其中90多个孩子为留守儿童。\n"),
    "yutai_tanfang.txt": (
        "，正文：“童心有爱”儿童探访行动现场记者张明济宁报道7月10日至7月25日，济宁市鱼台县谷亭街道社工站3名驻站社工联合网格员"
        "开展儿童探访行动，本次探访儿童共计36人，其中走访入户10人，电话探访26人。社工站将继续为辖区儿童提供陪伴服务。\n"),
    "qingxiu_shutuo.txt": (
        "南宁市青秀区2023-07-30，正文：青秀区凤岭社区推出免费暑托服务。每个暑托班均有负责教学和生活的老师共3名。"
        "社区书记介绍，今年暑托方案确定后，凤岭社区把报名信息发到各小区的微信群，30个名额很快报满。\n"),
}


@pytest.fixture(scope="module")
def span_assistant(make_answer_assistant):
    return make_answer_assistant("span-kinds", DOCS)


def test_ordinals_are_read_apart_from_amounts():
    """第五年 / 第8次 / 第三届 are places in a series: never a duration or a count of quantities()."""
    assert [(q.text, q.value, q.unit) for q in ordinals("连续举办的第五年，第8次举办，第三届")] == [
        ("第五年", 5.0, "年"), ("第8次", 8.0, "次"), ("第三届", 3.0, "届")]
    assert quantities("连续举办的第五年，第8次举办") == []
    assert of_dimension("此次活动为期4天", "ordinal") == []


def test_a_place_in_a_series_is_asked_apart_from_a_duration():
    """第几年 asks an ordinal (never 几年's duration); 举办了几年 still asks a duration."""
    a = analyze("潍坊慈善采风活动今年是连续举办的第几年？")
    assert understand(a).kind == "ordinal" and asked_dimension(a) == "ordinal"
    assert understand(analyze("潍坊慈善采风活动举办了几年？")).kind == "duration"


def test_a_how_many_beside_an_age_asked_still_asks_a_figure():
    """有多少孩子参加？多大年龄？: the 多少 outside 多大年龄 asks a figure; 多少岁 alone asks none beside the age."""
    assert asked_dimension(analyze("安化县这期暑托班有多少孩子参加？多大年龄？")) == "figure"
    assert asked_dimension(analyze("安化县暑托班的孩子多少岁？")) is None


def test_a_count_with_ge_counts_the_noun_after_it():
    """多少个名额 / 几个家庭: 个 is the unit and 名额, 家庭 what it counts, never a count in 名 or 家."""
    assert asked_units("暑托班有多少个名额？") == () and asked_units("一共有几个家庭？") == ()
    assert asked_units("有多少个人？") == ("人", "名", "位")


def test_a_phone_word_before_a_verb_asks_no_contact():
    """电话探访的有多少 counts visits made by phone; 咨询电话是多少 asks the line."""
    assert understand(analyze("入户的和电话探访的各多少？")).kind is None
    assert understand(analyze("社工站的咨询电话是多少？")).kind == "contact"


def test_each_of_two_joined_things_asks_a_figure_each():
    assert figures_asked("探访了多少名儿童？入户的和电话探访的各多少？") == 3
    assert figures_asked("城市和农村低保标准分别是多少？") == 2


def test_a_town_after_a_county_is_that_county_s_town():
    """新沂市新安镇 is a town of 新沂市, never 新安县 elsewhere; 新安镇 alone is the seat of 新安县."""
    assert [p.region for p in analyze("新沂市新安镇的村级关爱资金每村每年多少？").places] == ["徐州市新沂市"]
    assert [p.region for p in analyze("新安镇敬老院有多少张床位？").places] == ["洛阳市新安县"]


ANSWERED = [
    # the ordinal's sentence, never the 为期4天 one (a duration) beside it
    ("潍坊慈善采风活动今年是连续举办的第几年？", ("第五年",), ("为期4天",)),
    # the count said of 留守儿童 itself, never the first count of the sentence (居民)
    ("交口县康城社区有多少个留守儿童？", ("90多个",), ("2600多人",)),
    # 电话 modifies 探访 (no phone line asked); all three figures asked, each said
    ("谷亭街道社工站这次探访了多少名儿童？入户的和电话探访的各多少？", ("36人", "10人", "26人"), ()),
    # 名额 is what is counted: the 30个 said of it, never the teachers (3名) of the 暑托班 clause
    ("青秀区凤岭社区今年的暑托班有多少个名额？", ("30个",), ("3名",)),
]


@pytest.mark.parametrize("question,says,never", ANSWERED, ids=["ordinal", "counted-noun", "phone-visits", "places"])
def test_the_kind_asked_is_what_the_cited_clause_holds(span_assistant, question, says, never):
    a = span_assistant.ask(question)
    assert a.answerable, a.answer
    assert all(s in a.answer for s in says), a.answer
    assert not any(n in a.answer for n in never), a.answer


def test_a_headline_without_a_figure_answers_no_how_many(span_assistant):
    """The headline (参加爱心暑托班的孩子们合影) holds the question's words but no figure: it answers no
    多少, whatever else the question asks (多大年龄)."""
    a = span_assistant.ask("安化县这期爱心暑托班有多少孩子参加？多大年龄？")
    assert "合影" not in a.answer, a.answer
    assert not a.answerable or "36名" in a.answer, a.answer


def test_an_article_is_no_count(span_assistant):
    """是一名大一学生: 一名 is "a", never the count a how-many question is answered with; 36名 is one."""
    ex = span_assistant.answerer
    _, figure, _, _ = best_clause(ex, "今年19岁的李明是一名大一学生", 0, "count", {"学生": 1.0}, 1.0, False)
    assert figure is None
    _, figure, _, _ = best_clause(ex, "参加本期暑托班的36名孩子", 0, "count", {"孩子": 1.0}, 1.0, False)
    assert figure is not None and figure.text == "36名"
    # a 一 with no noun after its unit is a count: 一镇一家
    _, figure, _, _ = best_clause(ex, "长者食堂已达一镇一家", 0, "count", {"长者食堂": 1.0}, 1.0, False)
    assert figure is not None and figure.text == "一家"


def test_how_many_times_asks_a_count_in_times():
    assert "多少次" in analyze("How many times has the Anhua County Youth League held the summer class?").normalized


def test_the_person_asked_for_is_no_topic(span_assistant):
    """我奶奶…: who the question is asked for is never the topic a refusal names."""
    a = span_assistant.ask("我奶奶住在童家村，今年75岁，去村里共享食堂吃饭要钱吗？")
    assert "奶奶" not in a.answer, a.answer


def test_a_yes_no_question_closed_by_bu_is_answered_by_its_sentence(span_assistant):
    """要办证或者交钱不？ asks yes or no, as 吗 does; 无需证件、没有费用 says it (办证 ~ 证件, 交钱 ~ 费用)."""
    assert understand(analyze("要办证或者交钱不？")).shape == "yesno"
    a = span_assistant.ask("孩子去平江县童家村的阅读室看书，要办证或者交钱不？")
    assert a.answerable and "无需证件" in a.answer and "没有费用" in a.answer, a.answer

