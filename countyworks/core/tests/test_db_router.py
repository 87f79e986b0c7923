"""Read replica routing (issue 18): which alias each query of a request goes to.

The replica alias is a second connection to the test database (what TEST MIRROR does when
DATABASE_REPLICA_URL is set), so the data is the same and only the routing is under test. Each
connection records the statements it runs; the tests read the routing off those records. The data
is committed (transactional tests), because a second connection cannot see another's open
transaction.
"""

from __future__ import annotations

import copy

import pytest
from django.db import connections, transaction
from django.test import Client
from django.urls import reverse

from countyworks.core import db_router
from countyworks.core.db_router import PRIMARY, REPLICA, WROTE_COOKIE
from countyworks.plans.models import WorkItem

pytestmark = pytest.mark.django_db(transaction=True, databases=[PRIMARY, REPLICA])


class Recorder:
    """An execute wrapper: the SQL a connection ran."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append(sql)
        return execute(sql, params, many, context)

    def selects(self, table: str) -> list[str]:
        return [s for s in self.statements if s.lstrip().upper().startswith("SELECT") and table in s]

    def writes(self) -> list[str]:
        return [s for s in self.statements if s.lstrip().upper().split(" ", 1)[0] in ("INSERT", "UPDATE")]


@pytest.fixture(scope="module", autouse=True)
def replica_alias(django_db_setup, django_db_blocker):
    """A 'replica' alias on the test database, added before the tests' database set-up sees it."""
    primary = connections[PRIMARY].settings_dict
    connections.settings[REPLICA] = {**copy.deepcopy(primary), "TEST": {**primary["TEST"], "MIRROR": PRIMARY}}
    yield
    with django_db_blocker.unblock():
        connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.fixture
def routed(settings, monkeypatch):
    settings.DATABASE_ROUTERS = ["countyworks.core.db_router.ReplicaRouter"]
    # The test "replica" is the primary itself; on PostgreSQL the real probe rightly finds no
    # standby there (test_the_lag_probe_finds_no_standby_on_a_primary) and would set it aside.
    monkeypatch.setattr(db_router, "measure_replica_lag", lambda: 0.0)
    settings.REPLICA_STICKY_SECONDS = 10
    db_router.lag_gate.forget()
    recorders = {PRIMARY: Recorder(), REPLICA: Recorder()}
    with (
        connections[PRIMARY].execute_wrapper(recorders[PRIMARY]),
        connections[REPLICA].execute_wrapper(recorders[REPLICA]),
    ):
        yield recorders
    db_router.lag_gate.forget()


def clear(recorders: dict[str, Recorder]) -> None:
    for recorder in recorders.values():
        recorder.statements.clear()


def report(client, item: WorkItem):
    return client.post(
        reverse("supervision:report_new", args=[item.pk]),
        {"period": "2023-11", "progress": "40", "text": "已完成主体工程。"},
    )


def test_a_page_read_by_someone_who_has_not_written_comes_from_the_replica(client, cast, routed):
    client.force_login(cast.supervisor)
    clear(routed)
    assert client.get(reverse("ledger:item", args=[cast.item_a.pk])).status_code == 200
    assert routed[REPLICA].selects("plans_workitem")
    assert not routed[PRIMARY].selects("plans_workitem")


def test_the_author_reads_the_primary_right_after_writing_and_another_user_the_replica(client, cast, routed):
    client.force_login(cast.reporter_a)
    clear(routed)
    response = report(client, cast.item_a)
    assert response.status_code == 302, response.content.decode()[:500]
    assert WROTE_COOKIE in response.cookies
    assert routed[PRIMARY].writes() and not routed[REPLICA].writes()

    clear(routed)
    assert client.get(reverse("ledger:item", args=[cast.item_a.pk])).status_code == 200
    assert routed[PRIMARY].selects("plans_workitem")
    assert not routed[REPLICA].statements  # nothing at all, not even the session

    other = Client()
    other.force_login(cast.supervisor)
    clear(routed)
    assert other.get(reverse("ledger:item", args=[cast.item_a.pk])).status_code == 200
    assert routed[REPLICA].selects("plans_workitem")
    assert not routed[PRIMARY].selects("plans_workitem")


def test_the_mark_wears_off_after_the_sticky_window(client, cast, routed):
    client.force_login(cast.supervisor)
    client.cookies[WROTE_COOKIE] = "1000.0"  # written long ago
    clear(routed)
    client.get(reverse("ledger:item", args=[cast.item_a.pk]))
    assert routed[REPLICA].selects("plans_workitem")


def test_a_write_never_goes_to_the_replica_and_reads_inside_a_transaction_stay_on_the_primary(cast, routed):
    routing = db_router._Routing(replica_reads=True)
    token = db_router._current.set(routing)
    try:
        clear(routed)
        assert WorkItem.objects.filter(pk=cast.item_a.pk).exists()
        assert routed[REPLICA].selects("plans_workitem")
        clear(routed)
        with transaction.atomic():
            item = WorkItem.objects.get(pk=cast.item_a.pk)
            item.title = "改名"
            item.save()
        assert routed[PRIMARY].selects("plans_workitem") and routed[PRIMARY].writes()
        assert not routed[REPLICA].statements
        # After its first write the request reads what it wrote: the primary, atomic or not.
        clear(routed)
        assert WorkItem.objects.get(pk=cast.item_a.pk).title == "改名"
        assert routed[PRIMARY].selects("plans_workitem") and not routed[REPLICA].statements
    finally:
        db_router._current.reset(token)


def test_outside_a_request_everything_reads_the_primary(cast, routed):
    clear(routed)
    list(WorkItem.objects.all())
    assert routed[PRIMARY].selects("plans_workitem") and not routed[REPLICA].statements


def test_a_lagging_replica_is_set_aside(client, cast, routed, monkeypatch):
    monkeypatch.setattr(db_router, "measure_replica_lag", lambda: 30.0)
    client.force_login(cast.supervisor)
    clear(routed)
    client.get(reverse("ledger:item", args=[cast.item_a.pk]))
    assert routed[PRIMARY].selects("plans_workitem") and not routed[REPLICA].statements


def test_migrations_run_on_the_primary_only():
    router = db_router.ReplicaRouter()
    assert router.allow_migrate(PRIMARY, "plans") is True
    assert router.allow_migrate(REPLICA, "plans") is False


@pytest.mark.postgresql_only
def test_the_lag_probe_finds_no_standby_on_a_primary(replica_alias):
    # A server that is not streaming from a primary has no known lag: the router must not use it.
    # (The real standby's figure is exercised by `make cluster-test`.)
    assert db_router.measure_replica_lag() is None
