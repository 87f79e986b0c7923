"""The supervision procedure (issue 13): 延期申请 transitions and refusals, lights and ranking."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from countyworks.core.services import ConflictError, PermissionDenied, ServiceError
from countyworks.plans.models import ItemStatus, WorkItem
from countyworks.supervision import procedure, procedure_services, status
from countyworks.supervision.models import ExtensionRequest, ExtensionState, Notification
from countyworks.supervision.rankings import unit_rankings

TODAY = date(2023, 11, 15)


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    return TODAY


@pytest.fixture
def late_item(cast, today):
    """Item a was due on 31 Oct and is not done: red and overdue on 15 Nov."""
    WorkItem.objects.filter(pk=cast.item_a.pk).update(due_date=date(2023, 10, 31), progress=80)
    cast.item_a.refresh_from_db()
    return cast.item_a


def _apply(cast, item, when=date(2023, 12, 20), **extra):
    return procedure_services.apply_for_extension(
        cast.reporter_a, item, requested_due_date=when, reason="征地手续延后", **extra
    )


def _annotated(item):
    return status.annotate(WorkItem.objects.filter(pk=item.pk), TODAY).get()


def test_the_state_table_allows_only_a_decision_on_a_pending_request():
    assert procedure.next_state(procedure.EXTENSION, "pending", "approve") == "approved"
    assert procedure.next_state(procedure.EXTENSION, "pending", "refuse") == "refused"
    for state in ("approved", "refused"):
        with pytest.raises(procedure.InvalidTransition):
            procedure.next_state(procedure.EXTENSION, state, "approve")
    assert procedure.allowed_actions(procedure.EXTENSION, "approved") == []


def test_the_date_rule(today):
    assert procedure.extension_date_problem(date(2023, 12, 1), None, today) == "missing"
    assert procedure.extension_date_problem(None, date(2023, 11, 1), today) == "past"
    assert procedure.extension_date_problem(date(2023, 12, 1), date(2023, 12, 1), today) == "not_later"
    assert procedure.extension_date_problem(date(2023, 10, 1), date(2023, 12, 2), today) is None
    assert procedure.original_deadline(None, date(2023, 10, 1)) == date(2023, 10, 1)
    assert procedure.original_deadline(date(2023, 9, 1), date(2023, 10, 1)) == date(2023, 9, 1)


def test_approval_moves_the_deadline_keeps_the_original_and_the_light_stops_being_red(cast, late_item):
    assert _annotated(late_item).light == "red" and _annotated(late_item).is_overdue
    request = _apply(cast, late_item, evidence=SimpleUploadedFile("批复.pdf", b"%PDF-1.4"))
    assert request.state == ExtensionState.PENDING and request.current_due_date == date(2023, 10, 31)
    assert request.evidence_name == "批复.pdf" and request.evidence.name.startswith("extension/")
    # The office is told; the unit's own deadline has not moved yet.
    assert Notification.objects.filter(user=cast.supervisor, key=f"extension:{request.pk}:applied").exists()
    assert not Notification.objects.filter(user=cast.outsider_supervisor).exists()
    assert _annotated(late_item).is_overdue

    procedure_services.decide_extension(
        cast.supervisor, request, approve=True, expected_version=request.version, comment="同意"
    )
    item = _annotated(late_item)
    assert item.due_date == date(2023, 12, 20) and item.original_due_date == date(2023, 10, 31)
    assert not item.is_overdue and item.light != "red"
    assert status.assess(item, TODAY).light == item.light
    assert request.state == ExtensionState.APPROVED and request.approved_due_date == date(2023, 12, 20)
    assert Notification.objects.filter(user=cast.reporter_a, key=f"extension:{request.pk}:approved").exists()
    # History records the move of the deadline.
    assert item.history.filter(due_date=date(2023, 12, 20), original_due_date=date(2023, 10, 31)).exists()
    assert request.history.count() >= 2


def test_a_second_extension_keeps_the_first_deadline_and_a_custom_date_is_granted(cast, late_item):
    first = _apply(cast, late_item)
    procedure_services.decide_extension(cast.supervisor, first, approve=True, expected_version=first.version)
    late_item.refresh_from_db()
    second = _apply(cast, late_item, when=date(2024, 1, 31))
    procedure_services.decide_extension(
        cast.supervisor, second, approve=True, expected_version=second.version, new_due_date=date(2024, 1, 15)
    )
    late_item.refresh_from_db()
    assert late_item.original_due_date == date(2023, 10, 31) and late_item.due_date == date(2024, 1, 15)


def test_the_ranking_counts_an_approved_extension_not_an_overdue(cast, late_item):
    def unit_a():
        rows = unit_rankings(cast.plan, date(2023, 1, 1), date(2023, 12, 31), today=TODAY)
        return next(r for r in rows if r.unit_id == cast.unit_a.pk)

    assert (unit_a().overdue, unit_a().extended) == (1, 0)
    request = _apply(cast, late_item)
    assert (unit_a().overdue, unit_a().extended) == (1, 0)  # applying alone changes nothing
    procedure_services.decide_extension(
        cast.supervisor, request, approve=True, expected_version=request.version
    )
    assert (unit_a().overdue, unit_a().extended) == (0, 1)


def test_refusal_needs_a_comment_and_leaves_the_deadline(cast, late_item):
    request = _apply(cast, late_item)
    with pytest.raises(ServiceError) as caught:
        procedure_services.decide_extension(
            cast.supervisor, request, approve=False, expected_version=request.version, comment=" "
        )
    assert caught.value.field == "comment"
    procedure_services.decide_extension(
        cast.supervisor, request, approve=False, expected_version=request.version, comment="理由不充分"
    )
    late_item.refresh_from_db()
    assert request.state == ExtensionState.REFUSED and late_item.due_date == date(2023, 10, 31)
    assert late_item.original_due_date is None
    assert Notification.objects.filter(user=cast.reporter_a, key=f"extension:{request.pk}:refused").exists()


def test_wrong_role_and_wrong_unit_cannot_apply(cast, late_item):
    for user in (cast.reporter_b, cast.supervisor, cast.leader, cast.viewer):
        with pytest.raises(PermissionDenied):
            procedure_services.apply_for_extension(
                user, late_item, requested_due_date=date(2023, 12, 20), reason="x"
            )
    assert not ExtensionRequest.objects.exists()


def test_wrong_role_and_wrong_region_cannot_decide(cast, late_item):
    request = _apply(cast, late_item)
    for user in (cast.reporter_a, cast.reporter_b, cast.leader, cast.viewer, cast.outsider_supervisor):
        with pytest.raises(PermissionDenied):
            procedure_services.decide_extension(user, request, approve=True, expected_version=request.version)
    assert ExtensionRequest.objects.get(pk=request.pk).state == ExtensionState.PENDING


def test_wrong_state_is_refused(cast, late_item):
    request = _apply(cast, late_item)
    with pytest.raises(ServiceError) as caught:
        _apply(cast, late_item, when=date(2024, 1, 1))  # one pending application at a time
    assert caught.value.field == "state"
    procedure_services.decide_extension(
        cast.supervisor, request, approve=True, expected_version=request.version
    )
    with pytest.raises(ServiceError) as caught:
        procedure_services.decide_extension(
            cast.supervisor, request, approve=False, expected_version=request.version, comment="x"
        )
    assert caught.value.field == "state"
    WorkItem.objects.filter(pk=late_item.pk).update(status=ItemStatus.COMPLETED)
    late_item.refresh_from_db()
    with pytest.raises(ServiceError) as caught:
        _apply(cast, late_item, when=date(2024, 2, 1))
    assert caught.value.field == "state"


def test_a_stale_version_is_a_conflict(cast, late_item):
    request = _apply(cast, late_item)
    stale = ExtensionRequest.objects.get(pk=request.pk)
    ExtensionRequest.objects.filter(pk=request.pk).update(version=request.version + 1)
    with pytest.raises(ConflictError):
        procedure_services.decide_extension(
            cast.supervisor, stale, approve=True, expected_version=stale.version
        )
    late_item.refresh_from_db()
    assert late_item.due_date == date(2023, 10, 31)


@pytest.mark.parametrize(
    ("when", "reason", "field"),
    [
        (None, "x", "requested_due_date"),
        (TODAY - timedelta(days=1), "x", "requested_due_date"),
        (date(2023, 10, 31), "x", "requested_due_date"),
        (date(2023, 12, 20), "  ", "reason"),
    ],
)
def test_bad_input_names_the_field(cast, late_item, when, reason, field):
    with pytest.raises(ServiceError) as caught:
        procedure_services.apply_for_extension(
            cast.reporter_a, late_item, requested_due_date=when, reason=reason
        )
    assert caught.value.field == field


def test_an_approval_with_an_earlier_date_than_the_deadline_is_refused(cast, late_item):
    request = _apply(cast, late_item)
    with pytest.raises(ServiceError) as caught:
        procedure_services.decide_extension(
            cast.supervisor,
            request,
            approve=True,
            expected_version=request.version,
            new_due_date=date(2023, 10, 1),
        )
    assert caught.value.field == "new_due_date"
    assert ExtensionRequest.objects.get(pk=request.pk).state == ExtensionState.PENDING


def test_the_ledger_export_item_page_and_queue_show_the_extension(cast, late_item, client):
    from countyworks.supervision.ledger_export import ITEM_COLUMNS, build_ledger_workbook

    request = _apply(cast, late_item)
    client.force_login(cast.supervisor)
    queue = client.get("/supervision/procedure/")
    assert queue.status_code == 200 and "征地手续延后" in queue.content.decode()
    answer = client.post(
        f"/supervision/extensions/{request.pk}/decide/",
        {f"e{request.pk}-version": request.version, f"e{request.pk}-decision": "approve"},
    )
    assert answer.status_code == 302
    assert ExtensionRequest.objects.get(pk=request.pk).state == ExtensionState.APPROVED
    item = status.annotate(WorkItem.objects.filter(pk=late_item.pk), TODAY).get()
    sheet = build_ledger_workbook([item], "t").active
    column = len(ITEM_COLUMNS) + 2  # 原定期限, right after the status
    assert sheet.cell(3, column).value == date(2023, 10, 31)
    assert sheet.cell(3, 6).value == date(2023, 12, 20)
    client.force_login(cast.reporter_a)
    page = client.get(f"/plans/items/{late_item.pk}/").content.decode()
    assert "2023-10-31" in page and "2023-12-20" in page


def test_pending_for_lists_the_decision_to_the_office_and_the_wait_to_the_unit(cast, late_item):
    from countyworks.supervision.procedure_todo import EXTENSION_DECIDE, EXTENSION_WAITING, pending_for

    request = _apply(cast, late_item)
    assert [(t.kind, t.record_id) for t in pending_for(cast.supervisor, TODAY)] == [
        (EXTENSION_DECIDE, request.pk)
    ]
    assert [t.kind for t in pending_for(cast.reporter_a, TODAY)] == [EXTENSION_WAITING]
    assert pending_for(cast.reporter_b, TODAY) == [] and pending_for(cast.outsider_supervisor, TODAY) == []
    procedure_services.decide_extension(
        cast.supervisor, request, approve=True, expected_version=request.version
    )
    assert pending_for(cast.supervisor, TODAY) == []


def test_the_api_applies_and_decides(cast, late_item, client):
    import json

    client.force_login(cast.reporter_a)
    bad = client.post(
        "/api/v1/extensions",
        json.dumps({"item_id": late_item.pk, "requested_due_date": "2023-10-01", "reason": "x"}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "requested_due_date"
    made = client.post(
        "/api/v1/extensions",
        json.dumps({"item_id": late_item.pk, "requested_due_date": "2023-12-20", "reason": "征地"}),
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["state"] == "pending"
    client.force_login(cast.supervisor)
    decided = client.post(
        f"/api/v1/extensions/{made.json()['id']}/decide",
        json.dumps({"approve": True, "expected_version": made.json()["version"]}),
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["approved_due_date"] == "2023-12-20"
    stale = client.post(
        f"/api/v1/extensions/{made.json()['id']}/decide",
        json.dumps({"approve": False, "comment": "x", "expected_version": made.json()["version"]}),
        content_type="application/json",
    )
    assert stale.status_code in (400, 409)
    item = client.get(f"/api/v1/items/{late_item.pk}").json()
    assert item["original_due_date"] == "2023-10-31" and item["due_date"] == "2023-12-20"
