"""`countyworks report review|bulletin|ledger …`: write a report file from the command line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from countyworks.core.services import ServiceError
from countyworks.regions.models import Region
from countyworks.reports import services
from countyworks.reports.models import ReportKind


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {text}") from exc


class Command(BaseCommand):
    help = "Write the year-end review, the supervision bulletin or the ledger workbook of a region to a file."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True)
        review = sub.add_parser("review", help="year-end review of a region's plan")
        review.add_argument("--region", required=True, help="GB/T 2260 code, e.g. 140427")
        review.add_argument("--year", type=int, required=True)
        review.add_argument("--format", choices=services.FORMATS[ReportKind.REVIEW], default="docx")
        review.add_argument("-o", "--output", required=True)
        bulletin = sub.add_parser("bulletin", help="supervision bulletin (督查通报) for a period")
        bulletin.add_argument("--region", required=True)
        bulletin.add_argument("--from", dest="date_from", required=True, help="first day, YYYY-MM-DD")
        bulletin.add_argument("--to", dest="date_to", required=True, help="last day, YYYY-MM-DD")
        bulletin.add_argument("--format", choices=services.FORMATS[ReportKind.BULLETIN], default="docx")
        bulletin.add_argument("-o", "--output", required=True)
        ledger = sub.add_parser("ledger", help="ledger workbook (台账) as .xlsx")
        ledger.add_argument("--region", required=True)
        ledger.add_argument("--year", type=int, required=True)
        ledger.add_argument("-o", "--output", required=True)

    def handle(self, *args, **options) -> None:
        kind = options["kind"]
        region = Region.objects.filter(code=options["region"]).first()
        if region is None:
            raise CommandError(f"--region: no region with code {options['region']}")
        fmt = options.get("format") or "xlsx"
        start = _date(options["date_from"]) if kind == ReportKind.BULLETIN else None
        end = _date(options["date_to"]) if kind == ReportKind.BULLETIN else None
        try:
            data = services.produce(kind, fmt, region, year=options.get("year"), start=start, end=end)
        except ServiceError as exc:
            raise CommandError(f"--{exc.field or 'region'}: {exc.message}") from exc
        output = Path(options["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(data)
        self.stdout.write(f"{output} ({len(data)} bytes)")
