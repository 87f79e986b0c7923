"""`countyworks supervise [--today YYYY-MM-DD] [--json]`: the daily supervision run, for cron.

Idempotent: running it again on the same day changes nothing (see supervision/engine.py).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from countyworks.supervision.engine import supervise


class Command(BaseCommand):
    help = (
        "Record the day's lights as snapshots (every screen derives lights itself; this keeps their "
        "history), raise reminders, escalate items red for several runs into automatic notices, and "
        "notify units (in the app and by e-mail)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="run as if today were this date (YYYY-MM-DD); default: today")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(
                    f"--today must be a date like 2023-11-30, not {options['today']!r}"
                ) from exc
        summary = supervise(today)
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False))
            return
        for name, value in summary.as_dict().items():
            self.stdout.write(f"{name}: {value}")
