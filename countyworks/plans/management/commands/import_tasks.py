"""`countyworks import_tasks FILE.xlsx --plan ID` (also `countyworks import-tasks`): import a task table.

All or nothing: a bad row stops the import with its row number and reason, and nothing is written.
Leaders and units not yet recorded in the plan's region are created only with `--create-missing`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from countyworks.accounts.models import User
from countyworks.core.services import ServiceError
from countyworks.plans.importer import TaskImportError, run_import
from countyworks.plans.models import Plan


class Command(BaseCommand):
    help = (
        "Import a county task table (任务分解表, .xlsx) into a plan: every row becomes a work item, "
        "or nothing is imported. Columns: 序号, 任务内容, 牵头县领导, 责任单位, 配合单位, 完成时限, 进度, 状态 "
        "(类型 optional)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the .xlsx workbook")
        parser.add_argument("--plan", type=int, required=True, help="id of the plan that receives the items")
        parser.add_argument(
            "--user",
            help="user name of the supervisor doing the import (default: the first active superuser)",
        )
        parser.add_argument(
            "--create-missing",
            action="store_true",
            help="create leaders and units not yet recorded in the plan's region instead of failing",
        )
        parser.add_argument("--dry-run", action="store_true", help="check everything, then write nothing")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        plan = Plan.objects.select_related("region").filter(pk=options["plan"]).first()
        if plan is None:
            raise CommandError(f"No plan with id {options['plan']}.")
        user = self._user(options["user"])
        try:
            result = run_import(
                user, plan, str(path), create_missing=options["create_missing"], dry_run=options["dry_run"]
            )
        except TaskImportError as exc:
            raise CommandError("\n".join(str(problem) for problem in exc.problems)) from exc
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
            return
        verb = "would create" if result.dry_run else "created"
        self.stdout.write(f"{verb} {result.items_created} items in plan {plan.pk} ({plan})")
        for name in result.units_created:
            self.stdout.write(f"{verb} unit {name}")
        for name in result.leaders_created:
            self.stdout.write(f"{verb} leader {name}")

    def _user(self, username: str | None) -> User:
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"No active user named {username!r}.")
            return user
        user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if user is None:
            raise CommandError("Name the supervisor doing the import with --user.")
        return user
