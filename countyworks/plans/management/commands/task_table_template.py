"""`countyworks task_table_template [PATH]`: regenerate the blank task-table workbook we ship."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from countyworks.plans.task_table import write_template

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "task-table-template.xlsx"


class Command(BaseCommand):
    help = "Write the blank task table (任务分解表) with its 说明 sheet; by default into plans/data/."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH), help="where to write the .xlsx")

    def handle(self, *args: Any, **options: Any) -> None:
        path = write_template(Path(options["path"]))
        self.stdout.write(f"wrote {path}")
