"""A small region-year with one record of every exported kind, built on the test cast."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from django.apps import apps
from django.core.files.base import ContentFile
from django.db import connection

from countyworks.conftest import Cast
from countyworks.honours.models import Honour, HonourLevel
from countyworks.indicators.models import Indicator, Observation, Qualifier, Target, ValueKind
from countyworks.interchange.backups import flush_database
from countyworks.plans.models import Milestone, NodeKind, PlanNode
from countyworks.regions.models import Person
from countyworks.sources.models import Citation, Document
from countyworks.supervision.models import Evidence, Instruction, Notice, ProgressReport, ReviewState


def build_region_year(cast: Cast) -> None:
    document = Document.objects.create(
        title="测试工作报告",
        slug="test-review-2023",
        region=cast.county,
        year=2023,
        published_on=date(2024, 1, 5),
    )
    citation = Citation.objects.create(document=document, start=10, end=14, section="一", quote="近25亿元")
    Citation.objects.create(document=document, start=30, end=35, section="二")
    goal = PlanNode.objects.create(plan=cast.plan, kind=NodeKind.GOAL, title="三地一区", order=1)
    direction = PlanNode.objects.create(
        plan=cast.plan, parent=goal, kind=NodeKind.DIRECTION, number="（一）", title="产业", order=2
    )
    # Eleven siblings with the same title: their uids differ ("-2" … "-11") and keep their order.
    for n in range(11):
        PlanNode.objects.create(
            plan=cast.plan, parent=goal, title="同名", description=f"第{n + 1}个", order=3 + n
        )
    item = cast.item_a
    item.node = direction
    item.total_investment = Decimal("120000000.00")
    item.progress = Decimal("45.50")
    item.citation = citation
    item.save()
    item.co_units.set([cast.unit_b])
    Milestone.objects.create(item=item, title="开工", due_date=date(2023, 3, 1), done_on=date(2023, 3, 5))
    Person.objects.create(
        name="张三", title="局长", region=cast.county, organisation=cast.unit_a, phone="13800000000"
    )
    report = ProgressReport.objects.create(
        item=item,
        period="2023-06",
        text="主体完工",
        progress=Decimal("45.50"),
        unit=cast.unit_a,
        submitted_by=cast.reporter_a,
        submitted_at=datetime(2023, 6, 30, 8, 0, tzinfo=UTC),
        state=ReviewState.APPROVED,
        reviewed_by=cast.supervisor,
        reviewed_at=datetime(2023, 7, 1, 9, 30, 15, 123456, tzinfo=UTC),
        illustrative=True,
    )
    Evidence.objects.create(
        report=report,
        file=ContentFile(b"\xff\xd8photo-bytes", name="site.jpg"),
        original_name="site.jpg",
        caption="工地",
    )
    Notice.objects.create(
        number="督办〔2023〕1号",
        item=cast.item_b,
        unit=cast.unit_b,
        content="请加快进度",
        deadline=date(2023, 8, 1),
        issued_by=cast.supervisor,
        issued_at=datetime(2023, 7, 15, 2, 0, tzinfo=UTC),
    )
    Instruction.objects.create(item=item, author=cast.leader, text="抓紧推进")
    indicator = Indicator.objects.create(code="emerging-output", name="战略性新兴产业产值", unit="亿元")
    Observation.objects.create(
        indicator=indicator,
        region=cast.county,
        year=2023,
        value=Decimal("25"),
        unit="亿元",
        qualifier=Qualifier.NEARLY,
        citation=citation,
    )
    Observation.objects.create(
        indicator=indicator,
        region=cast.county,
        year=2023,
        value_kind=ValueKind.MULTIPLE,
        value=Decimal("5"),
        unit="倍",
        base_year=2020,
        base_label="十三五末",
    )
    Target.objects.create(
        indicator=indicator, region=cast.county, year=2023, value=Decimal("20"), unit="亿元"
    )
    Honour.objects.create(
        title="全国示范县", level=HonourLevel.NATIONAL, holder_region=cast.county, year=2023
    )


def wipe_database() -> None:
    flush_database()


def row_counts() -> dict[str, int]:
    """Rows of every table, historical ones included (tables other apps have not migrated yet are skipped)."""
    tables = set(connection.introspection.table_names())
    return {m._meta.label: m._base_manager.count() for m in apps.get_models() if m._meta.db_table in tables}
