"""Timings of reading a document in: `read_document` (store, read, propose drafts) and accepting drafts.

In a throwaway SQLite database (or the one DATABASE_URL names), reads a long text made by repeating
the shared seed (../shared/seed) with the year changed each time, then accepts a sample of its
observation drafts one by one as a supervisor would. Prints figures; asserts nothing.

    .venv/bin/python bench/bench_read_document.py [--copies 50] [--accept 200]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
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
    parser.add_argument("--copies", type=int, default=50)
    parser.add_argument("--accept", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        _setup_django(workdir)
        from django.conf import settings

        from countyworks.accounts.models import Role, User
        from countyworks.plans.models import Plan
        from countyworks.reading import services
        from countyworks.reading.models import ProposalKind
        from countyworks.regions.services import ensure_region

        seed = (Path(settings.SHARED_DIR) / "seed" / "huguan-2023-review.txt").read_text(encoding="utf-8")
        text = "\n\n".join(seed.replace("2023", str(2000 + n % 24)) for n in range(args.copies))
        county = ensure_region("140427")
        Plan.objects.get_or_create(region=county, year=2023, title="bench")
        supervisor = User.objects.create_user(f"bench-{time.time_ns()}", role=Role.SUPERVISOR, region=county)

        started = time.perf_counter()
        document = services.read_document(supervisor, text=text, region=county, year=2023, title="bench")
        took = time.perf_counter() - started
        drafts = document.drafts.count()
        print(f"read_document: {len(text):,} characters, {drafts:,} drafts in {took:.2f} s")
        print(f"  {len(text) / took:,.0f} characters/s including the database writes")

        sample = list(
            document.drafts.filter(kind=ProposalKind.OBSERVATION).exclude(fields__indicator="")[: args.accept]
        )
        started = time.perf_counter()
        accepted = 0
        for draft in sample:
            try:
                services.accept_draft(supervisor, draft)
                accepted += 1
            except services.ServiceError:
                continue
        took = time.perf_counter() - started
        if accepted:
            print(f"accept_draft: {accepted} drafts in {took:.2f} s, {took / accepted * 1000:.1f} ms each")


if __name__ == "__main__":
    main()
