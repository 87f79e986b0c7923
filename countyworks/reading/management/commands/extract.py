"""`countyworks extract FILE... [--format jsonl|table]`: print the quantity mentions of texts.

A thin wrapper: the reading itself is plain Python in countyworks.textread.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from countyworks.textread.cli import FORMATS, run_extract


class Command(BaseCommand):
    help = (
        "Print every quantity mention of the given texts (file name without .txt is the doc id; - is stdin)."
    )
    # Reading text touches no database, so the command runs without system checks or migrations.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths", nargs="+", metavar="FILE", help="text files, UTF-8; - reads standard input"
        )
        parser.add_argument("--format", choices=FORMATS, default="jsonl", help="jsonl (default) or table")
        parser.add_argument(
            "--year",
            type=int,
            help="the year the texts are from (今年 is this year); default: a year in the file name",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        status = run_extract(options["paths"], options["format"], self.stdout, doc_year=options["year"])
        if status:
            raise SystemExit(status)
