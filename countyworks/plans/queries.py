"""Reads of plans and items that the screens of several apps share (plans' editor, the ledger,
the item page, the plan tree and the dashboard): which plan to show and the weighted progress of a
plan's goal tree. Lights and overdue flags are supervision's (`supervision/status.py`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from countyworks.accounts import policy
from countyworks.plans.models import ItemStatus, Plan, PlanNode, WorkItem
from countyworks.plans.rollup import ItemInput, Key, NodeInput, Rolled, roll_up_tree


def readable_item(user: Any, pk: int, items: QuerySet[WorkItem] | None = None) -> WorkItem:
    """The item `pk` if `user` may read it (else 404), with what its page and its editor show.

    `items` narrows the user's visible items further (the item page passes them with their light)."""
    visible = policy.visible_items(user) if items is None else items
    return get_object_or_404(
        visible.select_related("plan__region", "node", "lead_leader", "lead_unit", "citation__document"),
        pk=pk,
    )


def plan_rollup(plan: Plan, items: QuerySet[WorkItem]) -> tuple[list[PlanNode], dict[Key, Rolled]]:
    """The plan's nodes (in order) and the roll-up of each (plans/rollup.py), from the items given.

    Cancelled items count for nothing; every other item counts, whether or not it is in the tree."""
    nodes = list(PlanNode.objects.filter(plan=plan).order_by("order", "id"))
    counted = items.filter(plan=plan).exclude(status=ItemStatus.CANCELLED)
    progress = roll_up_tree(
        (NodeInput(n.pk, n.parent_id, n.weight) for n in nodes),
        (
            ItemInput(node, weight, value)
            for node, weight, value in counted.values_list("node_id", "weight", "progress")
        ),
    )
    return nodes, progress


def choose_plan(request: HttpRequest, items: QuerySet[WorkItem]) -> tuple[list[Plan], Plan | None]:
    """Plans with items the user may read; the one asked for, else the newest one in force."""
    plans = list(
        Plan.objects.filter(pk__in=items.values("plan_id"))
        .select_related("region")
        .order_by("-year", "title")
    )
    wanted = request.GET.get("plan")
    chosen = next((p for p in plans if str(p.pk) == wanted), None)
    if chosen is None and plans:
        chosen = next((p for p in plans if p.status == "active"), plans[0])
    return plans, chosen
