"""`countyworks read_document FILE --region CODE --year Y`: store a text and propose draft records.

Also available as `countyworks read-document`. The document (text and sha256) and the reader's
draft proposals are stored; no indicator, honour or plan record is written until a supervisor
decides each draft on the review screen (/reading/documents/<id>/review/).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from countyworks.core.services import ServiceError
from countyworks.reading import services
from countyworks.regions.models import Region
from countyworks.sources.models import DocumentKind


def read_text_file(path: str) -> str:
    """A UTF-8 file (with or without BOM), or GB18030 as many government files still are; - is stdin."""
    data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CommandError(f"{path}: not UTF-8 or GB18030 text")


class Command(BaseCommand):
    help = (
        "Store a text as a document of a region and year, run the reader and create draft proposals "
        "for a person to accept, edit or reject on the review screen. Writes no domain record."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", metavar="FILE", help="UTF-8 (or GB18030) text file; - reads standard input"
        )
        parser.add_argument(
            "--region", required=True, metavar="CODE", help="GB/T 2260 division code, e.g. 140427"
        )
        parser.add_argument("--year", required=True, type=int, help="the year the document covers")
        parser.add_argument(
            "--title",
            default="",
            help="document title (default: the file name without .txt; for stdin, the first line)",
        )
        parser.add_argument(
            "--kind",
            default=DocumentKind.WORK_REPORT,
            choices=[k.value for k in services.READABLE_KINDS],
            help="work_report (default), article, bulletin or plan (a plan also yields its goal tree)",
        )
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        text = read_text_file(options["file"])
        region = Region.objects.filter(code=options["region"]).first()
        if region is None:
            raise CommandError(f"--region: no region with code {options['region']} (load divisions first)")
        try:
            document = services.read_document(
                None,
                text=text,
                region=region,
                year=options["year"],
                title=options["title"] or (Path(options["file"]).stem if options["file"] != "-" else ""),
                kind=options["kind"],
            )
        except ServiceError as exc:
            raise CommandError(f"{exc.field or 'input'}: {exc.message}") from exc
        result = services.summary(document)
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"document {result['document']} {result['title']} ({result['characters']} characters)"
        )
        self.stdout.write(f"sha256 {result['sha256']}")
        self.stdout.write(f"{result['drafts']} draft proposals, none recorded yet:")
        for kind, count in sorted(result["by_kind"].items()):
            self.stdout.write(f"  {kind:<14} {count}")
        self.stdout.write(f"review at /reading/documents/{result['document']}/review/")
