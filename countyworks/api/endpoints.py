"""The resources of `/api/v1/`: list, detail, and the writes the services allow.

Reads go through the per-resource querysets of `countyworks.api.auth` (policy ∩ token region);
writes call the same services as the screens (`plans.services`, `supervision.services`), so a
rule is enforced once. An object outside what the caller may read answers 404, not 403, so the
API does not reveal what exists elsewhere.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Status

from countyworks.api import auth
from countyworks.api.listing import ListQuery, ordering_values, paginate
from countyworks.api.schemas import (
    CitationOut,
    CitationPage,
    DocumentOut,
    DocumentPage,
    ErrorOut,
    HonourOut,
    HonourPage,
    Id,
    IndicatorOut,
    IndicatorPage,
    ItemKindValue,
    ItemStatusValue,
    LightValue,
    NoticeAnswer,
    NoticeIssue,
    NoticeOut,
    NoticePage,
    ObservationCreate,
    ObservationOut,
    ObservationPage,
    ObservationUpdate,
    OrganisationOut,
    OrganisationPage,
    PlanNodeOut,
    PlanNodePage,
    PlanOut,
    PlanPage,
    ProgressReportOut,
    ProgressReportPage,
    RegionCode,
    RegionOut,
    RegionPage,
    ReportResubmit,
    ReportReview,
    ReportSubmit,
    StageValue,
    TargetCreate,
    TargetOut,
    TargetPage,
    TargetUpdate,
    WorkItemCreate,
    WorkItemOut,
    WorkItemPage,
    WorkItemUpdate,
    Year,
)
from countyworks.core.services import PermissionDenied, ServiceError

router = Router()

READ_ERRORS = {frozenset({400, 401, 403, 404, 422}): ErrorOut}
WRITE_ERRORS = {frozenset({400, 401, 403, 404, 409, 422}): ErrorOut}


def _region_under(field: str):
    """A `region=` filter: the region itself and everything below it, by GB/T 2260 code prefix."""

    def apply(qs: QuerySet, code: str) -> QuerySet:
        from countyworks.accounts.policy import region_prefix
        from countyworks.regions.models import Region

        region = Region.objects.filter(code=code).first()
        prefix = region_prefix(region) if region else code
        return qs.filter(**{f"{field}code__startswith": prefix})

    return apply


def _order(*fields: str) -> Any:
    return Literal[ordering_values(*fields)] | None  # type: ignore[valid-type]


# Regions ---------------------------------------------------------------------------------


class RegionQuery(ListQuery):
    region: RegionCode | None = Field(None, description="This region and everything under it.")
    level: Literal["province", "city", "county", "town", "village"] | None = None
    parent: RegionCode | None = Field(None, description="Direct children of this code.")
    ordering: _order("code", "name") = None  # type: ignore[valid-type]


@router.get("/regions", response={200: RegionPage, **READ_ERRORS}, tags=["regions"])
def list_regions(request: HttpRequest, query: Query[RegionQuery]) -> Any:
    return paginate(
        auth.regions(auth.actor_of(request)),
        query,
        {"region": _region_under(""), "level": "level", "parent": "parent__code"},
        {"code": "code", "name": "name"},
    )


@router.get("/regions/{code}", response={200: RegionOut, **READ_ERRORS}, tags=["regions"])
def get_region(request: HttpRequest, code: RegionCode) -> Any:
    return get_object_or_404(auth.regions(auth.actor_of(request)), code=code)


# Organisations ---------------------------------------------------------------------------


class OrganisationQuery(ListQuery):
    region: RegionCode | None = None
    kind: (
        Literal[
            "party",
            "government",
            "department",
            "town",
            "enterprise",
            "hospital",
            "school",
            "media",
            "scenic_area",
            "other",
        ]
        | None
    ) = None
    ordering: _order("name", "region") = None  # type: ignore[valid-type]


@router.get("/organisations", response={200: OrganisationPage, **READ_ERRORS}, tags=["organisations"])
def list_organisations(request: HttpRequest, query: Query[OrganisationQuery]) -> Any:
    return paginate(
        auth.organisations(auth.actor_of(request)),
        query,
        {"region": _region_under("region__"), "kind": "kind"},
        {"name": "name", "region": "region__code"},
    )


@router.get("/organisations/{id}", response={200: OrganisationOut, **READ_ERRORS}, tags=["organisations"])
def get_organisation(request: HttpRequest, id: Id) -> Any:
    return get_object_or_404(auth.organisations(auth.actor_of(request)), pk=id)


# Plans and goal-tree nodes ---------------------------------------------------------------


class PlanQuery(ListQuery):
    region: RegionCode | None = None
    year: Year | None = None
    status: Literal["draft", "active", "closed"] | None = None
    ordering: _order("year", "title", "region") = None  # type: ignore[valid-type]


@router.get("/plans", response={200: PlanPage, **READ_ERRORS}, tags=["plans"])
def list_plans(request: HttpRequest, query: Query[PlanQuery]) -> Any:
    return paginate(
        auth.plans(auth.actor_of(request)),
        query,
        {"region": _region_under("region__"), "year": "year", "status": "status"},
        {"year": "year", "title": "title", "region": "region__code"},
    )


@router.get("/plans/{id}", response={200: PlanOut, **READ_ERRORS}, tags=["plans"])
def get_plan(request: HttpRequest, id: Id) -> Any:
    return get_object_or_404(auth.plans(auth.actor_of(request)), pk=id)


class PlanNodeQuery(ListQuery):
    plan: Id | None = None
    parent: Id | None = None
    kind: Literal["goal", "area", "direction", "task_group"] | None = None
    ordering: _order("order", "title") = None  # type: ignore[valid-type]


@router.get("/plan-nodes", response={200: PlanNodePage, **READ_ERRORS}, tags=["plans"])
def list_plan_nodes(request: HttpRequest, query: Query[PlanNodeQuery]) -> Any:
    return paginate(
        auth.plan_nodes(auth.actor_of(request)),
        query,
        {"plan": "plan_id", "parent": "parent_id", "kind": "kind"},
        {"order": "order", "title": "title"},
    )


@router.get("/plan-nodes/{id}", response={200: PlanNodeOut, **READ_ERRORS}, tags=["plans"])
def get_plan_node(request: HttpRequest, id: Id) -> Any:
    return get_object_or_404(auth.plan_nodes(auth.actor_of(request)), pk=id)


# Work items ------------------------------------------------------------------------------


class WorkItemQuery(ListQuery):
    region: RegionCode | None = None
    year: Year | None = None
    plan: Id | None = None
    kind: ItemKindValue | None = None  # type: ignore[valid-type]
    status: ItemStatusValue | None = None  # type: ignore[valid-type]
    light: LightValue | None = None  # type: ignore[valid-type]
    stage: StageValue | None = None  # type: ignore[valid-type]
    unit: Id | None = Field(None, description="Items this organisation leads or co-leads.")
    overdue: bool | None = None
    ordering: _order("due_date", "progress", "title", "status", "light", "number") = None  # type: ignore[valid-type]


def _unit_takes_part(qs: QuerySet, unit_id: int) -> QuerySet:
    return qs.filter(Q(lead_unit_id=unit_id) | Q(co_units__id=unit_id)).distinct()


@router.get("/items", response={200: WorkItemPage, **READ_ERRORS}, tags=["work items"])
def list_items(request: HttpRequest, query: Query[WorkItemQuery]) -> Any:
    return paginate(
        auth.items(auth.actor_of(request)).prefetch_related("co_units"),
        query,
        {
            "region": _region_under("plan__region__"),
            "year": "plan__year",
            "plan": "plan_id",
            "kind": "kind",
            "status": "status",
            "light": "light",
            "stage": "stage",
            "unit": _unit_takes_part,
            "overdue": "is_overdue",
        },
        {k: k for k in ("due_date", "progress", "title", "status", "light", "number")},
    )


@router.get("/items/{id}", response={200: WorkItemOut, **READ_ERRORS}, tags=["work items"])
def get_item(request: HttpRequest, id: Id) -> Any:
    return get_object_or_404(auth.items(auth.actor_of(request)), pk=id)


def _item_relations(actor: auth.Actor, data: dict[str, Any], plan: Any) -> dict[str, Any]:
    """Turn `*_id` inputs into objects, refusing ids from another plan or region by field name."""
    from countyworks.plans.models import PlanNode
    from countyworks.regions.models import Organisation, Person

    fields = {
        k: v for k, v in data.items() if k not in ("node_id", "lead_unit_id", "lead_leader_id", "co_unit_ids")
    }
    if "node_id" in data:
        fields["node"] = None
        if data["node_id"] is not None:
            fields["node"] = PlanNode.objects.filter(pk=data["node_id"], plan=plan).first()
            if fields["node"] is None:
                raise ServiceError(_("No goal tree node with this id in the item's plan."), field="node_id")
    units = Organisation.objects.filter(region=plan.region)
    if "lead_unit_id" in data:
        fields["lead_unit"] = None
        if data["lead_unit_id"] is not None:
            fields["lead_unit"] = units.filter(pk=data["lead_unit_id"]).first()
            if fields["lead_unit"] is None:
                raise ServiceError(
                    _("No organisation with this id in the plan's region."), field="lead_unit_id"
                )
    if "lead_leader_id" in data:
        fields["lead_leader"] = None
        if data["lead_leader_id"] is not None:
            fields["lead_leader"] = Person.objects.filter(
                pk=data["lead_leader_id"], region=plan.region
            ).first()
            if fields["lead_leader"] is None:
                raise ServiceError(_("No person with this id in the plan's region."), field="lead_leader_id")
    if data.get("co_unit_ids") is not None:
        wanted = set(data["co_unit_ids"])
        found = list(units.filter(pk__in=wanted))
        if len(found) != len(wanted):
            raise ServiceError(
                _("Some co-operating units are not in the plan's region."), field="co_unit_ids"
            )
        fields["co_units"] = found
    return fields


@router.post("/items", response={201: WorkItemOut, **WRITE_ERRORS}, tags=["work items"])
def create_item(request: HttpRequest, payload: WorkItemCreate) -> Any:
    from countyworks.plans import services

    actor = auth.actor_of(request)
    actor.require_write()
    data = payload.dict(exclude_unset=True)
    plan = auth.plans(actor).filter(pk=data.pop("plan_id")).first()
    if plan is None:
        raise ServiceError(_("No plan with this id that you may read."), field="plan_id")
    with transaction.atomic():
        fields = _item_relations(actor, _drop_nulls(data), plan)
        item = services.create_item(actor.user, plan, **fields)
    return Status(201, item)


def _drop_nulls(data: dict[str, Any]) -> dict[str, Any]:
    """On create, a null means "not given": the model default applies (nullable relations excepted)."""
    keep_null = {"node_id", "lead_unit_id", "lead_leader_id"}
    return {k: v for k, v in data.items() if v is not None or k in keep_null}


@router.patch("/items/{id}", response={200: WorkItemOut, **WRITE_ERRORS}, tags=["work items"])
def update_item(request: HttpRequest, id: Id, payload: WorkItemUpdate) -> Any:
    from countyworks.plans import services

    actor = auth.actor_of(request)
    actor.require_write()
    item = get_object_or_404(auth.items(actor), pk=id)
    data = payload.dict(exclude_unset=True)
    expected_version = data.pop("expected_version")
    nullable = {
        "node_id", "lead_unit_id", "lead_leader_id", "target_value", "start_date", "due_date", "completed_on",
        "total_investment", "annual_planned_investment", "annual_completed_investment", "promised_on",
        "beneficiary_count", "closed_on", "party_lecture_on",
    }  # fmt: skip
    for name, value in data.items():
        if value is None and name not in nullable:
            raise ServiceError(_("This field cannot be null."), field=name)
    with transaction.atomic():
        fields = _item_relations(actor, data, item.plan)
        item = services.update_item(actor.user, item, expected_version=expected_version, **fields)
    return item


@router.delete("/items/{id}", response={204: None, **WRITE_ERRORS}, tags=["work items"])
def delete_item(request: HttpRequest, id: Id) -> Any:
    from countyworks.plans import services

    actor = auth.actor_of(request)
    actor.require_write()
    services.delete_item(actor.user, get_object_or_404(auth.items(actor), pk=id))
    return Status(204, None)


# Progress reports ------------------------------------------------------------------------


class ReportQuery(ListQuery):
    region: RegionCode | None = None
    year: Year | None = None
    item: Id | None = None
    unit: Id | None = None
    state: Literal["submitted", "approved", "returned"] | None = None
    period: Annotated[str, Field(pattern=r"^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$")] | None = None
    ordering: _order("submitted_at", "period", "progress") = None  # type: ignore[valid-type]


def _report_out(actor: auth.Actor, report: Any) -> Any:
    if actor.is_public:
        # Review comments are internal, as are the evidence files a unit kept private.
        report.review_comment = None
        report._public_evidence = [e for e in report.evidence.all() if e.public]
    return report


@router.get("/reports", response={200: ProgressReportPage, **READ_ERRORS}, tags=["progress reports"])
def list_reports(request: HttpRequest, query: Query[ReportQuery]) -> Any:
    actor = auth.actor_of(request)
    page = paginate(
        auth.reports(actor),
        query,
        {
            "region": _region_under("item__plan__region__"),
            "year": "item__plan__year",
            "item": "item_id",
            "unit": "unit_id",
            "state": "state",
            "period": "period",
        },
        {"submitted_at": "submitted_at", "period": "period", "progress": "progress"},
    )
    page["results"] = [_report_out(actor, r) for r in page["results"]]
    return page


@router.get("/reports/{id}", response={200: ProgressReportOut, **READ_ERRORS}, tags=["progress reports"])
def get_report(request: HttpRequest, id: Id) -> Any:
    actor = auth.actor_of(request)
    return _report_out(actor, get_object_or_404(auth.reports(actor), pk=id))


@router.post("/reports", response={201: ProgressReportOut, **WRITE_ERRORS}, tags=["progress reports"])
def submit_report(request: HttpRequest, payload: ReportSubmit) -> Any:
    from countyworks.supervision import services

    actor = auth.actor_of(request)
    actor.require_write()
    item = auth.items(actor).filter(pk=payload.item_id).first()
    if item is None:
        raise ServiceError(_("No work item with this id that you may read."), field="item_id")
    report = services.submit_report(
        actor.user, item, period=payload.period, text=payload.text, progress=payload.progress
    )
    return Status(201, report)


@router.post(
    "/reports/{id}/review", response={200: ProgressReportOut, **WRITE_ERRORS}, tags=["progress reports"]
)
def review_report(request: HttpRequest, id: Id, payload: ReportReview) -> Any:
    from countyworks.supervision import services

    actor = auth.actor_of(request)
    actor.require_write()
    report = get_object_or_404(auth.reports(actor), pk=id)
    return services.review_report(
        actor.user,
        report,
        approve=payload.approve,
        comment=payload.comment,
        expected_version=payload.expected_version,
    )


@router.post(
    "/reports/{id}/resubmit", response={200: ProgressReportOut, **WRITE_ERRORS}, tags=["progress reports"]
)
def resubmit_report(request: HttpRequest, id: Id, payload: ReportResubmit) -> Any:
    from countyworks.supervision import services

    actor = auth.actor_of(request)
    actor.require_write()
    report = get_object_or_404(auth.reports(actor), pk=id)
    return services.resubmit_report(
        actor.user,
        report,
        text=payload.text,
        progress=payload.progress,
        expected_version=payload.expected_version,
    )


# Notices ---------------------------------------------------------------------------------


class NoticeQuery(ListQuery):
    item: Id | None = None
    unit: Id | None = None
    state: Literal["issued", "acknowledged", "answered", "closed"] | None = None
    year: Year | None = None
    ordering: _order("issued_at", "deadline", "state") = None  # type: ignore[valid-type]


@router.get("/notices", response={200: NoticePage, **READ_ERRORS}, tags=["notices"])
def list_notices(request: HttpRequest, query: Query[NoticeQuery]) -> Any:
    return paginate(
        auth.notices(auth.actor_of(request)),
        query,
        {"item": "item_id", "unit": "unit_id", "state": "state", "year": "item__plan__year"},
        {"issued_at": "issued_at", "deadline": "deadline", "state": "state"},
    )


@router.get("/notices/{id}", response={200: NoticeOut, **READ_ERRORS}, tags=["notices"])
def get_notice(request: HttpRequest, id: Id) -> Any:
    return get_object_or_404(auth.notices(auth.actor_of(request)), pk=id)


@router.post("/notices", response={201: NoticeOut, **WRITE_ERRORS}, tags=["notices"])
def issue_notice(request: HttpRequest, payload: NoticeIssue) -> Any:
    from countyworks.regions.models import Organisation
    from countyworks.supervision import services

    actor = auth.actor_of(request)
    actor.require_write()
    item = auth.items(actor).filter(pk=payload.item_id).first()
    if item is None:
        raise ServiceError(_("No work item with this id that you may read."), field="item_id")
    unit = Organisation.objects.filter(pk=payload.unit_id, region=item.plan.region).first()
    if unit is None:
        raise ServiceError(_("No organisation with this id in the item's region."), field="unit_id")
    notice = services.issue_notice(
        actor.user, item, unit=unit, content=payload.content, deadline=payload.deadline
    )
    return Status(201, notice)


def _notice_action(request: HttpRequest, id: int, action: str, **kwargs: Any) -> Any:
    from countyworks.supervision import services

    actor = auth.actor_of(request)
    actor.require_write()
    notice = get_object_or_404(auth.notices(actor), pk=id)
    return getattr(services, action)(actor.user, notice, **kwargs)


@router.post("/notices/{id}/acknowledge", response={200: NoticeOut, **WRITE_ERRORS}, tags=["notices"])
def acknowledge_notice(request: HttpRequest, id: Id) -> Any:
    return _notice_action(request, id, "acknowledge_notice")


@router.post("/notices/{id}/answer", response={200: NoticeOut, **WRITE_ERRORS}, tags=["notices"])
def answer_notice(request: HttpRequest, id: Id, payload: NoticeAnswer) -> Any:
    return _notice_action(request, id, "answer_notice", answer=payload.answer)


@router.post("/notices/{id}/close", response={200: NoticeOut, **WRITE_ERRORS}, tags=["notices"])
def close_notice(request: HttpRequest, id: Id) -> Any:
    return _notice_action(request, id, "close_notice")


# Indicators, observations, targets -------------------------------------------------------


class IndicatorQuery(ListQuery):
    area: Annotated[str, Field(max_length=60, pattern=r"^[^\x00]*$")] | None = None
    headline: bool | None = None
    ordering: _order("name", "code", "area") = None  # type: ignore[valid-type]


@router.get("/indicators", response={200: IndicatorPage, **READ_ERRORS}, tags=["indicators"])
def list_indicators(request: HttpRequest, query: Query[IndicatorQuery]) -> Any:
    return paginate(
        auth.indicators(auth.actor_of(request)),
        query,
        {"area": "area", "headline": "headline"},
        {"name": "name", "code": "code", "area": "area"},
    )


@router.get("/indicators/{id}", response={200: IndicatorOut, **READ_ERRORS}, tags=["indicators"])
def get_indicator(request: HttpRequest, id: Id) -> Any:
    return get_object_or_404(auth.indicators(auth.actor_of(request)), pk=id)


class ObservationQuery(ListQuery):
    region: RegionCode | None = None
    year: Year | None = None
    indicator: Annotated[str, Field(pattern=r"^[-a-zA-Z0-9_]{1,80}$")] | None = Field(
        None, description="Indicator code."
    )
    value_kind: Literal["level", "growth", "multiple"] | None = None
    ordering: _order("year", "indicator", "value") = None  # type: ignore[valid-type]


@router.get("/observations", response={200: ObservationPage, **READ_ERRORS}, tags=["indicators"])
def list_observations(request: HttpRequest, query: Query[ObservationQuery]) -> Any:
    return paginate(
        auth.observations(auth.actor_of(request)),
        query,
        {
            "region": _region_under("region__"),
            "year": "year",
            "indicator": "indicator__code",
            "value_kind": "value_kind",
        },
        {"year": "year", "indicator": "indicator__code", "value": "value"},
    )


@router.get("/observations/{id}", response={200: ObservationOut, **READ_ERRORS}, tags=["indicators"])
def get_observation(request: HttpRequest, id: Id) -> Any:
    return get_object_or_404(auth.observations(auth.actor_of(request)), pk=id)


class TargetQuery(ListQuery):
    region: RegionCode | None = None
    year: Year | None = None
    indicator: Annotated[str, Field(pattern=r"^[-a-zA-Z0-9_]{1,80}$")] | None = None
    ordering: _order("year", "indicator") = None  # type: ignore[valid-type]


@router.get("/targets", response={200: TargetPage, **READ_ERRORS}, tags=["indicators"])
def list_targets(request: HttpRequest, query: Query[TargetQuery]) -> Any:
    return paginate(
        auth.targets(auth.actor_of(request)),
        query,
        {"region": _region_under("region__"), "year": "year", "indicator": "indicator__code"},
        {"year": "year", "indicator": "indicator__code"},
    )


@router.get("/targets/{id}", response={200: TargetOut, **READ_ERRORS}, tags=["indicators"])
def get_target(request: HttpRequest, id: Id) -> Any:
    return get_object_or_404(auth.targets(auth.actor_of(request)), pk=id)


# Figures and targets: written through indicators.services, as on the screens and in the import.

# The service's field names as the API spells them, so a refusal names what the caller sent.
_FIGURE_INPUT_NAMES = {"indicator": "indicator_id", "region": "region_code", "citation": "citation_id"}
_FIGURE_NON_NULL = {
    "indicator_id",
    "indicator_code",
    "region_code",
    "year",
    "value",
    "value_kind",
    "qualifier",
}


def _figure_fields(actor: auth.Actor, data: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """Turn ids and codes into records; a region outside the caller's token is refused (403)."""
    from countyworks.regions.models import Region

    for name, value in data.items():
        if value is None and name in _FIGURE_NON_NULL:
            raise ServiceError(_("This field cannot be null."), field=name)
    fields = {
        k: v
        for k, v in data.items()
        if k not in ("indicator_id", "indicator_code", "region_code", "citation_id")
    }
    if "indicator_id" in data or "indicator_code" in data:
        if "indicator_id" in data:
            indicator = auth.indicators(actor).filter(pk=data["indicator_id"]).first()
            field = "indicator_id"
        else:
            indicator = auth.indicators(actor).filter(code=data["indicator_code"]).first()
            field = "indicator_code"
        if indicator is None:
            raise ServiceError(_("No indicator with this id or code."), field=field)
        fields["indicator"] = indicator
    elif creating:
        raise ServiceError(_("Give the indicator as indicator_id or indicator_code."), field="indicator_id")
    if "region_code" in data:
        region = Region.objects.filter(code=data["region_code"]).first()
        if region is None:
            raise ServiceError(_("No region with this code."), field="region_code")
        if not auth.regions(actor).filter(pk=region.pk).exists():
            raise PermissionDenied(_("This token does not reach that region."), field="region_code")
        fields["region"] = region
    if "citation_id" in data:
        fields["citation"] = None
        if data["citation_id"] is not None:
            fields["citation"] = auth.citations(actor).filter(pk=data["citation_id"]).first()
            if fields["citation"] is None:
                raise ServiceError(_("No citation with this id that you may read."), field="citation_id")
    for name in ("base_label", "note", "unit"):
        if name in fields and fields[name] is None:
            fields[name] = ""
    return fields


