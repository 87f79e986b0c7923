"""The SQL translation of the light rule gives what the rule gives, item by item and day by day.

Runs on whichever database the suite runs on (CI runs it on SQLite and PostgreSQL). Items are drawn
at random and, on purpose, on the boundaries: progress set so that an item is exactly N points
behind on the day, or a hundredth of a point either side of it.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal

import pytest
from django.db.models import Count

from countyworks.plans.models import ItemStatus, Plan, WorkItem
from countyworks.supervision import rules, status
from countyworks.supervision.rules import Thresholds

STATES = [s.value for s in ItemStatus]
THRESHOLD_SETS = [
    Thresholds(),
    Thresholds(yellow_behind_points=0, red_behind_points=1, due_soon_days=0),
    Thresholds(yellow_behind_points=5, red_behind_points=15, due_soon_days=30),
    Thresholds(yellow_behind_points=50, red_behind_points=99, due_soon_days=3),
]


def _random_items(plan: Plan, rng: random.Random, days: list[date]) -> list[WorkItem]:
    items = []
    for n in range(400):
        start = None if rng.random() < 0.3 else date(2023, 1, 1) + timedelta(days=rng.randint(-40, 300))
        due = (
            None if rng.random() < 0.05 else (start or date(2023, 1, 1)) + timedelta(days=rng.randint(0, 400))
        )
        if rng.random() < 0.5 and due is not None:
            # Exactly on (or a hundredth beside) a threshold on one of the tested days.
            day = rng.choice(days)
            thresholds = rng.choice(THRESHOLD_SETS)
            points = rng.choice([thresholds.yellow_behind_points, thresholds.red_behind_points])
            expected = rules.expected_share(start or date(2023, 1, 1), due, day)
            progress = (
                Decimal(expected.numerator) / Decimal(expected.denominator) - Decimal(points)
            ).quantize(Decimal("0.01"), rounding=ROUND_FLOOR) + Decimal(rng.choice(["0", "0.01", "-0.01"]))
        else:
            progress = Decimal(rng.randint(0, 10000)) / 100
        progress = min(max(progress, Decimal(0)), Decimal(100))
        items.append(
            WorkItem(
                plan=plan,
                title=f"事项{n}",
                start_date=start,
                due_date=due,
                progress=progress,
                status=rng.choice(STATES),
            )
        )
    return WorkItem.objects.bulk_create(items)


def test_it_derives_in_sql_the_light_and_overdue_flag_the_rule_gives(cast):
    rng = random.Random(20231231)
    days = [date(2023, 1, 1), date(2023, 3, 15), date(2023, 7, 2), date(2023, 12, 31), date(2024, 1, 1)]
    days += [date(2022, 12, 1) + timedelta(days=rng.randint(0, 500)) for _ in range(5)]
    _random_items(cast.plan, rng, days)
    items = list(WorkItem.objects.select_related("plan"))
    mismatches = []
    for thresholds in THRESHOLD_SETS:
        for day in days:
            derived = dict(
                (pk, (light, overdue))
                for pk, light, overdue in status.annotate(
                    WorkItem.objects.all(), day, thresholds
                ).values_list("pk", "light", "is_overdue")
            )
            for item in items:
                expected = rules.assess(status.facts_of(item), day, thresholds)
                if derived[item.pk] != (expected.light, expected.overdue):
                    mismatches.append((item.pk, day, thresholds, derived[item.pk], expected))
    assert mismatches == []


def test_it_counts_lights_in_sql(cast):
    cast.item_a.progress = Decimal("10")
    cast.item_a.save()
    counts = dict(
        status.annotate(WorkItem.objects.all(), date(2023, 12, 1), Thresholds())
        .values_list("light")
        .annotate(n=Count("id"))
    )
    assert counts == {"red": 2}


@pytest.mark.parametrize(("day", "overdue"), [(date(2023, 12, 31), False), (date(2024, 1, 1), True)])
def test_it_turns_an_item_overdue_at_midnight_after_its_due_date(cast, day, overdue):
    WorkItem.objects.filter(pk=cast.item_a.pk).update(progress=80, status=ItemStatus.IN_PROGRESS)
    row = status.annotate(WorkItem.objects.filter(pk=cast.item_a.pk), day).get()
    assert row.is_overdue is overdue
    assert row.light == ("red" if overdue else "yellow")


def test_it_rebuilds_an_items_progress_and_light_for_a_past_day_from_history(cast):
    import time_machine

    item = WorkItem.objects.get(pk=cast.item_b.pk)
    with time_machine.travel(date(2023, 3, 31), tick=False):
        item.progress, item.status = Decimal("20"), ItemStatus.IN_PROGRESS
        item.save()
    with time_machine.travel(date(2023, 6, 30), tick=False):
        item.progress = Decimal("60")
        item.save()
    with time_machine.travel(date(2023, 9, 1), tick=False):
        item.soft_delete()
    thresholds = Thresholds()

    def as_of(day):
        return {
            row.id: (row.progress, row.light)
            for row in status.annotate(status.history_as_of(day), day, thresholds)
        }

    # 30 April: 20 % against an expected 32.6 % (behind 12.6 points: yellow).
    assert as_of(date(2023, 4, 30))[item.pk] == (Decimal("20"), "yellow")
    # 30 June: the day's last word is 60 %, against 49.6 % expected: green.
    assert as_of(date(2023, 6, 30))[item.pk] == (Decimal("60"), "green")
    assert item.pk not in as_of(date(2023, 9, 1))
    # item_a was created today, long after 2023: it did not exist on any of those days.
    assert cast.item_a.pk not in as_of(date(2023, 12, 31))
