"""Unit rankings over a period: on-time reporting, completion, overdue items and progress.

`tally_unit()` and `rank()` are pure (plain values in, `UnitRanking` out); `unit_rankings()` reads
the database in three queries, whatever the number of units, and hands the rows to them. The
dashboard and the supervision bulletin both call `unit_rankings()`.

Definitions (per lead unit; co-operating units are not ranked for an item they do not lead):
- items: live, non-cancelled items the unit leads whose period (start, or 1 January of the plan
  year, to the due date, or 31 December of the plan year) overlaps the ranking period;
- completed: items completed on or before the period's end (an undated completion counts);
- overdue and red: items overdue, and items whose light is red, on the day the ranking is for
  (the period's end, or today if earlier; the dashboard asks for today), as `supervision/status.py`
  derives them for every other screen — so a unit's 逾期 count is the number of its items the
  ledger marks overdue that day;
- reports due: one per item and calendar month of the period up to the as-of day, while the item
  runs (from its start month to its due month, and not after the month it was completed);
- reports on time: those months in which the unit submitted at least one report on the item;
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


def months_between(first: date, last: date) -> list[tuple[int, int]]:
    """Calendar months (year, month) from `first`'s month to `last`'s, both included."""
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def months_due(row: ItemRow, start: date, as_of: date) -> list[tuple[int, int]]:
    """The months of the period in which this item owed a monthly report."""
    last = min(row.end, as_of)
    if row.completed and row.completed_on is not None:
        last = min(last, row.completed_on)
    return months_between(max(row.start, start), last) if max(row.start, start) <= last else []


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
    reported_months: list[set[tuple[int, int]]],
    start: date,
    end: date,
    as_of: date,
) -> UnitRanking:
    """One unit's figures; `reported_months[i]` are the months with a report on `rows[i]`."""
    completed = sum(
        1 for row in rows if row.completed and (row.completed_on is None or row.completed_on <= end)
    )
    overdue = sum(1 for row in rows if row.overdue)
    due = on_time = 0
    for row, reported in zip(rows, reported_months, strict=True):
        owed = months_due(row, start, as_of)
        due += len(owed)
        on_time += sum(1 for month in owed if month in reported)
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
) -> list[UnitRanking]:
    """Rank the lead units of a plan (or of every plan in a region and below) over start..end.

    Reports are counted up to the as-of day (the period's end, or `today` if earlier); overdue and
    red items are those of `lights_on` (by default that as-of day; the dashboard passes today so
    that its ranking and its lights speak of the same day). `among` (a queryset of items, usually what
    the reader may see) limits the items counted, so a reporter's bulletin ranks only what it may read."""
    from django.db.models import Q
    from django.db.models.functions import ExtractMonth, ExtractYear
    from django.utils import timezone

    from countyworks.accounts.policy import region_prefix
    from countyworks.plans.models import ItemStatus, Plan, WorkItem
    from countyworks.supervision import status
    from countyworks.supervision.models import ProgressReport

    if end < start:
        raise ValueError("the ranking period ends before it starts")
    as_of = min(end, today or timezone.localdate())
    items = WorkItem.objects.exclude(status=ItemStatus.CANCELLED).filter(lead_unit__isnull=False)
    if isinstance(plan_or_region, Plan):
        items = items.filter(plan=plan_or_region)
    else:
        items = items.filter(plan__region__code__startswith=region_prefix(plan_or_region))
    # Overlap with the period, using the plan year where a date is missing.
    items = items.filter(
        Q(start_date__lte=end) | Q(start_date__isnull=True, plan__year__lte=end.year)
    ).filter(Q(due_date__gte=start) | Q(due_date__isnull=True, plan__year__gte=start.year))
    if among is not None:
        items = items.filter(pk__in=among.values("pk"))
    items = status.annotate(items, lights_on or as_of, thresholds)
    fields = ("pk", "lead_unit_id", "lead_unit__name", "start_date", "due_date", "plan__year", "progress")
    item_rows = list(
        items.values_list(*fields, "status", "completed_on", "is_overdue", "light", "original_due_date")
    )
    reported: dict[int, set[tuple[int, int]]] = {}
    # The database reduces the reports to distinct (item, local year, local month): a county's year
    # holds thousands of reports, and loading and converting each timestamp in Python was most of
    # the dashboard's time.
    reported_months = (
        ProgressReport.objects.filter(
            item_id__in=[row[0] for row in item_rows],
            # Datetime bounds (not __date) keep the index usable.
            submitted_at__gte=timezone.make_aware(datetime.combine(start, time.min)),
            submitted_at__lt=timezone.make_aware(datetime.combine(as_of + timedelta(days=1), time.min)),
        )
        .annotate(local_year=ExtractYear("submitted_at"), local_month=ExtractMonth("submitted_at"))
        .order_by()
        .values_list("item_id", "local_year", "local_month")
        .distinct()
    )
    for item_id, year, month in reported_months:
        reported.setdefault(item_id, set()).add((year, month))

    by_unit: dict[int, tuple[str, list[ItemRow], list[set[tuple[int, int]]]]] = {}
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
    ) in item_rows:
        row = ItemRow(
            start=start_date or date(year, 1, 1),
            end=due_date or date(year, 12, 31),
            progress=float(progress),
            completed=state == ItemStatus.COMPLETED,
            completed_on=completed_on,
            overdue=overdue,
            red=light == status.rules.RED,
            extended=original_due is not None and original_due != due_date,
        )
        name, rows, months = by_unit.setdefault(unit_id, (unit_name, [], []))
        rows.append(row)
        months.append(reported.get(pk, set()))
    return rank(
        tally_unit(unit_id, name, rows, months, start, end, as_of)
        for unit_id, (name, rows, months) in by_unit.items()
    )
