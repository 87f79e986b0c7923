"""Reading a worksheet that people typed by hand (pure Python on openpyxl, no Django).

The task table (`plans/task_table.py`) and the indicator figure table (`indicators/figure_table.py`)
are both tables a clerk fills in Excel; each knows its own columns and cell rules, and this module
holds what they share:

- `read_grid()`: the sheet's values with merged ranges filled in (a group's 责任单位 merged over
  several rows applies to each of them), their number formats, and the lines to skip: blank lines,
  and banners merged across the table (a title or a note);
- `find_table()`: the first sheet (the active sheet first) with a header row among its first
  `HEADER_SCAN_ROWS` lines, since title rows above the header are common; header cells are
  compared after `normalise_header()`;
- `cell_value()`: one named column of a row;
- `CellProblem`: what is wrong in a row and column, as a code rather than a sentence, so the Django
  side can say it in the user's language.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

# How far down a sheet the header may sit; the import messages name this number.
HEADER_SCAN_ROWS = 30

_BRACKETS = re.compile(r"[（(][^）)]*[）)]")


@dataclass(frozen=True, slots=True)
class CellProblem:
    """Row `row` (the Excel line number, 0 for the whole file) has a problem in column `column`.

    `code` names the problem (no_header, bad_date, …); each importer maps its codes to sentences.
    """

    row: int
    column: str
    code: str
    value: str = ""


class SheetGrid(NamedTuple):
    """A worksheet as lists of rows; `skipped` holds 1-based Excel line numbers."""

    values: list[list[Any]]
    formats: list[list[str]]
    skipped: set[int]


@dataclass(frozen=True, slots=True)
class FoundTable:
    """Where a table's header was found: the sheet, its grid, the header's 0-based index, its columns."""

    sheet: str
    grid: SheetGrid
    header_index: int
    columns: dict[str, int]  # field name → 0-based column index

    @property
    def header_row(self) -> int:
        """The header's Excel line number, as the user sees it."""
        return self.header_index + 1


def normalise_header(text: Any) -> str:
    """A header cell without whitespace or bracketed notes: "完成时限（年月）" → "完成时限"."""
    return _BRACKETS.sub("", re.sub(r"\s+", "", str(text or "")))


def header_columns(cells: list[Any], aliases: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
    """Map field names to column indexes for a candidate header row (exact alias matches, first wins)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        text = normalise_header(cell)
        for name, names in aliases.items():
            if text in names and name not in found:
                found[name] = index
    return found


def cell_value(cells: list[Any], columns: Mapping[str, int], name: str) -> Any:
    """The value of column `name` in a row (stripped when text); None when the column or cell is absent."""
    index = columns.get(name)
    if index is None or index >= len(cells):
        return None
    value = cells[index]
    return value.strip() if isinstance(value, str) else value


def read_grid(ws: Worksheet) -> SheetGrid:
    """Cell values with merged ranges filled in, their number formats, and the rows to skip.

    Rows to skip are banners (merged across the table) and lines left blank by the user, even
    when a merged group cell passes through them.
    """
    values = [[cell.value for cell in row] for row in ws.iter_rows()]
    skipped = {index + 1 for index, row in enumerate(values) if all(v is None or v == "" for v in row)}
    formats = [[cell.number_format for cell in row] for row in ws.iter_rows()]
    width = max((len(row) for row in values), default=0)
    for merged in ws.merged_cells.ranges:
        top_left = ws.cell(merged.min_row, merged.min_col).value
        if merged.min_row == merged.max_row and merged.max_col - merged.min_col + 1 >= min(3, width):
            skipped.add(merged.min_row)
            continue
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                values[r - 1][c - 1] = top_left
                formats[r - 1][c - 1] = formats[merged.min_row - 1][merged.min_col - 1]
    return SheetGrid(values, formats, skipped)


def sheets_active_first(workbook: Workbook) -> list[Worksheet]:
    """The workbook's sheets, the one that was open when it was saved first."""
    return [workbook.active] + [ws for ws in workbook.worksheets if ws is not workbook.active]


def find_table(
    workbook: Workbook,
    aliases: Mapping[str, tuple[str, ...]],
    required: Collection[str],
    scan_rows: int = HEADER_SCAN_ROWS,
) -> FoundTable | None:
    """The first sheet whose first `scan_rows` lines hold a header naming every `required` field."""
    for ws in sheets_active_first(workbook):
        grid = read_grid(ws)
        for index, cells in enumerate(grid.values[:scan_rows]):
            columns = header_columns(cells, aliases)
            if all(name in columns for name in required):
                return FoundTable(sheet=ws.title, grid=grid, header_index=index, columns=columns)
    return None
