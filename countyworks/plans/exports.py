"""Excel export of the ledger in the county's usual task-table layout (任务分解表).

The rows are exactly the ones the ledger shows for the same filter, in the same order;
the status cell is filled with the item's traffic-light colour.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from countyworks.core.xlsx import keep_row_literal
from countyworks.plans.models import Light, WorkItem

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Light → cell fill (ARGB); the colours people know from the paper ledgers.
LIGHT_FILLS = {
    Light.GREEN: "FF92D050",
    Light.YELLOW: "FFFFFF00",
    Light.RED: "FFFF0000",
    Light.DONE: "FF9BC2E6",
}
COLUMN_WIDTHS = (6, 60, 14, 22, 26, 14, 10, 14)


def headers() -> list[str]:
    return [
        _("No."),
        _("Task"),
        _("Lead county leader"),
        _("Responsible unit"),
        _("Co-operating units"),
        _("Deadline"),
        _("Progress"),
        _("Status"),
    ]


def build_ledger_workbook(items: Iterable[WorkItem], title: str) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Ledger")[:31]
    thin = Side(style="thin", color="FF808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)

    sheet.append([title])
    keep_row_literal(sheet, 1)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMN_WIDTHS))
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    sheet.cell(1, 1).alignment = centre
    sheet.append(headers())
    for column, width in enumerate(COLUMN_WIDTHS, start=1):
        cell = sheet.cell(2, column)
        cell.font = Font(bold=True)
        cell.alignment = centre
        cell.border = border
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A3"

    for number, item in enumerate(items, start=1):
        task = item.title if not item.target else f"{item.title}\n{item.target}"
        status = item.get_status_display()
        if item.light not in (Light.NONE, ""):
            status = f"{status}（{item.get_light_display()}）"
        sheet.append(
            [
                number,
                task,
                item.lead_leader.name if item.lead_leader else "",
                item.lead_unit.name if item.lead_unit else "",
                "、".join(unit.name for unit in item.co_units.all()),
                item.due_date,
                (item.progress or Decimal("0")) / 100,
                status,
            ]
        )
        row = sheet.max_row
        keep_row_literal(sheet, row)
        for column in range(1, len(COLUMN_WIDTHS) + 1):
            cell = sheet.cell(row, column)
            cell.border = border
            cell.alignment = wrap if column in (2, 4, 5) else centre
        sheet.cell(row, 6).number_format = "yyyy-mm-dd"
        sheet.cell(row, 7).number_format = "0%"
        fill = LIGHT_FILLS.get(item.light)
        if fill:
            sheet.cell(row, 8).fill = PatternFill("solid", start_color=fill, end_color=fill)
    return workbook


def ledger_workbook_response(items: Iterable[WorkItem]) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    workbook = build_ledger_workbook(items, _("Work ledger (%(date)s)") % {"date": stamp})
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="ledger-{stamp}.xlsx"'
    return response
