"""Timings of `countyworks supervise` over many items (prints figures; asserts nothing).

Builds, in a throwaway SQLite database (or the database DATABASE_URL names, if set), one plan with
N units and M items with random progress, dates and monthly reports, then times:
the first run of a day (every light and snapshot written), a second run the same day (nothing to
write) and a run on the next day (snapshots only, a few lights change), plus `unit_rankings`.
The query count of each run is printed too: it must not grow with the number of items.

    .venv/bin/python bench/bench_supervise.py [--items 5000] [--units 60]
"""

from __future__ import annotations

import argparse
import os
import random
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
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "countyworks.settings")
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _populate(items: int, units: int) -> object:
    from zoneinfo import ZoneInfo

    from countyworks.accounts.models import Role, User
    from countyworks.plans.models import ItemStatus, Plan, WorkItem
    from countyworks.regions.models import Organisation
    from countyworks.regions.services import ensure_region
    from countyworks.supervision.models import ProgressReport

    rng = random.Random(20231128)
    tz = ZoneInfo("Asia/Shanghai")
    county = ensure_region("140427")
    plan = Plan.objects.create(region=county, year=2023, title=f"bench {time.time_ns()}")
    orgs = Organisation.objects.bulk_create(
        Organisation(name=f"bench unit {plan.pk}-{n}", region=county) for n in range(units)
    )
    User.objects.bulk_create(
        User(
            username=f"bench-{plan.pk}-{n}",
            role=Role.REPORTER,
            region=county,
            organisation=org,
            email="x@example.cn",
        )
        for n, org in enumerate(orgs)
    )
    statuses = [ItemStatus.IN_PROGRESS] * 6 + [ItemStatus.NOT_STARTED, ItemStatus.COMPLETED]
    created = WorkItem.objects.bulk_create(
        WorkItem(
            plan=plan,
            title=f"bench item {n}",
            lead_unit=rng.choice(orgs),
            start_date=date(2023, 1, 1) + timedelta(days=rng.randint(0, 60)),
            due_date=date(2023, 6, 1) + timedelta(days=rng.randint(0, 200)),
            progress=Decimal(rng.randint(0, 100)),
            status=rng.choice(statuses),
        )
        for n in range(items)
    )
    ProgressReport.objects.bulk_create(
        ProgressReport(
            item=item,
            period=f"2023-{month:02d}",
            text="bench",
            progress=item.progress,
            unit_id=item.lead_unit_id,
            submitted_at=datetime(2023, month, rng.randint(1, 28), 10, tzinfo=tz),
        )
        for item in created
        for month in range(1, 10)
        if rng.random() < 0.7
    )
    return plan


def _timed(label: str, func):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = func()
        elapsed = time.perf_counter() - started
    print(f"{label:<38} {elapsed * 1000:9.1f} ms  {len(queries):6d} queries")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--units", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        _setup_django(workdir)
        from django.db import connection

        from countyworks.supervision.engine import supervise
        from countyworks.supervision.rankings import unit_rankings

        plan = _populate(args.items, args.units)
        print(f"{connection.vendor}: {args.items} items, {args.units} units")
        day = date(2023, 9, 26)
        summary = _timed("supervise, first run of the day", lambda: supervise(day))
        print("   ", summary.as_dict())
        summary = _timed("supervise, same day again", lambda: supervise(day))
        print("   ", summary.as_dict())
        summary = _timed("supervise, next day", lambda: supervise(day + timedelta(days=1)))
        print("   ", summary.as_dict())
        _timed(
            "unit_rankings, Jan-Sep",
            lambda: unit_rankings(plan, date(2023, 1, 1), date(2023, 9, 30), today=day),
        )


if __name__ == "__main__":
    main()
