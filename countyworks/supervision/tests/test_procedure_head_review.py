"""单位审签 (issue 13): a unit's rule sends its reports to the unit head before the office; the head
approves (the office's queue) or returns; every refusal (role, unit, state, version, input); and a
report waiting for the head counts like any unreviewed report: not as progress, not as "not reported"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from countyworks.accounts import policy
from countyworks.accounts.models import Role
from countyworks.conftest import make_user
from countyworks.core.services import ConflictError, PermissionDenied, ServiceError
from countyworks.plans.models import WorkItem
from countyworks.supervision import my_work, procedure, procedure_services, procedure_todo, services, status
from countyworks.supervision.models import Notification, ProgressReport, ReviewState
from countyworks.supervision.rankings import unit_rankings


@pytest.fixture
def head(cast):
    """Unit A keeps the rule and has a head."""
    cast.unit_a.reports_need_head_approval = True
    cast.unit_a.save()
    return make_user("head_a", Role.UNIT_HEAD, cast.county, cast.unit_a)


def _submit(cast, user=None, progress="60"):
    return services.submit_report(
        user or cast.reporter_a, cast.item_a, period="2023-09", text="九月完成主体施工", progress=progress
    )


def test_the_state_table():
    assert procedure.next_state(procedure.HEAD_REVIEW, "with_head", "approve") == "submitted"
    assert procedure.next_state(procedure.HEAD_REVIEW, "with_head", "return") == "returned"
    for state in ("submitted", "approved", "returned"):
        with pytest.raises(procedure.InvalidTransition):
            procedure.next_state(procedure.HEAD_REVIEW, state, "approve")


def test_a_report_of_a_unit_with_the_rule_waits_for_the_head_who_is_told(cast, head):
    report = _submit(cast)
    assert report.state == ReviewState.WITH_HEAD
    assert Notification.objects.filter(user=head, url__contains=str(cast.item_a.pk)).count() == 1
    # The office does not see it, in its queue or anywhere else.
    assert not policy.visible_reports(cast.supervisor).filter(pk=report.pk).exists()
    assert not policy.visible_reports(cast.leader).filter(pk=report.pk).exists()
    assert policy.visible_reports(cast.reporter_a).filter(pk=report.pk).exists()
    client_page = _client(cast.supervisor).get(reverse("supervision:reviews"))
    assert report.text not in client_page.content.decode()


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_a_unit_without_the_rule_goes_straight_to_the_office(cast):
    make_user("head_a", Role.UNIT_HEAD, cast.county, cast.unit_a)
    assert _submit(cast).state == ReviewState.SUBMITTED


def test_the_heads_own_report_goes_to_the_office(cast, head):
    assert policy.can_report(head, cast.item_a)
    assert _submit(cast, user=head).state == ReviewState.SUBMITTED


def test_the_head_approves_and_the_office_reviews_it_as_usual(cast, head):
    report = _submit(cast)
    procedure_services.head_review_report(head, report, approve=True, expected_version=report.version)
    report.refresh_from_db()
    assert (report.state, report.head_decided_by) == (ReviewState.SUBMITTED, head)
    assert Notification.objects.filter(user=cast.supervisor, key__contains="head-approved").count() == 1
    assert policy.visible_reports(cast.supervisor).filter(pk=report.pk, state=ReviewState.SUBMITTED).exists()
    assert WorkItem.objects.get(pk=cast.item_a.pk).progress == 0  # not progress until the office approves
    services.review_report(cast.supervisor, report, approve=True, expected_version=report.version)
    assert WorkItem.objects.get(pk=cast.item_a.pk).progress == 60


def test_the_head_returns_it_with_a_comment_and_the_reporter_resubmits_to_the_head(cast, head):
    report = _submit(cast)
    with pytest.raises(ServiceError) as refused:
        procedure_services.head_review_report(head, report, approve=False, expected_version=report.version)
    assert refused.value.field == "comment"
    procedure_services.head_review_report(
        head, report, approve=False, comment="请补充现场照片", expected_version=report.version
    )
    report.refresh_from_db()
    assert (report.state, report.head_comment, report.review_comment) == (
        ReviewState.RETURNED,
        "请补充现场照片",
        "请补充现场照片",
    )
    assert report.reviewed_at is None  # the office never reviewed it: not a return it counts
    assert Notification.objects.filter(user=cast.reporter_a, key__contains="head-returned").count() == 1
    services.resubmit_report(
        cast.reporter_a, report, text="已补充", progress="60", expected_version=report.version
    )
    report.refresh_from_db()
    assert report.state == ReviewState.WITH_HEAD


def test_refusals_role_unit_state_and_version(cast, head):
    report = _submit(cast)
    for user in (cast.reporter_a, cast.supervisor, cast.leader, cast.reporter_b):
        with pytest.raises(PermissionDenied):
            procedure_services.head_review_report(user, report, approve=True, expected_version=report.version)
    other_head = make_user("head_b", Role.UNIT_HEAD, cast.county, cast.unit_b)
    with pytest.raises(PermissionDenied):
        procedure_services.head_review_report(
            other_head, report, approve=True, expected_version=report.version
        )
    with pytest.raises(ConflictError):
        procedure_services.head_review_report(head, report, approve=True, expected_version=report.version + 5)
    report.refresh_from_db()  # the refused write left the page's copy as it was sent
    procedure_services.head_review_report(head, report, approve=True, expected_version=report.version)
    with pytest.raises(ServiceError) as again:
        procedure_services.head_review_report(head, report, approve=True, expected_version=report.version)
    assert again.value.field == "state"


def test_the_head_never_decides_on_a_report_of_his_own(cast, head):
    report = _submit(cast, user=head)
    report.state = ReviewState.WITH_HEAD  # as if the rule had sent it
    assert not policy.can_head_review(head, report)


def test_a_report_with_the_head_counts_like_an_unreviewed_one(cast, head):
    """The light, the overdue flag and the ranking read item facts only: a report waiting for the head
    moves none of them (as a submitted report does not); and the unit has reported for the period."""
    today = timezone.localdate()
    WorkItem.objects.filter(pk=cast.item_a.pk).update(
        plan=cast.plan,
        start_date=today - timedelta(days=100),
        due_date=today - timedelta(days=1),
        progress=20,
    )
    cast.plan.year = today.year
    cast.plan.save()

    def observed():
        item = status.annotate(WorkItem.objects.filter(pk=cast.item_a.pk), today).get()
        rows = unit_rankings(cast.plan, today - timedelta(days=365), today + timedelta(days=1), today=today)
        row = next(r for r in rows if r.unit_id == cast.unit_a.pk)
        return item.light, item.is_overdue, item.progress, row.overdue, row.completed

    def whole_ranking_row():
        rows = unit_rankings(cast.plan, today - timedelta(days=365), today + timedelta(days=1), today=today)
        return next(r for r in rows if r.unit_id == cast.unit_a.pk)

    before = observed()
    report = services.submit_report(
        cast.reporter_a, cast.item_a, period=f"{today:%Y-%m}", text="本月进展", progress="90"
    )
    assert report.state == ReviewState.WITH_HEAD
    assert observed() == before
    with_head = (observed(), whole_ranking_row())
    # The same report waiting for the office instead: every figure of the ranking row is the same
    # (the month counts as reported in both), and so are the light and overdue flag.
    ProgressReport.objects.filter(pk=report.pk).update(state=ReviewState.SUBMITTED)
    assert (observed(), whole_ranking_row()) == with_head
    ProgressReport.objects.filter(pk=report.pk).update(state=ReviewState.WITH_HEAD)
    # Not listed again as due: it was sent (to the head), like a report waiting for the office.
    due_titles = [todo.title for todo in my_work.reports_due(cast.reporter_a, today)]
    assert cast.item_a.title not in due_titles


def test_it_is_on_the_heads_my_work_list_and_the_reporters(cast, head):
    report = _submit(cast)
    today = timezone.localdate()
    kinds = [(todo.kind, todo.record_id) for todo in procedure_todo.pending_for(head, today)]
    assert (procedure_todo.HEAD_REVIEW, report.pk) in kinds
    mine = [(todo.kind, todo.record_id) for todo in procedure_todo.pending_for(cast.reporter_a, today)]
    assert (procedure_todo.HEAD_WAITING, report.pk) in mine
    assert not [t for t in procedure_todo.pending_for(cast.supervisor, today) if t.record_id == report.pk]
    section = next(s for s in my_work.fill(my_work.SECTIONS, head, today) if s.key == "procedure")
    assert [todo.title for todo in section.todos] == [cast.item_a.title]
    assert policy.landing(head) == policy.LANDING_MY_WORK


def test_the_item_page_offers_the_head_the_decision(cast, head):
    report = _submit(cast)
    page = _client(head).get(reverse("ledger:item", args=[cast.item_a.pk])).content.decode()
    assert reverse("supervision:report_head_review", args=[report.pk]) in page
    reporter_page = (
        _client(cast.reporter_a).get(reverse("ledger:item", args=[cast.item_a.pk])).content.decode()
    )
    assert reverse("supervision:report_head_review", args=[report.pk]) not in reporter_page


def test_the_screen_records_the_decision_and_bad_input_is_refused_without_a_500(cast, head):
    report = _submit(cast)
    url = reverse("supervision:report_head_review", args=[report.pk])
    client = _client(head)
    response = client.post(url, {f"h{report.pk}-version": report.version, f"h{report.pk}-decision": "maybe"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReviewState.WITH_HEAD
    client.post(url, {f"h{report.pk}-version": report.version, f"h{report.pk}-decision": "approve"})
    report.refresh_from_db()
    assert report.state == ReviewState.SUBMITTED
    assert _client(cast.reporter_a).post(url, {}).status_code == 403


def test_the_api_head_review(cast, head):
    from django.test import Client

    from countyworks.accounts.models import ApiToken, TokenScope

    report = _submit(cast)
    _t, key = ApiToken.issue(head, "head", cast.county, TokenScope.WRITE)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    url = reverse("api:head_review_report", args=[report.pk])
    response = client.post(
        url, {"approve": False, "expected_version": report.version}, content_type="application/json"
    )
    assert response.status_code == 400 and "comment" in response.content.decode()
    response = client.post(
        url, {"approve": True, "expected_version": report.version}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["state"] == "submitted"
    listed = client.get(reverse("api:list_reports") + "?state=submitted").json()["results"]
    assert [row["id"] for row in listed] == [report.pk]
