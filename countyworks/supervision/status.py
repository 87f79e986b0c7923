"""The one derivation of an item's traffic light and overdue flag, for any day, in the database.

`rules.assess` is the rule. Nothing stores its result on the item: a light depends on the day
(an item turns overdue at midnight with nobody writing anything), so every screen, export, report,
portal page and API answer derives it for the day it is about, from the item's facts (start, due,
progress, status, the plan's year) and the thresholds in force.

Lists and counts need it inside SQL (a province dashboard counts 36,000 items by light), so this
module translates the rule into expressions: `annotate()` adds `light` and `is_overdue` to any
queryset of work items — or of their history rows, which carry the same columns, so a past day
can be rebuilt from history. The translation compares whole numbers only (days elapsed and
hundredths of a percentage point), which is what makes it equal to the rule's exact comparison;
`tests/test_status.py` holds the two equal on random items and days on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateField,
    Expression,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Round
from django.db.models.lookups import GreaterThan, LessThan
from django.utils import timezone

from countyworks.supervision import rules
from countyworks.supervision.rules import Thresholds
from countyworks.supervision.thresholds import current_thresholds

Q_SET = TypeVar("Q_SET", bound=QuerySet)

# Item states as stored in plans.ItemStatus.
OPEN_STATES = ("not_started", "in_progress")
INACTIVE_STATES = tuple(sorted(rules.INACTIVE_STATES))


class _YearStart(Func):
    """1 January of a year given as a number."""

    output_field = DateField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        return super().as_sql(
            compiler, connection, template="make_date(CAST(%(expressions)s AS integer), 1, 1)"
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        # Dates are ISO text on SQLite; plan years always have four digits.
        return super().as_sql(compiler, connection, template="(CAST(%(expressions)s AS TEXT) || '-01-01')")


class _DaysBetween(Func):
    """`later - earlier` in whole days."""

    arity = 2
    output_field = IntegerField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        # date - date is an integer number of days on PostgreSQL.
        return super().as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ")

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        return super().as_sql(
            compiler,
            connection,
            template="CAST(ROUND(julianday(%(expressions)s)) AS INTEGER)",
            arg_joiner=") - julianday(",
        )


def _hundredths(points: float | int) -> int:
    """A threshold in hundredths of a percentage point (progress is stored with two places)."""
    return int(round(rules.exact(points) * 100))


def _behind_by_more_than(day: date, start: Expression, points: float, prefix: str) -> Q:
    """The SQL form of `rules.behind_by_more_than` for stored progress (two decimal places).

    expected − progress > points, with expected = 100 · elapsed / span, becomes
    10000 · elapsed > (progress·100 + points·100) · span in whole numbers.
    """
    today = Value(day, output_field=DateField())
    progress = Cast(Round(F(f"{prefix}progress") * 100), IntegerField())
    floor = progress + Value(_hundredths(points))
    due = F(f"{prefix}due_date")
    ended = Q(**{f"{prefix}due_date__lte": day})
    # As in the rule: from the due date on 100 % is expected, on or before the start 0 %.
    begun = ~ended & Q(LessThan(start, today))
    not_begun = ~ended & ~Q(LessThan(start, today))
    return (
        (ended & Q(GreaterThan(Value(10000), floor)))
        | (not_begun & Q(GreaterThan(Value(0), floor)))
        | (
            begun
            & Q(
                GreaterThan(
                    _DaysBetween(today, start) * Value(10000),
                    floor * _DaysBetween(due, start),
                )
            )
        )
    )


def light_expression(day: date, thresholds: Thresholds, prefix: str = "") -> Case:
    """`rules.assess(...).light` as a SQL expression over the item columns under `prefix`."""
    start = Coalesce(F(f"{prefix}start_date"), _YearStart(F(f"{prefix}plan__year")), output_field=DateField())
    status, due = f"{prefix}status", f"{prefix}due_date"
    due_soon = Q(**{f"{due}__gte": day, f"{due}__lte": day + timedelta(days=thresholds.due_soon_days)})
    return Case(
        When(Q(**{f"{status}__in": INACTIVE_STATES}), then=Value(rules.NONE)),
        When(Q(**{status: rules.COMPLETED}), then=Value(rules.DONE)),
        When(Q(**{f"{due}__isnull": True}), then=Value(rules.NONE)),
        When(Q(**{f"{due}__lt": day}), then=Value(rules.RED)),
        When(_behind_by_more_than(day, start, thresholds.red_behind_points, prefix), then=Value(rules.RED)),
        When(
            _behind_by_more_than(day, start, thresholds.yellow_behind_points, prefix) | due_soon,
            then=Value(rules.YELLOW),
        ),
        default=Value(rules.GREEN),
        output_field=CharField(),
    )


def overdue_q(day: date, prefix: str = "") -> Q:
    """Past its due date on `day` and neither completed, suspended nor cancelled."""
    return Q(**{f"{prefix}due_date__lt": day, f"{prefix}status__in": OPEN_STATES})


def due_soon_q(day: date, thresholds: Thresholds, prefix: str = "") -> Q:
    """Open and due from `day` to `due_soon_days` days later: the reminders' and the dashboard's list."""
    return Q(
        **{
            f"{prefix}status__in": OPEN_STATES,
            f"{prefix}due_date__gte": day,
            f"{prefix}due_date__lte": day + timedelta(days=thresholds.due_soon_days),
        }
    )


def overdue_expression(day: date, prefix: str = "") -> Case:
    return Case(
        When(overdue_q(day, prefix), then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def annotate(queryset: Q_SET, day: date | None = None, thresholds: Thresholds | None = None) -> Q_SET:
    """The queryset with `light` and `is_overdue` for `day` (today by default) under `thresholds`."""
    day = day or timezone.localdate()
    thresholds = thresholds or current_thresholds()
    return queryset.annotate(light=light_expression(day, thresholds), is_overdue=overdue_expression(day))


def facts_of(item: Any) -> rules.ItemFacts:
    """The rule's input from a work item (or a history row of one)."""
    return rules.ItemFacts(
        start_date=item.start_date,
        due_date=item.due_date,
        progress=item.progress,
        status=item.status,
        plan_year=item.plan.year,
    )


def assess(item: Any, day: date | None = None, thresholds: Thresholds | None = None) -> rules.Assessment:
    """The rule for one item in Python: light, 序时进度, points behind and overdue."""
    return rules.assess(facts_of(item), day or timezone.localdate(), thresholds or current_thresholds())


def end_of_day(day: date) -> datetime:
    """The first instant after `day` in the site's time zone (history is kept to the microsecond)."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def history_as_of(day: date, item_ids: Any = None) -> QuerySet:
    """Each work item as it stood at the end of `day`, rebuilt from its history rows.

    One historical row per item that existed then and was not deleted (soft or hard) by then; the rows
    carry the item's columns (`id` is the item's id), so `annotate(history_as_of(day), day)` gives the
    lights, overdue flags and progress a screen showed that day. `item_ids` (ids or a subquery) limits it.
    """
    from countyworks.plans.models import WorkItem

    until = end_of_day(day)
    rows = WorkItem.history.filter(history_date__lt=until)
    if item_ids is not None:
        rows = rows.filter(id__in=item_ids)
    latest = (
        WorkItem.history.filter(id=OuterRef("id"), history_date__lt=until)
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return (
        rows.filter(history_id=Subquery(latest))
        .exclude(history_type="-")
        .filter(Q(deleted_at__isnull=True) | Q(deleted_at__gte=until))
    )
