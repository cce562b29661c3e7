"""Cleaning: the layout artifacts of the real seeds are undone, nothing else is lost."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.cleaning import Block, clean, clean_with_blocks
from ingest.loading import load_file

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="module")
def cleaned() -> dict[str, tuple[str, list[Block]]]:
    """prefix ('000'...) -> (cleaned text, blocks) of each real seed."""
    return {p.name[:3]: clean_with_blocks(load_file(p).text) for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="module")
def raw() -> dict[str, str]:
    return {p.name[:3]: load_file(p).text for p in sorted(SEEDS.glob("*.txt"))}


def _blocks(text: str, blocks: list[Block], kind: str) -> list[str]:
    return [text[b.start:b.end] for b in blocks if b.kind == kind]


def _assert_offsets(text: str, blocks: list[Block]) -> None:
    assert blocks, "no blocks"
    prev_end = 0
    for b in blocks:
        assert b.kind in ("text", "heading", "table")
        assert prev_end <= b.start < b.end <= len(text)
        body = text[b.start:b.end]
        assert body.strip("\t"), (b, body)
        if b.kind != "table":
            assert body == body.strip(), (b, body)
        # between blocks there is only the separator
        assert text[prev_end:b.start].strip() == ""
        prev_end = b.end
    assert prev_end == len(text)


# -- the real seeds --------------------------------------------------------------

def test_seed_block_offsets_are_consistent(cleaned):
    for name, (text, blocks) in cleaned.items():
        _assert_offsets(text, blocks)
        assert clean(load_file(next(SEEDS.glob(name + "_*.txt"))).text) == text


def test_hard_wrapped_lines_are_joined(cleaned, raw):
    t000, t004 = cleaned["000"][0], cleaned["004"][0]
    # sanity: the raw text really is wrapped at these points
    assert "提高了城乡低保标准和特困人员供养标准" not in raw["000"]
    assert "按照人均230元的标准补助解决受灾群众" not in raw["004"]
    assert "提高了城乡低保标准和特困人员供养标准" in t000
    assert "专项督查组入村入户" in t000
    assert "全国救助寻亲网及公安人脸识别系统等网络技术开展寻亲" in t000
    assert "按照人均230元的标准补助" in t004
    assert "按照人均230元的标准补助解决受灾群众灾后应急期间" in t004  # joined across a blank line
    # a joined paragraph is one block, not one block per wrapped line
    para = next(s for s in _blocks(*cleaned["000"], "text") if s.startswith("社会救助体系不断完善"))
    assert "\n" not in para and len(para) > 200


def test_letter_spaced_text_is_collapsed(cleaned, raw):
    assert "督 查 组" in raw["000"] and "老 龄 工 作 者" in raw["004"]
    t000, t004 = cleaned["000"][0], cleaned["004"][0]
    assert "督 查" not in t000 and "督查组入村入户排查摸底整改情况" in t000
    assert "残疾人护理补贴发放48537人" in t000
    assert "特别是老龄工作者采取多种形式" in t004
    # no space is left between two Han characters in any body paragraph
    for text, blocks in cleaned.values():
        for para in _blocks(text, blocks, "text"):
            assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", para), para[:60]


def test_vertical_heading_of_000_is_one_heading(cleaned, raw):
    assert "多\n措\n并\n举" in raw["000"]
    text, blocks = cleaned["000"]
    headings = _blocks(text, blocks, "heading")
    assert any("多措并举" in h for h in headings)
    assert "多\n措" not in text


def test_photo_captions_and_bylines_are_removed(cleaned, raw):
    gone = {
        "000": ["洛阳民政微信二维码", "余勇 张效纲"],
        "001": ["本版图片由市民政局提供", "本报记者 王辉", "指导“三无楼院”治理工作"],
        "003": ["可爱宝宝也在家人的带领下加入到献爱心的行列中", "为救助对象发放慈善超市购物卡", "蔺洋"],
        "004": ["图为干部职工与老人们一起包粽子", "卢玲枝", "蒋广究 摄"],
    }
    for name, captions in gone.items():
        for cap in captions:
            assert cap in raw[name], (name, cap)
            assert cap not in cleaned[name][0], (name, cap)
    # the sentence the caption sat beside is kept
    assert "一起包粽子、插艾叶，让老人们度过一个快乐的节日。" in cleaned["004"][0]


def test_markdown_heading_loses_its_hashes(cleaned, raw):
    assert "## 3 聚焦兜底脱贫" in raw["001"]
    text, blocks = cleaned["001"]
    headings = _blocks(text, blocks, "heading")
    assert "3 聚焦兜底脱贫" in headings
    assert [h for h in headings if re.match(r"^\d ", h)] == [
        "1 聚焦党建引领", "2 聚焦疫情防控", "3 聚焦兜底脱贫", "4 聚焦特殊群体", "5 聚焦基层治理", "6 聚焦群众关切"]
    assert "#" not in text


def test_table_of_002_is_kept_row_by_row(cleaned):
    text, blocks = cleaned["002"]
    rows = _blocks(text, blocks, "table")
    assert len(rows) == 13  # two header lines and eleven counties
    assert rows[0].startswith("序号\t县市区\t火化率")
    assert "2021年\t2022年1月份" in rows[1]
    assert "1\t孟州市\t100%\t100%\t1" in rows
    assert "7\t温县\t33.06%\t45.08%\t7" in rows
    assert rows[-1] == "11\t武陟县\t32.38%\t32.50%\t11"
    assert "孟州市\t100%\t100%\t1" in text
    # the rows are consecutive lines; the heading is right above them
    start = text.index(rows[0])
    assert text[start:start + sum(len(r) + 1 for r in rows) - 1] == "\n".join(rows)
    idx = [i for i, b in enumerate(blocks) if b.kind == "table"]
    assert blocks[idx[0] - 1].kind == "heading"
    assert text[blocks[idx[0] - 1].start:blocks[idx[0] - 1].end] == "焦作市火化情况排名"


def test_titles_survive_as_headings(cleaned):
    text, blocks = cleaned["003"]
    assert _blocks(text, blocks, "heading")[:1] == ["惠济时报 特别报道"]
    assert "救灾救助措施到位" in _blocks(text, blocks, "heading")
    assert text.startswith("惠济时报 特别报道\n\n惠济区民政局科学统筹、创新服务用爱心、耐心、细心抚慰人心")


def test_numbers_and_body_sentences_are_not_lost(cleaned):
    expected = {
        "000": ["为12.4万户14.9万名城乡低保人员发放保障资金1.98亿元", "从每人每月600元提高到700元"],
        "001": ["将低保金提高到每人每年4560元"],
        "002": ["农村最低生活保障年标准提高到4524元"],
        "003": ["城市低保标准由520元提高到550元"],
        "004": ["炎炎盛夏挡不住牵挂困难群众的脚步。"],
    }
    for name, needles in expected.items():
        for n in needles:
            assert n in cleaned[name][0], (name, n)


# -- synthetic strings ------------------------------------------------------------

def test_wrapped_paragraph_after_a_title_is_joined():
    src = ("报告标题\n\n上半年，我市民政工作亮点纷呈：提高了城乡低保\n"
           "标准和特困人员供养标准，在全省率先实现农村低保线\n与扶贫线两线合一。")
    text, blocks = clean_with_blocks(src)
    assert text == ("报告标题\n\n上半年，我市民政工作亮点纷呈：提高了城乡低保标准和特困人员供养标准，"
                    "在全省率先实现农村低保线与扶贫线两线合一。")
    assert [b.kind for b in blocks] == ["heading", "text"]
    _assert_offsets(text, blocks)


def test_crlf_bom_and_zero_width_characters_do_not_matter():
    lf = "报告标题\n\n上半年，我市民政工作亮点纷呈：提高了城乡低保\n标准和特困人员供养标准。"
    crlf = "\ufeff" + lf.replace("\n", "\r\n").replace("城乡", "城\u200b乡")
    assert clean(crlf) == clean(lf)
    assert "\r" not in clean(crlf) and "\ufeff" not in clean(crlf)


def test_paragraph_ending_with_full_stop_is_not_joined_to_the_next():
    text, blocks = clean_with_blocks("报告标题\n\n第一段正文内容到此结束。\n第二段正文从这里开始。")
    assert _blocks(text, blocks, "text") == ["第一段正文内容到此结束。", "第二段正文从这里开始。"]


def test_letter_spaced_synthetic_text_is_collapsed():
    text = clean("标题行\n\n专 项 督 查 组 入 村 入 户 排 查 摸 底 整 改 情 况 。")
    assert text == "标题行\n\n专项督查组入村入户排查摸底整改情况。"


def test_stray_space_inside_a_word_is_removed_but_latin_words_keep_theirs():
    text = clean("标题行\n\n城市低保标准为600元，救灾物 资已发放，使用 DNA 比对和 Big Data 技术寻亲。")
    assert "救灾物资已发放" in text
    assert "Big Data" in text


def test_vertical_heading_synthetic():
    text, blocks = clean_with_blocks("多\n措\n并\n举\n\n加快城乡养老服务设施建设。上半年，全市新增养老床位1685张。")
    assert _blocks(text, blocks, "heading") == ["多措并举"]
    assert _blocks(text, blocks, "text") == ["加快城乡养老服务设施建设。上半年，全市新增养老床位1685张。"]
    _assert_offsets(text, blocks)


def test_vertical_heading_right_after_a_body_sentence_keeps_the_sentence():
    src = ("报告标题\n\n上半年，全市共救助流浪乞讨人员3939人次，比去年同期增长百分之五。\n多\n措\n并\n举\n\n"
           "加快城乡养老服务设施建设。")
    text, blocks = clean_with_blocks(src)
    assert "上半年，全市共救助流浪乞讨人员3939人次，比去年同期增长百分之五。" in _blocks(text, blocks, "text")
    assert "多措并举" in _blocks(text, blocks, "heading")


def test_markdown_headings_synthetic():
    text, blocks = clean_with_blocks("## 3 聚焦兜底脱贫\n\n2020年我市两次提高农村低保标准，将低保金提高到每人每年4560元。\n"
                                     "\n# 结语 #\n\n完。")
    assert _blocks(text, blocks, "heading") == ["3 聚焦兜底脱贫", "结语"]
    assert "#" not in text


@pytest.mark.parametrize("caption", [
    "图为干部职工与老人们一起包粽子。 卢玲枝 摄",
    "张三 摄",
    "洛阳民政微信二维码",
    "（本版图片由市民政局提供）",
    "■ 本报记者 王辉 版式(付广亚)",
    "（余勇 张效纲）",
])
def test_caption_lines_are_removed(caption):
    src = f"报告标题\n\n第一段正文内容到此结束。\n\n{caption}\n\n第二段正文从这里开始。"
    text = clean(src)
    assert text == "报告标题\n\n第一段正文内容到此结束。\n\n第二段正文从这里开始。"


def test_wrapped_body_line_ending_in_qr_code_is_kept():
    src = ("报告标题\n\n困难群众可以通过手机扫描民政局公众号二维码\n"
           "在线申请低保，足不出户即可办理相关业务。")
    assert "困难群众可以通过手机扫描民政局公众号二维码在线申请低保" in clean(src)


def test_short_wrapped_body_line_ending_in_qr_code_is_kept():
    src = ("报告标题\n\n为方便困难群众申请救助，市民政局开通网上办理，\n群众只需扫描洛阳民政微信二维码\n"
           "即可在线申请，足不出户即可办理相关业务。")
    assert "群众只需扫描洛阳民政微信二维码即可在线申请" in clean(src)


def test_full_width_digits_and_percent_become_half_width():
    text = clean("标题行\n\n全市农村低保标准提高到每人每年４５２４元，占比１００％。")
    assert "每人每年4524元，占比100%。" in text


def test_synthetic_table_is_kept_with_tabs_and_following_text_separate():
    text, blocks = clean_with_blocks("火化情况\n序号\t县市区\t火化率\n1\t孟州市\t100%\n\n表后正文。")
    assert text == "火化情况\n序号\t县市区\t火化率\n1\t孟州市\t100%\n\n表后正文。"
    assert [b.kind for b in blocks] == ["heading", "table", "table", "text"]
    _assert_offsets(text, blocks)


def test_empty_and_blank_input_give_no_blocks():
    assert clean_with_blocks("") == ("", [])
    assert clean_with_blocks(" \n\u3000\n\t\n") == ("", [])


def test_single_line_news_item_ending_in_a_photo_credit_is_kept():
    # one line, a real genre: the news text and then the photographer's credit
    src = ("兰州海关：防控物资通关提速 兰州海关工作人员在机场停机坪上查验刚抵达的防控物资（2月3日摄）。"
           "兰州海关近期开通防控物资绿色通道，已验放物资12批次。 新华社记者 陈斌 摄")
    text = clean(src)
    assert "已验放物资12批次。" in text and "兰州海关近期开通" in text
    assert not text.endswith("摄")


def test_isolated_short_sentence_with_figures_is_not_a_caption():
    src = "报告标题\n\n第一段正文内容到此结束。\n\n\n全市低保标准提高到每月600元。\n\n第二段正文从这里开始。"
    assert "全市低保标准提高到每月600元。" in clean(src)


def test_a_document_that_is_all_caption_lines_is_not_dropped():
    text = clean("张三 摄")
    assert text.strip() == "张三 摄"


def test_markdown_pipe_table_becomes_table_rows_without_its_rule():
    text, blocks = clean_with_blocks("各区标准如下：\n\n| 区 | 城市（元/月） |\n|---|:---:|\n| 甲区 | 860 |\n| 乙区 | 820 |\n\n表后正文。")
    assert text == "各区标准如下：\n\n区\t城市（元/月）\n甲区\t860\n乙区\t820\n\n表后正文。"
    assert [b.kind for b in blocks][1:] == ["table", "table", "table", "text"]
    _assert_offsets(text, blocks)


def test_a_sentence_with_one_bar_is_not_a_table():
    text, blocks = clean_with_blocks("收入|支出都要如实申报。")
    assert [b.kind for b in blocks] == ["text"]


def test_a_list_items_full_width_point_before_a_figure_is_not_folded_into_one_number():
    # 3．100周岁 folded to 3.100周岁 read as the number 3.1: 百岁 asked, the band's figure unseen
    text = clean("高龄津贴标准如下：1．80—89周岁：每人每月100元；3．100周岁及以上：每人每月1000元。增长１０．５％。\n")
    assert "1．80—89周岁" in text and "3．100周岁" in text
    assert "10.5%" in text  # a decimal point is folded as before


def test_a_signature_is_never_run_into_the_title_of_the_document_it_attaches():
    # a 印发 notice signed, then the attached 细则's title after a blank line: three paragraphs' worth
    text = ("某市民政局 某市财政局\n\n关于印发《某市高龄津贴发放实施细则》的通知\n\n各区县民政局：现将细则印发给你们，请遵照执行。\n\n"
            "某市民政局 某市财政局\n二〇二五年十二月十五日\n\n某市高龄津贴发放实施细则\n\n第一条 为规范高龄津贴发放，制定本细则。")
    cleaned, blocks = clean_with_blocks(text)
    paragraphs = [cleaned[b.start:b.end] for b in blocks]
    assert "某市高龄津贴发放实施细则" in paragraphs
    assert not any("十五日某市" in p for p in paragraphs)
