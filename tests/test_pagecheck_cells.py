"""The page check names a table cell whose last printed line is one Chinese character."""

from __future__ import annotations

from generator.pagecheck import Expected, Line, Page, check_pages

MARGINS = {"width_mm": 210, "height_mm": 297, "top_mm": 37, "bottom_mm": 35, "left_mm": 28, "right_mm": 26}


def page(*lines: Line) -> Page:
    return Page(1, 595.0, 842.0, list(lines))


def want(*cells: str) -> Expected:
    return Expected([], [], [], (), cells)


def test_a_cell_ending_in_one_character_is_named():
    lines = (
        Line(1, "社会保障和就业支", 136.4, 475.5, 220.4, 489.2),
        Line(1, "出", 136.4, 490.5, 146.9, 504.2),
    )
    assert [str(p) for p in check_pages([page(*lines)], want("社会保障和就业支出"), MARGINS)] == [
        "第 1 页：“社会保障和就业支／出”：表格单元格回行只剩一个字"
    ]


def test_two_characters_a_figure_or_another_cell_below_pass():
    lines = (
        Line(1, "部门预算资金支", 136.4, 475.5, 220.4, 489.2),
        Line(1, "出率", 136.4, 490.5, 157.4, 504.2),
        Line(1, "合计", 136.4, 505.5, 157.4, 519.2),
        Line(1, "小", 136.4, 520.5, 146.9, 534.2),  # 合计 above, but no cell ends in 合计小
    )
    assert check_pages([page(*lines)], want("部门预算资金支出率", "小"), MARGINS) == []
