"""Reporting cycles (issue 19) on the records: each item's `Schedule` and what a unit owes now.

The period arithmetic is `plans/cadence.py` (pure). Here an item's schedule is assembled from its
own 报送频次 (WorkItem.report_cadence), else its plan's cycle for its kind, else the plan's cycle
for every kind, else monthly; the window always comes from the plan's cycle (kind first). Every
reader of the duty (the ranking, the assessment, the reminders, 我的事项, the missing-reports view
and the late mark on a report) builds schedules through this module, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from countyworks.accounts import policy
from countyworks.plans import cadence
from countyworks.plans.models import ItemStatus, WorkItem
from countyworks.supervision.models import ProgressReport, ReportingCycle, ReviewState
from countyworks.supervision.status import end_of_day

# Items in these states owe no report (a suspended item reports when it resumes).
_NOT_REPORTING = (ItemStatus.COMPLETED, ItemStatus.CANCELLED, ItemStatus.SUSPENDED)

PlanCycles = dict[str, ReportingCycle]  # kind ("" for every kind) -> the plan's cycle


def cycles_by_plan(plan_ids: Iterable[int], as_of: datetime | None = None) -> dict[int, PlanCycles]:
    """The reporting cycles of these plans, in one query; as they stood at `as_of` when given (from
    their history), so a past month's assessment keeps the cycle then in force."""
    rows = ReportingCycle.history.as_of(as_of) if as_of is not None else ReportingCycle.objects.all()
    found: dict[int, PlanCycles] = {}
    for cycle in rows.filter(plan_id__in=set(plan_ids)):
        found.setdefault(cycle.plan_id, {})[cycle.kind] = cycle
    return found


def build_schedule(
    *,
    plan_year: int,
    kind: str,
    own_cadence: str,
    start_date: date | None,
    due_date: date | None,
    plan_cycles: PlanCycles | None,
) -> cadence.Schedule:
    """An item's schedule from its fields (so values_list rows need not become model instances)."""
    plan_cycles = plan_cycles or {}
    cycle = plan_cycles.get(kind) or plan_cycles.get("")
    return cadence.Schedule(
        start=start_date or date(plan_year, 1, 1),
        end=due_date or date(plan_year, 12, 31),
        cadence=own_cadence or (cycle.cadence if cycle else cadence.DEFAULT_CADENCE),
        window=cycle.window if cycle else cadence.DEFAULT_WINDOW,
    )


def schedule_for(item: WorkItem, plan_cycles: PlanCycles | None = None) -> cadence.Schedule:
    """One item's schedule (reads its plan's cycles unless they are given)."""
    if plan_cycles is None:
        plan_cycles = cycles_by_plan([item.plan_id]).get(item.plan_id, {})
    return build_schedule(
        plan_year=item.plan.year,
        kind=item.kind,
        own_cadence=item.report_cadence,
        start_date=item.start_date,
        due_date=item.due_date,
        plan_cycles=plan_cycles,
    )


def answers(report_period: str, period: cadence.Period) -> bool:
    """A report answers a period when it names it, or names a span of at most a quarter that holds
    it (a quarterly report answers for its months, as offices accept)."""
    if report_period == period.key:
        return True
    bounds = cadence.key_range(report_period)
    return (
        bounds is not None
        and (bounds[1] - bounds[0]).days < 93
        and bounds[0] <= period.start
        and period.end <= bounds[1]
    )


@dataclass(frozen=True)
class DueReport:
    item: WorkItem
    period: str  # the period the report is for, as ProgressReport.period stores it
    returned: bool = False  # a report for the period came back and awaits its correction
    closes: date | None = None  # the last day of the period's reporting window


