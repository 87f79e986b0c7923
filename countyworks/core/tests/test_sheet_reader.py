"""core.sheet_reader: the tolerant grid and header reading that the task and figure tables share."""

from __future__ import annotations

from openpyxl import Workbook

from countyworks.core.sheet_reader import (
    HEADER_SCAN_ROWS,
    cell_value,
    find_table,
    header_columns,
    normalise_header,
    read_grid,
    sheets_active_first,
)

ALIASES = {"name": ("名称", "项目名称"), "unit": ("单位", "责任单位"), "note": ("备注",)}


def sheet_with(rows: list[list[object]], merges: tuple[str, ...] = ()) -> Workbook:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    for merged in merges:
        book.active.merge_cells(merged)
    return book


def test_it_fills_a_merged_group_cell_into_every_row_it_spans():
    book = sheet_with([["名称", "单位"], ["甲", "县发改局"], ["乙", None], ["丙", None]], merges=("B2:B4",))
    grid = read_grid(book.active)
    assert [row[1] for row in grid.values] == ["单位", "县发改局", "县发改局", "县发改局"]
    assert grid.skipped == set()


def test_it_skips_blank_lines_and_banners_merged_across_the_table():
    book = sheet_with(
        [
            ["某县2024年项目表", None, None],
            ["名称", "单位", "备注"],
            ["甲", "县发改局", None],
            [None, None, None],
            ["注：以下为补充项目", None, None],
            ["乙", "县财政局", None],
        ],
        merges=("A1:C1", "A5:C5"),
    )
    grid = read_grid(book.active)
    assert grid.skipped == {1, 4, 5}  # Excel line numbers, as the user sees them


def test_a_blank_line_stays_skipped_when_a_merged_group_cell_passes_through_it():
    book = sheet_with(
        [["名称", "单位", "备注"], ["甲", "县发改局", None], [None, None, None], ["乙", None, None]],
        merges=("B2:B4",),
    )
    grid = read_grid(book.active)
    assert 3 in grid.skipped
    assert grid.values[3][1] == "县发改局"


def test_it_carries_the_number_format_of_a_merged_cell_over_its_range():
    book = sheet_with([["名称", "进度"], ["甲", 0.6], ["乙", None]], merges=("B2:B3",))
    book.active["B2"].number_format = "0%"
    grid = read_grid(book.active)
    assert [row[1] for row in grid.formats[1:]] == ["0%", "0%"]


def test_it_reads_hidden_rows_like_any_other():
    # Today a hidden row is imported like a visible one (a clerk hides rows to print, not to delete);
    # this pins that behaviour so a change to it is a decision, not an accident.
    book = sheet_with([["名称", "单位"], ["甲", "县发改局"], ["乙", "县财政局"]])
    book.active.row_dimensions[3].hidden = True
    grid = read_grid(book.active)
    assert grid.values[2] == ["乙", "县财政局"] and 3 not in grid.skipped


def test_it_reads_an_empty_sheet_as_an_empty_grid():
    assert read_grid(Workbook().active) == ([], [], set())
    assert find_table(Workbook(), ALIASES, ("name",)) is None


def test_it_normalises_headers_without_spaces_or_bracketed_notes():
    assert normalise_header(" 责任\n单位（牵头） ") == "责任单位"
    assert normalise_header("完成时限(年月)") == "完成时限"
    assert normalise_header(None) == ""


def test_header_columns_takes_the_first_column_of_each_field():
    assert header_columns(["序号", "项目名称", "单位", "名称", "备注"], ALIASES) == {
        "name": 1,
        "unit": 2,
        "note": 4,
    }


def test_it_finds_the_header_under_title_rows_and_skips_sheets_without_one():
    book = Workbook()
    book.active.title = "说明"
    book.active.append(["本表用于……"])
    table = book.create_sheet("数据")
    table.append(["某县2024年项目表"])
    table.append([])
    table.append(["序号", "名称", "单位"])
    found = find_table(book, ALIASES, required=("name", "unit"))
    assert found is not None
    assert (found.sheet, found.header_index, found.header_row) == ("数据", 2, 3)
    assert found.columns == {"name": 1, "unit": 2}


def test_it_reads_the_active_sheet_first():
    book = Workbook()
    book.active.append(["名称", "单位"])
    book.active.title = "第一"
    second = book.create_sheet("第二")
    second.append(["名称", "单位"])
    book.active = 1
    assert [ws.title for ws in sheets_active_first(book)] == ["第二", "第一"]
    assert find_table(book, ALIASES, ("name", "unit")).sheet == "第二"


def test_it_needs_every_required_column_within_the_scanned_rows():
    assert find_table(sheet_with([["名称", "备注"]]), ALIASES, ("name", "unit")) is None
    late = sheet_with([["标题"]] * HEADER_SCAN_ROWS + [["名称", "单位"]])
    assert find_table(late, ALIASES, ("name", "unit")) is None
    assert find_table(late, ALIASES, ("name", "unit"), scan_rows=HEADER_SCAN_ROWS + 1) is not None


def test_cell_value_strips_text_and_tolerates_missing_columns_and_short_rows():
    columns = {"name": 0, "unit": 3}
    assert cell_value(["  甲 ", 2], columns, "name") == "甲"
    assert cell_value([5, 2], {"n": 1}, "n") == 2
    assert cell_value(["甲"], columns, "unit") is None  # the row ends before the column
    assert cell_value(["甲"], columns, "note") is None  # the sheet has no such column
