"""Writes of the supervision domain: progress reports, their review, notices, instructions.

Views, the API, importers and the CLI call these functions, so each rule lives here once.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from countyworks.accounts import policy
from countyworks.core.services import PermissionDenied, ServiceError, save_versioned
from countyworks.notify import services as notify
from countyworks.plans import cadence
from countyworks.plans.models import ItemKind, ItemStatus, WorkItem
from countyworks.supervision import cycles, rules
from countyworks.supervision.inbox import notify as tell
from countyworks.supervision.inbox import unit_heads, unit_members
from countyworks.supervision.models import (
    Evidence,
    Instruction,
    Notice,
    NoticeState,
    PeriodReopening,
    ProgressReport,
    ReportingCycle,
    ReviewState,
)

# A period outside these years could never be approved (year 0 has no calendar) and means a typo.
FIRST_PERIOD_YEAR = 1949
LAST_PERIOD_YEAR = 2100


def validate_period(period: str) -> str:
    """The stored form of a period; Chinese words (2024年第四季度, 2024年10月, 2024年第5周) are read
    by rules.parse_period, the stored forms by plans/cadence.py."""
    stored = rules.parse_period((period or "").strip())
    if stored is None or cadence.key_range(stored) is None:
        raise ServiceError(
            _("Period must look like 2023, 2023-Q4, 2023-11, 2023-11-H1 or 2023-W05."), field="period"
        )
    if not FIRST_PERIOD_YEAR <= int(stored[:4]) <= LAST_PERIOD_YEAR:
        raise ServiceError(
            _("The period's year must lie between %(first)s and %(last)s.")
            % {"first": FIRST_PERIOD_YEAR, "last": LAST_PERIOD_YEAR},
            field="period",
        )
    return stored


def period_end(period: str) -> date | None:
    """The last day a report period covers (2023 → 31 Dec, 2023-Q1 → 31 Mar); None if unreadable."""
    bounds = cadence.key_range((period or "").strip())
    return bounds[1] if bounds else None


def validate_progress(progress: Any) -> Decimal:
    try:
        value = Decimal(str(progress))
    except Exception as exc:  # decimal.InvalidOperation and friends
        raise ServiceError(_("Progress must be a number between 0 and 100."), field="progress") from exc
    if not value.is_finite() or value < 0 or value > 100:
        raise ServiceError(_("Progress must be a number between 0 and 100."), field="progress")
    return value.quantize(Decimal("0.01"))


def _sent_state(user: Any, unit: Any) -> str:
    """Where a sent report goes: to the unit head first where the unit's rule says so (单位审签)."""
    return ReviewState.WITH_HEAD if policy.report_goes_to_head(user, unit) else ReviewState.SUBMITTED


def _tell_head(report: ProgressReport) -> None:
    """The unit head is asked to approve a report waiting for him or her."""
    if report.state != ReviewState.WITH_HEAD:
        return
    tell(
        unit_heads(report.unit_id),
        key=f"report:{report.pk}:head:{report.version}",
        title=_("A report awaits your approval: %(title)s") % {"title": report.item.title},
        body=report.text,
        url=notify.item_url(report.item_id),
    )


@transaction.atomic
def submit_report(user: Any, item: WorkItem, *, period: str, text: str, progress: Any) -> ProgressReport:
    if not policy.can_report(user, item):
        raise PermissionDenied(_("Your unit does not lead or co-lead this item."))
    if not (text or "").strip():
        raise ServiceError(_("Describe the progress made."), field="text")
    period = validate_period(period)
    progress = validate_progress(progress)
    reopening = _unlock(item, user.organisation, period)
    now = timezone.now()
    report = ProgressReport.objects.create(
        item=item,
        period=period,
        text=text.strip(),
        progress=progress,
        unit=user.organisation,
        submitted_by=user,
        submitted_at=now,
        state=_sent_state(user, user.organisation),
        # A correction the office asked for by reopening the period is not a late report.
        late=reopening is None
        and cadence.is_late(period, timezone.localdate(now), cycles.schedule_for(item)),
    )
    if reopening is not None:
        reopening.used_by = report
        reopening.save(update_fields=["used_by"])
    _tell_head(report)
    return report


