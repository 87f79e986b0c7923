"""Screens of the supervision procedure (issue 13): the item page's actions and the office's queue."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from countyworks.accounts import policy
from countyworks.accounts.decorators import internal_only
from countyworks.core.services import ServiceError
from countyworks.plans.models import ItemStatus, WorkItem
from countyworks.supervision import procedure_services
from countyworks.supervision.models import ClosureState, ExtensionState
from countyworks.supervision.procedure_forms import (
    BlockerAnswerForm,
    BlockerRaiseForm,
    ClosureApplyForm,
    ClosureDecideForm,
    ExtensionApplyForm,
    ExtensionDecideForm,
    HeadReviewForm,
    InstructionToItemForm,
    ReopenForm,
)


def _show_error(form: Any, exc: ServiceError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _attempt(request: HttpRequest, action: Callable[[], Any], success: str) -> bool:
    """Run one service call of a POST that answers with a redirect: a refusal (ServiceError) becomes
    the page's error message, success its message; PermissionDenied still answers 403."""
    try:
        action()
    except PermissionDenied:
        raise
    except ServiceError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


def item_procedure_context(user: Any, item: WorkItem) -> dict[str, Any]:
    """What the item page shows of the procedure: its extension applications and the actions."""
    extensions = list(
        policy.visible_extension_requests(user)
        .filter(item=item)
        .select_related("unit", "applied_by", "decided_by")
        .order_by("-applied_at", "-id")
    )
    signoffs = list(
        policy.visible_signoffs(user)
        .filter(item=item)
        .select_related("unit", "signed_by", "item__plan__region")
        .order_by("withdrawn_at", "role", "id")
    )
    for row in signoffs:
        row.can_sign = row.signed_at is None and row.withdrawn_at is None and policy.can_sign(user, row)
    closures = list(
        policy.visible_closure_requests(user)
        .filter(item=item)
        .select_related("unit", "applied_by", "decided_by", "reopened_by")
        .order_by("-applied_at", "-id")
    )
    can_reopen = item.status == ItemStatus.COMPLETED and policy.can_reopen_item(user, item)
    blockers = list(
        policy.visible_blockers(user)
        .filter(item=item)
        .select_related("unit", "raised_by", "answered_by", "item__plan__region")
        .order_by("-raised_at", "-id")
    )
    for blocker in blockers:
        blocker.answer_form = (
            BlockerAnswerForm(initial={"version": blocker.version}, prefix=f"b{blocker.pk}")
            if blocker.state == "open" and policy.can_answer_blocker(user, blocker)
            else None
        )
    return {
        "blockers": blockers,
        "blocker_form": BlockerRaiseForm(has_leader=item.lead_leader_id is not None)
        if policy.can_raise_blocker(user, item)
        else None,
        "closures": closures,
        "closure_word": procedure_services.closure_word(item),
        "can_apply_closure": policy.can_apply_closure(user, item)
        and item.status not in procedure_services.CLOSED_ITEM_STATES
        and not any(c.state == ClosureState.PENDING for c in closures),
        "reopen_form": ReopenForm(initial={"version": item.version}) if can_reopen else None,
        "signoffs": signoffs,
        "extensions": extensions,
        "can_apply_extension": policy.can_apply_extension(user, item)
        and not any(e.state == ExtensionState.PENDING for e in extensions),
    }


@internal_only
def extension_apply(request: HttpRequest, item_pk: int) -> HttpResponse:
    item = get_object_or_404(policy.visible_items(request.user).select_related("plan__region"), pk=item_pk)
    if not policy.can_apply_extension(request.user, item):
        raise PermissionDenied
    form = ExtensionApplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            procedure_services.apply_for_extension(
                request.user,
                item,
                requested_due_date=form.cleaned_data["requested_due_date"],
                reason=form.cleaned_data["reason"],
                evidence=form.cleaned_data.get("evidence"),
            )
        except PermissionDenied:
            raise
        except ServiceError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("The extension request was sent to the supervision office."))
            return redirect("ledger:item", pk=item.pk)
    return render(request, "supervision/extension_form.html", {"form": form, "item": item})


