"""`countyworks restore FILE.tar.gz [--force]`: bring back a backup, checksums verified first."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from countyworks.interchange.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by `countyworks backup` into an empty database (or --force to replace)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--force", action="store_true", help="empty a database that holds data before restoring"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = restore_backup(options["file"], force=options["force"])
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"restored {summary.rows} rows and {summary.files} files from {summary.path}")
