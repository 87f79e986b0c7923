"""Small helpers shared by every workbook we write (openpyxl, no Django)."""

from __future__ import annotations

from typing import Any


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
