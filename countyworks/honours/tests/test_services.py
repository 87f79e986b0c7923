"""Recording honours: by the office of the holder's region, once per title, holder and year."""

from __future__ import annotations

import pytest

from countyworks.core.services import PermissionDenied, ServiceError
from countyworks.honours import services
from countyworks.honours.models import Honour, HonourLevel


def test_it_records_an_honour_once(cast):
    honour = services.create_honour(
        cast.supervisor,
        title="全国文明县城",
        level=HonourLevel.NATIONAL,
        holder_region=cast.county,
        year=2023,
    )
    assert Honour.objects.get() == honour
    with pytest.raises(ServiceError) as twice:
        services.create_honour(
            cast.supervisor,
            title="全国文明县城",
            level=HonourLevel.NATIONAL,
            holder_region=cast.county,
            year=2023,
        )
    assert twice.value.field == "title" and Honour.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "", "level": HonourLevel.CITY}, "title"),
        ({"title": "示范县", "level": "galactic"}, "level"),
        ({"title": "示范县", "level": HonourLevel.CITY, "year": 3023}, "year"),
    ],
)
def test_it_names_the_field_of_a_bad_honour(cast, fields, field):
    with pytest.raises(ServiceError) as refused:
        services.create_honour(cast.supervisor, holder_region=cast.county, **fields)
    assert refused.value.field == field


def test_it_needs_a_holder_and_the_office_of_its_region(cast):
    with pytest.raises(ServiceError):
        services.create_honour(cast.supervisor, title="示范县", level=HonourLevel.CITY)
    for actor in (cast.leader, cast.reporter_a, cast.viewer, cast.outsider_supervisor):
        with pytest.raises(PermissionDenied):
            services.create_honour(actor, title="示范县", level=HonourLevel.CITY, holder_region=cast.county)
    assert services.create_honour(
        cast.admin, title="示范县", level=HonourLevel.CITY, holder_organisation=cast.unit_a
    )
