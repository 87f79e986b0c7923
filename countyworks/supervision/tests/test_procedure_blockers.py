"""问题协调 (issue 13): a unit raises a blocker to the lead county leader or the office, who answers;
the refusals (role, unit, state, version, input), the leader's view and the screens."""

from __future__ import annotations

import pytest
from django.urls import reverse

from countyworks.core.services import ConflictError, PermissionDenied, ServiceError
from countyworks.supervision import procedure_services
from countyworks.supervision.models import Blocker, BlockerState, BlockerTo, Notification


@pytest.fixture
def leader_of_a(cast):
    """The leader's account stands for item a's lead county leader."""
    cast.leader.person = cast.leader_person
    cast.leader.save()
    return cast.leader


def _raise(cast, to=BlockerTo.LEADER, user=None):
    return procedure_services.raise_blocker(
        user or cast.reporter_a, cast.item_a, text="征地补偿款未到位，影响开工", addressed_to=to
    )


def test_a_unit_raises_a_blocker_and_its_leader_and_the_office_are_told(cast, leader_of_a):
    blocker = _raise(cast)
    assert (blocker.state, blocker.unit_id) == (BlockerState.OPEN, cast.unit_a.pk)
    told = set(Notification.objects.filter(key=f"blocker:{blocker.pk}:raised").values_list("user", flat=True))
    assert told == {cast.leader.pk, cast.supervisor.pk}


def test_who_may_raise_and_what_a_blocker_needs(cast):
    for user in (cast.reporter_b, cast.supervisor, cast.leader, cast.viewer):
        with pytest.raises(PermissionDenied):
            _raise(cast, user=user)
    with pytest.raises(ServiceError) as caught:
        procedure_services.raise_blocker(
            cast.reporter_a, cast.item_a, text=" ", addressed_to=BlockerTo.OFFICE
        )
    assert caught.value.field == "text"
    with pytest.raises(ServiceError) as caught:
        procedure_services.raise_blocker(cast.reporter_a, cast.item_a, text="x", addressed_to="mayor")
    assert caught.value.field == "addressed_to"
    cast.item_a.lead_leader = None
    cast.item_a.save()
    with pytest.raises(ServiceError) as caught:
        _raise(cast)
    assert caught.value.field == "addressed_to"  # no leader to address: the office it is


def test_the_lead_leader_or_the_office_answers_and_nobody_else(cast, leader_of_a):
    to_leader, to_office = _raise(cast), _raise(cast, to=BlockerTo.OFFICE)
    for user in (cast.reporter_a, cast.reporter_b, cast.viewer, cast.outsider_supervisor):
        with pytest.raises(PermissionDenied):
            procedure_services.answer_blocker(user, to_leader, answer="x", expected_version=1)
    with pytest.raises(PermissionDenied):  # a blocker for the office is not the leader's to answer
        procedure_services.answer_blocker(cast.leader, to_office, answer="x", expected_version=1)
    with pytest.raises(ServiceError) as caught:
        procedure_services.answer_blocker(cast.leader, to_leader, answer=" ", expected_version=1)
    assert caught.value.field == "answer"
    stale = Blocker.objects.get(pk=to_leader.pk)
    procedure_services.answer_blocker(
        cast.leader, to_leader, answer="已协调财政局本周拨付", expected_version=1
    )
    assert (to_leader.state, to_leader.answered_by) == (BlockerState.ANSWERED, cast.leader)
    assert Notification.objects.filter(user=cast.reporter_a, key=f"blocker:{to_leader.pk}:answered").exists()
    with pytest.raises(ConflictError):
        procedure_services.answer_blocker(cast.supervisor, stale, answer="y", expected_version=stale.version)
    fresh = Blocker.objects.get(pk=to_leader.pk)
    with pytest.raises(ServiceError) as caught:
        procedure_services.answer_blocker(cast.supervisor, fresh, answer="y", expected_version=fresh.version)
    assert caught.value.field == "state"
    procedure_services.answer_blocker(cast.supervisor, to_office, answer="督查室跟进", expected_version=1)


def test_only_the_raising_unit_and_region_wide_readers_see_a_blocker(cast, client):
    from countyworks.accounts import policy

    cast.item_a.co_units.add(cast.unit_b)
    blocker = _raise(cast)
    assert blocker in policy.visible_blockers(cast.supervisor) and blocker in policy.visible_blockers(
        cast.leader
    )
    assert blocker not in policy.visible_blockers(cast.reporter_b)  # a co-operating unit: not its letter
    assert blocker not in policy.visible_blockers(cast.outsider_supervisor)


def test_the_screens_raise_list_on_the_leaders_view_and_answer(cast, client, leader_of_a):
    client.force_login(cast.reporter_a)
    item_url = reverse("ledger:item", args=[cast.item_a.pk])
    assert 'id="blocker-form"' in client.get(item_url).text
    client.post(
        reverse("supervision:blocker_raise", args=[cast.item_a.pk]),
        {"addressed_to": BlockerTo.LEADER, "text": "环评批复待省厅审核"},
    )
    blocker = Blocker.objects.get()
    client.force_login(cast.leader)
    view = client.get(reverse("supervision:leader")).text
    assert "环评批复待省厅审核" in view and f"#blocker-{blocker.pk}" in view
    page = client.get(item_url).text
    assert f'action="{reverse("supervision:blocker_answer", args=[blocker.pk])}"' in page
    client.post(
        reverse("supervision:blocker_answer", args=[blocker.pk]),
        {f"b{blocker.pk}-version": blocker.version, f"b{blocker.pk}-answer": "请发改局本周对接省厅"},
    )
    assert Blocker.objects.get().state == BlockerState.ANSWERED
    assert "环评批复待省厅审核" not in client.get(reverse("supervision:leader")).text


def test_the_bulletin_lists_what_waits_for_coordination_to_those_who_may_read_it(cast, leader_of_a):
    from datetime import UTC, date, datetime

    from countyworks.reports.builders.bulletin import build_bulletin

    def blocker_rows(user, end=date(2023, 12, 31)):
        report = build_bulletin(cast.county, date(2023, 1, 1), end, user=user)
        return [
            row for s in report.sections if s.key == "blockers" for table in s.tables for row in table.rows
        ]

    blocker = _raise(cast)
    Blocker.objects.filter(pk=blocker.pk).update(raised_at=datetime(2023, 11, 3, 2, tzinfo=UTC))
    rows = blocker_rows(cast.leader)
    assert rows == [
        [cast.item_a.title, cast.unit_a.name, "牵头县领导", "征地补偿款未到位，影响开工", "11月3日"]
    ]
    assert blocker_rows(cast.reporter_b) == []  # another unit's letter
    assert blocker_rows(cast.leader, end=date(2023, 10, 31)) == []  # not raised yet by then
    blocker.refresh_from_db()
    procedure_services.answer_blocker(cast.leader, blocker, answer="已协调", expected_version=blocker.version)
    Blocker.objects.filter(pk=blocker.pk).update(answered_at=datetime(2023, 12, 5, 2, tzinfo=UTC))
    assert len(blocker_rows(cast.leader, end=date(2023, 11, 30))) == 1  # still waiting on 30 November
    assert blocker_rows(cast.leader) == []
