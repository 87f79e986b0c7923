"""`countyworks issuetoken`: issue, list and revoke API tokens."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from countyworks.accounts import tokens
from countyworks.accounts.models import ApiToken
from countyworks.core.services import ServiceError


class Command(BaseCommand):
    help = (
        "Issue an API token for a user (the key is printed once), list tokens, or revoke one. "
        "Examples: issuetoken alice --name 'stats bureau sync' --scope read; "
        "issuetoken --list; issuetoken --revoke cw_AbC12."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?", help="The user the token acts as.")
        parser.add_argument("--name", default="", help="What the token is for (shown in listings).")
        parser.add_argument(
            "--region",
            default=None,
            help="GB/T 2260 code the token is limited to (it and the regions below); default: the user's region.",
        )
        parser.add_argument(
            "--scope",
            choices=["read", "write"],
            default="read",
            help="read (default) or write (read and write).",
        )
        parser.add_argument(
            "--revoke", metavar="PREFIX", help="Revoke the token whose key starts with PREFIX."
        )
        parser.add_argument("--list", action="store_true", help="List tokens (never their keys).")
        parser.add_argument("--json", action="store_true", help="Print machine-readable JSON on stdout.")

    def handle(self, *args: Any, **options: Any) -> None:
        as_json = options["json"]
        try:
            if options["list"]:
                rows = [
                    tokens.describe(t)
                    for t in ApiToken.objects.select_related("user", "region").order_by("id")
                ]
                if options["username"]:
                    rows = [r for r in rows if r["user"] == options["username"]]
                self._print(rows, as_json, self._table(rows))
                return
            if options["revoke"]:
                token = tokens.revoke_token(options["revoke"])
                self._print(tokens.describe(token), as_json, f"revoked {token.prefix}… ({token.name})")
                return
            if not options["username"]:
                raise CommandError(
                    "Name the user: issuetoken USERNAME --name NAME (or use --list / --revoke)."
                )
            token, key = tokens.issue_token(
                options["username"],
                name=options["name"],
                region_code=options["region"],
                scope=options["scope"],
            )
        except ServiceError as exc:
            raise CommandError(f"{exc.field}: {exc.message}" if exc.field else exc.message) from exc
        data = {**tokens.describe(token), "key": key}
        self._print(
            data,
            as_json,
            f"{key}\n(shown once; {token.scope} token for {token.user.username} on region {token.region.code})",
        )

    def _print(self, data: Any, as_json: bool, text: str) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) if as_json else text)

    @staticmethod
    def _table(rows: list[dict[str, Any]]) -> str:
        if not rows:
            return "no tokens"
        lines = []
        for r in rows:
            state = "revoked" if r["revoked_at"] else "live"
            lines.append(f"{r['prefix']}…  {r['scope']:5}  {r['region']}  {r['user']}  {state}  {r['name']}")
        return "\n".join(lines)
