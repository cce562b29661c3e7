"""Kinds of wrong answer fresh office documents showed, beyond tables and levels
(test_column_kinds): a duration in Chinese numerals, a duration asked in words answered by a
sentence holding none (当场 is one), a cap asked of a province answered by one city of it, an English cap
question, a document naming no region, a yes/no eligibility question. Documents written for these tests (made-up figures)."""
import pytest

from assistant.query import analyze

DOCS = {
    "anshan_xize.txt": (
        "鞍山市最低生活保障实施细则\n\n"
        "第十二条　低保家庭人均收入超过当地低保标准、但低于当地低保标准一点三倍的，给予六个月的渐退期。\n"
        "第十三条　民政部门定期对低保家庭的收入和财产状况开展复核，不再符合条件的，停止保障。\n"
        "第十四条　申请材料齐全的，乡镇人民政府（街道办事处）应当当场受理。\n"
        "第十五条　低保家庭中的一级、二级重度残疾人，其低保金按当地低保标准的百分之一百一十计发。\n"
        "第十六条　情况紧急的，乡镇人民政府可以在1500元以内先行救助，并在救助后3个工作日内补办审批手续。\n"
        "第十七条　特困人员照料护理标准，全自理的不低于当地最低工资标准的百分之五，半护理的不低于百分之二十五，"
        "全护理的不低于百分之四十五。\n"),
    "qiqihar_faq.txt": (
        "齐齐哈尔市临时救助政策问答\n\n"
        "问1：临时救助最多能救助多少？\n"
        "答：急难型临时救助一般不超过月低保标准的3倍。对困难程度特别严重的，经县级民政部门集体研究，"
        "一次救助金额最高不超过2万元。\n"
        "问2：申请临时救助需要哪些材料？\n"
        "答：需要提供申请人居民身份证、户口簿和临时救助申请书。\n"
        "问3：不是本地户籍的人能申请吗？\n"
        "答：可以。对在本市遭遇急难的非本地户籍人员，由急难发生地乡镇人民政府直接实施临时救助。\n"),
    "qiqihar_zhengjian.txt": (
        "齐齐哈尔市政务服务中心窗口须知\n\n"
        "窗口工作人员应当当面核验办事群众的证件原件，不得留存原件。群众在大厅里可以拿到一户人家办事须知。\n"),
    "huaibei_liangxiang.txt": (
        "淮北市关于调整残疾人两项补贴标准的通知\n\n"
        "困难残疾人生活补贴：残疾等级为一级、二级的，每人每月150元；残疾等级为三级、四级的，每人每月100元。\n"
        "重度残疾人护理补贴：残疾等级为一级的，每人每月160元；残疾等级为二级的，每人每月115元。\n"),
    "huaibei_guer.txt": (
        "淮北市孤儿基本生活保障标准\n\n"
        "1.集中养育孤儿基本生活费每人每月2000元；2.社会散居孤儿基本生活费每人每月1500元。\n"),
    "bianyuan_shuoming.txt": (
        "低保边缘家庭认定说明\n\n"
        "家庭人均收入低于当地低保标准1.5倍，且财产状况符合有关规定的家庭，可以认定为低保边缘家庭。\n"
        "认定时，经办人员都会请申请人签一份授权书，对家庭经济状况进行核对。"
        "申请人及其共同生活的家庭成员都应签署核对授权书，拒不签署的，视为放弃申请。\n"),
}


@pytest.fixture(scope="module")
def office(make_answer_assistant):
    return make_answer_assistant("office-kinds", DOCS)


def test_a_duration_in_chinese_numerals_is_answered_with_what_it_is_of(office):
    a = office.ask("鞍山低保的渐退期是几个月？")
    assert a.answerable and "六个月的渐退期" in a.answer


def test_a_duration_asked_in_words_is_never_answered_by_a_sentence_holding_none(office):
    a = office.ask("鞍山低保家庭多长时间复核一次？")
    assert not a.answerable and "定期" not in a.answer
    b = office.ask("鞍山低保申请材料齐全的，多长时间受理？")  # 当场: a duration said in words
    assert b.answerable and "当场受理" in b.answer


def test_a_cap_asked_of_a_province_is_not_one_city_s(office):
    a = office.ask("黑龙江省临时救助一次最高不超过多少钱？")
    assert not a.answerable and "黑龙江省" in a.answer


def test_an_english_cap_question_states_the_cap(office):
    a = office.ask("What is the maximum one-time temporary assistance payment in Qiqihar?")
    assert a.answerable and "2万" in a.answer.splitlines()[0]


