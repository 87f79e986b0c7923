"""What the item page shows of the item's reporting cycle (issue 19): the cycle and where it comes
from, the periods open now, the recorded reopenings, and the office's reopen forms."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from countyworks.accounts import policy
from countyworks.plans.models import ReportCadence
from countyworks.supervision import cycles
from countyworks.supervision.cycle_forms import PeriodReopenForm
from countyworks.supervision.forms import period_label
from countyworks.supervision.models import ReviewState


def item_cycle_context(user: Any, item: Any, today: date, reports: list[Any]) -> dict[str, Any]:
    """What the item page shows of its reporting cycle: the cycle and where it comes from, the
    periods open now, the recorded reopenings, and on each approved report the office's form to
    reopen its period (a reviewed period is locked; services._unlock)."""
    plan_cycles = cycles.cycles_by_plan([item.plan_id]).get(item.plan_id, {})
    schedule = cycles.schedule_for(item, plan_cycles)
    if item.report_cadence:
        source = _("set on this item")
    elif item.kind in plan_cycles:
        source = _("the plan's cycle for this kind")
    elif "" in plan_cycles:
        source = _("the plan's cycle for every kind")
    else:
        source = _("the default")
    reopenings = list(
        policy.visible_period_reopenings(user)
        .filter(item=item)
        .select_related("unit", "reopened_by", "used_by")
        .order_by("-reopened_at", "-id")
    )
    # Only the office reopens, and it reads every unit's reopenings.
    waiting = {(r.unit_id, r.period) for r in reopenings if r.used_by_id is None}
    may_reopen = policy.can_reopen_period(user, item)
    for report in reports:
        report.period_text = period_label(report.period)
        report.reopen_form = (
            # One <form> per report, so the fields need no prefix.
            PeriodReopenForm(initial={"unit": report.unit_id, "period": report.period})
            if may_reopen
            and report.state == ReviewState.APPROVED
            and report.unit_id
            and (report.unit_id, report.period) not in waiting
            else None
        )
    return {
        "cycle": {
            "label": ReportCadence(schedule.cadence).label,
            "source": source,
            "window": schedule.window,
            "open": [{"label": period_label(p.key), "closes": p.closes} for p in schedule.open_on(today)],
        },
        "reopenings": [{"row": r, "period": period_label(r.period)} for r in reopenings],
    }
