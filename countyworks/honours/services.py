"""Writes of the honours domain: recording an honour a region or an organisation received."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from countyworks.accounts import policy
from countyworks.core.services import PermissionDenied, ServiceError
from countyworks.honours.models import Honour, HonourLevel
from countyworks.sources.services import check_citation

EARLIEST_YEAR = 1949


@transaction.atomic
def create_honour(
    user: Any,
    *,
    title: str,
    level: str,
    holder_region: Any = None,
    holder_organisation: Any = None,
    year: int | None = None,
    issuer: str = "",
    note: str = "",
    citation: Any = None,
) -> Honour:
    """An honour of a region or an organisation of the user's region, recorded once.

    The same title for the same holder and year is one honour, however many documents mention it:
    a second one is refused, so no report lists an honour twice."""
    region = holder_region or getattr(holder_organisation, "region", None)
    if region is None:
        raise ServiceError(_("Say who received the honour."), field="holder_region")
    if not policy.can_record_honours(user, region):
        raise PermissionDenied(_("Only the supervision office of the region records honours."))
    check_citation(user, citation)
    title = (title or "").strip()
    if not title:
        raise ServiceError(_("Give the honour's title."), field="title")
    if len(title) > 300:
        raise ServiceError(_("The title is longer than 300 characters."), field="title")
    if level not in HonourLevel.values:
        raise ServiceError(_("Choose the honour's level."), field="level")
    if year is not None and not (EARLIEST_YEAR <= int(year) <= 2100):
        raise ServiceError(_("The year is not a year of the honour."), field="year")
    same = Honour.objects.filter(
        title=title, holder_region=holder_region, holder_organisation=holder_organisation, year=year
    )
    if same.exists():
        raise ServiceError(_("This honour is already recorded."), field="title")
    return Honour.objects.create(
        title=title,
        level=level,
        holder_region=holder_region,
        holder_organisation=holder_organisation,
        year=year,
        issuer=(issuer or "").strip(),
        note=(note or "").strip(),
        citation=citation,
    )
