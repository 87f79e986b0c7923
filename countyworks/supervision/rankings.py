"""Unit rankings over a period: on-time reporting, completion, overdue items and progress.

`tally_unit()` and `rank()` are pure (plain values in, `UnitRanking` out); `unit_rankings()` reads
the database in three queries, whatever the number of units, and hands the rows to them. The
dashboard and the supervision bulletin both call `unit_rankings()`.

Definitions (per lead unit; co-operating units are not ranked for an item they do not lead):
- items: live, non-cancelled items the unit leads whose period (start, or 1 January of the plan
  year, to the due date, or 31 December of the plan year) overlaps the ranking period — for a
  replayed day (`from_history`), the items as they stood at its end (`status.history_as_of`);
- completed: items completed on or before the period's end (an undated completion counts);
- overdue and red: items overdue, and items whose light is red, on the day the ranking is for
  (the period's end, or today if earlier; the dashboard asks for today), as `supervision/status.py`
  derives them for every other screen — so a unit's 逾期 count is the number of its items the
  ledger marks overdue that day;
- reports due: one per item and period of its reporting cycle (`supervision/cycles.py`; monthly
  unless the office set another) that overlaps the ranking period while the item runs (from its
  start to its due date, and not after the day it was completed) and whose reporting window has
  opened by the as-of day;
- reports on time: those periods for which the unit submitted at least one report on the item
  inside the period's reporting window (for the default monthly cycle: within the month);
- score (0-100, higher is better) = 40 × on-time rate + 40 × completion rate
  + 20 × average progress / 100 − 5 per overdue item, never below 0. Ties go to fewer overdue items,
  then to the name.
- extended: items whose deadline an approved extension (延期申请) moved; they are judged by the new
  deadline (so not overdue for the delay the office granted) and reported as a separate count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from countyworks.plans import cadence as reporting

ON_TIME_WEIGHT = 40
COMPLETION_WEIGHT = 40
PROGRESS_WEIGHT = 20
OVERDUE_PENALTY = 5


@dataclass(frozen=True, slots=True)
class UnitRanking:
    unit_id: int
    unit_name: str
    items: int
    completed: int
    overdue: int
    reports_due: int
    reports_on_time: int
    on_time_rate: float  # 0-1; 1 when nothing was due
    completion_rate: float  # 0-1
    average_progress: float  # 0-100
    score: float
    red: int = 0  # items red on the ranking's day (not part of the score)
    # Items whose deadline an approved extension (延期) moved: counted as what they are, not overdue.
    extended: int = 0


@dataclass(frozen=True, slots=True)
class ItemRow:
    """What the ranking needs of one item (the DB function builds these)."""

    start: date  # start date, or 1 January of the plan year
    end: date  # due date, or 31 December of the plan year
    progress: float
    completed: bool
    completed_on: date | None
    overdue: bool = False  # on the ranking's day, from the one derivation
    red: bool = False
    extended: bool = False  # an approved extension moved the deadline (original_due_date is kept)
    cadence: str = reporting.DEFAULT_CADENCE  # 报送频次 and window, from supervision/cycles.py
    window: reporting.Window = reporting.DEFAULT_WINDOW

    @property
    def schedule(self) -> reporting.Schedule:
        return reporting.Schedule(self.start, self.end, self.cadence, self.window)

    def active_until(self, day: date) -> date:
        """The item's last day of duty up to `day`: its due date, or the day it was completed."""
        last = min(self.end, day)
        if self.completed and self.completed_on is not None:
            last = min(last, self.completed_on)
        return last


def periods_due(row: ItemRow, start: date, as_of: date) -> list[reporting.Period]:
    """The periods from `start` to `as_of` for which this item owed a report."""
    return row.schedule.owed(start, row.active_until(as_of), as_of)


def score(on_time_rate: float, completion_rate: float, average_progress: float, overdue: int) -> float:
    raw = (
        ON_TIME_WEIGHT * on_time_rate
        + COMPLETION_WEIGHT * completion_rate
        + PROGRESS_WEIGHT * average_progress / 100
        - OVERDUE_PENALTY * overdue
    )
    return round(max(raw, 0.0), 2)


def tally_unit(
    unit_id: int,
    unit_name: str,
    rows: list[ItemRow],
    submitted_on: list[set[date]],
    start: date,
    end: date,
    as_of: date,
) -> UnitRanking:
    """One unit's figures; `submitted_on[i]` are the days a report on `rows[i]` was submitted."""
    completed = sum(
        1 for row in rows if row.completed and (row.completed_on is None or row.completed_on <= end)
    )
    overdue = sum(1 for row in rows if row.overdue)
    due = on_time = 0
    for row, days in zip(rows, submitted_on, strict=True):
        owed = periods_due(row, start, as_of)
        due += len(owed)
        on_time += len(reporting.on_time(owed, days))
    on_time_rate = on_time / due if due else 1.0
    completion_rate = completed / len(rows) if rows else 0.0
    average = sum(row.progress for row in rows) / len(rows) if rows else 0.0
    return UnitRanking(
        unit_id=unit_id,
        unit_name=unit_name,
        items=len(rows),
        completed=completed,
        overdue=overdue,
        reports_due=due,
        reports_on_time=on_time,
        red=sum(1 for row in rows if row.red),
        extended=sum(1 for row in rows if row.extended),
        on_time_rate=round(on_time_rate, 4),
        completion_rate=round(completion_rate, 4),
        average_progress=round(average, 2),
        score=score(on_time_rate, completion_rate, average, overdue),
    )


