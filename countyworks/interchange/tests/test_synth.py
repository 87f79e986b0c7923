"""`countyworks synth` builds a small province of illustrative data, the same for the same seed."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from countyworks.accounts.models import Role, User
from countyworks.interchange.synth import build_province
from countyworks.plans.models import Plan, PlanNode, WorkItem
from countyworks.regions.models import RegionLevel
from countyworks.supervision import status
from countyworks.supervision.models import Notice, ProgressReport, ReviewState


def test_it_builds_counties_items_and_reports_of_a_real_province(db):
    summary = build_province(3, 12, 4, seed=7, year=2023, today=date(2023, 9, 1))
    plans = Plan.objects.select_related("region__parent__parent")
    assert plans.count() == 3
    for plan in plans:
        assert plan.region.level == RegionLevel.COUNTY
        assert plan.region.parent.level == RegionLevel.CITY and plan.region.code.startswith("14")
        assert plan.items.count() == 12
        assert PlanNode.objects.filter(plan=plan).count() == 15
    assert ProgressReport.objects.count() == 3 * 12 * 4 == summary.rows["progressreport"]
    assert not WorkItem.objects.filter(illustrative=False).exists()
    assert not ProgressReport.objects.filter(illustrative=False).exists()
    assert set(ProgressReport.objects.values_list("state", flat=True)) >= {ReviewState.APPROVED}
    assert len(set(WorkItem.objects.values_list("kind", flat=True))) >= 4
    red = status.annotate(WorkItem.objects.all(), date(2023, 9, 1)).filter(light="red").count()
    assert Notice.objects.count() == red
    supervisor = User.objects.get(username=f"sup_{plans[0].region.code}")
    assert supervisor.role == Role.SUPERVISOR and supervisor.check_password("synth-password")
    # Every item's lead unit has a reporter account, so a load test can submit progress on it.
    reporting_units = set(User.objects.filter(role=Role.REPORTER).values_list("organisation_id", flat=True))
    assert set(WorkItem.objects.values_list("lead_unit_id", flat=True)) <= reporting_units


class _Rollback(Exception):
    pass


def test_it_gives_the_same_data_for_the_same_seed(db):
    def build() -> list:
        build_province(1, 10, 2, seed=3, year=2023, today=date(2023, 6, 1))
        return list(WorkItem.objects.order_by("number").values_list("title", "progress", "status"))

    try:
        with transaction.atomic():
            first = build()
            raise _Rollback
    except _Rollback:
        pass
    assert not WorkItem.objects.exists()
    assert build() == first and len(first) == 10


def test_it_refuses_to_build_the_same_year_twice(db):
    call_command("synth", "--counties", "1", "--items", "2", "--reports", "1", "--year", "2023", verbosity=0)
    with pytest.raises(CommandError, match="exists already"):
        call_command("synth", "--counties", "1", "--items", "2", "--reports", "1", "--year", "2023")
    assert WorkItem.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_it_leaves_the_planner_statistics_fresh_after_the_bulk_load():
    """ANALYZE everywhere; on PostgreSQL (outside a transaction) VACUUM ANALYZE."""
    from django.db import connection

    build_province(1, 3, 1, seed=2, year=2023, today=date(2023, 6, 1))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT last_vacuum IS NOT NULL, last_analyze IS NOT NULL FROM pg_stat_user_tables"
                " WHERE relname = 'plans_workitem'"
            )
            assert cursor.fetchone() == (True, True)
        else:
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'plans_workitem'")
            assert cursor.fetchone()[0] > 0
