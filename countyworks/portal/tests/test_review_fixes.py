"""Inputs and loads found in review: odd `year` values, and query counts of the pages."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("year", ["²⁰²³", "٢٠٢٣x", "2023²", "abc", "9" * 5000])
def test_it_ignores_a_year_that_is_not_plain_digits(client, cast, world, year):
    # "²".isdigit() is True but int("²") fails, as does int() of 5,000 digits (Python's
    # int_max_str_digits): the page must fall back to its default year, not answer 500.
    county = client.get("/portal/140427/", {"year": year})
    assert county.status_code == 200
    assert world.livelihood.title in county.content.decode()
    city = client.get("/portal/140400/", {"year": year})
    assert city.status_code == 200
    assert "140427" in city.content.decode()


def _county_with_a_public_item(code: str, progress: int) -> None:
    from countyworks.plans.models import Plan, WorkItem
    from countyworks.regions.services import ensure_region

    plan = Plan.objects.create(region=ensure_region(code), year=2023, title="台账", published=True)
    WorkItem.objects.create(plan=plan, title=f"事项{code}", progress=progress, published=True)


def _rollup(client) -> tuple[int, list[dict]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/portal/140400/", {"year": "2023"})
    assert response.status_code == 200
    return len(queries), response.context["summaries"]


def test_it_sums_up_a_citys_counties_in_a_constant_number_of_queries(client, cast, world):
    _county_with_a_public_item("140428", 40)
    few, summaries = _rollup(client)
    _county_with_a_public_item("140423", 10)
    _county_with_a_public_item("140425", 30)
    _county_with_a_public_item("140426", 50)
    many, summaries = _rollup(client)
    by_code = {row["region"].code: (row["count"], row["progress"]) for row in summaries}
    assert by_code["140423"] == (1, "10") and by_code["140428"] == (1, "40")
    assert by_code["140427"][0] == cast.plan.items.filter(published=True, internal=False).count()
    assert many == few


def test_it_gives_each_chart_its_own_element_when_a_unit_shares_the_regions_indicator(client, cast, world):
    from decimal import Decimal

    from countyworks.indicators.models import Observation
    from countyworks.regions.models import Organisation

    # The county's GDP already has a series; a unit publishing the same indicator gets a second chart.
    zone = Organisation.objects.create(name="测试园区", region=cast.county, kind="other")
    for year, value in ((2022, "5"), (2023, "6")):
        Observation.objects.create(
            indicator=world.gdp,
            organisation=zone,
            year=year,
            value=Decimal(value),
            unit="亿元",
            published=True,
        )
    response = client.get("/portal/140427/")
    charts = response.context["charts"]
    assert len(charts) == 2
    ids = [chart["id"] for chart in charts]
    assert len(set(ids)) == 2
    html = response.content.decode()
    assert all(html.count(f'id="{chart_id}"') == 1 for chart_id in ids)


def test_it_never_shows_the_items_of_an_internal_plan(client, cast, world):
    from countyworks.plans.models import Plan, WorkItem

    # Published but internal: "never shown on the public portal, even when published".
    plan = Plan.objects.create(region=cast.county, year=2023, title="内部台账", published=True, internal=True)
    WorkItem.objects.create(plan=plan, kind="livelihood", title="内部台账事项寅", published=True)
    html = client.get("/portal/140427/", {"year": "2023"}).content.decode()
    assert world.livelihood.title in html
    assert "内部台账事项寅" not in html
    items = client.get("/api/v1/items?limit=200").json()["results"]
    assert world.livelihood.title in {row["title"] for row in items}
    assert "内部台账事项寅" not in {row["title"] for row in items}


def _towns_with_an_honour(county, count: int) -> None:
    from countyworks.honours.models import Honour
    from countyworks.regions.models import Region, RegionLevel

    for n in range(1, count + 1):
        town = Region.objects.create(
            code=f"{county.code}{n:03d}", name=f"测试镇{n}", level=RegionLevel.TOWN, parent=county
        )
        Honour.objects.create(title=f"荣誉{n}", level="county", holder_region=town, year=2023, published=True)


def _index_queries(client) -> tuple[int, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/portal/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_it_lists_regions_with_data_in_a_constant_number_of_queries(client, cast, world):
    _towns_with_an_honour(cast.county, 1)
    few, _html = _index_queries(client)
    _towns_with_an_honour(cast.other_county, 5)
    many, html = _index_queries(client)
    assert "/portal/140428005/" in html and "/portal/140400/" in html
    assert many == few


def test_it_answers_404_when_a_public_evidence_file_cannot_be_read(client, cast, world, settings):
    from pathlib import Path

    # The stored name now points at a folder (a restore gone wrong): the file is unavailable.
    folder = Path(settings.MEDIA_ROOT) / "evidence-folder"
    folder.mkdir(parents=True)
    world.public_photo.file.name = "evidence-folder"
    world.public_photo.save()
    assert client.get(f"/portal/evidence/{world.public_photo.token}/").status_code == 404
