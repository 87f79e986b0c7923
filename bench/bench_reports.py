"""Timings of report generation over synthetic data (prints figures; asserts nothing).

Builds, in a throwaway SQLite database, a synthetic province of 120 counties with ~50 work items
each (goal tree, units, notices, progress reports), one county with indicators and honours, and
times: that county's review as HTML, DOCX and PDF, and the province's bulletin (DOCX).
Goals: HTML ≤ 0.5 s, DOCX ≤ 1.5 s, PDF ≤ 3 s, province bulletin ≤ 10 s.

    .venv/bin/python bench/bench_reports.py [--counties 120] [--items 50] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _setup_django(workdir: str) -> None:
    os.environ["COUNTYWORKS_VAR_DIR"] = workdir
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "countyworks.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _populate(counties: int, items_per_county: int) -> tuple[object, object]:
    from zoneinfo import ZoneInfo

    from countyworks.honours.models import Honour
    from countyworks.indicators.models import Indicator, Observation
    from countyworks.plans.models import ItemKind, ItemStatus, Light, Plan, PlanNode, ProjectStage, WorkItem
    from countyworks.regions.models import Organisation, Region
    from countyworks.supervision.models import Notice, ProgressReport

    rng = random.Random(20231231)
    tz = ZoneInfo("Asia/Shanghai")
    province = Region.objects.create(code="140000", name="合成省", level="province")
    kinds = [k for k, _ in ItemKind.choices]
    statuses = [ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS, ItemStatus.COMPLETED]
    lights = [Light.GREEN, Light.YELLOW, Light.RED, Light.DONE]
    stages = [s for s, _ in ProjectStage.choices]
    areas = ["经济发展", "乡村振兴与文旅", "民生与城市", "安全稳定"]
    first_county = None
    for c in range(counties):
        city_code = f"14{c // 10 + 1:02d}00"
        city, _ = Region.objects.get_or_create(
            code=city_code, defaults={"name": f"合成市{c // 10 + 1}", "level": "city", "parent": province}
        )
        county = Region.objects.create(
            code=f"14{c // 10 + 1:02d}{c % 10 + 1:02d}", name=f"合成县{c + 1}", level="county", parent=city
        )
        first_county = first_county or county
        units = Organisation.objects.bulk_create(
            [Organisation(name=f"县单位{u + 1}", region=county) for u in range(6)]
        )
        plan = Plan.objects.create(region=county, year=2023, title="2023年重点工作台账", published=True)
        roots = [
            PlanNode.objects.create(plan=plan, kind="area", title=a, order=i) for i, a in enumerate(areas)
        ]
        leaves = PlanNode.objects.bulk_create(
            [
                PlanNode(plan=plan, parent=r, title=f"{r.title}任务组{k + 1}", order=k)
                for r in roots
                for k in range(2)
            ]
        )
        items = []
        for n in range(items_per_county):
            status = rng.choice(statuses)
            items.append(
                WorkItem(
                    plan=plan,
                    node=rng.choice(leaves),
                    kind=rng.choice(kinds),
                    title=f"合成工作事项{n + 1}号",
                    lead_unit=rng.choice(units),
                    status=status,
                    light=Light.DONE if status == ItemStatus.COMPLETED else rng.choice(lights[:3]),
                    progress=Decimal(100 if status == ItemStatus.COMPLETED else rng.randint(0, 90)),
                    stage=rng.choice(stages),
                    total_investment=Decimal(rng.randint(1, 500)) * 10**6,
                    annual_completed_investment=Decimal(rng.randint(1, 100)) * 10**6,
                    due_date=date(2023, rng.randint(3, 12), 28),
                    is_overdue=rng.random() < 0.1,
                    published=True,
                )
            )
        items = WorkItem.objects.bulk_create(items)
        Notice.objects.bulk_create(
            [
                Notice(
                    item=i,
                    unit=i.lead_unit,
                    content="请加快推进",
                    deadline=date(2023, 9, 30),
                    issued_at=datetime(2023, 9, 1, 9, tzinfo=tz),
                    state="answered" if k % 2 else "issued",
                )
                for k, i in enumerate(items[:5])
            ]
        )
        ProgressReport.objects.bulk_create(
            [
                ProgressReport(
                    item=i,
                    period=f"2023-{m:02d}",
                    text="按计划推进",
                    progress=Decimal(m * 8),
                    unit=i.lead_unit,
                    submitted_at=datetime(2023, m, 25, 9, tzinfo=tz) + timedelta(hours=k % 5),
                )
                for k, i in enumerate(items)
                for m in (3, 6, 9)
            ]
        )
    # The reviewed county also has indicators over five years and honours.
    next_plan = Plan.objects.create(
        region=first_county, year=2024, title="2024年重点工作台账", published=True
    )
    for i, title in enumerate(areas):
        root = PlanNode.objects.create(plan=next_plan, kind="area", title=title, order=i)
        PlanNode.objects.create(plan=next_plan, parent=root, title=f"{title}重点", order=0)
    for k, (name, unit, area) in enumerate(
        [
            ("地区生产总值", "亿元", "经济"),
            ("接待游客", "人次", "文旅"),
            ("城镇居民人均可支配收入", "元", "民生"),
        ]
    ):
        indicator = Indicator.objects.create(
            code=f"bench-{k}", name=name, unit=unit, area=area, headline=k == 0
        )
        for year in range(2019, 2024):
            Observation.objects.create(
                indicator=indicator,
                region=first_county,
                year=year,
                value=Decimal(rng.randint(100, 400)) * (10**4 if unit == "人次" else 1),
                unit=unit,
            )
    for level in ("national", "provincial", "city"):
        Honour.objects.create(title=f"合成{level}荣誉", level=level, holder_region=first_county, year=2023)
    return province, first_county


def _time(label: str, goal: float, repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    best, median = min(times), statistics.median(times)
    verdict = "ok" if median <= goal else "OVER GOAL"
    print(
        f"{label:<38} median {median:6.2f} s  best {best:6.2f} s  goal {goal:4.1f} s  {verdict}  ({len(result)} bytes)"
    )
    return median


def _load() -> str:
    # Other work on the machine slows every figure; print it so the numbers can be read fairly.
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} on {os.cpu_count()} CPUs"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=120)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cw-bench-reports-") as workdir:
        _setup_django(workdir)
        started = time.perf_counter()
        province, county = _populate(args.counties, args.items)
        print(
            f"synthetic province: {args.counties} counties × {args.items} items "
            f"(built in {time.perf_counter() - started:.1f} s); {_load()}"
        )
        from countyworks.reports import charts
        from countyworks.reports.builders.bulletin import build_bulletin
        from countyworks.reports.builders.review import build_review
        from countyworks.reports.render_docx import render_docx
        from countyworks.reports.render_html import render_standalone
        from countyworks.reports.render_pdf import render_pdf

        start, end = date(2023, 1, 1), date(2023, 12, 31)

        def cold_docx() -> bytes:
            # Chart pictures are cached by content; time the first download, not a repeat.
            charts._draw.cache_clear()
            return render_docx(build_review(county, 2023))

        def cold_pdf() -> bytes:
            charts._draw.cache_clear()
            return render_pdf(build_review(county, 2023))

        _time(
            "county review HTML",
            0.5,
            args.repeat,
            lambda: render_standalone(build_review(county, 2023)),
        )
        _time(
            "county review DOCX (with charts)",
            1.5,
            args.repeat,
            cold_docx,
        )
        _time(
            "county review PDF (DOCX + LibreOffice)",
            3.0,
            args.repeat,
            cold_pdf,
        )
        _time(
            "county bulletin DOCX",
            1.5,
            args.repeat,
            lambda: render_docx(build_bulletin(county, start, end)),
        )
        _time(
            f"province bulletin DOCX ({args.counties} counties)",
            10.0,
            args.repeat,
            lambda: render_docx(build_bulletin(province, start, end)),
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
