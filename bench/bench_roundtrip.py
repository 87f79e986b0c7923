"""Timings of the ledger's Excel round trip at 10,000 rows (prints figures; asserts nothing).

Builds, in a throwaway SQLite database (or the database DATABASE_URL names, if set), one plan of
N items over 60 units, exports its ledger workbook, edits C rows of it as a clerk would (a third
progress, a third deadlines, a third statuses) and appends a few new rows, then times the export,
the preview (`preview_round_trip`) and the confirmation (`apply_round_trip`).
Goal on this machine: preview ≤ 5 s, confirm ≤ 10 s.

    .venv/bin/python bench/bench_roundtrip.py [--items 10000] [--changes 1000] [--new 50]
"""

from __future__ import annotations

import argparse
import io
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
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--changes", type=int, default=1_000)
    parser.add_argument("--new", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        _setup_django(workdir)
        run(args.items, args.changes, args.new)


def run(items: int, changes: int, new: int) -> None:
    from django.utils import translation
    from openpyxl import load_workbook

    from countyworks.accounts.models import Role, User
    from countyworks.plans.models import ItemStatus, Plan, WorkItem
    from countyworks.regions.models import Organisation
    from countyworks.regions.services import ensure_region
    from countyworks.supervision import roundtrip, status
    from countyworks.supervision.ledger_export import ID_COLUMN, build_ledger_workbook

    translation.activate("zh-hans")
    rng = random.Random(20231202)
    county = ensure_region("140427")
    plan = Plan.objects.create(region=county, year=2023, title=f"bench {time.time_ns()}")
    units = Organisation.objects.bulk_create(
        Organisation(name=f"往返单位{plan.pk}-{n}", region=county) for n in range(60)
    )
    supervisor = User.objects.create(
        username=f"bench-office-{plan.pk}", role=Role.SUPERVISOR, region=county, email="x@example.cn"
    )
    WorkItem.objects.bulk_create(
        WorkItem(
            plan=plan,
            title=f"往返任务 {n}",
            lead_unit=rng.choice(units),
            start_date=date(2023, 1, 1),
            due_date=date(2023, 6, 1) + timedelta(days=rng.randint(0, 200)),
            progress=Decimal(rng.randint(0, 90)),
            status=ItemStatus.IN_PROGRESS,
        )
        for n in range(items)
    )

    started = time.perf_counter()
    rows = (
        status.annotate(WorkItem.objects.filter(plan=plan))
        .select_related("lead_leader", "lead_unit")
        .prefetch_related("co_units")
        .order_by("id")
    )
    buffer = io.BytesIO()
    build_ledger_workbook(rows, "台账").save(buffer)
    export_took = time.perf_counter() - started

    book = load_workbook(io.BytesIO(buffer.getvalue()))
    sheet = book.active
    lines = list(range(3, sheet.max_row + 1))
    for n, line in enumerate(rng.sample(lines, changes)):
        if n % 3 == 0:
            sheet.cell(line, 7).value = 0.95
        elif n % 3 == 1:
            sheet.cell(line, 6).value = datetime(2023, 12, 20)
        else:
            sheet.cell(line, 8).value = "暂缓"
    for n in range(new):
        line = sheet.max_row + 1
        sheet.cell(line, 2).value = f"往返新增任务 {n}"
        sheet.cell(line, 4).value = units[n % len(units)].name
    assert sheet.cell(3, ID_COLUMN).value  # the hidden id column is there
    edited = io.BytesIO()
    book.save(edited)

    started = time.perf_counter()
    preview = roundtrip.preview_round_trip(supervisor, plan, io.BytesIO(edited.getvalue()))
    preview_took = time.perf_counter() - started
    assert preview.ok, preview.problems[:3]

    started = time.perf_counter()
    result = roundtrip.apply_round_trip(supervisor, plan, io.BytesIO(edited.getvalue()))
    confirm_took = time.perf_counter() - started

    print(f"round trip of {items} rows, {changes} edited rows, {new} new rows")
    print(f"  export workbook: {export_took:6.2f} s ({len(buffer.getvalue()) // 1024} KiB)")
    print(f"  preview:         {preview_took:6.2f} s ({preview.cell_count} changed cells)  goal ≤ 5 s")
    print(
        f"  confirm:         {confirm_took:6.2f} s ({result.items_updated} items changed, "
        f"{result.reports_entered} reports, {result.items_created} new items)  goal ≤ 10 s"
    )


if __name__ == "__main__":
    main()
