"""Import a county's task table (任务分解表) into a plan: preview, then create every item or none.

`preview_import()` reads the workbook (`plans/task_table.py`), matches leaders (regions.Person)
and units (regions.Organisation) of the plan's region by name, and lists what would be created;
it writes nothing. `run_import()` does the same and then, in one transaction, creates any missing
leaders and units (only when asked) and every item through `plans.services.create_item`; the
first bad row stops it with its row number and reason, and the transaction leaves the database
as it was. The upload screen (`import_views.py`) and `countyworks import_tasks` share this module;
the workbook loading and the problems-per-row error come from `core/spreadsheet_import.py`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from countyworks.accounts import policy
from countyworks.core.services import PermissionDenied, ServiceError
from countyworks.core.sheet_reader import CellProblem
from countyworks.core.spreadsheet_import import RowProblem, SpreadsheetImportError, read_workbook
from countyworks.plans import services
from countyworks.plans.models import ItemKind, ItemStatus, Plan, ReportCadence, WorkItem
from countyworks.plans.task_table import ParsedTable, TableRow, read_task_table
from countyworks.regions.models import Organisation, OrganisationKind, Person, Region

# Names that stand for many units (各乡镇, 相关单位): kept in the description, never created as a unit.
COLLECTIVE_PREFIXES = ("各", "相关", "有关", "县直各", "全县各")


class TaskImportError(SpreadsheetImportError):
    """The task table cannot be imported as it is; `problems` names each bad row."""


@dataclass(slots=True)
class PlannedRow:
    source: TableRow
    lead_unit: Organisation | None
    lead_unit_name: str
    co_units: list[Organisation | str]  # a string is a unit still to be created
    lead_leader: Person | None
    lead_leader_name: str
    collective_units: list[str] = field(default_factory=list)  # 各乡镇: kept as text, not a unit

    @property
    def status_label(self) -> str:
        return str(ItemStatus(self.source.status).label) if self.source.status else ""

    @property
    def kind_label(self) -> str:
        return str(ItemKind(self.source.kind).label) if self.source.kind else ""

    @property
    def cadence_label(self) -> str:
        return str(ReportCadence(self.source.cadence).label) if self.source.cadence else ""


@dataclass(slots=True)
class ImportPreview:
    plan: Plan
    sheet: str = ""
    header_row: int = 0
    rows: list[PlannedRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    new_units: list[str] = field(default_factory=list)  # in order of first appearance
    new_leaders: list[str] = field(default_factory=list)
    # The first row naming each new unit or leader, for an error that points at a line.
    first_row_of: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(slots=True)
class ImportResult:
    plan_id: int
    items_created: int
    units_created: list[str]
    leaders_created: list[str]
    dry_run: bool
    item_ids: list[int]

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan_id,
            "items_created": self.items_created,
            "units_created": self.units_created,
            "leaders_created": self.leaders_created,
            "dry_run": self.dry_run,
            "item_ids": self.item_ids,
        }


def _problem_text(problem: CellProblem) -> str:
    messages = {
        "no_header": _(
            "No header row found: the sheet needs a row with the columns 任务内容 and 责任单位 "
            "(within its first 30 rows)."
        ),
        "no_title": _("column %(column)s is empty."),
        "too_long": _("column %(column)s is longer than 300 characters."),
        "bad_date": _(
            "column %(column)s: cannot read “%(value)s” as a date (write e.g. 2023年12月底 or 2023.12.31)."
        ),
        "bad_progress": _(
            "column %(column)s: “%(value)s” is not a progress between 0 and 100 (write e.g. 60%%)."
        ),
        "bad_status": _(
            "column %(column)s: unknown status “%(value)s” (use 未开始, 推进中, 已完成, 暂缓 or 已取消)."
        ),
        "bad_kind": _(
            "column %(column)s: unknown kind “%(value)s” (use 重点项目, 民生实事, 整改事项, 调研课题, "
            "专项行动 or 重点工作)."
        ),
        "bad_cadence": _(
            "column %(column)s: unknown reporting frequency “%(value)s” (use 每周, 每半月, 每月, 每季度 or 一次性)."
        ),
    }
    return messages[problem.code] % {"column": problem.column, "value": problem.value}


def _strip_region(name: str, region: Region) -> str:
    """ "壶关县发改局", "县发改局" and "发改局" all reduce to "发改局"."""
    for prefix in (region.full_name, region.name, "县"):
        if prefix and name.startswith(prefix) and len(name) > len(prefix):
            name = name[len(prefix) :]
    return name


class _Directory:
    """Names of one region's units and people, with the matching rules of the import."""

    def __init__(self, region: Region) -> None:
        self.region = region
        self.units = list(Organisation.objects.filter(region=region))
        self.people = list(Person.objects.filter(region=region))

    def _pick(self, candidates: Iterable[Any]) -> list[Any]:
        return list({obj.pk: obj for obj in candidates}.values())

    def unit(self, written: str) -> Organisation | None | list[Organisation]:
        """The unit, None if unknown, or the candidates when a name is ambiguous."""
        short = _strip_region(written, self.region)
        for test in (
            lambda u: u.name == written,
            lambda u: u.short_name == written,
            lambda u: _strip_region(u.name, self.region) == short,
            lambda u: bool(u.short_name) and _strip_region(u.short_name, self.region) == short,
        ):
            found = self._pick(u for u in self.units if test(u))
            if len(found) == 1:
                return found[0]
            if found:
                return found
        return None

    def leader(self, written: str) -> Person | None | list[Person]:
        for test in (
            lambda p: p.name == written,
            # 县长张三 → 张三: a title written in front of a known name.
            lambda p: len(p.name) >= 2 and written.endswith(p.name),
        ):
            found = self._pick(p for p in self.people if test(p))
            if len(found) > 1:
                leaders = [p for p in found if p.is_county_leader]
                found = leaders if len(leaders) == 1 else found
            if len(found) == 1:
                return found[0]
            if found:
                return found
        return None


