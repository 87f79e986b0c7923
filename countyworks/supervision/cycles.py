"""What a unit must report now: `due_reports(user, today)` (for the 我的事项 page of issue 12).

Today one cadence serves every item: a monthly report for each month an item runs (the ranking's
`months_due` rule), for the month `today` is in. Reporting cycles per item or kind (每周, 每半月,
每月, 每季度, 一次性), reporting windows and locked periods (issue 19, part 3) are not built yet;
when they are, this function keeps its signature and follows them, so its callers need not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from countyworks.accounts import policy
from countyworks.plans.models import ItemStatus, WorkItem
from countyworks.supervision.models import ReviewState

# Items in these states owe no report (a suspended item reports when it resumes).
_NOT_REPORTING = (ItemStatus.COMPLETED, ItemStatus.CANCELLED, ItemStatus.SUSPENDED)


@dataclass(frozen=True)
class DueReport:
    item: WorkItem
    period: str  # the period the report is for, as ProgressReport.period writes it (YYYY-MM)
    returned: bool = False  # a report for the period came back and awaits its correction


def due_reports(user: Any, today: date) -> list[DueReport]:
    """The reports `user`'s unit owes on `today`: one per item it leads or co-leads that runs in
    today's month and has no report for the month yet (or only a returned one), oldest deadline
    first. Empty for anyone who does not report for a unit."""
    unit = getattr(user, "organisation_id", None)
    if not unit:
        return []
    period = f"{today.year}-{today.month:02d}"
    month_start = today.replace(day=1)
    items = [
        item
        for item in policy.visible_items(user)
        .exclude(status__in=_NOT_REPORTING)
        .select_related("plan__region")
        .prefetch_related("co_units")
        .order_by("due_date", "id")
        if (item.start_date or date(item.plan.year, 1, 1)) <= today
        and (item.due_date is None or item.due_date >= month_start)
        and policy.can_report(user, item)
    ]
    states: dict[int, set[str]] = {}
    for item_id, state in (
        policy.visible_reports(user)
        .filter(item_id__in=[item.pk for item in items], period=period, unit_id=unit)
        .values_list("item_id", "state")
    ):
        states.setdefault(item_id, set()).add(state)
    due = []
    for item in items:
        found = states.get(item.pk, set())
        if found - {ReviewState.RETURNED}:
            continue
        due.append(DueReport(item=item, period=period, returned=bool(found)))
    return due