def _unlock(item: WorkItem, unit: Any, period: str) -> PeriodReopening | None:
    """A period the office has reviewed (an approved report of the unit for it) is locked: a new
    report for it needs the office to reopen it first, and uses that reopening up. Returns the
    reopening to use, None when the period is not locked; refuses when it is locked and not reopened."""
    locked = ProgressReport.objects.filter(
        item=item, unit=unit, period=period, state=ReviewState.APPROVED
    ).exists()
    if not locked:
        return None
    reopening = (
        PeriodReopening.objects.select_for_update()
        .filter(item=item, unit=unit, period=period, used_by__isnull=True)
        .order_by("reopened_at", "id")
        .first()
    )
    if reopening is None:
        raise ServiceError(
            _(
                "The supervision office has already reviewed the report for this period, so the period "
                "is locked. Ask the office to reopen it for a correction."
            ),
            field="period",
        )
    return reopening


@transaction.atomic
def resubmit_report(
    user: Any, report: ProgressReport, *, text: str, progress: Any, expected_version: int | None
) -> ProgressReport:
    """A returned report comes back corrected, as the same record (its history keeps the earlier text)."""
    if report.state != ReviewState.RETURNED:
        raise ServiceError(_("Only a returned report can be resubmitted."), field="state")
    if not policy.can_resubmit(user, report):
        raise PermissionDenied(_("Only the unit that sent this report may correct it."))
    if not (text or "").strip():
        raise ServiceError(_("Describe the progress made."), field="text")
    save_versioned(
        report,
        expected_version,
        {
            "text": text.strip(),
            "progress": validate_progress(progress),
            "state": _sent_state(user, report.unit),
            "submitted_by": user,
            "submitted_at": timezone.now(),
        },
    )
    _tell_head(report)
    return report


@transaction.atomic
def review_report(
    user: Any, report: ProgressReport, *, approve: bool, comment: str = "", expected_version: int | None
) -> ProgressReport:
    """Approve (the item takes the reported progress) or return with a comment."""
    if not policy.can_review(user, report):
        raise PermissionDenied(_("You may not review this report."))
    if report.state != ReviewState.SUBMITTED:
        raise ServiceError(_("This report has already been reviewed."), field="state")
    if not approve and not (comment or "").strip():
        raise ServiceError(_("Say why the report is returned."), field="comment")
    save_versioned(
        report,
        expected_version,
        {
            "state": ReviewState.APPROVED if approve else ReviewState.RETURNED,
            "reviewed_by": user,
            "reviewed_at": timezone.now(),
            "review_comment": (comment or "").strip(),
        },
    )
    if approve:
        apply_approved_progress(report)
    else:
        item = report.item
        notify.publish(
            "returned",
            key=f"returned:{report.pk}:{report.version}",
            title=(_("Report returned: %(title)s") % {"title": item.title})[:200],
            body=(comment or "").strip(),
            url=notify.item_url(item.pk),
            unit_id=report.unit_id,
            item_id=item.pk,
        )
    return report


@transaction.atomic
def set_evidence_public(user: Any, evidence: Evidence, public: bool) -> Evidence:
    """Show one file publicly (once its report is approved) or keep it internal."""
    if not policy.can_set_evidence_public(user, evidence.report):
        raise PermissionDenied(_("You may not change who may see this file."))
    evidence.public = bool(public)
    evidence.save(update_fields=["public", "updated_at"])
    return evidence


@transaction.atomic
def enter_report_for_unit(
    user: Any,
    item: WorkItem,
    *,
    unit: Any,
    period: str,
    text: str,
    progress: Any,
    evidence_text: str = "",
) -> ProgressReport:
    """The supervision office records a unit's progress from a document the unit sent (督查室代填).

    Only the office of the item's region may (policy.can_manage_plan); the unit must lead or co-lead
    the item. The report is recorded as submitted and approved by the office in one step, marked
    `entered_by_office`, with `evidence_text` (where the figure was read) as the review comment; the
    item then takes the progress through the same path an approval takes (apply_approved_progress).
    The rule that nobody reviews their own report is for a unit's reports: here the office confirms
    what the unit's own text states, and the mark keeps the two apart on every screen.
    """
    if not policy.can_manage_plan(user, item.plan.region):
        raise PermissionDenied(_("Only the supervision office enters a report for a unit."))
    if unit is None or not (unit.pk == item.lead_unit_id or item.co_units.filter(pk=unit.pk).exists()):
        raise ServiceError(_("The unit does not lead or co-lead this item."), field="unit")
    if not (text or "").strip():
        raise ServiceError(_("Describe the progress made."), field="text")
    now = timezone.now()
    report = ProgressReport.objects.create(
        item=item,
        period=validate_period(period),
        text=text.strip(),
        progress=validate_progress(progress),
        unit=unit,
        submitted_by=user,
        submitted_at=now,
        state=ReviewState.APPROVED,
        reviewed_by=user,
        reviewed_at=now,
        review_comment=(evidence_text or "").strip(),
        entered_by_office=True,
    )
    apply_approved_progress(report)
    return report


