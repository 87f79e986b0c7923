"""Updating the ledger by Excel round trip: export, edit in Excel, import the same workbook back.

The ledger export (ledger_export.py) writes two hidden columns after the visible ones: the item's
id (its 编号 — the visible 序号 is only the row's position in that export) and its optimistic
version. Bringing the workbook back:

- `preview_round_trip()` reads it and compares every cell with the item as it is now, writing
  nothing; the result lists each changed cell (column, old, new) row by row, the new rows, and the
  problems. A row whose item changed since the export (its version moved on) is a problem naming
  the row: the clerk would otherwise overwrite someone else's newer figures.
- `apply_round_trip()` does the same reading again and, when nothing is wrong, writes every change
  in one transaction (all or nothing): a changed 进度 becomes a progress report entered by the
  office for the item's lead unit (`supervision.services.enter_report_for_unit`, marked
  督查室代填); the other changed cells are direct field changes through `plans.services.update_item`
  (with the exported version as the expected one); a row without an id becomes a new item
  (`plans.services.create_item`, which checks every reference). Only the office that may manage
  the plan (policy.can_manage_plan) may do either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from countyworks.accounts import policy
from countyworks.core.services import ConflictError, PermissionDenied, ServiceError
from countyworks.core.spreadsheet_import import RowProblem, SpreadsheetImportError, refuse_oversized_workbook
from countyworks.plans import services as plan_services
from countyworks.plans.importer import _Directory
from countyworks.plans.models import ItemStatus, Plan
from countyworks.supervision import services as supervision_services
from countyworks.supervision.ledger_export import ID_COLUMN, ITEM_ID_KEY, VERSION_COLUMN, VERSION_KEY

HEADER_ROW = 2  # the export's title is row 1, its header row 2
_SEPARATORS = re.compile(r"[、,，;；/\n]+")
_HUNDRED = Decimal("100")


class RoundTripError(SpreadsheetImportError):
    """The workbook cannot be imported as it is; `problems` names each bad row."""


@dataclass
class CellChange:
    column: str  # the column's header as the preview shows it
    old: str
    new: str


@dataclass
class ItemSnapshot:
    """What the preview compares a row with: the item's columns as they are now (read as plain values
    in one query — building 10,000 model instances with their units was most of the preview's time)."""

    pk: int
    version: int
    title: str
    target: str
    leader_name: str
    unit_id: int | None
    unit_name: str
    due_date: date | None
    progress: Decimal
    status: str
    co_units: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class RowPlan:
    """One row of the workbook that changes something: an existing item (`item`) or a new one."""

    row: int
    item: ItemSnapshot | None
    version: int | None
    changes: list[CellChange] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)  # direct field changes (or a new item's fields)
    co_units: list[Any] | None = None  # None: unchanged
    progress: Decimal | None = None  # a changed 进度 of an existing item: a progress report

    @property
    def is_new(self) -> bool:
        return self.item is None


@dataclass
class RoundTripPreview:
    plan: Plan
    rows: list[RowPlan]
    problems: list[RowProblem]
    unchanged: int = 0  # rows read that change nothing

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def cell_count(self) -> int:
        return sum(len(row.changes) for row in self.rows)

    @property
    def updated(self) -> list[RowPlan]:
        return [row for row in self.rows if not row.is_new]

    @property
    def created(self) -> list[RowPlan]:
        return [row for row in self.rows if row.is_new]


@dataclass(frozen=True)
class RoundTripResult:
    items_updated: int
    reports_entered: int
    items_created: int


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date_text(value: date | None) -> str:
    return value.isoformat() if value else ""


def _percent_text(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def read_date(value: Any) -> date | None:
    """A deadline cell: an Excel date, an ISO date typed as text, or empty. ValueError otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip())


def read_progress(value: Any) -> Decimal | None:
    """A 进度 cell as a percentage. The export writes a fraction in a 0% cell (0.45 shows as 45%), so a
    number up to 1 is a fraction; a clerk who types 60 into it means 60 %, and "60%" typed as text too.
    ValueError for anything else or outside 0–100."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
        number = number * _HUNDRED if number <= 1 else number
    else:
        written = str(value).strip().replace("％", "%")
        try:
            number = Decimal(written.rstrip("%").strip())
        except InvalidOperation as exc:
            raise ValueError(value) from exc
    if not number.is_finite() or number < 0 or number > _HUNDRED:
        raise ValueError(value)
    return number.quantize(Decimal("0.01"))


def _status_choices() -> dict[str, str]:
    """Status words a cell may hold → the stored value (the labels in the reader's language and the
    codes; the export writes the label with the light in brackets: 进行中（绿灯）)."""
    choices = {str(label): value for value, label in ItemStatus.choices}
    choices.update({value: value for value in ItemStatus.values})
    return choices


def read_status(value: Any, choices: dict[str, str]) -> str | None:
    written = re.split(r"[（(]", _text(value), maxsplit=1)[0].strip()
    if not written:
        return None
    if written not in choices:
        raise ValueError(value)
    return choices[written]


def _open_sheet(source: str | IO[bytes]) -> Any:
    refuse_oversized_workbook(source, RoundTripError)
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    # A damaged package raises many kinds of errors from inside openpyxl; each means the same.
    except Exception as exc:
        raise RoundTripError([RowProblem(0, _("The file is not an Excel workbook (.xlsx)."))]) from exc
    sheet = book.active
    header = next(sheet.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW, values_only=True), ())
    header = list(header) + [None] * max(0, VERSION_COLUMN - len(header))
    if header[ID_COLUMN - 1] != ITEM_ID_KEY or header[VERSION_COLUMN - 1] != VERSION_KEY:
        raise RoundTripError(
            [
                RowProblem(
                    0, _("This is not a ledger workbook exported from CountyWorks: export the ledger first.")
                )
            ]
        )
    return book, sheet


