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
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

from countyworks.core.xlsx import (
    DATE_FORMAT,
    HEADER_ALIGNMENT,
    PERCENT_FORMAT,
    Column,
    keep_row_literal,
    set_text,
    write_header,
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
# report (reports/builders/ledger.py + render_xlsx.py) both write them, in this order, from `item_cells`;
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
# The supervision procedure's columns (issue 13), after the status so the task table stays as it was.
PROCEDURE_COLUMNS = (
    Column(gettext_lazy("Original deadline"), 14, DATE_FORMAT),
    Column(gettext_lazy("Extension approved"), 22, wrap=True),
    Column(gettext_lazy("Signed for"), 26, wrap=True),
    Column(gettext_lazy("Closing"), 22, wrap=True),
)
LEDGER_COLUMNS = (*ITEM_COLUMNS, STATUS_COLUMN, *PROCEDURE_COLUMNS)
STATUS_INDEX = len(ITEM_COLUMNS)
COLUMN_WIDTHS = tuple(column.width for column in LEDGER_COLUMNS)
# Two hidden columns after the visible ones carry what the Excel round trip (roundtrip.py) needs to
# bring the workbook back: the item's id (the row's 编号 — the visible 序号 is only its position in
# this export) and its optimistic version at export time, so an item changed since is refused.
# Their header cells hold these fixed keys, whatever the reader's language, to recognise the sheet.
ITEM_ID_KEY = "countyworks:item"
VERSION_KEY = "countyworks:version"
ID_COLUMN = len(LEDGER_COLUMNS) + 1
VERSION_COLUMN = len(LEDGER_COLUMNS) + 2


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
    """The screen's status words, with the light (and 逾期 when overdue) in brackets, as the ledger shows them."""
    status = item.get_status_display()
    notes = [item.get_light_display()] if item.light not in (Light.NONE, "") else []
    if item.is_overdue:
        notes.append(str(_("overdue")))
    return f"{status}（{'，'.join(notes)}）" if notes else status


def procedure_cells(item: WorkItem) -> list[Any]:
    """The values of PROCEDURE_COLUMNS: 原定期限 only when an approved extension moved the deadline,
    the approved extensions, who signed and when, and the closing application's state and date."""
    original = getattr(item, "original_due_date", None)
    return [
        original if original and original != item.due_date else None,
        extension_text(item),
        signoff_text(item),
        closure_text(item),
    ]


def _day(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d") if moment else ""


def extension_text(item: WorkItem) -> str:
    """延期: each approved extension as "new deadline (approved on)", oldest first (prefetched or read)."""
    approved = sorted(
        (row for row in item.extensions.all() if row.state == "approved"),
        key=lambda row: (row.decided_at, row.pk),
    )
    return "；".join(
        _("%(date)s (approved %(on)s)")
        % {"date": row.approved_due_date.isoformat(), "on": _day(row.decided_at)}
        for row in approved
        if row.approved_due_date
    )


def signoff_text(item: WorkItem) -> str:
    """签收: each open assignment's unit with who signed and when, or 未签收 (sign-offs prefetched or read)."""
    parts = []
    for row in item.signoffs.all():
        if row.withdrawn_at is not None:
            continue
        if row.signed_at:
            who = row.signed_by.display_name if row.signed_by_id else ""
            parts.append(" ".join(part for part in (row.unit.name, _day(row.signed_at), who) if part))
        else:
            parts.append(f"{row.unit.name} {_('not signed yet')}")
    return "；".join(parts)


def closure_text(item: WorkItem) -> str:
    """办结: the latest closing application's state and the day of its last step (prefetched or read)."""
    rows = sorted(item.closures.all(), key=lambda row: (row.applied_at, row.pk))
    if not rows:
        return ""
    last = rows[-1]
    when = last.reopened_at or last.decided_at or last.applied_at
    return f"{last.get_state_display()} {_day(when)}"


def build_ledger_workbook(items: Iterable[WorkItem], title: str) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Ledger")[:31]
    thin = Side(style="thin", color="FF808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")

    sheet.append([title])
    keep_row_literal(sheet, 1)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(LEDGER_COLUMNS))
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    sheet.cell(1, 1).alignment = HEADER_ALIGNMENT
    for cell, column in zip(write_header(sheet, 2, headers(), border=border), LEDGER_COLUMNS, strict=True):
        sheet.column_dimensions[cell.column_letter].width = column.width
    sheet.freeze_panes = "A3"
    for column, key in ((ID_COLUMN, ITEM_ID_KEY), (VERSION_COLUMN, VERSION_KEY)):
        sheet.cell(2, column).value = key
        sheet.column_dimensions[sheet.cell(2, column).column_letter].hidden = True

    # One named style per column (border, alignment, number format): assigning it copies one style
    # array, where setting border and alignment cell by cell hashed openpyxl's style objects each
    # time — half of a 10,000-row export.
    column_styles = []
    for index, column in enumerate(LEDGER_COLUMNS, start=1):
        style = NamedStyle(
            name=f"ledger-{index}",
            border=border,
            alignment=wrap if column.wrap else HEADER_ALIGNMENT,
            number_format=column.number_format or "General",
        )
        workbook.add_named_style(style)
        column_styles.append(style.name)
    fills = {
        light: PatternFill("solid", start_color=fill, end_color=fill) for light, fill in LIGHT_FILLS.items()
    }

    if hasattr(items, "prefetch_related"):
        # The 签收, 延期 and 办结 columns, one query each whatever the number of rows.
        items = items.prefetch_related("signoffs__unit", "signoffs__signed_by", "extensions", "closures")
    for number, item in enumerate(items, start=1):
        row = number + 2
        values = [*item_cells(item, number, with_target=True), status_text(item), *procedure_cells(item)]
        for column, (value, style) in enumerate(zip(values, column_styles, strict=True), start=1):
            cell = sheet.cell(row=row, column=column)
            cell.style = style
            set_text(cell, value)
        fill = fills.get(item.light)
        if fill:
            sheet.cell(row, STATUS_INDEX + 1).fill = fill
        sheet.cell(row, ID_COLUMN).value = item.pk
        sheet.cell(row, VERSION_COLUMN).value = item.version
    return workbook


def ledger_workbook_response(items: Iterable[WorkItem]) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    workbook = build_ledger_workbook(items, _("Work ledger (%(date)s)") % {"date": stamp})
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="ledger-{stamp}.xlsx"'
    return response
