"""The supervision procedure (issue 13): 延期申请, written through `supervision.procedure_services`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from countyworks.accounts import policy
from countyworks.api import auth
from countyworks.api.common import READ_ERRORS, WRITE_ERRORS, Id, PageOut, Text
from countyworks.api.listing import ListQuery, orderings_of, paginate
from countyworks.core.services import ServiceError
from countyworks.supervision import procedure_services

router = Router()
Version = Annotated[int, Field(ge=1, le=2**31 - 1)]


class ExtensionOut(Schema):
    id: int
    version: int
    item_id: int
    unit_id: int
    state: Literal["pending", "approved", "refused"]
    current_due_date: date | None = Field(None, description="The item's deadline when the unit applied.")
    requested_due_date: date
    approved_due_date: date | None = Field(None, description="The deadline granted (延期至).")
    reason: str
    applied_at: datetime
    decided_at: datetime | None
    decision_comment: str


class ExtensionPage(PageOut):
    results: list[ExtensionOut]


class ExtensionApply(Schema):
    item_id: Id
    requested_due_date: date
    reason: Text


class ExtensionDecide(Schema):
    approve: bool
    new_due_date: date | None = Field(None, description="Empty: the requested deadline is granted.")
    comment: Text = ""
    expected_version: Version


class ExtensionQuery(ListQuery):
    item: Id | None = None
    unit: Id | None = None
    state: Literal["pending", "approved", "refused"] | None = None
    ordering: orderings_of("applied_at", "requested_due_date", "state") = None  # type: ignore[valid-type]


def _extensions(actor: auth.Actor) -> Any:
    qs = policy.visible_extension_requests(actor.user)
    return auth.narrow(qs, actor, "item__plan__region").select_related("item__plan__region")


@router.get("/extensions", response={200: ExtensionPage, **READ_ERRORS}, tags=["procedure"])
def list_extensions(request: HttpRequest, query: Query[ExtensionQuery]) -> Any:
    return paginate(
        _extensions(auth.actor_of(request)),
        query,
        {"item": "item_id", "unit": "unit_id", "state": "state"},
        {"applied_at": "applied_at", "requested_due_date": "requested_due_date", "state": "state"},
    )


@router.get("/extensions/{id}", response={200: ExtensionOut, **READ_ERRORS}, tags=["procedure"])
def get_extension(request: HttpRequest, id: Id) -> Any:
    return get_object_or_404(_extensions(auth.actor_of(request)), pk=id)


@router.post("/extensions", response={201: ExtensionOut, **WRITE_ERRORS}, tags=["procedure"])
def apply_for_extension(request: HttpRequest, payload: ExtensionApply) -> Any:
    actor = auth.actor_of(request)
    actor.require_write()
    item = auth.items(actor).filter(pk=payload.item_id).first()
    if item is None:
        raise ServiceError(_("No work item with this id that you may read."), field="item_id")
    extension = procedure_services.apply_for_extension(
        actor.user, item, requested_due_date=payload.requested_due_date, reason=payload.reason
    )
    return Status(201, extension)


@router.post("/extensions/{id}/decide", response={200: ExtensionOut, **WRITE_ERRORS}, tags=["procedure"])
def decide_extension(request: HttpRequest, id: Id, payload: ExtensionDecide) -> Any:
    actor = auth.actor_of(request)
    actor.require_write()
    extension = get_object_or_404(_extensions(actor), pk=id)
    return procedure_services.decide_extension(
        actor.user,
        extension,
        approve=payload.approve,
        new_due_date=payload.new_due_date,
        comment=payload.comment,
        expected_version=payload.expected_version,
    )


class SignOffOut(Schema):
    id: int
    version: int
    item_id: int
    unit_id: int
    role: Literal["lead", "co"]
    assigned_at: datetime
    signed_at: datetime | None
    withdrawn_at: datetime | None


class SignOffPage(PageOut):
    results: list[SignOffOut]


class SignOffSign(Schema):
    expected_version: Version


class SignOffQuery(ListQuery):
    item: Id | None = None
    unit: Id | None = None
    ordering: orderings_of("assigned_at", "signed_at") = None  # type: ignore[valid-type]


def _signoffs(actor: auth.Actor) -> Any:
    qs = policy.visible_signoffs(actor.user)
    return auth.narrow(qs, actor, "item__plan__region").select_related("item__plan__region")


@router.get("/signoffs", response={200: SignOffPage, **READ_ERRORS}, tags=["procedure"])
def list_signoffs(request: HttpRequest, query: Query[SignOffQuery]) -> Any:
    return paginate(
        _signoffs(auth.actor_of(request)),
        query,
        {"item": "item_id", "unit": "unit_id"},
        {"assigned_at": "assigned_at", "signed_at": "signed_at"},
    )


@router.post("/signoffs/{id}/sign", response={200: SignOffOut, **WRITE_ERRORS}, tags=["procedure"])
def sign_assignment(request: HttpRequest, id: Id, payload: SignOffSign) -> Any:
    actor = auth.actor_of(request)
    actor.require_write()
    row = get_object_or_404(_signoffs(actor), pk=id)
    return procedure_services.sign_assignment(actor.user, row, expected_version=payload.expected_version)


# --- 办结 / 销号 -------------------------------------------------------------------------------------

ClosureStateName = Literal["pending", "closed", "returned", "reopened"]


class ClosureOut(Schema):
    id: int
    version: int
    item_id: int
    unit_id: int
    state: ClosureStateName
    summary: str = Field(description="What the lead unit says was done.")
    has_evidence: bool = Field(description="Whether a file of evidence came with the application.")
    applied_at: datetime
    decided_at: datetime | None
    decision_comment: str
    reopened_at: datetime | None
    reopen_reason: str

    @staticmethod
    def resolve_has_evidence(obj: Any) -> bool:
        return bool(obj.evidence)


class ClosurePage(PageOut):
    results: list[ClosureOut]


class ClosureApply(Schema):
    item_id: Id
    summary: Text


class ClosureDecide(Schema):
    approve: bool
    comment: Text = Field("", description="Required when returned: what is missing.")
    expected_version: Version


class ItemReopen(Schema):
    reason: Text
    expected_version: Version


class ItemReopened(Schema):
    item_id: int
    version: int
    status: str


class ClosureQuery(ListQuery):
    item: Id | None = None
    unit: Id | None = None
    state: ClosureStateName | None = None
    ordering: orderings_of("applied_at", "state") = None  # type: ignore[valid-type]


def _closures(actor: auth.Actor) -> Any:
    qs = policy.visible_closure_requests(actor.user)
    return auth.narrow(qs, actor, "item__plan__region").select_related("item__plan__region")


@router.get("/closures", response={200: ClosurePage, **READ_ERRORS}, tags=["procedure"])
def list_closures(request: HttpRequest, query: Query[ClosureQuery]) -> Any:
    return paginate(
        _closures(auth.actor_of(request)),
        query,
        {"item": "item_id", "unit": "unit_id", "state": "state"},
        {"applied_at": "applied_at", "state": "state"},
    )


@router.get("/closures/{id}", response={200: ClosureOut, **READ_ERRORS}, tags=["procedure"])
def get_closure(request: HttpRequest, id: Id) -> Any:
    return get_object_or_404(_closures(auth.actor_of(request)), pk=id)


@router.post("/closures", response={201: ClosureOut, **WRITE_ERRORS}, tags=["procedure"])
def apply_for_closure(request: HttpRequest, payload: ClosureApply) -> Any:
    """A rectification item is struck off (销号) with a file of evidence: use the item page for those."""
    actor = auth.actor_of(request)
    actor.require_write()
    item = auth.items(actor).filter(pk=payload.item_id).first()
    if item is None:
        raise ServiceError(_("No work item with this id that you may read."), field="item_id")
    closure = procedure_services.apply_for_closure(actor.user, item, summary=payload.summary)
    return Status(201, closure)


@router.post("/closures/{id}/decide", response={200: ClosureOut, **WRITE_ERRORS}, tags=["procedure"])
def decide_closure(request: HttpRequest, id: Id, payload: ClosureDecide) -> Any:
    actor = auth.actor_of(request)
    actor.require_write()
    closure = get_object_or_404(_closures(actor), pk=id)
    return procedure_services.decide_closure(
        actor.user,
        closure,
        approve=payload.approve,
        comment=payload.comment,
        expected_version=payload.expected_version,
    )


@router.post("/items/{id}/reopen", response={200: ItemReopened, **WRITE_ERRORS}, tags=["procedure"])
def reopen_item(request: HttpRequest, id: Id, payload: ItemReopen) -> Any:
    actor = auth.actor_of(request)
    actor.require_write()
    item = get_object_or_404(auth.items(actor).select_related("plan__region"), pk=id)
    item = procedure_services.reopen_item(
        actor.user, item, reason=payload.reason, expected_version=payload.expected_version
    )
    return {"item_id": item.pk, "version": item.version, "status": item.status}


# --- 批示 that assign work --------------------------------------------------------------------------


class InstructionOut(Schema):
    id: int
    item_id: int
    author_id: int
    text: str
    created_at: datetime
    deadline: date | None = Field(None, description="Answer by: set when addressed to units.")
    state: Literal["", "issued", "acknowledged", "answered", "closed"] = Field(
        description="Empty for a plain comment; else the state of its slowest unit's notice."
    )
    notice_ids: list[int] = Field(description="One notice per addressed unit: sign for, answer, close it.")
    created_item_id: int | None = Field(None, description="The work item made from this instruction.")

    @staticmethod
    def resolve_state(obj: Any) -> str:
        return procedure_services.instruction_state(obj)

    @staticmethod
    def resolve_notice_ids(obj: Any) -> list[int]:
        return [notice.pk for notice in obj.notices.all()]


class InstructionPage(PageOut):
    results: list[InstructionOut]


class InstructionAdd(Schema):
    item_id: Id
    text: Text
    unit_ids: list[Id] = Field(default_factory=list, max_length=200, description="Units to assign it to.")
    deadline: date | None = Field(None, description="Required with unit_ids.")


class InstructionItemMade(Schema):
    instruction_id: int
    item_id: int


class InstructionToItem(Schema):
    plan_id: Id
    title: Annotated[str, Field(max_length=200)] = ""


class InstructionQuery(ListQuery):
    item: Id | None = None
    ordering: orderings_of("created_at", "deadline") = None  # type: ignore[valid-type]


def _instructions(actor: auth.Actor) -> Any:
    qs = policy.visible_instructions(actor.user)
    return auth.narrow(qs, actor, "item__plan__region").prefetch_related("notices")


@router.get("/instructions", response={200: InstructionPage, **READ_ERRORS}, tags=["procedure"])
def list_instructions(request: HttpRequest, query: Query[InstructionQuery]) -> Any:
    return paginate(
        _instructions(auth.actor_of(request)),
        query,
        {"item": "item_id"},
        {"created_at": "created_at", "deadline": "deadline"},
    )


@router.get("/instructions/{id}", response={200: InstructionOut, **READ_ERRORS}, tags=["procedure"])
def get_instruction(request: HttpRequest, id: Id) -> Any:
    return get_object_or_404(_instructions(auth.actor_of(request)), pk=id)


@router.post("/instructions", response={201: InstructionOut, **WRITE_ERRORS}, tags=["procedure"])
def add_instruction(request: HttpRequest, payload: InstructionAdd) -> Any:
    """A county leader's instruction on an item; with unit_ids and a deadline it assigns work."""
    from countyworks.regions.models import Organisation
    from countyworks.supervision import services

    actor = auth.actor_of(request)
    actor.require_write()
    item = auth.items(actor).filter(pk=payload.item_id).first()
    if item is None:
        raise ServiceError(_("No work item with this id that you may read."), field="item_id")
    units = list(Organisation.objects.filter(pk__in=payload.unit_ids).select_related("region"))
    if len(units) != len(set(payload.unit_ids)):
        raise ServiceError(_("No unit with one of these ids."), field="unit_ids")
    instruction = services.add_instruction(
        actor.user, item, text=payload.text, units=units, deadline=payload.deadline
    )
    return Status(201, get_object_or_404(_instructions(actor), pk=instruction.pk))


@router.post(
    "/instructions/{id}/item", response={201: InstructionItemMade, **WRITE_ERRORS}, tags=["procedure"]
)
def make_item_from_instruction(request: HttpRequest, id: Id, payload: InstructionToItem) -> Any:
    """The office turns the instruction into a new item of one of its plans (the instruction is its source)."""
    actor = auth.actor_of(request)
    actor.require_write()
    instruction = get_object_or_404(_instructions(actor), pk=id)
    plan = auth.narrow(policy.visible_plans(actor.user), actor, "region").filter(pk=payload.plan_id).first()
    if plan is None:
        raise ServiceError(_("No plan with this id that you may read."), field="plan_id")
    item = procedure_services.make_item_from_instruction(
        actor.user, instruction, plan=plan, title=payload.title
    )
    return Status(201, {"item_id": item.pk, "instruction_id": instruction.pk})
