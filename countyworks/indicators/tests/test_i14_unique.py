"""Issue 14, point 6: one figure per indicator, region and period and one target per indicator, region
and year — enforced by the database, so concurrent identical writes store one row; and POST /reports
honours an Idempotency-Key."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import IntegrityError, connections, transaction
from django.test import Client

from countyworks.accounts.models import ApiToken, TokenScope
from countyworks.core.services import ServiceError
from countyworks.indicators import services
from countyworks.indicators.models import Indicator, Observation, Target
from countyworks.supervision.models import ProgressReport

# Concurrency needs PostgreSQL: SQLite serialises writers. The root conftest deselects these on SQLite
# (a deselection, not a skip: CI's PostgreSQL pass runs them).
on_postgresql = pytest.mark.postgresql_only


@pytest.fixture
def gdp(db) -> Indicator:
    return Indicator.objects.create(code="gdp", name="地区生产总值", unit="亿元")


def test_the_database_refuses_a_second_live_figure_for_one_period(cast, gdp):
    Observation.objects.create(indicator=gdp, region=cast.county, year=2023, value=Decimal(1), unit="亿元")
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.create(
            indicator=gdp, region=cast.county, year=2023, value=Decimal(2), unit="亿元"
        )


def test_a_soft_deleted_figure_does_not_block_its_correction(cast, gdp):
    first = Observation.objects.create(
        indicator=gdp, region=cast.county, year=2023, value=Decimal(1), unit="亿元"
    )
    first.soft_delete()
    Observation.objects.create(indicator=gdp, region=cast.county, year=2023, value=Decimal(2), unit="亿元")
    # Quarters and months are other periods of the same year.
    Observation.objects.create(
        indicator=gdp, region=cast.county, year=2023, quarter=1, value=Decimal(3), unit="亿元"
    )
    assert Observation.objects.count() == 2


def test_the_database_refuses_a_second_target_for_one_year(cast, gdp):
    Target.objects.create(indicator=gdp, region=cast.county, year=2024, value=Decimal(1), unit="亿元")
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(indicator=gdp, region=cast.county, year=2024, value=Decimal(2), unit="亿元")


def test_the_service_turns_a_lost_race_into_a_clear_error(cast, gdp, monkeypatch):
    # Simulate the race: the row arrives between the service's check and its insert.
    services.create_target(
        cast.supervisor, indicator=gdp, region=cast.county, year=2024, value="5", unit="亿元"
    )
    monkeypatch.setattr(Target.objects, "filter", lambda *a, **k: Target.objects.none())
    with pytest.raises(ServiceError) as refused:
        services.create_target(
            cast.supervisor, indicator=gdp, region=cast.county, year=2024, value="6", unit="亿元"
        )
    assert refused.value.field == "year"
    assert Target.objects.count() == 1


def _post_many(path: str, body: dict, key: str, headers: dict | None = None, count: int = 50) -> list[int]:
    barrier = threading.Barrier(10)

    def send(_n: int) -> int:
        try:
            try:
                barrier.wait(timeout=5)
            except threading.BrokenBarrierError:
                pass
            response = Client().post(
                path,
                json.dumps(body),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {key}",
                **(headers or {}),
            )
            return response.status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        return list(pool.map(send, range(count)))


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_identical_figure_posts_store_one_row(cast, gdp):
    _t, key = ApiToken.issue(cast.supervisor, "write", cast.county, TokenScope.WRITE)
    body = {
        "indicator_id": gdp.pk,
        "region_code": cast.county.code,
        "year": 2022,
        "value": "90",
        "unit": "亿元",
    }
    statuses = _post_many("/api/v1/observations", body, key)
    assert Observation.objects.filter(indicator=gdp, year=2022).count() == 1
    assert statuses.count(201) == 1 and set(statuses) <= {201, 400, 409, 422}, statuses


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_identical_target_posts_store_one_row(cast, gdp):
    _t, key = ApiToken.issue(cast.supervisor, "write", cast.county, TokenScope.WRITE)
    body = {
        "indicator_id": gdp.pk,
        "region_code": cast.county.code,
        "year": 2024,
        "value": "100",
        "unit": "亿元",
    }
    statuses = _post_many("/api/v1/targets", body, key)
    assert Target.objects.filter(indicator=gdp, year=2024).count() == 1
    assert statuses.count(201) == 1, statuses


def _report_body(cast) -> dict:
    return {"item_id": cast.item_a.pk, "period": "2023-10", "text": "进场施工", "progress": 30}


def test_a_repeated_report_post_with_one_idempotency_key_stores_one_report(cast, client):
    _t, key = ApiToken.issue(cast.reporter_a, "unit a", cast.county, TokenScope.WRITE)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}", "HTTP_IDEMPOTENCY_KEY": "retry-7f3a"}
    body = json.dumps(_report_body(cast))
    first = client.post("/api/v1/reports", body, content_type="application/json", **headers)
    again = client.post("/api/v1/reports", body, content_type="application/json", **headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert ProgressReport.objects.count() == 1
    other = json.dumps({**_report_body(cast), "progress": 40})
    clash = client.post("/api/v1/reports", other, content_type="application/json", **headers)
    assert clash.status_code == 409
    # Without a key each post is a new report, as before.
    client.post("/api/v1/reports", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert ProgressReport.objects.count() == 2


def test_an_idempotency_key_belongs_to_its_user(cast, client):
    from countyworks.plans.models import WorkItem

    WorkItem.co_units.through.objects.create(workitem_id=cast.item_a.pk, organisation_id=cast.unit_b.pk)
    _t, key_a = ApiToken.issue(cast.reporter_a, "unit a", cast.county, TokenScope.WRITE)
    _t, key_b = ApiToken.issue(cast.reporter_b, "unit b", cast.county, TokenScope.WRITE)
    body = json.dumps(_report_body(cast))
    for key in (key_a, key_b):
        response = client.post(
            "/api/v1/reports",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
            HTTP_IDEMPOTENCY_KEY="same-key",
        )
        assert response.status_code == 201
    assert ProgressReport.objects.count() == 2


def test_a_malformed_idempotency_key_is_refused_naming_the_header(cast, client):
    _t, key = ApiToken.issue(cast.reporter_a, "unit a", cast.county, TokenScope.WRITE)
    response = client.post(
        "/api/v1/reports",
        json.dumps(_report_body(cast)),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
        HTTP_IDEMPOTENCY_KEY="x" * 300,
    )
    assert response.status_code in (400, 422) and response.json()["field"] == "Idempotency-Key"
    assert ProgressReport.objects.count() == 0


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_report_posts_with_one_key_store_one_report(cast):
    _t, key = ApiToken.issue(cast.reporter_a, "unit a", cast.county, TokenScope.WRITE)
    statuses = _post_many("/api/v1/reports", _report_body(cast), key, {"HTTP_IDEMPOTENCY_KEY": "burst-1"})
    assert ProgressReport.objects.count() == 1
    assert set(statuses) == {201}, statuses
