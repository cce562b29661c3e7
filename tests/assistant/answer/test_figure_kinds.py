"""Figure kinds of issue 13 (session 4): a 多少/几 question is answered by the figure of what it
asks, or refused. Each test is written on documents made up for it (real places, made-up
sentences and figures) and names the figure a loose answerer would have given instead."""
from __future__ import annotations

import pytest

from assistant.answer.asked import understand_text
from assistant.answer.facts import extract_facts
from assistant.answer.selection import counts_asked, measure_terms
from ingest.document import DocMeta, Document

DOCS = {
    "shaoxing_shifan.txt": (
        "绍兴市示范养老机构评定办法\n\n"
        "根据《办法》，参评的养老机构要持续运营2年以上，床位数不少于80张，入住率不低于75%。"
        "在服务管理中，示范养老机构与老年人签订服务合同要达到100%，满意度测评达到95%以上。\n"),
    "jiaxing_qianyue.txt": (
        "嘉兴市养老产业招商推介会举行\n\n"
        "全年嘉兴市共谋划建设了60个康养项目、医养结合综合体等项目，总投资达200亿元。"
        "在18日举行的推介会上，9个涉长三角一体化发展的养老服务项目现场签约。\n"),
    "zibo_liushou.txt": (
        "淄博市关于开展农村留守儿童关爱服务的通知\n\n"
        "为做好农村留守儿童关爱服务工作，现将有关事项通知如下。\n"
        "二、服务对象\n不满14周岁的农村留守儿童。\n"
        "三、服务内容\n每季度开展1次走访，全年走访不少于4次。\n"),
    "taian_zongjie.txt": (
        "泰安市2023年民政工作总结\n\n"
        "全年城乡低保标准分别达到每人每月980元、每人每年8760元，保障对象4.2万人。\n"),
    "wenzhou_hulibutie.txt": (
        "温州市居家养老服务补贴办法\n\n"
        "第五条 居家养老服务补贴按照失能等级分档：轻度失能的，每人每月补贴240元；中度失能的，每人每月补贴450元；"
        "重度失能的，每人每月补贴700元。\n\n"
        "第六条 对同时属于特困供养人员的重度失能老年人，在第五条标准的基础上每人每月增发150元。\n"),
    "guangzhou_zhuanxiang.txt": (
        "广州市民政工作动态\n\n"
        "市民政局有关负责人介绍，从这三个月养老机构安全隐患排查整治专项行动开展情况来看，隐患整改率明显提高。"
        "本次行动由市民政局牵头，为期4个月。\n"),
    "suzhou_butie.txt": (
        "苏州市民政局通知\n\n"
        "根据实施方案，尊老补贴的发放标准按年龄段分为四档：70至79周岁，每人每月50元；80至89周岁，每人每月100元；"
        "90至99周岁，每人每月300元；100周岁及以上，每人每月800元。补贴按季度发放。\n"),
    "hubei_tekun.txt": (
        "湖北省民政厅快报\n\n"
        "今年以来，各地民政部门聚焦主责主业，扎实推进社会组织登记管理、婚姻登记、殡葬改革和养老服务体系建设，"
        "持续深化“放管服”改革，推动政务服务事项网上办、掌上办、就近办，群众办事更加便捷。"
        "各级民政部门坚持问题导向，开展专项检查，督促整改发现的问题，进一步规范了工作流程，提升了服务质量和水平。"
        "同时，加强基层队伍建设，组织开展业务培训，基层工作人员的政策水平和业务能力明显提升。\n\n"
        "据统计，截至6月底，全省共有城市特困供养人员1.2万户、1.3万人；农村7.9万户、8.6万人。\n"),
    "lishui_pingding.txt": (
        "丽水市养老机构等级评定工作通知\n\n"
        "参评的养老机构护理型床位占比要达到55%以上，老年人满意度要达到90%以上。\n"),
    "anhui_biaozhun.txt": (
        "安徽省民政厅通报\n\n"
        "近年来，我省大力推进养老服务标准化建设，先后制定了居家服务、机构运营、星级评定等地方养老服务标准26项，"
        "全省养老服务投入资金3.2亿元。\n"),
    "jilin_minsheng.txt": (
        "吉林省财政厅介绍民生支出情况\n\n"
        "去年全省城市低保标准平均提高6%以上，农村低保标准平均提高9%以上；全省临时救助资金达到2.1亿元。\n"),
    "changzhou_zhucan.txt": (
        "常州市老年助餐服务规范\n\n"
        "第六条 助餐点每日供餐时长不少于3小时，每餐提供不少于2个荤菜，餐费补贴每餐3元。\n"),
    "taizhou_chuangwei.txt": (
        "泰州市民政局通知\n\n"
        "新建养老机构每张床位按泰政办发[2023]12号文件一次性补助3000元。\n"),
}


