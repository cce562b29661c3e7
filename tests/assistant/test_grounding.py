from assistant.grounding import check, numbers_in
from assistant.types import Citation


def cit(marker=1, text="农村最低生活保障年标准提高到4524元", city="焦作市", year=2021):
    return Citation(marker, "002.txt", "t", city, year, text, 0, len(text))


def test_numbers_ignore_markers_and_fold_full_width():
    assert numbers_in("标准为４５２４元[1]") == ["4524"]


def test_grounded_answer_passes():
    ok, problems = check("焦作市农村最低生活保障年标准为4524元[1]（焦作市，2021年）。", [cit()], {"焦作市"})
    assert ok, problems


def test_number_not_in_span_fails():
    ok, problems = check("标准为4525元[1]", [cit()])
    assert not ok and "4525" in problems[0]


def test_part_of_a_longer_number_does_not_count():
    ok, _ = check("标准为452元[1]", [cit()])
    assert not ok


def test_marker_without_citation_fails():
    ok, problems = check("标准为4524元[7]", [cit()])
    assert not ok and "[7]" in problems[0]


def test_other_city_named_fails():
    ok, problems = check("洛阳市农村低保标准为4524元[1]", [cit()], {"焦作市", "洛阳市"})
    assert not ok and "洛阳" in problems[0]
