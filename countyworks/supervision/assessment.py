"""A plan's month scored by its assessment scheme (考核细则): the facts from the one derivation, the
scheme version in force that month, the pure scoring of `scoring.py`.

Facts of a month are read as things stood at the month's end: the items from their history
(`status.history_as_of`), their light and overdue flag derived for that day (`status.annotate`),
reports submitted and returned within the month, notices whose deadline passed by then without an
answer in time, and the bonuses the office entered for the month. So a month's ranking computed
again later gives the same points, and a new scheme version (valid from a later day) never
reaches back (`scoring.scheme_in_force`).

未按期签收 (`scoring.LATE_SIGNOFFS`): assignments (签收, issue 13) whose signing deadline — the
assignment day plus the 督查设置 number of working days — fell in the month and that were not signed
by the end of that day (and not withdrawn before it).
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from countyworks.accounts import policy
from countyworks.core.services import PermissionDenied, ServiceError
from countyworks.plans import cadence
from countyworks.plans.models import ItemStatus, Plan
from countyworks.regions.models import Organisation
from countyworks.supervision import cycles, procedure, rankings, scoring, status
from countyworks.supervision.models import (
    AssessmentBonus,
    AssessmentScheme,
    Notice,
    ProgressReport,
    ReviewState,
    SignOff,
)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def scheme_for(plan: Plan, month_end: date) -> scoring.Scheme:
    """The version of the plan's scheme in force on `month_end`; the default formula if none."""
    versions = [(row.valid_from, row) for row in AssessmentScheme.objects.filter(plan=plan)]
    chosen = scoring.scheme_in_force(versions, month_end)
    return chosen.as_scheme() if chosen is not None else scoring.DEFAULT_SCHEME


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def month_facts(plan: Plan, year: int, month: int) -> list[scoring.UnitFacts]:
    """Each lead unit's facts for the month, per item kind, as they stood at the month's end."""
    start, end = month_bounds(year, month)
    rows = (
        status.annotate(status.history_as_of(end), end)
        .filter(plan_id=plan.pk, lead_unit_id__isnull=False)
        .exclude(status=ItemStatus.CANCELLED)
        .filter(Q(start_date__lte=end) | Q(start_date__isnull=True))
        # An item past its deadline and unfinished still weighs on its unit every month after.
        .filter(Q(due_date__gte=start) | Q(due_date__isnull=True) | Q(is_overdue=True))
        .values_list(
            "id",
            "lead_unit_id",
            "kind",
            "start_date",
            "due_date",
            "progress",
            "status",
            "completed_on",
            "is_overdue",
            "report_cadence",
        )
    )
    # Reports due in the month are the periods whose reporting window closes in it (the May report of
    # a 25th–5th window is due in June; a quarter's in its last month), so submissions are read from
    # as far back as such a window opens.
    submitted_on: dict[int, set[date]] = defaultdict(set)
    for item_id, day in (
        ProgressReport.objects.filter(
            item__plan=plan,
            submitted_at__gte=_aware(start - timedelta(days=123)),
            submitted_at__lt=_aware(end + timedelta(days=1)),
        )
        .annotate(day=TruncDate("submitted_at"))
        .order_by()
        .values_list("item_id", "day")
        .distinct()
    ):
        submitted_on[item_id].add(day)
    plan_cycles = cycles.cycles_by_plan([plan.pk], as_of=_aware(end + timedelta(days=1))).get(plan.pk)
    # Reports returned within the month, each counted once, for the unit that sent it.
    returned = defaultdict(int)
    returned_reports = set(
        ProgressReport.history.filter(
            item__plan=plan,
            state=ReviewState.RETURNED,
            reviewed_at__gte=_aware(start),
            reviewed_at__lt=_aware(end + timedelta(days=1)),
        ).values_list("id", "unit_id", "item__kind")
    )
    for _report, unit_id, kind in returned_reports:
        returned[(unit_id, kind)] += 1
    # Notices due by the month's end and not answered by the end of their deadline day.
    late = defaultdict(int)
    for unit_id, kind, deadline, answered_at in Notice.objects.filter(
        item__plan=plan, deadline__lte=end, deadline__gte=start
    ).values_list("unit_id", "item__kind", "deadline", "answered_at"):
        if answered_at is None or answered_at >= status.end_of_day(deadline):
            late[(unit_id, kind)] += 1

    late_signoffs = _late_signoffs(plan, start, end)

    by_unit: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
    for pk, unit_id, kind, start_date, due_date, progress, state, completed_on, overdue, own_cadence in rows:
        facts = by_unit[unit_id].setdefault(
            kind, {"items": 0, "completed": 0, "due": 0, "on_time": 0, "progress": 0.0, "overdue": 0}
        )
        schedule = cycles.build_schedule(
            plan_year=plan.year,
            kind=kind,
            own_cadence=own_cadence,
            start_date=start_date,
            due_date=due_date,
            plan_cycles=plan_cycles,
        )
        row = rankings.ItemRow(
            start=schedule.start,
            end=schedule.end,
            progress=float(progress),
            completed=state == ItemStatus.COMPLETED,
            completed_on=completed_on,
            cadence=schedule.cadence,
            window=schedule.window,
        )
        facts["items"] += 1
        facts["completed"] += int(row.completed and (completed_on is None or completed_on <= end))
        facts["progress"] += row.progress
        facts["overdue"] += int(bool(overdue))
        closing = row.schedule.closing_in(start, end, row.active_until(end))
        facts["due"] += len(closing)
        facts["on_time"] += len(cadence.on_time(closing, submitted_on.get(pk, ())))
    for unit_id, kind in (*returned, *late, *late_signoffs):
        by_unit[unit_id].setdefault(
            kind, {"items": 0, "completed": 0, "due": 0, "on_time": 0, "progress": 0.0, "overdue": 0}
        )
    bonuses: dict[int, list[scoring.Bonus]] = defaultdict(list)
    for bonus in AssessmentBonus.objects.filter(
        plan=plan, awarded_on__gte=start, awarded_on__lte=end
    ).order_by("awarded_on", "id"):
        bonuses[bonus.unit_id].append(scoring.Bonus(bonus.rule, float(bonus.points), bonus.reason))
        by_unit.setdefault(bonus.unit_id, {})
    names = dict(Organisation.objects.filter(pk__in=list(by_unit)).values_list("id", "name"))
    return [
        scoring.UnitFacts(
            unit_id=unit_id,
            unit_name=names.get(unit_id, str(unit_id)),
            by_kind={
                kind: scoring.KindFacts(
                    items=f["items"],
                    completed=f["completed"],
                    reports_due=f["due"],
                    reports_on_time=f["on_time"],
                    progress_sum=f["progress"],
                    counts={
                        scoring.OVERDUE_ITEMS: f["overdue"],
                        scoring.RETURNED_REPORTS: returned.get((unit_id, kind), 0),
                        scoring.NOTICES_LATE: late.get((unit_id, kind), 0),
                        scoring.LATE_SIGNOFFS: late_signoffs.get((unit_id, kind), 0),
                    },
                )
                for kind, f in kinds.items()
            },
            bonuses=tuple(bonuses.get(unit_id, ())),
        )
        for unit_id, kinds in by_unit.items()
    ]


