from datetime import date
from decimal import Decimal

import pytest

from countyworks.core.services import ConflictError, PermissionDenied, ServiceError
from countyworks.plans.models import ItemStatus, Light, WorkItem
from countyworks.supervision import services, status
from countyworks.supervision.models import NoticeState, ProgressReport, ReviewState


def test_it_records_a_reporters_progress(cast):
    report = services.submit_report(
        cast.reporter_a, cast.item_a, period="2023-11", text="主体完工", progress="60"
    )
    assert report.state == ReviewState.SUBMITTED and report.unit == cast.unit_a
    cast.item_a.refresh_from_db()
    assert cast.item_a.progress == 0  # nothing changes until a supervisor approves


def test_it_rejects_progress_from_another_unit(cast):
    with pytest.raises(PermissionDenied):
        services.submit_report(cast.reporter_b, cast.item_a, period="2023-11", text="x", progress=10)
    assert ProgressReport.objects.count() == 0


@pytest.mark.parametrize(
    ("period", "progress", "field"),
    [
        ("2023-13", 10, "period"),
        ("去年", 10, "period"),
        ("2023-11", 101, "progress"),
        ("2023-11", "abc", "progress"),
    ],
)
def test_it_names_the_bad_field(cast, period, progress, field):
    with pytest.raises(ServiceError) as caught:
        services.submit_report(cast.reporter_a, cast.item_a, period=period, text="x", progress=progress)
    assert caught.value.field == field


def test_approval_moves_the_item_and_return_needs_a_reason(cast):
    report = services.submit_report(
        cast.reporter_a, cast.item_a, period="2023-11", text="进场施工", progress=40
    )
    with pytest.raises(ServiceError):
        services.review_report(
            cast.supervisor, report, approve=False, comment=" ", expected_version=report.version
        )
    services.review_report(
        cast.supervisor, report, approve=False, comment="缺少照片", expected_version=report.version
    )
    assert report.state == ReviewState.RETURNED
    services.resubmit_report(
        cast.reporter_a, report, text="进场施工，附照片", progress=45, expected_version=report.version
    )
    services.review_report(cast.supervisor, report, approve=True, expected_version=report.version)
    item = WorkItem.objects.get(pk=cast.item_a.pk)
    assert item.progress == Decimal("45.00") and item.status == ItemStatus.IN_PROGRESS
    assert report.history.count() >= 4


def test_a_reporter_cannot_review_and_nobody_reviews_their_own_report(cast):
    report = services.submit_report(cast.reporter_a, cast.item_a, period="2023-11", text="x", progress=10)
    with pytest.raises(PermissionDenied):
        services.review_report(cast.reporter_a, report, approve=True, expected_version=report.version)
    with pytest.raises(PermissionDenied):
        services.review_report(cast.leader, report, approve=True, expected_version=report.version)


def test_a_second_reviewer_gets_a_conflict(cast):
    report = services.submit_report(cast.reporter_a, cast.item_a, period="2023-11", text="x", progress=10)
    stale = ProgressReport.objects.get(pk=report.pk)
    services.review_report(cast.supervisor, report, approve=True, expected_version=report.version)
    stale.state = ReviewState.SUBMITTED  # what the second reviewer still sees on screen
    with pytest.raises((ConflictError, ServiceError)):
        services.review_report(cast.supervisor, stale, approve=False, comment="no", expected_version=1)
    assert ProgressReport.objects.get(pk=report.pk).state == ReviewState.APPROVED


def test_a_full_report_completes_the_item(cast):
    report = services.submit_report(cast.reporter_a, cast.item_a, period="2023-12", text="竣工", progress=100)
    services.review_report(cast.supervisor, report, approve=True, expected_version=report.version)
    item = status.annotate(WorkItem.objects.filter(pk=cast.item_a.pk)).get()
    assert item.status == ItemStatus.COMPLETED and item.completed_on is not None
    assert item.light == Light.DONE and not item.is_overdue


def test_a_notice_goes_from_issue_to_close(cast):
    notice = services.issue_notice(
        cast.supervisor, cast.item_a, unit=cast.unit_a, content="请说明滞后原因", deadline=date(2023, 12, 10)
    )
    assert notice.number.startswith("督办")
    with pytest.raises(PermissionDenied):
        services.answer_notice(cast.reporter_b, notice, answer="不是我们")
    services.acknowledge_notice(cast.reporter_a, notice)
    with pytest.raises(ServiceError):
        services.close_notice(cast.supervisor, notice)  # not answered yet
    services.answer_notice(cast.reporter_a, notice, answer="已加派人手")
    with pytest.raises(PermissionDenied):
        services.close_notice(cast.reporter_a, notice)
    services.close_notice(cast.supervisor, notice)
    assert notice.state == NoticeState.CLOSED


def test_only_leaders_write_instructions(cast):
    with pytest.raises(PermissionDenied):
        services.add_instruction(cast.supervisor, cast.item_a, text="抓紧")
    instruction = services.add_instruction(cast.leader, cast.item_a, text="抓紧推进")
    assert instruction.author == cast.leader


def test_it_lets_only_the_reporting_unit_resubmit_its_returned_report(cast):
    # Unit B co-leads item A, so it may report on it, but unit A's returned report stays unit A's.
    cast.item_a.co_units.add(cast.unit_b)
    report = services.submit_report(
        cast.reporter_a, cast.item_a, period="2023-11", text="甲的报告", progress=30
    )
    services.review_report(
        cast.supervisor, report, approve=False, comment="缺少照片", expected_version=report.version
    )
    with pytest.raises(PermissionDenied):
        services.resubmit_report(
            cast.reporter_b, report, text="乙改写", progress=90, expected_version=report.version
        )
    stored = ProgressReport.objects.get(pk=report.pk)
    assert (stored.state, stored.text, stored.submitted_by) == (
        ReviewState.RETURNED,
        "甲的报告",
        cast.reporter_a,
    )


def test_it_keeps_the_newer_progress_when_an_older_period_is_approved_late(cast):
    october = services.submit_report(cast.reporter_a, cast.item_a, period="2023-10", text="十月", progress=50)
    services.review_report(
        cast.supervisor, october, approve=False, comment="补照片", expected_version=october.version
    )
    november = services.submit_report(
        cast.reporter_a, cast.item_a, period="2023-11", text="十一月", progress=70
    )
    services.review_report(cast.supervisor, november, approve=True, expected_version=november.version)
    services.resubmit_report(
        cast.reporter_a, october, text="十月，附照片", progress=50, expected_version=october.version
    )
    services.review_report(cast.supervisor, october, approve=True, expected_version=october.version)
    item = WorkItem.objects.get(pk=cast.item_a.pk)
    assert ProgressReport.objects.get(pk=october.pk).state == ReviewState.APPROVED
    assert item.progress == Decimal("70.00")


@pytest.mark.parametrize(
    ("period", "end"),
    [
        ("2023", date(2023, 12, 31)),
        ("2023-Q1", date(2023, 3, 31)),
        ("2023-02", date(2023, 2, 28)),
        ("x", None),
    ],
)
def test_it_knows_the_last_day_of_a_period(period, end):
    assert services.period_end(period) == end
