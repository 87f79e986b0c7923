"""The 2023 demo as a year at work: every item led by a unit and a leader by title, and a history
that replays month by month (status.history_as_of)."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from django.utils import timezone

from countyworks.demo import facts, year
from countyworks.demo.services import load_demo
from countyworks.plans.models import WorkItem
from countyworks.supervision import status
from countyworks.supervision.models import ProgressReport, ReviewState


def test_monthly_progress_climbs_and_done_items_end_at_100():
    for key in year.LEADS:
        for completed in (True, False):
            steps = year.monthly_progress(key, completed)
            values = [v for _, v, _ in steps]
            assert values == sorted(values) and len(set(values)) == len(values)
            assert values[-1] == year.final_progress(key, completed)
            assert [done for _, _, done in steps].count(True) == (1 if completed else 0)
            assert all(1 <= month <= 12 for month, _, _ in steps)


@pytest.fixture
def demo(db):
    return load_demo(with_activity=False)


def test_every_2023_item_has_a_lead_unit_and_a_leader_by_title(demo):
    items = WorkItem.objects.filter(plan__year=year.YEAR).select_related("lead_unit", "lead_leader")
    assert items.count() == len(year.LEADS)
    for item in items:
        assert item.lead_unit is not None, item.title
        assert item.lead_leader is not None and item.lead_leader.name in year.LEADERS.values(), item.title
        assert year.ILLUSTRATIVE in item.lead_leader.title


def test_the_year_replays_month_by_month_with_the_lights_of_a_working_year(demo):
    ids = WorkItem.objects.filter(plan__year=year.YEAR).values("pk")

    def state(day):
        return {r.id: r for r in status.annotate(status.history_as_of(day, ids), day)}

    march, june, october = state(date(2023, 3, 31)), state(date(2023, 6, 30)), state(date(2023, 10, 31))
    assert len(march) == len(june) == len(october) == len(year.LEADS)
    # Progress only grows, and by June some work is done, some ahead, some behind.
    for pk, row in june.items():
        assert march[pk].progress <= row.progress <= october[pk].progress
    lights = Counter(r.light for r in june.values())
    assert lights["done"] and lights["green"] and lights["yellow"]
    assert Counter(r.light for r in october.values())["done"] > lights["done"]
    # Before the year began no item existed.
    assert not state(date(2022, 12, 31))


def test_a_second_load_writes_no_new_history(demo):
    before = WorkItem.history.count()
    load_demo(with_activity=False)
    assert WorkItem.history.count() == before


def test_monthly_reports_run_from_january_to_the_month_done_or_december():
    for key in year.LEADS:
        for completed in (True, False):
            reports = year.monthly_reports(key, completed)
            months = [r.month for r in reports]
            assert months == sorted(set(months)) and months[0] == 1
            assert months[-1] == (year.completion_month(key, completed) if completed else 12)
            assert [r.progress for r in reports] == sorted(r.progress for r in reports)
            for report in reports:
                assert report.submitted < report.approved and report.approved == year.approved_on(
                    key, report.month
                )
                if report.returned:
                    assert report.submitted < report.returned < report.resubmitted < report.approved


@pytest.fixture
def demo_with_activity(db, monkeypatch):
    monkeypatch.setenv("COUNTYWORKS_DEMO_ACCOUNTS", "1")  # the activity needs the demo's accounts
    return load_demo(with_activity=True)


def _tracked_items():
    return WorkItem.objects.filter(plan__year=year.YEAR).exclude(
        title__in=[f.title for f in facts.ITEMS if f.key in year.OWN_REPORTS]
    )


def test_every_tracked_item_reports_monthly_and_its_history_follows_the_approvals(demo_with_activity):
    items = list(_tracked_items())
    assert len(items) == len(year.LEADS) - len(year.OWN_REPORTS)
    for item in items:
        reports = list(ProgressReport.all_objects.filter(item=item).order_by("period"))
        assert reports and all(r.illustrative and r.state == ReviewState.APPROVED for r in reports), (
            item.title
        )
        assert reports[0].period == "2023-01"
        last = "2023-12" if item.status != "completed" else f"2023-{item.completed_on.month:02d}"
        # A late December… never: the last report is of the month the item was done (or December),
        # approved at most in the first days of the next month.
        assert reports[-1].period <= last
        for report in reports:
            day = timezone.localtime(report.reviewed_at).date()
            replayed = status.history_as_of(day, WorkItem.objects.filter(pk=item.pk).values("pk")).get()
            assert replayed.progress == report.progress, (item.title, report.period)


def test_some_reports_were_returned_and_sent_again_and_some_came_late(demo_with_activity):
    tracked = ProgressReport.all_objects.filter(item__in=_tracked_items())
    returned = ProgressReport.history.filter(
        id__in=tracked.values("pk"), history_type="~", state=ReviewState.RETURNED
    )
    assert returned.count() >= 10
    for row in returned[:5]:
        states = list(
            ProgressReport.history.filter(id=row.id).order_by("history_date").values_list("state", flat=True)
        )
        assert states == [
            ReviewState.SUBMITTED,
            ReviewState.RETURNED,
            ReviewState.SUBMITTED,
            ReviewState.APPROVED,
        ]
        assert ProgressReport.all_objects.get(pk=row.id).review_comment  # the approval's own word
    late = [r for r in tracked if timezone.localtime(r.submitted_at).month != int(r.period[-2:])]
    assert late and len(late) < tracked.count() / 3
    # The year's lights: by 30 June the units differ in how punctually they reported.
    from countyworks.supervision.rankings import unit_rankings

    plan = WorkItem.objects.filter(plan__year=year.YEAR).first().plan
    ranking = unit_rankings(plan, date(2023, 1, 1), date(2023, 12, 31), today=date(2023, 6, 30))
    assert len({r.on_time_rate for r in ranking}) >= 4


def test_a_second_load_writes_no_report_and_no_report_history(demo_with_activity):
    before = (ProgressReport.all_objects.count(), ProgressReport.history.count(), WorkItem.history.count())
    load_demo(with_activity=True)
    assert (
        ProgressReport.all_objects.count(),
        ProgressReport.history.count(),
        WorkItem.history.count(),
    ) == before
