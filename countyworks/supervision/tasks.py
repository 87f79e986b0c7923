"""Queue tasks of the supervision app (registered from SupervisionConfig.ready).

The daily supervision run is scheduled by the queue's scheduler (every worker runs it; the key
`supervision.daily:YYYY-MM-DD` makes it one job a day across the cluster). The run is idempotent
per day (engine.py), so a retaken or retried job changes nothing already done.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings

from countyworks.jobs.registry import Run, daily, task


@task("supervision.daily")
def daily_run(payload: dict[str, Any], run: Run) -> None:  # noqa: ARG001
    from countyworks.supervision import engine

    engine.supervise(date.fromisoformat(payload["day"]) if payload.get("day") else None)


@task("supervision.mail")
def mail(payload: dict[str, Any], run: Run) -> None:  # noqa: ARG001
    from countyworks.supervision import engine

    engine.send_queued_mail(payload)


daily("supervision.daily", hour=getattr(settings, "SUPERVISE_HOUR", 0))