def _pending_extensions(user: Any) -> Any:
    return (
        policy.visible_extension_requests(user)
        .filter(state=ExtensionState.PENDING)
        .select_related("item__plan__region", "unit", "applied_by")
        .order_by("applied_at", "id")
    )


@internal_only
def procedure_queue(request: HttpRequest) -> HttpResponse:
    """The office's queue of applications waiting for a decision (延期申请 …)."""
    rows = [
        (extension, ExtensionDecideForm(initial={"version": extension.version}, prefix=f"e{extension.pk}"))
        for extension in _pending_extensions(request.user)
        if policy.can_decide_extension(request.user, extension)
    ]
    closure_rows = [
        (closure, ClosureDecideForm(initial={"version": closure.version}, prefix=f"c{closure.pk}"))
        for closure in policy.visible_closure_requests(request.user)
        .filter(state=ClosureState.PENDING)
        .select_related("item__plan__region", "unit", "applied_by")
        .order_by("applied_at", "id")
        if policy.can_decide_closure(request.user, closure)
    ]
    return render(
        request,
        "supervision/procedure_queue.html",
        {"extension_rows": rows, "closure_rows": closure_rows},
    )


@internal_only
@require_POST
def extension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    extension = get_object_or_404(
        policy.visible_extension_requests(request.user).select_related("item__plan__region"), pk=pk
    )
    if not policy.can_decide_extension(request.user, extension):
        raise PermissionDenied
    form = ExtensionDecideForm(request.POST, prefix=f"e{extension.pk}")
    if form.is_valid():
        _attempt(
            request,
            lambda: procedure_services.decide_extension(
                request.user,
                extension,
                approve=form.cleaned_data["decision"] == ExtensionDecideForm.APPROVE,
                new_due_date=form.cleaned_data["new_due_date"],
                comment=form.cleaned_data["comment"],
                expected_version=form.cleaned_data["version"],
            ),
            _("The decision was recorded."),
        )
    else:
        messages.error(request, _("Choose approve or refuse."))
    return redirect("supervision:procedure_queue")


