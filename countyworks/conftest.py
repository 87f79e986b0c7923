"""The fixed test cast: one county, two units, and one account per role.

Every permission test picks its actor from `cast`, so a denial test is one line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date

import pytest

from countyworks.accounts.models import Role, User
from countyworks.plans.models import ItemKind, Plan, WorkItem
from countyworks.regions.models import Organisation, OrganisationKind, Person, Region
from countyworks.regions.services import ensure_region


@dataclass
class Cast:
    county: Region
    other_county: Region
    unit_a: Organisation
    unit_b: Organisation
    leader_person: Person
    admin: User
    supervisor: User
    leader: User
    reporter_a: User
    reporter_b: User
    viewer: User
    outsider_supervisor: User
    plan: Plan
    item_a: WorkItem
    item_b: WorkItem


def make_user(
    username: str, role: str, region: Region | None, organisation: Organisation | None = None
) -> User:
    return User.objects.create_user(
        username=username, password="pass-for-tests-only", role=role, region=region, organisation=organisation
    )


@pytest.fixture
def cast(db) -> Cast:
    county = ensure_region("140427")
    other = ensure_region("140428")
    unit_a = Organisation.objects.create(
        name="县发展和改革局", region=county, kind=OrganisationKind.DEPARTMENT
    )
    unit_b = Organisation.objects.create(
        name="县文化和旅游局", region=county, kind=OrganisationKind.DEPARTMENT
    )
    leader_person = Person.objects.create(name="测试县长", title="县长", region=county, is_county_leader=True)
    plan = Plan.objects.create(region=county, year=2023, title="2023年重点工作台账", published=True)
    item_a = WorkItem.objects.create(
        plan=plan,
        kind=ItemKind.KEY_PROJECT,
        title="测试重点项目甲",
        lead_unit=unit_a,
        lead_leader=leader_person,
        start_date=date(2023, 1, 1),
        due_date=date(2023, 12, 31),
        published=True,
    )
    item_b = WorkItem.objects.create(
        plan=plan,
        kind=ItemKind.LIVELIHOOD,
        title="测试民生实事乙",
        lead_unit=unit_b,
        start_date=date(2023, 1, 1),
        due_date=date(2023, 12, 31),
    )
    return Cast(
        county=county,
        other_county=other,
        unit_a=unit_a,
        unit_b=unit_b,
        leader_person=leader_person,
        admin=make_user("admin", Role.ADMIN, county),
        supervisor=make_user("supervisor", Role.SUPERVISOR, county),
        leader=make_user("leader", Role.LEADER, county),
        reporter_a=make_user("reporter_a", Role.REPORTER, county, unit_a),
        reporter_b=make_user("reporter_b", Role.REPORTER, county, unit_b),
        viewer=make_user("viewer", Role.VIEWER, county),
        outsider_supervisor=make_user("outsider", Role.SUPERVISOR, other),
        plan=plan,
        item_a=item_a,
        item_b=item_b,
    )


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Real hashing costs ~0.3 s a user; the cast alone has seven.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # No collectstatic before tests: resolve static files through the finders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def pytest_collection_modifyitems(config, items):
    # Tests of concurrent writers mean nothing on SQLite, which serialises them. Deselect rather than
    # skip there, so that CI (which fails on any skip) still runs them in its PostgreSQL pass.
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    kept = [item for item in items if item.get_closest_marker("postgresql_only") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    # A test skips only where a developer's machine lacks the seed, Chromium or LibreOffice. CI has
    # them all (`make system-deps`), so there a skip means a check silently stopped running: fail it.
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI, where nothing may be: {report.longrepr}"
