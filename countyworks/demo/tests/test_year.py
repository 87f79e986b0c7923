"""The 2023 demo as a year at work: every item led by a unit and a leader by title, and a history
that replays month by month (status.history_as_of)."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from countyworks.demo import year
from countyworks.demo.services import load_demo
from countyworks.plans.models import WorkItem
from countyworks.supervision import status


def test_monthly_progress_climbs_and_done_items_end_at_100():
    for key in year.LEADS:
        for completed in (True, False):
            steps = year.monthly_progress(key, completed)
            values = [v for _, v, _ in steps]
            assert values == sorted(values) and len(set(values)) == len(values)
            assert values[-1] == year.final_progress(key, completed)
            assert [done for _, _, done in steps].count(True) == (1 if completed else 0)
            assert all(1 <= month <= 12 for month, _, _ in steps)


@pytest.fixture
def demo(db):
    return load_demo(with_activity=False)


def test_every_2023_item_has_a_lead_unit_and_a_leader_by_title(demo):
    items = WorkItem.objects.filter(plan__year=year.YEAR).select_related("lead_unit", "lead_leader")
    assert items.count() == len(year.LEADS)
    for item in items:
        assert item.lead_unit is not None, item.title
        assert item.lead_leader is not None and item.lead_leader.name in year.LEADERS.values(), item.title
        assert year.ILLUSTRATIVE in item.lead_leader.title


def test_the_year_replays_month_by_month_with_the_lights_of_a_working_year(demo):
    ids = WorkItem.objects.filter(plan__year=year.YEAR).values("pk")

    def state(day):
        return {r.id: r for r in status.annotate(status.history_as_of(day, ids), day)}

    march, june, october = state(date(2023, 3, 31)), state(date(2023, 6, 30)), state(date(2023, 10, 31))
    assert len(march) == len(june) == len(october) == len(year.LEADS)
    # Progress only grows, and by June some work is done, some ahead, some behind.
    for pk, row in june.items():
        assert march[pk].progress <= row.progress <= october[pk].progress
    lights = Counter(r.light for r in june.values())
    assert lights["done"] and lights["green"] and lights["yellow"]
    assert Counter(r.light for r in october.values())["done"] > lights["done"]
    # Before the year began no item existed.
    assert not state(date(2022, 12, 31))


def test_a_second_load_writes_no_new_history(demo):
    before = WorkItem.history.count()
    load_demo(with_activity=False)
    assert WorkItem.history.count() == before
