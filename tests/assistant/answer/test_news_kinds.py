"""Kinds of confidently-wrong answers found on news items (issue 13, session 4): a news item's
opening (dateline, 原标题, lead sentence) is never the answer to a figure question it holds no
figure of the kind asked for. Each test is written on documents made up for it (real places,
made-up sentences and figures) and names what the loose answer gave instead."""
from __future__ import annotations

import pytest

from assistant.answer.selection import asked_units
from assistant.answer.wording import asked_figure
from assistant.query import analyze

DOCS = {
    "ningbo_shijian.txt": (
        "宁波市江北区2022-05-03，正文：原标题：宁波一社区招募志愿者：每周服务老人两小时可获积分"
        "江北区民政局推出“时间银行”互助养老项目，相关社区正在招募第二批志愿者。\n"
        "报名者须年满18周岁，面试通过后签订协议，除每月50元保险费外，可享受免费体检，每周需完成至少2小时的服务。\n"),
    "shaanxi_qingdan.txt": (
        "陕西省2022-06-11，正文：本报西安6月10日电 近日，陕西省民政厅会同省委组织部制定"
        "《社区依法履行职责事项清单》《社区减负事项清单》“两张清单”，为社区减负增效。\n"
        "据介绍，“两张清单”明确了社区依法履行职责事项36项、社区减负事项17项。\n"),
    "minzheng_tisheng.txt": (
        "2022-09-02，正文：记者从民政部获悉，民政部近日印发通知，开展社区服务能力提升行动。\n"
        "民政部要求，各地要结合实际，选择重点任务中的一项或者几项作为突破口，确保行动取得实效。\n"
        "此次行动将包括建设一批社区服务设施、培育一批社区社会组织、推出一批便民服务项目等共8项重点任务。\n"),
    "yancheng_shitang.txt": (
        "2022-10-12 09:30，正文：原标题：让老人吃上“放心饭”近日，记者在射阳县新坍镇长者食堂看到，食堂里窗明几净，"
        "工作人员正在准备午饭。长者食堂自成立以来，解决了老年人“做饭难”的问题，受到村民好评。\n"
        "据镇民政办负责人介绍，食堂在今年6月18日开始试营业，每天安排两名志愿者为老人服务。\n"),
    "gansu_zizhu.txt": (
        "甘肃省2022-11-02，正文：记者从甘肃省教育厅获悉，按照有关管理办法的规定，"
        "从2023年3月1日起，全省统一施行新的高中阶段学生资助政策，困难家庭学生报名时请携带相关材料。\n"),
    "linyi_shitang.txt": (
        "临沂市长者食堂就餐补助标准\n\n"
        "1、70周岁以上老年人，每天一次补助2元；2、90周岁至99周岁老人、百岁老人两类老人，每天一次补助5元。\n"),
    "jiading_shizhi.txt": (
        "上海市嘉定区2022-08-01，正文：为改善辖区困难失能老人生活状况，自2012年起，嘉定区慈善基金会实施"
        "“困难失能老人暖心服务项目”，每年为老人提供上门护理。\n"),
    "ganzhou_linshi.txt": (
        "赣州市临时救助办事指南\n\n"
        "【办理时限】乡镇（街道）自受理申请之日起5个工作日内完成审核，县级民政部门自收到审核材料之日起"
        "3个工作日内作出审批决定。\n"),
    "foshan_changshou.txt": (
        "佛山市民政工作动态\n\n"
        "为加强资金管理，佛山市民政部门推广使用社会保障卡领取长寿保健金。目前，70至79周岁的长者每人每月可领40元，"
        "80至89周岁每人每月可领120元；90至99周岁，每人每月可领250元；100周岁及以上，每人每月500元。\n"),
    "quanguo_chuangwei.txt": (
        "2022-09-10 10:20，正文：原标题：8月全国新增养老服务床位2.1万张 记者从有关部门获悉，"
        "8月全国新增养老服务床位2.1万张，其中护理型床位1.2万张。\n"
        "从备案省份来看，江西省新增养老服务床位3200张；湖南省新增养老服务床位2800张。\n"),
    "shouyang_zhengjian.txt": (
        "2022-07-01，正文：记者从民政部门了解到，不少群众因为证件遗失而拿不出身份证，这给收养登记带来不便，有代表建议简化有关规定。\n"
        "按照有关规定，当事人无法出具居民身份证的，收养登记机关可凭公安部门出具的临时身份证明办理收养登记。\n"),
}


@pytest.fixture(scope="module")
def news_assistant(make_answer_assistant):
    return make_answer_assistant("news-kinds", DOCS)


def test_a_question_of_no_intent_may_still_ask_a_figure():
    """有多少项 / 几项 ask a count and 多少保险费 a sum of money (vocabulary facts.asked.money_noun_ends),
    though no intent word says so; a procedure question (申请几次) keeps its own path."""
    assert asked_figure(analyze("陕西社区依法履行职责事项清单有多少项？")) == "count"
    assert asked_figure(analyze("社区服务能力提升行动一共有几项重点任务？")) == "count"
    assert asked_figure(analyze("江北区时间银行志愿者每月交多少保险费？")) == "money"
    assert asked_figure(analyze("同一事由一年能申请几次临时救助？")) is None
    assert asked_figure(analyze("时间银行的志愿者要做什么？")) is None


