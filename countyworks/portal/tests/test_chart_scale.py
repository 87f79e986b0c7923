"""Portal charts read in the scale of their figures: 亿元 and 万人次, never raw 元 (2500000000)."""

from __future__ import annotations

import json
from decimal import Decimal

from countyworks import wording
from countyworks.indicators.models import Indicator, Observation, Qualifier


def test_a_series_is_scaled_by_its_largest_value_with_the_unit_for_the_axis():
    assert wording.scaled_series([Decimal(2500000000), Decimal(3000000000)], "元") == ([25.0, 30.0], "亿元")
    assert wording.scaled_series([Decimal(4400000), None], "人次") == ([440.0, None], "万人次")
    assert wording.scaled_series([Decimal(25)], "亿元") == ([25.0], "亿元")
    assert wording.scaled_series([Decimal(216)], "%") == ([216.0], "%")
    assert wording.scaled_series([None], "元") == ([None], "元")


def _chart_data(html: str) -> list[dict]:
    start = html.index('id="portal-chart-data"')
    return json.loads(html[html.index(">", start) + 1 : html.index("</script>", start)])


def test_the_county_page_charts_an_amount_stored_in_yuan_in_yi_yuan(client, cast, world):
    income = Indicator.objects.create(code="tourism-income", name="旅游收入", unit="元")
    for year, value in [(2021, "1800000000"), (2022, "2500000000")]:
        Observation.objects.create(
            indicator=income, region=cast.county, year=year, value=Decimal(value), unit="元",
            qualifier=Qualifier.EXACT, published=True,
        )  # fmt: skip
    html = client.get("/portal/140427/").content.decode()
    chart = next(c for c in _chart_data(html) if c["id"] == "chart-tourism-income")
    assert chart["unit"] == "亿元" and chart["values"] == [18.0, 25.0]
    assert "2500000000" not in html and "2,500,000,000" not in html
    assert "25亿元" in html


def test_every_public_page_offers_staff_the_login_and_a_share_title(client, cast, world):
    for url in ("/portal/", "/portal/140427/"):
        html = client.get(url).content.decode()
        assert 'href="/accounts/login/"' in html and "登录" in html, url
        assert '<meta property="og:title" content="' in html, url
    county = client.get("/portal/140427/").content.decode()
    title = county.split('<meta property="og:title" content="')[1].split('"')[0]
    assert cast.county.name in title