# A unit or leader to be created must fit its column (PostgreSQL refuses longer names with a 500).
_UNIT_NAME_LIMIT = Organisation._meta.get_field("name").max_length
_LEADER_NAME_LIMIT = Person._meta.get_field("name").max_length


def _name_too_long(line: int, name: str, limit: int) -> RowProblem:
    return RowProblem(
        line,
        _("the name “%(name)s…” is longer than %(limit)s characters.") % {"name": name[:20], "limit": limit},
    )


def preview_import(plan: Plan, source: str | IO[bytes]) -> ImportPreview:
    """Read and match without writing anything."""
    table: ParsedTable = read_task_table(read_workbook(source, TaskImportError), plan.year)
    preview = ImportPreview(plan=plan, sheet=table.sheet, header_row=table.header_row)
    preview.problems = [RowProblem(p.row, _problem_text(p)) for p in table.problems]
    if not table.rows and not table.problems:
        preview.problems.append(RowProblem(0, _("The table has no task rows.")))
    directory = _Directory(plan.region)
    existing_titles = set(WorkItem.objects.filter(plan=plan).values_list("title", flat=True))
    seen_titles: dict[str, int] = {}
    for source_row in table.rows:
        line = source_row.row
        if source_row.title in existing_titles:
            preview.problems.append(
                RowProblem(
                    line, _("the plan already has an item titled “%(title)s”.") % {"title": source_row.title}
                )
            )
            continue
        if source_row.title in seen_titles:
            preview.problems.append(
                RowProblem(
                    line,
                    _("the same task already appears on row %(row)s.")
                    % {"row": seen_titles[source_row.title]},
                )
            )
            continue
        seen_titles[source_row.title] = line
        units: list[Organisation | str] = []
        collective = []
        for name in [*source_row.units, *source_row.co_units]:
            if name.startswith(COLLECTIVE_PREFIXES):
                collective.append(name)
                continue
            match = directory.unit(name)
            if isinstance(match, list):
                preview.problems.append(
                    RowProblem(
                        line,
                        _("the unit “%(name)s” matches several units: %(candidates)s.")
                        % {"name": name, "candidates": "、".join(u.name for u in match)},
                    )
                )
                continue
            if match is None:
                if len(name) > _UNIT_NAME_LIMIT:
                    preview.problems.append(_name_too_long(line, name, _UNIT_NAME_LIMIT))
                    continue
                if name not in preview.new_units:
                    preview.new_units.append(name)
                    preview.first_row_of.setdefault(f"unit:{name}", line)
                match = name
            if match not in units:
                units.append(match)
        leader: Person | None = None
        leader_name = source_row.leaders[0] if source_row.leaders else ""
        if leader_name:
            found = directory.leader(leader_name)
            if isinstance(found, list):
                preview.problems.append(
                    RowProblem(
                        line,
                        _("the leader “%(name)s” matches several people: %(candidates)s.")
                        % {"name": leader_name, "candidates": "、".join(str(p) for p in found)},
                    )
                )
                continue
            if found is None and len(leader_name) > _LEADER_NAME_LIMIT:
                preview.problems.append(_name_too_long(line, leader_name, _LEADER_NAME_LIMIT))
                continue
            if found is None and leader_name not in preview.new_leaders:
                preview.new_leaders.append(leader_name)
                preview.first_row_of.setdefault(f"leader:{leader_name}", line)
            leader = found
        lead = units[0] if source_row.units and units and source_row.units[0] not in collective else None
        preview.rows.append(
            PlannedRow(
                source=source_row,
                lead_unit=lead if isinstance(lead, Organisation) else None,
                lead_unit_name=source_row.units[0] if source_row.units else "",
                co_units=units[1:] if lead is not None else units,
                lead_leader=leader,
                lead_leader_name=leader_name,
                collective_units=collective,
            )
        )
    preview.problems.sort(key=lambda p: p.row)
    return preview


