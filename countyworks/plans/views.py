"""Screens of the plans domain: the ledger (台账) and its Excel export, the item page,
the item editor with optimistic locking, and the plan tree with rolled-up progress."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from countyworks.accounts import policy
from countyworks.core.services import ConflictError, PermissionDenied, ServiceError
from countyworks.plans import services
from countyworks.plans.exports import ledger_workbook_response
from countyworks.plans.forms import SORTS, LedgerFilterForm, NewItemPlanForm, WorkItemForm
from countyworks.plans.models import ItemKind, ItemStatus, Light, Plan, PlanNode, WorkItem
from countyworks.plans.rollup import ItemInput, NodeInput, roll_up
from countyworks.reports import wording
from countyworks.supervision.forms import InstructionForm
from countyworks.supervision.models import ReviewState

PAGE_SIZE = 50
OPEN_STATUSES = (ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS, ItemStatus.SUSPENDED)
HISTORY_LIMIT = 30


def internal_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous users go to the login page; citizens' accounts get 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not policy.is_internal_user(request.user):
            raise DjangoPermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def overdue_q(today: date) -> Q:
    """Overdue as `countyworks supervise` marks it, or past due and still open since its last run."""
    return Q(is_overdue=True) | Q(due_date__lt=today, status__in=OPEN_STATUSES)


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


def ledger_queryset(user: Any, params: Any) -> tuple[LedgerFilterForm, QuerySet[WorkItem]]:
    """The items the user may read, filtered and sorted as the ledger's GET parameters ask."""
    visible = policy.visible_items(user)
    form = LedgerFilterForm(params or None, visible=visible)
    items = visible
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
            items = items.filter(overdue_q(timezone.localdate()))
        sort = data["sort"] or "number"
    descending = sort.startswith("-")
    order = SORTS.get(sort.lstrip("-"), SORTS["number"])
    if descending:
        order = tuple("-" + name for name in order)
    items = (
        items.select_related("plan", "node", "lead_leader", "lead_unit")
        .prefetch_related("co_units")
        .order_by("plan_id", *order)
    )
    return form, items


def paginate(items: QuerySet, number: Any) -> Any:
    """One page (of the ledger, the review queue), found on ids first and then read in full.

    A deep page sorts only narrow rows to find its 50 ids; reading every joined column of the
    rows it skips (OFFSET) is what made late pages slow on a province's ledger.
    """
    page = Paginator(items.values_list("pk", flat=True), PAGE_SIZE).get_page(number)
    ids = list(page.object_list)
    rows = {item.pk: item for item in items.filter(pk__in=ids)}
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page


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
    form, items = ledger_queryset(request.user, request.GET)
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
        "today": timezone.localdate(),
        "can_add": policy.can_manage_plan(request.user, request.user.region),
        # Translated once here rather than once per row (the table is the hot path of the ledger).
        "overdue_label": _("overdue"),
        "illustrative_label": _("illustrative"),
    }
    template = "plans/_ledger_table.html" if request.htmx else "plans/ledger.html"
    return render(request, template, context)


def _readable_item(request: HttpRequest, pk: int) -> WorkItem:
    return get_object_or_404(
        policy.visible_items(request.user).select_related(
            "plan__region", "node", "lead_leader", "lead_unit", "citation__document"
        ),
        pk=pk,
    )


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


@internal_only
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _readable_item(request, pk)
    user = request.user
    reports = list(
        policy.visible_reports(user)
        .filter(item=item)
        .select_related("submitted_by", "reviewed_by", "unit")
        .prefetch_related("evidence")
        .order_by("-submitted_at", "-id")
    )
    # A busy item has two dozen reports: their labels and figures are written once here, not by
    # a lazy translation and two template filters per report.
    states = {key: str(label) for key, label in ReviewState.choices}
    for report in reports:
        report.state_label = states.get(report.state, report.state)
        report.progress_text = percent_text(report.progress)
        report.submitted_text = timezone.localtime(report.submitted_at).strftime("%Y-%m-%d %H:%M")
    context = {
        "item": item,
        "path": item.node.path() if item.node else [],
        "fields": _field_rows(item),
        "co_units": list(item.co_units.all()),
        "reports": reports,
        "notices": item.notices.select_related("unit", "issued_by").order_by("-issued_at"),
        "instructions": item.instructions.select_related("author").order_by("-created_at"),
        "milestones": item.milestones.all(),
        "history": _history_rows(item),
        "can_edit": policy.can_edit_item(user, item),
        "can_report": policy.can_report(user, item),
        "can_instruct": policy.can_instruct(user, item),
        "can_issue_notice": policy.can_issue_notice(user, item),
        "instruction_form": InstructionForm(),
        "returned": ReviewState.RETURNED,
        "submitted": ReviewState.SUBMITTED,
        "today": timezone.localdate(),
    }
    return render(request, "plans/item_detail.html", context)


