"""Request and response shapes of the REST API (pydantic through django-ninja).

Response schemas read model instances directly (`resolve_*` for derived fields). Input schemas
carry the same limits as the model fields, so most bad input is refused with ninja's 422 before
a service runs; services still validate everything (they are the one set of rules).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.urls import reverse
from ninja import Field, Schema

from countyworks.indicators.models import Direction, Qualifier, ValueKind
from countyworks.plans.models import ItemKind, ItemStatus, Light, NodeKind, PlanStatus, ProjectStage

# Primary keys are 64-bit; bounding them keeps absurd ids a 422 instead of a database overflow.
Id = Annotated[int, Field(ge=1, le=2**62)]
Year = Annotated[int, Field(ge=1900, le=2200)]
RegionCode = Annotated[str, Field(pattern=r"^\d{2,12}$")]
Text = Annotated[str, Field(max_length=20000, pattern=r"^[^\x00]*$")]


def _choices(enum: Any) -> Any:
    return Literal[tuple(enum.values)]  # type: ignore[misc]


ItemKindValue = _choices(ItemKind)
ItemStatusValue = _choices(ItemStatus)
LightValue = _choices(Light)
StageValue = _choices(ProjectStage)


class ErrorOut(Schema):
    """Every 4xx body. `detail` is a message, or ninja's list of {loc, msg} for malformed requests."""

    detail: str | list[dict[str, Any]]
    field: str | None = None


class PageOut(Schema):
    count: int
    limit: int
    offset: int


class RegionOut(Schema):
    id: int
    code: str
    name: str
    level: str
    parent_code: str | None
    full_name: str

    @staticmethod
    def resolve_parent_code(obj: Any) -> str | None:
        return obj.parent.code if obj.parent_id else None


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    region_code: str
    parent_id: int | None

    @staticmethod
    def resolve_region_code(obj: Any) -> str:
        return obj.region.code


class PlanOut(Schema):
    id: int
    region_code: str
    year: int
    title: str
    status: _choices(PlanStatus)  # type: ignore[valid-type]
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
    kind: _choices(NodeKind)  # type: ignore[valid-type]
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


class EvidenceOut(Schema):
    id: int
    kind: str
    caption: str
    content_type: str
    url: str | None

    @staticmethod
    def resolve_url(obj: Any) -> str | None:
        # Only public evidence has an address; the portal's view checks publication again when served.
        return reverse("portal:evidence", args=[obj.pk]) if obj.public else None


class ProgressReportOut(Schema):
    id: int
    version: int
    item_id: int
    period: str
    text: str
    progress: Decimal
    unit_id: int | None
    state: Literal["submitted", "approved", "returned"]
    submitted_at: datetime
    reviewed_at: datetime | None
    review_comment: str | None = Field(
        None, description="Null for public callers: review comments are internal."
    )
    illustrative: bool
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_evidence(obj: Any) -> list[Any]:
        # Public callers get only the evidence the unit allowed to be shown (set by the endpoint).
        public_only = getattr(obj, "_public_evidence", None)
        return public_only if public_only is not None else list(obj.evidence.all())


class NoticeOut(Schema):
    id: int
    version: int
    number: str
    item_id: int
    unit_id: int
    content: str
    deadline: date
    state: Literal["issued", "acknowledged", "answered", "closed"]
    issued_at: datetime
    automatic: bool
    acknowledged_at: datetime | None
    answer: str
    answered_at: datetime | None
    closed_at: datetime | None
    illustrative: bool


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    unit: str
    direction: _choices(Direction)  # type: ignore[valid-type]
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
    value_kind: _choices(ValueKind)  # type: ignore[valid-type]
    value: Decimal
    unit: str
    qualifier: _choices(Qualifier)  # type: ignore[valid-type]
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
    qualifier: _choices(Qualifier)  # type: ignore[valid-type]
    citation_id: int | None

    @staticmethod
    def resolve_indicator_code(obj: Any) -> str:
        return obj.indicator.code

    @staticmethod
    def resolve_region_code(obj: Any) -> str | None:
        return obj.region.code if obj.region_id else None


class HonourOut(Schema):
    id: int
    title: str
    level: Literal["national", "provincial", "city", "county"]
    holder_region_code: str | None
    holder_organisation_id: int | None
    year: int | None
    issuer: str
    note: str
    published: bool
    internal: bool
    citation_id: int | None

    @staticmethod
    def resolve_holder_region_code(obj: Any) -> str | None:
        return obj.holder_region.code if obj.holder_region_id else None


