"""The reports index: which plans it offers, and that it reads them in a fixed number of queries."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from countyworks.plans.models import Plan


def _index_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        html = client.get(reverse("reports:index")).content.decode()
    return len(captured), html


def test_it_reads_the_index_in_the_same_number_of_queries_for_more_plans(cast, client):
    client.force_login(cast.viewer)
    few, _html = _index_queries(client)
    for year in range(2010, 2020):
        Plan.objects.create(region=cast.county, year=year, title=f"{year}年台账", published=True)
    many, html = _index_queries(client)
    assert many == few
    assert reverse("reports:review", args=["140427", 2015]) in html


def test_it_offers_a_draft_year_to_its_supervisor_only_unless_a_sibling_plan_is_published(cast, client):
    Plan.objects.create(region=cast.county, year=2021, title="2021年台账（草稿）", published=False)
    Plan.objects.create(region=cast.county, year=2022, title="2022年台账（草稿）", published=False)
    Plan.objects.create(region=cast.county, year=2022, title="2022年台账", published=True)
    draft_2021 = reverse("reports:review", args=["140427", 2021])
    year_2022 = reverse("reports:review", args=["140427", 2022])
    client.force_login(cast.viewer)
    _count, html = _index_queries(client)
    assert draft_2021 not in html and year_2022 in html
    client.force_login(cast.supervisor)
    _count, html = _index_queries(client)
    assert draft_2021 in html and year_2022 in html
