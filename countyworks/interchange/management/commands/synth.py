"""`countyworks synth --counties N --items M --reports K [--seed S]`: a synthetic province for load tests."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from countyworks.core.services import ServiceError
from countyworks.interchange.synth import build_province


class Command(BaseCommand):
    help = (
        "Build a large illustrative dataset: N real counties of one province, each with units, leaders, "
        "accounts, a plan with a goal tree, M items and K progress reports per item."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--counties", type=int, default=10)
        parser.add_argument("--items", type=int, default=100, help="work items per county")
        parser.add_argument("--reports", type=int, default=12, help="progress reports per item")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--year", type=int, default=None, help="plan year (default: this year)")
        parser.add_argument("--province", default=None, help="province code, e.g. 14 or 140000")
        parser.add_argument(
            "--password", default="synth-password", help="password of every synthetic account"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for name in ("counties", "items", "reports"):
            if options[name] < (1 if name == "counties" else 0):
                raise CommandError(f"--{name}: must be a positive number")
        started = time.perf_counter()
        try:
            summary = build_province(
                options["counties"],
                options["items"],
                options["reports"],
                seed=options["seed"],
                year=options["year"],
                province=options["province"],
                password=options["password"],
            )
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"{summary.as_text()} ({time.perf_counter() - started:.1f} s)")
