import json
from decimal import Decimal

import pytest
from django.urls import reverse

from countyworks.indicators.models import Indicator, Observation, Target, ValueKind
from countyworks.sources.models import Citation, Document

D = Decimal


@pytest.fixture
def figures(cast):
    document = Document.objects.create(
        title="测试县统计公报",
        slug="test-bulletin",
        region=cast.county,
        year=2023,
        text="旅游收入近25亿元，接待游客超440万人次。",
    )
    income = Indicator.objects.create(code="tourism-income", name="旅游收入", unit="元")
    visitors = Indicator.objects.create(code="visitors", name="接待游客", unit="人次")
    cited = Citation.objects.create(document=document, start=4, end=9, quote="近25亿元")
    Observation.objects.create(
        indicator=income, region=cast.county, year=2022, value=D("2000000000"), unit="元"
    )
    Observation.objects.create(
        indicator=income,
        region=cast.county,
        year=2023,
        value=D("2500000000"),
        unit="元",
        qualifier="nearly",
        citation=cited,
    )
    Observation.objects.create(
        indicator=visitors,
        region=cast.county,
        year=2023,
        value=D("4400000"),
        unit="人次",
        qualifier="over",
        citation=Citation.objects.create(document=document, start=14, end=21, quote="超440万人次"),
    )
    Observation.objects.create(
        indicator=visitors, region=cast.county, year=2023, value=D("4000000"), unit="人次"
    )
    Observation.objects.create(
        indicator=income, region=cast.other_county, year=2023, value=D("900000000"), unit="元"
    )
    Observation.objects.create(
        indicator=income,
        region=cast.county,
        year=2023,
        value=D("2.5"),
        unit="倍",
        value_kind=ValueKind.MULTIPLE,
        base_year=2020,
    )
    Target.objects.create(indicator=income, region=cast.county, year=2023, value=D("2400000000"), unit="元")
    return {"document": document, "income": income, "visitors": visitors, "cited": cited}


def test_it_lists_figures_with_their_qualifiers_and_sources(client, cast, figures):
    client.force_login(cast.leader)
    response = client.get(reverse("indicators:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "近25亿元" in page and "超440万人次" in page
    link = reverse("reading:document", args=[figures["document"].pk]) + "?start=4&amp;end=9#cited"
    assert f'<a href="{link}">近25亿元</a>' in page
    assert "9亿元" not in page  # the other county's figure stays out


def test_it_shows_computed_growth_and_target_completion(client, cast, figures):
    client.force_login(cast.viewer)
    response = client.get(reverse("indicators:list"), {"year": 2023})
    entry = next(e for e in response.context["entries"] if e["indicator"] == figures["income"])
    current = next(
        r for r in entry["rows"] if r["observation"].year == 2023 and r["observation"].value_kind == "level"
    )
    assert sorted((c["text"], c["comparison"].computed) for c in current["comparisons"]) == [
        ("+25%", True),
        ("2.5倍", False),
    ]
    stated = next(r for r in entry["rows"] if r["observation"].value_kind == ValueKind.MULTIPLE)
    assert stated["implied_base"] == "10亿元"
    assert "10亿元" in response.content.decode()
    assert entry["targets"][0]["completion"] == "104.2%"
    assert "104.2%" in response.content.decode()


def test_it_marks_figures_that_two_sources_state_differently(client, cast, figures):
    client.force_login(cast.supervisor)
    response = client.get(reverse("indicators:list"))
    entry = next(e for e in response.context["entries"] if e["indicator"] == figures["visitors"])
    assert [r["doubtful"] for r in entry["rows"]] == [True, True]
    income = next(e for e in response.context["entries"] if e["indicator"] == figures["income"])
    assert not any(r["doubtful"] for r in income["rows"])
    assert 'class="doubtful"' in response.content.decode()


def test_it_draws_the_trend_from_a_json_block_and_a_static_script(client, cast, figures):
    client.force_login(cast.leader)
    response = client.get(reverse("indicators:detail", args=[figures["income"].pk]))
    page = response.content.decode()
    assert response.context["chart"]["years"] == ["2022", "2023"]
    assert response.context["chart"]["values"] == [2000000000.0, 2500000000.0]
    assert '<script id="trend-data" type="application/json">' in page
    start = page.index('<script id="trend-data" type="application/json">') + len(
        '<script id="trend-data" type="application/json">'
    )
    assert json.loads(page[start : page.index("</script>", start)])["name"] == "旅游收入"
    assert "vendor/echarts/echarts.min.js" in page and "indicators/trend.js" in page
    # No inline script with code: every other script tag loads a static file.
    assert page.count("<script>") == 0
    assert (
        "'nonce-" in response.headers["Content-Security-Policy"]
        or "script-src 'self'" in response.headers["Content-Security-Policy"]
    )


def test_it_keeps_indicators_inside_the_users_region(client, cast, figures):
    client.force_login(cast.outsider_supervisor)
    response = client.get(reverse("indicators:list"), {"region": cast.county.code})
    assert response.status_code == 403
    response = client.get(reverse("indicators:list"))
    assert response.status_code == 200 and "9亿元" in response.content.decode()
    assert "近25亿元" not in response.content.decode()
    client.logout()
    response = client.get(reverse("indicators:list"))
    assert response.status_code == 302 and "/accounts/" in response.url


def test_it_names_a_bad_year(client, cast, figures):
    client.force_login(cast.leader)
    response = client.get(reverse("indicators:list"), {"year": "二〇二三"})
    assert response.status_code == 200
    assert response.context["form"].errors["year"]