def apply_approved_progress(report: ProgressReport) -> None:
    """The item takes the approved progress; its light follows at once, being derived on every read."""
    item = WorkItem.objects.select_for_update().select_related("plan").get(pk=report.item_id)
    # A report of an earlier period approved late (returned, then resubmitted) must not take the
    # item back below what a newer approved report already set.
    this_end = period_end(report.period)
    approved_periods = (
        ProgressReport.objects.filter(item_id=report.item_id, state=ReviewState.APPROVED)
        .exclude(pk=report.pk)
        .values_list("period", flat=True)
    )
    if this_end and any((period_end(p) or this_end) > this_end for p in approved_periods):
        return
    fields: dict[str, Any] = {"progress": report.progress}
    if report.progress >= 100:
        fields.update(status=ItemStatus.COMPLETED, completed_on=item.completed_on or timezone.localdate())
    elif item.status == ItemStatus.NOT_STARTED and report.progress > 0:
        fields["status"] = ItemStatus.IN_PROGRESS
    save_versioned(item, None, fields)


def _create_notice(
    user: Any,
    item: WorkItem,
    *,
    unit: Any,
    content: str,
    deadline: date,
    automatic: bool = False,
    instruction: Instruction | None = None,
) -> Notice:
    """A numbered notice to one unit: a 督办单 of the office, or the carrier of a leader's instruction
    (批示, issue 13), which the unit then signs for and answers the same way."""
    now = timezone.now()
    notice = Notice.objects.create(
        item=item,
        unit=unit,
        content=content.strip(),
        deadline=deadline,
        issued_by=user if getattr(user, "pk", None) else None,
        issued_at=now,
        automatic=automatic,
        instruction=instruction,
    )
    word = "批示" if instruction is not None else "督办"
    notice.number = f"{word}〔{timezone.localtime(now).year}〕{notice.pk}号"
    notice.save(update_fields=["number"])
    return notice


@transaction.atomic
def issue_notice(
    user: Any, item: WorkItem, *, unit: Any, content: str, deadline: date, automatic: bool = False
) -> Notice:
    if not automatic and not policy.can_issue_notice(user, item):
        raise PermissionDenied(_("Only the supervision office issues notices."))
    if not (content or "").strip():
        raise ServiceError(_("Write what the unit must do."), field="content")
    notice = _create_notice(user, item, unit=unit, content=content, deadline=deadline, automatic=automatic)
    if not automatic:
        # Automatic notices are published by the daily run with the same key.
        notify.publish(
            "notice",
            key=f"notice:{notice.pk}",
            title=(
                _("Supervision notice %(number)s: %(title)s") % {"number": notice.number, "title": item.title}
            )[:200],
            body=notice.content,
            url=notify.item_url(item.pk),
            unit_id=getattr(unit, "pk", unit),
            item_id=item.pk,
        )
    return notice


@transaction.atomic
def acknowledge_notice(user: Any, notice: Notice) -> Notice:
    if not policy.can_answer_notice(user, notice):
        raise PermissionDenied(_("This notice is addressed to another unit."))
    if notice.state != NoticeState.ISSUED:
        raise ServiceError(_("This notice was already acknowledged."), field="state")
    return save_versioned(
        notice, None, {"state": NoticeState.ACKNOWLEDGED, "acknowledged_at": timezone.now()}
    )


@transaction.atomic
def answer_notice(user: Any, notice: Notice, *, answer: str) -> Notice:
    if not policy.can_answer_notice(user, notice):
        raise PermissionDenied(_("This notice is addressed to another unit."))
    if notice.state not in (NoticeState.ISSUED, NoticeState.ACKNOWLEDGED):
        raise ServiceError(_("This notice can no longer be answered."), field="state")
    if not (answer or "").strip():
        raise ServiceError(_("Write the answer."), field="answer")
    now = timezone.now()
    save_versioned(
        notice,
        None,
        {
            "state": NoticeState.ANSWERED,
            "acknowledged_at": notice.acknowledged_at or now,
            "answer": answer.strip(),
            "answered_by": user,
            "answered_at": now,
        },
    )
    if notice.instruction_id:
        # The instruction's author (and the office, which may close it too) is told of the answer.
        tell(
            [notice.instruction.author, *policy.procedure_supervisors(notice.item.plan.region)],
            key=f"notice:{notice.pk}:answered",
            title=_("Instruction answered by %(unit)s: %(title)s")
            % {"unit": notice.unit.name, "title": notice.item.title},
            body=notice.answer,
            url=notify.item_url(notice.item_id),
        )
    return notice


