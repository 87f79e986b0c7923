"""批示 that assign work (issue 13): a leader's instruction addressed to units with a deadline becomes
one notice per unit, which the unit signs for and answers and the office or the author closes; the
office turns it into a new work item whose source is the instruction."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from countyworks.accounts import policy
from countyworks.accounts.models import ApiToken, Role, TokenScope
from countyworks.conftest import make_user
from countyworks.core.services import PermissionDenied, ServiceError
from countyworks.plans.models import WorkItem
from countyworks.sources.models import DocumentKind
from countyworks.supervision import my_work, procedure, procedure_services, services
from countyworks.supervision.models import Instruction, Notice, NoticeState, Notification


@pytest.fixture(autouse=True)
def _co_unit(cast):
    """Unit B co-operates on item A, so an instruction on it may be addressed to both units."""
    cast.item_a.co_units.add(cast.unit_b)


def _instruct(cast, units=None, deadline=None, user=None):
    return services.add_instruction(
        user or cast.leader,
        cast.item_a,
        text="请发改局牵头、文旅局配合，月底前拿出项目融资方案",
        units=[cast.unit_a, cast.unit_b] if units is None else units,
        deadline=deadline or timezone.localdate() + timedelta(days=20),
    )


def _state(instruction) -> str:
    return procedure_services.instruction_state(Instruction.objects.get(pk=instruction.pk))


def test_the_instruction_state_is_its_slowest_unit():
    assert procedure.instruction_state([]) == ""
    assert procedure.instruction_state(["answered", "issued"]) == "issued"
    assert procedure.instruction_state(["answered", "closed"]) == "answered"
    assert procedure.instruction_state(["closed", "closed"]) == "closed"


def test_a_plain_instruction_stays_a_comment(cast):
    instruction = services.add_instruction(cast.leader, cast.item_a, text="要加快进度")
    assert instruction.deadline is None and instruction.notices.count() == 0 and _state(instruction) == ""


def test_an_addressed_instruction_gives_each_unit_a_notice_and_tells_it(cast):
    instruction = _instruct(cast)
    notices = list(instruction.notices.order_by("unit_id"))
    assert [n.unit_id for n in notices] == sorted([cast.unit_a.pk, cast.unit_b.pk])
    assert all(n.deadline == instruction.deadline and n.number.startswith("批示") for n in notices)
    assert all(n.content == instruction.text and n.issued_by == cast.leader for n in notices)
    assert Notification.objects.filter(user=cast.reporter_a, key__contains="instruction").count() == 1
    assert Notification.objects.filter(user=cast.reporter_b, key__contains="instruction").count() == 1
    assert _state(instruction) == NoticeState.ISSUED
    # On each unit's 我的事项, as notices to sign for.
    todos = my_work.open_notices(cast.reporter_b, timezone.localdate())
    assert [t.title for t in todos] == [cast.item_a.title] and "批示" not in todos[0].url


def test_sign_answer_and_close_follow_the_notice_flow(cast):
    instruction = _instruct(cast)
    a = instruction.notices.get(unit=cast.unit_a)
    b = instruction.notices.get(unit=cast.unit_b)
    services.acknowledge_notice(cast.reporter_a, a)
    assert _state(instruction) == NoticeState.ISSUED  # unit B has not signed yet
    services.acknowledge_notice(cast.reporter_b, b)
    assert _state(instruction) == NoticeState.ACKNOWLEDGED
    services.answer_notice(cast.reporter_a, a, answer="融资方案已报县政府")
    services.answer_notice(cast.reporter_b, b, answer="配合完成")
    assert _state(instruction) == NoticeState.ANSWERED
    # The author is told of each answer.
    assert Notification.objects.filter(user=cast.leader, key__endswith=":answered").count() == 2
    # The author closes one, the office the other; a reporter may not.
    with pytest.raises(PermissionDenied):
        services.close_notice(cast.reporter_a, a)
    services.close_notice(cast.leader, a)
    assert _state(instruction) == NoticeState.ANSWERED
    services.close_notice(cast.supervisor, Notice.objects.get(pk=b.pk))
    assert _state(instruction) == NoticeState.CLOSED
    assert Notification.objects.filter(user=cast.reporter_a, key__endswith=":closed").count() == 1


def test_another_leader_may_not_close_an_instruction_of_someone_else(cast):
    instruction = _instruct(cast, units=[cast.unit_a])
    notice = instruction.notices.get()
    services.answer_notice(cast.reporter_a, notice, answer="已办")
    other = make_user("leader2", Role.LEADER, cast.county)
    with pytest.raises(PermissionDenied):
        services.close_notice(other, notice)


def test_refusals(cast):
    with pytest.raises(PermissionDenied):
        _instruct(cast, user=cast.supervisor)
    with pytest.raises(PermissionDenied):
        _instruct(cast, user=cast.reporter_a)
    with pytest.raises(ServiceError) as missing:
        services.add_instruction(cast.leader, cast.item_a, text="请办理", units=[cast.unit_a])
    assert missing.value.field == "deadline"
    with pytest.raises(ServiceError) as past:
        _instruct(cast, deadline=timezone.localdate() - timedelta(days=1))
    assert past.value.field == "deadline"
    with pytest.raises(ServiceError) as no_units:
        services.add_instruction(cast.leader, cast.item_a, text="请办理", deadline=timezone.localdate())
    assert no_units.value.field == "unit_ids"
    from countyworks.regions.models import Organisation

    elsewhere = Organisation.objects.create(name="县住建局", region=cast.county)  # not on the item
    with pytest.raises(ServiceError) as outside:
        _instruct(cast, units=[elsewhere])
    assert outside.value.field == "unit_ids"
    assert Instruction.objects.count() == 0 and Notice.objects.count() == 0


def test_the_office_makes_a_work_item_with_the_instruction_as_its_source(cast):
    instruction = _instruct(cast)
    with pytest.raises(PermissionDenied):
        procedure_services.make_item_from_instruction(cast.leader, instruction, plan=cast.plan)
    item = procedure_services.make_item_from_instruction(cast.supervisor, instruction, plan=cast.plan)
    instruction.refresh_from_db()
    assert instruction.created_item == item
    assert item.citation.document.kind == DocumentKind.INSTRUCTION
    assert item.citation.document.text == instruction.text
    assert (item.lead_unit, list(item.co_units.all()), item.due_date) == (
        cast.unit_a,
        [cast.unit_b],
        instruction.deadline,
    )
    assert item.title == instruction.text
    # The new item is assigned like any other: its units sign for it.
    assert set(item.signoffs.values_list("unit_id", flat=True)) == {cast.unit_a.pk, cast.unit_b.pk}
    # The instruction's document is internal: not for the public.
    assert not policy.visible_documents(AnonymousUser()).filter(pk=item.citation.document_id).exists()
    with pytest.raises(ServiceError) as again:
        procedure_services.make_item_from_instruction(cast.supervisor, instruction, plan=cast.plan)
    assert again.value.field == "state"


def test_the_screens(cast):
    leader = Client()
    leader.force_login(cast.leader)
    deadline = (timezone.localdate() + timedelta(days=10)).isoformat()
    url = reverse("supervision:instruction_add", args=[cast.item_a.pk])
    leader.post(url, {"text": "请限期整改", "units": [cast.unit_a.pk], "deadline": deadline})
    instruction = Instruction.objects.get()
    assert instruction.notices.get().unit == cast.unit_a
    # A date that is not one is refused by the form, naming the field; nothing is written.
    response = leader.post(
        url, {"text": "再次批示", "units": [cast.unit_a.pk], "deadline": "下周"}, follow=True
    )
    assert "答复期限" in response.content.decode() and Instruction.objects.count() == 1
    page = leader.get(reverse("ledger:item", args=[cast.item_a.pk])).content.decode()
    assert f'data-instruction="{instruction.pk}" data-state="issued"' in page
    assert reverse("supervision:instruction_to_item", args=[instruction.pk]) not in page  # not the office
    office = Client()
    office.force_login(cast.supervisor)
    make = reverse("supervision:instruction_to_item", args=[instruction.pk])
    assert make in office.get(reverse("ledger:item", args=[cast.item_a.pk])).content.decode()
    assert office.get(make).status_code == 200
    assert office.post(make, {"plan": "nonsense"}).status_code == 200  # the form says which field
    response = office.post(make, {"plan": cast.plan.pk, "title": "项目融资方案"})
    item = WorkItem.objects.get(title="项目融资方案")
    assert response.status_code == 302 and response["Location"] == reverse("ledger:item", args=[item.pk])
    assert leader.get(make).status_code == 403


def test_the_api(cast):
    _t, key = ApiToken.issue(cast.leader, "leader", cast.county, TokenScope.WRITE)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    deadline = (timezone.localdate() + timedelta(days=10)).isoformat()
    body = {"item_id": cast.item_a.pk, "text": "请办理", "unit_ids": [cast.unit_a.pk], "deadline": deadline}
    bad = client.post(
        reverse("api:add_instruction"), {**body, "unit_ids": [999999]}, content_type="application/json"
    )
    assert bad.status_code == 400 and "unit_ids" in bad.content.decode()
    no_date = client.post(
        reverse("api:add_instruction"), {**body, "deadline": None}, content_type="application/json"
    )
    assert no_date.status_code == 400 and "deadline" in no_date.content.decode()
    created = client.post(reverse("api:add_instruction"), body, content_type="application/json")
    assert created.status_code == 201
    data = created.json()
    assert data["state"] == "issued" and len(data["notice_ids"]) == 1 and data["deadline"] == deadline
    _t, office_key = ApiToken.issue(cast.supervisor, "office", cast.county, TokenScope.WRITE)
    office = Client(HTTP_AUTHORIZATION=f"Bearer {office_key}")
    url = reverse("api:make_item_from_instruction", args=[data["id"]])
    assert office.post(url, {"plan_id": 999999}, content_type="application/json").status_code == 400
    made = office.post(url, {"plan_id": cast.plan.pk}, content_type="application/json")
    assert made.status_code == 201
    assert (
        office.get(reverse("api:get_instruction", args=[data["id"]])).json()["created_item_id"]
        == (made.json()["item_id"])
    )