@dataclass
class _Columns:
    task: str
    leader: str
    unit: str
    co_units: str
    deadline: str
    progress: str
    status: str


def _columns() -> _Columns:
    from countyworks.supervision.ledger_export import LEDGER_COLUMNS

    names = [str(column.header) for column in LEDGER_COLUMNS]
    return _Columns(*names[1:8])


def preview_round_trip(user: Any, plan: Plan, source: str | IO[bytes]) -> RoundTripPreview:
    """Every change the workbook at `source` would make to `plan`, cell by cell; writes nothing."""
    if not policy.can_manage_plan(user, plan.region):
        raise PermissionDenied(_("Only the supervision office updates the ledger from a workbook."))
    book, sheet = _open_sheet(source)
    try:
        raw_rows = list(sheet.iter_rows(min_row=HEADER_ROW + 1, max_col=VERSION_COLUMN, values_only=True))
    finally:
        book.close()
    readable = policy.visible_items(user).filter(plan=plan)
    items = {
        row[0]: ItemSnapshot(
            row[0], row[1], row[2], row[3] or "", row[4] or "", row[5], row[6] or "", *row[7:]
        )
        for row in readable.values_list(
            "id",
            "version",
            "title",
            "target",
            "lead_leader__name",
            "lead_unit_id",
            "lead_unit__name",
            "due_date",
            "progress",
            "status",
        )
    }
    for item_id, unit_id, unit_name in readable.filter(co_units__isnull=False).values_list(
        "id", "co_units__id", "co_units__name"
    ):
        items[item_id].co_units.append((unit_id, unit_name))
    directory = _Directory(plan.region)
    columns = _columns()
    statuses = _status_choices()
    status_labels = {value: str(label) for value, label in ItemStatus.choices}
    problems: list[RowProblem] = []
    plans: list[RowPlan] = []
    seen: dict[int, int] = {}
    unchanged = 0

    for offset, raw in enumerate(raw_rows):
        line = HEADER_ROW + 1 + offset
        cells = list(raw) + [None] * (VERSION_COLUMN - len(raw))
        if all(_text(value) == "" for value in cells):
            continue
        row_problems: list[str] = []

        def problem(message: str, row_problems: list[str] = row_problems) -> None:
            row_problems.append(message)

        item_id, version = cells[ID_COLUMN - 1], cells[VERSION_COLUMN - 1]
        item = None
        if _text(item_id):
            try:
                key = int(_text(item_id))
            except ValueError:
                key = None
            item = items.get(key) if key is not None else None
            if item is None:
                problems.append(RowProblem(line, _("No item of this plan has the number of this row.")))
                continue
            if key in seen:
                problems.append(
                    RowProblem(
                        line,
                        _("The item is also on row %(row)s; keep one row per item.") % {"row": seen[key]},
                    )
                )
                continue
            seen[key] = line
            if _text(version) != str(item.version):
                problems.append(
                    RowProblem(
                        line,
                        _("The item was changed after this workbook was exported; export the ledger again."),
                    )
                )
                continue

        plan_row = RowPlan(row=line, item=item, version=item.version if item else None)
        task = _text(cells[1])
        title, _newline, target = task.partition("\n")
        title, target = title.strip(), target.strip()
        if not title:
            problem(_("The task is empty."))

        def change(column: str, old: str, new: str, plan_row: RowPlan = plan_row) -> None:
            plan_row.changes.append(CellChange(column, old, new))

        # Task: the title, with the target on the lines under it (as the export writes it).
        if item is None or title != item.title or target != (item.target or "").strip():
            old = "" if item is None else (f"{item.title}\n{item.target}" if item.target else item.title)
            if title:
                change(columns.task, old, task)
                plan_row.fields.update(title=title, target=target)

        leader_name = _text(cells[2])
        if item is None or leader_name != item.leader_name:
            found = directory.leader(leader_name) if leader_name else None
            if leader_name and not found:
                problem(_("Unknown county leader %(name)s.") % {"name": leader_name})
            elif isinstance(found, list):
                problem(_("The name %(name)s fits several people.") % {"name": leader_name})
            elif item is not None or found:
                change(columns.leader, item.leader_name if item else "", leader_name)
                plan_row.fields["lead_leader"] = found

        unit_name = _text(cells[3])
        if item is None or unit_name != item.unit_name:
            found = directory.unit(unit_name) if unit_name else None
            if unit_name and not found:
                problem(_("Unknown unit %(name)s.") % {"name": unit_name})
            elif isinstance(found, list):
                problem(_("The name %(name)s fits several units.") % {"name": unit_name})
            elif item is not None or found:
                change(columns.unit, item.unit_name if item else "", unit_name)
                plan_row.fields["lead_unit"] = found

        co_text = _text(cells[4])
        co_names = [name.strip() for name in _SEPARATORS.split(co_text) if name.strip()]
        old_co = [name for _pk, name in item.co_units] if item else []
        if co_names != old_co and (item is not None or co_names):
            resolved = []
            for name in co_names:
                found = directory.unit(name)
                if not found or isinstance(found, list):
                    problem(_("Unknown unit %(name)s.") % {"name": name})
                else:
                    resolved.append(found)
            old_pks = {pk for pk, _name in item.co_units} if item else set()
            if {unit.pk for unit in resolved} != old_pks:
                change(columns.co_units, "、".join(old_co), "、".join(co_names))
                plan_row.co_units = resolved

        try:
            deadline = read_date(cells[5])
        except (ValueError, TypeError):
            problem(_("The deadline %(value)s is not a date.") % {"value": _text(cells[5])})
        else:
            if (item is None and deadline) or (item is not None and deadline != item.due_date):
                change(columns.deadline, _date_text(item.due_date if item else None), _date_text(deadline))
                plan_row.fields["due_date"] = deadline

        try:
            progress = read_progress(cells[6])
        except (ValueError, TypeError):
            problem(
                _("The progress %(value)s is not a percentage between 0 and 100.")
                % {"value": _text(cells[6])}
            )
        else:
            if item is None:
                if progress:
                    change(columns.progress, "", _percent_text(progress))
                    plan_row.fields["progress"] = progress
            elif progress is not None and progress != item.progress:
                if item.unit_id is None and "lead_unit" not in plan_row.fields:
                    problem(_("The item has no responsible unit to report the progress for."))
                change(columns.progress, _percent_text(item.progress), _percent_text(progress))
                plan_row.progress = progress

        try:
            new_status = read_status(cells[7], statuses)
        except ValueError:
            problem(_("Unknown status %(value)s.") % {"value": _text(cells[7])})
        else:
            if new_status and (item is None or new_status != item.status):
                old = status_labels[item.status] if item else ""
                change(columns.status, old, status_labels[new_status])
                plan_row.fields["status"] = new_status

        problems.extend(RowProblem(line, message) for message in row_problems)
        if row_problems:
            continue
        if plan_row.changes:
            plans.append(plan_row)
        else:
            unchanged += 1
    return RoundTripPreview(plan=plan, rows=plans, problems=problems, unchanged=unchanged)


