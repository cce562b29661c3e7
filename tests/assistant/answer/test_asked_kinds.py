"""Each kind of question is answered by what it asks, or refused (issue 13, kinds 1 and 2).

A small report written for these tests (real place, made-up figures) holds, for every kind, the
sentence that answers and a figure sentence beside it that a loose answerer would quote instead.
"""
from __future__ import annotations

import pytest

from assistant.answer.asked import understand_text
from assistant.answer.figures import quantities
from assistant.answer.selection import asked_units, counted_noun, counts_asked, shared_run, unit_agrees

REPORT = (
    "张家口市民政局2023年工作总结\n\n"
    "2023年，全市农村低保标准为每人每年5200元，全市城乡低保标准线和扶贫线实现两线合一。"
    "2023年我市三次提高农村低保标准，将城市低保标准提高到每人每月760元。\n\n"
    "全市街头救助巡查开展600次，对912人进行了救助。\n\n"
    "六一儿童节，团市委组织80余名志愿者来到市儿童福利院和院内孩子一起联欢。"
    "市领导来到市儿童福利院，看望院内的158名孩子。\n\n"
    "全年发放临时救助金300万元。开展“救急难”工作，对遭遇突发事件、意外伤害导致基本生活陷入困境的家庭，"
    "实行临时救助。\n"
)
OTHER = (
    "承德市民政局2023年工作总结\n\n"
    "全市冬春救助期间发放救助资金1200万元，人均补助260元。\n"
)


# a guide, a benefits notice and an announcement: time limits, days of the month, per-head levels
# beside spending totals, a document's own start date
MORE = {
    "chengde_guide.txt": (
        "承德市临时救助办事指南\n\n一、办理流程\n申请人提出申请→乡镇受理并入户调查→公示3天→县民政局审批。\n\n"
        "二、办理时限\n一般情况下自受理之日起8个工作日内办结。\n"),
    "chengde_canji.txt": (
        "承德市残疾人两项补贴和孤儿保障情况\n\n"
        "2023年，承德市共为3.1万名残疾人发放两项补贴0.98亿元。"
        "重度残疾人护理补贴按照残疾等级分档发放：一级重度残疾人每人每月130元，二级重度残疾人每人每月95元。"
        "各县区于每月15日前将孤儿保障金发放到监护人账户。\n"),
    "cangzhou_zunlao.txt": (
        "沧州市关于调整高龄老人尊老金发放标准的通知\n\n一、发放标准\n80—89周岁的老年人每人每月80元。\n\n"
        "二、申领方式\n老年人或其家属持身份证、户口簿到户籍所在地社区申报，也可通过“冀时办”App在线申报。\n\n"
        "三、所需材料\n\n1.申领登记表；2.老年人身份证；3.户口簿。\n\n"
        "四、资金来源\n所需资金由市、县两级财政按6:4比例承担。\n"),
    "baoding_jujia.txt": (
        "保定市居家养老服务补贴办法\n\n"
        "第三条 居家养老服务补贴按照失能等级分档：轻度失能的，每人每月补贴260元；中度失能的，每人每月补贴480元；"
        "重度失能的，每人每月补贴760元。\n\n"
        "第四条 对同时属于最低生活保障家庭成员的重度失能老年人，在第三条标准的基础上每人每月增发150元。\n\n"
        "第五条 居家养老服务补贴以服务券的形式发放，每月服务时长不少于18小时。\n"),
    "qinhuangdao_notice.txt": (
        "秦皇岛市民政局关于调整临时救助标准的公告\n\n一、救助标准\n"
        "对急难型临时救助对象，按照城乡低保月标准的2至5倍给予救助。\n\n三、执行时间\n本公告自2024年6月1日起执行。\n"),
}


@pytest.fixture(scope="module")
def report_assistant(make_answer_assistant):
    notice = "关于做好冬春取暖救助的通知\n\n对城乡低保对象每户一次性发放取暖补助450元，于12月20日前发放到位。\n"
    docs = {"zhangjiakou_2023.txt": REPORT, "chengde_2023.txt": OTHER, "notice_quannuan.txt": notice, **MORE}
    return make_answer_assistant("asked-kinds", docs)