@pytest.fixture(scope="module")
def figures_assistant(make_answer_assistant):
    return make_answer_assistant("figure-kinds", DOCS)


def test_the_measure_of_a_question_is_read_past_its_bridge_words():
    """入住率要达到多少 asks 入住率, not 达到; 签约了多少个 asks 签约: the words between what is asked
    and the asking word (vocabulary facts.selection.bridges) are skipped."""
    terms = ("示范", "养老", "入住率", "达到")
    assert measure_terms("示范养老入住率要达到多少？", terms)[-1] == "入住率"
    assert measure_terms("推介会上签约了多少个项目？", ("推介会", "签约", "项目")) == ("签约",)
    # a bridge that ends a longer question word is that word (到达 is no 到)
    assert measure_terms("游客到达多少", ("游客", "到达"))[-1] == "到达"


def test_a_counted_noun_phrase_may_follow_a_modifier():
    text = "9个涉长三角一体化发展的养老服务项目现场签约"
    assert counts_asked(text, len("9个"), "养老服务项目")
    # a short noun still needs its words right after the figure (80余名志愿者 … 看望孩子)
    text = "组织80余名志愿者来到福利院看望孩子"
    assert not counts_asked(text, text.index("志"), "孩子")


# (question, what the answer says, what a loose answerer would have said instead)
ANSWERED = [
    # 要达到 in the question, 达到 beside another figure: the measure is 入住率
    ("绍兴示范养老机构入住率要达到多少？", ("75%",), "100%"),
    # 签约了多少个: the 签约 figure, not the 建设 one
    ("嘉兴推介会上签约了多少个养老服务项目？", ("9个",), "60个"),
    # 尊老补贴的发放标准按年龄段分为四档：70至79周岁，…50元；80至89周岁，…100元: each ；-item is
    # about what the colon's lead says (尊老补贴), though its own sentence names only the band
    ("苏州86岁老人的尊老补贴每月多少钱？", ("100元", "尊老补贴"), "300元"),
    ("苏州百岁老人尊老补贴每月多少？", ("800元", "尊老补贴"), "50元"),
    # 提高了多少 naming no money is said in money or as a rate (平均提高9%以上)
    ("吉林农村低保标准平均提高了多少？", ("9%",), "6%"),
    ("吉林城市低保标准平均提高了多少？", ("6%",), "2.1亿元"),
    # 时长 asks a duration (vocabulary facts.asked.duration), not the money or count beside it
    ("常州助餐点每日供餐时长不少于多少？", ("3小时",), "2个"),
]


@pytest.mark.parametrize("question,says,never", ANSWERED,
                         ids=["rate-bridge", "count-bridge", "band", "hundred", "rise-rural", "rise-urban",
                              "duration-word"])
def test_a_figure_question_gets_the_figure_of_what_it_asks(figures_assistant, question, says, never):
    a = figures_assistant.ask(question)
    assert a.answerable and all(x in a.answer for x in says) and never not in a.answer, a.answer


def test_an_age_asked_is_answered_by_an_age():
    """多大的孩子 asks an age (未满14周岁), not the first sentence about the topic nor a count."""
    assert understand_text("关爱服务对象是多大的孩子？").kind == "age"
    assert understand_text("我家老人85岁，一个月补多少？").kind is None  # an age given, not asked


def test_an_age_question_gets_the_age_limit(figures_assistant):
    a = figures_assistant.ask("淄博留守儿童关爱服务对象是多大的孩子？")
    assert a.answerable and "14周岁" in a.answer and "4次" not in a.answer, a.answer


def test_each_amount_of_a_pair_keeps_its_own_period():
    """城乡…分别达到每人每月X元、每人每年Y元: X is the urban monthly, Y the rural yearly figure."""
    text = DOCS["taian_zongjie.txt"]
    doc = Document(source="taian_zongjie.txt", text=text, sha256="", encoding="utf-8",
                   meta=DocMeta(city="泰安市", year=2023, title="泰安市2023年民政工作总结"))
    money = {f.value: (f.categories, f.period) for f in extract_facts(doc) if f.unit == "元"}
    assert money["980元"] == (("城市低保",), "月") and money["8760元"] == (("农村低保",), "年"), money


def test_a_yearly_rural_question_gets_the_yearly_rural_figure(figures_assistant):
    a = figures_assistant.ask("泰安农村低保每年多少钱？")
    assert a.answerable and "8760" in a.answer and "980元" not in a.answer, a.answer