class DocumentOut(Schema):
    id: int
    slug: str
    title: str
    publisher: str
    author: str
    published_on: date | None
    kind: str
    region_code: str | None
    year: int | None
    url: str
    text_sha256: str

    @staticmethod
    def resolve_region_code(obj: Any) -> str | None:
        return obj.region.code if obj.region_id else None


class CitationOut(Schema):
    id: int
    document_id: int
    start: int | None
    end: int | None
    section: str
    quote: str
    note: str


# Pages: one class per resource keeps the OpenAPI component names readable.


class RegionPage(PageOut):
    results: list[RegionOut]


class OrganisationPage(PageOut):
    results: list[OrganisationOut]


class PlanPage(PageOut):
    results: list[PlanOut]


class PlanNodePage(PageOut):
    results: list[PlanNodeOut]


class WorkItemPage(PageOut):
    results: list[WorkItemOut]


class ProgressReportPage(PageOut):
    results: list[ProgressReportOut]


class NoticePage(PageOut):
    results: list[NoticeOut]


class IndicatorPage(PageOut):
    results: list[IndicatorOut]


class ObservationPage(PageOut):
    results: list[ObservationOut]


class TargetPage(PageOut):
    results: list[TargetOut]


class HonourPage(PageOut):
    results: list[HonourOut]


class DocumentPage(PageOut):
    results: list[DocumentOut]


class CitationPage(PageOut):
    results: list[CitationOut]


# Input.

Money = Annotated[Decimal, Field(max_digits=18, decimal_places=2, ge=0)]
Percent = Annotated[Decimal, Field(max_digits=5, decimal_places=2, ge=0, le=100)]
Short = Annotated[str, Field(max_length=300, pattern=r"^[^\x00]*$")]


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


class ReportSubmit(Schema):
    item_id: Id
    period: Annotated[str, Field(max_length=10, examples=["2023-Q4"])]
    text: Text
    progress: Percent


class ReportResubmit(Schema):
    text: Text
    progress: Percent
    expected_version: Annotated[int, Field(ge=1, le=2**31 - 1)]


class ReportReview(Schema):
    approve: bool
    comment: Text = ""
    expected_version: Annotated[int, Field(ge=1, le=2**31 - 1)]


class NoticeIssue(Schema):
    item_id: Id
    unit_id: Id
    content: Text
    deadline: date


class NoticeAnswer(Schema):
    answer: Text


# Figures and targets (indicators.services). Values are Decimals, sent as JSON numbers or strings;
# the service checks the unit against the indicator's and converts a 万/亿 scale of it.

FigureValue = Annotated[Decimal, Field(max_digits=30, decimal_places=6, allow_inf_nan=False)]
Quarter = Annotated[int, Field(ge=1, le=4)]
Month = Annotated[int, Field(ge=1, le=12)]
UnitText = Annotated[str, Field(max_length=20, pattern=r"^[^\x00]*$")]
IndicatorCode = Annotated[str, Field(pattern=r"^[-a-zA-Z0-9_]{1,80}$")]
Version = Annotated[int, Field(ge=1, le=2**31 - 1)]
QualifierValue = _choices(Qualifier)
ValueKindValue = _choices(ValueKind)


class ObservationFields(Schema):
    indicator_id: Id | None = Field(None, description="The indicator, by id (or give `indicator_code`).")
    indicator_code: IndicatorCode | None = Field(None, description="The indicator, by code.")
    region_code: RegionCode | None = None
    year: Year | None = None
    quarter: Quarter | None = None
    month: Month | None = None
    value_kind: ValueKindValue | None = None  # type: ignore[valid-type]
    value: FigureValue | None = None
    unit: UnitText | None = Field(
        None, description="Blank: the indicator's unit (% for growth, 倍 for multiples)."
    )
    qualifier: QualifierValue | None = None  # type: ignore[valid-type]
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
    indicator_id: Id | None = None
    indicator_code: IndicatorCode | None = None
    region_code: RegionCode | None = None
    year: Year | None = None
    value: FigureValue | None = None
    unit: UnitText | None = None
    qualifier: QualifierValue | None = None  # type: ignore[valid-type]
    citation_id: Id | None = None


class TargetCreate(TargetFields):
    region_code: RegionCode
    year: Year
    value: FigureValue


class TargetUpdate(TargetFields):
    expected_version: Version = Field(
        ..., description="The `version` you read; a newer stored version answers 409."
    )
