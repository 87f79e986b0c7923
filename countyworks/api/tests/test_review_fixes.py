"""Problems found in review: query counts of region lists, and token names too long to store."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from countyworks.accounts.models import ApiToken
from countyworks.regions.models import Region, RegionLevel


def _villages_under(county: Region, count: int) -> None:
    """`count` towns of one village each under `county`: regions four levels deep."""
    for n in range(1, count + 1):
        town = Region.objects.create(
            code=f"{county.code}{n:03d}", name=f"测试镇{n}", level=RegionLevel.TOWN, parent=county
        )
        Region.objects.create(
            code=f"{town.code}001", name=f"测试村{n}", level=RegionLevel.VILLAGE, parent=town
        )


def _queries_for_region_list(client) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/regions?limit=200")
    assert response.status_code == 200, response.content
    return len(queries), response.json()


def test_it_lists_regions_in_a_constant_number_of_queries(client, cast):
    _villages_under(cast.county, 2)
    few, body = _queries_for_region_list(client)
    village = next(r for r in body["results"] if r["code"] == f"{cast.county.code}001001")
    assert village["full_name"] == "山西省长治市壶关县测试镇1测试村1"
    _villages_under(cast.other_county, 6)
    many, body = _queries_for_region_list(client)
    assert body["count"] == Region.objects.count()
    assert many == few


def test_it_refuses_a_token_name_too_long_to_store_naming_the_field(cast):
    with pytest.raises(CommandError, match="name"):
        call_command("issuetoken", "supervisor", "--name", "x" * 101)
    assert not ApiToken.objects.exists()


def test_it_lists_public_targets_however_many_plans_are_published(client, cast, world):
    from countyworks.indicators.models import Target
    from countyworks.plans.models import Plan

    # One published plan a year for six centuries: the filter must not grow with the plans.
    Plan.objects.bulk_create(
        Plan(region=cast.other_county, year=year, title="台账", published=True) for year in range(1500, 2100)
    )
    Target.objects.create(indicator=world.gdp, region=cast.other_county, year=1999, value=7, unit="亿元")
    Target.objects.create(indicator=world.gdp, region=cast.other_county, year=2150, value=8, unit="亿元")
    response = client.get("/api/v1/targets?limit=200")
    assert response.status_code == 200, response.content
    years = {(row["region_code"], row["year"]) for row in response.json()["results"]}
    assert ("140428", 1999) in years and ("140428", 2150) not in years
    assert ("140427", 2023) in years
