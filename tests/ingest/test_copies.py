"""Documents published twice under two names are found as copies (ingest.copies); made-up text."""
from ingest.copies import COPY_JACCARD, copy_groups, jaccard, shingles

NOTICE = ("某省民政厅关于做好疫情防控期间困难群众基本生活保障工作的通知。各市、县民政局：为切实保障困难群众"
          "基本生活，现就有关事项通知如下。一、及时将符合条件的困难群众纳入低保或特困供养范围。二、对受疫情影响"
          "陷入困境的家庭，及时给予临时救助。三、加强走访排查，确保不漏一户、不落一人。")


def test_the_same_text_published_again_is_a_copy_whatever_its_layout_and_headline():
    republished = "来源：某某新闻网  2020-02-10\n" + NOTICE.replace("。", "。\n").replace("，", ", ")
    found = copy_groups({"a.txt": NOTICE, "b.txt": republished})
    assert found == {"a.txt": ("b.txt",), "b.txt": ("a.txt",)}


def test_a_round_up_quoting_a_notice_and_a_related_notice_are_no_copies():
    other = ("某市人民政府办公室关于支持中小企业渡过难关的若干措施。一、减免房租，对承租国有资产类经营用房的中小企业，"
             "免收一个月房租。二、延期缴纳社会保险费。三、加大金融支持力度，对受疫情影响的企业不得抽贷、断贷、压贷。")
    round_up = other + "此外，" + NOTICE + ("各地还出台了稳岗返还、以工代训、线上招聘等一系列政策措施，帮助企业复工复产，"
                                            "并对重点行业实行分类指导、分区施策。") * 2
    found = copy_groups({"notice.txt": NOTICE, "measures.txt": other, "roundup.txt": round_up})
    assert found == {}
    assert jaccard(shingles(NOTICE), shingles(round_up)) < COPY_JACCARD


def test_short_texts_are_nobodys_copy_and_copies_are_not_chained():
    assert copy_groups({"a.txt": "图片说明", "b.txt": "图片说明"}) == {}
    half = len(NOTICE) // 2
    a, c = NOTICE, NOTICE[:half] + "另行通知的内容完全不同，涉及养老服务机构的疫情防控和老年人的照护安排等事项。" * 2
    b = NOTICE[: half + (len(NOTICE) - half) // 2] + c[half:][: len(NOTICE) // 4]
    found = copy_groups({"a.txt": a, "b.txt": b, "c.txt": c})
    assert "c.txt" not in found.get("a.txt", ())  # a ≉ c, however b relates to both