def _item_fields(
    planned: PlannedRow, units: dict[str, Organisation], leaders: dict[str, Person]
) -> dict[str, Any]:
    row = planned.source
    progress = row.progress
    status = row.status
    if status is None:
        status = (
            ItemStatus.NOT_STARTED
            if not progress
            else ItemStatus.COMPLETED
            if progress >= 100
            else ItemStatus.IN_PROGRESS
        )
    if progress is None:
        progress = Decimal(100) if status == ItemStatus.COMPLETED else Decimal(0)
    notes = []
    if len(row.leaders) > 1:
        notes.append(_("Lead county leaders: %(names)s") % {"names": "、".join(row.leaders)})
    if planned.collective_units:
        notes.append(_("Also responsible: %(names)s") % {"names": "、".join(planned.collective_units)})
    description = "\n".join(notes)
    return {
        "number": row.number,
        "title": row.title,
        "kind": row.kind or ItemKind.ROUTINE,
        "lead_unit": planned.lead_unit or units.get(planned.lead_unit_name),
        "lead_leader": planned.lead_leader or leaders.get(planned.lead_leader_name),
        "due_date": row.due_date,
        "report_cadence": row.cadence or "",
        "progress": progress,
        "status": status,
        "description": description,
    }


class _DryRunRollback(Exception):
    pass


def run_import(
    user: Any,
    plan: Plan,
    source: str | IO[bytes],
    *,
    create_missing: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    """Create every row's item, or nothing: raises TaskImportError naming the first bad rows."""
    if not policy.can_manage_plan(user, plan.region):
        raise PermissionDenied(_("Only the supervision office imports task tables into a plan."))
    preview = preview_import(plan, source)
    if preview.problems:
        raise TaskImportError(preview.problems)
    if not create_missing and (preview.new_units or preview.new_leaders):
        problems = [
            RowProblem(
                preview.first_row_of[f"unit:{name}"],
                _(
                    "no unit named “%(name)s” in %(region)s (create it first, or import with --create-missing)."
                )
                % {"name": name, "region": plan.region.name},
            )
            for name in preview.new_units
        ] + [
            RowProblem(
                preview.first_row_of[f"leader:{name}"],
                _(
                    "no county leader named “%(name)s” in %(region)s (create it first, or import with --create-missing)."
                )
                % {"name": name, "region": plan.region.name},
            )
            for name in preview.new_leaders
        ]
        raise TaskImportError(sorted(problems, key=lambda p: p.row))
    result = ImportResult(
        plan_id=plan.pk,
        items_created=0,
        units_created=list(preview.new_units),
        leaders_created=list(preview.new_leaders),
        dry_run=dry_run,
        item_ids=[],
    )
    try:
        with transaction.atomic():
            units = {
                name: Organisation.objects.create(name=name, region=plan.region, kind=_guess_kind(name))
                for name in preview.new_units
            }
            leaders = {
                name: Person.objects.create(name=name, region=plan.region, is_county_leader=True)
                for name in preview.new_leaders
            }
            for planned in preview.rows:
                co_units = [units[u] if isinstance(u, str) else u for u in planned.co_units]
                try:
                    item = services.create_item(
                        user, plan, co_units=co_units, **_item_fields(planned, units, leaders)
                    )
                except ServiceError as exc:
                    raise TaskImportError([RowProblem(planned.source.row, exc.message)]) from exc
                result.item_ids.append(item.pk)
            result.items_created = len(result.item_ids)
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        result.item_ids = []
    return result


def _guess_kind(name: str) -> str:
    if name.endswith(("镇", "乡", "镇人民政府", "乡人民政府")):
        return OrganisationKind.TOWN
    if name.endswith(("公司", "集团")):
        return OrganisationKind.ENTERPRISE
    if name.endswith(("医院", "卫生院")):
        return OrganisationKind.HOSPITAL
    if name.endswith(("学校", "中学", "小学")):
        return OrganisationKind.SCHOOL
    if name.endswith("景区"):
        return OrganisationKind.SCENIC_AREA
    return OrganisationKind.DEPARTMENT
