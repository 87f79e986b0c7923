"""due_reports: what a unit must report now, by each item's reporting cycle (issue 19)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from countyworks.core.services import PermissionDenied, ServiceError
from countyworks.plans.models import ItemKind, ItemStatus, WorkItem
from countyworks.supervision import procedure_services, services
from countyworks.supervision.cycles import due_reports
from countyworks.supervision.models import Notification, ProgressReport, ReportingCycle, ReviewState

SHANGHAI = ZoneInfo("Asia/Shanghai")


def report(cast, item, unit, state, period="2023-06"):
    return ProgressReport.objects.create(
        item=item,
        period=period,
        text="进展",
        progress=10,
        unit=unit,
        submitted_at=datetime(2023, 6, 5, tzinfo=UTC),
        state=state,
    )


def test_a_unit_owes_a_report_for_each_running_item_without_one_this_month(cast):
    cast.item_b.co_units.set([cast.unit_a])
    due = due_reports(cast.reporter_a, date(2023, 6, 20))
    assert [(d.item.pk, d.period, d.returned) for d in due] == [
        (cast.item_a.pk, "2023-06", False),
        (cast.item_b.pk, "2023-06", False),
    ]
    report(cast, cast.item_a, cast.unit_a, ReviewState.SUBMITTED)
    report(cast, cast.item_b, cast.unit_a, ReviewState.RETURNED)
    assert [(d.item.pk, d.returned) for d in due_reports(cast.reporter_a, date(2023, 6, 20))] == [
        (cast.item_b.pk, True)
    ]
    # Unit B's own report does not answer for unit A, and B still owes its own.
    assert [d.item.pk for d in due_reports(cast.reporter_b, date(2023, 6, 20))] == [cast.item_b.pk]


def test_finished_or_not_started_items_owe_nothing_and_overdue_ones_keep_reporting(cast):
    WorkItem.objects.filter(pk=cast.item_a.pk).update(status=ItemStatus.COMPLETED)
    assert due_reports(cast.reporter_a, date(2023, 6, 20)) == []
    WorkItem.objects.filter(pk=cast.item_a.pk).update(
        status=ItemStatus.IN_PROGRESS, due_date=date(2023, 5, 31)
    )
    # Past its deadline and unfinished: the unit still reports on its cycle (as 我的事项 always asked).
    assert [(d.item.pk, d.period) for d in due_reports(cast.reporter_a, date(2023, 6, 20))] == [
        (cast.item_a.pk, "2023-06")
    ]
    assert [d.item.pk for d in due_reports(cast.reporter_a, date(2023, 5, 2))] == [cast.item_a.pk]
    assert due_reports(cast.reporter_a, date(2022, 12, 1)) == []  # before its start


def test_people_who_report_for_no_unit_owe_nothing(cast):
    for user in (cast.supervisor, cast.leader, cast.viewer):
        assert due_reports(user, date(2023, 6, 20)) == []


# Reporting cycles (issue 19): the plan's cycle per kind, the item's own cadence, windows, late
# marks and locked periods.


def test_a_kind_cycle_and_an_items_own_cadence_set_what_is_owed(cast):
    ReportingCycle.objects.create(plan=cast.plan, kind=ItemKind.KEY_PROJECT, cadence="weekly")
    cast.item_b.co_units.set([cast.unit_a])
    owed = {d.item.pk: d.period for d in due_reports(cast.reporter_a, date(2023, 6, 20))}
    assert owed == {cast.item_a.pk: "2023-W25", cast.item_b.pk: "2023-06"}
    WorkItem.objects.filter(pk=cast.item_b.pk).update(report_cadence="quarterly")
    owed = {d.item.pk: d.period for d in due_reports(cast.reporter_a, date(2023, 6, 20))}
    assert owed[cast.item_b.pk] == "2023-Q2"


def test_a_25th_to_5th_window_asks_for_last_month_early_in_the_month(cast):
    ReportingCycle.objects.create(plan=cast.plan, cadence="monthly", opens_before_end=6, closes_after_end=5)
    due = due_reports(cast.reporter_a, date(2023, 6, 3))
    assert [(d.period, d.closes) for d in due] == [("2023-05", date(2023, 6, 5))]
    assert due_reports(cast.reporter_a, date(2023, 6, 12)) == []  # between windows nothing is asked
    assert [d.period for d in due_reports(cast.reporter_a, date(2023, 6, 26))] == ["2023-06"]


def test_a_quarterly_report_answers_for_its_months(cast):
    report(cast, cast.item_a, cast.unit_a, ReviewState.SUBMITTED, period="2023-Q2")
    assert due_reports(cast.reporter_a, date(2023, 6, 20)) == []


def test_a_report_after_its_window_is_marked_late_by_the_cycle_in_force(cast):
    ReportingCycle.objects.create(plan=cast.plan, cadence="monthly", opens_before_end=6, closes_after_end=5)
    with time_machine.travel(datetime(2023, 6, 5, 9, tzinfo=SHANGHAI), tick=False):
        on_time = services.submit_report(
            cast.reporter_a, cast.item_a, period="2023-05", text="按期", progress=20
        )
    with time_machine.travel(datetime(2023, 6, 6, 9, tzinfo=SHANGHAI), tick=False):
        late = services.submit_report(
            cast.reporter_b, cast.item_b, period="2023-05", text="迟报", progress=20
        )
    assert (on_time.late, late.late) == (False, True)
    # A later change of cycle does not rewrite what was recorded.
    ReportingCycle.objects.filter(plan=cast.plan).update(closes_after_end=10)
    late.refresh_from_db()
    assert late.late is True


def test_a_reviewed_period_is_locked_until_the_office_reopens_it_with_a_reason(cast):
    first = services.submit_report(cast.reporter_a, cast.item_a, period="2023-06", text="初报", progress=20)
    # Before review the unit may send another report for the period (the office has not locked it).
    services.submit_report(cast.reporter_a, cast.item_a, period="2023-06", text="补充", progress=25)
    services.review_report(cast.supervisor, first, approve=True, expected_version=first.version)
    with pytest.raises(ServiceError) as refused:
        services.submit_report(cast.reporter_a, cast.item_a, period="2023年6月", text="更正", progress=30)
    assert refused.value.field == "period"
    # Another period, and another unit's own period, stay open.
    services.submit_report(cast.reporter_a, cast.item_a, period="2023-07", text="七月", progress=30)
    with pytest.raises(PermissionDenied):
        procedure_services.reopen_period(
            cast.reporter_a, cast.item_a, unit=cast.unit_a, period="2023-06", reason="x"
        )
    with pytest.raises(ServiceError) as no_reason:
        procedure_services.reopen_period(
            cast.supervisor, cast.item_a, unit=cast.unit_a, period="2023-06", reason=" "
        )
    assert no_reason.value.field == "reason"
    with pytest.raises(ServiceError) as not_locked:
        procedure_services.reopen_period(
            cast.supervisor, cast.item_a, unit=cast.unit_a, period="2023-08", reason="x"
        )
    assert not_locked.value.field == "period"
    with pytest.raises(ServiceError) as wrong_unit:
        procedure_services.reopen_period(
            cast.supervisor, cast.item_a, unit=cast.unit_b, period="2023-06", reason="x"
        )
    assert wrong_unit.value.field == "unit"
    reopening = procedure_services.reopen_period(
        cast.supervisor, cast.item_a, unit=cast.unit_a, period="2023-06", reason="数据填错，更正投资额"
    )
    assert Notification.objects.filter(user=cast.reporter_a, key=f"period_reopened:{reopening.pk}").exists()
    with pytest.raises(ServiceError):  # one reopening at a time
        procedure_services.reopen_period(
            cast.supervisor, cast.item_a, unit=cast.unit_a, period="2023-06", reason="再"
        )
    correction = services.submit_report(
        cast.reporter_a, cast.item_a, period="2023-06", text="更正", progress=30
    )
    reopening.refresh_from_db()
    assert reopening.used_by == correction
    # The reopening is used up: the next correction needs another.
    with pytest.raises(ServiceError):
        services.submit_report(cast.reporter_a, cast.item_a, period="2023-06", text="又改", progress=31)
