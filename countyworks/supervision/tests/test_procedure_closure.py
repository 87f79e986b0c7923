"""办结 / 销号 (issue 13): the lead unit applies, the office closes or returns, a closed item reopens;
every refusal (role, unit, state, version, input) and the light and ranking read by the one rule."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from countyworks.core.services import ConflictError, PermissionDenied, ServiceError
from countyworks.plans.models import ItemKind, ItemStatus, Light, WorkItem
from countyworks.supervision import procedure, procedure_services, status
from countyworks.supervision.models import ClosureRequest, ClosureState, Notification


def _apply(cast, item=None, **extra):
    return procedure_services.apply_for_closure(
        cast.reporter_a, item or cast.item_a, summary="主体工程完工并通过验收", **extra
    )


def _light(item) -> str:
    return status.annotate(WorkItem.objects.filter(pk=item.pk), timezone.localdate()).get().light


def test_the_state_table():
    assert procedure.next_state(procedure.CLOSURE, "pending", "approve") == "closed"
    assert procedure.next_state(procedure.CLOSURE, "pending", "return") == "returned"
    assert procedure.next_state(procedure.CLOSURE, "closed", "reopen") == "reopened"
    for state, action in (("returned", "approve"), ("reopened", "reopen"), ("closed", "approve")):
        with pytest.raises(procedure.InvalidTransition):
            procedure.next_state(procedure.CLOSURE, state, action)


def test_the_lead_unit_applies_and_the_office_is_told(cast):
    request = _apply(cast)
    assert (request.state, request.unit_id) == (ClosureState.PENDING, cast.unit_a.pk)
    assert Notification.objects.filter(user=cast.supervisor, key=f"closure:{request.pk}:applied").exists()


def test_who_may_not_apply(cast):
    cast.item_a.co_units.add(cast.unit_b)
    # A co-operating unit reports, but only the lead unit answers for closing; nor the office or a leader.
    for user in (cast.reporter_b, cast.supervisor, cast.leader, cast.viewer):
        with pytest.raises(PermissionDenied):
            procedure_services.apply_for_closure(user, cast.item_a, summary="完成")


def test_what_an_application_needs(cast):
    with pytest.raises(ServiceError) as caught:
        procedure_services.apply_for_closure(cast.reporter_a, cast.item_a, summary="  ")
    assert caught.value.field == "summary"
    WorkItem.objects.filter(pk=cast.item_a.pk).update(kind=ItemKind.RECTIFICATION)
    cast.item_a.refresh_from_db()
    with pytest.raises(ServiceError) as caught:
        _apply(cast)  # 申请销号 without the rectification evidence
    assert caught.value.field == "evidence"
    request = _apply(cast, evidence=SimpleUploadedFile("整改报告.pdf", b"%PDF-1.4 done"))
    assert request.evidence_name == "整改报告.pdf" and request.evidence.name.startswith("closure/")
    assert "整改" not in request.evidence.name  # generated names only
    with pytest.raises(ServiceError) as caught:
        _apply(cast, evidence=SimpleUploadedFile("b.pdf", b"x"))
    assert caught.value.field == "state"  # one waiting application at a time


def test_the_office_closes_the_item_everywhere_at_once(cast):
    WorkItem.objects.filter(pk=cast.item_a.pk).update(
        status=ItemStatus.IN_PROGRESS, progress=70, due_date=timezone.localdate() - timedelta(days=3)
    )
    cast.item_a.refresh_from_db()
    assert _light(cast.item_a) == Light.RED
    request = _apply(cast)
    procedure_services.decide_closure(
        cast.supervisor, request, approve=True, expected_version=request.version
    )
    item = WorkItem.objects.get(pk=cast.item_a.pk)
    assert (item.status, item.progress, item.completed_on) == (
        ItemStatus.COMPLETED,
        100,
        timezone.localdate(),
    )
    assert _light(item) == Light.DONE
    assert item.history.first().status == ItemStatus.COMPLETED  # recorded in the item's history
    assert Notification.objects.filter(user=cast.reporter_a, key=f"closure:{request.pk}:closed").exists()
    with pytest.raises(ServiceError) as caught:
        _apply(cast)
    assert caught.value.field == "state"  # a closed item is not closed twice


def test_returning_needs_a_comment_and_leaves_the_item_open(cast):
    request = _apply(cast)
    with pytest.raises(ServiceError) as caught:
        procedure_services.decide_closure(cast.supervisor, request, approve=False, expected_version=1)
    assert caught.value.field == "comment"
    procedure_services.decide_closure(
        cast.supervisor, request, approve=False, expected_version=request.version, comment="请补充验收报告"
    )
    assert request.state == ClosureState.RETURNED
    assert WorkItem.objects.get(pk=cast.item_a.pk).status != ItemStatus.COMPLETED
    _apply(cast)  # the unit may apply again with more


def test_refusals_of_a_decision(cast):
    request = _apply(cast)
    stale = ClosureRequest.objects.get(pk=request.pk)
    for user in (cast.reporter_a, cast.reporter_b, cast.leader, cast.viewer):
        with pytest.raises(PermissionDenied):
            procedure_services.decide_closure(user, request, approve=True, expected_version=request.version)
    procedure_services.decide_closure(
        cast.supervisor, request, approve=True, expected_version=request.version
    )
    with pytest.raises(ConflictError):  # a page opened before the decision
        procedure_services.decide_closure(
            cast.supervisor, stale, approve=True, expected_version=stale.version
        )
    fresh = ClosureRequest.objects.get(pk=request.pk)
    with pytest.raises(ServiceError) as caught:  # decided already
        procedure_services.decide_closure(
            cast.supervisor, fresh, approve=False, expected_version=fresh.version, comment="x"
        )
    assert caught.value.field == "state"


def test_reopening_keeps_the_record(cast):
    request = _apply(cast)
    procedure_services.decide_closure(
        cast.supervisor, request, approve=True, expected_version=request.version
    )
    item = WorkItem.objects.get(pk=cast.item_a.pk)
    with pytest.raises(PermissionDenied):
        procedure_services.reopen_item(cast.reporter_a, item, reason="x", expected_version=item.version)
    with pytest.raises(ServiceError) as caught:
        procedure_services.reopen_item(cast.supervisor, item, reason=" ", expected_version=item.version)
    assert caught.value.field == "reason"
    with pytest.raises(ConflictError):
        procedure_services.reopen_item(
            cast.supervisor, item, reason="复查", expected_version=item.version - 1
        )
    item = WorkItem.objects.get(pk=cast.item_a.pk)
    assert item.status == ItemStatus.COMPLETED  # the refused write changed nothing
    item = procedure_services.reopen_item(
        cast.supervisor, item, reason="复查发现问题反弹", expected_version=item.version
    )
    assert (item.status, item.completed_on) == (ItemStatus.IN_PROGRESS, None)
    request.refresh_from_db()
    assert (request.state, request.reopen_reason, request.reopened_by) == (
        ClosureState.REOPENED,
        "复查发现问题反弹",
        cast.supervisor,
    )
    with pytest.raises(ServiceError) as caught:
        procedure_services.reopen_item(cast.supervisor, item, reason="再次", expected_version=item.version)
    assert caught.value.field == "state"  # only a closed item reopens


def test_the_screens_apply_decide_and_reopen(cast, client):
    client.force_login(cast.reporter_a)
    item_url = reverse("ledger:item", args=[cast.item_a.pk])
    assert reverse("supervision:closure_apply", args=[cast.item_a.pk]) in client.get(item_url).text
    response = client.post(reverse("supervision:closure_apply", args=[cast.item_a.pk]), {"summary": ""})
    assert response.status_code == 200 and "summary" in response.context["form"].errors
    client.post(reverse("supervision:closure_apply", args=[cast.item_a.pk]), {"summary": "已完工"})
    request = ClosureRequest.objects.get(item=cast.item_a)
    client.force_login(cast.supervisor)
    queue = client.get(reverse("supervision:procedure_queue")).text
    assert f'data-closure="{request.pk}"' in queue and "已完工" in queue
    client.post(
        reverse("supervision:closure_decide", args=[request.pk]),
        {f"c{request.pk}-version": request.version, f"c{request.pk}-decision": "approve"},
    )
    assert WorkItem.objects.get(pk=cast.item_a.pk).status == ItemStatus.COMPLETED
    page = client.get(item_url).text
    assert 'id="reopen-form"' in page
    item = WorkItem.objects.get(pk=cast.item_a.pk)
    client.post(
        reverse("supervision:item_reopen", args=[item.pk]),
        {"version": item.version, "reason": "群众反映未完成"},
    )
    assert WorkItem.objects.get(pk=cast.item_a.pk).status == ItemStatus.IN_PROGRESS
    assert date.today() >= ClosureRequest.objects.get(pk=request.pk).reopened_at.date()
