"""Fixtures of the reports tests: a small county year with records in every area of work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from countyworks.honours.models import Honour, HonourLevel
from countyworks.indicators.models import Indicator, Observation, Target, ValueKind
from countyworks.plans.models import ItemKind, ItemStatus, Plan, PlanNode, ProjectStage, WorkItem
from countyworks.sources.models import Citation, Document
from countyworks.supervision.models import Notice, NoticeState

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The reports are read on 15 November 2023: lights and overdue flags are derived for that day
# (城区供热管网改造, due 31 October at 60 %, is then red and overdue).
READ_ON = datetime(2023, 11, 15, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _read_in_november_2023():
    with time_machine.travel(READ_ON, tick=True):
        yield


@dataclass
class YearData:
    document: Document
    gdp: Indicator
    visitors: Indicator
    tourism_income: Indicator
    gdp_2023: Observation
    gdp_2022: Observation
    visitors_2023: Observation
    income_multiple: Observation
    income_growth: Observation
    project_tourism: WorkItem
    rectification_closed: WorkItem
    next_plan: Plan


def cite(document: Document, start: int, end: int, quote: str) -> Citation:
    return Citation.objects.create(document=document, start=start, end=end, quote=quote)


@pytest.fixture
def year_data(cast) -> YearData:
    doc = Document.objects.create(
        title="测试县2023年工作回顾", slug="test-review-2023", region=cast.county, year=2023
    )
    economy = PlanNode.objects.create(plan=cast.plan, kind="area", title="经济高质量发展", order=1)
    projects = PlanNode.objects.create(plan=cast.plan, parent=economy, title="项目建设", order=1)
    rural = PlanNode.objects.create(plan=cast.plan, kind="area", title="乡村振兴与全域旅游", order=2)
    safety = PlanNode.objects.create(plan=cast.plan, kind="area", title="安全稳定", order=3)

    item_a = cast.item_a
    item_a.node = projects
    item_a.stage = ProjectStage.UNDER_CONSTRUCTION
    item_a.total_investment = Decimal("1200000000")
    item_a.annual_completed_investment = Decimal("350000000")
    item_a.save()
    tourism = WorkItem.objects.create(
        plan=cast.plan,
        node=rural,
        kind=ItemKind.KEY_PROJECT,
        title="峡谷景区提升工程",
        stage=ProjectStage.COMPLETED,
        total_investment=Decimal("300000000"),
        annual_completed_investment=Decimal("120000000"),
        status=ItemStatus.COMPLETED,
        lead_unit=cast.unit_b,
        progress=Decimal("100"),
        published=True,
    )
    item_b = cast.item_b
    item_b.status = ItemStatus.COMPLETED
    item_b.beneficiary_count = 280000
    item_b.save()
    WorkItem.objects.create(
        plan=cast.plan,
        kind=ItemKind.LIVELIHOOD,
        title="城区供热管网改造",
        lead_unit=cast.unit_a,
        status=ItemStatus.IN_PROGRESS,
        progress=Decimal("60"),
        due_date=date(2023, 10, 31),
    )
    closed = WorkItem.objects.create(
        plan=cast.plan,
        kind=ItemKind.RECTIFICATION,
        title="整改事项一",
        closed_on=date(2023, 9, 1),
        status=ItemStatus.COMPLETED,
        lead_unit=cast.unit_a,
    )
    WorkItem.objects.create(
        plan=cast.plan, kind=ItemKind.RECTIFICATION, title="整改事项二", lead_unit=cast.unit_b
    )
    for n in range(3):
        WorkItem.objects.create(
            plan=cast.plan,
            kind=ItemKind.RESEARCH,
            title=f"调研课题{n + 1}",
            party_lecture_delivered=n < 2,
            lead_unit=cast.unit_a,
        )
    WorkItem.objects.create(
        plan=cast.plan,
        node=safety,
        kind=ItemKind.CAMPAIGN,
        title="安全生产专项整治",
        status=ItemStatus.IN_PROGRESS,
        lead_unit=cast.unit_b,
        progress=Decimal("20"),
        due_date=date(2023, 12, 31),
    )
    # An internal item stays out of the review.
    WorkItem.objects.create(plan=cast.plan, kind=ItemKind.ROUTINE, title="内部事项", internal=True)

    gdp = Indicator.objects.create(code="gdp", name="地区生产总值", unit="亿元", area="经济", headline=True)
    visitors = Indicator.objects.create(code="visitors", name="接待游客", unit="人次", area="文旅")
    income = Indicator.objects.create(code="tourism-income", name="旅游综合收入", unit="亿元", area="文旅")
    gdp_2023 = Observation.objects.create(
        indicator=gdp,
        region=cast.county,
        year=2023,
        value=Decimal("25"),
        unit="亿元",
        qualifier="nearly",
        citation=cite(doc, 100, 106, "近25亿元"),
    )
    gdp_2022 = Observation.objects.create(
        indicator=gdp,
        region=cast.county,
        year=2022,
        value=Decimal("22.4"),
        unit="亿元",
    )
    visitors_2023 = Observation.objects.create(
        indicator=visitors,
        region=cast.county,
        year=2023,
        value=Decimal("4400000"),
        unit="人次",
        qualifier="over",
        citation=cite(doc, 200, 207, "超440万人次"),
    )
    Observation.objects.create(
        indicator=income,
        region=cast.county,
        year=2023,
        value=Decimal("3"),
        unit="亿元",
        qualifier="over",
        citation=cite(doc, 300, 305, "突破3亿元"),
    )
    income_multiple = Observation.objects.create(
        indicator=income,
        region=cast.county,
        year=2023,
        value_kind=ValueKind.MULTIPLE,
        value=Decimal("5"),
        unit="倍",
        base_label="十三五末",
        citation=cite(doc, 306, 318, "是十三五末的5倍"),
    )
    income_growth = Observation.objects.create(
        indicator=income,
        region=cast.county,
        year=2023,
        value_kind=ValueKind.GROWTH,
        value=Decimal("216"),
        unit="%",
        base_year=2019,
        citation=cite(doc, 320, 332, "较2019年增长216%"),
    )
    Target.objects.create(indicator=gdp, region=cast.county, year=2023, value=Decimal("24"), unit="亿元")
    Honour.objects.create(
        title="全国休闲农业重点县", level=HonourLevel.NATIONAL, holder_region=cast.county, year=2023
    )
    Honour.objects.create(
        title="省级文明县城", level=HonourLevel.PROVINCIAL, holder_region=cast.county, year=2023
    )

    next_plan = Plan.objects.create(region=cast.county, year=2024, title="2024年重点工作台账", published=True)
    grow = PlanNode.objects.create(plan=next_plan, kind="area", title="做强县域经济", order=1)
    PlanNode.objects.create(plan=next_plan, parent=grow, title="招商引资", order=1)
    PlanNode.objects.create(plan=next_plan, parent=grow, title="园区建设", order=2)
    WorkItem.objects.create(plan=next_plan, node=grow, kind=ItemKind.KEY_PROJECT, title="2024项目甲")

    Notice.objects.create(
        item=cast.item_a,
        unit=cast.unit_a,
        content="请加快进度",
        deadline=date(2023, 6, 30),
        issued_at=datetime(2023, 6, 1, 10, tzinfo=SHANGHAI),
        state=NoticeState.ANSWERED,
        answered_at=datetime(2023, 6, 20, 10, tzinfo=SHANGHAI),
    )
    Notice.objects.create(
        item=tourism,
        unit=cast.unit_b,
        content="请报送进展",
        deadline=date(2023, 8, 30),
        issued_at=datetime(2023, 8, 1, 10, tzinfo=SHANGHAI),
    )
    return YearData(
        document=doc,
        gdp=gdp,
        visitors=visitors,
        tourism_income=income,
        gdp_2023=gdp_2023,
        gdp_2022=gdp_2022,
        visitors_2023=visitors_2023,
        income_multiple=income_multiple,
        income_growth=income_growth,
        project_tourism=tourism,
        rectification_closed=closed,
        next_plan=next_plan,
    )