def due_reports(user: Any, today: date) -> list[DueReport]:
    """The reports `user`'s unit owes on `today`: for each item it leads or co-leads that is under way,
    the periods of the item's cycle whose reporting window is open today and that have no report of the
    unit yet (or only a returned one), oldest deadline first. An unfinished item past its deadline
    keeps reporting on its cycle. Empty for anyone who does not report for a unit."""
    unit = policy.reporting_unit(user)
    if unit is None:
        return []
    items = [
        item
        for item in policy.visible_items(user)
        .exclude(status__in=_NOT_REPORTING)
        .filter(Q(start_date__lte=today) | Q(start_date__isnull=True, plan__year__lte=today.year))
        .select_related("plan__region")
        .prefetch_related("co_units")
        .order_by("due_date", "id")
        if policy.can_report(user, item)
    ]
    plan_cycles = cycles_by_plan(item.plan_id for item in items)
    owed: list[tuple[WorkItem, cadence.Period]] = []
    for item in items:
        schedule = schedule_for(item, plan_cycles.get(item.plan_id, {})).running_to(today)
        owed += [(item, period) for period in schedule.open_on(today)]
    states: dict[int, list[tuple[str, str]]] = {}
    for item_id, period, state in (
        policy.visible_reports(user)
        .filter(item_id__in={item.pk for item, _period in owed}, unit_id=unit)
        .values_list("item_id", "period", "state")
    ):
        states.setdefault(item_id, []).append((period, state))
    due = []
    for item, period in owed:
        found = {state for key, state in states.get(item.pk, []) if answers(key, period)}
        if found - {ReviewState.RETURNED}:
            continue
        due.append(DueReport(item=item, period=period.key, returned=bool(found), closes=period.closes))
    return due


@dataclass(frozen=True)
class Duty:
    """One report one unit owed on one item for one period, and what became of it."""

    unit_id: int
    unit_name: str
    item: WorkItem
    period: cadence.Period
    state: str  # MISSING (window closed, nothing), OPEN (window still open), RETURNED, LATE, ON_TIME

    @property
    def outstanding(self) -> bool:
        return self.state in (MISSING, OPEN, RETURNED)


MISSING, OPEN, RETURNED, LATE, ON_TIME = "missing", "open", "returned", "late", "on_time"


@dataclass
class UnitDuties:
    unit_id: int
    unit_name: str
    duties: list[Duty]

    def count(self, *states: str) -> int:
        return sum(1 for duty in self.duties if duty.state in states)

    @property
    def owed(self) -> int:
        return len(self.duties)

    @property
    def outstanding(self) -> list[Duty]:
        return [duty for duty in self.duties if duty.outstanding]


def report_duties(items: Any, first: date, as_of: date) -> list[UnitDuties]:
    """Per lead unit, every report it owed on `items` for the periods from `first` to `as_of` whose
    window had opened by `as_of`, and whether it came: the missing-reports view. The lead unit
    (牵头单位) gathers and sends the item's report, and the office chases it, as the ranking counts
    it; a co-operating unit may report too (我的事项 offers it) and its report answers as well.
    A report answers a period (cycles.answers); it is late when its `late` mark says so. For a past
    `as_of` the reports are those sent by then, in the state they were in then (their history)."""
    items = list(items.select_related("plan", "lead_unit").order_by("number", "pk"))
    plan_cycles = cycles_by_plan(item.plan_id for item in items)
    if as_of < timezone.localdate():
        until = end_of_day(as_of)
        sent = ProgressReport.history.as_of(until).filter(
            Q(deleted_at__isnull=True) | Q(deleted_at__gte=until)
        )
    else:
        sent = ProgressReport.objects.all()
    reports: dict[int, list[tuple[str, str, bool]]] = {}
    for report in sent.filter(item_id__in=[item.pk for item in items], unit_id__isnull=False):
        reports.setdefault(report.item_id, []).append((report.period, report.state, report.late))
    by_unit: dict[int, UnitDuties] = {}
    for item in items:
        if item.status == ItemStatus.CANCELLED:
            continue
        schedule = schedule_for(item, plan_cycles.get(item.plan_id, {}))
        last = min(schedule.end, as_of)
        if item.status == ItemStatus.COMPLETED and item.completed_on is not None:
            last = min(last, item.completed_on)
        periods = schedule.owed(first, last, as_of)
        if not periods:
            continue
        unit = item.lead_unit
        if unit is None:
            continue
        group = by_unit.setdefault(unit.pk, UnitDuties(unit.pk, unit.name, []))
        for period in periods:
            answered = [
                (state, late) for key, state, late in reports.get(item.pk, []) if answers(key, period)
            ]
            group.duties.append(Duty(unit.pk, unit.name, item, period, _duty_state(answered, period, as_of)))
    return sorted(by_unit.values(), key=lambda g: (-len(g.outstanding), g.unit_name))


def _duty_state(answered: list[tuple[str, bool]], period: cadence.Period, as_of: date) -> str:
    kept = [(state, late) for state, late in answered if state != ReviewState.RETURNED]
    if kept:
        return LATE if all(late for _state, late in kept) else ON_TIME
    if answered:
        return RETURNED
    return OPEN if period.closes >= as_of else MISSING
