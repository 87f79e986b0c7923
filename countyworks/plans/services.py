"""Writes of the plans domain: work items and their changes, with optimistic locking."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from countyworks.accounts import policy
from countyworks.core.services import PermissionDenied, ServiceError, save_versioned
from countyworks.plans.models import Plan, WorkItem

# Fields a supervisor edits on an item, in the order the edit form shows them; light/overdue are
# computed by `countyworks supervise`. Co-operating units are set separately (a many-to-many).
ITEM_FIELDS: tuple[str, ...] = (
    "node",
    "kind",
    "number",
    "title",
    "description",
    "target",
    "target_value",
    "target_unit",
    "lead_leader",
    "lead_unit",
    "start_date",
    "due_date",
    "completed_on",
    "progress",
    "weight",
    "status",
    "stage",
    "total_investment",
    "annual_planned_investment",
    "annual_completed_investment",
    "promised_on",
    "beneficiaries",
    "beneficiary_count",
    "problem",
    "measures",
    "closed_on",
    "research_report",
    "party_lecture_delivered",
    "party_lecture_on",
    "published",
    "internal",
)
EDITABLE_FIELDS = frozenset(ITEM_FIELDS)


def _validated(item: WorkItem) -> None:
    try:
        item.full_clean(exclude=["plan", "version"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ServiceError(f"{field}: {' '.join(messages)}", field=field) from exc
    if item.start_date and item.due_date and item.due_date < item.start_date:
        raise ServiceError(_("The due date is before the start date."), field="due_date")


@transaction.atomic
def create_item(user: Any, plan: Plan, co_units: list[Any] | None = None, **fields: Any) -> WorkItem:
    if not policy.can_manage_plan(user, plan.region):
        raise PermissionDenied(_("Only the supervision office adds items to the plan."))
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ServiceError(
            _("Unknown field: %(field)s") % {"field": sorted(unknown)[0]}, field=sorted(unknown)[0]
        )
    item = WorkItem(plan=plan, **fields)
    _validated(item)
    item.save()
    if co_units:
        item.co_units.set(co_units)
    return item


@transaction.atomic
def update_item(
    user: Any,
    item: WorkItem,
    *,
    expected_version: int | None,
    co_units: list[Any] | None = None,
    **fields: Any,
) -> WorkItem:
    if not policy.can_edit_item(user, item):
        raise PermissionDenied(_("You may not change this item."))
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ServiceError(
            _("Unknown field: %(field)s") % {"field": sorted(unknown)[0]}, field=sorted(unknown)[0]
        )
    for name, value in fields.items():
        setattr(item, name, value)
    _validated(item)
    save_versioned(item, expected_version, {})
    if co_units is not None:
        item.co_units.set(co_units)
    return item


@transaction.atomic
def delete_item(user: Any, item: WorkItem) -> None:
    """Soft delete: the ledger keeps the item and its reports; only a restore brings it back."""
    if not policy.can_edit_item(user, item):
        raise PermissionDenied(_("You may not delete this item."))
    item.soft_delete()
