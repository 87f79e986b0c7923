"""Figures and targets written through the API: the same services as the screens and the import."""

from __future__ import annotations

from decimal import Decimal

import pytest

from countyworks.api.tests.conftest import bearer
from countyworks.indicators.models import Indicator, Observation, Target

D = Decimal


@pytest.fixture
def gdp(db):
    return Indicator.objects.create(code="gdp", name="地区生产总值", unit="亿元")


def _json(client, method, path, payload, key=None):
    extra = bearer(key) if key else {}
    return getattr(client, method)(path, payload, content_type="application/json", **extra)


def _figure(**fields):
    return {"indicator_code": "gdp", "region_code": "140427", "year": 2023, "value": "98.6"} | fields


def test_it_creates_a_figure_with_a_write_token(client, cast, tokens, gdp):
    response = _json(
        client,
        "post",
        "/api/v1/observations",
        _figure(qualifier="nearly", published=True),
        tokens["supervisor_write"],
    )
    assert response.status_code == 201, response.content
    body = response.json()
    stored = Observation.objects.get(pk=body["id"])
    assert (stored.value, stored.unit, stored.qualifier, stored.published) == (
        D("98.6"),
        "亿元",
        "nearly",
        True,
    )
    assert (body["version"], body["indicator_code"], body["region_code"]) == (1, "gdp", "140427")
    assert stored.history.get().history_user == cast.supervisor


def test_it_creates_a_figure_in_a_logged_in_session(client, cast, gdp):
    client.force_login(cast.supervisor)
    response = _json(
        client, "post", "/api/v1/observations", _figure(indicator_id=gdp.pk, indicator_code=None)
    )
    # indicator_code sent as null is refused by name (the schema declares it not nullable, issue 14);
    # sent alone the id is enough.
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "indicator_code"
    payload = _figure(indicator_id=gdp.pk)
    del payload["indicator_code"]
    assert _json(client, "post", "/api/v1/observations", payload).status_code == 201


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        (_figure(value="abc"), 422, "value"),
        (_figure(year="二〇二三"), 422, "year"),
        (_figure(qualifier="近"), 422, "qualifier"),
        (_figure(quarter=5), 422, "quarter"),
        (_figure(unit="人"), 400, "unit"),
        (_figure(indicator_code="no-such"), 400, "indicator_code"),
        (_figure(region_code="999999"), 400, "region_code"),
        (_figure(base_year=2020), 400, "base_year"),
        (_figure(citation_id=987654), 400, "citation_id"),
        ({"region_code": "140427", "year": 2023, "value": 1}, 400, "indicator_id"),
    ],
)
def test_it_names_the_field_of_a_bad_payload(client, cast, tokens, gdp, payload, status, field):
    response = _json(client, "post", "/api/v1/observations", payload, tokens["supervisor_write"])
    assert response.status_code == status, response.content
    body = response.json()
    named = body.get("field") if status == 400 else body["detail"][0]["loc"][-1]
    assert named == field
    assert Observation.objects.count() == 0


def test_it_refuses_a_duplicate_figure_by_field(client, cast, tokens, gdp):
    assert (
        _json(client, "post", "/api/v1/observations", _figure(), tokens["supervisor_write"]).status_code
        == 201
    )
    response = _json(client, "post", "/api/v1/observations", _figure(value=99), tokens["supervisor_write"])
    assert response.status_code == 400 and response.json()["field"] == "year"
    assert Observation.objects.count() == 1


def test_it_refuses_another_regions_figures(client, cast, tokens, gdp):
    other = _figure(region_code=cast.other_county.code)
    # The county's write token does not reach the other county; nor does the county's supervisor.
    response = _json(client, "post", "/api/v1/observations", other, tokens["supervisor_write"])
    assert response.status_code == 403 and response.json()["field"] == "region_code"
    client.force_login(cast.supervisor)
    assert _json(client, "post", "/api/v1/observations", other).status_code == 403
    # The other county's token may not write this county's figures.
    response = _json(client, "post", "/api/v1/observations", _figure(), tokens["outsider_write"])
    assert response.status_code == 403
    assert Observation.objects.count() == 0


def test_it_refuses_readers_and_read_tokens(client, cast, tokens, gdp):
    assert _json(client, "post", "/api/v1/observations", _figure()).status_code == 401
    assert (
        _json(client, "post", "/api/v1/observations", _figure(), tokens["supervisor_read"]).status_code == 403
    )
    assert (
        _json(client, "post", "/api/v1/observations", _figure(), tokens["reporter_b_write"]).status_code
        == 403
    )
    assert Observation.objects.count() == 0


def test_it_corrects_a_figure_and_answers_409_to_a_stale_version(client, cast, tokens, gdp):
    key = tokens["supervisor_write"]
    created = _json(client, "post", "/api/v1/observations", _figure(), key).json()
    path = f"/api/v1/observations/{created['id']}"
    response = _json(client, "patch", path, {"expected_version": 1, "value": "9910", "unit": "万元"}, key)
    assert response.status_code == 200, response.content
    assert (response.json()["value"], response.json()["version"]) == ("0.991000", 2)
    assert client.get(path, **bearer(key)).json()["value"] == "0.991000"
    stale = _json(client, "patch", path, {"expected_version": 1, "value": 100}, key)
    assert stale.status_code == 409 and stale.json()["field"] == "expected_version"
    assert Observation.objects.get().value == D("0.991")
    assert _json(client, "patch", path, {"expected_version": 2, "year": None}, key).status_code == 422
    assert _json(client, "patch", path, {"value": 1}, key).status_code == 422  # no expected_version
    # Another county's token does not see the figure at all.
    assert (
        _json(
            client, "patch", path, {"expected_version": 2, "value": 1}, tokens["outsider_write"]
        ).status_code
        == 404
    )


def test_it_sets_and_corrects_a_target(client, cast, tokens, gdp):
    key = tokens["supervisor_write"]
    payload = {"indicator_id": gdp.pk, "region_code": "140427", "year": 2025, "value": 120}
    created = _json(client, "post", "/api/v1/targets", payload, key)
    assert created.status_code == 201, created.content
    target = Target.objects.get()
    assert (target.value, target.unit, target.qualifier) == (D("120"), "亿元", "at_least")
    duplicate = _json(client, "post", "/api/v1/targets", payload, key)
    assert duplicate.status_code == 400 and duplicate.json()["field"] == "year"
    path = f"/api/v1/targets/{target.pk}"
    assert _json(client, "patch", path, {"expected_version": 1, "value": 125}, key).status_code == 200
    assert _json(client, "patch", path, {"expected_version": 1, "value": 130}, key).status_code == 409
    assert _json(client, "patch", path, {"expected_version": 2, "unit": "吨"}, key).json()["field"] == "unit"
    assert _json(client, "post", "/api/v1/targets", payload, tokens["outsider_write"]).status_code == 403
    assert Target.objects.get().value == D("125")
