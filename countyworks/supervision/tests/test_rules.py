"""The light rules on plain dataclasses: every branch and every boundary, no database."""

from datetime import date

import pytest

from countyworks.supervision import rules
from countyworks.supervision.rules import Assessment, ItemFacts, Thresholds

DEFAULTS = Thresholds()
YEAR_START = date(2023, 1, 1)
YEAR_END = date(2023, 12, 31)  # 364 days after 1 January


def facts(progress: float = 0, status: str = "in_progress", start=YEAR_START, due=YEAR_END) -> ItemFacts:
    return ItemFacts(start_date=start, due_date=due, progress=progress, status=status, plan_year=2023)


def test_it_expects_nothing_before_the_start_and_everything_from_the_due_date():
    assert rules.expected_progress(date(2023, 3, 1), date(2023, 3, 11), date(2023, 2, 1)) == 0
    assert rules.expected_progress(date(2023, 3, 1), date(2023, 3, 11), date(2023, 3, 1)) == 0
    assert rules.expected_progress(date(2023, 3, 1), date(2023, 3, 11), date(2023, 3, 6)) == 50
    assert rules.expected_progress(date(2023, 3, 1), date(2023, 3, 11), date(2023, 3, 11)) == 100
    assert rules.expected_progress(date(2023, 3, 1), date(2023, 3, 11), date(2024, 1, 1)) == 100


def test_it_handles_an_item_that_starts_and_ends_on_one_day():
    day = date(2023, 5, 4)
    assert rules.expected_progress(day, day, date(2023, 5, 3)) == 0
    assert rules.expected_progress(day, day, day) == 100


def test_it_starts_an_undated_item_on_the_first_of_january_of_its_plan_year():
    undated = facts(start=None, due=date(2023, 1, 11))
    assert rules.period_start(undated) == date(2023, 1, 1)
    assessed = rules.assess(undated, date(2023, 1, 6), Thresholds(due_soon_days=0))
    assert assessed.expected == 50


def test_it_does_not_rate_an_item_without_a_due_date():
    assert rules.assess(facts(due=None), date(2023, 6, 1), DEFAULTS) == Assessment("none", None, None, False)


def test_it_marks_a_completed_item_done_even_without_a_due_date():
    # So the count of done lights equals the count of completed items on every surface.
    done = rules.assess(facts(due=None, status="completed"), date(2023, 6, 1), DEFAULTS)
    assert done == Assessment("done", None, None, False)


@pytest.mark.parametrize("status", ["cancelled", "suspended"])
def test_it_does_not_rate_a_cancelled_or_suspended_item(status):
    past_due = rules.assess(facts(status=status), date(2024, 2, 1), DEFAULTS)
    assert past_due.light == "none" and past_due.overdue is False


def test_it_marks_a_completed_item_done_even_past_its_due_date():
    assessed = rules.assess(facts(progress=100, status="completed"), date(2024, 3, 1), DEFAULTS)
    assert assessed.light == "done" and assessed.overdue is False


def test_it_marks_an_item_past_due_red_and_overdue_even_when_nearly_finished():
    assessed = rules.assess(facts(progress=99), date(2024, 1, 1), DEFAULTS)
    assert assessed == Assessment("red", 100, 1, True)


def test_it_is_not_overdue_on_the_due_date_itself():
    assessed = rules.assess(facts(progress=95), YEAR_END, DEFAULTS)
    assert assessed.overdue is False and assessed.light == "yellow"  # due today counts as due soon


# Day 182 after 1 January 2023 is 2 July: expected = 182/364 = 50.0 exactly.
HALF_YEAR = date(2023, 7, 2)


@pytest.mark.parametrize(
    ("progress", "light"),
    [
        (60, "green"),  # ahead
        (50, "green"),  # on time
        (40, "green"),  # behind by exactly the yellow threshold: not more than it
        (39.99, "yellow"),  # just past the yellow threshold
        (20, "yellow"),  # behind by exactly the red threshold
        (19.99, "red"),  # just past the red threshold
        (0, "red"),
    ],
)
def test_it_colours_by_points_behind_with_strict_boundaries(progress, light):
    assessed = rules.assess(facts(progress=progress), HALF_YEAR, DEFAULTS)
    assert assessed.expected == 50
    assert assessed.light == light
    assert assessed.overdue is False


@pytest.mark.parametrize(("days_left", "light"), [(8, "green"), (7, "yellow"), (1, "yellow"), (0, "yellow")])
def test_it_turns_yellow_when_due_within_the_due_soon_days(days_left, light):
    today = date(2023, 6, 1)
    due = date.fromordinal(today.toordinal() + days_left)
    on_track = facts(progress=100 * (today - YEAR_START).days / (due - YEAR_START).days + 1, due=due)
    assert rules.assess(on_track, today, DEFAULTS).light == light


def test_it_takes_thresholds_from_the_caller_not_from_code():
    strict = Thresholds(yellow_behind_points=2, red_behind_points=5, due_soon_days=0)
    assert rules.assess(facts(progress=47), HALF_YEAR, strict).light == "yellow"
    assert rules.assess(facts(progress=44), HALF_YEAR, strict).light == "red"
    assert rules.assess(facts(progress=44), HALF_YEAR, DEFAULTS).light == "green"


def test_it_lets_database_overrides_win_only_where_they_are_set():
    merged = DEFAULTS.overridden_by(yellow_behind_points=5, red_behind_points=None, due_soon_days=0)
    assert merged == Thresholds(yellow_behind_points=5, red_behind_points=30, due_soon_days=0)


@pytest.mark.parametrize(
    ("status", "day", "reported", "due"),
    [
        ("in_progress", 25, False, True),
        ("in_progress", 24, False, False),  # before the reminder day
        ("in_progress", 28, True, False),  # already reported this month
        ("not_started", 28, False, False),
        ("completed", 28, False, False),
    ],
)
def test_it_chases_a_missing_monthly_report_only_from_the_reminder_day(status, day, reported, due):
    assert rules.monthly_report_is_due(status, date(2023, 11, day), reported, DEFAULTS) is due


@pytest.mark.parametrize(
    ("streak", "open_notice", "escalates"),
    [(2, False, False), (3, False, True), (5, False, True), (3, True, False)],
)
def test_it_escalates_after_the_configured_red_runs_unless_a_notice_is_open(streak, open_notice, escalates):
    assert rules.red_streak_escalates(streak, DEFAULTS, open_notice) is escalates


def test_it_never_escalates_when_escalation_is_switched_off():
    assert rules.red_streak_escalates(99, Thresholds(escalate_after_red_runs=0), False) is False


def test_it_keys_reports_by_month():
    assert rules.month_key(date(2023, 3, 9)) == "2023-03"
