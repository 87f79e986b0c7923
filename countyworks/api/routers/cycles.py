"""Reporting cycles (issue 19): a plan's 报送频次 per kind, reopening a reviewed period, and the
missing-reports view, written and read through `supervision.services`, `procedure_services` and
`supervision.cycles` like the screens."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from countyworks.accounts import policy
from countyworks.api import auth
from countyworks.api.common import READ_ERRORS, WRITE_ERRORS, Id, Text, choices
from countyworks.core.services import PermissionDenied
from countyworks.plans import cadence
from countyworks.plans.models import ItemKind, ReportCadence
from countyworks.regions.models import Organisation
from countyworks.supervision import cycles, procedure_services, services
from countyworks.supervision.models import ReportingCycle

router = Router()
CadenceValue = choices(ReportCadence)
KindPath = Literal[("all", *ItemKind.values)]  # type: ignore[misc]
WindowDays = Annotated[int, Field(ge=0, le=cadence.LONGEST_WINDOW_DAYS)]


class CycleOut(Schema):
    kind: str = Field(description='The kind of item, or "all" for the plan\'s cycle for every kind.')
    cadence: CadenceValue  # type: ignore[valid-type]
    opens_before_end: int | None = Field(description="Null: the window opens on the period's first day.")
    closes_after_end: int

    @staticmethod
    def resolve_kind(obj: Any) -> str:
        return obj.kind or "all"


class CycleSet(Schema):
    cadence: CadenceValue | None = Field(  # type: ignore[valid-type]
        description="Null removes the kind's cycle (it follows the plan's cycle for every kind, or monthly)."
    )
    opens_before_end: WindowDays | None = None
    closes_after_end: WindowDays = 0


class PeriodReopen(Schema):
    unit_id: Id
    period: Annotated[str, Field(max_length=10, examples=["2023-06"])]
    reason: Text


class PeriodReopened(Schema):
    id: int
    item_id: int
    unit_id: int
    period: str


class DutyOut(Schema):
    unit_id: int
    unit_name: str
    item_id: int
    item_title: str
    period: str
    window_opens: date
    window_closes: date
    state: Literal["missing", "open", "returned", "late", "on_time"]


class MissingQuery(Schema):
    plan: Id
    as_of: date | None = Field(None, description="Default today.")
    all: bool = Field(False, description="Also list the reports that came (on time or late).")


def _plan_for_office(actor: auth.Actor, plan_id: int) -> Any:
    plan = get_object_or_404(auth.plans(actor), pk=plan_id)
    if not policy.reads_whole_plan(actor.user, plan):
        raise PermissionDenied(_("Only readers of the whole plan see its reporting cycles."))
    return plan


@router.get("/plans/{id}/reporting-cycles", response={200: list[CycleOut], **READ_ERRORS}, tags=["cycles"])
def list_reporting_cycles(request: HttpRequest, id: Id) -> Any:
    """The plan's cycles; without one a plan's items report monthly, within the month."""
    plan = _plan_for_office(auth.actor_of(request), id)
    return list(ReportingCycle.objects.filter(plan=plan).order_by("kind"))


@router.put(
    "/plans/{id}/reporting-cycles/{kind}", response={200: CycleOut | None, **WRITE_ERRORS}, tags=["cycles"]
)
def set_reporting_cycle(request: HttpRequest, id: Id, kind: KindPath, payload: CycleSet) -> Any:  # type: ignore[valid-type]
    actor = auth.actor_of(request)
    actor.require_write()
    plan = get_object_or_404(auth.plans(actor), pk=id)
    return services.set_reporting_cycle(
        actor.user,
        plan,
        kind="" if kind == "all" else ItemKind(kind),
        report_cadence=payload.cadence,
        opens_before_end=payload.opens_before_end,
        closes_after_end=payload.closes_after_end,
    )


@router.post("/items/{id}/reopen-period", response={200: PeriodReopened, **WRITE_ERRORS}, tags=["cycles"])
def reopen_period(request: HttpRequest, id: Id, payload: PeriodReopen) -> Any:
    actor = auth.actor_of(request)
    actor.require_write()
    item = get_object_or_404(auth.items(actor).select_related("plan__region"), pk=id)
    unit = Organisation.objects.filter(pk=payload.unit_id).first()
    return procedure_services.reopen_period(
        actor.user, item, unit=unit, period=payload.period, reason=payload.reason
    )


@router.get("/missing-reports", response={200: list[DutyOut], **READ_ERRORS}, tags=["cycles"])
def missing_reports(request: HttpRequest, query: Query[MissingQuery]) -> Any:
    """Per unit, the reports owed on the plan's items the caller may read, up to `as_of`."""
    actor = auth.actor_of(request)
    if not actor.user.is_authenticated:
        raise PermissionDenied(_("Log in or send a token to see who owes which report."))
    plan = get_object_or_404(auth.plans(actor), pk=query.plan)
    as_of = query.as_of or timezone.localdate()
    groups = cycles.report_duties(auth.items(actor).filter(plan=plan), date(plan.year, 1, 1), as_of)
    return [
        {
            "unit_id": duty.unit_id,
            "unit_name": duty.unit_name,
            "item_id": duty.item.pk,
            "item_title": duty.item.title,
            "period": duty.period.key,
            "window_opens": duty.period.opens,
            "window_closes": duty.period.closes,
            "state": duty.state,
        }
        for group in groups
        for duty in (group.duties if query.all else group.outstanding)
    ]