SKIPPED_FIELDS = {
    "id",
    "plan",
    "title",
    "deleted_at",
    "version",
    "light_updated_on",
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


def _conflict_rows(form: WorkItemForm, current: WorkItem) -> list[dict[str, Any]]:
    """Fields where what the user typed differs from what someone else saved meanwhile."""
    rows = []
    for name, value in form.service_fields().items():
        saved = getattr(current, name)
        if saved != value:
            rows.append({"label": form.fields[name].label, "mine": value, "saved": saved})
    return rows


@internal_only
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _readable_item(request, pk)
    if not policy.can_edit_item(request.user, item):
        raise DjangoPermissionDenied
    conflict: list[dict[str, Any]] | None = None
    if request.method == "POST":
        form = WorkItemForm(request.POST, instance=item, plan=item.plan)
        if form.is_valid():
            try:
                services.update_item(
                    request.user,
                    item,
                    expected_version=form.cleaned_data["version"],
                    co_units=list(form.cleaned_data["co_units"]),
                    **form.service_fields(),
                )
            except ConflictError as exc:
                current = WorkItem.objects.get(pk=item.pk)
                conflict = _conflict_rows(form, current)
                # Keep every value the user typed; the next save is a deliberate overwrite.
                data = request.POST.copy()
                data["version"] = str(current.version)
                form = WorkItemForm(data, instance=current, plan=current.plan)
                form.is_valid()
                form.add_error(None, exc.message)
            except PermissionDenied as exc:
                raise DjangoPermissionDenied from exc
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("The item was saved."))
                return redirect("plans:item", pk=item.pk)
    else:
        form = WorkItemForm(instance=item, plan=item.plan)
    return render(
        request, "plans/item_form.html", {"form": form, "item": item, "plan": item.plan, "conflict": conflict}
    )


@internal_only
def item_new(request: HttpRequest) -> HttpResponse:
    chooser = NewItemPlanForm(request.GET or None, user=request.user)
    if not chooser.fields["plan"].queryset.exists():
        raise DjangoPermissionDenied
    if not chooser.is_valid():
        return render(request, "plans/item_new_plan.html", {"chooser": chooser})
    plan = chooser.cleaned_data["plan"]
    form = WorkItemForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.create_item(
                request.user, plan, co_units=list(form.cleaned_data["co_units"]), **form.service_fields()
            )
        except PermissionDenied as exc:
            raise DjangoPermissionDenied from exc
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The item was added to the plan."))
            return redirect("plans:item", pk=item.pk)
    return render(
        request, "plans/item_form.html", {"form": form, "item": None, "plan": plan, "conflict": None}
    )


def plan_rollup(plan: Plan, items: QuerySet[WorkItem]) -> tuple[list[PlanNode], dict]:
    """The plan's nodes (in order) and the weighted progress of each, from the items given."""
    nodes = list(PlanNode.objects.filter(plan=plan).order_by("order", "id"))
    counted = items.filter(plan=plan).exclude(status=ItemStatus.CANCELLED)
    progress = roll_up(
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


@internal_only
def plan_tree(request: HttpRequest) -> HttpResponse:
    visible = policy.visible_items(request.user)
    plans, plan = choose_plan(request, visible)
    tree: list[dict[str, Any]] = []
    total = None
    if plan is not None:
        nodes, progress = plan_rollup(plan, visible)
        total = progress.get(None)
        items_by_node: dict[int | None, list[WorkItem]] = {}
        for item in visible.filter(plan=plan).select_related("lead_unit").order_by("number", "id"):
            items_by_node.setdefault(item.node_id, []).append(item)
        children: dict[int | None, list[PlanNode]] = {}
        for node in nodes:
            children.setdefault(node.parent_id, []).append(node)

        def build(parent: int | None, depth: int, seen: frozenset) -> list[dict[str, Any]]:
            return [
                {
                    "node": node,
                    "depth": depth,
                    "progress": progress.get(node.pk),
                    "items": items_by_node.get(node.pk, []),
                    "children": build(node.pk, depth + 1, seen | {node.pk}),
                }
                for node in children.get(parent, [])
                if node.pk not in seen
            ]

        tree = build(None, 0, frozenset())
        loose = items_by_node.get(None, [])
    else:
        loose = []
    return render(
        request,
        "plans/tree.html",
        {
            "plans": plans,
            "plan": plan,
            "tree": tree,
            "total": total,
            "loose_items": loose,
            "ledger_url": reverse("plans:ledger"),
        },
    )
