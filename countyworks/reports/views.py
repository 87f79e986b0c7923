"""Screens of the reports app: choose a report, preview the review, download files, follow jobs."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from countyworks.accounts import policy
from countyworks.core.services import ServiceError
from countyworks.plans.models import Plan
from countyworks.regions.models import Region
from countyworks.reports import services
from countyworks.reports.forms import BulletinForm, ReviewForm
from countyworks.reports.models import JobStatus, ReportJob, ReportKind
from countyworks.reports.render_html import render_fragment
from countyworks.supervision import replay


def _attachment(data: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=services.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    plans = policy.visible_plans(user) if policy.is_internal_user(user) else Plan.objects.none()
    # services.may_read_review, for many plans at once: a region-year is readable when one of its
    # plans is published, or by whoever manages the region's plans (one query, not one per plan).
    published_years = set(plans.filter(published=True).values_list("region_id", "year"))
    plans = plans.select_related("region").order_by("region__code", "-year")[:200]
    today = date.today()
    initial_region = user.region.code if user.region_id else ""
    readable = [
        p for p in plans if (p.region_id, p.year) in published_years or policy.can_manage_plan(user, p.region)
    ]
    # The review form opens on a year that has a plan of the user's region (the latest one), so its
    # button never leads to a page without one; last year only when no plan is readable.
    own_years = [p.year for p in readable if p.region_id == user.region_id]
    review_year = (
        max(own_years) if own_years else (max(p.year for p in readable) if readable else today.year - 1)
    )
    return render(
        request,
        "reports/index.html",
        {
            "plans": readable,
            "internal": bool(user.region_id and services.may_read_internal(user, user.region)),
            "review_form": ReviewForm(initial={"region": initial_region, "year": review_year}),
            "bulletin_form": BulletinForm(
                initial={"region": initial_region, **_bulletin_period(user, readable, today)}
            ),
        },
    )


def _bulletin_period(user: Any, plans: list[Plan], today: date) -> dict[str, date]:
    """The bulletin form's period: this year so far, or, when the user's region keeps a replayed
    (demo) year, the month its screens open on (supervision.replay): 截至6月30日."""
    opening = replay.opening_plan([p for p in plans if p.region_id == user.region_id], today)
    if opening is not None:
        day = replay.opening_day(opening, today)
        return {"date_from": day.replace(day=1), "date_to": day}
    return {"date_from": date(today.year, 1, 1), "date_to": today}


def _region(code: str) -> Region:
    return get_object_or_404(Region, code=code)


def _start_job_or_403(request: HttpRequest, kind: str, fmt: str, region: Region, **period) -> HttpResponse:
    # A refusal (core.services.PermissionDenied) is Django's PermissionDenied too: it answers 403.
    job = services.start_job(request.user, kind, fmt, region, **period)
    return redirect("reports:job", job_id=job.pk)


@login_required
def review(request: HttpRequest, code: str, year: int) -> HttpResponse:
    region = _region(code)
    if not services.may_read_review(request.user, region, year):
        if not policy.in_scope(request.user, region):
            raise PermissionDenied(_("You may not read reports of this region."))
        raise Http404(_("There is no published plan of this region for that year."))
    fmt = request.GET.get("format", "html")
    if fmt not in services.FORMATS[ReportKind.REVIEW]:
        return HttpResponse(_("This report is not available in that format."), status=400)
    if services.needs_job(ReportKind.REVIEW, fmt, region):
        return _start_job_or_403(request, ReportKind.REVIEW, fmt, region, year=year)
    report = services.build(ReportKind.REVIEW, region, year=year, user=request.user)
    if fmt == "docx":
        return _attachment(
            services.render(ReportKind.REVIEW, "docx", report), "docx", f"{report.filename}.docx"
        )
    return render(
        request,
        "reports/review.html",
        {"report": report, "document": render_fragment(report, request), "region": region, "year": year},
    )


@login_required
def review_from_form(request: HttpRequest) -> HttpResponse:
    form = ReviewForm(request.GET)
    if not form.is_valid():
        return render(request, "reports/form_error.html", {"form": form}, status=400)
    return redirect("reports:review", code=form.cleaned_data["region"], year=form.cleaned_data["year"])


@login_required
def bulletin(request: HttpRequest) -> HttpResponse:
    form = BulletinForm(request.GET)
    if not form.is_valid():
        return render(request, "reports/form_error.html", {"form": form}, status=400)
    region = _region(form.cleaned_data["region"])
    if not services.may_read_internal(request.user, region):
        raise PermissionDenied(_("You may not read reports of this region."))
    fmt = request.GET.get("format", "docx")
    if fmt not in services.FORMATS[ReportKind.BULLETIN]:
        return HttpResponse(_("This report is not available in that format."), status=400)
    start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    if services.needs_job(ReportKind.BULLETIN, fmt, region):
        return _start_job_or_403(request, ReportKind.BULLETIN, fmt, region, start=start, end=end)
    data = services.produce(ReportKind.BULLETIN, fmt, region, start=start, end=end, user=request.user)
    return _attachment(data, fmt, services.file_name(ReportKind.BULLETIN, fmt, region, None, start, end))


@login_required
def ledger(request: HttpRequest, code: str, year: int) -> HttpResponse:
    region = _region(code)
    if not services.may_read_internal(request.user, region):
        raise PermissionDenied(_("You may not read reports of this region."))
    try:
        data = services.produce(ReportKind.LEDGER, "xlsx", region, year=year, user=request.user)
    except ServiceError as exc:
        raise Http404(exc.message) from exc
    return _attachment(data, "xlsx", services.file_name(ReportKind.LEDGER, "xlsx", region, year, None, None))


def _own_job(request: HttpRequest, job_id: int) -> ReportJob:
    job = get_object_or_404(ReportJob.objects.select_related("region", "task"), pk=job_id)
    # A job's file is as confidential as its report: only the requester, and only while still allowed.
    if job.requested_by_id != request.user.pk:
        raise Http404
    services.check_access(request.user, job.kind, job.region, job.year)
    return job


def _request_url(report_job: ReportJob) -> str:
    """The download link that started the job: following it again starts a new run of the same
    report, through the same permission checks as the first time."""
    if report_job.kind == ReportKind.BULLETIN:
        query = {
            "region": report_job.region.code,
            "date_from": report_job.date_from.isoformat() if report_job.date_from else "",
            "date_to": report_job.date_to.isoformat() if report_job.date_to else "",
            "format": report_job.fmt,
        }
        return f"{reverse('reports:bulletin')}?{urlencode(query)}"
    if report_job.kind == ReportKind.REVIEW:
        url = reverse("reports:review", args=[report_job.region.code, report_job.year])
        return f"{url}?{urlencode({'format': report_job.fmt})}"
    return reverse("reports:ledger", args=[report_job.region.code, report_job.year])


@login_required
def job(request: HttpRequest, job_id: int) -> HttpResponse:
    # A job whose worker died mid-run stops moving; the page records it as failed instead of polling
    # a "running" job for ever.
    report_job = services.fail_if_stale(_own_job(request, job_id))
    template = "reports/_job_status.html" if request.htmx else "reports/job.html"
    return render(
        request,
        template,
        {
            "job": report_job,
            "finished": report_job.finished,
            "retry_url": _request_url(report_job) if report_job.status == JobStatus.FAILED else "",
        },
    )


@login_required
def job_download(request: HttpRequest, job_id: int) -> FileResponse:
    report_job = _own_job(request, job_id)
    if report_job.status != JobStatus.DONE or not report_job.file:
        raise Http404(_("The file is not ready yet."))
    return FileResponse(
        report_job.file.open("rb"),
        as_attachment=True,
        filename=report_job.filename,
        content_type=services.CONTENT_TYPES[report_job.fmt],
    )
