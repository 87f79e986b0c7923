"""`countyworks import FILE.json`: read a region-year export back, all of it or nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from countyworks.interchange.common import InterchangeError
from countyworks.interchange.importing import import_region_year, load_file


class Command(BaseCommand):
    help = "Import a region-year JSON file; a bad record is named and nothing is written."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = import_region_year(load_file(options["file"]))
        except InterchangeError as exc:
            raise CommandError(f"{exc.message}\nnothing was imported") from exc
        self.stdout.write(summary.as_text())