def rank(rankings: Iterable[UnitRanking]) -> list[UnitRanking]:
    return sorted(rankings, key=lambda r: (-r.score, r.overdue, r.unit_name))


def unit_rankings(
    plan_or_region: Any,
    start: date,
    end: date,
    *,
    today: date | None = None,
    lights_on: date | None = None,
    thresholds: Any = None,
    among: Any = None,
    from_history: bool = False,
) -> list[UnitRanking]:
    """Rank the lead units of a plan (or of every plan in a region and below) over start..end.

    Reports are counted up to the as-of day (the period's end, or `today` if earlier); overdue and
    red items are those of `lights_on` (by default that as-of day; the dashboard passes today so
    that its ranking and its lights speak of the same day). `among` (a queryset of items, usually what
    the reader may see) limits the items counted, so a reporter's bulletin ranks only what it may read.
    `from_history` ranks the items as they stood at the as-of day's end (a replayed screen)."""
    from django.db.models import Q
    from django.db.models.functions import TruncDate
    from django.utils import timezone

    from countyworks.accounts.policy import region_prefix
    from countyworks.plans.models import ItemStatus, Plan, WorkItem
    from countyworks.supervision import cycles, status
    from countyworks.supervision.models import ProgressReport

    if end < start:
        raise ValueError("the ranking period ends before it starts")
    as_of = min(end, today or timezone.localdate())
    # A replayed day (`from_history`) is ranked on the items as they stood at its end, rebuilt from
    # their history, so its completion count and average progress speak of the same day as the
    # replayed ledger and bulletin beside it.
    base = status.history_as_of(as_of) if from_history else WorkItem.objects
    items = base.exclude(status=ItemStatus.CANCELLED).filter(lead_unit__isnull=False)
    if isinstance(plan_or_region, Plan):
        items = items.filter(plan=plan_or_region)
    else:
        items = items.filter(plan__region__code__startswith=region_prefix(plan_or_region))
    # Overlap with the period, using the plan year where a date is missing.
    items = items.filter(
        Q(start_date__lte=end) | Q(start_date__isnull=True, plan__year__lte=end.year)
    ).filter(Q(due_date__gte=start) | Q(due_date__isnull=True, plan__year__gte=start.year))
    if among is not None:
        items = items.filter(id__in=among.values("pk"))
    items = status.annotate(items, lights_on or as_of, thresholds)
    # `id` is the item's id on the live rows and on the history rows alike.
    fields = ("id", "lead_unit_id", "lead_unit__name", "start_date", "due_date", "plan__year", "progress")
    item_rows = list(
        items.values_list(
            *fields,
            "status",
            "completed_on",
            "is_overdue",
            "light",
            "original_due_date",
            "plan_id",
            "kind",
            "report_cadence",
        )
    )
    # The database reduces the reports to distinct (item, local day): a county's year holds
    # thousands of reports, and loading and converting each timestamp in Python was most of the
    # dashboard's time. A quarter's window can open up to three months before the ranking starts.
    reach = timedelta(days=92)
    reported: dict[int, set[date]] = {}
    for item_id, day in (
        ProgressReport.objects.filter(
            item_id__in=[row[0] for row in item_rows],
            # Datetime bounds (not __date) keep the index usable.
            submitted_at__gte=timezone.make_aware(datetime.combine(start - reach, time.min)),
            submitted_at__lt=timezone.make_aware(datetime.combine(as_of + timedelta(days=1), time.min)),
        )
        .annotate(day=TruncDate("submitted_at"))
        .order_by()
        .values_list("item_id", "day")
        .distinct()
    ):
        reported.setdefault(item_id, set()).add(day)
    plan_cycles = cycles.cycles_by_plan({row[12] for row in item_rows})

    by_unit: dict[int, tuple[str, list[ItemRow], list[set[date]]]] = {}
    for (
        pk,
        unit_id,
        unit_name,
        start_date,
        due_date,
        year,
        progress,
        state,
        completed_on,
        overdue,
        light,
        original_due,
        plan_id,
        kind,
        own_cadence,
    ) in item_rows:
        schedule = cycles.build_schedule(
            plan_year=year,
            kind=kind,
            own_cadence=own_cadence,
            start_date=start_date,
            due_date=due_date,
            plan_cycles=plan_cycles.get(plan_id),
        )
        row = ItemRow(
            start=schedule.start,
            end=schedule.end,
            progress=float(progress),
            completed=state == ItemStatus.COMPLETED,
            completed_on=completed_on,
            overdue=overdue,
            red=light == status.rules.RED,
            extended=original_due is not None and original_due != due_date,
            cadence=schedule.cadence,
            window=schedule.window,
        )
        name, rows, days = by_unit.setdefault(unit_id, (unit_name, [], []))
        rows.append(row)
        days.append(reported.get(pk, set()))
    return rank(
        tally_unit(unit_id, name, rows, days, start, end, as_of)
        for unit_id, (name, rows, days) in by_unit.items()
    )