def _late_signoffs(plan: Plan, start: date, end: date) -> dict[tuple[int, str], int]:
    """Assignments of `plan` whose signing deadline fell between `start` and `end` and that were not
    signed by the end of that day, per (unit, item kind)."""
    from countyworks.supervision.procedure_services import signoff_working_days

    allowed = signoff_working_days()
    counted: dict[tuple[int, str], int] = defaultdict(int)
    rows = SignOff.objects.filter(item__plan=plan, assigned_at__lt=_aware(end + timedelta(days=1)))
    for unit_id, kind, assigned_at, signed_at, withdrawn_at in rows.values_list(
        "unit_id", "item__kind", "assigned_at", "signed_at", "withdrawn_at"
    ):
        deadline = procedure.add_working_days(timezone.localtime(assigned_at).date(), allowed)
        if not start <= deadline <= end:
            continue
        cutoff = status.end_of_day(deadline)
        if withdrawn_at is not None and withdrawn_at < cutoff:
            continue
        if signed_at is None or signed_at >= cutoff:
            counted[(unit_id, kind)] += 1
    return counted


def month_ranking(plan: Plan, year: int, month: int) -> list[scoring.UnitScore]:
    """The plan's units for the month, best first, scored by the scheme in force that month."""
    _start, end = month_bounds(year, month)
    return scoring.score_units(scheme_for(plan, end), month_facts(plan, year, month))


