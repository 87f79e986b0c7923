"""Regions (GB/T 2260) and organisations: read only."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from countyworks.api import auth
from countyworks.api.common import (
    READ_ERRORS,
    Id,
    PageOut,
    RegionCode,
)
from countyworks.api.listing import ListQuery, orderings_of, paginate, region_under


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


class RegionPage(PageOut):
    results: list[RegionOut]


class OrganisationPage(PageOut):
    results: list[OrganisationOut]


router = Router()


class RegionQuery(ListQuery):
    region: RegionCode | None = Field(None, description="This region and everything under it.")
    level: Literal["province", "city", "county", "town", "village"] | None = None
    parent: RegionCode | None = Field(None, description="Direct children of this code.")
    ordering: orderings_of("code", "name") = None  # type: ignore[valid-type]


@router.get("/regions", response={200: RegionPage, **READ_ERRORS}, tags=["regions"])
def list_regions(request: HttpRequest, query: Query[RegionQuery]) -> Any:
    return paginate(
        auth.regions(auth.actor_of(request)),
        query,
        {"region": region_under(""), "level": "level", "parent": "parent__code"},
        {"code": "code", "name": "name"},
    )


@router.get("/regions/{code}", response={200: RegionOut, **READ_ERRORS}, tags=["regions"])
def get_region(request: HttpRequest, code: RegionCode) -> Any:
    return get_object_or_404(auth.regions(auth.actor_of(request)), code=code)


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
    ordering: orderings_of("name", "region") = None  # type: ignore[valid-type]


@router.get("/organisations", response={200: OrganisationPage, **READ_ERRORS}, tags=["organisations"])
def list_organisations(request: HttpRequest, query: Query[OrganisationQuery]) -> Any:
    return paginate(
        auth.organisations(auth.actor_of(request)),
        query,
        {"region": region_under("region__"), "kind": "kind"},
        {"name": "name", "region": "region__code"},
    )


@router.get("/organisations/{id}", response={200: OrganisationOut, **READ_ERRORS}, tags=["organisations"])
def get_organisation(request: HttpRequest, id: Id) -> Any:
    return get_object_or_404(auth.organisations(auth.actor_of(request)), pk=id)
