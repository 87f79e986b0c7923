from datetime import date

import pytest

from countyworks.core.services import ConflictError, PermissionDenied, ServiceError
from countyworks.plans import services
from countyworks.plans.models import ItemKind, WorkItem


def test_it_creates_items_for_supervisors_only(cast):
    item = services.create_item(
        cast.supervisor,
        cast.plan,
        kind=ItemKind.RECTIFICATION,
        title="整改事项一",
        co_units=[cast.unit_a, cast.unit_b],
    )
    assert set(item.co_units.all()) == {cast.unit_a, cast.unit_b}
    with pytest.raises(PermissionDenied):
        services.create_item(cast.leader, cast.plan, title="领导不能建")
    with pytest.raises(PermissionDenied):
        services.create_item(cast.outsider_supervisor, cast.plan, title="外县不能建")


def test_it_rejects_a_due_date_before_the_start(cast):
    with pytest.raises(ServiceError) as caught:
        services.create_item(
            cast.supervisor, cast.plan, title="x", start_date=date(2023, 5, 1), due_date=date(2023, 4, 1)
        )
    assert caught.value.field == "due_date"


def test_the_second_of_two_concurrent_edits_gets_a_conflict(cast):
    first = WorkItem.objects.get(pk=cast.item_a.pk)
    second = WorkItem.objects.get(pk=cast.item_a.pk)
    services.update_item(cast.supervisor, first, expected_version=first.version, title="改名一")
    with pytest.raises(ConflictError):
        services.update_item(cast.supervisor, second, expected_version=second.version, title="改名二")
    assert WorkItem.objects.get(pk=cast.item_a.pk).title == "改名一"


def test_deleting_keeps_the_item_and_its_history(cast):
    services.delete_item(cast.supervisor, cast.item_a)
    assert not WorkItem.objects.filter(pk=cast.item_a.pk).exists()
    kept = WorkItem.all_objects.get(pk=cast.item_a.pk)
    assert kept.deleted_at is not None
    assert kept.history.count() >= 2


def test_history_records_who_changed_an_item(cast):
    item = WorkItem.objects.get(pk=cast.item_a.pk)
    item._history_user = cast.supervisor
    services.update_item(cast.supervisor, item, expected_version=item.version, progress=30)
    assert item.history.first().history_user == cast.supervisor
