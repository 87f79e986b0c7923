"""The ledger workbook (台账) as .xlsx: a summary sheet and one sheet per item kind.

Frozen header, autofilter, traffic-light fills, and column widths that fit Chinese text (a CJK
character counts as two columns). Text is always written as text, never as a formula, so a task
titled "=HYPERLINK(…)" stays what it is.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter

from countyworks.core.xlsx import DATE_FORMAT, PERCENT_FORMAT, write_header, write_row
from countyworks.reports.builders.ledger import LEDGER_COLUMNS, LedgerSheet, ledger_headers
from countyworks.reports.builders.ledger import LIGHT_COLUMN as LEDGER_LIGHT_COLUMN
from countyworks.wording import display_width

LIGHT_FILLS = {
    "green": PatternFill("solid", fgColor="C6EFCE"),
    "yellow": PatternFill("solid", fgColor="FFEB9C"),
    "red": PatternFill("solid", fgColor="FFC7CE"),
    "done": PatternFill("solid", fgColor="D9D9D9"),
}
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
MAX_WIDTH = 60
LIGHT_COLUMN = LEDGER_COLUMNS.index(LEDGER_LIGHT_COLUMN) + 1
# Columns shown with a number format take the width of what Excel prints, not of the stored value.
SHOWN_WIDTH = {DATE_FORMAT: 10, PERCENT_FORMAT: 4}


def _fit_columns(sheet: Any, widths: dict[int, int]) -> None:
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(MAX_WIDTH, width + 2)


def _write_table(
    sheet: Any, headers: list[str], rows: list[list], number_formats: Sequence[str] = ()
) -> dict[int, int]:
    write_header(sheet, 1, headers, fill=HEADER_FILL)
    widths = {column: display_width(header) for column, header in enumerate(headers, start=1)}
    for r, row in enumerate(rows, start=2):
        for cell, value in zip(write_row(sheet, r, row, number_formats), row, strict=True):
            shown = SHOWN_WIDTH.get(cell.number_format) if value is not None else None
            if shown is None:
                shown = display_width(value if value is not None else "")
            widths[cell.column] = max(widths[cell.column], shown)
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    return widths


def render_xlsx(sheets: list[LedgerSheet], title: str = "汇总") -> bytes:
    workbook = Workbook()
    summary = workbook.active
    summary.title = title
    summary_rows = []
    for sheet_data in sheets:
        lights = Counter(sheet_data.lights)
        done = sum(1 for row in sheet_data.rows if row[7] == "已完成")
        summary_rows.append(
            [
                sheet_data.title,
                len(sheet_data.rows),
                done,
                lights.get("green", 0),
                lights.get("yellow", 0),
                lights.get("red", 0),
            ]
        )
    _fit_columns(
        summary, _write_table(summary, ["类别", "事项数", "已完成", "绿灯", "黄灯", "红灯"], summary_rows)
    )
    headers = ledger_headers()
    formats = [column.number_format for column in LEDGER_COLUMNS]
    for sheet_data in sheets:
        sheet = workbook.create_sheet(sheet_data.title[:31])
        widths = _write_table(sheet, headers, sheet_data.rows, formats)
        for r, light in enumerate(sheet_data.lights, start=2):
            fill = LIGHT_FILLS.get(light)
            if fill is not None:
                sheet.cell(row=r, column=LIGHT_COLUMN).fill = fill
            sheet.cell(row=r, column=2).alignment = Alignment(wrap_text=True, vertical="top")
        _fit_columns(sheet, widths)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
