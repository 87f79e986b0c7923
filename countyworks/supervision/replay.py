"""The day a screen opens on when none is asked for (issue 15).

Normally today. A plan whose year is over and whose activity is illustrative (演示数据: the Huguan
demo's replayed 2023) opens instead on the middle of its year, 30 June, so that a visitor meets
work under way (some items done, some ahead, some behind, reports coming in) rather than the
year-end ledger. The screen says 截至 that day and keeps its date field, so the day can be changed;
an empty `?as_of=` asks for today. See docs/demo.md, "The day the demo opens on".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.utils import timezone

from countyworks.supervision.models import ProgressReport

OPENS_ON = (6, 30)  # (month, day) of a replayed year the screens open on


def is_replayed(plan: Any, today: date | None = None) -> bool:
    """A plan of a past year that holds illustrative reports: a year kept to be replayed."""
    today = today or timezone.localdate()
    return (
        plan is not None
        and plan.year < today.year
        and ProgressReport.all_objects.filter(item__plan=plan, illustrative=True).exists()
    )


def opening_day(plan: Any, today: date | None = None) -> date | None:
    """The day `plan` opens on when no day is asked for: mid-year of a replayed plan, else None (today)."""
    return date(plan.year, *OPENS_ON) if is_replayed(plan, today) else None


def opening_day_among(items: Any, plan_pk: int | None = None, today: date | None = None) -> date | None:
    """The opening day of the newest replayed plan of `items` (a queryset of work items), or of
    plan `plan_pk` among them; None when there is none. One query."""
    today = today or timezone.localdate()
    reports = ProgressReport.all_objects.filter(
        illustrative=True, item__plan__year__lt=today.year, item__plan__in=items.values("plan_id")
    )
    if plan_pk is not None:
        reports = reports.filter(item__plan_id=plan_pk)
    year = reports.order_by("-item__plan__year").values_list("item__plan__year", flat=True).first()
    return date(year, *OPENS_ON) if year else None


def opening_plan(plans: Iterable[Any], today: date | None = None) -> Any | None:
    """The newest replayed plan among `plans` (the one a screen opens on when none is asked for),
    in one query however many plans there are (and of whatever years)."""
    today = today or timezone.localdate()
    plans = list(plans)
    if not plans:
        return None
    replayed = set(
        ProgressReport.all_objects.filter(
            item__plan__in=[plan.pk for plan in plans], item__plan__year__lt=today.year, illustrative=True
        )
        .values_list("item__plan_id", flat=True)
        .distinct()
    )
    return next((plan for plan in sorted(plans, key=lambda p: -p.year) if plan.pk in replayed), None)
