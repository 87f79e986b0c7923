"""Reporting cycles (报送频次): which periods an item owes a progress report for, and when.

Pure Python (no Django), so the ranking, the assessment, the reminders, 我的事项 and the task-table
reader all count periods the same way.

- A **cadence** cuts the year into periods: 每周 (ISO weeks, 2023-W05), 每半月 (1st–15th and
  16th–end, 2023-05-H1 / 2023-05-H2), 每月 (2023-05), 每季度 (2023-Q2), or 一次性: one period, the
  item's whole span, keyed by the year it ends in (2023).
- A **window** says when the report for a period is taken: from `opens_before_end` days before the
  period's last day (or from its first day when unset) to `closes_after_end` days after it. The
  default window is the period itself, which is how a monthly report was counted before cycles
  existed; "the 25th to the 5th" is `opens_before_end=6` (25th of a 31-day month; the 24th of a
  30-day one) and `closes_after_end=5`.
- A period is **owed** once its window has opened, for every period that overlaps the item's span
  (start, or 1 January, to the due date, or the completion day). It is **on time** when a report
  was submitted inside its window; a report submitted after its period's window closed is late.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

WEEKLY = "weekly"
SEMIMONTHLY = "semimonthly"
MONTHLY = "monthly"
QUARTERLY = "quarterly"
ONCE = "once"
CADENCES = (WEEKLY, SEMIMONTHLY, MONTHLY, QUARTERLY, ONCE)
DEFAULT_CADENCE = MONTHLY

# What county tables write in a 报送频次 column.
CADENCE_WORDS: dict[str, str] = {
    "每周": WEEKLY,
    "周报": WEEKLY,
    "一周一报": WEEKLY,
    "每周一报": WEEKLY,
    "每半月": SEMIMONTHLY,
    "半月": SEMIMONTHLY,
    "半月报": SEMIMONTHLY,
    "每半月一报": SEMIMONTHLY,
    "每月": MONTHLY,
    "月报": MONTHLY,
    "一月一报": MONTHLY,
    "每月一报": MONTHLY,
    "每季度": QUARTERLY,
    "每季": QUARTERLY,
    "季报": QUARTERLY,
    "一季一报": QUARTERLY,
    "每季度一报": QUARTERLY,
    "一次性": ONCE,
    "一次": ONCE,
    "办结报送": ONCE,
    "完成后报送": ONCE,
}
LONGEST_WINDOW_DAYS = 31


@dataclass(frozen=True, slots=True)
class Window:
    opens_before_end: int | None = None  # None: the window opens on the period's first day
    closes_after_end: int = 0

    def __post_init__(self) -> None:
        for days in (self.opens_before_end, self.closes_after_end):
            if days is not None and not 0 <= days <= LONGEST_WINDOW_DAYS:
                raise ValueError(
                    f"a window edge must lie within {LONGEST_WINDOW_DAYS} days of the period's end"
                )


DEFAULT_WINDOW = Window()


@dataclass(frozen=True, slots=True)
class Period:
    key: str  # as ProgressReport.period stores it
    start: date
    end: date
    opens: date  # the first day a report for it is taken
    closes: date  # the last day a report for it is on time

    def takes(self, day: date) -> bool:
        return self.opens <= day <= self.closes


def parse_cadence(value: object) -> str | None:
    """The cadence code of a 报送频次 cell (每月, 季报, monthly …); None when blank; ValueError if unknown."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value or "")))
    if not text:
        return None
    if text in CADENCES:
        return text
    if text in CADENCE_WORDS:
        return CADENCE_WORDS[text]
    raise ValueError(text)


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def _bounds(cadence: str, day: date, span: tuple[date, date] | None) -> tuple[str, date, date]:
    """Key, first and last day of the `cadence` period that holds `day`."""
    if cadence == WEEKLY:
        iso = day.isocalendar()
        start = day - timedelta(days=iso.weekday - 1)
        return f"{iso.year:04d}-W{iso.week:02d}", start, start + timedelta(days=6)
    if cadence == SEMIMONTHLY:
        if day.day <= 15:
            return f"{day.year:04d}-{day.month:02d}-H1", day.replace(day=1), day.replace(day=15)
        return f"{day.year:04d}-{day.month:02d}-H2", day.replace(day=16), month_end(day.year, day.month)
    if cadence == MONTHLY:
        return f"{day.year:04d}-{day.month:02d}", day.replace(day=1), month_end(day.year, day.month)
    if cadence == QUARTERLY:
        quarter = (day.month - 1) // 3 + 1
        start = date(day.year, quarter * 3 - 2, 1)
        return f"{day.year:04d}-Q{quarter}", start, month_end(day.year, quarter * 3)
    if cadence == ONCE:
        if span is None:
            raise ValueError("a one-off report needs the item's span")
        return f"{span[1].year:04d}", span[0], span[1]
    raise ValueError(f"unknown cadence {cadence!r}")


