"""A monthly bulletin of a past month speaks of the ledger as it stood at that month's end."""

from __future__ import annotations

from collections import Counter
from datetime import date

from countyworks.demo import services as demo_services
from countyworks.plans.models import WorkItem
from countyworks.regions.models import Region
from countyworks.reports.builders.bulletin import build_bulletin
from countyworks.supervision import status


def _stated(report) -> dict[str, int]:
    return {f.label: int(f.value) for f in report.figures()}


def test_a_june_bulletin_counts_the_items_as_they_stood_on_30_june(db):
    demo_services.load_demo(with_activity=False)
    county = Region.objects.get(code="140427")
    day = date(2023, 6, 30)
    june = build_bulletin(county, date(2023, 6, 1), day)
    ids = WorkItem.objects.filter(plan__year=2023).values("pk")
    rebuilt = Counter(r.status for r in status.annotate(status.history_as_of(day, ids), day))
    figures = _stated(june)
    assert figures["督查事项计数"] == sum(rebuilt.values())
    assert figures["已完成事项计数"] == rebuilt["completed"]
    assert "（2023年6月1日至2023年6月30日）" == june.subtitle
    # By December more is done: the June bulletin is not today's ledger.
    december = _stated(build_bulletin(county, date(2023, 12, 1), date(2023, 12, 31)))
    assert december["已完成事项计数"] > figures["已完成事项计数"]
