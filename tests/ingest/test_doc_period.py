"""ingest/doc_period.py: dates in three notations, the year a document is about (not a target), the effective date."""
from __future__ import annotations

import pytest

from ingest.doc_period import detect_period, detect_year, find_dates


def test_target_years_are_not_the_documents_year():
    assert detect_year("到2025年底，建成养老服务体系。到2025年，覆盖城乡。2023年新增床位。") == 2023
    assert detect_year("2021—2025年规划，2021—2025年目标。2022年完成中期评估。") == 2022
    assert detect_year("力争2030年实现全覆盖。") is None
    assert detect_year("截至2021年底，全市共有低保对象。") == 2021  # as of, not a target


def test_dates_in_arabic_iso_and_chinese_numerals():
    assert [d for d, _, _ in find_dates("2023年7月1日、2023-07-02、二〇二三年五月一日、二〇二〇年十二月三十一日")] == \
        ["2023-07-01", "2023-07-02", "2023-05-01", "2020-12-31"]
    assert find_dates("2023年13月1日") == []


def test_effective_date_from_the_day_of_issue():
    p = detect_period("关于某事的通知\n\n本通知自印发之日起施行。\n\n某市民政局\n2022年3月1日")
    assert (p.issued, p.effective, p.year) == ("2022-03-01", "2022-03-01", 2022)
    p = detect_period("办法\n\n本办法自2024年1月1日起施行，有效期五年。")
    assert (p.issued, p.effective, p.year) == (None, "2024-01-01", 2024)
    p = detect_period("简报\n\n请于2024年1月1日前报送材料。")
    assert p.effective is None  # a deadline is not an effective date
    p = detect_period("通知\n\n自2023年7月1日起，城乡低保标准提高到每人每月800元。")
    assert p.effective == "2023-07-01"
    assert detect_period("通知\n\n新标准从2022年10月1日开始执行。").effective == "2022-10-01"
    assert detect_period("简报\n\n2022年10月1日起步阶段的工作。").effective is None


def test_a_web_pages_publication_stamp_is_the_issue_date():
    from ingest.doc_period import stamp_date

    assert stamp_date("2024-03-05 09:12，正文：") == "2024-03-05"
    assert stamp_date("2024年3月5日") == "2024-03-05"
    assert stamp_date("2024年3月5日起执行新标准") is None  # a line that says something else
    text = "2024-03-05 09:12，正文：原标题：某县提高救助标准近日，某县民政局印发通知，提高城乡低保标准。"
    assert detect_period(text).issued == "2024-03-05"
    assert detect_period(text).year == 2024


@pytest.mark.parametrize("line, rest", [
    ("2024-03-05 09:12，正文：原标题：某县提高救助标准", "某县提高救助标准"),
    ("[2024年03月05日]，正文：日前，某县民政局", "日前，某县民政局"),
    ("来源：某某日报  |  2024年03月05日 06:36:10，正文：某县", "某县"),
    ("2024年03月05日 16:48:28 来自某省，正文：某县", "某县"),
    ("3-5 20:04，正文：某网讯", "某网讯"),  # a stamp whose year the page cut
    ("03/05，正文：某网讯", "某网讯"),
    ("记者：某某，正文：3月5日，某县", "3月5日，某县"),  # a byline
    ("关于调整低保标准的问题：各县民政局", "关于调整低保标准的问题：各县民政局"),  # a title's 题：
    ("2024-03-05，正文：某县老人说：“好。”原标题：另一个标题", "某县老人说：“好。”原标题：另一个标题"),
])
def test_a_pages_own_words_start_past_its_header_byline_and_labels(line, rest):
    from ingest.doc_period import past_stamp

    assert line[past_stamp(line):] == rest


def test_a_pages_header_gives_its_issue_date_even_with_a_source_label():
    text = "来源：某某日报  |  2024年03月05日 06:36:10，正文：某县民政局提高城乡低保标准。"
    assert detect_period(text).issued == "2024-03-05"


def test_a_summary_and_plan_is_the_year_it_reports_on():
    """某县民政局2022年工作总结和2023年工作计划 reports on 2022: the plan's year is a target
    (document_words target_after); a plan alone still takes its year from its body."""
    title = "某县民政局2022年工作总结和2023年工作计划"
    p = detect_period(title + "\n\n2022年，全县新增养老床位200张。2023年，全县将新建养老机构3家。", title)
    assert (p.year, p.period) == (2022, "2022年")
    plan = "某县民政局2023年工作计划"
    assert detect_period(plan + "\n\n2023年，全县将新建养老机构3家，2023年完成适老化改造。", plan).year == 2023


@pytest.mark.parametrize("plan", ["工作思路", "工作安排", "工作要点", "重点工作"])
def test_a_summary_with_next_years_outline_is_the_year_it_reports_on(plan):
    """A summary whose title goes on with next year's outline in other words than 计划 (思路,
    安排, 要点, 重点工作), signed in January of that next year: still the year it reports on."""
    title = f"某区民政局2025年工作总结和2026年{plan}"
    text = (f"{title}\n\n2025年，全区累计保障城乡低保对象4326户。\n\n二、2026年{plan}\n\n"
            "2026年，推动城乡低保标准稳步提高。\n\n某区民政局\n\n2026年1月10日")
    assert detect_period(text, title).year == 2025