def _period(key: str, start: date, end: date, window: Window) -> Period:
    opens = start if window.opens_before_end is None else max(start, end - timedelta(window.opens_before_end))
    return Period(key, start, end, opens, end + timedelta(days=window.closes_after_end))


def period_of(
    cadence: str, day: date, window: Window = DEFAULT_WINDOW, span: tuple[date, date] | None = None
) -> Period:
    """The period of `cadence` that holds `day` (for 一次性, `span` is the item's start and end)."""
    return _period(*_bounds(cadence, day, span), window)


def periods_overlapping(
    cadence: str,
    first: date,
    last: date,
    window: Window = DEFAULT_WINDOW,
    span: tuple[date, date] | None = None,
) -> list[Period]:
    """The periods of `cadence` that share at least a day with first..last, in order."""
    periods: list[Period] = []
    day = first
    while day <= last:
        period = period_of(cadence, day, window, span)
        periods.append(period)
        day = period.end + timedelta(days=1)
    return periods


@dataclass(frozen=True, slots=True)
class Schedule:
    """One item's reporting duty: its cadence, window and span (start to due date or year end)."""

    start: date
    end: date
    cadence: str = DEFAULT_CADENCE
    window: Window = DEFAULT_WINDOW

    def periods(self, first: date, last: date) -> list[Period]:
        """The item's periods overlapping first..last, within its span."""
        first, last = max(first, self.start), min(last, self.end)
        if first > last:
            return []
        return periods_overlapping(self.cadence, first, last, self.window, (self.start, self.end))

    def owed(self, first: date, active_until: date, as_of: date) -> list[Period]:
        """Periods overlapping first..active_until whose window has opened by `as_of`."""
        return [p for p in self.periods(first, active_until) if p.opens <= as_of]

    def closing_in(self, first: date, last: date, active_until: date) -> list[Period]:
        """Periods of the item's active span (to `active_until`) whose window closes in first..last:
        what a month's assessment asks for (a 25th–5th window closes the May report in June)."""
        reach = timedelta(days=LONGEST_WINDOW_DAYS + 92)  # far enough back for a quarter's late window
        return [p for p in self.periods(first - reach, min(last, active_until)) if first <= p.closes <= last]

    def running_to(self, day: date) -> Schedule:
        """The same duty with its span running on to `day`: an unfinished item past its deadline
        keeps reporting on its cycle (我的事项 and the reminders ask it to)."""
        return replace(self, end=max(self.end, day))

    def period_for(self, day: date) -> Period:
        return period_of(self.cadence, day, self.window, (self.start, self.end))

    def open_on(self, day: date) -> list[Period]:
        """The periods whose window holds `day` (two where a late window overlaps the next one)."""
        if day < self.start or day > self.end + timedelta(days=LONGEST_WINDOW_DAYS):
            return []
        reach = timedelta(days=LONGEST_WINDOW_DAYS + 92)
        return [p for p in self.periods(day - reach, day + timedelta(days=31)) if p.takes(day)]


def on_time(periods: Iterable[Period], submitted_on: Iterable[date]) -> list[Period]:
    """The periods with a report submitted inside their window."""
    days = sorted(set(submitted_on))
    return [p for p in periods if any(p.opens <= day <= p.closes for day in days)]


# Stored report periods: 2023, 2023-Q2, 2023-05, 2023-05-H1, 2023-W05.
_KEY = re.compile(
    r"^(?P<year>\d{4})(?:-(?:Q(?P<quarter>[1-4])|W(?P<week>\d{2})|(?P<month>\d{2})(?:-H(?P<half>[12]))?))?$"
)


def key_range(key: str) -> tuple[date, date] | None:
    """First and last day of a stored period key; None when it is not one."""
    match = _KEY.match(key or "")
    if not match:
        return None
    year = int(match["year"])
    try:
        if match["quarter"]:
            quarter = int(match["quarter"])
            return date(year, quarter * 3 - 2, 1), month_end(year, quarter * 3)
        if match["week"]:
            monday = date.fromisocalendar(year, int(match["week"]), 1)
            return monday, monday + timedelta(days=6)
        if match["month"]:
            month = int(match["month"])
            if match["half"] == "1":
                return date(year, month, 1), date(year, month, 15)
            if match["half"] == "2":
                return date(year, month, 16), month_end(year, month)
            return date(year, month, 1), month_end(year, month)
    except ValueError:
        return None
    return date(year, 1, 1), date(year, 12, 31)


def is_late(key: str, submitted_on: date, schedule: Schedule) -> bool:
    """A report for `key` submitted on `submitted_on` came after its window closed. The window is the
    schedule's when the key is one of its periods (a one-off report closes at the item's due date),
    otherwise the key's own dates with the schedule's grace days."""
    bounds = key_range(key)
    if bounds is None:
        return False
    own = schedule.period_for(bounds[1] if schedule.cadence != ONCE else schedule.end)
    if own.key == key:
        return submitted_on > own.closes
    return submitted_on > bounds[1] + timedelta(days=schedule.window.closes_after_end)
