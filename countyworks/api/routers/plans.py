"""Plans, goal-tree nodes and work items; items are written through `plans.services`, as on the screens."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from countyworks.api import auth
from countyworks.api.common import (
    READ_ERRORS,
    WRITE_ERRORS,
    Id,
    PageOut,
    Percent,
    RegionCode,
    Short,
    Text,
    Year,
    choices,
)
from countyworks.api.listing import ListQuery, orderings_of, paginate, region_under
from countyworks.core.services import PermissionDenied, ServiceError
from countyworks.plans import services
from countyworks.plans.models import (
    ItemKind,
    ItemStatus,
    Light,
    NodeKind,
    PlanNode,
    PlanStatus,
    ProjectStage,
    ReportCadence,
)
from countyworks.regions.models import Organisation, Person

ItemKindValue = choices(ItemKind)
ItemStatusValue = choices(ItemStatus)
LightValue = choices(Light)
StageValue = choices(ProjectStage)
ReportCadenceValue = choices(ReportCadence)


class PlanOut(Schema):
    id: int
    region_code: str
    year: int
    title: str
    status: choices(PlanStatus)  # type: ignore[valid-type]
    description: str
    published: bool
    internal: bool
    citation_id: int | None

    @staticmethod
    def resolve_region_code(obj: Any) -> str:
        return obj.region.code


class PlanNodeOut(Schema):
    id: int
    plan_id: int
    parent_id: int | None
    kind: choices(NodeKind)  # type: ignore[valid-type]
    number: str
    title: str
    description: str
    order: int
    weight: Decimal
    citation_id: int | None


class WorkItemOut(Schema):
    id: int
    version: int
    plan_id: int
    region_code: str
    year: int
    node_id: int | None
    kind: ItemKindValue  # type: ignore[valid-type]
    number: str
    title: str
    description: str
    target: str
    target_value: Decimal | None
    target_unit: str
    lead_unit_id: int | None
    lead_unit_name: str | None
    lead_leader_name: str | None
    co_unit_ids: list[int]
    start_date: date | None
    due_date: date | None
    original_due_date: date | None = Field(
        None, description="The deadline before an approved extension (原定期限); null when never extended."
    )
    report_cadence: ReportCadenceValue | Literal[""] = Field(  # type: ignore[valid-type]
        "", description="报送频次 set on the item; empty: the plan's reporting cycle for its kind decides."
    )
    completed_on: date | None
    progress: Decimal
    weight: Decimal
    status: ItemStatusValue  # type: ignore[valid-type]
    light: LightValue  # type: ignore[valid-type]
    is_overdue: bool
    stage: str
    total_investment: Decimal | None
    annual_planned_investment: Decimal | None
    annual_completed_investment: Decimal | None
    promised_on: date | None
    beneficiaries: str
    beneficiary_count: int | None
    problem: str
    measures: str
    closed_on: date | None
    research_report: str
    party_lecture_delivered: bool
    party_lecture_on: date | None
    published: bool
    internal: bool
    illustrative: bool
    citation_id: int | None

    @staticmethod
    def resolve_region_code(obj: Any) -> str:
        return obj.plan.region.code

    @staticmethod
    def resolve_year(obj: Any) -> int:
        return obj.plan.year

    @staticmethod
    def resolve_lead_unit_name(obj: Any) -> str | None:
        return obj.lead_unit.name if obj.lead_unit_id else None

    @staticmethod
    def resolve_lead_leader_name(obj: Any) -> str | None:
        # The leader's name and title are public in the work report; the person's phone never is.
        return str(obj.lead_leader) if obj.lead_leader_id else None

    @staticmethod
    def resolve_co_unit_ids(obj: Any) -> list[int]:
        return sorted(unit.pk for unit in obj.co_units.all())


class PlanPage(PageOut):
    results: list[PlanOut]


class PlanNodePage(PageOut):
    results: list[PlanNodeOut]


class WorkItemPage(PageOut):
    results: list[WorkItemOut]


Money = Annotated[Decimal, Field(max_digits=18, decimal_places=2, ge=0)]


class WorkItemFields(Schema):
    """Fields a supervisor may set on an item (plans.services.EDITABLE_FIELDS), ids for relations."""

    node_id: Id | None = None
    kind: ItemKindValue | None = None  # type: ignore[valid-type]
    number: Annotated[str, Field(max_length=20, pattern=r"^[^\x00]*$")] | None = None
    title: Short | None = None
    description: Text | None = None
    target: Text | None = None
    target_value: Annotated[Decimal, Field(max_digits=20, decimal_places=4)] | None = None
    target_unit: Annotated[str, Field(max_length=20, pattern=r"^[^\x00]*$")] | None = None
    lead_leader_id: Id | None = None
    lead_unit_id: Id | None = None
    co_unit_ids: Annotated[list[Id], Field(max_length=50)] | None = None
    start_date: date | None = None
    due_date: date | None = None
    report_cadence: ReportCadenceValue | Literal[""] | None = None  # type: ignore[valid-type]
    completed_on: date | None = None
    progress: Percent | None = None
    weight: Annotated[Decimal, Field(max_digits=6, decimal_places=2, ge=0)] | None = None
    status: ItemStatusValue | None = None  # type: ignore[valid-type]
    stage: StageValue | Literal[""] | None = None  # type: ignore[valid-type]
    total_investment: Money | None = None
    annual_planned_investment: Money | None = None
    annual_completed_investment: Money | None = None
    promised_on: date | None = None
    beneficiaries: Annotated[str, Field(max_length=200, pattern=r"^[^\x00]*$")] | None = None
    beneficiary_count: Annotated[int, Field(ge=0, le=2**31 - 1)] | None = None
    problem: Text | None = None
    measures: Text | None = None
    closed_on: date | None = None
    research_report: Text | None = None
    party_lecture_delivered: bool | None = None
    party_lecture_on: date | None = None
    published: bool | None = None
    internal: bool | None = None


class WorkItemCreate(WorkItemFields):
    plan_id: Id
    title: Short


class WorkItemUpdate(WorkItemFields):
    expected_version: Annotated[int, Field(ge=1, le=2**31 - 1)] = Field(
        ..., description="The `version` you read; a newer stored version answers 409."
    )


router = Router()


class PlanQuery(ListQuery):
    region: RegionCode | None = None
    year: Year | None = None
    status: Literal["draft", "active", "closed"] | None = None
    ordering: orderings_of("year", "title", "region") = None  # type: ignore[valid-type]


@router.get("/plans", response={200: PlanPage, **READ_ERRORS}, tags=["plans"])
def list_plans(request: HttpRequest, query: Query[PlanQuery]) -> Any:
    return paginate(
        auth.plans(auth.actor_of(request)),
        query,
        {"region": region_under("region__"), "year": "year", "status": "status"},
        {"year": "year", "title": "title", "region": "region__code"},
    )


@router.get("/plans/{id}", response={200: PlanOut, **READ_ERRORS}, tags=["plans"])
def get_plan(request: HttpRequest, id: Id) -> Any:
    return get_object_or_404(auth.plans(auth.actor_of(request)), pk=id)


class PlanNodeQuery(ListQuery):
    plan: Id | None = None
    parent: Id | None = None
    kind: Literal["goal", "area", "direction", "task_group"] | None = None
    ordering: orderings_of("order", "title") = None  # type: ignore[valid-type]


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
    ordering: orderings_of("due_date", "progress", "title", "status", "light", "number") = None  # type: ignore[valid-type]


def _unit_takes_part(qs: QuerySet, unit_id: int) -> QuerySet:
    return qs.filter(Q(lead_unit_id=unit_id) | Q(co_units__id=unit_id)).distinct()


@router.get("/items", response={200: WorkItemPage, **READ_ERRORS}, tags=["work items"])
def list_items(request: HttpRequest, query: Query[WorkItemQuery]) -> Any:
    return paginate(
        auth.items(auth.actor_of(request)).prefetch_related("co_units"),
        query,
        {
            "region": region_under("plan__region__"),
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


# The service names the model's fields; the API's payload names the ids.
_PAYLOAD_FIELDS = {
    "node": "node_id",
    "lead_unit": "lead_unit_id",
    "lead_leader": "lead_leader_id",
    "co_units": "co_unit_ids",
}


@contextmanager
def _payload_field_names() -> Iterator[None]:
    """Re-raise a service's refusal under the payload's field name (lead_unit → lead_unit_id)."""
    try:
        yield
    except PermissionDenied:
        raise
    except ServiceError as exc:
        if exc.field in _PAYLOAD_FIELDS:
            exc.field = _PAYLOAD_FIELDS[exc.field]
        raise


def _item_relations(actor: auth.Actor, data: dict[str, Any], plan: Any) -> dict[str, Any]:
    """Turn `*_id` inputs into objects, refusing unknown ids by field name. Whether a unit, a leader
    or a node may serve this plan is the service's rule (plans.services.check_references), the same
    for the screens, the Excel import and reading."""
    fields = {
        k: v for k, v in data.items() if k not in ("node_id", "lead_unit_id", "lead_leader_id", "co_unit_ids")
    }
    if "node_id" in data:
        fields["node"] = None
        if data["node_id"] is not None:
            fields["node"] = PlanNode.objects.filter(pk=data["node_id"], plan=plan).first()
            if fields["node"] is None:
                raise ServiceError(_("No goal tree node with this id in the item's plan."), field="node_id")
    units = Organisation.objects.all()
    if "lead_unit_id" in data:
        fields["lead_unit"] = None
        if data["lead_unit_id"] is not None:
            fields["lead_unit"] = units.filter(pk=data["lead_unit_id"]).first()
            if fields["lead_unit"] is None:
                raise ServiceError(_("No organisation with this id."), field="lead_unit_id")
    if "lead_leader_id" in data:
        fields["lead_leader"] = None
        if data["lead_leader_id"] is not None:
            fields["lead_leader"] = Person.objects.filter(pk=data["lead_leader_id"]).first()
            if fields["lead_leader"] is None:
                raise ServiceError(_("No person with this id."), field="lead_leader_id")
    if data.get("co_unit_ids") is not None:
        wanted = set(data["co_unit_ids"])
        found = list(units.filter(pk__in=wanted))
        if len(found) != len(wanted):
            raise ServiceError(_("Some co-operating units do not exist."), field="co_unit_ids")
        fields["co_units"] = found
    return fields


@router.post("/items", response={201: WorkItemOut, **WRITE_ERRORS}, tags=["work items"])
def create_item(request: HttpRequest, payload: WorkItemCreate) -> Any:
    actor = auth.actor_of(request)
    actor.require_write()
    data = payload.dict(exclude_unset=True)
    plan = auth.plans(actor).filter(pk=data.pop("plan_id")).first()
    if plan is None:
        raise ServiceError(_("No plan with this id that you may read."), field="plan_id")
    with transaction.atomic(), _payload_field_names():
        fields = _item_relations(actor, _drop_nulls(data), plan)
        item = services.create_item(actor.user, plan, **fields)
    # Read back through the actor's items: the answer carries today's light like every other read.
    return Status(201, auth.items(actor).get(pk=item.pk))


def _drop_nulls(data: dict[str, Any]) -> dict[str, Any]:
    """On create, a null means "not given": the model default applies (nullable relations excepted)."""
    keep_null = {"node_id", "lead_unit_id", "lead_leader_id"}
    return {k: v for k, v in data.items() if v is not None or k in keep_null}


@router.patch("/items/{id}", response={200: WorkItemOut, **WRITE_ERRORS}, tags=["work items"])
def update_item(request: HttpRequest, id: Id, payload: WorkItemUpdate) -> Any:
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
    with transaction.atomic(), _payload_field_names():
        fields = _item_relations(actor, data, item.plan)
        item = services.update_item(actor.user, item, expected_version=expected_version, **fields)
    return auth.items(actor).get(pk=item.pk)


@router.delete("/items/{id}", response={204: None, **WRITE_ERRORS}, tags=["work items"])
def delete_item(request: HttpRequest, id: Id) -> Any:
    actor = auth.actor_of(request)
    actor.require_write()
    services.delete_item(actor.user, get_object_or_404(auth.items(actor), pk=id))
    return Status(204, None)
