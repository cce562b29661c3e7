"""What must hold before an answer leaves (answer.invariants), and refusals that read right."""
import pytest

from assistant.answer.invariants import body, violations
from assistant.types import Citation


def cite(text):
    return Citation(marker=1, source="a.txt", title="", city="某市", year=2024, text=text, start=0, end=len(text))


def test_an_answer_needs_a_body_and_a_citation():
    assert violations("各地资料中的相关内容如下：", True, []) == ["答案没有正文", "答案没有引用"]
    assert body("各地资料中的相关内容如下：\n- 甲[1]") == "甲"
    assert violations("某市标准为600元[1]。", True, [cite("标准为600元")]) == []
    assert violations("各地如下：\n- 甲600元[1]\n- 乙700元", True, [cite("600元")]) == ["“乙700元”没有引用"]


def test_a_figure_question_cites_a_figure_of_its_kind():
    assert violations("某市开展了救助[1]。", True, [cite("开展救助500次")], dimension="money") == ["所引原文中没有所问的数字"]
    assert violations("某市标准为600元[1]。", True, [cite("标准为600元")], dimension="money") == []
    # 最多给多少 (no unit asked): any figure with a unit answers it, a numbered list of materials does not
    materials = "1.临时救助申请书；2.申请人居民身份证；3.相关证明材料。"
    assert violations("某区" + materials + "[1]", True, [cite(materials)], dimension="quantity") == ["所引原文中没有所问的数字"]
    assert violations("最高不超过6倍[1]。", True, [cite("最高不超过当地月低保标准的6倍")], dimension="quantity") == []


def test_a_refusal_never_quotes_a_filler_word():
    assert violations("资料中没有关于“搞”的内容。", False, [], filler={"搞"})
    assert not violations("资料中没有关于“天气”的内容。", False, [], filler={"搞"})


def test_filler_words_are_never_the_topic_of_a_refusal(answer_docs_assistant):
    for q in ("这个低保到底咋搞的？", "请问高龄津贴是咋弄的呀"):
        a = answer_docs_assistant.ask(q)
        assert "“搞”" not in a.answer and "“弄”" not in a.answer and "“咋”" not in a.answer, a.answer


def test_a_place_in_a_leading_clause_is_understood(answer_docs_assistant):
    a = answer_docs_assistant.ask("我爸住在扬州，有高龄津贴吗？")
    assert a.answerable and a.citations and all(c.city == "扬州市" for c in a.citations), a.answer


def test_a_follow_up_without_history_is_refused(answer_docs_assistant):
    a = answer_docs_assistant.ask("那农村的呢？")
    assert not a.answerable, a.answer


def test_a_county_answered_from_its_citys_document_is_said_to_be_the_citys(answer_docs_assistant):
    # a level the city sets is the one its counties apply: an answer, said outright to be the city's
    a = answer_docs_assistant.ask("德阳市旌阳区城市特困人员基本生活标准是多少？")
    assert a.answer.startswith("资料中没有旌阳区单列的标准；以下是德阳市的标准（旌阳区属德阳市）"), a.answer
    assert "1001" in a.answer and a.citations and all(c.city == "德阳市" for c in a.citations)
    assert a.answerable
    # a count or a total of the city is no figure of the county: shown, not counted as an answer
    b = answer_docs_assistant.ask("临汾市尧都区今年发放了多少取暖补助资金？")
    assert not b.answerable or "单列" not in b.answer or "不是尧都区单列的" in b.answer, b.answer


def test_the_english_line_states_the_figure_the_chinese_answer_picked():
    from assistant.scripts import english_line
    from assistant.types import Answer

    text = "某市城乡特困基本生活年标准分别为9600元、6000元（其中农村为6000元）[1]（2021年）。"
    a = Answer(question="rural", answer=text, answerable=True, citations=[cite("城乡特困基本生活年标准分别为9600元、6000元")])
    line = english_line(a, "amount")
    assert "6000 yuan" in line and "9600" not in line


def test_a_narrowing_question_word_must_be_spoken_to_by_a_cited_span():
    must = (("低保边缘", ("低保边缘", "边缘")), ("网上", ("网上", "线上")))
    q = "低保边缘家庭取暖补助多少钱？"
    assert violations("某市补助500元[1]。", True, [cite("对低保对象补助500元")], question=q, must_cite=must) == [
        "所引原文没有说到问题中的“低保边缘”"]
    assert violations("某市补助250元[1]。", True, [cite("对低保边缘家庭补助250元")], question=q, must_cite=must) == []
    assert violations("某市可以申请[1]。", True, [cite("符合条件的可以申请")], question="可以网上申请吗？",
                      must_cite=must)


# (kind of failure, question, words the answer holds): the clause, list or sentence that answers
ANSWERED = [
    ("the asked group's clause, not its neighbour", "四平低保边缘家庭取暖补助每户多少钱？", ("250元",), ("500元",)),
    ("a rise asked is answered by the rise", "四平城市取暖补贴比上年提高了多少？", ("150元",), ()),
    ("a bracket-numbered list to its last item", "哪些人可以纳入德阳市特困人员救助供养？", ("无生活来源", "无法定赡养"), ()),
    ("what benefits: every figure of the sentence", "四平孤儿考上大学有什么补助？", ("5000元", "3000元"), ()),
]


