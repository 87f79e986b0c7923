"""What a user must act on in the supervision procedure (issue 13), for the 我的事项 page (issue 12).

`pending_for(user, today)` lists one `Todo` per open step the user is the next actor of. Reads go
through the policy (`visible_*`) and the same `can_*` rules the services check, so the list never
offers an action the service would refuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.urls import reverse

from countyworks.accounts import policy
from countyworks.supervision.models import ExtensionState, ReviewState

EXTENSION_DECIDE = "extension_decide"  # the office decides on a unit's 延期申请
EXTENSION_WAITING = "extension_waiting"  # the unit's own application is waiting (for information)
SIGN = "sign"  # the unit must sign for an assignment (签收)
HEAD_REVIEW = "head_review"  # the unit head approves or returns a report of the unit (单位审签)
HEAD_WAITING = "head_waiting"  # the reporter's own report is waiting for the unit head (for information)


@dataclass(frozen=True, slots=True)
class Todo:
    kind: str
    item_id: int
    item_title: str
    url: str
    since: date
    due: date | None = None  # the date the application asks for, where there is one
    record_id: int | None = None


def pending_for(user: Any, today: date) -> list[Todo]:
    """The procedure steps `user` must act on (or is waiting on), oldest first."""
    if not getattr(user, "is_authenticated", False):
        return []
    todos: list[Todo] = []
    unsigned = (
        policy.visible_signoffs(user)
        .filter(signed_at__isnull=True, withdrawn_at__isnull=True)
        .select_related("item__plan__region")
        .order_by("assigned_at", "id")
    )
    for row in unsigned:
        if policy.can_sign(user, row):
            todos.append(
                Todo(
                    kind=SIGN,
                    item_id=row.item_id,
                    item_title=row.item.title,
                    url=reverse("ledger:item", args=[row.item_id]),
                    since=row.assigned_at.date(),
                    record_id=row.pk,
                )
            )
    with_head = (
        policy.visible_reports(user)
        .filter(state=ReviewState.WITH_HEAD)
        .select_related("item__plan__region")
        .order_by("submitted_at", "id")
    )
    for report in with_head:
        if policy.can_head_review(user, report):
            kind = HEAD_REVIEW
        elif report.submitted_by_id == user.pk:
            kind = HEAD_WAITING
        else:
            continue
        todos.append(
            Todo(
                kind=kind,
                item_id=report.item_id,
                item_title=report.item.title,
                url=reverse("ledger:item", args=[report.item_id]) + f"#report-{report.pk}",
                since=report.submitted_at.date(),
                record_id=report.pk,
            )
        )
    pending = (
        policy.visible_extension_requests(user)
        .filter(state=ExtensionState.PENDING)
        .select_related("item__plan__region")
        .order_by("applied_at", "id")
    )
    for extension in pending:
        if policy.can_decide_extension(user, extension):
            kind, url = EXTENSION_DECIDE, reverse("supervision:procedure_queue")
        elif extension.unit_id == getattr(user, "organisation_id", None):
            kind, url = EXTENSION_WAITING, reverse("ledger:item", args=[extension.item_id])
        else:
            continue
        todos.append(
            Todo(
                kind=kind,
                item_id=extension.item_id,
                item_title=extension.item.title,
                url=url,
                since=extension.applied_at.date(),
                due=extension.requested_due_date,
                record_id=extension.pk,
            )
        )
    return todos
