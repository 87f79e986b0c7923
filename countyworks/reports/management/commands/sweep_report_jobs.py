"""`countyworks sweep_report_jobs [--json]`: record report jobs whose worker died as failed, for cron.

A job runs in a thread of the web process; when that process is restarted or killed mid-job the
job stops moving. Its progress page already records it as failed when someone looks; this command
does the same for jobs nobody is watching. Idempotent: a second run finds nothing more to do.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from countyworks.reports.services import sweep_stale_jobs


class Command(BaseCommand):
    help = (
        "Mark report jobs that are queued or running but have not moved for longer than "
        "REPORT_JOB_STALE_SECONDS as failed, so their pages stop waiting and offer a new run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        summary = {"failed": sweep_stale_jobs(), "stale_after_seconds": settings.REPORT_JOB_STALE_SECONDS}
        if options["json"]:
            self.stdout.write(json.dumps(summary))
            return
        for name, value in summary.items():
            self.stdout.write(f"{name}: {value}")
