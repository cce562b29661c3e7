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
