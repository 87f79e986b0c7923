"""Supervision rules: expected progress (序时进度) and the traffic light of a work item.

Pure Python (no Django) so every branch is tested without a database. The engine
(`supervision/engine.py`) feeds items in as `ItemFacts` and writes the `Assessment` back.

The light, in order of precedence:
- `none`  the item has no due date, or is cancelled or suspended (nothing to measure against);
- `done`  the item is completed;
- `red`   overdue (past its due date, not completed) or behind expected progress by more than
          the red threshold;
- `yellow` behind by more than the yellow threshold, or due within `due_soon_days` days;
- `green` otherwise (on or ahead of time, or behind by no more than the yellow threshold).
"Behind by more than" is strict: exactly 10 points behind with a threshold of 10 is green.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

NONE = "none"
GREEN = "green"
YELLOW = "yellow"
RED = "red"
DONE = "done"

# Item states as stored in plans.ItemStatus (kept as strings here to stay Django-free).
COMPLETED = "completed"
INACTIVE_STATES = frozenset({"cancelled", "suspended"})


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The configurable numbers of the rules; settings give defaults, the database row overrides."""

    yellow_behind_points: float = 10
    red_behind_points: float = 30
    due_soon_days: int = 7
    escalate_after_red_runs: int = 3
    report_reminder_day: int = 25

    def overridden_by(self, **overrides: float | int | None) -> Thresholds:
        """A copy where every override that is not None wins (None means "keep the setting")."""
        return replace(self, **{name: value for name, value in overrides.items() if value is not None})


@dataclass(frozen=True, slots=True)
class ItemFacts:
    start_date: date | None
    due_date: date | None
    progress: float
    status: str
    plan_year: int


@dataclass(frozen=True, slots=True)
class Assessment:
    light: str
    expected: float | None  # 序时进度 in percentage points, None without a due date
    behind: float | None  # expected minus actual progress (negative when ahead)
    overdue: bool


def period_start(facts: ItemFacts) -> date:
    """An item without a start date runs from 1 January of its plan's year."""
    return facts.start_date or date(facts.plan_year, 1, 1)


def expected_progress(start: date, due: date, today: date) -> float:
    """Share of the period start→due elapsed on `today`, in percent (0 before start, 100 from due)."""
    if today >= due:
        return 100.0
    if today <= start:
        return 0.0
    return 100.0 * (today - start).days / (due - start).days


def assess(facts: ItemFacts, today: date, thresholds: Thresholds) -> Assessment:
    if facts.status in INACTIVE_STATES or facts.due_date is None:
        return Assessment(NONE, None, None, False)
    expected = round(expected_progress(period_start(facts), facts.due_date, today), 2)
    behind = round(expected - facts.progress, 2)
    if facts.status == COMPLETED:
        return Assessment(DONE, expected, behind, False)
    overdue = today > facts.due_date
    if overdue or behind > thresholds.red_behind_points:
        light = RED
    elif behind > thresholds.yellow_behind_points or is_due_soon(facts.due_date, today, thresholds):
        light = YELLOW
    else:
        light = GREEN
    return Assessment(light, expected, behind, overdue)


def is_due_soon(due: date, today: date, thresholds: Thresholds) -> bool:
    """Due today or within the next `due_soon_days` days."""
    return 0 <= (due - today).days <= thresholds.due_soon_days


def month_key(day: date) -> str:
    """The progress-report period of a day's month, as services.validate_period writes it."""
    return f"{day.year:04d}-{day.month:02d}"


def monthly_report_is_due(
    status: str, today: date, reported_this_month: bool, thresholds: Thresholds
) -> bool:
    """An item under way owes a monthly report; from the reminder day on, a missing one is chased."""
    return status == "in_progress" and today.day >= thresholds.report_reminder_day and not reported_this_month


def red_streak_escalates(streak: int, thresholds: Thresholds, has_open_notice: bool) -> bool:
    """An item red on N consecutive runs gets an automatic notice, unless one is still open."""
    return (
        not has_open_notice
        and thresholds.escalate_after_red_runs > 0
        and streak >= (thresholds.escalate_after_red_runs)
    )