def test_a_document_naming_no_region_says_so(office):
    a = office.ask("低保边缘家庭的收入标准是低保标准的多少倍？")
    assert a.answerable and "1.5倍" in a.answer
    assert "资料未注明地区" in a.answer and "（）" not in a.answer


def test_a_yes_no_eligibility_question_is_never_answered_by_the_materials(office):
    a = office.ask("我是外地户口，在齐齐哈尔遇到急事了，能申请临时救助吗？")
    assert "户口簿" not in a.answer  # 户口 asked is no question about materials
    assert not a.answerable or "急难发生地" in a.answer


def test_the_thing_a_materials_question_asks_for_is_no_topic_a_sentence_must_say(office):
    # 证件 asks what to bring, as 材料 does: the FAQ's list of papers answers, though it says neither word
    a = office.ask("在齐齐哈尔申请临时救助要带哪些证件？")
    assert a.answerable and "户口簿" in a.answer


def test_a_share_of_a_base_asked_by_its_amount_word_is_answered_by_the_share(office):
    # 低保金按低保标准的多少发: a share of the standard (in Chinese numerals here), no sum of money
    a = office.ask("鞍山低保家庭里的重度残疾人，低保金按低保标准的多少发？")
    assert a.answerable and "百分之一百一十" in a.answer


@pytest.mark.parametrize("question, claim", [
    ("淮北四级残疾人的困难残疾人生活补贴每月多少？", "困难残疾人生活补贴：残疾等级为三级、四级的，每人每月100元"),
    ("淮北二级残疾人护理补贴一个月多少钱？", "重度残疾人护理补贴：残疾等级为二级的，每人每月115元"),
])
def test_a_grade_s_figure_is_quoted_with_what_it_is_of_and_the_grades_it_is_for(office, question, claim):
    # never 每人每月115元（二级）为每人每月115元: the lead (…补贴：) and the clause naming the grade
    a = office.ask(question)
    assert a.answerable and claim in a.answer


def test_an_amount_and_a_time_limit_asked_together_are_both_quoted(office):
    # never the time limit's clause alone (并在救助后3个工作日内…) when the amount is asked beside it
    a = office.ask("鞍山先行救助最多能给多少钱？审批手续要在几天内补办？")
    assert a.answerable and "1500元" in a.answer and "3个工作日" in a.answer
    alone = office.ask("鞍山先行救助后审批手续要在几天内补办？")
    assert alone.answerable and "3个工作日" in alone.answer


def test_two_levels_compared_get_both_figures_never_one(office):
    # 集中养育的比散居的多多少: one level's figure (2000元 alone) answers no comparison of two
    a = office.ask("淮北集中养育孤儿比社会散居孤儿每月的基本生活费多多少？")
    assert a.answerable and "2000元" in a.answer and "1500元" in a.answer


@pytest.mark.parametrize("question, sides", [
    ("城市低保比农村低保每月高多少？", True),
    ("长春城市取暖补贴比上年提高了多少？", False),  # against last year: no two sides of the question
    ("漯河农村低保月补差比省定最低目标高多少？", False),  # against a target the document states
])
def test_two_sides_around_bi_are_levels_or_qualifiers(question, sides):
    assert bool(analyze(question).sides) is sides


def test_a_colloquial_verb_or_particle_weighs_nothing(office):
    # 一年里…能拿到: 里 and 拿到 are ways of asking (vocabulary filler), which no sentence need say
    a = office.ask("齐齐哈尔一户人家遇到急难，一年里临时救助最多能拿到月低保标准的几倍？")
    assert a.answerable and "3倍" in a.answer, a.answer


def test_a_level_asked_picks_its_own_clause_of_a_list_of_levels(office):
    # never 全自理的不低于…百分之五 for 半护理 asked, though that clause says more of the question
    a = office.ask("鞍山特困人员半护理的照料护理标准不低于最低工资标准的百分之多少？")
    assert a.answerable and "百分之二十五" in a.answer and "百分之五，" not in a.answer, a.answer


def test_a_colloquial_refusal_to_sign_is_read_as_the_document_words_it(office):
    # 不肯签 is 拒不签署 (vocabulary synonyms), not the opening sentence that merely says 签…授权书
    a = office.ask("申请时家里人不肯签核对授权书，会怎么样？")
    assert a.answerable and "视为放弃申请" in a.answer, a.answer


@pytest.mark.parametrize("question, shape, kind", [
    ("民政多长时间比对一次家庭经济状况？", "frequency", None),  # how often
    ("同一事由多长时间内只能申请一次临时救助？", None, "duration"),  # a window of time: a duration
])
def test_a_duration_asked_of_once_is_how_often(question, shape, kind):
    asked = analyze(question).asked
    assert (asked.shape, asked.kind) == (shape, kind)
