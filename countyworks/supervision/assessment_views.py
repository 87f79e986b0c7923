"""The assessment ranking page (考核排名) with its 红黑榜, and its Excel export.

Only readers of the whole plan see it (`policy.reads_whole_plan`): the points speak of every unit.
The scores come from `assessment.month_ranking` (the scheme in force that month, facts as of the
month's end), so the page shows a published month the same way whenever it is opened.
"""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from countyworks.accounts import policy
from countyworks.accounts.decorators import internal_only
from countyworks.core.services import ServiceError
from countyworks.core.xlsx import write_header, write_row
from countyworks.plans.queries import choose_plan
from countyworks.regions.models import Organisation
from countyworks.supervision import assessment, scoring
from countyworks.supervision.ledger_export import XLSX_TYPE
from countyworks.supervision.models import AssessmentBonus

RED_BLACK_SIZE = 3


class BonusForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=Organisation.objects.none())
    rule = forms.ChoiceField(label=gettext_lazy("Bonus rule"))
    points = forms.DecimalField(
        label=gettext_lazy("Points"), min_value=0.01, max_value=100, max_digits=6, decimal_places=2
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300)
    awarded_on = forms.DateField(
        label=gettext_lazy("Awarded on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, rules: list[scoring.Rule], units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [(rule.key, rule.label) for rule in rules]
        self.fields["unit"].queryset = units


_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def _month(request: HttpRequest) -> tuple[int, int]:
    """The month asked for (YYYY-MM), else the last full month."""
    match = _MONTH.match(request.GET.get("month", ""))
    if match:
        return int(match[1]), int(match[2])
    today = timezone.localdate()
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


def ranking_rows(scores: list[scoring.UnitScore]) -> list[dict]:
    return [
        {"rank": n, "score": score, "lines": [assessment.explain(line) for line in score.lines]}
        for n, score in enumerate(scores, start=1)
    ]


@internal_only
def ranking(request: HttpRequest) -> HttpResponse:
    plans, plan = choose_plan(request, policy.visible_items(request.user))
    if plan is None or not policy.reads_whole_plan(request.user, plan):
        raise PermissionDenied
    year, month = _month(request)
    scores = assessment.month_ranking(plan, year, month)
    red, black = scoring.red_black(scores, RED_BLACK_SIZE)
    if request.GET.get("format") == "xlsx":
        return _workbook(plan, year, month, scores)
    _start, month_end = assessment.month_bounds(year, month)
    bonus_form = None
    if policy.can_manage_plan(request.user, plan.region):
        bonus_rules = [r for r in assessment.scheme_for(plan, month_end).rules if r.kind == scoring.BONUS]
        if bonus_rules:
            bonus_form = BonusForm(
                rules=bonus_rules,
                units=_plan_units(plan),
                initial={"awarded_on": min(month_end, timezone.localdate())},
            )
    return render(
        request,
        "supervision/assessment_ranking.html",
        {
            "plans": plans,
            "plan": plan,
            "month": f"{year}-{month:02d}",
            "rows": ranking_rows(scores),
            "red": ranking_rows(red),
            "black": ranking_rows(black),
            "scheme_valid_from": assessment.scheme_version_date(plan, date(year, month, 1)),
            "bonus_form": bonus_form,
            "bonuses": AssessmentBonus.objects.filter(
                plan=plan, awarded_on__gte=date(year, month, 1), awarded_on__lte=month_end
            ).select_related("unit", "entered_by"),
        },
    )


def _plan_units(plan: Any) -> Any:
    """The units that lead or co-lead an item of the plan: those the ranking speaks of."""
    return (
        Organisation.objects.filter(Q(led_items__plan=plan) | Q(co_items__plan=plan))
        .distinct()
        .order_by("name")
    )


@internal_only
@require_POST
def award_bonus(request: HttpRequest) -> HttpResponse:
    """加分: the office awards a unit points under a bonus rule of the scheme, with the reason."""
    plans, plan = choose_plan(request, policy.visible_items(request.user))
    if plan is None or not policy.can_manage_plan(request.user, plan.region):
        raise PermissionDenied
    awarded = request.POST.get("awarded_on", "")
    try:
        day = date.fromisoformat(awarded)
    except ValueError:
        day = timezone.localdate()
    rules = [r for r in assessment.scheme_for(plan, day).rules if r.kind == scoring.BONUS]
    form = BonusForm(request.POST, rules=rules, units=_plan_units(plan))
    back = f"{reverse('supervision:assessment')}?plan={plan.pk}&month={day:%Y-%m}"
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(back)
    data = form.cleaned_data
    try:
        assessment.award_bonus(
            request.user,
            plan,
            unit=data["unit"],
            rule=data["rule"],
            points=data["points"],
            reason=data["reason"],
            awarded_on=data["awarded_on"],
        )
    except ServiceError as exc:
        if isinstance(exc, PermissionDenied):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The points were awarded; the month's ranking now counts them."))
    return redirect(back)


def _workbook(plan, year: int, month: int, scores: list[scoring.UnitScore]) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Assessment")[:31]
    write_header(sheet, 1, [_("Rank"), _("Unit"), _("Points"), _("Explanation")])
    for n, row in enumerate(ranking_rows(scores), start=1):
        write_row(
            sheet, n + 1, [row["rank"], row["score"].unit_name, row["score"].total, "\n".join(row["lines"])]
        )
    for letter, width in zip("ABCD", (6, 24, 10, 80), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="assessment-{plan.pk}-{year}-{month:02d}.xlsx"'
    return response
