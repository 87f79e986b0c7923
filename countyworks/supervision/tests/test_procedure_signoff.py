"""签收 (issue 13): assignment on create and on a lead change, signing, refusals, the engine's chase."""

from datetime import UTC, date, datetime

import pytest

from countyworks.core.services import ConflictError, PermissionDenied, ServiceError
from countyworks.plans import services as plan_services
from countyworks.supervision import procedure, procedure_services
from countyworks.supervision.models import Notice, Notification, SignOff, SignOffRole
from countyworks.supervision.procedure_todo import SIGN, pending_for


def _open(item):
    return {(r.unit_id, r.role) for r in SignOff.objects.filter(item=item, withdrawn_at__isnull=True)}


def test_creating_an_item_assigns_its_units_and_tells_them(cast):
    item = plan_services.create_item(
        cast.supervisor, cast.plan, co_units=[cast.unit_b], title="新事项", lead_unit=cast.unit_a
    )
    assert _open(item) == {(cast.unit_a.pk, SignOffRole.LEAD), (cast.unit_b.pk, SignOffRole.CO)}
    assert Notification.objects.filter(user=cast.reporter_a, key__startswith="signoff:").count() == 1
    assert [t.kind for t in pending_for(cast.reporter_b, date.today())] == [SIGN]


def test_a_changed_lead_unit_signs_anew_and_the_old_row_is_withdrawn(cast):
    procedure_services.assign_item(cast.item_a)
    old = SignOff.objects.get(item=cast.item_a)
    plan_services.update_item(
        cast.supervisor, cast.item_a, expected_version=cast.item_a.version, lead_unit=cast.unit_b
    )
    old.refresh_from_db()
    assert old.withdrawn_at is not None
    assert _open(cast.item_a) == {(cast.unit_b.pk, SignOffRole.LEAD)}
    # Assigning again changes nothing.
    assert procedure_services.assign_item(cast.item_a) == []


def test_a_new_deadline_or_status_asks_no_unit_to_sign_again(cast):
    # Only a change of units is an assignment; the ledger round trip edits thousands of deadlines.
    plan_services.update_item(
        cast.supervisor, cast.item_a, expected_version=cast.item_a.version, due_date=date(2023, 12, 20)
    )
    assert _open(cast.item_a) == set()
    assert not Notification.objects.filter(key__startswith="signoff:").exists()


def test_signing_and_its_refusals(cast):
    (row,) = procedure_services.assign_item(cast.item_a)
    for user in (cast.reporter_b, cast.supervisor, cast.leader, cast.viewer):
        with pytest.raises(PermissionDenied):
            procedure_services.sign_assignment(user, row, expected_version=row.version)
    stale = SignOff.objects.get(pk=row.pk)
    procedure_services.sign_assignment(cast.reporter_a, row, expected_version=row.version)
    assert row.signed_by == cast.reporter_a and row.signed_at is not None
    with pytest.raises(ConflictError):
        procedure_services.sign_assignment(cast.reporter_a, stale, expected_version=stale.version)
    with pytest.raises(ServiceError) as caught:
        procedure_services.sign_assignment(cast.reporter_a, row, expected_version=row.version)
    assert caught.value.field == "state"
    assert pending_for(cast.reporter_a, date.today()) == []


def test_the_chase_reminds_after_n_working_days_then_issues_a_notice(cast, settings):
    settings.SUPERVISION_SIGNOFF_WORKING_DAYS = 3
    row = SignOff.objects.create(
        item=cast.item_a,
        unit=cast.unit_a,
        assigned_at=datetime(2023, 11, 3, 2, tzinfo=UTC),  # a Friday
    )
    # Mon 6 and Tue 7 Nov: two working days, nothing yet.
    assert procedure_services.chase_signoffs(date(2023, 11, 7))["reminded"] == 0
    assert procedure_services.chase_signoffs(date(2023, 11, 8))["reminded"] == 1
    assert Notification.objects.filter(user=cast.reporter_a, key=f"signoff:{row.pk}:reminder").exists()
    assert procedure_services.chase_signoffs(date(2023, 11, 9)) == {"reminded": 0, "noticed": 0}
    assert procedure_services.chase_signoffs(date(2023, 11, 13))["noticed"] == 1  # six working days
    row.refresh_from_db()
    assert row.notice is not None and row.notice.automatic and row.notice.unit == cast.unit_a
    assert procedure_services.chase_signoffs(date(2023, 11, 20))["noticed"] == 0
    assert Notice.objects.count() == 1


def test_a_signed_assignment_is_not_chased(cast):
    row = SignOff.objects.create(
        item=cast.item_a, unit=cast.unit_a, assigned_at=datetime(2023, 11, 1, tzinfo=UTC)
    )
    procedure_services.sign_assignment(cast.reporter_a, row, expected_version=row.version)
    assert procedure_services.chase_signoffs(date(2023, 12, 1))["reminded"] == 0


def test_the_working_day_rule():
    assert procedure.working_days_between(date(2023, 11, 3), date(2023, 11, 6)) == 1  # Fri → Mon
    assert procedure.working_days_between(date(2023, 11, 6), date(2023, 11, 13)) == 5
    assert procedure.signoff_chase(3, 3, False, False) == "remind"
    assert procedure.signoff_chase(6, 3, True, False) == "notice"
    assert procedure.signoff_chase(6, 3, True, True) is None
    assert procedure.signoff_chase(9, 0, False, False) is None


def test_the_item_page_and_ledger_show_who_signed(cast, client):
    from countyworks.plans.models import WorkItem
    from countyworks.supervision import status
    from countyworks.supervision.ledger_export import signoff_text

    (row,) = procedure_services.assign_item(cast.item_a)
    client.force_login(cast.reporter_a)
    page = client.get(f"/plans/items/{cast.item_a.pk}/").content.decode()
    assert f"/supervision/signoffs/{row.pk}/sign/" in page
    assert client.post(f"/supervision/signoffs/{row.pk}/sign/", {"version": row.version}).status_code == 302
    page = client.get(f"/plans/items/{cast.item_a.pk}/").content.decode()
    assert f"/supervision/signoffs/{row.pk}/sign/" not in page and "reporter_a" in page
    item = status.annotate(WorkItem.objects.filter(pk=cast.item_a.pk)).get()
    assert signoff_text(item).startswith(cast.unit_a.name + " 20")
