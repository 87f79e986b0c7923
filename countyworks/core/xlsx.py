"""Small helpers shared by every workbook we write (openpyxl, no Django).

Cells are always written through `set_text` (or `write_row`, which uses it), so that no string we
write becomes a formula. `Column`, `write_header` and `write_row` are the table-writing part that
the ledger screen's export (supervision/ledger_export.py) and the ledger workbook report
(reports/render_xlsx.py) share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill
from openpyxl.utils import get_column_letter

DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0%"  # the value is a fraction: 0.45 shows as 45%
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)


@dataclass(frozen=True)
class Column:
    """One column of a table: its header, how its values are shown, how wide it is."""

    header: Any  # a str, or a lazy translation resolved when the sheet is written
    width: int = 0  # in characters; 0 = fitted to the content by the caller
    number_format: str = ""  # e.g. DATE_FORMAT, PERCENT_FORMAT
    wrap: bool = False  # long text (task, unit names) wraps inside the cell


def set_text(cell: Any, value: Any) -> None:
    """Write `value`; strings stay literal text.

    openpyxl stores a string that starts with "=" as a formula, so a task titled
    “=HYPERLINK(…)” would run in the clerk's Excel. A title is data, never a formula.
    """
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def keep_row_literal(sheet: Any, row: int) -> None:
    """After `sheet.append(...)`, make every string cell of `row` literal text."""
    for cell in sheet[row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def write_header(
    sheet: Any,
    row: int,
    headers: Sequence[Any],
    *,
    fill: PatternFill | None = None,
    border: Border | None = None,
) -> list[Any]:
    """A bold, centred header row (literal text); returns its cells."""
    cells = []
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=row, column=column)
        set_text(cell, str(header))
        cell.font = Font(bold=True)
        cell.alignment = HEADER_ALIGNMENT
        if fill is not None:
            cell.fill = fill
        if border is not None:
            cell.border = border
        cells.append(cell)
    return cells


def write_row(sheet: Any, row: int, values: Sequence[Any], number_formats: Sequence[str] = ()) -> list[Any]:
    """One data row: strings as literal text, each column's number format applied; returns its cells."""
    cells = []
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column)
        set_text(cell, value)
        number_format = number_formats[column - 1] if column <= len(number_formats) else ""
        # Empty cells get the format too: a deadline a clerk types in later still reads as a date.
        if number_format:
            cell.number_format = number_format
        cells.append(cell)
    return cells


def blank_import_workbook(
    *,
    sheet_title: str,
    title: str,
    headers: Sequence[str],
    examples: Sequence[Sequence[Any]],
    widths: Sequence[float],
    notes: Sequence[tuple[str, str]],
    notes_key_width: float,
) -> Workbook:
    """The blank table an Excel import offers for download.

    A merged title row, the styled header (frozen), example rows kept as literal text, column widths,
    and a 说明 sheet of (item, explanation) notes. The task table and the figure table are built by it.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(list(headers))
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for example in examples:
        sheet.append(list(example))
        keep_row_literal(sheet, sheet.max_row)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A3"
    sheet_of_notes = workbook.create_sheet("说明")
    sheet_of_notes.append(["项目", "说明"])
    for cell in sheet_of_notes[1]:
        cell.font = Font(bold=True)
    for note in notes:
        sheet_of_notes.append(list(note))
    sheet_of_notes.column_dimensions["A"].width = notes_key_width
    sheet_of_notes.column_dimensions["B"].width = 100
    return workbook
