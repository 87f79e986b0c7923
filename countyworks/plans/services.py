"""Writes of the plans domain: work items and their changes, with optimistic locking."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from countyworks.accounts import policy
from countyworks.core.services import PermissionDenied, ServiceError, save_versioned
from countyworks.plans.models import ItemStatus, NodeKind, Plan, PlanNode, WorkItem
from countyworks.plans.signals import item_assigned
from countyworks.sources.services import check_citation

# Fields a supervisor edits on an item, in the order the edit form shows them (the light and the
# overdue flag are derived, see supervision/status.py). Co-operating units are set separately.
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
    "report_cadence",
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


def reconciled_status(status: str, progress: Any) -> str:
    """An item with progress on record has started, whatever the row said (未开始 at 50 % is a slip)."""
    if status == ItemStatus.NOT_STARTED and progress and progress > 0:
        return ItemStatus.IN_PROGRESS
    return status


def _in_region(plan: Plan, region: Any) -> bool:
    return region is not None and region.code.startswith(policy.region_prefix(plan.region))


def check_references(plan: Plan, item: WorkItem, co_units: list[Any] | None = None) -> None:
    """Every reference of an item stays inside its plan: a node of this plan; units and a lead leader of
    the plan's region or a region under it (a town's office may lead a county item). The one rule for
    forms, the API, the Excel import and reading alike."""
    if item.node_id is not None and item.node.plan_id != plan.pk:
        raise ServiceError(_("The goal tree node belongs to another plan."), field="node")
    if item.lead_unit_id is not None and not _in_region(plan, item.lead_unit.region):
        raise ServiceError(_("The responsible unit is not in the plan's region."), field="lead_unit")
    if item.lead_leader_id is not None and not _in_region(plan, item.lead_leader.region):
        raise ServiceError(_("The lead leader is not in the plan's region."), field="lead_leader")
    for unit in co_units or []:
        if not _in_region(plan, unit.region):
            raise ServiceError(
                _("The co-operating unit %(name)s is not in the plan's region.") % {"name": unit.name},
                field="co_units",
            )


def _validated(item: WorkItem, co_units: list[Any] | None = None) -> None:
    item.status = reconciled_status(item.status, item.progress)
    check_references(item.plan, item, co_units)
    try:
        item.full_clean(exclude=["plan", "version"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ServiceError(f"{field}: {' '.join(messages)}", field=field) from exc
    if item.start_date and item.due_date and item.due_date < item.start_date:
        raise ServiceError(_("The due date is before the start date."), field="due_date")


@transaction.atomic
def create_item(
    user: Any, plan: Plan, co_units: list[Any] | None = None, citation: Any = None, **fields: Any
) -> WorkItem:
    """A new item of `plan`; `citation` ties it to the sentence it was read from (reading)."""
    if not policy.can_manage_plan(user, plan.region):
        raise PermissionDenied(_("Only the supervision office adds items to the plan."))
    check_citation(user, citation)
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ServiceError(
            _("Unknown field: %(field)s") % {"field": sorted(unknown)[0]}, field=sorted(unknown)[0]
        )
    item = WorkItem(plan=plan, citation=citation, **fields)
    _validated(item, co_units)
    item.save()
    if co_units:
        item.co_units.set(co_units)
    _assign(item)
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
    _validated(item, co_units)
    save_versioned(item, expected_version, {})
    if co_units is not None:
        item.co_units.set(co_units)
    if "lead_unit" in fields or co_units is not None:
        # Only a change of units asks for a sign-off; a new deadline or status does not.
        _assign(item)
    return item


def _assign(item: WorkItem) -> None:
    """签收 (issue 13): the item's units sign for it; a changed lead unit signs anew. Supervision
    listens (plans may not import it)."""
    item_assigned.send(sender=WorkItem, item=item)


@transaction.atomic
def create_node(
    user: Any,
    plan: Plan,
    *,
    title: str,
    kind: str = NodeKind.DIRECTION,
    parent: PlanNode | None = None,
    number: str = "",
    order: int = 0,
    weight: Any = 1,
    citation: Any = None,
) -> PlanNode:
    """A node of `plan`'s goal tree (三地一区 → areas → directions → task groups)."""
    if not policy.can_manage_plan(user, plan.region):
        raise PermissionDenied(_("Only the supervision office changes the goal tree."))
    check_citation(user, citation)
    if parent is not None and parent.plan_id != plan.pk:
        raise ServiceError(_("The parent node belongs to another plan."), field="parent")
    node = PlanNode(
        plan=plan,
        parent=parent,
        kind=kind,
        number=(number or "").strip(),
        title=(title or "").strip(),
        order=order,
        weight=weight,
        citation=citation,
    )
    if not node.title:
        raise ServiceError(_("Give the node a title."), field="title")
    try:
        node.full_clean(exclude=["plan", "parent", "citation"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ServiceError(f"{field}: {' '.join(messages)}", field=field) from exc
    node.save()
    return node


@transaction.atomic
def delete_item(user: Any, item: WorkItem) -> None:
    """Soft delete: the ledger keeps the item and its reports; only a restore brings it back."""
    if not policy.can_edit_item(user, item):
        raise PermissionDenied(_("You may not delete this item."))
    item.soft_delete()
