"""Queue tasks of the reports app (registered from ReportsConfig.ready)."""

from __future__ import annotations

from typing import Any

from countyworks.jobs.registry import Run, task


@task("reports.render")
def render_report(payload: dict[str, Any], run: Run) -> None:
    from countyworks.reports.services import run_job

    run_job(int(payload["report_job"]), run)
