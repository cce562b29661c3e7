"""Places a question names (ingest.places.question_places): a county's short name alone."""
import pytest

from assistant.query import analyze


@pytest.mark.parametrize("question, regions", [
    # a county-level city or county by its short name, wherever the question has it
    ("邛崃低保标准是多少？", ["成都市邛崃市"]),
    ("邛崃农村低保标准每年多少钱？", ["成都市邛崃市"]),
    ("简阳哪个乡镇的农村低保标准最高？", ["成都市简阳市"]),
    ("请问崇州的高龄补贴怎么申请？", ["成都市崇州市"]),
    ("我爸住在武陟，有高龄补贴吗？", ["焦作市武陟县"]),
    ("勐海镇敬老院集中供养的特困老人每月补助多少钱？", ["西双版纳傣族自治州勐海县"]),
    ("我家在武城乡下，低保一年多少钱？", ["德州市武城县"]),  # 在 before it: 武|城乡 is no word of its own
    # a name with a character OpenCC t2s folds (乾 → 干) is still the place once the question is folded
    ("乾安县低保标准是多少？", ["松原市乾安县"]),
    ("松原乾安今年临时救助了多少人次？", ["松原市", "松原市乾安县"]),  # the short name folded (干安) too
    ("咸阳市乾县临时救助最多是低保标准的多少倍？", ["咸阳市", "咸阳市乾县"]),  # a two-character name folded (干县)
    ("吉林省松原市乾安县的特困供养标准", ["吉林省", "松原市", "松原市乾安县"]),
    # a city's short name is read once, not again as a county
    ("那洛阳呢？", ["洛阳市"]),
    ("焦作和邛崃的低保标准哪个高？", ["焦作市", "成都市邛崃市"]),
])
def test_a_county_named_by_its_short_name_is_a_place_of_the_question(question, regions):
    assert [p.region for p in analyze(question).places] == regions


@pytest.mark.parametrize("question", [
    "和政策有关的低保标准是多少？",  # 和政 inside 和|政策: jieba does not cut there
    "新建养老院有补贴吗？",  # 新建区 / 长寿区 / 惠民县: words of a question (places.json not_in_question)
    "长寿老人每月补贴多少？",
    "惠民政策有哪些？",
    "鼓楼低保标准是多少？",  # several districts share the name: not decided by a question alone
])
def test_a_short_name_that_is_a_word_or_ambiguous_is_no_place(question):
    assert analyze(question).places == ()


def test_a_short_name_several_counties_share_is_the_one_the_collection_covers():
    from assistant.query import analyze

    q = "俺爹户口在海城，一个月能领多少高龄津贴？"  # 海城市 (鞍山) and 海城区 (北海)
    assert analyze(q).places == ()
    covered = analyze(q, regions=frozenset({"辽宁省", "鞍山市", "海城市"}))
    assert [p.name for p in covered.places] == ["海城市"] and covered.places[0].parent == "鞍山市"
    both = analyze(q, regions=frozenset({"辽宁省", "鞍山市", "海城市", "广西壮族自治区", "北海市", "海城区"}))
    assert both.places == ()  # both covered: still undecided
