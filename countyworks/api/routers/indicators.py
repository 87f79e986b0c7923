"""Indicators, figures (observations) and targets; figures and targets are written through
`indicators.services`, as on the screens and in the Excel import."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db import transaction
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
    RegionCode,
    Short,
    Year,
    choices,
)
from countyworks.api.listing import ListQuery, orderings_of, paginate, region_under
from countyworks.core.services import PermissionDenied, ServiceError
from countyworks.indicators import services
from countyworks.indicators.models import Direction, Qualifier, ValueKind
from countyworks.regions.models import Region


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    unit: str
    direction: choices(Direction)  # type: ignore[valid-type]
    area: str
    description: str
    headline: bool


class ObservationOut(Schema):
    id: int
    version: int
    indicator_id: int
    indicator_code: str
    region_code: str | None
    organisation_id: int | None
    year: int
    quarter: int | None
    month: int | None
    value_kind: choices(ValueKind)  # type: ignore[valid-type]
    value: Decimal
    unit: str
    qualifier: choices(Qualifier)  # type: ignore[valid-type]
    base_year: int | None
    base_label: str
    doubtful: bool
    note: str
    published: bool
    internal: bool
    illustrative: bool
    citation_id: int | None

    @staticmethod
    def resolve_indicator_code(obj: Any) -> str:
        return obj.indicator.code

    @staticmethod
    def resolve_region_code(obj: Any) -> str | None:
        return obj.region.code if obj.region_id else None


class TargetOut(Schema):
    id: int
    version: int
    indicator_id: int
    indicator_code: str
    region_code: str | None
    organisation_id: int | None
    year: int
    value: Decimal
    unit: str
    qualifier: choices(Qualifier)  # type: ignore[valid-type]
    citation_id: int | None

    @staticmethod
    def resolve_indicator_code(obj: Any) -> str:
        return obj.indicator.code

    @staticmethod
    def resolve_region_code(obj: Any) -> str | None:
        return obj.region.code if obj.region_id else None


class IndicatorPage(PageOut):
    results: list[IndicatorOut]


class ObservationPage(PageOut):
    results: list[ObservationOut]


class TargetPage(PageOut):
    results: list[TargetOut]


# As stored (DecimalField(max_digits=24, decimal_places=6)), with the bounds written into the schema.
FIGURE_LIMIT = Decimal("999999999999999999.999999")
FigureValue = Annotated[
    Decimal,
    Field(max_digits=24, decimal_places=6, allow_inf_nan=False, ge=-FIGURE_LIMIT, le=FIGURE_LIMIT),
]
Quarter = Annotated[int, Field(ge=1, le=4)]
Month = Annotated[int, Field(ge=1, le=12)]
UnitText = Annotated[str, Field(max_length=20, pattern=r"^[^\x00]*$")]
IndicatorCode = Annotated[str, Field(pattern=r"^[-a-zA-Z0-9_]{1,80}$")]
Version = Annotated[int, Field(ge=1, le=2**31 - 1)]
QualifierValue = choices(Qualifier)
ValueKindValue = choices(ValueKind)


class ObservationFields(Schema):
    indicator_id: Id = Field(None, description="The indicator, by id (or give `indicator_code`).")
    indicator_code: IndicatorCode = Field(None, description="The indicator, by code.")
    region_code: RegionCode = None
    year: Year = None
    quarter: Quarter | None = None
    month: Month | None = None
    value_kind: ValueKindValue = None  # type: ignore[valid-type]
    value: FigureValue = None
    unit: UnitText | None = Field(
        None, description="Blank: the indicator's unit (% for growth, 倍 for multiples)."
    )
    qualifier: QualifierValue = None  # type: ignore[valid-type]
    base_year: Year | None = None
    base_label: Annotated[str, Field(max_length=40, pattern=r"^[^\x00]*$")] | None = None
    note: Short | None = None
    citation_id: Id | None = None
    published: bool | None = None


class ObservationCreate(ObservationFields):
    region_code: RegionCode
    year: Year
    value: FigureValue


class ObservationUpdate(ObservationFields):
    expected_version: Version = Field(
        ..., description="The `version` you read; a newer stored version answers 409."
    )


class TargetFields(Schema):
    indicator_id: Id = None
    indicator_code: IndicatorCode = None
    region_code: RegionCode = None
    year: Year = None
    value: FigureValue = None
    unit: UnitText | None = None
    qualifier: QualifierValue = None  # type: ignore[valid-type]
    citation_id: Id | None = None


class TargetCreate(TargetFields):
    region_code: RegionCode
    year: Year
    value: FigureValue


class TargetUpdate(TargetFields):
    expected_version: Version = Field(
        ..., description="The `version` you read; a newer stored version answers 409."
    )


router = Router()


class IndicatorQuery(ListQuery):
    area: Annotated[str, Field(max_length=60, pattern=r"^[^\x00]*$")] | None = None
    headline: bool | None = None
    ordering: orderings_of("name", "code", "area") = None  # type: ignore[valid-type]


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
    ordering: orderings_of("year", "indicator", "value") = None  # type: ignore[valid-type]


@router.get("/observations", response={200: ObservationPage, **READ_ERRORS}, tags=["indicators"])
def list_observations(request: HttpRequest, query: Query[ObservationQuery]) -> Any:
    return paginate(
        auth.observations(auth.actor_of(request)),
        query,
        {
            "region": region_under("region__"),
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
    ordering: orderings_of("year", "indicator") = None  # type: ignore[valid-type]


@router.get("/targets", response={200: TargetPage, **READ_ERRORS}, tags=["indicators"])
def list_targets(request: HttpRequest, query: Query[TargetQuery]) -> Any:
    return paginate(
        auth.targets(auth.actor_of(request)),
        query,
        {"region": region_under("region__"), "year": "year", "indicator": "indicator__code"},
        {"year": "year", "indicator": "indicator__code"},
    )


@router.get("/targets/{id}", response={200: TargetOut, **READ_ERRORS}, tags=["indicators"])
def get_target(request: HttpRequest, id: Id) -> Any:
    return get_object_or_404(auth.targets(auth.actor_of(request)), pk=id)


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
    actor = auth.actor_of(request)
    actor.require_write()
    fields = _figure_fields(actor, payload.dict(exclude_unset=True), creating=True)
    return Status(201, _figure_write(services.create_observation, actor.user, **fields))


@router.patch("/observations/{id}", response={200: ObservationOut, **WRITE_ERRORS}, tags=["indicators"])
def update_observation(request: HttpRequest, id: Id, payload: ObservationUpdate) -> Any:
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
    actor = auth.actor_of(request)
    actor.require_write()
    fields = _figure_fields(actor, payload.dict(exclude_unset=True), creating=True)
    return Status(201, _figure_write(services.create_target, actor.user, **fields))


@router.patch("/targets/{id}", response={200: TargetOut, **WRITE_ERRORS}, tags=["indicators"])
def update_target(request: HttpRequest, id: Id, payload: TargetUpdate) -> Any:
    actor = auth.actor_of(request)
    actor.require_write()
    target = get_object_or_404(auth.targets(actor), pk=id)
    data = payload.dict(exclude_unset=True)
    expected_version = data.pop("expected_version")
    fields = _figure_fields(actor, data, creating=False)
    return _figure_write(
        services.update_target, actor.user, target, expected_version=expected_version, **fields
    )
