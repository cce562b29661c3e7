"""Kinds of wrong answer a blind set (holdout13) showed in documents signed mid-text and in news:
a 印发 notice's signature date taken for when the attached rules say a benefit is paid, and a
procedure question on a topic no document covers answered by a sentence sharing only its generic
words (程序). Documents written for these tests (made-up figures)."""
import pytest

DOCS = {
    "yiyang_gaoling.txt": (
        "益阳市民政局　益阳市财政局\n\n关于印发《益阳市高龄津贴发放实施细则》的通知\n\n"
        "各区县（市）民政局、财政局：现将《益阳市高龄津贴发放实施细则》印发给你们，请遵照执行。\n\n"
        "益阳市民政局　益阳市财政局\n二〇二五年十二月十五日\n\n益阳市高龄津贴发放实施细则\n\n"
        "第一条　为提高高龄老年人生活质量，制定本细则。\n\n"
        "第二条　具有本市户籍、年满八十周岁的老年人，均可申领高龄津贴，经乡镇审核后按程序报区县民政局审批。\n\n"
        "第三条　八十周岁至八十九周岁的，每人每月五十元；九十周岁以上的，每人每月一百五十元。\n\n"
        "第七条　高龄津贴按季度发放，区县民政局于每季度第一个月的十五日前将津贴发放到老年人本人账户。\n\n"
        "第八条　本细则自二〇二六年一月一日起施行。\n"),
    "tangyuan_news.txt": (
        "汤原县：织密民生保障网\n\n来源：汤原县融媒体中心\n\n"
        "入冬以来，汤原县民政局扎实做好困难群众冬季生活保障。县里为全县1200户低保家庭每户发放一次性取暖补贴600元，共计72万元，已全部打卡发放到户。"
        "为防止漏保，县民政局今年共预警推送疑似困难线索180条，经入户核查，新纳入低保60户95人，"
        "对40户不再符合条件的家庭按程序退出低保。\n"),
    "lincang_dibao.txt": (
        "临沧市民政局 临沧市财政局\n关于调整2025年城乡最低生活保障标准的通知\n\n"
        "各县（区）民政局、财政局：经市人民政府同意，自2025年1月1日起调整全市城乡最低生活保障标准。\n\n"
        "一、城市低保标准\n\n临翔区由每人每月770元提高到800元；\n凤庆县由每人每月755元提高到785元。\n\n"
        "二、农村低保标准\n\n临翔区由每人每年5820元提高到6120元；\n凤庆县由每人每年5580元提高到5880元。\n\n"
        "临沧市民政局 临沧市财政局\n2025年2月18日\n"),
    # another place's summary: 地名 and 命名 are words the collection knows (no unknown-word refusal),
    # and 程序 a common one
    "suihua_zongjie.txt": (
        "绥化市民政局2025年工作总结\n\n"
        "规范地名命名更名工作，完成第二次全国地名普查成果转化，新设立标准地名标志1200块，按程序完成12个村级建制调整。\n"),
}


@pytest.fixture(scope="module")
def signed(make_answer_assistant):
    return make_answer_assistant("signed-kinds", DOCS)


def test_a_when_question_is_answered_by_the_rule_not_by_the_signature_date(signed):
    a = signed.ask("益阳市的高龄津贴什么时候发放？")
    assert a.answerable and "每季度第一个月的十五日前" in a.answer
    assert "二〇二五年十二月十五日" not in a.answer


def test_a_procedure_on_an_uncovered_topic_is_refused_not_answered_by_a_generic_word(signed):
    a = signed.ask("汤原县给新地名命名需要经过哪些审批程序？")
    assert not a.answerable and "按程序退出" not in a.answer
    b = signed.ask("汤原县对不再符合条件的低保家庭怎么处理？")  # the sentence still answers its own topic
    assert b.answerable and "按程序退出低保" in b.answer


def test_an_age_in_chinese_numerals_selects_its_band_written_in_chinese_numerals(signed):
    # 九十二 (cut by the tokenizer into 九十 / 十二) is the age, and 八十周岁至八十九周岁 a band
    a = signed.ask("我妈户口在益阳市，今年九十二了，每个月能领多少高龄津贴？")
    assert a.answerable and "一百五十元" in a.answer
    b = signed.ask("益阳市八十五岁的老人高龄津贴每月多少？")
    assert b.answerable and "五十元" in b.answer and "一百五十元" not in b.answer


def test_a_county_list_under_its_sections_heading_answers_that_sections_qualifier(signed):
    # a notice signed at its end: each county list is of the side its section's heading names
    a = signed.ask("临沧市临翔区2025年的城市低保标准是每人每月多少元？")
    assert a.answerable and "800元" in a.answer and "6120" not in a.answer
    b = signed.ask("临沧市凤庆县2025年农村低保标准调整到了多少？")
    assert b.answerable and "5880元" in b.answer and "785" not in b.answer


def test_a_total_asked_beside_an_amount_per_household_is_the_total(signed):
    a = signed.ask("汤原县给低保家庭发放的一次性取暖补贴共计多少钱？")
    assert a.answerable and "72万元" in a.answer
    b = signed.ask("汤原县低保家庭每户发多少一次性取暖补贴？")
    assert b.answerable and "600元" in b.answer
