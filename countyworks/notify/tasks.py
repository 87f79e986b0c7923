"""Queue tasks of the notify app."""

from __future__ import annotations

from typing import Any

from countyworks.jobs.registry import Run, task


@task("notify.deliver")
def deliver(payload: dict[str, Any], run: Run) -> None:
    from countyworks.notify.services import deliver as send

    send(int(payload["delivery"]), run)