def test_figure_free_shapes_are_read_from_the_question():
    assert understand_text("农村低保标准线和扶贫线是什么关系？").shape == "relation"
    assert understand_text("低保金可以换现金吗？").shape == "yesno"
    assert understand_text("什么情况下可以申请临时救助？").shape == "conditions"
    assert understand_text("去年采取了哪些措施？").shape == "actions"
    # a figure asked is no figure-free question, whatever else it says
    assert understand_text("有高龄补贴吗，每月多少钱？").shape is None
    assert understand_text("低保标准是多少？").shape is None


def test_count_agreement_helpers():
    assert asked_units("救助了多少人？") == ("人", "名", "位")
    assert asked_units("漯河一共有多少个孤儿") == ()  # 个 counts anything
    assert asked_units("提高了几次") == ("次", "场", "批", "期")
    times = [q for q in quantities("开展600次，对912人进行了救助") if q.dimension == "count"]
    assert [unit_agrees(q, asked_units("多少人")) for q in times] == [False, True]
    assert counted_noun("院内有多少名孩子？") == "孩子" and counted_noun("救助了多少人？") is None
    text = "组织80余名志愿者来到"
    assert not counts_asked(text, text.index("志"), "孩子")
    assert counts_asked("看望院内的158名孩子", len("看望院内的158名"), "孩子")
    assert shared_run("低保线与扶贫线有什么关系", "实现农村低保线与扶贫线两线合一") == len("低保线与扶贫线")


def test_a_relation_is_answered_by_the_sentence_naming_both_sides(report_assistant):
    a = report_assistant.ask("张家口市农村低保标准线和扶贫线是什么关系？")
    assert a.answerable and "两线合一" in a.answer
    assert "两线合一" in a.citations[0].text


def test_a_yes_no_question_without_its_topic_in_the_reports_is_refused(report_assistant):
    a = report_assistant.ask("张家口的低保金可以换成购物卡吗？")
    assert not a.answerable and "5200" not in a.answer and "760" not in a.answer


# (question, what the answer says, what a loose answerer would have said instead)
ANSWERED = [
    ("在张家口什么情况下可以申请临时救助？", "突发事件", "300万元"),  # conditions: the sentence saying when
    ("张家口市街头救助巡查救助了多少人？", "912", "600"),  # people, never a count of times
    ("张家口市2023年提高了几次农村低保标准？", "三次", "5200"),  # times, never an amount
    ("张家口市儿童福利院院内有多少名孩子？", "158", "80余名"),  # 孩子 counted, not 志愿者
]


@pytest.mark.parametrize("question,says,never", ANSWERED, ids=["conditions", "people", "times", "counted-noun"])
def test_a_question_gets_a_figure_or_sentence_of_its_kind(report_assistant, question, says, never):
    a = report_assistant.ask(question)
    assert a.answerable and says in a.answer and never not in a.answer, a.answer


def test_another_region_is_listed_only_when_it_says_what_was_asked(report_assistant):
    a = report_assistant.ask("冬春救助给低保户的取暖补助是多少？")
    assert a.answerable and "450" in a.answer
    assert "260" not in a.answer and "1200" not in a.answer  # 承德's 冬春 figures are no 取暖补助
    assert "资料未注明地区" in a.answer  # the notice states no region: the answer says so


def test_a_day_of_every_month_is_a_date():
    (q,) = [q for q in quantities("于每月15日前发放") if q.dimension == "date"]
    assert q.text == "15日" and q.date == "---15"


def test_a_time_limit_is_the_limit_to_finish_not_another_duration(report_assistant):
    a = report_assistant.ask("承德临时救助多少天能办完？")
    assert a.answerable and "8个工作日" in a.answer and "3天" not in a.answer


def test_a_day_of_the_month_asked_is_answered(report_assistant):
    a = report_assistant.ask("承德孤儿保障金每月几号前发放？")
    assert a.answerable and "15日" in a.answer


def test_a_spending_total_asked_is_never_a_per_head_level(report_assistant):
    a = report_assistant.ask("承德市2023年两项补贴发了多少钱？")
    assert a.answerable and "0.98亿元" in a.answer and "130" not in a.answer
    b = report_assistant.ask("承德一级重度残疾人护理补贴每月多少？")  # 分档发放：每人每月 is a level
    assert b.answerable and "130" in b.answer and "0.98" not in b.answer


def test_a_documents_own_start_date_answers_when_it_starts(report_assistant):
    a = report_assistant.ask("秦皇岛新的临时救助标准什么时候执行？")
    assert a.answerable and "2024年6月1日" in a.answer