def apply_round_trip(
    user: Any, plan: Plan, source: str | IO[bytes], *, today: date | None = None
) -> RoundTripResult:
    """Write every change of the workbook, or nothing: RoundTripError names the rows that stop it."""
    today = today or timezone.localdate()
    period = f"{today.year}-{today.month:02d}"
    with transaction.atomic():
        preview = preview_round_trip(user, plan, source)
        if not preview.ok:
            raise RoundTripError(preview.problems)
        updated = reports = created = 0
        # The items to change, locked, with what the services read of them; one changed since the
        # preview read it (between the two, in another transaction) is refused like a stale row.
        current = {
            item.pk: item
            for item in policy.visible_items(user)
            .filter(pk__in=[row.item.pk for row in preview.updated])
            .select_for_update(of=("self",))
            .select_related("plan__region", "node", "lead_leader__region", "lead_unit__region")
        }
        for row in preview.rows:
            try:
                if row.is_new:
                    plan_services.create_item(user, plan, co_units=row.co_units, **row.fields)
                    created += 1
                    continue
                item = current[row.item.pk]
                if item.version != row.version:
                    raise ConflictError(_("The item was changed after this workbook was exported."))
                if row.fields or row.co_units is not None:
                    item = plan_services.update_item(
                        user, item, expected_version=row.version, co_units=row.co_units, **row.fields
                    )
                    updated += 1
                if row.progress is not None:
                    supervision_services.enter_report_for_unit(
                        user,
                        item,
                        unit=item.lead_unit,
                        period=period,
                        text=_("Progress brought up to date from the ledger workbook: %(progress)s")
                        % {"progress": _percent_text(row.progress)},
                        progress=row.progress,
                        evidence_text=_("Ledger workbook, row %(row)s") % {"row": row.row},
                    )
                    reports += 1
            except PermissionDenied:
                raise
            except ServiceError as exc:  # ConflictError too: a stale row
                raise RoundTripError([RowProblem(row.row, exc.message)]) from exc
    return RoundTripResult(items_updated=updated, reports_entered=reports, items_created=created)