def test_a_bare_unit_asked_is_the_unit_of_the_answer():
    """清单有多少项？ is answered in 项 (vocabulary facts.asked.bare_units), never by 两张清单;
    多少项标准 names what is counted, so 项 restricts nothing there."""
    assert asked_units("清单有多少项？") == ("项",)
    assert asked_units("制定了多少项标准？") == ()


ANSWERED = [
    # the lead holds 两小时 (no money): the later sentence's 50元保险费 answers
    ("江北区时间银行志愿者每月交多少保险费？", ("50元",), "原标题"),
    # the lead holds 两张清单: a count in 张, not in the 项 asked
    ("陕西社区依法履行职责事项清单有多少项？", ("36项",), "原标题"),
    # 一项或者几项 is no count of the tasks: the sentence with 共8项 answers
    ("民政部社区服务能力提升行动一共有几项重点任务？", ("8项",), "突破口"),
]


@pytest.mark.parametrize("question,says,never", ANSWERED, ids=["money-noun", "bare-unit", "count-of-tasks"])
def test_a_news_items_opening_is_no_answer_to_a_figure_question(news_assistant, question, says, never):
    a = news_assistant.ask(question)
    assert a.answerable and all(x in a.answer for x in says) and never not in a.answer, a.answer


def test_a_word_jieba_cuts_across_an_asking_word_is_no_topic():
    """从哪天起施行: jieba's 天起 is a piece of 哪天 and 起, no topic the documents must hold."""
    from assistant.answer.scope import names_topic

    assert not names_topic("天起", "新的资助政策从哪天起施行？")
    assert names_topic("护照", "办护照从哪天起施行？")


STARTS = [
    # 哪天开始: a date followed by 开始 is the start, not the item's opening without a date
    ("射阳县新坍镇长者食堂是哪天开始试营业的？", "6月18日"),
    ("甘肃新的高中阶段学生资助政策从哪天起施行？", "2023年3月1日"),
    # 哪一年开始 asks a date (vocabulary facts.asked.when), answered by 自2012年起
    ("嘉定区困难失能老人暖心服务项目是哪一年开始的？", "2012年"),
]


@pytest.mark.parametrize("question,says", STARTS, ids=["day-started", "day-from", "year-started"])
def test_a_start_asked_is_answered_by_the_date_said_to_start(news_assistant, question, says):
    a = news_assistant.ask(question)
    assert a.answerable and says in a.answer and "原标题" not in a.answer, a.answer


def test_the_time_of_a_procedure_is_every_steps_limit(news_assistant):
    """审批要多长时间 names no step (乡镇, 县级): the sentence's successive limits are all the answer,
    not the first one alone."""
    a = news_assistant.ask("赣州临时救助审批要多长时间？")
    assert a.answerable and "5个工作日" in a.answer and "3个工作日" in a.answer, a.answer


BANDS = [
    # the run of bands names no benefit: the sentence before it says 长寿保健金
    ("佛山85岁老人每月能领多少长寿保健金？", "120元", "40元"),
    # 百岁老人 is the age asked; the band's sentence says 100周岁及以上, never the word itself
    ("佛山百岁老人每月长寿保健金是多少？", "500元", "40元"),
]


@pytest.mark.parametrize("question,says,never", BANDS, ids=["band-after-its-subject", "hundred-not-repeated"])
def test_an_age_band_run_goes_on_with_the_sentence_before_it(news_assistant, question, says, never):
    a = news_assistant.ask(question)
    assert a.answerable and says in a.answer and never not in a.answer, a.answer


def test_a_report_of_no_region_answers_a_place_only_by_a_sentence_naming_it(news_assistant):
    """A national item (no region) naming 江西省 in one sentence: the province's figure is that
    sentence's, never the item's national headline figure."""
    a = news_assistant.ask("8月江西省新增养老服务床位多少张？")
    assert a.answerable and "3200张" in a.answer and "2.1万张" not in a.answer, a.answer


def test_a_one_character_verb_asked_is_read_by_its_longer_forms(news_assistant):
    """还能办吗 asks whether it can be done (办理, 申请): the sentence that says how it is done
    answers, not the one that only restates the trouble (拿不出身份证…建议简化)."""
    a = news_assistant.ask("收养登记拿不出身份证，还能办吗？")
    assert a.answerable and "临时身份证明" in a.answer and "建议简化" not in a.answer, a.answer


def test_of_two_bands_holding_the_age_asked_the_one_saying_it_answers(news_assistant):
    # 70周岁以上 holds a hundred-year-old too; the band that names 百岁老人 is the one asked about
    a = news_assistant.ask("临沂百岁老人在长者食堂每天补助多少？")
    assert a.answerable and "5元" in a.answer and "2元" not in a.answer, a.answer