def _figure_write(write: Any, *args: Any, **kwargs: Any) -> Any:
    """Call a service, renaming the field of a refusal to the name the caller used."""
    try:
        with transaction.atomic():
            return write(*args, **kwargs)
    except ServiceError as exc:
        exc.field = _FIGURE_INPUT_NAMES.get(exc.field or "", exc.field)
        raise


@router.post("/observations", response={201: ObservationOut, **WRITE_ERRORS}, tags=["indicators"])
def create_observation(request: HttpRequest, payload: ObservationCreate) -> Any:
    from countyworks.indicators import services

    actor = auth.actor_of(request)
    actor.require_write()
    fields = _figure_fields(actor, payload.dict(exclude_unset=True), creating=True)
    return Status(201, _figure_write(services.create_observation, actor.user, **fields))


@router.patch("/observations/{id}", response={200: ObservationOut, **WRITE_ERRORS}, tags=["indicators"])
def update_observation(request: HttpRequest, id: Id, payload: ObservationUpdate) -> Any:
    from countyworks.indicators import services

    actor = auth.actor_of(request)
    actor.require_write()
    observation = get_object_or_404(auth.observations(actor), pk=id)
    data = payload.dict(exclude_unset=True)
    expected_version = data.pop("expected_version")
    fields = _figure_fields(actor, data, creating=False)
    return _figure_write(
        services.update_observation, actor.user, observation, expected_version=expected_version, **fields
    )


