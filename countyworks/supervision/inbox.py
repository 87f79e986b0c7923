"""In-app notifications (站内消息) of the supervision domain: who is told, and one row per user.

Both `services` (reports, notices, instructions) and `procedure_services` (the procedure of issue 13)
tell the next actor through these, so the rule "one notification per user and key" lives once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from countyworks.accounts.models import Role, User
from countyworks.supervision.models import Notification


def notify(users: Iterable[Any], *, key: str, title: str, body: str = "", url: str = "") -> int:
    """One in-app notification per user; the key makes a repeated call add nothing."""
    rows = [
        Notification(user=user, key=key[:80], title=title[:200], body=body, url=url)
        for user in {user.pk: user for user in users if getattr(user, "pk", None)}.values()
    ]
    return len(Notification.objects.bulk_create(rows, ignore_conflicts=True))


def _unit_accounts(unit_id: int | None, *roles: str) -> list[Any]:
    if unit_id is None:
        return []
    return list(User.objects.filter(organisation_id=unit_id, role__in=roles, is_active=True))


def unit_reporters(unit_id: int | None) -> list[Any]:
    """The active reporters of a unit: who is told of what the unit must do."""
    return _unit_accounts(unit_id, Role.REPORTER)


def unit_heads(unit_id: int | None) -> list[Any]:
    """The active heads (单位负责人) of a unit: who approves its reports where the unit's rule says so."""
    return _unit_accounts(unit_id, Role.UNIT_HEAD)


def unit_members(unit_id: int | None) -> list[Any]:
    """Everyone who acts for a unit (its reporters and heads): told of a leader's instruction."""
    return _unit_accounts(unit_id, Role.REPORTER, Role.UNIT_HEAD)
