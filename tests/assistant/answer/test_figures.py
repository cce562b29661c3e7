"""The one figures-and-units module: verbatim spans, values, units, Chinese numerals."""
import pytest

from assistant.answer.figures import chinese_number, numbers, occurs, phone_numbers, quantities, quantity_occurs


def one(text):
    found = quantities(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("text, verbatim, value, unit, dimension", [
    ("农村低保年标准提高到4524元", "4524元", 4524, "元", "money"),
    ("最高不超过一万元", "一万元", 10000, "元", "money"),
    ("资助3.5万余人", "3.5万余人", 35000, "人", "count"),
    ("此项政策惠及120余万名老年人", "120余万名", 1_200_000, "名", "count"),  # 余 before the multiplier
    ("累计发放60多万元", "60多万元", 600_000, "元", "money"),
    ("覆盖率达到百分之九十", "百分之九十", 90, "%", "rate"),
    ("覆盖率达到98.6%", "98.6%", 98.6, "%", "rate"),
    ("按城市低保标准的1.3倍确定", "1.3倍", 1.3, "倍", "multiple"),
    ("年满八十周岁", "八十周岁", 80, "周岁", "age"),
    ("10个工作日内办结", "10个工作日", 10, "个工作日", "duration"),
    ("发放资金4,524元", "4,524元", 4524, "元", "money"),
    ("发放资金４５２４元", "４５２４元", 4524, "元", "money"),
    ("共救助三百二十人次", "三百二十人次", 320, "人次", "count"),
])
def test_quantities(text, verbatim, value, unit, dimension):
    q = one(text)
    assert (q.text, q.value, q.unit, q.dimension) == (verbatim, value, unit, dimension)
    assert text[q.start:q.end] == verbatim


def test_dates_in_arabic_and_chinese_numerals():
    q = one("自二〇二三年五月一日起执行")
    assert (q.dimension, q.date, q.text) == ("date", "2023-05-01", "二〇二三年五月一日")
    assert one("自2023年7月1日起执行").date == "2023-07-01"
    assert one("2024年").date == "2024"
    # a year is a date, not a duration; three years is a duration
    assert one("连续3年").dimension == "duration"


def test_age_band_is_one_range():
    qs = quantities("80–89周岁每人每月120元，90-99周岁每人每月240元，100周岁以上每人每月600元")
    assert [(q.text, q.value, q.upper) for q in qs if q.dimension == "age"] == [
        ("80–89周岁", 80, 89), ("90-99周岁", 90, 99), ("100周岁", 100, None)]
    assert [q.value for q in qs if q.dimension == "money"] == [120, 240, 600]


def test_words_that_only_look_like_units_are_not_figures():
    assert quantities("实行一次性救助，推行一站式服务，个人申请") == []
    assert quantities("第一次会议") == []
    assert quantities("“十四五”规划") == []


def test_vague_amounts_are_no_figures():
    # 几十位 / 数十名: some tens, never quoted as 十位
    assert quantities("先后为几十位老年人开展评估，数十名志愿者参加") == []
    assert [q.text for q in quantities("为十位老人、二十多名志愿者")] == ["十位", "二十多名"]


def test_chinese_number():
    assert chinese_number("一万") == 10000
    assert chinese_number("二〇二三") == 2023
    assert chinese_number("九十") == 90
    assert chinese_number("") is None


def test_numbers_and_occurs():
    assert numbers("标准为3.5万元和600元[1]") == ["3.5", "600", "1"]
    assert occurs("600", "每人每月600元")
    assert not occurs("60", "每人每月600元")
    assert not occurs("3", "3.5万元")


def test_quantity_occurs_needs_the_same_writing_and_unit():
    q = one("4524元")
    assert quantity_occurs(q, "标准为4,524元")
    assert not quantity_occurs(q, "共4524人")
    assert not quantity_occurs(one("3万元"), "3万余元")
    assert not quantity_occurs(one("一万元"), "10000元")


def test_quantities_read_again_are_the_same_in_a_list_of_their_own():
    text = "城乡低保标准分别为每人每月600元、一万元"
    first = quantities(text)
    first.clear()  # the caller's list; the figures are read again as they were
    assert [q.text for q in quantities(text)] == ["600元", "一万元"]
    assert quantities(text) is not quantities(text)


def test_a_local_number_is_a_phone_line_only_where_the_caller_says_so():
    assert phone_numbers("共发放5821234元") == [] and phone_numbers("七、咨询电话 5821234", local=True) == ["5821234"]
    assert phone_numbers("联系电话：（0776）3216543") and phone_numbers("服务热线400-123-4567")


def test_a_list_items_full_width_point_before_a_figure_is_no_decimal_point():
    # 2．90—99周岁 is item 2 and the band 90—99, never the number 2.90 (a grounding check missed 90)
    assert numbers("2．90—99周岁：每人每月300元") == ["2", "90", "99", "300"]
    assert numbers("增长１０．５％，达到４，５２４元") == ["10.5", "4524"]


def test_an_age_band_in_chinese_numerals_is_one_range():
    (band, money) = quantities("（一）八十周岁至八十九周岁的，每人每月五十元；")
    assert (band.text, band.value, band.upper, band.dimension) == ("八十周岁至八十九周岁", 80.0, 89.0, "age")
    assert money.value == 50.0
    assert [q.text for q in quantities("二至3天")] != ["二至3天"]  # one script per band