def test_shapes_asked_in_words_beside_figure_words():
    assert understand_text("尊老金几个月发一次？").shape == "frequency"
    assert understand_text("资金由谁承担？").shape == "share"
    assert understand_text("申请要带什么材料？").shape == "materials"
    assert understand_text("在沧州怎么申请尊老金？").shape == "steps"


def test_a_share_question_gets_the_sentence_of_who_pays(report_assistant):
    a = report_assistant.ask("沧州市尊老金资金由谁承担？")  # 尊老金 is said by the title only
    assert a.answerable and "6:4" in a.answer and "80元" not in a.answer


def test_a_how_to_question_gets_the_steps(report_assistant):
    a = report_assistant.ask("在沧州怎么申请尊老金？")
    assert a.answerable and "冀时办" in a.answer


def test_a_materials_question_gets_the_whole_list(report_assistant):
    a = report_assistant.ask("沧州申领尊老金要带什么材料？")
    assert a.answerable and "1.申领登记表" in a.answer and "3.户口簿" in a.answer


def test_a_care_level_asked_gets_its_own_figure(report_assistant):
    a = report_assistant.ask("保定中度失能老人居家养老服务补贴每月多少？")
    assert a.answerable and "480" in a.answer and "260" not in a.answer


def test_levels_not_asked_are_all_given(report_assistant):
    a = report_assistant.ask("保定居家养老服务补贴每月多少？")
    assert a.answerable and all(v in a.answer for v in ("260", "480", "760"))


def test_another_period_is_said_not_converted(report_assistant):
    a = report_assistant.ask("保定居家养老服务补贴每年多少？")
    assert a.answerable and "没有按年计的数字" in a.answer and "每人每月" in a.answer


def test_an_addition_is_never_the_standard_asked(report_assistant):
    # 低保家庭…在第三条标准的基础上每人每月增发150元 is no 低保 standard of 保定
    a = report_assistant.ask("保定市低保标准是多少？")
    assert not a.answerable and "150" not in a.answer


def test_hours_asked_are_a_duration(report_assistant):
    assert understand_text("每月服务时长不少于多少小时？").kind == "duration"
    a = report_assistant.ask("保定居家养老服务每月服务时长不少于多少小时？")
    assert a.answerable and "18小时" in a.answer


def test_the_longest_level_word_decides():
    # 完全不能自理 holds 能自理 (全自理) but says 全护理
    assert understand_text("完全不能自理的特困老人每月护理费多少？").care_level == "全护理"
    assert understand_text("生活能自理的特困老人每月多少？").care_level == "全自理"


def test_an_age_said_in_chinese_numerals_without_sui_is_read():
    from assistant.answer.asked import understand_text

    assert understand_text("俺爹今年刚满八十，户口在扬州，一个月能领多少高龄津贴？").age == 80
    assert understand_text("我奶奶今年九十二了，高龄津贴多少？").age == 92
    assert understand_text("低保满三年要复核吗？").age is None  # a count of years, not an elderly age


def test_an_age_in_chinese_numerals_selects_its_band(answer_docs_assistant):
    a = answer_docs_assistant.ask("俺爹今年刚满八十，户口在扬州，一个月能领多少高龄津贴？")
    assert a.answerable and "60元" in a.answer and "220元" not in a.answer, a.answer


GUIDE = {"gaizhou_gaoling.txt": (
    "盖州市高龄老人津贴申领办事指南\n\n一、申请条件\n\n具有盖州市户籍、年满80周岁的老年人。\n\n"
    "二、补贴标准\n\n（一）80周岁至89周岁：每人每月60元；\n（二）90周岁至99周岁：每人每月200元；\n"
    "（三）100周岁及以上：每人每月600元。\n\n三、咨询电话\n\n盖州市民政局 0417-7812345\n"),
    # the words of the age are words the collection knows, and rare (as in a real one)
    "tieling_news.txt": "铁岭市银州区社区书法班开课\n\n刚满八十的张奶奶和老伙伴们一起参加了社区书法班。\n"}


def test_the_words_that_say_an_age_are_no_topic_a_band_must_hold(make_answer_assistant):
    from assistant.answer.asked import says_age

    assert says_age("八十", 80) and says_age("85岁", 85) and not says_age("八十", None) and not says_age("户口", 80)
    a = make_answer_assistant("age-words", GUIDE).ask("俺爹今年刚满八十，户口在盖州，一个月能领多少高龄津贴？")
    assert a.answerable and "60元" in a.answer and "200元" not in a.answer, a.answer
