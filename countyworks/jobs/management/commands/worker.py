"""`countyworks worker [--until-empty] [--poll S]`: run queued background jobs, and the scheduler.

Start as many as you like, on as many machines as share the database (docs/queue.md). SIGTERM or
SIGINT lets the running job finish, then the worker exits.
"""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from countyworks.jobs import queue


class Command(BaseCommand):
    help = "Run background jobs (report rendering, the daily supervision run, notice delivery)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--until-empty", action="store_true", help="exit when no job is due")
        parser.add_argument("--poll", type=float, default=1.0, help="seconds between looks when idle")
        parser.add_argument("--no-schedule", action="store_true", help="do not enqueue the daily jobs")

    def handle(self, *args: Any, **options: Any) -> None:
        stopping = False

        def stop(signum: int, frame: Any) -> None:  # noqa: ARG001
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        name = queue.worker_name()
        self.stdout.write(f"worker {name} started")
        self.stdout.flush()
        next_tick = 0.0
        while not stopping:
            # A long-lived process: drop a connection the database closed (restart, idle timeout).
            close_old_connections()
            if not options["no_schedule"] and time.monotonic() >= next_tick:
                queue.schedule_due()
                next_tick = time.monotonic() + 30
            if queue.run_one(name):
                continue
            if options["until_empty"]:
                break
            time.sleep(options["poll"])
        self.stdout.write(f"worker {name} stopped")