def explain(line: scoring.ScoreLine) -> str:
    """One rule's points as a sentence a unit can check: 逾期未完成 2 项 × −5 = −10（封顶 −10）."""

    rule = line.rule

    def num(value: float) -> str:
        return f"{value + 0.0:g}"  # + 0.0: no "-0" for a negative rule that counted nothing

    if line.missing:
        return _("%(rule)s: no data yet") % {"rule": rule.label}
    if rule.kind == scoring.RATE:
        shown = f"{line.value:g}%" if rule.fact == scoring.AVERAGE_PROGRESS else f"{line.value * 100:.1f}%"
        text = _("%(rule)s: %(value)s of %(points)s points = %(result)s") % {
            "rule": rule.label,
            "value": shown,
            "points": num(rule.points),
            "result": num(line.points),
        }
    elif rule.kind == scoring.PER:
        text = _("%(rule)s: %(count)s × %(points)s = %(result)s") % {
            "rule": rule.label,
            "count": num(line.value),
            "points": num(rule.points),
            "result": num(line.uncapped),
        }
    else:
        text = _("%(rule)s: %(result)s (%(reasons)s)") % {
            "rule": rule.label,
            "result": num(line.uncapped),
            "reasons": "；".join(line.reasons) or "—",
        }
    if line.capped:
        text += _(" (capped at %(cap)s)") % {"cap": num(line.points)}
    return text


def scheme_version_date(plan: Plan, month_start: date) -> date | None:
    """The valid_from of the version scoring the month (None: the default formula)."""
    _start, end = month_bounds(month_start.year, month_start.month)
    dates = [
        d for d in AssessmentScheme.objects.filter(plan=plan).values_list("valid_from", flat=True) if d <= end
    ]
    return max(dates) if dates else None


# The office's write: points under a bonus rule, entered on the ranking page.
@transaction.atomic
def award_bonus(
    user: Any, plan: Any, *, unit: Any, rule: str, points: Any, reason: str, awarded_on: date | None
) -> AssessmentBonus:
    """The office awards a unit points under a bonus rule (领导批示肯定, 经验做法被推广) of the scheme in
    force on the day, with the reason; the month's ranking explains it with that reason."""
    if not policy.can_manage_plan(user, plan.region):
        raise PermissionDenied(_("Only the plan's supervision office may award points."))
    if awarded_on is None or awarded_on.year != plan.year:
        raise ServiceError(_("Give a day of the plan's year."), field="awarded_on")
    bonus_rules = {r.key for r in scheme_for(plan, awarded_on).rules if r.kind == scoring.BONUS}
    if rule not in bonus_rules:
        raise ServiceError(_("The scheme in force on that day has no such bonus rule."), field="rule")
    if unit is None or not unit.region.code.startswith(policy.region_prefix(plan.region)):
        raise ServiceError(_("Choose a unit of the plan's region."), field="unit")
    try:
        value = Decimal(str(points))
    except Exception as exc:  # decimal.InvalidOperation and friends
        raise ServiceError(_("Points must be a number above 0 and at most 100."), field="points") from exc
    if not value.is_finite() or not 0 < value <= 100:
        raise ServiceError(_("Points must be a number above 0 and at most 100."), field="points")
    if not (reason or "").strip():
        raise ServiceError(_("Say what the points are for."), field="reason")
    return AssessmentBonus.objects.create(
        plan=plan,
        unit=unit,
        rule=rule,
        points=value.quantize(Decimal("0.01")),
        reason=reason.strip()[:300],
        awarded_on=awarded_on,
        entered_by=user,
    )
