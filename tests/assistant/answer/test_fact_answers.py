"""Questions answered by a fact of the kind asked: an age's band, a care level, a start date."""
from assistant.answer.asked import understand_text


def test_question_understanding_reads_age_level_and_kind():
    a = understand_text("我奶奶今年85岁，高龄津贴一个月多少钱？")
    assert a.age == 85 and a.kind is None
    assert understand_text("百岁老人高龄津贴多少").age == 100
    assert understand_text("完全失能的特困老人护理费多少").care_level == "全护理"
    w = understand_text("新标准从什么时候开始执行？")
    assert w.kind == "when" and w.start and not w.strict
    d = understand_text("审批要几个工作日？")
    assert d.kind == "duration" and d.strict


def test_an_age_selects_its_band(answer_docs_assistant):
    a = answer_docs_assistant.ask("我爷爷在扬州，今年92岁，高龄津贴每月多少钱？")
    assert a.answerable and "220" in a.answer and "60元" not in a.answer and "700" not in a.answer
    b = answer_docs_assistant.ask("扬州百岁老人高龄津贴多少？")
    assert "700" in b.answer and "220" not in b.answer


def test_a_care_level_selects_its_figure(answer_docs_assistant):
    a = answer_docs_assistant.ask("德阳市特困人员全护理的照料护理标准是多少？")
    assert a.answerable and "1250" in a.answer and "110元" not in a.answer


def test_a_start_date_is_the_date_things_start(answer_docs_assistant):
    a = answer_docs_assistant.ask("德阳市特困人员救助供养办法什么时候开始施行？")
    assert a.answerable and "2024年4月1日" in a.answer
    assert a.citations and "2024年4月1日" in a.citations[0].text


def test_a_multiple_asked_is_answered_by_the_multiple(answer_docs_assistant):
    a = answer_docs_assistant.ask("德阳市城市特困人员基本生活标准按城市低保标准的几倍确定？")
    assert a.answerable and "1.3倍" in a.answer


def test_a_faq_question_is_answered_by_its_answer_not_repeated(answer_docs_assistant):
    a = answer_docs_assistant.ask("在包头申请低保要准备什么材料？")
    assert a.answerable and "户口簿" in a.answer and "问：" not in a.answer, a.answer


def test_durations_and_phone_lines(answer_docs_assistant):
    a = answer_docs_assistant.ask("包头低保审批要几个工作日？")
    assert a.answerable and "10个工作日" in a.answer, a.answer
    b = answer_docs_assistant.ask("包头对低保审批结果不服打什么电话？")
    assert b.answerable and "0472-5123456" in b.answer, b.answer
    assert "一、" not in b.answer and "二、" not in b.answer  # headings answer nothing


def test_between_facts_matching_alike_a_start_asked_prefers_the_date_said_to_start():
    """The tie-break of fact selection (``fact_answers.newer``): when a start is asked, a date said to
    start (自8月1日起调整) wins over another date or a figure; any two facts can be compared (a
    price and a date tied once raised AttributeError: the tie-break read a field facts do not have)."""
    from assistant.answer.asked import understand_text
    from assistant.answer.fact_answers import newer
    from assistant.answer.facts import extract_facts
    from ingest.document import DocMeta, Document

    text = ("7月20日，潍坊市发展改革委发布《关于调整居民用水价格的通知》。居民每立方米用水将上涨0.3元。"
            "潍坊决定启动价格联动机制，自8月1日起调整居民用水销售价格。")
    facts = extract_facts(Document(source="w.txt", text=text, sha256="0" * 64, encoding="utf-8",
                                   meta=DocMeta(city="潍坊市", year=2023, title="")))
    start = next(f for f in facts if f.value == "8月1日")
    notice = next(f for f in facts if f.value == "7月20日")
    price = next(f for f in facts if f.value.startswith("0.3"))
    asked = understand_text("潍坊这次居民用水价格从什么时候起调整？")
    assert asked.start
    assert newer(start, notice, asked) and not newer(notice, start, asked)
    assert newer(start, price, asked) and not newer(price, start, asked)
    assert newer(price, notice, asked) in (True, False)  # no date start among them: the year decides


RAISED = {"lishui_guer.txt": (
    "丽水市民政局关于提高孤儿基本生活保障标准的通知\n\n"
    "经市政府同意，自2026年1月1日起提高我市孤儿基本生活保障标准：\n"
    "（一）集中供养孤儿基本生活费由每人每月1600元提高到每人每月1720元；\n"
    "（二）社会散居孤儿基本生活费由每人每月1150元提高到每人每月1250元。\n")}


def test_a_provision_raised_from_one_figure_to_another_is_quoted_with_both(make_answer_assistant):
    a = make_answer_assistant("raised-level", RAISED).ask("丽水市集中供养孤儿基本生活费由每人每月多少元提高到多少元？")
    assert a.answerable and "1600元" in a.answer and "1720元" in a.answer, a.answer
    assert "1150元" not in a.answer and "集中供养孤儿基本生活费由" in a.answer, a.answer


COUNTY_NEWS = {"luobei_news.txt": (
    "萝北县民政兜底保障有力\n\n"
    "在特困供养方面，全县现有特困人员512人，其中集中供养118人、分散供养394人，上半年发放特困供养金402万元。\n")}


def test_a_whole_and_its_part_asked_together_get_both(make_answer_assistant):
    a = make_answer_assistant("whole-part", COUNTY_NEWS).ask("萝北县现有特困人员多少人？其中集中供养多少人？")
    assert a.answerable and "512人" in a.answer and "118人" in a.answer, a.answer
    b = make_answer_assistant("whole-part-2", COUNTY_NEWS).ask("萝北县集中供养的特困人员有多少人？")
    assert b.answerable and "118人" in b.answer, b.answer
