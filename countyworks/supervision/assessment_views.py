"""The assessment ranking page (考核排名) with its 红黑榜, and its Excel export.

Only readers of the whole plan see it (`policy.reads_whole_plan`): the points speak of every unit.
The scores come from `assessment.month_ranking` (the scheme in force that month, facts as of the
month's end), so the page shows a published month the same way whenever it is opened.
"""

from __future__ import annotations

import io
import re
from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from countyworks.accounts import policy
from countyworks.accounts.decorators import internal_only
from countyworks.core.xlsx import write_header, write_row
from countyworks.plans.queries import choose_plan
from countyworks.supervision import assessment, scoring
from countyworks.supervision.ledger_export import XLSX_TYPE

RED_BLACK_SIZE = 3
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
        },
    )


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
