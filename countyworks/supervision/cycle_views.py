"""Screens of the reporting cycles (issue 19): the plan's cycles, the missing-reports view, and
reopening a reviewed period for a correction. The arithmetic is plans/cadence.py; who owes what is
supervision/cycles.py, the same code the ranking, the reminders and 我的事项 read."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from countyworks.accounts import policy
from countyworks.accounts.decorators import internal_only
from countyworks.core.services import ServiceError
from countyworks.core.xlsx import write_header, write_row
from countyworks.plans.models import ItemKind, Plan, ReportCadence
from countyworks.plans.queries import choose_plan
from countyworks.regions.models import Organisation
from countyworks.supervision import cycles, procedure_services, services
from countyworks.supervision.cycle_forms import PeriodReopenForm, ReportingCycleForm
from countyworks.supervision.forms import period_label
from countyworks.supervision.ledger_export import XLSX_TYPE
from countyworks.supervision.ledger_views import plan_screen_day
from countyworks.supervision.models import ReportingCycle
from countyworks.supervision.procedure_views import _attempt

STATE_LABELS = {
    cycles.MISSING: gettext_lazy("not reported"),
    cycles.OPEN: gettext_lazy("due, window open"),
    cycles.RETURNED: gettext_lazy("returned, awaiting correction"),
    cycles.LATE: gettext_lazy("reported late"),
    cycles.ON_TIME: gettext_lazy("reported on time"),
}


@internal_only
def missing_reports(request: HttpRequest) -> HttpResponse:
    """缺报情况: per unit, the reports it owed on the plan up to a day, and which did not come."""
    visible = policy.visible_items(request.user)
    plans, plan = choose_plan(request, visible)
    try:
        plan, as_of, _opening = plan_screen_day(request, plans, plan)  # as the dashboard opens
    except ServiceError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    as_of = as_of or timezone.localdate()
    groups = []
    if plan is not None:
        groups = cycles.report_duties(visible.filter(plan=plan), date(plan.year, 1, 1), as_of)
    show_all = request.GET.get("show") == "all"
    if request.GET.get("format") == "xlsx":
        return _missing_workbook(plan, as_of, groups, show_all)
    rows = [
        {
            "unit": group,
            "counts": {
                "owed": group.owed,
                "on_time": group.count(cycles.ON_TIME),
                "late": group.count(cycles.LATE),
                "returned": group.count(cycles.RETURNED),
                "missing": group.count(cycles.MISSING),
                "open": group.count(cycles.OPEN),
            },
            "duties": [_duty_row(d) for d in (group.duties if show_all else group.outstanding)],
        }
        for group in groups
    ]
    return render(
        request,
        "supervision/missing_reports.html",
        {"plans": plans, "plan": plan, "as_of": as_of, "rows": rows, "show_all": show_all},
    )


def _duty_row(duty: cycles.Duty) -> dict[str, Any]:
    return {
        "item": duty.item,
        "period": period_label(duty.period.key),
        "closes": duty.period.closes,
        "state": duty.state,
        "state_label": str(STATE_LABELS[duty.state]),
    }


def _missing_workbook(
    plan: Plan | None, as_of: date, groups: list[cycles.UnitDuties], show_all: bool
) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Missing reports")[:31]
    write_header(
        sheet, 1, [_("Unit"), _("Number"), _("Work item"), _("Period"), _("Window closes"), _("State")]
    )
    line = 2
    for group in groups:
        for duty in group.duties if show_all else group.outstanding:
            row = _duty_row(duty)
            write_row(
                sheet,
                line,
                [
                    group.unit_name,
                    duty.item.number,
                    duty.item.title,
                    row["period"],
                    row["closes"],
                    row["state_label"],
                ],
            )
            line += 1
    for letter, width in zip("ABCDEF", (22, 8, 48, 18, 14, 16), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    name = f"missing-reports-{plan.pk if plan else 0}-{as_of.isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


KIND_ROWS = [("", None), *ItemKind.choices]


@internal_only
def plan_cycles(request: HttpRequest) -> HttpResponse:
    """报送频次设置: the plan's cycle for every kind and per kind, set by its supervision office."""
    plans, plan = choose_plan(request, policy.visible_items(request.user))
    if plan is None or not policy.can_set_reporting_cycles(request.user, plan):
        raise PermissionDenied
    stored = {cycle.kind: cycle for cycle in ReportingCycle.objects.filter(plan=plan)}
    forms = []
    for kind, label in KIND_ROWS:
        cycle = stored.get(kind)
        initial = (
            {
                "cadence": cycle.cadence,
                "opens_before_end": cycle.opens_before_end,
                "closes_after_end": cycle.closes_after_end,
            }
            if cycle
            else {}
        )
        blank = _("monthly (default)") if not kind else _("as for every kind")
        form = ReportingCycleForm(
            request.POST if request.method == "POST" else None,
            initial=initial,
            prefix=kind or "all",
            blank_label=str(blank),
        )
        forms.append({"kind": kind, "label": label or _("Every kind"), "form": form})
    if request.method == "POST" and all(entry["form"].is_valid() for entry in forms):
        try:
            for entry in forms:
                data = entry["form"].cleaned_data
                services.set_reporting_cycle(
                    request.user,
                    plan,
                    kind=entry["kind"],
                    report_cadence=data["cadence"] or None,
                    opens_before_end=data["opens_before_end"],
                    closes_after_end=data["closes_after_end"] or 0,
                )
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The reporting cycles were saved."))
            return redirect(f"{request.path}?plan={plan.pk}")
    return render(
        request,
        "supervision/plan_cycles.html",
        {"plans": plans, "plan": plan, "forms": forms, "cadences": ReportCadence.choices},
    )


@internal_only
@require_POST
def period_reopen(request: HttpRequest, item_pk: int) -> HttpResponse:
    item = get_object_or_404(policy.visible_items(request.user).select_related("plan__region"), pk=item_pk)
    if not policy.can_reopen_period(request.user, item):
        raise PermissionDenied
    form = PeriodReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the period is reopened."))
        return redirect("ledger:item", pk=item.pk)
    unit = Organisation.objects.filter(pk=form.cleaned_data["unit"]).first()
    _attempt(
        request,
        lambda: procedure_services.reopen_period(
            request.user,
            item,
            unit=unit,
            period=form.cleaned_data["period"],
            reason=form.cleaned_data["reason"],
        ),
        _("The period was reopened; the unit may now send its correction."),
    )
    return redirect("ledger:item", pk=item.pk)
