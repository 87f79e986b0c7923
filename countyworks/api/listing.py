"""Filtering, ordering and limit/offset pagination shared by every list endpoint.

Each resource declares its query parameters as a schema (so they appear in the OpenAPI
document, with the allowed `ordering` values spelled out) and a map from parameter to lookup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from ninja import Field, Schema

from countyworks.accounts.policy import region_prefix
from countyworks.regions.models import Region

MAX_LIMIT = 200
DEFAULT_LIMIT = 50

Filter = str | Callable[[QuerySet, Any], QuerySet]


class ListQuery(Schema):
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT
    offset: Annotated[int, Field(ge=0, le=10_000_000)] = 0


def ordering_values(*fields: str) -> tuple[str, ...]:
    """`title` and `-title` for each whitelisted field, for a Literal of allowed orderings."""
    return tuple(v for f in fields for v in (f, f"-{f}"))


def orderings_of(*fields: str) -> Any:
    """The type of an `ordering` parameter: one of the whitelisted orderings, or none."""
    return Literal[ordering_values(*fields)] | None  # type: ignore[valid-type]


def region_under(field: str) -> Callable[[QuerySet, str], QuerySet]:
    """A `region=` filter: the region itself and everything below it, by GB/T 2260 code prefix."""

    def apply(qs: QuerySet, code: str) -> QuerySet:
        region = Region.objects.filter(code=code).first()
        prefix = region_prefix(region) if region else code
        return qs.filter(**{f"{field}code__startswith": prefix})

    return apply


def paginate(
    qs: QuerySet,
    query: ListQuery,
    filters: dict[str, Filter],
    orderings: dict[str, str] | None = None,
) -> dict[str, Any]:
    for name, lookup in filters.items():
        value = getattr(query, name, None)
        if value is None:
            continue
        qs = lookup(qs, value) if callable(lookup) else qs.filter(**{lookup: value})
    ordering = getattr(query, "ordering", None)
    if ordering:
        descending = ordering.startswith("-")
        field = (orderings or {})[ordering.lstrip("-")]
        # `id` breaks ties so that pages never overlap or skip rows.
        qs = qs.order_by(f"-{field}" if descending else field, "-id" if descending else "id")
    elif not qs.ordered:
        qs = qs.order_by("id")
    count = qs.count()
    results = list(qs[query.offset : query.offset + query.limit])
    return {"count": count, "limit": query.limit, "offset": query.offset, "results": results}
