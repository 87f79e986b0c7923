"""Deleting is soft: the row and its history stay, only the lists stop showing it.

No normal action destroys what a county reported: every DELETE the site answers (API and
screens alike) is called, and no work item, progress report or evidence row disappears.
There is no screen or endpoint that deletes a progress report; a report is soft-deleted through
its model (SoftDeletable), and the lists must stop showing it too.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from countyworks.core.tests.matrix import build_world, client_for
from countyworks.core.tests.test_permission_matrix import TABLE
from countyworks.plans import services
from countyworks.plans.models import WorkItem
from countyworks.supervision.models import Evidence, ProgressReport


@pytest.fixture
def world(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world(cast)


def _kept() -> tuple[int, int, int]:
    return WorkItem.all_objects.count(), ProgressReport.all_objects.count(), Evidence.objects.count()


def _listed_item_ids(client: Client) -> set[int]:
    return {row["id"] for row in client.get(reverse("api:list_items") + "?limit=100").json()["results"]}


def test_it_keeps_an_item_deleted_through_the_api_with_its_history_and_reports(world):
    item = world.a.item
    client = client_for(world, "token_write")
    history_before = WorkItem.history.filter(id=item.pk).count()
    reports_before = ProgressReport.all_objects.filter(item=item).count()
    assert item.pk in _listed_item_ids(client)

    response = client.delete(reverse("api:delete_item", args=[item.pk]))

    assert response.status_code == 204
    stored = WorkItem.all_objects.get(pk=item.pk)
    assert stored.deleted_at is not None
    assert stored.title == item.title
    assert WorkItem.history.filter(id=item.pk).count() == history_before + 1
    assert ProgressReport.all_objects.filter(item=item).count() == reports_before > 0
    assert item.pk not in _listed_item_ids(client)
    assert client.get(reverse("api:get_item", args=[item.pk])).status_code == 404


def test_it_hides_a_soft_deleted_item_from_the_ledger_portal_and_api(world):
    item = world.a.item
    supervisor = client_for(world, "supervisor")
    assert item.title in supervisor.get(reverse("ledger:list")).content.decode()
    assert item.title in Client().get(reverse("portal:region", args=["140427"])).content.decode()

    services.delete_item(world.cast.supervisor, item)

    assert WorkItem.all_objects.filter(pk=item.pk, deleted_at__isnull=False).exists()
    assert item.title not in supervisor.get(reverse("ledger:list")).content.decode()
    assert item.title not in Client().get(reverse("portal:region", args=["140427"])).content.decode()
    assert supervisor.get(reverse("ledger:item", args=[item.pk])).status_code == 404
    assert item.pk not in _listed_item_ids(supervisor)
    assert item.pk not in _listed_item_ids(Client())
    # Its reports are kept, not listed.
    assert ProgressReport.all_objects.filter(item=item).count() == 4  # the world has four per side
    listed = supervisor.get(reverse("api:list_reports") + "?limit=100").json()["results"]
    assert item.pk not in {row["item_id"] if "item_id" in row else row.get("item") for row in listed}


def test_it_refuses_a_delete_by_a_role_that_may_not_and_keeps_everything(world):
    before = _kept()
    for role in ("reporter_a_own", "leader", "viewer", "token_read", "token_other", "anonymous"):
        response = client_for(world, role).delete(reverse("api:delete_item", args=[world.a.item.pk]))
        assert response.status_code in (401, 403, 404), role
    assert _kept() == before
    assert WorkItem.objects.filter(pk=world.a.item.pk).exists()


def test_it_keeps_a_soft_deleted_report_and_its_history_out_of_the_lists(world):
    report = world.a.approved
    client = client_for(world, "supervisor")
    listed = {row["id"] for row in client.get(reverse("api:list_reports") + "?limit=100").json()["results"]}
    assert report.pk in listed

    report.soft_delete()

    assert ProgressReport.all_objects.filter(pk=report.pk, deleted_at__isnull=False).exists()
    assert ProgressReport.history.filter(id=report.pk).count() >= 2
    assert Evidence.objects.filter(report=report).count() == 2
    listed = {row["id"] for row in client.get(reverse("api:list_reports") + "?limit=100").json()["results"]}
    assert report.pk not in listed
    assert client.get(reverse("api:get_report", args=[report.pk])).status_code == 404
    assert report.text not in client.get(reverse("ledger:item", args=[report.item_id])).content.decode()


@pytest.mark.parametrize("role", ["supervisor", "token_write"])
def test_it_destroys_nothing_on_any_delete_request_the_site_answers(world, role):
    """DELETE on every route of the permission table, as the most powerful caller of the region."""
    client = client_for(world, role)
    before = _kept()
    answered = {}
    for row in TABLE:
        response = client.delete(row.url(world, world.a))
        answered[row.id] = response.status_code
        assert response.status_code < 500, row.id
    # /items/{id} is shared by several rows: the first DELETE on it deletes (softly), later ones find nothing.
    assert 204 in answered.values()
    assert WorkItem.all_objects.get(pk=world.a.item.pk).deleted_at is not None
    # The one DELETE that succeeds (the API's item delete) is soft: the row is still there.
    assert WorkItem.all_objects.count() == before[0]
    assert ProgressReport.all_objects.count() == before[1]
    assert Evidence.objects.count() == before[2]
