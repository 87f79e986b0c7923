"""The traffic-light thresholds in force: the settings, with the administrator's 督查设置 row over them.

Both the daily run (`engine.supervise`) and the approval of a report (`services`, which recomputes
the item's light at once) read them here, so the engine depends on the services and not back.
"""

from __future__ import annotations

from django.conf import settings

from countyworks.supervision.models import SupervisionSettings
from countyworks.supervision.rules import Thresholds


def current_thresholds() -> Thresholds:
    """`settings.SUPERVISION_*`, with the administrator's database row winning where it is filled in."""
    defaults = Thresholds(
        yellow_behind_points=settings.SUPERVISION_YELLOW_BEHIND_POINTS,
        red_behind_points=settings.SUPERVISION_RED_BEHIND_POINTS,
        due_soon_days=settings.SUPERVISION_DUE_SOON_DAYS,
        escalate_after_red_runs=settings.SUPERVISION_ESCALATE_AFTER_RED_RUNS,
        report_reminder_day=getattr(settings, "SUPERVISION_REPORT_REMINDER_DAY", 25),
    )
    row = SupervisionSettings.objects.filter(pk=1).first()
    if row is None:
        return defaults
    return defaults.overridden_by(
        yellow_behind_points=row.yellow_behind_points,
        red_behind_points=row.red_behind_points,
        due_soon_days=row.due_soon_days,
        escalate_after_red_runs=row.escalate_after_red_runs,
        report_reminder_day=row.report_reminder_day,
    )
