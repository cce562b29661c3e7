"""Questions over the 火化率 table (002): a named row, and the rows a ranking, lowest/highest or
rise/fall question picks out. Real index, real retrieval, real answerer."""
from __future__ import annotations

import pytest

from assistant.answer.table_answers import cn_number as _cn_number, parse_ranking_table as _parse_table, ranking_select as _table_select

TABLE = ("序号\t县市区\t火化率\t\t排名\n\t\t2021年\t2022年1月份\n1\t孟州市\t100%\t100%\t1\n"
         "2\t示范区\t71.82%\t100%\t1\n3\t解放区\t71.00%\t85.93%\t3\n9\t中站区\t47.90%\t43.92%\t9\n"
         "10\t博爱县\t26.73%\t34.28%\t10")


def test_parse_table_reads_columns_rows_ranks_and_offsets():
    cols, rows, measure = _parse_table(TABLE)
    assert cols == ["2021年", "2022年1月份"] and measure == "火化率"
    assert [(r.label, r.values, r.rank) for r in rows][:2] == [
        ("孟州市", ("100%", "100%"), 1), ("示范区", ("71.82%", "100%"), 1)]
    assert all(TABLE[: r.end].endswith(f"\t{r.rank}") for r in rows)
    assert _parse_table("这是一段普通的文字，没有表格。") is None


def test_a_table_with_a_serial_number_column_is_no_ranking_table():
    # 序号 | 市（州） | 城市低保标准 | 农村低保标准: one header line and no 排名 column is a data table
    # (answer.tables reads its label column), not the two-line ranking shape
    plain = "序号\t市（州）\t城市低保标准（元/人·月）\t农村低保标准（元/人·年）\n1\t兰州市\t896\t6120\n2\t金昌市\t872\t6040"
    assert _parse_table(plain) is None
    from assistant.answer.tables import parse_tables

    (table,) = parse_tables(plain)
    assert table.label_col == 1 and [r.label for r in table.rows] == ["兰州市", "金昌市"]


@pytest.mark.parametrize("q, labels", [
    ("排名第三的是哪个", ["解放区"]),
    ("排名第十的是哪个", ["博爱县"]),
    ("排名并列第一的是哪些", ["孟州市", "示范区"]),
    ("排名最后的是哪个", ["博爱县"]),
    ("2021年火化率最低的是哪个", ["博爱县"]),
    ("2022年1月份火化率最低的是哪个", ["博爱县"]),
    ("2021年火化率最高的是哪个", ["孟州市"]),
    ("哪个县区火化率下降了", ["中站区"]),
    ("哪个县区火化率提高了", ["示范区", "解放区", "博爱县"]),
    ("火化率是多少", []),
])
def test_table_select(q, labels):
    cols, rows, measure = _parse_table(TABLE)
    picked, note = _table_select(q, cols, rows, measure)
    assert [r.label for r in picked] == labels
    assert bool(note) == bool(labels)


def test_cn_numbers():
    assert [_cn_number(x) for x in ("3", "三", "十", "十一", "二十", "两")] == [3, 3, 10, 11, 20, 2]


@pytest.mark.parametrize("question, must, must_not", [
    ("焦作市火化情况排名第三的是哪个县市区？", ["解放区", "71.00%", "85.93%"], ["孟州市"]),
    ("焦作市火化情况排名最后（第11名）的是哪个县？", ["武陟县"], ["博爱县"]),
    ("焦作市火化情况排名并列第一的是哪些县市区？", ["孟州市", "示范区"], ["解放区"]),
    ("2021年焦作市各县市区中火化率最低的是哪个，是多少？", ["博爱县", "26.73%"], ["武陟县"]),
    ("哪个县区2022年1月份的火化率比2021年下降了？", ["中站区", "47.90%", "43.92%"], ["修武县"]),
    ("示范区2021年和2022年1月份的火化率分别是多少？", ["示范区", "71.82%", "100%"], ["孟州市"]),
])
def test_table_questions_through_the_assistant(assistant, question, must, must_not):
    a = assistant.ask(question)
    assert a.answerable, a.answer
    for word in must:
        assert word in a.answer, a.answer
    for word in must_not:
        assert word not in a.answer, a.answer
    assert a.citations[0].source == "002_39dfedb441b95935.txt"
    cited = a.citations[0].text
    assert all(w in cited for w in must)  # every figure and name stands in the cited span


def test_a_figure_of_another_benefit_is_never_the_answer(assistant):
    """惠济区's report gives 高龄津贴 only as a total; its 每人每月50元 is the 慈善购物卡 standard."""
    a = assistant.ask("惠济区高龄津贴每人每月多少钱？")
    assert "50元" not in a.answer and "购物卡" not in a.answer
    total = assistant.ask("惠济区发放高龄津贴多少钱？")
    assert total.answerable and "109万元" in total.answer
