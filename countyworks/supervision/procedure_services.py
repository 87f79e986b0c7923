"""Writes of the supervision procedure (issue 13): 延期申请, 签收 and 办结 / 销号.

Views, the API and tests call these; each checks the policy (PermissionDenied), the state table of
`procedure.py` (ServiceError on field `state`) and the record's version (ConflictError), then tells
whoever must act next through an in-app Notification.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from countyworks.accounts import policy
from countyworks.accounts.models import Role, User
from countyworks.core.services import PermissionDenied, ServiceError, save_versioned
from countyworks.notify import services as channels
from countyworks.notify.models import Event
from countyworks.plans.models import ItemKind, ItemStatus, WorkItem
from countyworks.supervision import procedure
from countyworks.supervision.inbox import notify, unit_reporters
from countyworks.supervision.models import (
    Blocker,
    BlockerState,
    BlockerTo,
    ClosureRequest,
    ClosureState,
    ExtensionRequest,
    ExtensionState,
    PeriodReopening,
    ProgressReport,
    ReviewState,
)
from countyworks.supervision.services import validate_period

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
CLOSED_ITEM_STATES = (ItemStatus.COMPLETED, ItemStatus.CANCELLED)


def _item_url(item_id: int) -> str:
    return reverse("ledger:item", args=[item_id])


def _transition(kind: str, state: str, action: str) -> str:
    try:
        return procedure.next_state(kind, state, action)
    except procedure.InvalidTransition:
        raise ServiceError(_("This application has already been decided."), field="state") from None


_DATE_PROBLEMS = {
    "missing": lambda: _("Give the new deadline."),
    "past": lambda: _("The new deadline cannot be in the past."),
    "not_later": lambda: _("The new deadline must be later than the current deadline."),
}


def _check_date(item: WorkItem, requested: date | None, field: str) -> None:
    problem = procedure.extension_date_problem(item.due_date, requested, timezone.localdate())
    if problem:
        raise ServiceError(_DATE_PROBLEMS[problem](), field=field)


@transaction.atomic
def apply_for_extension(
    user: Any,
    item: WorkItem,
    *,
    requested_due_date: date | None,
    reason: str,
    evidence: Any = None,
) -> ExtensionRequest:
    """A unit applies for a later deadline (延期申请) with a reason and optional evidence."""
    if not policy.can_apply_extension(user, item):
        raise PermissionDenied(_("Only a unit that takes part in this item applies for an extension."))
    if item.status in CLOSED_ITEM_STATES:
        raise ServiceError(_("This item is closed; there is no deadline to extend."), field="state")
    if ExtensionRequest.objects.filter(item=item, state=ExtensionState.PENDING).exists():
        raise ServiceError(_("An extension for this item is already waiting for a decision."), field="state")
    if not (reason or "").strip():
        raise ServiceError(_("Give the reason for the extension."), field="reason")
    _check_date(item, requested_due_date, "requested_due_date")
    if evidence is not None and getattr(evidence, "size", 0) > MAX_EVIDENCE_BYTES:
        raise ServiceError(_("The evidence file is larger than 20 MB."), field="evidence")
    request = ExtensionRequest.objects.create(
        item=item,
        unit_id=user.organisation_id,
        current_due_date=item.due_date,
        requested_due_date=requested_due_date,
        reason=reason.strip(),
        applied_by=user,
        applied_at=timezone.now(),
    )
    if evidence is not None:
        request.evidence_name = (getattr(evidence, "name", "") or "")[:200]
        request.evidence.save(request.evidence_name or "evidence", evidence, save=False)
        request.save()
    notify(
        policy.procedure_supervisors(item.plan.region),
        key=f"extension:{request.pk}:applied",
        title=(_("Extension requested: %(title)s") % {"title": item.title}),
        body=request.reason,
        url=reverse("supervision:procedure_queue"),
    )
    return request


@transaction.atomic
def decide_extension(
    user: Any,
    request: ExtensionRequest,
    *,
    approve: bool,
    expected_version: int | None,
    new_due_date: date | None = None,
    comment: str = "",
) -> ExtensionRequest:
    """The office approves (the item's deadline moves, the first one kept) or refuses with a comment."""
    if not policy.can_decide_extension(user, request):
        raise PermissionDenied(_("Only the supervision office decides on an extension."))
    action = "approve" if approve else "refuse"
    new_state = _transition(procedure.EXTENSION, request.state, action)
    item = WorkItem.objects.select_for_update().select_related("plan").get(pk=request.item_id)
    fields: dict[str, Any] = {
        "state": new_state,
        "decided_by": user,
        "decided_at": timezone.now(),
        "decision_comment": (comment or "").strip(),
    }
    if approve:
        new_due_date = new_due_date or request.requested_due_date
        _check_date(item, new_due_date, "new_due_date")
        fields["approved_due_date"] = new_due_date
    elif not fields["decision_comment"]:
        raise ServiceError(_("Say why the extension is refused."), field="comment")
    save_versioned(request, expected_version, fields)
    if approve:
        # The item's own write: history records the move, and the lights read the new deadline.
        save_versioned(
            item,
            None,
            {
                "original_due_date": procedure.original_deadline(item.original_due_date, item.due_date),
                "due_date": new_due_date,
            },
        )
    words = (
        _("Extension approved to %(date)s: %(title)s") % {"date": new_due_date, "title": item.title}
        if approve
        else _("Extension refused: %(title)s") % {"title": item.title}
    )
    notify(
        [*unit_reporters(request.unit_id), request.applied_by],
        key=f"extension:{request.pk}:{new_state}",
        title=words,
        body=fields["decision_comment"],
        url=_item_url(item.pk),
    )
    channels.publish(
        Event.EXTENSION,
        key=f"extension:{request.pk}:{new_state}",
        title=words,
        body=fields["decision_comment"],
        url=_item_url(item.pk),
        unit_id=request.unit_id,
        item_id=item.pk,
    )
    return request


# --- 签收 -----------------------------------------------------------------------------------------


def signoff_working_days() -> int:
    from django.conf import settings

    from countyworks.supervision.models import SupervisionSettings

    row = SupervisionSettings.objects.filter(pk=1).first()
    if row is not None and row.signoff_working_days is not None:
        return row.signoff_working_days
    return settings.SUPERVISION_SIGNOFF_WORKING_DAYS


@transaction.atomic
def assign_item(item: WorkItem) -> list[Any]:
    """The item's lead and co-operating units each get an open sign-off (签收) row.

    Called when an item is created (also by the task-table import) or its units change
    (plans.services). A unit that already has an open row keeps it; a unit no longer on the
    item has its row withdrawn. Returns the rows created; their units' reporters are told.
    """
    from countyworks.supervision.models import SignOff, SignOffRole

    now = timezone.now()
    wanted = {}
    if item.lead_unit_id:
        wanted[item.lead_unit_id] = SignOffRole.LEAD
    for unit_id in item.co_units.values_list("pk", flat=True):
        wanted.setdefault(unit_id, SignOffRole.CO)
    open_rows = {row.unit_id: row for row in SignOff.objects.filter(item=item, withdrawn_at__isnull=True)}
    created = []
    for unit_id, row in open_rows.items():
        if unit_id not in wanted or row.role != wanted[unit_id]:
            # Withdrawn, or the unit's part changed (co → lead): it signs for the new part.
            save_versioned(row, None, {"withdrawn_at": now})
    for unit_id, role in wanted.items():
        row = open_rows.get(unit_id)
        if row is not None and row.role == role:
            continue
        created.append(SignOff.objects.create(item=item, unit_id=unit_id, role=role, assigned_at=now))
    for row in created:
        title = _("Assigned to your unit, please sign: %(title)s") % {"title": item.title}
        notify(
            unit_reporters(row.unit_id), key=f"signoff:{row.pk}:assigned", title=title, url=_item_url(item.pk)
        )
        # The unit's 企业微信 / 钉钉 / e-mail channels that asked for assignments (issue 17).
        channels.publish(
            Event.ASSIGNED,
            key=f"signoff:{row.pk}:assigned",
            title=title,
            url=_item_url(item.pk),
            unit_id=row.unit_id,
            item_id=item.pk,
        )
    return created


@transaction.atomic
def sign_assignment(user: Any, signoff: Any, *, expected_version: int | None) -> Any:
    """The unit signs for its assignment (签收)."""
    if not policy.can_sign(user, signoff):
        raise PermissionDenied(_("Only the assigned unit signs for this item."))
    state = "withdrawn" if signoff.withdrawn_at else ("signed" if signoff.signed_at else "unsigned")
    try:
        procedure.next_state(procedure.SIGNOFF, state, "sign")
    except procedure.InvalidTransition:
        raise ServiceError(_("This assignment was already signed or withdrawn."), field="state") from None
    return save_versioned(signoff, expected_version, {"signed_at": timezone.now(), "signed_by": user})


def chase_signoffs(today: date, *, actor: Any = None) -> dict[str, int]:
    """The supervise run's part: remind units that have not signed, then issue a notice.

    An assignment unsigned for `signoff_working_days()` working days gets a reminder (in-app, to the
    unit's reporters); at twice that, an automatic notice (督办单) through services.issue_notice.
    """
    from datetime import timedelta

    from countyworks.supervision import services
    from countyworks.supervision.models import SignOff

    threshold = signoff_working_days()
    counts = {"reminded": 0, "noticed": 0}
    # Items are assigned where they are created or change units (plans.services, which the task-table
    # import uses too); a region-year restored from the interchange format is a copy, not a new
    # assignment, and older items predate the procedure: neither is chased retroactively.
    unsigned = SignOff.objects.filter(
        signed_at__isnull=True, withdrawn_at__isnull=True, item__deleted_at__isnull=True
    ).select_related("item__plan__region", "unit")
    for row in unsigned:
        if row.item.status in CLOSED_ITEM_STATES:
            continue
        waited = procedure.working_days_between(timezone.localtime(row.assigned_at).date(), today)
        action = procedure.signoff_chase(
            waited, threshold, row.reminded_on is not None, row.notice_id is not None
        )
        if action == "remind":
            notify(
                unit_reporters(row.unit_id),
                key=f"signoff:{row.pk}:reminder",
                title=_("Reminder: sign for %(title)s") % {"title": row.item.title},
                url=_item_url(row.item_id),
            )
            save_versioned(row, None, {"reminded_on": today})
            counts["reminded"] += 1
        elif action == "notice":
            notice = services.issue_notice(
                actor,
                row.item,
                unit=row.unit,
                content=_("The unit has not signed for this item after %(days)s working days.")
                % {"days": waited},
                deadline=today + timedelta(days=7),
                automatic=True,
            )
            save_versioned(row, None, {"notice": notice, "reminded_on": row.reminded_on or today})
            counts["noticed"] += 1
    return counts


# --- 办结 / 销号 -------------------------------------------------------------------------------------


def closure_word(item: WorkItem) -> str:
    """A rectification item is struck off the list (销号); any other item is closed (办结)."""
    return _("strike-off") if item.kind == ItemKind.RECTIFICATION else _("closure")


@transaction.atomic
def apply_for_closure(user: Any, item: WorkItem, *, summary: str, evidence: Any = None) -> ClosureRequest:
    """The lead unit applies to close the item, saying what was done; a rectification item needs
    the rectification evidence (申请销号)."""
    if not policy.can_apply_closure(user, item):
        raise PermissionDenied(_("Only the lead unit applies to close this item."))
    # The item as it is now, locked: two applications racing see each other, a stale page a closed item.
    item = WorkItem.objects.select_for_update().select_related("plan__region").get(pk=item.pk)
    if item.status in CLOSED_ITEM_STATES:
        raise ServiceError(_("This item is already closed."), field="state")
    if ClosureRequest.objects.filter(item=item, state=ClosureState.PENDING).exists():
        raise ServiceError(_("An application to close this item is already waiting."), field="state")
    if not (summary or "").strip():
        raise ServiceError(_("Say what was done."), field="summary")
    if item.kind == ItemKind.RECTIFICATION and evidence is None:
        raise ServiceError(_("A rectification item is struck off with its evidence."), field="evidence")
    if evidence is not None and getattr(evidence, "size", 0) > MAX_EVIDENCE_BYTES:
        raise ServiceError(_("The evidence file is larger than 20 MB."), field="evidence")
    request = ClosureRequest.objects.create(
        item=item,
        unit_id=user.organisation_id,
        summary=summary.strip(),
        applied_by=user,
        applied_at=timezone.now(),
    )
    if evidence is not None:
        request.evidence_name = (getattr(evidence, "name", "") or "")[:200]
        request.evidence.save(request.evidence_name or "evidence", evidence, save=False)
        request.save()
    notify(
        policy.procedure_supervisors(item.plan.region),
        key=f"closure:{request.pk}:applied",
        title=_("Application for %(step)s: %(title)s") % {"step": closure_word(item), "title": item.title},
        body=request.summary,
        url=reverse("supervision:procedure_queue"),
    )
    return request


@transaction.atomic
def decide_closure(
    user: Any, request: ClosureRequest, *, approve: bool, expected_version: int | None, comment: str = ""
) -> ClosureRequest:
    """The office closes the item (it becomes completed, at 100 %) or returns the application for
    more with a comment saying what is missing."""
    if not policy.can_decide_closure(user, request):
        raise PermissionDenied(_("Only the supervision office closes an item."))
    new_state = _transition(procedure.CLOSURE, request.state, "approve" if approve else "return")
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ServiceError(_("Say what is missing."), field="comment")
    item = WorkItem.objects.select_for_update().select_related("plan").get(pk=request.item_id)
    save_versioned(
        request,
        expected_version,
        {"state": new_state, "decided_by": user, "decided_at": timezone.now(), "decision_comment": comment},
    )
    if approve:
        # The item's own versioned write: history records the closing, every surface derives 已完成.
        save_versioned(
            item,
            None,
            {
                "status": ItemStatus.COMPLETED,
                "progress": 100,
                "completed_on": item.completed_on or timezone.localdate(),
            },
        )
    words = (
        _("Closed (%(step)s approved): %(title)s") % {"step": closure_word(item), "title": item.title}
        if approve
        else _("Returned for more (%(step)s): %(title)s") % {"step": closure_word(item), "title": item.title}
    )
    notify(
        [*unit_reporters(request.unit_id), request.applied_by],
        key=f"closure:{request.pk}:{new_state}",
        title=words,
        body=comment,
        url=_item_url(item.pk),
    )
    return request


@transaction.atomic
def reopen_item(user: Any, item: WorkItem, *, reason: str, expected_version: int | None) -> WorkItem:
    """The office reopens a completed item with a reason; the closing application, if any, is marked
    reopened so the record keeps both."""
    if not policy.can_reopen_item(user, item):
        raise PermissionDenied(_("Only the supervision office reopens an item."))
    if item.status != ItemStatus.COMPLETED:
        raise ServiceError(_("Only a closed item can be reopened."), field="state")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Give the reason for reopening."), field="reason")
    closed = (
        ClosureRequest.objects.filter(item=item, state=ClosureState.CLOSED).order_by("-decided_at").first()
    )
    if closed is not None:
        save_versioned(
            closed,
            None,
            {
                "state": _transition(procedure.CLOSURE, closed.state, "reopen"),
                "reopened_by": user,
                "reopened_at": timezone.now(),
                "reopen_reason": reason,
            },
        )
    item = save_versioned(item, expected_version, {"status": ItemStatus.IN_PROGRESS, "completed_on": None})
    notify(
        unit_reporters(item.lead_unit_id),
        key=f"item:{item.pk}:reopened:{item.version}",
        title=_("Reopened: %(title)s") % {"title": item.title},
        body=reason,
        url=_item_url(item.pk),
    )
    return item


# --- 问题协调 ---------------------------------------------------------------------------------------


def _blocker_answerers(blocker: Blocker) -> list[Any]:
    """Who is told of a new blocker: the lead leader's accounts when it is addressed to the leader
    (the office as well, which follows every blocker), else the office."""
    office = policy.procedure_supervisors(blocker.item.plan.region)
    if blocker.addressed_to != BlockerTo.LEADER or blocker.item.lead_leader_id is None:
        return office
    leaders = list(
        User.objects.filter(role=Role.LEADER, is_active=True, person_id=blocker.item.lead_leader_id)
    )
    return [*leaders, *office]


@transaction.atomic
def raise_blocker(user: Any, item: WorkItem, *, text: str, addressed_to: str) -> Blocker:
    """A unit raises what blocks the item to its lead county leader or to the office."""
    if not policy.can_raise_blocker(user, item):
        raise PermissionDenied(_("Only a unit that takes part in this item raises a blocker."))
    if addressed_to not in BlockerTo.values:
        raise ServiceError(_("Choose whom the blocker is addressed to."), field="addressed_to")
    if addressed_to == BlockerTo.LEADER and item.lead_leader_id is None:
        raise ServiceError(
            _("The item has no lead county leader; address the blocker to the office."), field="addressed_to"
        )
    if not (text or "").strip():
        raise ServiceError(_("Say what blocks the work."), field="text")
    blocker = Blocker.objects.create(
        item=item,
        unit_id=user.organisation_id,
        addressed_to=addressed_to,
        text=text.strip(),
        raised_by=user,
        raised_at=timezone.now(),
    )
    notify(
        _blocker_answerers(blocker),
        key=f"blocker:{blocker.pk}:raised",
        title=_("A unit needs coordination: %(title)s") % {"title": item.title},
        body=blocker.text,
        url=_item_url(item.pk),
    )
    return blocker


@transaction.atomic
def answer_blocker(user: Any, blocker: Blocker, *, answer: str, expected_version: int | None) -> Blocker:
    """The leader (or the office) answers: how the blocker is resolved, or what is to be done."""
    if not policy.can_answer_blocker(user, blocker):
        raise PermissionDenied(_("Only the lead county leader or the office answers this blocker."))
    new_state = _transition(procedure.BLOCKER, blocker.state, "answer")
    answer = (answer or "").strip()
    if not answer:
        raise ServiceError(_("Write the answer."), field="answer")
    save_versioned(
        blocker,
        expected_version,
        {"state": new_state, "answer": answer, "answered_by": user, "answered_at": timezone.now()},
    )
    notify(
        [*unit_reporters(blocker.unit_id), blocker.raised_by],
        key=f"blocker:{blocker.pk}:answered",
        title=_("Coordination answered: %(title)s") % {"title": blocker.item.title},
        body=answer,
        url=_item_url(blocker.item_id),
    )
    return blocker


def open_blockers(user: Any) -> Any:
    """The open blockers `user` reads, oldest first (the leader's view, the bulletin)."""
    return (
        policy.visible_blockers(user)
        .filter(state=BlockerState.OPEN)
        .select_related("item__plan__region", "item__lead_leader", "unit")
        .order_by("raised_at", "id")
    )


# issue 19: a reviewed period is locked (services._unlock); the office reopens it, with a reason.
@transaction.atomic
def reopen_period(user: Any, item: WorkItem, *, unit: Any, period: str, reason: str) -> PeriodReopening:
    """The office reopens a reviewed period of an item for one unit, with the reason recorded."""
    if not policy.can_reopen_period(user, item):
        raise PermissionDenied(_("Only the supervision office may reopen a reviewed period."))
    period = validate_period(period)
    if not (reason or "").strip():
        raise ServiceError(_("Say why the period is reopened."), field="reason")
    if unit is None or not (unit.pk == item.lead_unit_id or item.co_units.filter(pk=unit.pk).exists()):
        raise ServiceError(_("That unit does not lead or co-lead this item."), field="unit")
    if not ProgressReport.objects.filter(
        item=item, unit=unit, period=period, state=ReviewState.APPROVED
    ).exists():
        raise ServiceError(_("No reviewed report of that unit locks this period."), field="period")
    if PeriodReopening.objects.filter(item=item, unit=unit, period=period, used_by__isnull=True).exists():
        raise ServiceError(_("This period is already reopened and awaits the correction."), field="period")
    reopening = PeriodReopening.objects.create(
        item=item,
        unit=unit,
        period=period,
        reason=reason.strip(),
        reopened_by=user,
        reopened_at=timezone.now(),
    )
    notify(
        unit_reporters(unit.pk),
        key=f"period_reopened:{reopening.pk}",
        title=_("Period reopened for a correction: %(title)s") % {"title": item.title},
        body=reopening.reason,
        url=reverse("supervision:report_new", args=[item.pk]) + f"?period={period}",
    )
    return reopening


# --- 单位审签 ---------------------------------------------------------------------------------------


@transaction.atomic
def head_review_report(
    user: Any, report: ProgressReport, *, approve: bool, expected_version: int | None, comment: str = ""
) -> ProgressReport:
    """The unit head passes a report on to the office (it becomes `submitted`, the office's queue) or
    returns it to the reporter with a comment. The item's progress moves only at the office's approval."""
    if not policy.can_head_review(user, report):
        raise PermissionDenied(_("Only the head of the reporting unit approves this report."))
    try:
        new_state = procedure.next_state(
            procedure.HEAD_REVIEW, report.state, "approve" if approve else "return"
        )
    except procedure.InvalidTransition:
        raise ServiceError(_("This report is not waiting for the unit head."), field="state") from None
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ServiceError(_("Say why the report is returned."), field="comment")
    fields: dict[str, Any] = {
        "state": new_state,
        "head_decided_by": user,
        "head_decided_at": timezone.now(),
        "head_comment": comment,
    }
    if not approve:
        # The reporter reads why on the returned-reports list and the correction form.
        fields["review_comment"] = comment
    save_versioned(report, expected_version, fields)
    item = report.item
    if approve:
        notify(
            policy.procedure_supervisors(item.plan.region),
            key=f"report:{report.pk}:head-approved:{report.version}",
            title=_("A report approved by the unit head awaits review: %(title)s") % {"title": item.title},
            body=report.text,
            url=reverse("supervision:review", args=[report.pk]),
        )
    else:
        notify(
            [report.submitted_by] if report.submitted_by_id else unit_reporters(report.unit_id),
            key=f"report:{report.pk}:head-returned:{report.version}",
            title=_("Report returned by the unit head: %(title)s") % {"title": item.title},
            body=comment,
            url=reverse("supervision:report_resubmit", args=[report.pk]),
        )
    return report


# --- 批示 that assign work --------------------------------------------------------------------------


def instruction_state(instruction: Any) -> str:
    """The addressed instruction's state from its notices (procedure.instruction_state); "" for a
    plain comment. Uses prefetched `notices` when there are."""
    return procedure.instruction_state([notice.state for notice in instruction.notices.all()])


@transaction.atomic
def make_item_from_instruction(user: Any, instruction: Any, *, plan: Any, title: str = "") -> WorkItem:
    """The office turns an instruction into a new item of `plan`. The instruction is the item's source:
    an internal document (kind 领导批示) holding its text, cited by the item, and `created_item`."""
    from countyworks.plans import services as plan_services
    from countyworks.sources.models import Citation, Document, DocumentKind
    from countyworks.supervision.models import Instruction

    if not policy.can_make_item_from_instruction(user, instruction, plan):
        raise PermissionDenied(_("Only the supervision office adds items to the plan."))
    instruction = (
        Instruction.objects.select_for_update().select_related("author", "item").get(pk=instruction.pk)
    )
    if instruction.created_item_id is not None:
        raise ServiceError(_("This instruction has already become a work item."), field="state")
    title = (title or "").strip() or instruction.text.splitlines()[0][:200]
    author = instruction.author
    document, _created = Document.objects.get_or_create(
        slug=f"instruction-{instruction.pk}",
        defaults={
            "title": (_("Instruction of %(author)s") % {"author": author.display_name})[:300],
            "author": author.display_name[:200],
            "kind": DocumentKind.INSTRUCTION,
            "region": plan.region,
            "year": plan.year,
            "published_on": timezone.localtime(instruction.created_at).date(),
            "text": instruction.text,
        },
    )
    citation = Citation.objects.create(
        document=document, start=0, end=len(document.text), note=f"instruction #{instruction.pk}"
    )
    units = [notice.unit for notice in instruction.notices.select_related("unit").order_by("id")]
    item = plan_services.create_item(
        user,
        plan,
        co_units=units[1:],
        citation=citation,
        title=title,
        lead_unit=units[0] if units else instruction.item.lead_unit,
        lead_leader=author.person if getattr(author, "person_id", None) else None,
        due_date=instruction.deadline,
    )
    instruction.created_item = item
    instruction.save(update_fields=["created_item", "updated_at"])  # a history row records it
    notify(
        [author],
        key=f"instruction:{instruction.pk}:item",
        title=_("Your instruction became a work item: %(title)s") % {"title": item.title},
        url=_item_url(item.pk),
    )
    return item
