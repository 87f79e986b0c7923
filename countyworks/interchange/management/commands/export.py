"""`countyworks export --region CODE --year YEAR -o FILE.json`: one region-year as versioned JSON."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from countyworks.interchange.common import InterchangeError
from countyworks.interchange.exporting import export_json


class Command(BaseCommand):
    help = "Write one region's plan year to a JSON file (format: docs/data-format.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", required=True, help="GB/T 2260 code, e.g. 140427")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("-o", "--output", default="-", help="file to write; '-' for standard output")
        parser.add_argument(
            "--include-private", action="store_true", help="also export people's phone numbers"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            text = export_json(options["region"], options["year"], include_private=options["include_private"])
        except InterchangeError as exc:
            raise CommandError(exc.message) from exc
        if options["output"] == "-":
            sys.stdout.write(text)
            return
        target = Path(options["output"])
        # Write next to the target and rename, so a reader never sees half a file.
        partial = target.with_name(target.name + ".partial")
        partial.write_text(text, encoding="utf-8")
        partial.replace(target)
        self.stderr.write(f"wrote {target} ({len(text.encode())} bytes)")
