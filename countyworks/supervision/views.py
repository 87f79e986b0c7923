"""Screens of the supervision domain: the dashboard (工作台), progress reports and their
review, evidence downloads, supervision notices (督办单) and leaders' instructions (批示)."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from countyworks.accounts import policy
from countyworks.accounts.decorators import internal_only
from countyworks.core.services import ConflictError, ServiceError
from countyworks.core.viewhelpers import paginate
from countyworks.plans.models import ItemKind, ItemStatus, Light, NodeKind, WorkItem
from countyworks.plans.queries import choose_plan, plan_rollup
from countyworks.regions.models import Organisation
from countyworks.supervision import cycles, services, status
from countyworks.supervision import rules as status_rules
from countyworks.supervision.forms import (
    EvidencePublicForm,
    InstructionForm,
    NoticeAnswerForm,
    NoticeForm,
    ProgressReportForm,
    ResubmitForm,
    ReviewForm,
    instruction_units,
    period_label,
)
from countyworks.supervision.ledger_views import plan_screen_day, prepare_rows
from countyworks.supervision.models import Evidence, NoticeState, ProgressReport, ReviewState
from countyworks.supervision.rankings import unit_rankings
from countyworks.supervision.thresholds import current_thresholds
from countyworks.supervision.uploads import attach_evidence, check_uploads

LIST_LIMIT = 15
LIGHT_COLOURS = {
    "green": "#1a7f37",
    "yellow": "#d4a72c",
    "red": "#cf222e",
    "done": "#0969da",
    "none": "#8c959f",
}


RANKING_CACHE_SECONDS = 300


def _plan_ranking(plan: Any, today: date, thresholds: Any, replayed: bool = False) -> list:
    """The plan's unit ranking (every lead unit, as the supervision bulletin prints it).

    It reads every report of the year, the heaviest part of the dashboard. The cache key carries
    a fingerprint of the plan's items and reports (one aggregate query), so any change shows at once.
    """
    stamp = WorkItem.all_objects.filter(plan=plan).aggregate(
        items_changed=Max("updated_at"),
        # A soft delete writes only deleted_at (updated_at stays), and a restore clears it again.
        items_deleted=Max("deleted_at"),
        items_live=Count("pk", filter=Q(deleted_at__isnull=True), distinct=True),
        reports_changed=Max("reports__updated_at"),
        report_count=Count("reports"),
    )
    fingerprint = (
        f"{plan.pk}|{today}|{stamp['items_changed']}|{stamp['items_deleted']}|{stamp['items_live']}|"
        f"{stamp['reports_changed']}|{stamp['report_count']}|{thresholds}|{replayed}"
    )
    key = "dashboard-ranking:" + hashlib.sha256(fingerprint.encode()).hexdigest()
    ranking = cache.get(key)
    if ranking is None:
        ranking = unit_rankings(
            plan,
            date(plan.year, 1, 1),
            date(plan.year, 12, 31),
            today=today,
            lights_on=today,
            thresholds=thresholds,
            from_history=replayed,
        )
        cache.set(key, ranking, RANKING_CACHE_SECONDS)
    return ranking


@internal_only
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    visible = policy.visible_items(user)
    plans, plan = choose_plan(request, visible)
    try:
        plan, as_of, opening = plan_screen_day(request, plans, plan)
    except ServiceError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    today = as_of or timezone.localdate()
    if plan is not None and policy.reads_whole_plan(user, plan):
        items = WorkItem.objects.filter(plan=plan)
    else:
        # A plain id filter: a reporter's visible set joins co-units and would double count.
        items = WorkItem.objects.filter(pk__in=visible.values("pk"))
        if plan is not None:
            items = items.filter(plan=plan)
    thresholds = current_thresholds()
    if as_of is not None:
        # The ledger as it stood at the end of that day, rebuilt from the items' history rows
        # (`id` is the item's id), with that day's lights and overdue flags.
        items = status.history_as_of(as_of, items.values("pk"))
    items = status.annotate(items, today, thresholds)

    by_kind_status: dict[str, dict[str, int]] = {}
    for row in items.values("kind", "status").annotate(n=Count("id")):
        by_kind_status.setdefault(row["kind"], {})[row["status"]] = row["n"]
    kind_rows = [
        {
            "label": label,
            "cells": [by_kind_status.get(kind, {}).get(status, 0) for status in ItemStatus.values],
            "total": sum(by_kind_status.get(kind, {}).values()),
        }
        for kind, label in ItemKind.choices
        if kind in by_kind_status
    ]
    status_totals = [sum(row["cells"][i] for row in kind_rows) for i in range(len(ItemStatus.values))]
    light_counts = dict(items.values_list("light").annotate(n=Count("id")))
    lights = [{"key": key, "label": label, "count": light_counts.get(key, 0)} for key, label in Light.choices]

    row_fields = ("lead_unit", "lead_leader")
    overdue = items.filter(is_overdue=True).select_related(*row_fields).order_by("due_date", "id")
    due_soon = (
        items.filter(status.due_soon_q(today, thresholds))
        .select_related(*row_fields)
        .order_by("due_date", "id")
    )

    directions: list[dict[str, Any]] = []
    total_progress = None
    if plan is not None:
        nodes, rolled = plan_rollup(plan, items)
        total_progress = rolled[None].progress
        chosen = [n for n in nodes if n.kind == NodeKind.DIRECTION] or [
            n for n in nodes if n.parent_id is None
        ]
        directions = [
            {"id": n.pk, "label": str(n), "progress": rolled[n.pk].progress}
            for n in chosen
            if rolled[n.pk].progress is not None
        ]

    overdue_rows, due_soon_rows = list(overdue[:LIST_LIMIT]), list(due_soon[:LIST_LIMIT])
    prepare_rows(overdue_rows + due_soon_rows)
    ranking = _plan_ranking(plan, today, thresholds, replayed=as_of is not None) if plan is not None else []
    # `items` is already limited to what the user may read, so one IN over it is enough.
    pending_reviews = (
        ProgressReport.objects.filter(state=ReviewState.SUBMITTED, item__in=items.values("id")).count()
        if policy.can_manage_plan(user, user.region) and as_of is None
        else None
    )
    chart_data = {
        "lights": [
            {
                "name": str(row["label"]),
                "value": row["count"],
                "itemStyle": {"color": LIGHT_COLOURS[row["key"]]},
            }
            for row in lights
            if row["count"]
        ],
        "directions": {
            "names": [d["label"] for d in directions],
            "values": [float(d["progress"]) for d in directions],
        },
        "kinds": {
            "names": [str(row["label"]) for row in kind_rows],
            "statuses": [str(label) for label in ItemStatus.labels],
            "series": [[row["cells"][i] for row in kind_rows] for i in range(len(ItemStatus.values))],
        },
        "labels": {"progress": _("Progress (%)"), "items": _("Items")},
    }
    context = {
        "plans": plans,
        "plan": plan,
        "total": sum(row["total"] for row in kind_rows),
        "kind_rows": kind_rows,
        "status_labels": ItemStatus.labels,
        "status_totals": list(zip(ItemStatus.values, status_totals, strict=True)),
        "lights": lights,
        "overdue": overdue_rows,
        "overdue_count": overdue.count(),
        "due_soon": due_soon_rows,
        "due_soon_days": thresholds.due_soon_days,
        "directions": directions,
        "total_progress": total_progress,
        "ranking": ranking,
        "may_set_cycles": plan is not None and policy.can_set_reporting_cycles(user, plan),
        "pending_reviews": pending_reviews,
        "chart_data": chart_data,
        "today": today,
        "as_of": as_of,
        "opening_day": opening,
    }
    return render(request, "supervision/dashboard.html", context)


def _item_for(request: HttpRequest, pk: int) -> WorkItem:
    return get_object_or_404(policy.visible_items(request.user).select_related("plan__region"), pk=pk)


def _report_for(request: HttpRequest, pk: int) -> ProgressReport:
    return get_object_or_404(
        policy.visible_reports(request.user).select_related(
            "item__plan__region", "item__lead_unit", "unit", "submitted_by", "reviewed_by"
        ),
        pk=pk,
    )


def _show_service_error(form: Any, exc: ServiceError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _last_progress(user: Any, item: WorkItem) -> Any:
    """Where the next report starts: the latest report of the item the user reads (a pending one
    included, so a unit's second report this month does not start from the approved figure), or the
    item's own progress."""
    latest = (
        policy.visible_reports(user)
        .filter(item=item)
        .order_by("-submitted_at", "-pk")
        .values("progress")
        .first()
    )
    return latest["progress"] if latest else item.progress


UPLOAD_KEPT = gettext_lazy(
    "What you typed is kept below; choose the photos and files again and send once more."
)


def sent_message(report: ProgressReport) -> str:
    """What the reporter is told once a report is sent: to the office, or first to the unit head."""
    if report.state == ReviewState.WITH_HEAD:
        return _("Submitted, awaiting your unit head's approval.")
    return _("Submitted, awaiting review.")


@internal_only
def report_new(request: HttpRequest, item_pk: int) -> HttpResponse:
    item = _item_for(request, item_pk)
    if not policy.can_report(request.user, item):
        raise PermissionDenied
    today = timezone.localdate()
    choices = status_rules.current_report_periods(today, cycles.schedule_for(item))
    form = ProgressReportForm(request.POST or None, request.FILES or None, period_choices=choices)
    if request.method == "GET":
        # 我的事项 links to the period it lists as owed.
        asked = status_rules.parse_period(request.GET.get("period", ""))
        form = ProgressReportForm(
            initial={
                "period": period_label(asked or choices[0]),
                "progress": _last_progress(request.user, item),
            },
            period_choices=choices,
        )
    if request.method == "POST" and form.is_valid():
        try:
            checked = check_uploads([*form.cleaned_data["photos"], *form.cleaned_data["evidence"]])
            # The report and its files are one unit: a failure keeps neither.
            with transaction.atomic():
                report = services.submit_report(
                    request.user,
                    item,
                    period=form.cleaned_data["period"],
                    text=form.cleaned_data["text"],
                    progress=form.cleaned_data["progress"],
                )
                attach_evidence(report, checked, public=form.cleaned_data["evidence_public"])
        except PermissionDenied:  # the service refused: Django answers 403
            raise
        except ServiceError as exc:
            _show_service_error(form, exc)
        else:
            messages.success(request, sent_message(report))
            return redirect("ledger:item", pk=item.pk)
    if request.method == "POST" and form.errors:
        # The bound form carries the text typed; only files cannot be kept by a browser.
        form.add_error(None, str(UPLOAD_KEPT))
    return render(request, "supervision/report_form.html", {"form": form, "item": item, "report": None})


@internal_only
def report_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    item = report.item
    if not policy.can_resubmit(request.user, report):
        raise PermissionDenied
    if report.state != ReviewState.RETURNED:
        messages.info(request, _("Only a returned report can be resubmitted."))
        return redirect("ledger:item", pk=item.pk)
    if request.method == "POST":
        form = ResubmitForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                checked = check_uploads(
                    [*form.cleaned_data["photos"], *form.cleaned_data["evidence"]],
                    already_attached=report.evidence.count(),
                )
                with transaction.atomic():
                    services.resubmit_report(
                        request.user,
                        report,
                        text=form.cleaned_data["text"],
                        progress=form.cleaned_data["progress"],
                        expected_version=form.cleaned_data["version"],
                    )
                    attach_evidence(report, checked, public=form.cleaned_data["evidence_public"])
            except PermissionDenied:  # the service refused: Django answers 403
                raise
            except ConflictError as exc:
                form.add_error(None, exc.message)
            except ServiceError as exc:
                _show_service_error(form, exc)
            else:
                messages.success(request, sent_message(report))
                return redirect("ledger:item", pk=item.pk)
        if form.errors:
            form.add_error(None, str(UPLOAD_KEPT))
    else:
        form = ResubmitForm(
            initial={"version": report.version, "text": report.text, "progress": report.progress}
        )
    return render(
        request,
        "supervision/report_form.html",
        {"form": form, "item": item, "report": report, "evidence": report.evidence.all()},
    )


@internal_only
def reviews(request: HttpRequest) -> HttpResponse:
    if not policy.can_manage_plan(request.user, request.user.region):
        raise PermissionDenied
    queue = (
        policy.visible_reports(request.user)
        .filter(state=ReviewState.SUBMITTED)
        .select_related("item", "unit", "submitted_by")
        .order_by("submitted_at", "id")
    )
    # A province office can have thousands waiting: one page at a time, oldest first.
    page = paginate(queue, request.GET.get("page"))
    evidence_counts = dict(
        Evidence.objects.filter(report__in=page.object_list)
        .values("report")
        .annotate(n=Count("id"))
        .values_list("report", "n")
    )
    for report in page.object_list:
        report.evidence_count = evidence_counts.get(report.pk, 0)
    recent = (
        policy.visible_reports(request.user)
        .filter(reviewed_at__isnull=False)
        .exclude(state=ReviewState.SUBMITTED)
        .select_related("item", "unit", "reviewed_by")
        .order_by("-reviewed_at", "-id")[:LIST_LIMIT]
    )
    return render(request, "supervision/reviews.html", {"queue": page, "recent": recent})


@internal_only
def review(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    if not policy.can_review(request.user, report):
        raise PermissionDenied
    if request.method == "POST":
        form = ReviewForm(request.POST)
        if form.is_valid():
            approve = form.cleaned_data["decision"] == ReviewForm.APPROVE
            try:
                services.review_report(
                    request.user,
                    report,
                    approve=approve,
                    comment=form.cleaned_data["comment"],
                    expected_version=form.cleaned_data["version"],
                )
            except PermissionDenied:  # the service refused: Django answers 403
                raise
            except ServiceError as exc:
                _show_service_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Report approved; the item now shows its progress.")
                    if approve
                    else _("Report returned to the unit."),
                )
                return redirect("supervision:reviews")
    else:
        form = ReviewForm(initial={"version": report.version})
    context = {
        "form": form,
        "report": report,
        # With today's light, as on every screen that shows one.
        "item": status.annotate(WorkItem.objects.filter(pk=report.item_id)).select_related("plan").get(),
        "evidence": report.evidence.all(),
        "earlier": policy.visible_reports(request.user)
        .filter(item=report.item)
        .exclude(pk=report.pk)
        .order_by("-submitted_at")[:5],
    }
    return render(request, "supervision/review.html", context)


@internal_only
@require_POST
def evidence_public(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit (or the office) shows one file publicly or keeps it internal."""
    evidence = get_object_or_404(policy.visible_evidence(request.user).select_related("report__item"), pk=pk)
    form = EvidencePublicForm(request.POST)
    form.is_valid()  # a lone checkbox: absent means private
    services.set_evidence_public(request.user, evidence, form.cleaned_data.get("public", False))
    messages.success(
        request,
        _("The file may now be shown publicly.") if evidence.public else _("The file is now internal."),
    )
    return redirect("ledger:item", pk=evidence.report.item_id)


@internal_only
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence is served only to those who may read its report, never from a public media URL."""
    evidence = get_object_or_404(
        Evidence.objects.filter(report__in=policy.visible_reports(request.user).values("pk")), pk=pk
    )
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        content_type=evidence.content_type or "application/octet-stream",
        as_attachment=evidence.kind != "photo",
        filename=evidence.original_name or evidence.file.name.rsplit("/", 1)[-1],
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _visible_notices(request: HttpRequest) -> Any:
    return policy.visible_notices(request.user)


@internal_only
def notices(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    rows = _visible_notices(request).select_related("item", "unit", "issued_by")
    if state in NoticeState.values:
        rows = rows.filter(state=state)
    return render(
        request,
        "supervision/notices.html",
        {
            "notices": rows.order_by("-issued_at", "-id")[:200],
            "states": NoticeState.choices,
            "state": state,
            "today": timezone.localdate(),
        },
    )


@internal_only
def notice_new(request: HttpRequest, item_pk: int) -> HttpResponse:
    item = _item_for(request, item_pk)
    if not policy.can_issue_notice(request.user, item):
        raise PermissionDenied
    units = Organisation.objects.filter(Q(led_items=item) | Q(co_items=item)).distinct()
    if not units.exists():
        units = Organisation.objects.filter(region__code__startswith=policy.region_prefix(item.plan.region))
    form = NoticeForm(
        request.POST or None,
        units=units,
        initial={"unit": item.lead_unit_id, "deadline": timezone.localdate() + timedelta(days=7)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.issue_notice(
                request.user,
                item,
                unit=form.cleaned_data["unit"],
                content=form.cleaned_data["content"],
                deadline=form.cleaned_data["deadline"],
            )
        except PermissionDenied:  # the service refused: Django answers 403
            raise
        except ServiceError as exc:
            _show_service_error(form, exc)
        else:
            messages.success(request, _("Notice %(number)s was issued.") % {"number": notice.number})
            return redirect("supervision:notice", pk=notice.pk)
    return render(request, "supervision/notice_form.html", {"form": form, "item": item})


@internal_only
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(
        _visible_notices(request).select_related(
            "item__plan__region", "unit", "issued_by", "answered_by", "closed_by"
        ),
        pk=pk,
    )
    user = request.user
    answer_form = NoticeAnswerForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "acknowledge":
                services.acknowledge_notice(user, notice)
                messages.success(request, _("Notice acknowledged."))
            elif action == "answer":
                answer_form = NoticeAnswerForm(request.POST)
                if not answer_form.is_valid():
                    raise ServiceError(_("Write the answer."), field="answer")
                services.answer_notice(user, notice, answer=answer_form.cleaned_data["answer"])
                messages.success(request, _("Your answer was sent."))
            elif action == "close":
                services.close_notice(user, notice)
                messages.success(request, _("Notice closed."))
            else:
                raise ServiceError(_("Unknown action."))
        except PermissionDenied:  # the service refused: Django answers 403
            raise
        except ServiceError as exc:
            answer_form.add_error(exc.field if exc.field in answer_form.fields else None, exc.message)
        else:
            return redirect("supervision:notice", pk=notice.pk)
    may_answer = policy.can_answer_notice(user, notice)
    context = {
        "notice": notice,
        "answer_form": answer_form,
        "can_acknowledge": may_answer and notice.state == NoticeState.ISSUED,
        "can_answer": may_answer and notice.state in (NoticeState.ISSUED, NoticeState.ACKNOWLEDGED),
        "can_close": policy.can_close_notice(user, notice) and notice.state == NoticeState.ANSWERED,
        "today": timezone.localdate(),
    }
    return render(request, "supervision/notice_detail.html", context)


@internal_only
@require_POST
def instruction_add(request: HttpRequest, item_pk: int) -> HttpResponse:
    item = _item_for(request, item_pk)
    if not policy.can_instruct(request.user, item):
        raise PermissionDenied
    form = InstructionForm(request.POST, units=instruction_units(item))
    if form.is_valid():
        try:
            services.add_instruction(
                request.user,
                item,
                text=form.cleaned_data["text"],
                units=list(form.cleaned_data["units"]),
                deadline=form.cleaned_data["deadline"],
            )
        except PermissionDenied:  # the service refused: Django answers 403
            raise
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your instruction was recorded."))
    elif "text" in form.errors:
        messages.error(request, _("Write the instruction."))
    else:
        # A bad deadline or unit: say which field, as the form does.
        name, errors = next(iter(form.errors.items()))
        label = form.fields[name].label if name in form.fields else name
        messages.error(request, f"{label}: {' '.join(errors)}")
    return redirect("ledger:item", pk=item.pk)
