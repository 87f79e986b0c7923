"""Excel export of the ledger in the county's usual task-table layout (任务分解表).

The rows are exactly the ones the ledger shows for the same filter, in the same order;
the status cell is filled with the item's traffic-light colour.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from countyworks.core.xlsx import (
    DATE_FORMAT,
    HEADER_ALIGNMENT,
    PERCENT_FORMAT,
    Column,
    keep_row_literal,
    write_header,
    write_row,
)
from countyworks.plans.models import Light, WorkItem

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Light → cell fill (ARGB); the colours people know from the paper ledgers.
LIGHT_FILLS = {
    Light.GREEN: "FF92D050",
    Light.YELLOW: "FFFFFF00",
    Light.RED: "FFFF0000",
    Light.DONE: "FF9BC2E6",
}

# The task-table columns (任务分解表) of every ledger workbook: this export and the ledger workbook
# report (reports/builders.py + render_xlsx.py) both write them, in this order, from `item_cells`;
# each then adds its own status wording (and the report a traffic-light column).
ITEM_COLUMNS = (
    Column(gettext_lazy("No."), 6),
    Column(gettext_lazy("Task"), 60, wrap=True),
    Column(gettext_lazy("Lead county leader"), 14),
    Column(gettext_lazy("Responsible unit"), 22, wrap=True),
    Column(gettext_lazy("Co-operating units"), 26, wrap=True),
    Column(gettext_lazy("Deadline"), 14, DATE_FORMAT),
    Column(gettext_lazy("Progress"), 10, PERCENT_FORMAT),
)
STATUS_COLUMN = Column(gettext_lazy("Status"), 14)
LEDGER_COLUMNS = (*ITEM_COLUMNS, STATUS_COLUMN)
COLUMN_WIDTHS = tuple(column.width for column in LEDGER_COLUMNS)


def headers() -> list[str]:
    return [str(column.header) for column in LEDGER_COLUMNS]


def item_cells(item: WorkItem, number: int, *, with_target: bool = False) -> list[Any]:
    """The values of ITEM_COLUMNS for one item (co-units and people must be prefetched)."""
    task = f"{item.title}\n{item.target}" if with_target and item.target else item.title
    return [
        number,
        task,
        item.lead_leader.name if item.lead_leader else "",
        item.lead_unit.name if item.lead_unit else "",
        "、".join(unit.name for unit in item.co_units.all()),
        item.due_date,
        (item.progress or Decimal("0")) / 100,
    ]


def status_text(item: WorkItem) -> str:
    """The screen's status words, with the light in brackets when the item has one."""
    status = item.get_status_display()
    if item.light not in (Light.NONE, ""):
        status = f"{status}（{item.get_light_display()}）"
    return status


def build_ledger_workbook(items: Iterable[WorkItem], title: str) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Ledger")[:31]
    thin = Side(style="thin", color="FF808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    formats = [column.number_format for column in LEDGER_COLUMNS]

    sheet.append([title])
    keep_row_literal(sheet, 1)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(LEDGER_COLUMNS))
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    sheet.cell(1, 1).alignment = HEADER_ALIGNMENT
    for cell, column in zip(write_header(sheet, 2, headers(), border=border), LEDGER_COLUMNS, strict=True):
        sheet.column_dimensions[cell.column_letter].width = column.width
    sheet.freeze_panes = "A3"

    for number, item in enumerate(items, start=1):
        row = number + 2
        values = [*item_cells(item, number, with_target=True), status_text(item)]
        cells = write_row(sheet, row, values, formats)
        for cell, column in zip(cells, LEDGER_COLUMNS, strict=True):
            cell.border = border
            cell.alignment = wrap if column.wrap else HEADER_ALIGNMENT
        fill = LIGHT_FILLS.get(item.light)
        if fill:
            cells[-1].fill = PatternFill("solid", start_color=fill, end_color=fill)
    return workbook


def ledger_workbook_response(items: Iterable[WorkItem]) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    workbook = build_ledger_workbook(items, _("Work ledger (%(date)s)") % {"date": stamp})
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="ledger-{stamp}.xlsx"'
    return response
