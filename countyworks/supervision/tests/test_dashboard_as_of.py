"""The dashboard as of a past day (`?as_of=`): the state rebuilt from the items' history."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from countyworks.plans.models import ItemStatus, Light, WorkItem
from countyworks.plans.queries import plan_rollup
from countyworks.supervision import status
from countyworks.supervision.thresholds import current_thresholds

DAY = date(2023, 6, 30)


@pytest.fixture
def a_year_of_history(cast):
    """item_a: 35 % in June, done in August; item_b: 10 % in March. Both exist from 1 January."""
    start = timezone.make_aware(datetime(2023, 1, 1, 9))
    for item in (cast.item_a, cast.item_b):
        WorkItem.history.filter(id=item.pk).update(history_date=start)
    a = WorkItem.objects.get(pk=cast.item_a.pk)
    b = WorkItem.objects.get(pk=cast.item_b.pk)
    with time_machine.travel(date(2023, 3, 31), tick=False):
        b.progress, b.status = Decimal("10"), ItemStatus.IN_PROGRESS
        b.save()
    with time_machine.travel(date(2023, 6, 10), tick=False):
        a.progress, a.status = Decimal("35"), ItemStatus.IN_PROGRESS
        a.save()
    with time_machine.travel(date(2023, 8, 1), tick=False):
        a.progress, a.status = Decimal("100"), ItemStatus.COMPLETED
        a.save()
    return a, b


def test_the_dashboard_as_of_a_day_equals_the_state_rebuilt_from_history(client, cast, a_year_of_history):
    client.force_login(cast.leader)
    response = client.get(reverse("supervision:dashboard"), {"plan": cast.plan.pk, "as_of": DAY.isoformat()})
    assert response.status_code == 200
    context = response.context
    rebuilt = status.annotate(
        status.history_as_of(DAY).filter(plan_id=cast.plan.pk), DAY, current_thresholds()
    )
    rows = list(rebuilt)
    assert {r.id: r.progress for r in rows} == {cast.item_a.pk: Decimal("35"), cast.item_b.pk: Decimal("10")}
    lights = Counter(r.light for r in rows)
    assert {row["key"]: row["count"] for row in context["lights"]} == {
        k: lights.get(k, 0) for k in Light.values
    }
    assert context["total"] == len(rows)
    assert sorted(i.id for i in context["overdue"]) == sorted(r.id for r in rows if r.is_overdue)
    _, rolled = plan_rollup(cast.plan, rebuilt)
    assert context["total_progress"] == rolled[None].progress
    assert context["as_of"] == DAY and context["today"] == DAY
    html = response.content.decode()
    assert "2023-06-30" in html
    # Rows link to the item itself, not to a history row.
    for item in context["overdue"]:
        assert f'href="{reverse("ledger:item", args=[item.id])}"' in html

    # The ranking beside it speaks of the same day: unit A's item at 35 %, not yet completed.
    ranking = {row.unit_id: row for row in context["ranking"]}
    assert (ranking[cast.unit_a.pk].average_progress, ranking[cast.unit_a.pk].completed) == (35.0, 0)

    # Today the same plan shows item_a done: the replay is not today's state.
    now = client.get(reverse("supervision:dashboard"), {"plan": cast.plan.pk}).context
    assert now["total_progress"] != context["total_progress"]
    assert now["as_of"] is None
    assert {row.unit_id: row for row in now["ranking"]}[cast.unit_a.pk].completed == 1


def test_a_bad_as_of_is_refused_naming_the_field(client, cast):
    client.force_login(cast.leader)
    response = client.get(reverse("supervision:dashboard"), {"as_of": "30/06/2023"})
    assert response.status_code == 400
    assert "as_of" in response.content.decode()


def test_the_ledger_as_of_a_day_lists_the_items_as_they_stood(client, cast, a_year_of_history):
    client.force_login(cast.leader)
    response = client.get(reverse("ledger:list"), {"as_of": DAY.isoformat()})
    assert response.status_code == 200
    rows = {r.id: r.progress for r in response.context["page"].object_list}
    assert rows == {cast.item_a.pk: Decimal("35"), cast.item_b.pk: Decimal("10")}
    html = response.content.decode()
    assert f'href="{reverse("ledger:item", args=[cast.item_a.pk])}"' in html
    assert client.get(reverse("ledger:list"), {"as_of": "2023-13-01"}).status_code == 400
