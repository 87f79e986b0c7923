"""Screens of the plans domain: the item editor with optimistic locking and a new item.

The task-table import has its own module (import_views.py). The screens that show items with their
supervision records (the ledger, the item page, the plan tree) are in the supervision app.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from countyworks.accounts import policy
from countyworks.accounts.decorators import internal_only
from countyworks.core.services import ConflictError, ServiceError
from countyworks.plans import services
from countyworks.plans.forms import NewItemPlanForm, WorkItemForm
from countyworks.plans.models import WorkItem
from countyworks.plans.queries import readable_item


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
    item = readable_item(request.user, pk)
    if not policy.can_edit_item(request.user, item):
        raise PermissionDenied
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
            except PermissionDenied:  # the service refused: Django answers 403
                raise
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("The item was saved."))
                return redirect("ledger:item", pk=item.pk)
    else:
        form = WorkItemForm(instance=item, plan=item.plan)
    return render(
        request, "plans/item_form.html", {"form": form, "item": item, "plan": item.plan, "conflict": conflict}
    )


@internal_only
def item_new(request: HttpRequest) -> HttpResponse:
    chooser = NewItemPlanForm(request.GET or None, user=request.user)
    if not chooser.fields["plan"].queryset.exists():
        raise PermissionDenied
    if not chooser.is_valid():
        return render(request, "plans/item_new_plan.html", {"chooser": chooser})
    plan = chooser.cleaned_data["plan"]
    form = WorkItemForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.create_item(
                request.user, plan, co_units=list(form.cleaned_data["co_units"]), **form.service_fields()
            )
        except PermissionDenied:  # the service refused: Django answers 403
            raise
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The item was added to the plan."))
            return redirect("ledger:item", pk=item.pk)
    return render(
        request, "plans/item_form.html", {"form": form, "item": None, "plan": plan, "conflict": None}
    )
