"""Trends across years on the county page: each year's figure in its display scale with its
qualifier, the change on the figure before and the mean yearly growth computed, never typed; a
base year a stated comparison implies is shown as derived (推算)."""

from __future__ import annotations

from decimal import Decimal

from countyworks.indicators.models import Indicator, Observation
from countyworks.portal import pages


def _level(indicator, region, year, value, qualifier="exact"):
    return Observation.objects.create(
        indicator=indicator, region=region, year=year, value=Decimal(value), unit=indicator.unit,
        qualifier=qualifier, published=True,
    )  # fmt: skip


def _series(region, code):
    return next(s for s in pages.headline_series(region) if s.code == code)


def test_a_published_series_shows_each_year_and_the_growth_computed(client, cast, world):
    visitors = Indicator.objects.create(code="visitors", name="接待游客", unit="人次", headline=True)
    _level(visitors, cast.county, 2021, "3000000")
    _level(visitors, cast.county, 2022, "3600000")
    _level(visitors, cast.county, 2023, "4400000", qualifier="over")
    trend = _series(cast.county, "visitors").trend()
    assert [(r["year"], r["text"], r["change"]) for r in trend["rows"]] == [
        (2021, "300万人次", ""),
        (2022, "360万人次", "增长20%"),
        (2023, "超440万人次", "增长22.2%"),
    ]
    # (440 / 300) ** (1 / 2) - 1 = 21.1 %
    assert trend["mean"] == "2021—2023年年均增长21.1%" and not trend["has_derived"]
    html = client.get("/portal/140427/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "历年走势" in html and "增长20%" in html and "2021—2023年年均增长21.1%" in html
    assert 'id="chart-visitors"' in html


def test_a_stated_multiple_gives_a_derived_base_year(client, cast, world):
    output = Indicator.objects.create(code="output", name="战略性新兴产业总产值", unit="元", headline=True)
    _level(output, cast.county, 2023, "2500000000", qualifier="nearly")
    Observation.objects.create(
        indicator=output, region=cast.county, year=2023, value=Decimal("5"), unit="倍", value_kind="multiple",
        base_year=2020, base_label="十三五末", published=True,
    )  # fmt: skip
    series = _series(cast.county, "output")
    trend = series.trend()
    assert [(r["year"], r["text"], bool(r["derived"])) for r in trend["rows"]] == [
        (2020, "约5亿元", True),
        (2023, "近25亿元", False),
    ]
    assert trend["rows"][1]["change"] == "增长400%" and trend["mean"] == "2020—2023年年均增长71%"
    assert series.chart()["values"] == [5.0, 25.0] and series.chart()["unit"] == "亿元"
    html = client.get("/portal/140427/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '约5亿元 <span class="muted">（推算）</span>' in html
    assert "2020年数值未公布，由“是十三五末的5倍”和最新数值推算。" in html


def test_a_year_with_its_own_figure_is_never_replaced_by_a_derived_one(cast, world):
    output = Indicator.objects.create(code="output", name="总产值", unit="元", headline=True)
    _level(output, cast.county, 2020, "480000000")
    _level(output, cast.county, 2023, "2500000000")
    Observation.objects.create(
        indicator=output, region=cast.county, year=2023, value=Decimal("5"), unit="倍", value_kind="multiple",
        base_year=2020, published=True,
    )  # fmt: skip
    rows = _series(cast.county, "output").trend()["rows"]
    assert [(r["year"], r["text"], r["derived"]) for r in rows] == [
        (2020, "4.8亿元", ""),
        (2023, "25亿元", ""),
    ]