@pytest.mark.parametrize("kind, question, held, absent", ANSWERED, ids=[k for k, *_ in ANSWERED])
def test_the_part_that_answers_is_quoted(answer_docs_assistant, kind, question, held, absent):
    a = answer_docs_assistant.ask(question)
    assert a.answerable and all(w in a.answer for w in held) and not any(w in a.answer for w in absent), a.answer


# (kind of failure, question, a figure a guess would have given): refused rather than guessed
REFUSED = [
    ("a previous value the document never gives", "扬州90岁老人高龄津贴原来是多少？", "220元"),
    ("a procedure aspect the document never mentions", "包头低保可以网上申请吗？", "户籍"),
    ("a kind of disability the cited span never names", "德阳智力残疾的特困人员全护理每月多少？", "1250元"),
    ("one step's duration is not the whole matter's", "四平临时救助多少天能办完？", "5天"),
]


@pytest.mark.parametrize("kind, question, guess", REFUSED, ids=[k for k, *_ in REFUSED])
def test_a_weak_match_is_refused_not_guessed(answer_docs_assistant, kind, question, guess):
    a = answer_docs_assistant.ask(question)
    assert not a.answerable and guess not in a.answer, a.answer


def test_a_dateline_does_not_make_a_provinces_figure_the_citys(answer_docs_assistant):
    from ingest.metadata import without_datelines

    assert "石家庄" not in without_datelines("新华社石家庄3月2日电（记者李明）石家庄市标准提高")[:12]
    a = answer_docs_assistant.ask("石家庄市农村低保标准是多少？")
    assert "5900元" not in a.answer or "没有石家庄市" in a.answer, a.answer


def test_a_county_named_by_its_short_name_where_someone_lives_is_understood():
    from assistant.query import analyze

    assert [p.name for p in analyze("我家在定州，农村低保标准多少？").places] == ["定州市"]
    assert [p.name for p in analyze("我爸住在武陟，有高龄补贴吗？").places] == ["武陟县"]
    assert analyze("和政策有关的低保标准是多少？").places == ()  # a short name inside a word is no place


def test_a_duration_asked_in_words_needs_a_cited_duration_or_frequency():
    words = ("每季度", "每年")
    assert violations("某市定期核查[1]。", True, [cite("民政部门定期核查家庭收入")], durations=words) == [
        "所引原文中没有所问的时长或频次"]
    assert violations("某市每季度核查[1]。", True, [cite("民政部门每季度核查一次")], durations=words) == []
    assert violations("某市10个工作日内办结[1]。", True, [cite("10个工作日内办结")], durations=words) == []
    assert violations("某市定期核查[1]。", True, [cite("民政部门定期核查家庭收入")]) == []  # none asked


def test_a_time_asked_in_words_needs_a_cited_date_or_time_word():
    words = ("年底", "之前")
    assert violations("某市加强社会组织监督管理[1]。", True, [cite("加强社会组织监督管理，检查社会组织659家")],
                      dates=words) == ["所引原文中没有所问的日期或时间"]
    assert violations("某市每年5月31日前报送[1]。", True, [cite("每年5月31日前报送年度工作报告")], dates=words) == []
    assert violations("某市年底前完成[1]。", True, [cite("年底前完成全部复核")], dates=words) == []
    assert violations("于5月份补发[1]。", True, [cite("于5月份一并补发差额")], dates=words) == []  # a month alone
    assert violations("发放5个月[1]。", True, [cite("连续发放5个月")], dates=words) != []  # a duration, no month


def test_a_when_question_is_not_answered_by_a_sentence_saying_no_time(make_answer_assistant):
    docs = {"xuchang.txt": ("许昌市民政局2025年工作总结\n\n"
                            "加强社会组织登记工作，优化了登记审批流程。加强对社会组织监督管理，全年检查社会组织420家，"
                            "对200余人进行了社会组织年度工作报告专题培训。\n")}
    a = make_answer_assistant("when-words", docs).ask("社会组织年度工作报告每年什么时候之前要报送登记管理机关？")
    assert not a.answerable, a.answer


def test_a_level_per_head_and_month_says_no_time():
    # 每人每月五十元 is an amount, not 每月 (a time): it answers no 什么时候 asked in words; a 多久 asked
    # (多久能领一件) may be answered by its 每人每月 (每人每月可领一件)
    words = ("每月", "每季度", "季度", "年底")
    band = cite("高龄津贴按照年龄分档发放：八十周岁至八十九周岁的，每人每月五十元")
    assert violations("高龄津贴按照年龄分档发放…每人每月五十元[1]。", True, [band], dates=words) == \
        ["所引原文中没有所问的日期或时间"]
    assert violations("每人每月可领取一件[1]。", True, [cite("救助对象每人每月可领取一件爱心衣物")], durations=words) == []
    assert violations("高龄津贴按季度发放[1]。", True, [cite("高龄津贴按季度发放，每季度第一个月的十五日前发放")],
                      dates=words) == []