@router.post("/targets", response={201: TargetOut, **WRITE_ERRORS}, tags=["indicators"])
def create_target(request: HttpRequest, payload: TargetCreate) -> Any:
    from countyworks.indicators import services

    actor = auth.actor_of(request)
    actor.require_write()
    fields = _figure_fields(actor, payload.dict(exclude_unset=True), creating=True)
    return Status(201, _figure_write(services.create_target, actor.user, **fields))


@router.patch("/targets/{id}", response={200: TargetOut, **WRITE_ERRORS}, tags=["indicators"])
def update_target(request: HttpRequest, id: Id, payload: TargetUpdate) -> Any:
    from countyworks.indicators import services

    actor = auth.actor_of(request)
    actor.require_write()
    target = get_object_or_404(auth.targets(actor), pk=id)
    data = payload.dict(exclude_unset=True)
    expected_version = data.pop("expected_version")
    fields = _figure_fields(actor, data, creating=False)
    return _figure_write(
        services.update_target, actor.user, target, expected_version=expected_version, **fields
    )


# Honours, documents, citations -----------------------------------------------------------


class HonourQuery(ListQuery):
    region: RegionCode | None = None
    year: Year | None = None
    level: Literal["national", "provincial", "city", "county"] | None = None
    ordering: _order("year", "level", "title") = None  # type: ignore[valid-type]


