"""Reporting cycles as pure period arithmetic (plans/cadence.py)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from countyworks.plans import cadence
from countyworks.plans.cadence import Schedule, Window

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))
CALENDAR_CADENCES = st.sampled_from([cadence.WEEKLY, cadence.SEMIMONTHLY, cadence.MONTHLY, cadence.QUARTERLY])
WINDOWS = st.builds(Window, st.one_of(st.none(), st.integers(0, 31)), st.integers(0, 31))


@given(CALENDAR_CADENCES, DAYS, st.integers(0, 400), WINDOWS)
def test_periods_tile_the_span_without_gaps_or_overlaps(kind, first, length, window):
    last = first + timedelta(days=length)
    periods = cadence.periods_overlapping(kind, first, last, window)
    assert periods[0].start <= first and periods[-1].end >= last
    for earlier, later in zip(periods, periods[1:], strict=False):
        assert later.start == earlier.end + timedelta(days=1)
    for period in periods:
        # Each key reads back to its own days, and its window never opens before its first day.
        assert cadence.key_range(period.key) == (period.start, period.end)
        assert period.start <= period.opens <= period.end < period.closes + timedelta(days=1)
        assert period.closes == period.end + timedelta(days=window.closes_after_end)
    assert len({p.key for p in periods}) == len(periods)


@given(CALENDAR_CADENCES, DAYS)
def test_the_period_of_a_day_holds_that_day(kind, day):
    period = cadence.period_of(kind, day)
    assert period.start <= day <= period.end
    assert period.takes(day)  # the default window is the period itself


def test_the_keys_of_each_cadence():
    day = date(2023, 5, 20)
    assert cadence.period_of(cadence.WEEKLY, day).key == "2023-W20"
    assert cadence.period_of(cadence.SEMIMONTHLY, day).key == "2023-05-H2"
    assert cadence.period_of(cadence.SEMIMONTHLY, date(2023, 5, 15)).key == "2023-05-H1"
    assert cadence.period_of(cadence.MONTHLY, day).key == "2023-05"
    assert cadence.period_of(cadence.QUARTERLY, day).key == "2023-Q2"
    once = cadence.period_of(cadence.ONCE, day, span=(date(2023, 3, 1), date(2023, 9, 30)))
    assert (once.key, once.start, once.end) == ("2023", date(2023, 3, 1), date(2023, 9, 30))
    # ISO weeks: 1 January 2021 belongs to week 53 of 2020.
    assert cadence.period_of(cadence.WEEKLY, date(2021, 1, 1)).key == "2020-W53"


def test_a_25th_to_5th_window():
    window = Window(opens_before_end=6, closes_after_end=5)
    may = cadence.period_of(cadence.MONTHLY, date(2023, 5, 10), window)
    assert (may.opens, may.closes) == (date(2023, 5, 25), date(2023, 6, 5))
    june = cadence.period_of(cadence.MONTHLY, date(2023, 6, 10), window)
    assert june.opens == date(2023, 6, 24)  # a 30-day month: six days before its end
    schedule = Schedule(date(2023, 1, 1), date(2023, 12, 31), cadence.MONTHLY, window)
    assert [p.key for p in schedule.open_on(date(2023, 6, 3))] == ["2023-05"]
    assert schedule.open_on(date(2023, 6, 10)) == []
    # A report for May on 3 June is on time, on 6 June late.
    assert not cadence.is_late("2023-05", date(2023, 6, 5), schedule)
    assert cadence.is_late("2023-05", date(2023, 6, 6), schedule)


def test_owed_periods_follow_the_items_span_and_the_opened_windows():
    schedule = Schedule(date(2023, 3, 10), date(2023, 8, 20), cadence.QUARTERLY)
    assert [p.key for p in schedule.owed(date(2023, 1, 1), date(2023, 8, 20), date(2023, 12, 31))] == [
        "2023-Q1",
        "2023-Q2",
        "2023-Q3",
    ]
    # The item's own span clips its first and last period.
    first = schedule.periods(date(2023, 1, 1), date(2023, 12, 31))[0]
    assert first.start == date(2023, 1, 1)  # the quarter itself, not the item's start
    assert [p.key for p in schedule.owed(date(2023, 1, 1), date(2023, 8, 20), date(2023, 5, 1))] == [
        "2023-Q1",
        "2023-Q2",
    ]


def test_a_one_off_report_is_due_by_the_items_deadline():
    schedule = Schedule(date(2023, 3, 1), date(2023, 9, 30), cadence.ONCE, Window(closes_after_end=3))
    assert [p.key for p in schedule.owed(date(2023, 1, 1), date(2023, 9, 30), date(2023, 12, 31))] == ["2023"]
    assert not cadence.is_late("2023", date(2023, 10, 3), schedule)
    assert cadence.is_late("2023", date(2023, 10, 4), schedule)


def test_a_months_assessment_asks_for_the_periods_whose_window_closes_in_it():
    window = Window(opens_before_end=6, closes_after_end=5)
    monthly = Schedule(date(2023, 1, 1), date(2023, 12, 31), cadence.MONTHLY, window)
    assert [p.key for p in monthly.closing_in(date(2023, 6, 1), date(2023, 6, 30), date(2023, 12, 31))] == [
        "2023-05"
    ]
    quarterly = Schedule(date(2023, 1, 1), date(2023, 12, 31), cadence.QUARTERLY)
    assert quarterly.closing_in(date(2023, 5, 1), date(2023, 5, 31), date(2023, 12, 31)) == []
    assert [p.key for p in quarterly.closing_in(date(2023, 6, 1), date(2023, 6, 30), date(2023, 12, 31))] == [
        "2023-Q2"
    ]
    weekly = Schedule(date(2023, 1, 1), date(2023, 12, 31), cadence.WEEKLY)
    assert len(weekly.closing_in(date(2023, 6, 1), date(2023, 6, 30), date(2023, 12, 31))) == 4


def test_on_time_needs_a_report_inside_the_window():
    periods = cadence.periods_overlapping(cadence.MONTHLY, date(2023, 1, 1), date(2023, 3, 31))
    assert [p.key for p in cadence.on_time(periods, [date(2023, 1, 31), date(2023, 3, 1)])] == [
        "2023-01",
        "2023-03",
    ]


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("每周", "weekly"),
        ("半月报", "semimonthly"),
        (" 每月 ", "monthly"),
        ("季报", "quarterly"),
        ("一次性", "once"),
    ],
)
def test_the_words_of_a_frequency_column(cell, code):
    assert cadence.parse_cadence(cell) == code


def test_an_unknown_frequency_is_refused_and_a_blank_one_is_none():
    assert cadence.parse_cadence("") is None
    with pytest.raises(ValueError):
        cadence.parse_cadence("每两年")


def test_keys_that_name_no_days_are_not_periods():
    assert cadence.key_range("2023-W54") is None
    assert cadence.key_range("2023-13") is None
    assert cadence.key_range("2023-05-H3") is None
    assert cadence.key_range("2021-W53") is None  # 2021 has 52 ISO weeks
    assert cadence.key_range("2020-W53") == (date(2020, 12, 28), date(2021, 1, 3))


def test_a_window_edge_beyond_a_month_is_refused():
    with pytest.raises(ValueError):
        Window(closes_after_end=40)