def test_a_group_with_an_addition_gets_the_level_and_the_addition(figures_assistant):
    """重度失能的特困老人: the level of 重度失能 (700元) and the addition its group gets on top of it
    (在第五条标准的基础上增发150元), each cited; a 重度失能 question naming no such group, the level alone."""
    a = figures_assistant.ask("温州重度失能的特困老人每月居家养老服务补贴一共多少？")
    assert a.answerable and "700元" in a.answer and "150元" in a.answer, a.answer
    assert len(a.citations) == 2 and "450元" not in a.answer
    a = figures_assistant.ask("温州重度失能老人每月居家养老服务补贴多少？")
    assert a.answerable and "700元" in a.answer and "150元" not in a.answer, a.answer


def test_a_duration_asked_is_the_one_the_document_states(figures_assistant):
    """为期多久: the duration a duration word introduces (为期4个月), not a stretch already past
    that a sentence sharing more of the question's words mentions (从这三个月…开展情况来看)."""
    a = figures_assistant.ask("广州养老机构安全隐患排查整治专项行动为期多久？")
    assert a.answerable and "4个月" in a.answer and "三个月" not in a.answer, a.answer


def test_a_part_after_a_semicolon_goes_on_with_its_sentence(figures_assistant):
    """截至6月底，全省共有城市…；农村特困供养人员…8.6万人: the part after ； is as of the date and
    of the place the sentence's first part says, so a question naming them finds it."""
    a = figures_assistant.ask("截至6月底湖北农村特困供养人员有多少人？")
    assert a.answerable and "8.6万人" in a.answer and "1.3万人" not in a.answer, a.answer


def test_a_figure_of_a_thing_its_paragraph_never_names_is_refused(figures_assistant):
    """入住率 is known to the collection (绍兴's notice) but not to the vocabulary: 丽水's notice,
    which never speaks of 入住率, does not answer 丽水养老机构入住率要达到多少 with another rate."""
    a = figures_assistant.ask("丽水养老机构入住率要达到多少？")
    assert not a.answerable and "55%" not in a.answer and "90%" not in a.answer, a.answer
    # a noun no document uses at all (空置率) is no filler of an in-domain question: refused too
    a = figures_assistant.ask("丽水养老机构空置率要达到多少？")
    assert not a.answerable and "55%" not in a.answer and "90%" not in a.answer, a.answer
    # a noun the vocabulary calls generic (比例) requires nothing: the documents word it otherwise
    a = figures_assistant.ask("丽水养老机构护理型床位的比例要达到多少？")
    assert a.answerable and "55%" in a.answer, a.answer


def test_how_many_items_asks_a_count_whatever_the_intent(figures_assistant):
    """多少项 asks a count (26项), though the question's other words read as an amount; 哪几项
    asks which ones and no figure."""
    from assistant.answer.wording import asked_figure
    from assistant.query import analyze

    assert asked_figure(analyze("安徽先后制定了多少项地方养老服务标准？")) == "count"
    assert asked_figure(analyze("殡葬免除哪几项费用？")) != "count"
    a = figures_assistant.ask("安徽先后制定了多少项地方养老服务标准？")
    assert a.answerable and "26项" in a.answer and "3.2亿元" not in a.answer, a.answer



def test_an_english_name_the_glossary_cannot_read_is_no_licence_to_list_other_places(figures_assistant):
    """How many … did Springfield sign: a name neither the glossary nor the gazetteer's pinyin
    reads; the answer is never one line per other region (嘉兴's 9个, 安徽's 26项) as if no place
    had been named. Kunshan is read (昆山市, ``ingest.english_places``) and answered for that place."""
    from assistant.answer.compose import unread_names
    from assistant.query import analyze

    ex = figures_assistant.answerer
    assert unread_names(ex, analyze("How many elderly care projects did Springfield sign?")) == ["Springfield"]
    assert unread_names(ex, analyze("What is the rural dibao standard in Jiaozuo?")) == []  # a place it reads
    assert [p.name for p in analyze("How many elderly care projects did Kunshan sign?").places] == ["昆山市"]
    for q in ("How many elderly care projects did Springfield sign?", "How many elderly care projects did Kunshan sign?"):
        a = figures_assistant.ask(q)
        assert not (a.answerable and len(a.citations) > 1), a.answer


def test_a_documents_bracketed_number_is_no_citation_marker(figures_assistant):
    """泰政办发[2023]12号 quoted as it stands would read as citation [2023] (which does not exist)
    and the answer would be refused; it is quoted as 〔2023〕."""
    a = figures_assistant.ask("泰州新建养老机构每张床位补助多少？")
    assert a.answerable and "3000元" in a.answer and "[2023]" not in a.answer, a.answer
