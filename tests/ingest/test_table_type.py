"""The one table type: merged and multi-row headers, empty rows/columns, titles and notes."""
from __future__ import annotations

from ingest.tables import Table, resolve_grid


def test_merged_two_row_header_becomes_one_name_per_column():
    grid = [["县区", "城市低保", None, "农村低保", None],
            [None, "月标准", "人数", "年标准", "人数"],
            ["温县", 689, 1544, 5388.0, 3975]]
    t = Table.from_grid(grid, merges=[(0, 0, 1, 0), (0, 1, 0, 2), (0, 3, 0, 4)])
    assert t.header == ("县区", "城市低保月标准", "城市低保人数", "农村低保年标准", "农村低保人数")
    assert t.rows == (("温县", "689", "1544", "5388", "3975"),)
    assert t.records()[0]["农村低保年标准"] == "5388"
    assert Table.from_text(t.text).header == t.header and Table.from_text(t.text).rows == t.rows


def test_group_header_without_merge_information_is_filled_from_the_left():
    grid = [["县区", "城市低保", "", "农村低保", ""],
            ["", "月标准", "人数", "年标准", "人数"],
            ["温县", "689", "1544", "5388", "3975"]]
    t = Table.from_grid(grid)
    assert t.header == ("县区", "城市低保月标准", "城市低保人数", "农村低保年标准", "农村低保人数")
    # a plain one-row header is not mistaken for a group: the second row has figures
    plain = Table.from_grid([["县区", "人数", ""], ["温县", "12", "3"]])
    assert plain.header == ("县区", "人数", "") and len(plain.rows) == 1


def test_empty_rows_and_columns_dropped_titles_and_notes_kept_apart_with_row_numbers():
    grid = [["某县低保标准表", "某县低保标准表", "某县低保标准表"],  # a merged title repeats
            ["", "", ""],
            ["县区", "", "标准"],
            ["甲县", "", "600"],
            ["", "", ""],
            ["乙县", "", "610"],
            ["注：单位为元。", "", ""]]
    r = resolve_grid(grid, first_row=3)
    assert r.captions == [(3, "某县低保标准表")] and r.notes == [(9, "注：单位为元。")]
    assert r.header == ("县区", "标准") and r.rows == [("甲县", "600"), ("乙县", "610")]
    assert r.header_row == 5 and r.row_numbers == [6, 8]
    t = Table.from_grid(grid, first_row=3)
    assert t.line_numbers == (5, 6, 8) and t.column("标准") == ["600", "610"]
    assert Table.from_grid([["", None], [None, ""]]).header == ()
