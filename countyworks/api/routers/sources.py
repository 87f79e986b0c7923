"""Source documents and citations: read only."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from countyworks.api import auth
from countyworks.api.common import (
    READ_ERRORS,
    Id,
    PageOut,
    RegionCode,
    Year,
)
from countyworks.api.listing import ListQuery, orderings_of, paginate, region_under


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


class DocumentPage(PageOut):
    results: list[DocumentOut]


class CitationPage(PageOut):
    results: list[CitationOut]


router = Router()


class DocumentQuery(ListQuery):
    region: RegionCode | None = None
    year: Year | None = None
    kind: (
        Literal["work_report", "article", "plan", "bulletin", "task_table", "upload", "instruction", "other"]
        | None
    ) = None
    ordering: orderings_of("published_on", "title") = None  # type: ignore[valid-type]


@router.get("/documents", response={200: DocumentPage, **READ_ERRORS}, tags=["sources"])
def list_documents(request: HttpRequest, query: Query[DocumentQuery]) -> Any:
    return paginate(
        auth.documents(auth.actor_of(request)),
        query,
        {"region": region_under("region__"), "year": "year", "kind": "kind"},
        {"published_on": "published_on", "title": "title"},
    )


@router.get("/documents/{id}", response={200: DocumentOut, **READ_ERRORS}, tags=["sources"])
def get_document(request: HttpRequest, id: Id) -> Any:
    return get_object_or_404(auth.documents(auth.actor_of(request)), pk=id)


class CitationQuery(ListQuery):
    document: Id | None = None
    ordering: orderings_of("start") = None  # type: ignore[valid-type]


@router.get("/citations", response={200: CitationPage, **READ_ERRORS}, tags=["sources"])
def list_citations(request: HttpRequest, query: Query[CitationQuery]) -> Any:
    return paginate(
        auth.citations(auth.actor_of(request)), query, {"document": "document_id"}, {"start": "start"}
    )


@router.get("/citations/{id}", response={200: CitationOut, **READ_ERRORS}, tags=["sources"])
def get_citation(request: HttpRequest, id: Id) -> Any:
    return get_object_or_404(auth.citations(auth.actor_of(request)), pk=id)
