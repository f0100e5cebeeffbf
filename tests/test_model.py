"""The grid model: spans placed like a browser lays out a table."""

from extractor.model import place_rows


def texts(table):
    return [[c.text for c in row] for row in table.grid]


def test_rowspan_pushes_following_cells_right():
    t = place_rows([[("a", 2, 1, False), ("b", 1, 1, False)], [("c", 1, 1, False)]])
    assert texts(t) == [["a", "b"], ["a", "c"]]
    assert t.grid[1][0] is t.grid[0][0] and t.grid[1][0].row == 0


def test_rowspan_beyond_the_table_is_clipped():
    t = place_rows([[("a", 9, 1, False), ("b", 1, 1, False)], [("c", 1, 1, False)]])
    assert t.n_rows == 2 and t.grid[1][0].rowspan == 2


def test_rowspan_zero_spans_to_the_end():
    t = place_rows([[("a", 0, 1, False), ("b", 1, 1, False)], [("c", 1, 1, False)], [("d", 1, 1, False)]])
    assert texts(t) == [["a", "b"], ["a", "c"], ["a", "d"]]


def test_ragged_rows_are_filled_with_blank_cells():
    t = place_rows([[("a", 1, 3, False)], [("b", 1, 1, False)]])
    assert texts(t) == [["a", "a", "a"], ["b", "", ""]]
    assert t.grid[1][1] is not t.grid[1][2]


def test_huge_colspan_is_capped():
    t = place_rows([[("a", 1, 10**7, False)]])
    assert t.n_cols == 200
