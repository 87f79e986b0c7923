"""The year-end review: its sections, its figures and their sources, and the preview screen."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from countyworks.honours.models import Honour
from countyworks.indicators import maths
from countyworks.indicators.models import Observation, Target
from countyworks.plans.models import ItemKind, Plan, WorkItem
from countyworks.reports.builders.review import ReportNotFound, build_review
from countyworks.reports.document import Figure

NUMBER = re.compile(r"\d+(?:\.\d+)?")
SCALE = {"亿": Decimal(10) ** 8, "万": Decimal(10) ** 4}
STORED = {
    "indicators.Observation": Observation,
    "indicators.Target": Target,
    "plans.WorkItem": WorkItem,
    "honours.Honour": Honour,
}


def _read_back(figure: Figure) -> Decimal:
    """The value a printed figure states, read from its text independently of the formatter."""
    match = NUMBER.search(figure.text)
    assert match, figure.text
    value = Decimal(match.group())
    rest = figure.text[match.end() :]
    if rest[:1] in SCALE:
        value *= SCALE[rest[0]]
    return value


def _stored_in_base_unit(figure: Figure) -> Decimal:
    unit = figure.unit
    if len(unit) > 1 and unit[0] in SCALE:
        return figure.value * SCALE[unit[0]]
    return figure.value


def _recompute(figure: Figure, cast) -> Decimal:
    """Recompute a 'computed' figure from the records its citation names."""
    refs = [ref.split("#") for ref in figure.source.inputs]
    models = {
        "Observation": Observation,
        "Target": Target,
        "WorkItem": WorkItem,
        "Honour": Honour,
        "Plan": Plan,
    }
    records = [models[name].objects.get(pk=int(pk)) for name, pk in refs]
    how = figure.source.how
    if how.startswith("同比增幅"):
        return maths.growth_percent(records[0].value, records[1].value)
    if how.startswith("目标完成率"):
        return maths.completion_percent(records[0].value, records[1].value)
    if "总投资合计" in how:
        return sum(r.total_investment for r in records)
    if "完成投资合计" in how:
        return sum(r.annual_completed_investment for r in records)
    if "受益人数合计" in how:
        return Decimal(sum(r.beneficiary_count for r in records))
    if "荣誉计数" in how:
        return Decimal(len(records))
    # Counts of a plan's items: recount them from the plan with the label's rule.
    plan = records[0]
    items = WorkItem.objects.filter(plan=plan, internal=False)
    rules = {
        "台账工作事项计数": items,
        "已完成事项计数": items.filter(status="completed"),
        "重点项目计数": None,
        "民生实事计数": items.filter(kind=ItemKind.LIVELIHOOD),
        "已办结民生实事计数": items.filter(kind=ItemKind.LIVELIHOOD, status="completed"),
        "整改事项计数": items.filter(kind=ItemKind.RECTIFICATION),
        "已销号整改事项计数": items.filter(kind=ItemKind.RECTIFICATION, closed_on__isnull=False),
        "调研课题计数": items.filter(kind=ItemKind.RESEARCH),
        "已讲党课计数": items.filter(kind=ItemKind.RESEARCH, party_lecture_delivered=True),
        "专项行动和常规工作计数": items.filter(kind__in=[ItemKind.CAMPAIGN, ItemKind.ROUTINE]),
    }
    label = how.split("（")[0]
    if label in rules and rules[label] is not None:
        return Decimal(rules[label].count())
    # Counts within one area (projects, stages, next year's branches) depend on the area mapping;
    # test_it_counts_each_areas_records_in_its_own_section checks them against the fixture.
    return None


def test_it_builds_sections_by_area_in_the_seed_order_and_leaves_empty_ones_out(year_data, cast):
    report = build_review(cast.county, 2023)
    titles = [s.number + s.title for s in report.sections]
    assert titles[0].startswith("一、党建引领")
    assert titles[1].startswith("二、乡村振兴")
    assert titles[-1] == "五、2024年工作安排"
    # Remove every safety record: the safety section disappears instead of being padded.
    WorkItem.objects.filter(title="安全生产专项整治").delete()
    again = build_review(cast.county, 2023)
    assert not any("安全" in s.title for s in again.sections)
    assert again.sections[-1].number == "四、"


def test_it_keeps_qualifiers_and_states_comparisons_from_the_records(year_data, cast):
    text = build_review(cast.county, 2023).plain_text()
    assert "地区生产总值近25亿元" in text
    assert "接待游客超440万人次" in text
    assert "旅游综合收入突破3亿元，是十三五末的5倍，较2019年增长216%" in text
    # Computed from the 2022 and 2023 levels: (25 − 22.4) / 22.4 = 11.6%.
    assert "比2022年增长11.6%" in text
    assert "完成年度目标的104.2%" in text
    assert "内部事项" not in text


def test_it_makes_every_number_in_the_text_a_stored_or_computed_value(year_data, cast):
    report = build_review(cast.county, 2023)
    figures = report.figures()
    assert len(figures) > 20
    years = {str(y) for y in (2019, 2022, 2023, 2024)}
    titles = set(WorkItem.all_objects.values_list("title", flat=True)) | set(
        Plan.objects.values_list("title", flat=True)
    )
    for paragraph in report.walk_paragraphs():
        for run in paragraph.runs:
            if run.figure is None:
                # Outside figures only years of the records and numbers inside stored titles appear.
                for number in NUMBER.findall(run.text):
                    assert number in years or any(number in t for t in titles), (number, run.text)
                continue
            figure = run.figure
            printed = _read_back(figure)
            value = _stored_in_base_unit(figure) if figure.unit not in ("%", "倍") else figure.value
            assert abs(printed - value) <= abs(value) * Decimal("0.005") + Decimal("0.05"), figure
            source = figure.source
            if source.record_type in STORED:
                stored = STORED[source.record_type].objects.get(pk=source.record_id)
                assert stored.value == figure.value
                assert source.citation.startswith("《测试县2023年工作回顾》")
            else:
                assert source.record_type == "computed"
                recomputed = _recompute(figure, cast)
                if recomputed is not None:
                    assert recomputed == figure.value, figure


def test_it_counts_each_areas_records_in_its_own_section(year_data, cast):
    sections = {s.key: s for s in build_review(cast.county, 2023).sections}
    economy = [p.text for p in sections["party_economy"].paragraphs]
    rural = [p.text for p in sections["rural_tourism"].paragraphs]
    # 测试重点项目甲 sits under 经济/项目建设: 12亿元 total, 3.5亿元 this year, under construction.
    assert (
        economy[0]
        == "实施重点项目1个，总投资12亿元，年度完成投资3.5亿元；其中在建1个。重点推进了测试重点项目甲等项目。"
    )
    assert (
        rural[0]
        == "实施重点项目1个，总投资3亿元，年度完成投资1.2亿元；其中竣工1个。重点推进了峡谷景区提升工程等项目。"
    )
    assert [p.text for p in sections["safety"].paragraphs] == ["部署专项行动和其他重点工作1项，正在推进。"]
    assert "承诺的民生实事2件，已办结1件，惠及群众28万人，包括测试民生实事乙。" in [
        p.text for p in sections["livelihood_city"].paragraphs
    ]


def test_it_plans_next_year_from_the_goal_tree(year_data, cast):
    report = build_review(cast.county, 2023)
    next_year = report.sections[-1]
    assert next_year.subsections[0].title == "做强县域经济"
    assert next_year.subsections[0].paragraphs[0].text == "重点抓好招商引资、园区建设，部署工作事项1项。"


def test_it_refuses_a_year_without_a_plan(cast):
    with pytest.raises(ReportNotFound):
        build_review(cast.county, 2019)


def test_it_previews_the_review_with_linked_figures_and_chart_data(year_data, cast, client):
    client.force_login(cast.viewer)
    response = client.get(reverse("reports:review", args=["140427", 2023]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "壶关县2023年工作回顾" in html
    obs = year_data.gdp_2023
    assert f'data-source="indicators.Observation:{obs.pk}"' in html
    assert 'data-citation="《测试县2023年工作回顾》：“近25亿元”"' in html
    assert 'id="report-charts" type="application/json"' in html
    assert "reports/review_charts.js" in html
    # Strict CSP: no inline script without a nonce.
    assert not re.search(r"<script(?![^>]*(src=|type=\"application/json\"))[^>]*>", html)


def test_it_escapes_a_hostile_title_in_the_preview(year_data, cast, client):
    year_data.project_tourism.title = "<script>alert(1)</script>"
    year_data.project_tourism.total_investment = Decimal("9000000000")
    year_data.project_tourism.save()
    client.force_login(cast.supervisor)
    html = client.get(reverse("reports:review", args=["140427", 2023])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


@pytest.mark.parametrize("who", ["viewer", "reporter_a", "leader", "supervisor"])
def test_it_shows_the_review_of_a_published_plan_to_staff_of_the_region(year_data, cast, client, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("reports:review", args=["140427", 2023])).status_code == 200


def test_it_refuses_the_review_to_staff_of_another_county(year_data, cast, client):
    client.force_login(cast.outsider_supervisor)
    assert client.get(reverse("reports:review", args=["140427", 2023])).status_code == 403


def test_it_sends_anonymous_visitors_to_log_in(year_data, client):
    response = client.get(reverse("reports:review", args=["140427", 2023]))
    assert response.status_code == 302
    assert "/accounts/login" in response["Location"]


def test_it_hides_the_review_of_an_unpublished_plan_from_viewers_but_not_from_its_supervisor(
    year_data, cast, client
):
    Plan.objects.filter(pk=cast.plan.pk).update(published=False)
    client.force_login(cast.viewer)
    assert client.get(reverse("reports:review", args=["140427", 2023])).status_code == 404
    client.force_login(cast.supervisor)
    assert client.get(reverse("reports:review", args=["140427", 2023])).status_code == 200


def test_it_lists_reviewable_plans_on_the_index_in_chinese(year_data, cast, client):
    client.force_login(cast.viewer)
    html = client.get(reverse("reports:index")).content.decode()
    assert reverse("reports:review", args=["140427", 2023]) in html
    assert reverse("reports:ledger", args=["140427", 2023]) in html
    assert "年终盘点" in html and "督查通报" in html and "下载Word" in html


def test_it_links_named_items_and_indicator_figures_to_their_screens(year_data, cast, client):
    client.force_login(cast.supervisor)
    html = client.get(reverse("reports:review", args=["140427", 2023])).content.decode()
    item_url = reverse("ledger:item", args=[year_data.project_tourism.pk])
    assert (
        f'<a class="named" href="{item_url}" data-source="plans.WorkItem:{year_data.project_tourism.pk}">'
        in html
    )
    indicator_url = reverse("indicators:detail", args=[year_data.gdp.pk])
    assert f'<a href="{indicator_url}">《测试县2023年工作回顾》：“近25亿元”</a>' in html
