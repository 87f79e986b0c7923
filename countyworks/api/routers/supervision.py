"""Progress reports and supervision notices, written through `supervision.services`, as on the screens."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from countyworks.accounts import policy
from countyworks.api import auth, idempotency
from countyworks.api.common import (
    READ_ERRORS,
    WRITE_ERRORS,
    Id,
    PageOut,
    Percent,
    RegionCode,
    Text,
    Year,
)
from countyworks.api.listing import ListQuery, orderings_of, paginate, region_under
from countyworks.core.services import ServiceError
from countyworks.regions.models import Organisation
from countyworks.supervision import services


class EvidenceOut(Schema):
    id: int
    kind: str
    caption: str
    content_type: str
    public: bool
    url: str | None

    @staticmethod
    def resolve_url(obj: Any) -> str | None:
        # Only public evidence has an address; the portal's view checks publication again when served.
        return reverse("portal:evidence", args=[obj.token]) if obj.public else None


class ProgressReportOut(Schema):
    id: int
    version: int
    item_id: int
    period: str
    text: str
    progress: Decimal
    unit_id: int | None
    state: Literal["with_head", "submitted", "approved", "returned"] = Field(
        description="with_head: waiting for the unit head's approval (单位审签); only the unit reads it."
    )
    submitted_at: datetime
    reviewed_at: datetime | None
    review_comment: str | None = Field(
        None, description="Null for public callers: review comments are internal."
    )
    illustrative: bool
    entered_by_office: bool = Field(
        description="Entered by the supervision office on the unit's behalf (督查室代填), e.g. from a progress text."
    )
    late: bool = Field(
        description="Submitted after its period's reporting window closed, by the cycle in force then (逾期报送)."
    )
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
    instruction_id: int | None = Field(
        None, description="The leader's instruction (批示) this notice carries."
    )
    illustrative: bool


class ProgressReportPage(PageOut):
    results: list[ProgressReportOut]


class NoticePage(PageOut):
    results: list[NoticeOut]


class ReportSubmit(Schema):
    item_id: Id
    period: Annotated[
        str,
        Field(
            max_length=10,
            examples=["2023-Q4"],
            description="2023, 2023-Q4, 2023-11, 2023-11-H1 (first half), 2023-W05 (ISO week), or in words (2023年11月).",
        ),
    ]
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


class ReportHeadReview(Schema):
    approve: bool = Field(description="True: on to the office's review queue; false: back to the reporter.")
    comment: Text = Field("", description="Required when the report is returned.")
    expected_version: Annotated[int, Field(ge=1, le=2**31 - 1)]


class EvidencePublicity(Schema):
    public: bool


class NoticeIssue(Schema):
    item_id: Id
    unit_id: Id
    content: Text
    deadline: date


class NoticeAnswer(Schema):
    answer: Text


router = Router()


class ReportQuery(ListQuery):
    region: RegionCode | None = None
    year: Year | None = None
    item: Id | None = None
    unit: Id | None = None
    state: Literal["with_head", "submitted", "approved", "returned"] | None = None
    period: (
        Annotated[
            str, Field(pattern=r"^[0-9]{4}(-Q[1-4]|-W(0[1-9]|[1-4][0-9]|5[0-3])|-(0[1-9]|1[0-2])(-H[12])?)?$")
        ]
        | None
    ) = None
    ordering: orderings_of("submitted_at", "period", "progress") = None  # type: ignore[valid-type]


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
            "region": region_under("item__plan__region__"),
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
    actor = auth.actor_of(request)
    actor.require_write()
    item = auth.items(actor).filter(pk=payload.item_id).first()
    if item is None:
        raise ServiceError(_("No work item with this id that you may read."), field="item_id")
    key = idempotency.check_key(request.headers.get("Idempotency-Key"))

    def write() -> Any:
        return services.submit_report(
            actor.user, item, period=payload.period, text=payload.text, progress=payload.progress
        )

    if not key:
        return Status(201, write())
    # A retry with the same key answers with the report the first request stored (issue 14).
    pk = idempotency.once(actor.user, "submit_report", key, payload.model_dump_json(), write)
    return Status(201, get_object_or_404(auth.reports(actor), pk=pk))


@router.post(
    "/reports/{id}/review", response={200: ProgressReportOut, **WRITE_ERRORS}, tags=["progress reports"]
)
def review_report(request: HttpRequest, id: Id, payload: ReportReview) -> Any:
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
    "/reports/{id}/head-review", response={200: ProgressReportOut, **WRITE_ERRORS}, tags=["progress reports"]
)
def head_review_report(request: HttpRequest, id: Id, payload: ReportHeadReview) -> Any:
    """单位审签: the head of the reporting unit approves the report for the office or returns it."""
    from countyworks.supervision import procedure_services

    actor = auth.actor_of(request)
    actor.require_write()
    report = get_object_or_404(auth.reports(actor), pk=id)
    return procedure_services.head_review_report(
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


@router.post("/evidence/{id}/public", response={200: EvidenceOut, **WRITE_ERRORS}, tags=["progress reports"])
def set_evidence_public(request: HttpRequest, id: Id, payload: EvidencePublicity) -> Any:
    """The reporting unit (or the office) shows one evidence file publicly or keeps it internal."""
    actor = auth.actor_of(request)
    actor.require_write()
    evidence = get_object_or_404(
        policy.visible_evidence(actor.user).filter(report__in=auth.reports(actor)), pk=id
    )
    return services.set_evidence_public(actor.user, evidence, payload.public)


class NoticeQuery(ListQuery):
    item: Id | None = None
    unit: Id | None = None
    state: Literal["issued", "acknowledged", "answered", "closed"] | None = None
    year: Year | None = None
    ordering: orderings_of("issued_at", "deadline", "state") = None  # type: ignore[valid-type]


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
