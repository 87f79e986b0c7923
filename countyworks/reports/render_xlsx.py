"""The ledger workbook (台账) as .xlsx: a summary sheet and one sheet per item kind.

Frozen header, autofilter, traffic-light fills, and column widths that fit Chinese text (a CJK
character counts as two columns). Text is always written as text, never as a formula, so a task
titled "=HYPERLINK(…)" stays what it is.
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from countyworks.core.xlsx import set_text
from countyworks.reports.builders import LEDGER_HEADERS, LedgerSheet
from countyworks.reports.wording import display_width

LIGHT_FILLS = {
    "green": PatternFill("solid", fgColor="C6EFCE"),
    "yellow": PatternFill("solid", fgColor="FFEB9C"),
    "red": PatternFill("solid", fgColor="FFC7CE"),
    "done": PatternFill("solid", fgColor="D9D9D9"),
}
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
MAX_WIDTH = 60
LIGHT_COLUMN = len(LEDGER_HEADERS)


def _fit_columns(sheet, widths: dict[int, int]) -> None:
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(MAX_WIDTH, width + 2)


def _write_table(sheet, headers: list[str], rows: list[list]) -> dict[int, int]:
    widths: dict[int, int] = {}
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=column)
        set_text(cell, header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        widths[column] = display_width(header)
    for r, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=column)
            set_text(cell, value)
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
                shown = 10
            elif headers[column - 1] == "进度" and isinstance(value, float):
                cell.number_format = "0%"
                shown = 4
            else:
                shown = display_width(value if value is not None else "")
            widths[column] = max(widths[column], shown)
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
    for sheet_data in sheets:
        sheet = workbook.create_sheet(sheet_data.title[:31])
        widths = _write_table(sheet, LEDGER_HEADERS, sheet_data.rows)
        for r, light in enumerate(sheet_data.lights, start=2):
            fill = LIGHT_FILLS.get(light)
            if fill is not None:
                sheet.cell(row=r, column=LIGHT_COLUMN).fill = fill
            sheet.cell(row=r, column=2).alignment = Alignment(wrap_text=True, vertical="top")
        _fit_columns(sheet, widths)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
