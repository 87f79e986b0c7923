"""core.xlsx: the table-writing helpers every workbook uses never turn text into a formula."""

from __future__ import annotations

from datetime import date

from openpyxl import Workbook
from openpyxl.styles import PatternFill

from countyworks.core.xlsx import DATE_FORMAT, PERCENT_FORMAT, keep_row_literal, write_header, write_row


def test_it_writes_headers_and_rows_as_literal_text_with_their_formats():
    sheet = Workbook().active
    fill = PatternFill("solid", fgColor="DDEBF7")
    header = write_header(sheet, 1, ["=cmd|' /C calc'!A0", "进度"], fill=fill)
    cells = write_row(
        sheet, 2, ["=1+1", 0.5, date(2023, 1, 2), None], ["", PERCENT_FORMAT, DATE_FORMAT, DATE_FORMAT]
    )
    assert [c.data_type for c in header] == ["s", "s"]
    assert header[0].font.b and header[0].fill.fgColor.rgb.endswith("DDEBF7")
    assert (cells[0].value, cells[0].data_type) == ("=1+1", "s")
    assert [c.number_format for c in cells] == ["General", PERCENT_FORMAT, DATE_FORMAT, DATE_FORMAT]


def test_it_still_makes_an_appended_row_literal():
    sheet = Workbook().active
    sheet.append(["=A1", 3])
    keep_row_literal(sheet, 1)
    assert [c.data_type for c in sheet[1]] == ["s", "n"]


def test_a_blank_import_workbook_has_title_header_literal_examples_and_notes():
    from countyworks.core.xlsx import blank_import_workbook

    book = blank_import_workbook(
        sheet_title="表",
        title="××县任务表",
        headers=("序号", "任务"),
        examples=[(1, "=SUM(A1)")],
        widths=(6, 40),
        notes=[("进度", "0 到 100")],
        notes_key_width=12,
    )
    sheet, notes = book["表"], book["说明"]
    assert sheet["A1"].value == "××县任务表" and [c.value for c in sheet[2]] == ["序号", "任务"]
    assert sheet["B3"].value == "=SUM(A1)" and sheet["B3"].data_type == "s"  # an example never runs
    assert sheet.freeze_panes == "A3" and sheet.column_dimensions["B"].width == 40
    assert [c.value for c in notes[2]] == ["进度", "0 到 100"]
