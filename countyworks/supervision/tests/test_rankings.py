"""Unit rankings: the pure tally on plain rows, then `unit_rankings()` on the cast's plan."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from countyworks.plans import cadence as reporting
from countyworks.plans.models import ItemStatus, WorkItem
from countyworks.regions.models import Organisation
from countyworks.supervision import services
from countyworks.supervision.models import ProgressReport
from countyworks.supervision.rankings import (
    ItemRow,
    UnitRanking,
    periods_due,
    rank,
    score,
    tally_unit,
    unit_rankings,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
YEAR = (date(2023, 1, 1), date(2023, 12, 31))


def row(
    progress=0.0, completed=False, completed_on=None, start=YEAR[0], end=YEAR[1], overdue=False
) -> ItemRow:
    return ItemRow(
        start=start,
        end=end,
        progress=progress,
        completed=completed,
        completed_on=completed_on,
        overdue=overdue,
    )


def months_due(row_, start, as_of):
    return [(p.start.year, p.start.month) for p in periods_due(row_, start, as_of)]


def test_it_owes_the_months_of_a_span_across_a_new_year():
    spanning = row(start=date(2023, 11, 15), end=date(2024, 2, 1))
    assert months_due(spanning, date(2023, 1, 1), date(2024, 3, 1)) == [
        (2023, 11),
        (2023, 12),
        (2024, 1),
        (2024, 2),
    ]
    assert months_due(spanning, date(2023, 1, 1), date(2023, 10, 1)) == []


def test_it_owes_reports_only_while_the_item_runs():
    assert months_due(row(start=date(2023, 4, 10)), date(2023, 1, 1), date(2023, 6, 30)) == [
        (2023, 4),
        (2023, 5),
        (2023, 6),
    ]
    finished = row(completed=True, completed_on=date(2023, 2, 5))
    assert months_due(finished, date(2023, 1, 1), date(2023, 6, 30)) == [(2023, 1), (2023, 2)]
    assert months_due(row(start=date(2023, 9, 1)), date(2023, 1, 1), date(2023, 6, 30)) == []


def test_a_quarterly_item_owes_one_report_a_quarter_and_a_late_window_counts_the_next_month():
    quarterly = ItemRow(
        start=YEAR[0], end=YEAR[1], progress=0, completed=False, completed_on=None, cadence="quarterly"
    )
    assert [p.key for p in periods_due(quarterly, YEAR[0], date(2023, 7, 1))] == [
        "2023-Q1",
        "2023-Q2",
        "2023-Q3",
    ]
    # A report on 2 April is too late for Q1 (window = the quarter) and early for nothing else.
    tally = tally_unit(1, "甲", [quarterly], [{date(2023, 2, 1), date(2023, 4, 2)}], *YEAR, date(2023, 6, 30))
    assert (tally.reports_due, tally.reports_on_time) == (2, 2)
    windowed = ItemRow(
        start=YEAR[0],
        end=YEAR[1],
        progress=0,
        completed=False,
        completed_on=None,
        window=reporting.Window(opens_before_end=6, closes_after_end=5),
    )
    # The 25th-to-5th window: January's report may come on 3 February; February's window opens on
    # the 22nd (28 - 6), so on 10 February only January is owed.
    assert [p.key for p in periods_due(windowed, YEAR[0], date(2023, 2, 10))] == ["2023-01"]
    tally = tally_unit(1, "甲", [windowed], [{date(2023, 2, 3)}], *YEAR, date(2023, 2, 10))
    assert (tally.reports_due, tally.reports_on_time) == (1, 1)
    tally = tally_unit(1, "甲", [windowed], [{date(2023, 1, 10)}], *YEAR, date(2023, 2, 10))
    assert tally.reports_on_time == 0  # 10 January is before January's window opened


def test_it_tallies_rates_and_overdue_items_for_one_unit():
    rows = [
        row(progress=100, completed=True, completed_on=date(2023, 2, 20), end=date(2023, 3, 31)),
        row(progress=40, end=date(2023, 2, 28), overdue=True),  # overdue on 31 March (status.py decides)
        row(progress=60),
    ]
    reported = [
        {date(2023, 1, 9), date(2023, 2, 3)},
        {date(2023, 1, 30), date(2023, 1, 31)},
        {date(2023, 1, 5), date(2023, 3, 12)},
    ]
    tally = tally_unit(7, "县水利局", rows, reported, date(2023, 1, 1), date(2023, 3, 31), date(2023, 3, 31))
    # Months owed: 2 (Jan-Feb, completed in Feb) + 2 (Jan-Feb, due in Feb) + 3 = 7; on time 2 + 1 + 2 = 5.
    assert (tally.items, tally.completed, tally.overdue) == (3, 1, 1)
    assert (tally.reports_due, tally.reports_on_time) == (7, 5)
    assert tally.on_time_rate == round(5 / 7, 4) and tally.completion_rate == round(1 / 3, 4)
    assert tally.average_progress == pytest.approx(66.67)
    assert tally.score == score(5 / 7, 1 / 3, 200 / 3, 1)


def test_it_does_not_count_a_completion_after_the_period():
    late = row(progress=100, completed=True, completed_on=date(2023, 5, 1))
    tally = tally_unit(1, "甲", [late], [set()], date(2023, 1, 1), date(2023, 3, 31), date(2023, 3, 31))
    assert tally.completed == 0 and tally.reports_due == 3


def test_it_scores_a_unit_with_nothing_due_as_fully_on_time():
    tally = tally_unit(1, "甲", [row(start=date(2023, 6, 1))], [set()], *YEAR, date(2023, 3, 1))
    assert (tally.reports_due, tally.on_time_rate) == (0, 1.0)


def test_the_score_follows_its_documented_weights_and_never_goes_below_zero():
    assert score(1, 1, 100, 0) == 100
    assert score(0.5, 0.25, 50, 1) == 20 + 10 + 10 - 5
    assert score(0, 0, 0, 3) == 0


def test_it_breaks_score_ties_by_fewer_overdue_items_then_by_name():
    def ranking(name, score_, overdue):
        return UnitRanking(1, name, 1, 0, overdue, 0, 0, 1, 0, 0, score_)

    ordered = rank([ranking("乙", 50, 1), ranking("丙", 50, 0), ranking("甲", 60, 3), ranking("丁", 50, 0)])
    assert [r.unit_name for r in ordered] == ["甲", "丁", "丙", "乙"]


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI)


def test_it_ranks_the_lead_units_of_a_plan_from_the_database(cast):
    WorkItem.objects.filter(pk=cast.item_a.pk).update(
        status=ItemStatus.COMPLETED, progress=100, completed_on=date(2023, 3, 15)
    )
    WorkItem.objects.filter(pk=cast.item_b.pk).update(status=ItemStatus.IN_PROGRESS, progress=30)
    for month in (1, 2, 3):
        report = services.submit_report(
            cast.reporter_a, cast.item_a, period=f"2023-0{month}", text="推进", progress=30
        )
        ProgressReport.objects.filter(pk=report.pk).update(submitted_at=at(date(2023, month, 20)))
    report = services.submit_report(cast.reporter_b, cast.item_b, period="2023-02", text="推进", progress=30)
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=at(date(2023, 2, 20)))

    rankings = unit_rankings(cast.plan, date(2023, 1, 1), date(2023, 3, 31), today=date(2023, 6, 1))
    assert [r.unit_id for r in rankings] == [cast.unit_a.pk, cast.unit_b.pk]
    first, second = rankings
    assert (first.items, first.completed, first.reports_due, first.reports_on_time) == (1, 1, 3, 3)
    assert (first.on_time_rate, first.completion_rate, first.average_progress, first.score) == (
        1,
        1,
        100,
        100,
    )
    assert (second.reports_due, second.reports_on_time, second.completion_rate) == (3, 1, 0)
    assert second.unit_name == "县文化和旅游局" and second.overdue == 0


def test_it_counts_overdue_items_as_of_today_when_the_period_is_still_running(cast):
    WorkItem.objects.filter(pk=cast.item_b.pk).update(due_date=date(2023, 4, 30))
    rankings = {r.unit_id: r for r in unit_rankings(cast.plan, *YEAR, today=date(2023, 5, 10))}
    assert rankings[cast.unit_b.pk].overdue == 1 and rankings[cast.unit_a.pk].overdue == 0
    # Reports are owed only up to today: January to April for item b, January to May for item a.
    assert rankings[cast.unit_b.pk].reports_due == 4 and rankings[cast.unit_a.pk].reports_due == 5


def test_it_ranks_a_region_and_leaves_out_cancelled_deleted_and_other_county_items(cast):
    WorkItem.objects.filter(pk=cast.item_b.pk).update(status=ItemStatus.CANCELLED)
    extra = WorkItem.objects.create(plan=cast.plan, title="已删除事项", lead_unit=cast.unit_b)
    extra.soft_delete()
    elsewhere = Organisation.objects.create(name="长子县某局", region=cast.other_county)
    other_plan = cast.plan.__class__.objects.create(region=cast.other_county, year=2023, title="长子台账")
    WorkItem.objects.create(plan=other_plan, title="外县事项", lead_unit=elsewhere)
    rankings = unit_rankings(cast.county, *YEAR, today=date(2023, 6, 1))
    assert [r.unit_id for r in rankings] == [cast.unit_a.pk]


def test_it_reads_the_database_in_a_fixed_number_of_queries(cast):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            unit_rankings(cast.plan, *YEAR, today=date(2023, 6, 1))
        return len(captured)

    few = queries()
    for number in range(5):
        unit = Organisation.objects.create(name=f"测试单位{number}", region=cast.county)
        WorkItem.objects.create(plan=cast.plan, title=f"事项{number}", lead_unit=unit)
    assert queries() == few


def test_it_refuses_a_period_that_ends_before_it_starts(cast):
    with pytest.raises(ValueError):
        unit_rankings(cast.plan, date(2023, 12, 31), date(2023, 1, 1))


def test_a_report_counts_in_the_local_month_it_was_submitted(cast):
    """The database works out the month (in Asia/Shanghai), not Python: 20:00 UTC on 31 January is
    already 1 February in the county."""
    WorkItem.objects.filter(pk=cast.item_a.pk).update(start_date=date(2023, 2, 1), due_date=date(2023, 2, 28))
    report = services.submit_report(cast.reporter_a, cast.item_a, period="2023-02", text="推进", progress=30)
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=datetime(2023, 1, 31, 20, tzinfo=UTC))
    rankings = {r.unit_id: r for r in unit_rankings(cast.plan, *YEAR, today=date(2023, 6, 1))}
    assert (rankings[cast.unit_a.pk].reports_due, rankings[cast.unit_a.pk].reports_on_time) == (1, 1)
    # 15:59 UTC is 23:59 on 31 January in Shanghai: January, before the item started.
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=datetime(2023, 1, 31, 15, 59, tzinfo=UTC))
    rankings = {r.unit_id: r for r in unit_rankings(cast.plan, *YEAR, today=date(2023, 6, 1))}
    assert rankings[cast.unit_a.pk].reports_on_time == 0
