"""`countyworks loaddemo`: load the Huguan County demo (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from countyworks.core.services import ServiceError
from countyworks.demo import facts
from countyworks.demo.rules import DEMO_ACCOUNTS_ENV
from countyworks.demo.services import database_is_empty, facts_by_section, load_demo, seed_path

COUNT_LABELS = {
    "documents": gettext_lazy("documents"),
    "citations": gettext_lazy("citations"),
    "organisations": gettext_lazy("organisations"),
    "plans": gettext_lazy("plans"),
    "goal_tree_nodes": gettext_lazy("goal tree nodes"),
    "work_items": gettext_lazy("work items"),
    "milestones": gettext_lazy("milestones"),
    "indicators": gettext_lazy("indicators"),
    "observations": gettext_lazy("observations"),
    "honours": gettext_lazy("honours"),
    "users": gettext_lazy("users"),
    "progress_reports": gettext_lazy("progress reports"),
    "notices": gettext_lazy("supervision notices"),
    "instructions": gettext_lazy("instructions"),
}


class Command(BaseCommand):
    help = "Load Huguan County (壶关县) with every fact of the seed article and its citations. Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds a plan or a work item.",
        )
        parser.add_argument(
            "--with-activity",
            dest="with_activity",
            action="store_true",
            default=True,
            help="Also load illustrative progress reports, a notice and an instruction (default).",
        )
        parser.add_argument(
            "--no-activity",
            dest="with_activity",
            action="store_false",
            help="Load the facts (and accounts) only.",
        )
        parser.add_argument(
            "--list-facts",
            action="store_true",
            help="After loading, print every cited record grouped by the article's section.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and not database_is_empty():
            self.stdout.write(_("The database already holds plans: the demo was not loaded."))
            return
        try:
            result = load_demo(with_activity=options["with_activity"])
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        if not result.seed_text_stored:
            self.stdout.write(
                _("The seed article was not found at %(path)s: citations keep their offsets, no text.")
                % {"path": seed_path()}
            )
        if result.accounts_refused:
            self.stderr.write(
                _(
                    "Demo accounts and illustrative activity were NOT created: DEBUG is off and "
                    "%(env)s is not 1. Set %(env)s=1 on a local machine to create them."
                )
                % {"env": DEMO_ACCOUNTS_ENV}
            )
        elif result.accounts_created:
            self.stdout.write(
                _("Demo accounts ready (password %(password)s): %(names)s")
                % {"password": facts.DEMO_PASSWORD, "names": ", ".join(a.username for a in facts.ACCOUNTS)}
            )
        summary = ", ".join(
            f"{COUNT_LABELS.get(name, name)} {count}" for name, count in result.counts.items()
        )
        self.stdout.write(_("Huguan demo loaded: %(summary)s") % {"summary": summary})
        if options["list_facts"]:
            for section, lines in facts_by_section().items():
                self.stdout.write(f"\n### {section} ({len(lines)})")
                for line in lines:
                    self.stdout.write(f"  - {line}")
