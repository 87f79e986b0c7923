"""The plans screens for every role: the item editor and a new item."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from countyworks.plans.models import ItemKind, ItemStatus, WorkItem


@pytest.fixture
def client_as(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def edit_data(item: WorkItem, **changes) -> dict:
    data = {
        "kind": item.kind,
        "number": item.number,
        "title": item.title,
        "lead_unit": item.lead_unit_id or "",
        "lead_leader": item.lead_leader_id or "",
        "start_date": item.start_date.isoformat() if item.start_date else "",
        "due_date": item.due_date.isoformat() if item.due_date else "",
        "progress": str(item.progress),
        "weight": str(item.weight),
        "status": item.status,
        "version": item.version,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("name", ["ledger:list", "ledger:tree", "plans:item_new"])
def test_it_sends_anonymous_users_to_the_login_page(client, cast, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_sends_anonymous_users_away_from_an_item(client, cast):
    for url in (
        reverse("ledger:item", args=[cast.item_a.pk]),
        reverse("plans:item_edit", args=[cast.item_a.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_it_refuses_a_leader_who_tries_to_edit(client_as, cast):
    client = client_as(cast.leader)
    url = reverse("plans:item_edit", args=[cast.item_a.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, edit_data(cast.item_a, title="被领导改过的标题"))
    assert response.status_code == 403
    cast.item_a.refresh_from_db()
    assert cast.item_a.title == "测试重点项目甲" and cast.item_a.version == 1


def test_it_refuses_a_reporter_who_tries_to_add_an_item(client_as, cast):
    response = client_as(cast.reporter_a).get(reverse("plans:item_new"))
    assert response.status_code == 403


def test_it_saves_a_supervisors_edit_and_keeps_its_history(client_as, cast):
    client = client_as(cast.supervisor)
    url = reverse("plans:item_edit", args=[cast.item_a.pk])
    response = client.post(url, edit_data(cast.item_a, title="重点项目甲（调整）", progress="35"))
    assert response.status_code == 302
    cast.item_a.refresh_from_db()
    assert cast.item_a.title == "重点项目甲（调整）"
    assert cast.item_a.progress == Decimal("35")
    assert cast.item_a.version == 2
    page = client.get(reverse("ledger:item", args=[cast.item_a.pk])).content.decode()
    assert "测试重点项目甲 → 重点项目甲（调整）" in page
    assert "supervisor" in page  # who changed it


def test_it_shows_a_conflict_and_keeps_what_the_second_editor_typed(client_as, cast):
    client = client_as(cast.supervisor)
    url = reverse("plans:item_edit", args=[cast.item_a.pk])
    stale = edit_data(cast.item_a, title="第二人填写的标题")
    assert client.post(url, edit_data(cast.item_a, title="第一人保存的标题")).status_code == 302

    response = client.post(url, stale)
    assert response.status_code == 200
    page = response.content.decode()
    assert "changed by someone else" in page or "他人" in page
    assert 'value="第二人填写的标题"' in page  # nothing typed is lost
    assert "第一人保存的标题" in page  # and the saved value is shown beside it
    cast.item_a.refresh_from_db()
    assert cast.item_a.title == "第一人保存的标题" and cast.item_a.version == 2
    # The form now carries the current version: saving again is a deliberate overwrite.
    assert response.context["form"]["version"].value() == "2"
    assert client.post(url, response.context["form"].data).status_code == 302
    cast.item_a.refresh_from_db()
    assert cast.item_a.title == "第二人填写的标题" and cast.item_a.version == 3


def test_it_creates_an_item_for_a_supervisor(client_as, cast):
    client = client_as(cast.supervisor)
    url = reverse("plans:item_new") + f"?plan={cast.plan.pk}"
    assert client.get(url).status_code == 200
    data = {
        "kind": ItemKind.ROUTINE,
        "title": "新增的常规任务",
        "progress": "0",
        "weight": "1",
        "status": ItemStatus.NOT_STARTED,
        "lead_unit": cast.unit_b.pk,
        "co_units": [cast.unit_a.pk],
    }
    response = client.post(url, data)
    item = WorkItem.objects.get(title="新增的常规任务")
    assert response.status_code == 302 and response["Location"] == reverse("ledger:item", args=[item.pk])
    assert list(item.co_units.all()) == [cast.unit_a]


def test_it_names_the_bad_field_when_dates_are_reversed(client_as, cast):
    client = client_as(cast.supervisor)
    url = reverse("plans:item_edit", args=[cast.item_a.pk])
    response = client.post(url, edit_data(cast.item_a, start_date="2023-12-01", due_date="2023-01-01"))
    assert response.status_code == 200
    assert "due_date" in response.context["form"].errors
    cast.item_a.refresh_from_db()
    assert cast.item_a.due_date == date(2023, 12, 31)
