"""Indicator names on the review screen: normalised names and synonyms offered as choices (never a
silent merge), names that are not the measured thing, and figures in their own unit's scale."""

from __future__ import annotations

import pytest

from countyworks.indicators import names
from countyworks.indicators.models import Indicator, Observation
from countyworks.reading import proposals, services
from countyworks.reading.tests.helpers import draft, read

pytestmark = pytest.mark.django_db


def test_it_normalises_names_and_knows_synonyms_from_the_data():
    assert names.normal_name("全县地区生产总值（GDP）") == "地区生产总值"
    assert names.relation("旅游收入", "旅游营业收入") == "synonym"
    assert names.relation("全年旅游收入", "旅游收入") == "same"
    assert names.relation("旅游收入", "旅游人次") == ""
    assert names.relation("规上工业增加值", "规模以上工业增加值") == "same"


def test_it_offers_an_existing_synonym_and_does_not_merge_by_itself(cast, client):
    existing = Indicator.objects.create(code="tour", name="旅游营业收入", unit="亿元")
    Indicator.objects.create(code="tourists", name="旅游人次", unit="人次")
    document = read(cast, "2023年，全县实现旅游收入2.8亿元。")
    figure = draft(document, "2.8亿元")
    client.force_login(cast.supervisor)
    page = client.get(f"/reading/documents/{document.pk}/review/").content.decode()
    assert f'<option value="{existing.pk}">旅游营业收入（亿元）' in page
    assert "旅游人次" not in page

    # Accepted as proposed: a new indicator beside the existing one, not a merge.
    services.accept_draft(cast.supervisor, figure)
    assert Observation.objects.get().indicator.name == "旅游收入"
    assert Indicator.objects.filter(name="旅游营业收入").count() == 1


def test_choosing_the_offered_indicator_records_the_figure_on_it_in_its_unit(cast, client):
    existing = Indicator.objects.create(code="tour", name="旅游营业收入", unit="亿元")
    document = read(cast, "2023年，全县实现旅游收入2.8亿元。")
    figure = draft(document, "2.8亿元")
    client.force_login(cast.supervisor)
    response = client.post(
        f"/reading/drafts/{figure.pk}/",
        {"action": "accept", "indicator_id": existing.pk},
        HTTP_HX_REQUEST="true",
    )
    observation = Observation.objects.get()
    assert observation.indicator == existing and observation.unit == "亿元"
    assert "2.8亿元" in response.content.decode()  # shown in the unit's scale, not 280000000.000000元
    assert "280000000" not in response.content.decode()


def test_the_recorded_figure_reads_in_its_own_scale(cast):
    document = read(cast, "2023年，全县建成口袋公园18个，完成投资2.8亿元。")
    for quote in ("18个", "2.8亿元"):
        services.accept_draft(cast.supervisor, draft(document, quote))
    shown = [d.recorded_display for d in document.drafts.exclude(created_id=None).order_by("start")]
    assert any(s.endswith(": 18个") for s in shown), shown
    assert any(s.endswith(": 2.8亿元") for s in shown), shown


@pytest.mark.parametrize(
    "subject, unit, name, problem",
    [
        ("占年度计划的", "%", "占年度计划比重", "share_without_owner"),
        ("居民", "户", "居民户数", ""),
        ("居民", "", "居民", "population"),
        ("八泉峡景区", "元", "八泉峡景区", "place_or_body"),
        ("税收收入占一般公共预算收入", "%", "税收收入占一般公共预算收入", ""),
        ("预计全年财政收入", "元", "全年财政收入", ""),
    ],
)
def test_it_names_what_is_measured_or_says_why_not(subject, unit, name, problem):
    assert proposals.indicator_name(subject, unit) == name
    assert proposals.name_problem(name, "amount") == problem


def test_a_partial_year_figure_keeps_its_months_on_the_record(cast):
    document = read(cast, "2023年1-10月，全县建筑业总产值38.9亿元。一季度，限额以上零售额12.5亿元。")
    for quote in ("38.9亿元", "12.5亿元"):
        services.accept_draft(cast.supervisor, draft(document, quote))
    ytd, quarter = Observation.objects.order_by("value").reverse()
    assert (ytd.year, ytd.month, ytd.note) == (2023, 10, "1—10月累计")
    assert (quarter.year, quarter.quarter, quarter.month) == (2023, 1, None)
    assert draft(document, "38.9亿元").fields["months"] == "1-10"
