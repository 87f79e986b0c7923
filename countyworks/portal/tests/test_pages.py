"""The public portal: what a citizen sees, and what never reaches the page."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from countyworks.indicators.models import Observation
from countyworks.portal.tests.world import SECRETS, TINY_JPEG
from countyworks.regions.services import ensure_region


def test_it_lists_regions_with_published_data_for_anonymous_visitors(client, cast, world):
    response = client.get("/portal/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/portal/140427/" in html and "/portal/140400/" in html
    assert "/portal/140428/" not in html  # nothing published there
    assert response["Cache-Control"] == "public, max-age=300"


def test_it_switches_to_english_on_request(client, cast, world):
    html = client.get("/portal/140427/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Livelihood commitments" in html and "民生实事" not in html


def test_it_shows_the_county_page_in_chinese_with_public_cache_headers(client, cast, world):
    response = client.get("/portal/140427/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    html = response.content.decode()
    assert "民生实事" in html  # the heading, translated
    assert world.livelihood.title in html and "新增学位360个" in html
    assert 'value="60.00"' in html or 'value="60"' in html
    assert cast.item_a.title in html  # key project, by stage
    assert "在建" in html or "建设中" in html
    assert "csrfmiddlewaretoken" not in html  # a shared cache may keep the page
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]


def test_it_shows_the_latest_public_photo_with_its_caption_as_alt_text(client, cast, world):
    html = client.get("/portal/140427/").content.decode()
    assert f'src="/portal/evidence/{world.public_photo.token}/"' in html
    assert 'alt="幼儿园主体结构封顶"' in html
    assert f"/portal/evidence/{world.private_photo.token}/" not in html


def test_it_serves_public_evidence_and_hides_the_rest(client, cast, world):
    response = client.get(f"/portal/evidence/{world.public_photo.token}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == TINY_JPEG
    assert client.get(f"/portal/evidence/{world.private_photo.token}/").status_code == 404
    # Evidence of a returned report stays private even when the file itself is marked public.
    world.public_photo.report = world.returned
    world.public_photo.save()
    assert client.get(f"/portal/evidence/{world.public_photo.token}/").status_code == 404


def test_it_writes_indicator_qualifiers_and_carries_chart_data(client, cast, world):
    html = client.get("/portal/140427/").content.decode()
    assert "近104亿元" in html
    assert "98.5亿元" in html
    start = html.index('id="portal-chart-data"')
    data = json.loads(html[html.index(">", start) + 1 : html.index("</script>", start)])
    assert data == [
        {
            "id": "chart-gdp",
            "name": "地区生产总值",
            "unit": "亿元",
            "years": ["2021", "2022"],
            "values": [98.5, 104.0],
        }
    ]
    assert "vendor/echarts/echarts.min.js" in html and "portal/charts.js" in html


def test_it_shows_published_honours_only(client, cast, world):
    html = client.get("/portal/140427/").content.decode()
    assert world.honour.title in html


@pytest.mark.parametrize("secret", sorted(SECRETS))
def test_it_never_shows_a_private_record(client, cast, world, secret):
    pages = [client.get(url).content.decode() for url in ("/portal/", "/portal/140427/", "/portal/140400/")]
    assert all(SECRETS[secret] not in page for page in pages)


def test_it_rolls_a_city_up_into_its_counties_side_by_side(client, cast, world):
    Observation.objects.create(
        indicator=world.gdp, region=cast.other_county, year=2022, value=Decimal("88"), unit="亿元",
        qualifier="over", published=True,
    )  # fmt: skip
    response = client.get("/portal/140400/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "壶关县" in html and "长子县" in html
    assert "近104亿元" in html and "超88亿元" in html
    assert 'id="chart-gdp"' in html


def test_it_rolls_a_province_up_into_its_cities(client, cast, world):
    city = ensure_region("140400")
    Observation.objects.create(
        indicator=world.gdp, region=city, year=2022, value=Decimal("2000"), unit="亿元", published=True
    )
    html = client.get("/portal/140000/").content.decode()
    assert "长治市" in html and "2000亿元" in html
    assert "/portal/140400/" in html


def test_it_answers_404_for_an_unknown_region(client, cast):
    assert client.get("/portal/999999/").status_code == 404


def test_it_sums_up_last_year_from_published_items(client, cast, world):
    from countyworks.plans.models import ItemStatus, Plan, WorkItem

    last = Plan.objects.create(region=cast.county, year=2022, title="2022年台账", published=True)
    WorkItem.objects.create(
        plan=last, title="旧事项一", status=ItemStatus.COMPLETED, progress=100, published=True
    )
    WorkItem.objects.create(plan=last, title="旧事项二", progress=50, published=True)
    WorkItem.objects.create(plan=last, title="旧草稿", progress=0, published=False)
    html = client.get("/portal/140427/?year=2023").content.decode()
    assert "上年工作回顾" in html
    assert "2022年已发布的2项工作中完成1项" in html
    assert "75%" in html


def test_it_writes_stated_comparisons_and_puts_headline_indicators_first(client, cast, world):
    from countyworks.indicators.models import Indicator

    output = Indicator.objects.create(code="output", name="战略性新兴产业总产值", unit="元")
    Observation.objects.create(
        indicator=output, region=cast.county, year=2023, value=Decimal("2500000000"), unit="元",
        qualifier="nearly", published=True,
    )  # fmt: skip
    Observation.objects.create(
        indicator=output, region=cast.county, year=2023, value=Decimal("5"), unit="倍", value_kind="multiple",
        base_label="十三五末", published=True,
    )  # fmt: skip
    html = client.get("/portal/140427/").content.decode()
    # Headline indicators lead the table; the others follow.
    assert "近104亿元" in html and html.index("近104亿元") < html.index("战略性新兴产业总产值")
    world.gdp.headline = False
    world.gdp.save()
    html = client.get("/portal/140427/").content.decode()
    assert "近25亿元" in html and "是十三五末的5倍" in html


def test_it_shows_organisations_figures_and_comparisons_published_without_a_level(client, cast, world):
    from countyworks.indicators.models import Indicator
    from countyworks.regions.models import Organisation

    scenic = Organisation.objects.create(name="测试景区", region=cast.county, kind="scenic_area")
    revenue = Indicator.objects.create(code="scenic-revenue", name="景区收入", unit="元")
    Observation.objects.create(
        indicator=revenue, organisation=scenic, year=2023, value=Decimal("300000000"), unit="元",
        qualifier="over", published=True,
    )  # fmt: skip
    tourism = Indicator.objects.create(code="tourism-revenue", name="旅游营业收入", unit="元")
    Observation.objects.create(
        indicator=tourism, region=cast.county, year=2023, value=Decimal("216"), unit="%", value_kind="growth",
        base_year=2019, published=True,
    )  # fmt: skip
    html = client.get("/portal/140427/").content.decode()
    assert "测试景区收入" in html and "景区景区" not in html and "超3亿元" in html
    assert "旅游营业收入" in html and "216%" in html and "2019" in html


def test_it_writes_figures_as_the_year_end_review_does(client, cast, world):
    # One wording for both (countyworks.wording, docs/reports.md): the source's own word for "over",
    # four significant digits, and no thousands separators.
    from countyworks.indicators.models import Indicator
    from countyworks.sources.models import Citation, Document

    document = Document.objects.create(title="测试县文旅通报", slug="portal-wording", region=cast.county)
    income = Indicator.objects.create(code="portal-income", name="测试文旅收入", unit="元", headline=True)
    Observation.objects.create(
        indicator=income, region=cast.county, year=2023, value=Decimal("300000000"), unit="元",
        qualifier="over", published=True,
        citation=Citation.objects.create(document=document, start=5, end=11, quote="突破3亿元"),
    )  # fmt: skip
    guides = Indicator.objects.create(code="portal-guides", name="测试讲解人次", unit="人次", headline=True)
    Observation.objects.create(
        indicator=guides, region=cast.county, year=2023, value=Decimal("9999"), unit="人次", published=True
    )
    roads = Indicator.objects.create(code="portal-roads", name="测试道路投资", unit="元", headline=True)
    Observation.objects.create(
        indicator=roads, region=cast.county, year=2023, value=Decimal("1234567"), unit="元", published=True
    )
    html = client.get("/portal/140427/").content.decode()
    assert "突破3亿元" in html and "超3亿元" not in html
    assert "9999人次" in html and "9,999" not in html
    assert "123.5万元" in html and "123.46" not in html


def test_it_shows_when_a_closed_commitment_was_completed(client, cast, world):
    from datetime import date

    from countyworks.plans.models import ItemStatus, WorkItem

    WorkItem.objects.filter(pk=world.livelihood.pk).update(
        status=ItemStatus.COMPLETED, progress=100, completed_on=date(2023, 11, 20)
    )
    html = client.get("/portal/140427/").content.decode()
    assert "完成于 2023-11-20" in html
