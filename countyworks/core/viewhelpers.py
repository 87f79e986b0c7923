"""Helpers the screens of several apps share that know nothing of any domain."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet

PAGE_SIZE = 50


def paginate(items: QuerySet, number: Any) -> Any:
    """One page (of the ledger, the review queue), found on ids first and then read in full.

    A deep page sorts only narrow rows to find its 50 ids; reading every joined column of the
    rows it skips (OFFSET) is what made late pages slow on a province's ledger.
    """
    page = Paginator(items.values_list("pk", flat=True), PAGE_SIZE).get_page(number)
    ids = list(page.object_list)
    rows = {item.pk: item for item in items.filter(pk__in=ids)}
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page
