"""due_reports: what a unit must report now (monthly cadence until reporting cycles exist)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from countyworks.plans.models import ItemStatus, WorkItem
from countyworks.supervision.cycles import due_reports
from countyworks.supervision.models import ProgressReport, ReviewState


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


def test_finished_not_started_yet_or_past_items_owe_nothing(cast):
    WorkItem.objects.filter(pk=cast.item_a.pk).update(status=ItemStatus.COMPLETED)
    assert due_reports(cast.reporter_a, date(2023, 6, 20)) == []
    WorkItem.objects.filter(pk=cast.item_a.pk).update(
        status=ItemStatus.IN_PROGRESS, due_date=date(2023, 5, 31)
    )
    assert due_reports(cast.reporter_a, date(2023, 6, 20)) == []
    assert [d.item.pk for d in due_reports(cast.reporter_a, date(2023, 5, 2))] == [cast.item_a.pk]
    assert due_reports(cast.reporter_a, date(2022, 12, 1)) == []  # before its start


def test_people_who_report_for_no_unit_owe_nothing(cast):
    for user in (cast.supervisor, cast.leader, cast.viewer):
        assert due_reports(user, date(2023, 6, 20)) == []
