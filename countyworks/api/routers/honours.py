"""Honours by level: read only."""

from __future__ import annotations

from typing import Any, Literal

from django.db.models import QuerySet
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


class HonourPage(PageOut):
    results: list[HonourOut]


router = Router()


class HonourQuery(ListQuery):
    region: RegionCode | None = None
    year: Year | None = None
    level: Literal["national", "provincial", "city", "county"] | None = None
    ordering: orderings_of("year", "level", "title") = None  # type: ignore[valid-type]


def _honour_region(qs: QuerySet, code: str) -> QuerySet:
    return region_under("holder_region__")(qs, code) | region_under("holder_organisation__region__")(qs, code)


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
