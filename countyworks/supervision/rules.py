"""Supervision rules: expected progress (序时进度) and the traffic light of a work item.

Pure Python (no Django) so every branch is tested without a database. The engine
(`supervision/engine.py`) feeds items in as `ItemFacts` and writes the `Assessment` back.

The light, in order of precedence:
- `none`  the item is cancelled or suspended, or (not completed and) has no due date: nothing to
          measure against;
- `done`  the item is completed (with or without a due date);
- `red`   overdue (past its due date, not completed) or behind expected progress by more than
          the red threshold;
- `yellow` behind by more than the yellow threshold, or due within `due_soon_days` days;
- `green` otherwise (on or ahead of time, or behind by no more than the yellow threshold).
"Behind by more than" is strict: exactly 10 points behind with a threshold of 10 is green. The
comparison is exact (rational arithmetic on the days elapsed, not on a rounded 序时进度), so the SQL
translation in `supervision/status.py`, which compares whole numbers, gives the same light on every day.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from countyworks.plans import cadence

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
    progress: float | Decimal
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


def expected_share(start: date, due: date, today: date) -> Fraction:
    """Exact share of the period start→due elapsed on `today`, in percent (0 before start, 100 from due)."""
    if today >= due:
        return Fraction(100)
    if today <= start:
        return Fraction(0)
    return Fraction(100 * (today - start).days, (due - start).days)


def expected_progress(start: date, due: date, today: date) -> float:
    """序时进度 as shown: the elapsed share in percent, rounded to two places for display."""
    return round(float(expected_share(start, due, today)), 2)


def exact(number: float | int | Decimal) -> Fraction:
    # Through the decimal text, so 39.99 typed as a float means 39.99 and not its binary neighbour.
    return Fraction(Decimal(str(number)))


def behind_by_more_than(
    start: date, due: date, today: date, progress: float | Decimal, points: float
) -> bool:
    """Expected progress minus actual progress exceeds `points`, compared exactly."""
    return expected_share(start, due, today) - exact(progress) > exact(points)


def assess(facts: ItemFacts, today: date, thresholds: Thresholds) -> Assessment:
    if facts.status in INACTIVE_STATES:
        return Assessment(NONE, None, None, False)
    if facts.due_date is None:
        return Assessment(DONE if facts.status == COMPLETED else NONE, None, None, False)
    start, due = period_start(facts), facts.due_date
    expected = expected_progress(start, due, today)
    behind = round(expected - float(facts.progress), 2)
    if facts.status == COMPLETED:
        return Assessment(DONE, expected, behind, False)
    overdue = today > due
    if overdue or behind_by_more_than(start, due, today, facts.progress, thresholds.red_behind_points):
        light = RED
    elif behind_by_more_than(
        start, due, today, facts.progress, thresholds.yellow_behind_points
    ) or is_due_soon(due, today, thresholds):
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


def report_is_chased(
    status: str, period: cadence.Period, today: date, reported: bool, thresholds: Thresholds
) -> bool:
    """A missing report of an item under way is chased while its period's window is open: a monthly
    period with the default window (the month itself) from the reminder day on, as before cycles
    existed; any other cycle or window from the day the window opens."""
    if status != "in_progress" or reported or not period.takes(today):
        return False
    calendar_month = (
        period.start.day == 1
        and period.start.month == period.end.month
        and (period.end + timedelta(days=1)).day == 1
    )
    default_window = period.opens == period.start and period.closes == period.end
    return not (calendar_month and default_window) or today.day >= thresholds.report_reminder_day


def red_streak_escalates(streak: int, thresholds: Thresholds, has_open_notice: bool) -> bool:
    """An item red on N consecutive runs gets an automatic notice, unless one is still open."""
    return (
        not has_open_notice
        and thresholds.escalate_after_red_runs > 0
        and streak >= (thresholds.escalate_after_red_runs)
    )


# Report periods (issue 12, with issue 19's cycles). A report's period is stored as 2024, 2024-Q4,
# 2024-11, 2024-11-H1 (上半月) or 2024-W05 (第5周); people write it as 2024年第四季度, 2024年四季度,
# 2024年10月, 2024年度, 2024年11月上半月 or 2024年第5周. `parse_period` reads any of these into the
# stored form; `current_report_periods` lists those a reporter picks from.
_CHINESE_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_PERIOD_FORMS = (
    re.compile(
        r"^(?P<year>\d{4})(?:-(?P<month>0?[1-9]|1[0-2])(?:-?H(?P<half>[12]))?|-?Q(?P<quarter>[1-4])"
        r"|-?W(?P<week>0?[1-9]|[1-4][0-9]|5[0-3]))?$",
        re.IGNORECASE,
    ),
    re.compile(r"^(?P<year>\d{4})年?(?:第?(?P<quarter>[一二三四1-4])季度|Q(?P<q>[1-4]))$", re.IGNORECASE),
    re.compile(r"^(?P<year>\d{4})年(?P<month>0?[1-9]|1[0-2])月份?(?:(?P<cnhalf>[上下])半月)?$"),
    re.compile(r"^(?P<year>\d{4})年第?(?P<week>0?[1-9]|[1-4][0-9]|5[0-3])周$"),
    re.compile(r"^(?P<year>\d{4})年度?$"),
)


def parse_period(text: str) -> str | None:
    """The stored form (2024, 2024-Q4, 2024-10, 2024-10-H1, 2024-W05) of a period written in figures
    or Chinese words; None when it is not a period (or names a week the year does not have)."""
    cleaned = unicodedata.normalize("NFKC", text or "").replace(" ", "").strip()
    if any(char.isdigit() and not char.isascii() for char in cleaned):
        # Full-width digits became ASCII above; other scripts' digits (٢٠٢٣) are a typo, not a year.
        return None
    for form in _PERIOD_FORMS:
        match = form.match(cleaned)
        if not match:
            continue
        parts = match.groupdict()
        year = int(parts["year"])
        if not 1900 <= year <= 2100:
            return None
        if parts.get("week"):
            stored = f"{year:04d}-W{int(parts['week']):02d}"
            return stored if cadence.key_range(stored) else None
        if parts.get("month"):
            half = parts.get("half") or {"上": "1", "下": "2"}.get(parts.get("cnhalf") or "")
            return f"{year:04d}-{int(parts['month']):02d}" + (f"-H{half}" if half else "")
        quarter = parts.get("quarter") or parts.get("q")
        if quarter:
            return f"{year:04d}-Q{_CHINESE_QUARTERS[quarter]}"
        return f"{year:04d}"
    return None


def quarter_key(day: date) -> str:
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


def current_report_periods(today: date, schedule: cadence.Schedule | None = None) -> list[str]:
    """What a reporter reports for around `today`, most likely first: the periods of the item's
    cycle whose window is open today and the one before (when a schedule is given), then this month,
    last month, this quarter, last quarter and this year (stored forms)."""
    periods: list[str] = []
    if schedule is not None:
        open_now = schedule.open_on(today)
        periods += [period.key for period in reversed(open_now)]
        earlier = (open_now[0].start if open_now else today) - timedelta(days=1)
        if earlier >= schedule.start:
            periods.append(schedule.period_for(earlier).key)
    last_month = date(today.year, today.month, 1) - timedelta(days=1)
    last_quarter = date(today.year, (today.month - 1) // 3 * 3 + 1, 1) - timedelta(days=1)
    periods += [month_key(today), month_key(last_month), quarter_key(today), quarter_key(last_quarter)]
    periods.append(f"{today.year:04d}")
    return list(dict.fromkeys(periods))