def _honour_region(qs: QuerySet, code: str) -> QuerySet:
    return _region_under("holder_region__")(qs, code) | _region_under("holder_organisation__region__")(
        qs, code
    )


@router.get("/honours", response={200: HonourPage, **READ_ERRORS}, tags=["honours"])
def list_honours(request: HttpRequest, query: Query[HonourQuery]) -> Any:
    return paginate(
        auth.honours(auth.actor_of(request)),
        query,
        {"region": _honour_region, "year": "year", "level": "level"},
        {"year": "year", "level": "level", "title": "title"},
    )


@router.get("/honours/{id}", response={200: HonourOut, **READ_ERRORS}, tags=["honours"])
def get_honour(request: HttpRequest, id: Id) -> Any:
    return get_object_or_404(auth.honours(auth.actor_of(request)), pk=id)


class DocumentQuery(ListQuery):
    region: RegionCode | None = None
    year: Year | None = None
    kind: Literal["work_report", "article", "plan", "bulletin", "task_table", "upload", "other"] | None = None
    ordering: _order("published_on", "title") = None  # type: ignore[valid-type]


@router.get("/documents", response={200: DocumentPage, **READ_ERRORS}, tags=["sources"])
def list_documents(request: HttpRequest, query: Query[DocumentQuery]) -> Any:
    return paginate(
        auth.documents(auth.actor_of(request)),
        query,
        {"region": _region_under("region__"), "year": "year", "kind": "kind"},
        {"published_on": "published_on", "title": "title"},
    )


@router.get("/documents/{id}", response={200: DocumentOut, **READ_ERRORS}, tags=["sources"])
def get_document(request: HttpRequest, id: Id) -> Any:
    return get_object_or_404(auth.documents(auth.actor_of(request)), pk=id)


class CitationQuery(ListQuery):
    document: Id | None = None
    ordering: _order("start") = None  # type: ignore[valid-type]


@router.get("/citations", response={200: CitationPage, **READ_ERRORS}, tags=["sources"])
def list_citations(request: HttpRequest, query: Query[CitationQuery]) -> Any:
    return paginate(
        auth.citations(auth.actor_of(request)), query, {"document": "document_id"}, {"start": "start"}
    )


@router.get("/citations/{id}", response={200: CitationOut, **READ_ERRORS}, tags=["sources"])
def get_citation(request: HttpRequest, id: Id) -> Any:
    return get_object_or_404(auth.citations(auth.actor_of(request)), pk=id)
