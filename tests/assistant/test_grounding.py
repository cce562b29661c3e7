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


def test_a_bracketed_number_quoted_from_the_cited_text_is_no_marker():
    """某政办发[2023]12号 quoted from a span is its text; a [2023] no span holds is a bad marker."""
    text = "新建养老机构每张床位按某政办发[2023]12号文件一次性补助3000元"
    ok, problems = check(f"{text}[1]（某市，2023年）。", [cit(text=text, city="某市", year=2023)])
    assert ok, problems
    plain = "新建养老机构每张床位一次性补助3000元"
    ok, problems = check("每张床位一次性补助3000元[2023]。", [cit(text=plain, city="某市", year=2023)])
    assert not ok and "引用[2023]不存在" in problems


def test_other_city_named_fails():
    ok, problems = check("洛阳市农村低保标准为4524元[1]", [cit()], {"焦作市", "洛阳市"})
    assert not ok and "洛阳" in problems[0]


# -- check_claims: the per-sentence check of generated (LLM) answers ----------------------------
from assistant.grounding import check_claims, figures_in, sentences  # noqa: E402

JZ = cit(1, "全市城市最低生活保障月标准为600元,农村最低生活保障年标准提高到4524元,城乡特困基本生活年标准分别为9600元、6000元。")
LY = cit(2, "城市低保标准由每人每月470元提高到520元，散居孤儿基本生活费每人每月700元。", city="洛阳市", year=2017)


def test_claims_grounded_in_their_own_passage_pass():
    ok, problems = check_claims("焦作市2021年农村最低生活保障年标准提高到4524元[1]；洛阳市散居孤儿每人每月700元[2]。",
                                [JZ, LY])
    assert ok, problems


def test_markers_after_the_full_stop_belong_to_the_sentence_before():
    assert sentences("标准为4524元。[1]另有600元。[1]") == [("标准为4524元[1]。", [1]), ("另有600元[1]。", [1])]
    assert check_claims("焦作市农村低保年标准提高到4524元。[1]", [JZ])[0]


def test_each_sentence_is_checked_against_its_own_citations():
    # 700元 is in passage 2, but this sentence cites passage 1 only
    ok, problems = check_claims("焦作市农村低保标准为4524元[1]。焦作市孤儿每人每月700元[1]。", [JZ, LY])
    assert not ok and any("700元" in p for p in problems)


def test_unit_and_multiplier_must_match():
    for wrong in ("4524万元", "4524人", "4524余元", "600元/年,9600万"):
        ok, _ = check_claims(f"焦作市农村低保年标准为{wrong}[1]。", [JZ])
        assert not ok, wrong
    assert [f.text for f in figures_in("发放3.5万余元，占98.6%")] == ["3.5万余元", "98.6%"]


def test_a_number_behind_an_ellipsis_is_still_a_number():
    ok, problems = check_claims("……5000元[1]", [JZ])
    assert not ok and "5000元" in problems[0]


def test_chinese_numerals_must_be_in_the_passage_too():
    ok, problems = check_claims("焦作市农村低保年标准提高到四千五百元[1]。", [JZ])
    assert not ok and "四千五百元" in problems[0]


def test_uncited_figures_fail_but_refusals_and_question_numbers_pass():
    assert not check_claims("焦作市农村低保年标准是4524元。", [JZ])[0]
    assert check_claims("资料中没有北京市2023年的低保标准。", [JZ], question="北京市低保标准")[0]
    assert check_claims("资料中没有焦作市2022年的数据。", [JZ])[0]  # a year in a refusal claims nothing
    assert not check_claims("焦作市的低保标准较高。", [JZ])[0]  # neither cited nor a refusal


def test_places_must_be_the_cited_passages():
    ok, problems = check_claims("洛阳市农村低保年标准提高到4524元[1]。", [JZ, LY])
    assert not ok and "洛阳市" in problems[0] and "焦作市" in problems[0]
    ok, problems = check_claims("焦作市温县农村低保年标准提高到4524元[1]。", [JZ])  # a county the passage never names
    assert not ok and "温县" in problems[0]


def test_a_claim_that_cites_a_passage_but_says_something_else_fails():
    ok, problems = check_claims("低保申请已经全部停止，请直接到窗口排队办理退款手续[1]。", [JZ])
    assert not ok and "不在所引资料" in problems[-1]
    # a paraphrase with the passage's words and synonyms passes (低保 for 最低生活保障)
    assert check_claims("根据资料，焦作市农村低保年标准提高到4524元[1]。", [JZ])[0]


def test_a_district_report_answers_for_the_district_named_with_its_city():
    hj = cit(1, "自2016年7月1日起,城市低保标准由520元提高到550元", city="郑州市惠济区", year=2016)
    assert check_claims("郑州市惠济区城市低保标准提高到550元[1]。", [hj])[0]
    assert check_claims("惠济区城市低保标准提高到550元[1]。", [hj])[0]
    ok, problems = check_claims("郑州市城市低保标准提高到550元[1]。", [hj])  # the district's figure as the city's
    assert not ok and "郑州市" in problems[0]


def test_a_generated_answer_may_quote_a_bracketed_file_number():
    text = "新建养老机构每张床位按某政办发[2023]12号文件一次性补助3000元。"
    ok, problems = check_claims(f"{text}[1]", [cit(text=text, city="某市", year=2023)])
    assert ok, problems


def test_a_sentence_of_clauses_is_covered_by_the_citation_at_its_end():
    """A faithful model copying an age-band passage (80—89周岁…元；90—99周岁…元[1]。) cites once at
    the end of the sentence: every clause is checked against that passage, not refused as uncited."""
    bands = cit(1, "按年龄段享受高龄津贴：80—89周岁每人每月50元；90—99周岁每人每月200元", city="成都市", year=2024)
    ok, problems = check_claims("成都市按年龄段享受高龄津贴：80—89周岁每人每月50元；90—99周岁每人每月200元[1]。", [bands])
    assert ok, problems
    # a clause's figure is still checked against the citation the sentence ends with
    ok, problems = check_claims("成都市80—89周岁每人每月55元；90—99周岁每人每月200元[1]。", [bands])
    assert not ok and any("55元" in p for p in problems)
    # a clause the sentence's end does not cover (a full stop between) is still uncited
    ok, problems = check_claims("成都市80—89周岁每人每月50元。90—99周岁每人每月200元[1]。", [bands])
    assert not ok and any("50元" in p and "没有标注引用" in p for p in problems)