@internal_only
@require_POST
def signoff_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit signs for its assignment (签收) from the item page."""
    row = get_object_or_404(policy.visible_signoffs(request.user).select_related("item__plan__region"), pk=pk)
    if not policy.can_sign(request.user, row):
        raise PermissionDenied
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    _attempt(
        request,
        lambda: procedure_services.sign_assignment(request.user, row, expected_version=version),
        _("Signed for the assignment."),
    )
    return redirect("ledger:item", pk=row.item_id)


# --- 办结 / 销号 -------------------------------------------------------------------------------------


@internal_only
def closure_apply(request: HttpRequest, item_pk: int) -> HttpResponse:
    item = get_object_or_404(policy.visible_items(request.user).select_related("plan__region"), pk=item_pk)
    if not policy.can_apply_closure(request.user, item):
        raise PermissionDenied
    form = ClosureApplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            procedure_services.apply_for_closure(
                request.user,
                item,
                summary=form.cleaned_data["summary"],
                evidence=form.cleaned_data.get("evidence"),
            )
        except PermissionDenied:
            raise
        except ServiceError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("The application was sent to the supervision office."))
            return redirect("ledger:item", pk=item.pk)
    context = {"form": form, "item": item, "closure_word": procedure_services.closure_word(item)}
    return render(request, "supervision/closure_form.html", context)


@internal_only
@require_POST
def closure_decide(request: HttpRequest, pk: int) -> HttpResponse:
    closure = get_object_or_404(
        policy.visible_closure_requests(request.user).select_related("item__plan__region"), pk=pk
    )
    if not policy.can_decide_closure(request.user, closure):
        raise PermissionDenied
    form = ClosureDecideForm(request.POST, prefix=f"c{closure.pk}")
    if form.is_valid():
        _attempt(
            request,
            lambda: procedure_services.decide_closure(
                request.user,
                closure,
                approve=form.cleaned_data["decision"] == ClosureDecideForm.APPROVE,
                comment=form.cleaned_data["comment"],
                expected_version=form.cleaned_data["version"],
            ),
            _("The decision was recorded."),
        )
    else:
        messages.error(request, _("Choose to close the item or to return the application."))
    return redirect("supervision:procedure_queue")


@internal_only
@require_POST
def item_reopen(request: HttpRequest, item_pk: int) -> HttpResponse:
    item = get_object_or_404(policy.visible_items(request.user).select_related("plan__region"), pk=item_pk)
    if not policy.can_reopen_item(request.user, item):
        raise PermissionDenied
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for reopening."))
        return redirect("ledger:item", pk=item.pk)
    _attempt(
        request,
        lambda: procedure_services.reopen_item(
            request.user,
            item,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        ),
        _("The item was reopened."),
    )
    return redirect("ledger:item", pk=item.pk)


# --- 问题协调 ---------------------------------------------------------------------------------------


@internal_only
@require_POST
def blocker_raise(request: HttpRequest, item_pk: int) -> HttpResponse:
    item = get_object_or_404(policy.visible_items(request.user).select_related("plan__region"), pk=item_pk)
    if not policy.can_raise_blocker(request.user, item):
        raise PermissionDenied
    form = BlockerRaiseForm(request.POST, has_leader=item.lead_leader_id is not None)
    if not form.is_valid():
        messages.error(request, _("Say what blocks the work and whom it is for."))
        return redirect("ledger:item", pk=item.pk)
    _attempt(
        request,
        lambda: procedure_services.raise_blocker(
            request.user, item, text=form.cleaned_data["text"], addressed_to=form.cleaned_data["addressed_to"]
        ),
        _("The blocker was raised."),
    )
    return redirect("ledger:item", pk=item.pk)


@internal_only
@require_POST
def blocker_answer(request: HttpRequest, pk: int) -> HttpResponse:
    blocker = get_object_or_404(
        policy.visible_blockers(request.user).select_related("item__plan__region"), pk=pk
    )
    if not policy.can_answer_blocker(request.user, blocker):
        raise PermissionDenied
    form = BlockerAnswerForm(request.POST, prefix=f"b{blocker.pk}")
    if not form.is_valid():
        messages.error(request, _("Write the answer."))
        return redirect("ledger:item", pk=blocker.item_id)
    _attempt(
        request,
        lambda: procedure_services.answer_blocker(
            request.user,
            blocker,
            answer=form.cleaned_data["answer"],
            expected_version=form.cleaned_data["version"],
        ),
        _("The answer was sent to the unit."),
    )
    return redirect("ledger:item", pk=blocker.item_id)


# --- 单位审签 ---------------------------------------------------------------------------------------


@internal_only
@require_POST
def report_head_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit head approves a report for the office or returns it, from the item page."""
    report = get_object_or_404(
        policy.visible_reports(request.user).select_related("item__plan__region", "submitted_by"), pk=pk
    )
    if not policy.can_head_review(request.user, report):
        raise PermissionDenied
    form = HeadReviewForm(request.POST, prefix=f"h{report.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose to approve or to return the report."))
        return redirect("ledger:item", pk=report.item_id)
    _attempt(
        request,
        lambda: procedure_services.head_review_report(
            request.user,
            report,
            approve=form.cleaned_data["decision"] == HeadReviewForm.APPROVE,
            comment=form.cleaned_data["comment"],
            expected_version=form.cleaned_data["version"],
        ),
        _("The decision was recorded."),
    )
    return redirect("ledger:item", pk=report.item_id)


# --- 批示 that assign work --------------------------------------------------------------------------


@internal_only
def instruction_to_item(request: HttpRequest, pk: int) -> HttpResponse:
    """The office turns a leader's instruction into a new work item of one of its plans."""
    instruction = get_object_or_404(
        policy.visible_instructions(request.user).select_related("item__plan__region", "author"), pk=pk
    )
    plans = policy.manageable_plans(request.user).order_by("-year", "title")
    if not plans.exists():
        raise PermissionDenied
    form = InstructionToItemForm(
        request.POST or None,
        plans=plans,
        initial={"plan": instruction.item.plan_id, "title": instruction.text.splitlines()[0][:200]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = procedure_services.make_item_from_instruction(
                request.user, instruction, plan=form.cleaned_data["plan"], title=form.cleaned_data["title"]
            )
        except PermissionDenied:
            raise
        except ServiceError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("The instruction became a new work item."))
            return redirect("ledger:item", pk=item.pk)
    return render(
        request, "supervision/instruction_item_form.html", {"form": form, "instruction": instruction}
    )
