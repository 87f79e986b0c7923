"""The screens that show supervision data about items: the ledger (台账) and its Excel export,
the item page (its reports, notices and instructions) and the plan tree with rolled-up progress.

They live in the supervision app because they read its records; the plan management screens
(create and edit an item, import a task table) stay in the plans app. URL names: `ledger:list`,
`ledger:item`, `ledger:tree` (ledger_urls.py, mounted under /plans/ as before).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from countyworks import wording
from countyworks.accounts import policy
from countyworks.accounts.decorators import internal_only
from countyworks.core.services import ServiceError
from countyworks.core.viewhelpers import paginate
from countyworks.plans.models import ItemKind, ItemStatus, Light, PlanNode, WorkItem
from countyworks.plans.queries import choose_plan, plan_rollup, readable_item
from countyworks.plans.rollup import UNFILED
from countyworks.supervision import replay, status
from countyworks.supervision.cycle_context import item_cycle_context
from countyworks.supervision.forms import SORTS, InstructionForm, LedgerFilterForm, instruction_units
from countyworks.supervision.ledger_export import ledger_workbook_response
from countyworks.supervision.models import ReviewState
from countyworks.supervision.procedure_forms import HeadReviewForm

HISTORY_LIMIT = 30


def descendant_ids(node: PlanNode) -> list[int]:
    """The node and every node under it (one query for the whole plan)."""
    parent_of = dict(PlanNode.objects.filter(plan_id=node.plan_id).values_list("id", "parent_id"))
    children: dict[int, list[int]] = {}
    for child, parent in parent_of.items():
        children.setdefault(parent, []).append(child)
    found, stack = [], [node.pk]
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.append(current)
        stack.extend(children.get(current, []))
    return found


def as_of_day(request: HttpRequest) -> date | None:
    """The past day a screen is asked to show (`?as_of=2023-06-30`), None for today.

    Raises ServiceError naming the field for a value that is not a date; a day from today on is
    today (there is no history of the future)."""
    raw = (request.GET.get("as_of") or "").strip()
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError as exc:
        raise ServiceError(_("as_of: not a date (YYYY-MM-DD): %(value)s") % {"value": raw[:20]}) from exc
    return day if day < timezone.localdate() else None


def screen_day(request: HttpRequest, opening: Callable[[], date | None]) -> tuple[date | None, bool]:
    """(the day a screen shows, whether it is the opening default of `replay`).

    `?as_of=2023-09-30` is that day, an empty `?as_of=` is today, and no `as_of` at all is
    `opening()`: mid-year of a replayed (demo) year, else None (today). Raises ServiceError as
    `as_of_day` does."""
    if "as_of" in request.GET:
        return as_of_day(request), False
    day = opening()
    return day, day is not None


def plan_screen_day(request: HttpRequest, plans: list[Any], plan: Any) -> tuple[Any, date | None, bool]:
    """The plan and day a one-plan screen (the dashboard, the missing reports) opens on: with nothing
    asked for, a replayed (demo) year's plan at mid-year rather than next year's empty plan; else
    `screen_day` for the chosen plan. Raises ServiceError as `as_of_day` does."""
    if "plan" not in request.GET and "as_of" not in request.GET:
        plan = replay.opening_plan(plans) or plan
    as_of, opening = screen_day(request, lambda: replay.opening_day(plan))
    return plan, as_of, opening


def ledger_queryset(
    user: Any, params: Any, as_of: date | None = None
) -> tuple[LedgerFilterForm, QuerySet[WorkItem]]:
    """The items the user may read, with today's light, filtered and sorted as the GET parameters ask.

    With `as_of` (a past day) the rows are the items as they stood at its end, rebuilt from their
    history (`id` is the item's id), with that day's lights."""
    visible = policy.visible_items(user)
    form = LedgerFilterForm(params or None, visible=visible)
    if as_of is not None:
        items = status.annotate(status.history_as_of(as_of, visible.values("pk")), as_of)
    else:
        items = status.annotate(visible)
    sort = "number"
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            # icontains matches Chinese substrings, which is what people type into the box.
            items = items.filter(Q(title__icontains=data["q"]) | Q(number__icontains=data["q"]))
        if data["plan"]:
            items = items.filter(plan=data["plan"])
        if data["node"]:
            items = items.filter(node_id__in=descendant_ids(data["node"]))
        for field in ("kind", "status", "light"):
            if data[field]:
                items = items.filter(**{field: data[field]})
        if data["unit"]:
            items = items.filter(lead_unit=data["unit"])
        if data["leader"]:
            items = items.filter(lead_leader=data["leader"])
        if data["overdue"]:
            items = items.filter(is_overdue=True)
        sort = data["sort"] or "number"
    descending = sort.startswith("-")
    order = SORTS.get(sort.lstrip("-"), SORTS["number"])
    if descending:
        order = tuple("-" + name for name in order)
    items = items.select_related("plan", "node", "lead_leader", "lead_unit").order_by("plan_id", *order)
    if as_of is None:
        # History rows keep co-units in their own table; the replay leaves them out.
        items = items.prefetch_related("co_units")
    return form, items


def percent_text(value: Decimal | float | int) -> str:
    """A percentage with at most one decimal, as floatformat:"-1" writes it (37.25 → 37.3, 40 → 40)."""
    return wording.plain_number(Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def prepare_rows(items: list[WorkItem]) -> None:
    """Give each ledger row what it prints, computed once in Python rather than by template filters.

    `get_FOO_display()` translates a lazy label on every call (three per row were a third of the
    table's rendering time); the kind, status and light labels are translated once per page here.
    Progress and the deadline are written the way floatformat and the date filter wrote them
    (37.25 → 37.3 %, a bar 37 % wide; 2023-12-31), at a fraction of the cost.
    """
    labels = {
        field: {key: str(label) for key, label in choices}
        for field, choices in (
            ("kind", ItemKind.choices),
            ("status", ItemStatus.choices),
            ("light", Light.choices),
        )
    }
    for item in items:
        for field, names in labels.items():
            value = getattr(item, field)
            setattr(item, f"{field}_label", names.get(value, value))
        item.progress_bar = str(Decimal(item.progress).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        item.progress_text = percent_text(item.progress)
        item.due_text = item.due_date.isoformat() if item.due_date else "—"


@internal_only
def ledger(request: HttpRequest) -> HttpResponse:
    asked = request.GET.get("plan") or ""
    plan_pk = int(asked) if asked.isascii() and asked.isdigit() and len(asked) < 10 else None
    try:
        as_of, opening = screen_day(
            request, lambda: replay.opening_day_among(policy.visible_items(request.user), plan_pk)
        )
    except ServiceError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    form, items = ledger_queryset(request.user, request.GET, as_of)
    if as_of is not None and request.GET.get("format") == "xlsx":
        return HttpResponse(_("as_of: the workbook is of today's ledger only"), status=400)
    if request.GET.get("format") == "xlsx":
        return ledger_workbook_response(items)
    page = paginate(items, request.GET.get("page"))
    prepare_rows(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "today": as_of or timezone.localdate(),
        "as_of": as_of,
        "opening_day": opening,
        "can_add": policy.can_manage_plan(request.user, request.user.region),
        # Translated once here rather than once per row (the table is the hot path of the ledger).
        "overdue_label": _("overdue"),
        "illustrative_label": _("illustrative"),
    }
    template = "supervision/_ledger_table.html" if request.htmx else "supervision/ledger.html"
    return render(request, template, context)


def _readable(field: Any, value: Any) -> Any:
    """A stored value as the screen names it: a choice's label, 是/否 for a flag."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return dict(field.choices or []).get(value, value)


def _history_rows(item: WorkItem) -> list[dict[str, Any]]:
    """Who changed what and when, newest first, with field names and choices made readable."""
    records = list(
        WorkItem.history.filter(id=item.pk)
        .select_related("history_user")
        .order_by("-history_date", "-pk")[: HISTORY_LIMIT + 1]
    )
    rows = []
    for index, record in enumerate(records[:HISTORY_LIMIT]):
        changes = []
        if index + 1 < len(records):
            delta = record.diff_against(records[index + 1], excluded_fields=["co_units", "version"])
            for change in delta.changes:
                field = WorkItem._meta.get_field(change.field)
                changes.append(
                    {
                        "field": field.verbose_name,
                        "old": _readable(field, change.old),
                        "new": _readable(field, change.new),
                    }
                )
        rows.append(
            {
                "when": record.history_date,
                "who": record.history_user.display_name if record.history_user else _("system"),
                "type": record.get_history_type_display(),
                "changes": changes,
            }
        )
    return rows


def instruction_rows(user: Any, item: Any) -> list[Any]:
    """The item's instructions with, for one addressed to units (issue 13), its notices and state,
    and whether `user` may turn it into a new item."""
    from countyworks.supervision.procedure_services import instruction_state

    rows = list(
        policy.visible_instructions(user)
        .filter(item=item)
        .select_related("author", "created_item")
        .prefetch_related("notices__unit")
        .order_by("-created_at")
    )
    may_make = bool(policy.manageable_plans(user).exists())
    for row in rows:
        row.state = instruction_state(row)
        row.may_make_item = may_make and row.created_item_id is None
    return rows


@internal_only
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    thresholds = status.current_thresholds()
    item = readable_item(user, pk, status.annotate(policy.visible_items(user), today, thresholds))
    assessment = status.assess(item, today, thresholds)
    reports = list(
        policy.visible_reports(user)
        .filter(item=item)
        .select_related("submitted_by", "reviewed_by", "head_decided_by", "unit")
        .prefetch_related("evidence")
        .order_by("-submitted_at", "-id")
    )
    # A busy item has two dozen reports: their labels and figures are written once here, not by
    # a lazy translation and two template filters per report.
    states = {key: str(label) for key, label in ReviewState.choices}
    for report in reports:
        report.item = item  # the item is loaded already; the policy below reads report.item.plan
        report.state_label = states.get(report.state, report.state)
        report.progress_text = percent_text(report.progress)
        report.submitted_text = timezone.localtime(report.submitted_at).strftime("%Y-%m-%d %H:%M")
        report.may_set_public = policy.can_set_evidence_public(user, report)
        report.head_form = (
            HeadReviewForm(initial={"version": report.version}, prefix=f"h{report.pk}")
            if report.state == ReviewState.WITH_HEAD and policy.can_head_review(user, report)
            else None
        )
    context = {
        "item": item,
        "path": item.node.path() if item.node else [],
        "fields": _field_rows(item),
        "co_units": list(item.co_units.all()),
        "reports": reports,
        "notices": policy.visible_notices(user)
        .filter(item=item)
        .select_related("unit", "issued_by")
        .order_by("-issued_at"),
        "instructions": instruction_rows(user, item),
        "expected": assessment.expected,
        "behind": assessment.behind,
        "milestones": item.milestones.all(),
        "history": _history_rows(item),
        "can_edit": policy.can_edit_item(user, item),
        "can_report": policy.can_report(user, item),
        "can_instruct": policy.can_instruct(user, item),
        "can_issue_notice": policy.can_issue_notice(user, item),
        "instruction_form": InstructionForm(units=instruction_units(item)),
        "returned": ReviewState.RETURNED,
        "submitted": ReviewState.SUBMITTED,
        "today": today,
    }
    # The supervision procedure (issue 13): extension applications and their actions.
    from countyworks.supervision.procedure_views import item_procedure_context

    context.update(item_procedure_context(user, item))
    # Reporting cycles (issue 19): the item's cycle, open periods, reopened periods.
    context.update(item_cycle_context(user, item, today, reports))
    return render(request, "supervision/item_detail.html", context)


SKIPPED_FIELDS = {
    "id",
    "plan",
    "title",
    "deleted_at",
    "version",
    "created_at",
    "updated_at",
}


def _field_rows(item: WorkItem) -> list[dict[str, Any]]:
    """Every field that has a value, with its label and the value as people read it."""
    rows = []
    for field in WorkItem._meta.concrete_fields:
        if field.name in SKIPPED_FIELDS:
            continue
        value = getattr(item, field.name)
        if value in (None, "") or (field.name == "illustrative" and not value):
            continue
        if field.choices:
            value = getattr(item, f"get_{field.name}_display")()
        elif isinstance(value, bool):
            value = _("yes") if value else _("no")
        rows.append({"label": field.verbose_name, "value": value, "name": field.name})
    return rows


@internal_only
def plan_tree(request: HttpRequest) -> HttpResponse:
    """The goal tree with each node's weighted progress, its items with today's light, and the items
    outside the tree under 未归类; every figure is the weighted mean of what is shown under it."""
    visible = policy.visible_items(request.user)
    plans, plan = choose_plan(request, visible)
    tree: list[dict[str, Any]] = []
    total = None
    if plan is not None:
        nodes, rolled = plan_rollup(plan, visible)
        total = rolled[None]
        items_by_node: dict[Any, list[WorkItem]] = {}
        node_ids = {node.pk for node in nodes}
        rows = list(
            status.annotate(visible.filter(plan=plan)).select_related("lead_unit").order_by("number", "id")
        )
        prepare_rows(rows)
        for item in rows:
            items_by_node.setdefault(item.node_id if item.node_id in node_ids else UNFILED, []).append(item)
        children: dict[Any, list[Any]] = {}
        for node in nodes:
            children.setdefault(node.parent_id if node.parent_id in node_ids else None, []).append(node)
        if items_by_node.get(UNFILED):
            children.setdefault(None, []).append(None)  # the 未归类 node, after the tree's own

        def build(parent: Any, depth: int, seen: frozenset) -> list[dict[str, Any]]:
            entries = []
            for node in children.get(parent, []):
                key = UNFILED if node is None else node.pk
                if key in seen:
                    continue
                entries.append(
                    {
                        "node": node,
                        "key": key,
                        "depth": depth,
                        "rolled": rolled.get(key),
                        "items": items_by_node.get(key, []),
                        "children": [] if node is None else build(node.pk, depth + 1, seen | {key}),
                    }
                )
            return entries

        tree = build(None, 0, frozenset())
    return render(
        request,
        "supervision/tree.html",
        {
            "plans": plans,
            "plan": plan,
            "tree": tree,
            "total": total,
            "ledger_url": reverse("ledger:list"),
            "overdue_label": _("overdue"),
            "illustrative_label": _("illustrative"),
        },
    )
