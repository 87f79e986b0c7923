"""`countyworks backup FILE.tar.gz`: every table and every uploaded file in one archive."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from countyworks.interchange.backups import create_backup


class Command(BaseCommand):
    help = "Back up the database and MEDIA_ROOT to one .tar.gz with a manifest of counts and checksums."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="archive to write, e.g. countyworks-2024-01-31.tar.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        summary = create_backup(options["file"])
        self.stdout.write(
            f"wrote {summary.path}: {summary.rows} rows, {summary.files} files, {summary.bytes} bytes"
        )