@transaction.atomic
def close_notice(user: Any, notice: Notice) -> Notice:
    if not policy.can_close_notice(user, notice):
        raise PermissionDenied(_("Only the supervision office closes notices."))
    if notice.state != NoticeState.ANSWERED:
        raise ServiceError(_("A notice is closed after the unit has answered it."), field="state")
    save_versioned(
        notice, None, {"state": NoticeState.CLOSED, "closed_at": timezone.now(), "closed_by": user}
    )
    if notice.instruction_id:
        tell(
            unit_members(notice.unit_id),
            key=f"notice:{notice.pk}:closed",
            title=_("Instruction closed: %(title)s") % {"title": notice.item.title},
            url=notify.item_url(notice.item_id),
        )
    return notice


@transaction.atomic
def add_instruction(
    user: Any,
    item: WorkItem,
    *,
    text: str,
    units: list[Any] | None = None,
    deadline: date | None = None,
) -> Instruction:
    """A leader's instruction (批示) on an item. Addressed to `units` with a `deadline` (issue 13), it
    assigns work: each unit gets a notice carrying it, to sign for and answer like a 督办单."""
    if not policy.can_instruct(user, item):
        raise PermissionDenied(_("Only county leaders write instructions."))
    if not (text or "").strip():
        raise ServiceError(_("Write the instruction."), field="text")
    units = list({unit.pk: unit for unit in units or []}.values())
    if units:
        if not policy.can_address_instruction(user, item):
            raise PermissionDenied(_("You may not assign this instruction to units."))
        if deadline is None:
            raise ServiceError(_("Give the date by which the units answer."), field="deadline")
        if deadline < timezone.localdate():
            raise ServiceError(_("The deadline cannot be in the past."), field="deadline")
        # A unit reads the notices of the items it takes part in; work for another unit is a new
        # item (make_item_from_instruction), which assigns it.
        if any(not policy.unit_takes_part(unit.pk, item) for unit in units):
            raise ServiceError(
                _("Address the instruction to units that take part in this item."), field="unit_ids"
            )
    elif deadline is not None:
        raise ServiceError(_("Choose the units the instruction is addressed to."), field="unit_ids")
    instruction = Instruction.objects.create(item=item, author=user, text=text.strip(), deadline=deadline)
    for unit in units:
        notice = _create_notice(
            user, item, unit=unit, content=instruction.text, deadline=deadline, instruction=instruction
        )
        tell(
            unit_members(unit.pk),
            key=f"notice:{notice.pk}:instruction",
            title=_("Leader's instruction for your unit, answer by %(date)s: %(title)s")
            % {"date": deadline.isoformat(), "title": item.title},
            body=instruction.text,
            url=reverse("supervision:notice", args=[notice.pk]),
        )
    notify.publish(
        "instruction",
        key=f"instruction:{instruction.pk}",
        title=(_("Leader's instruction: %(title)s") % {"title": item.title})[:200],
        body=instruction.text,
        url=notify.item_url(item.pk),
        unit_id=item.lead_unit_id,
        item_id=item.pk,
    )
    return instruction


@transaction.atomic
def set_reporting_cycle(
    user: Any,
    plan: Any,
    *,
    kind: str,
    report_cadence: str | None,
    opens_before_end: int | None = None,
    closes_after_end: int = 0,
) -> ReportingCycle | None:
    """Set a plan's 报送频次 and window for one kind of item ("" for every kind); no cadence removes
    the row, so the kind follows the plan's cycle for every kind (or monthly)."""
    if not policy.can_set_reporting_cycles(user, plan):
        raise PermissionDenied(_("Only the plan's supervision office may set its reporting cycles."))
    if kind and kind not in ItemKind.values:
        raise ServiceError(_("Unknown kind of item."), field="kind")
    if not report_cadence:
        ReportingCycle.objects.filter(plan=plan, kind=kind).delete()
        return None
    if report_cadence not in cadence.CADENCES:
        raise ServiceError(_("Unknown reporting frequency."), field="cadence")
    for field, days in (("opens_before_end", opens_before_end), ("closes_after_end", closes_after_end)):
        if days is not None and not 0 <= days <= cadence.LONGEST_WINDOW_DAYS:
            raise ServiceError(
                _("A window edge lies between 0 and %(days)s days of the period's end.")
                % {"days": cadence.LONGEST_WINDOW_DAYS},
                field=field,
            )
    cycle, _created = ReportingCycle.objects.update_or_create(
        plan=plan,
        kind=kind,
        defaults={
            "cadence": report_cadence,
            "opens_before_end": opens_before_end,
            "closes_after_end": closes_after_end or 0,
        },
    )
    return cycle
