"""Issue 14, point 9: the OpenAPI document says what the API does.

- Reads answer without a token (the public's view), so their security is "bearer or none".
- A figure's fields that refuse null are not declared nullable; a figure's value carries the
  stored bounds (24 digits, 6 after the point), and a value beyond them is a 422 naming `value`."""

from __future__ import annotations

import json
from decimal import Decimal

from ninja.responses import NinjaJSONEncoder

from countyworks.api.api import api
from countyworks.api.tests.conftest import bearer
from countyworks.indicators.models import Indicator, Observation

NON_NULL = ("indicator_id", "indicator_code", "region_code", "year", "value", "value_kind", "qualifier")


def _schema() -> dict:
    return json.loads(json.dumps(api.get_openapi_schema(path_params={}), cls=NinjaJSONEncoder))


def test_reads_are_public_or_bearer_and_writes_need_the_bearer():
    operations = [(m, op) for ops in _schema()["paths"].values() for m, op in ops.items()]
    assert len(operations) > 40
    for method, operation in operations:
        expected = [{"ApiAuth": []}, {}] if method == "get" else [{"ApiAuth": []}]
        assert operation.get("security") == expected, (method, operation["operationId"])


def test_figure_fields_that_refuse_null_are_not_nullable_and_values_are_bounded():
    schemas = _schema()["components"]["schemas"]
    for name in ("ObservationUpdate", "ObservationCreate", "TargetUpdate", "TargetCreate"):
        properties = schemas[name]["properties"]
        for field in NON_NULL:
            if field in properties:
                assert {"type": "null"} not in properties[field].get("anyOf", []), (name, field)
        number = next(branch for branch in properties["value"]["anyOf"] if branch.get("type") == "number")
        assert number["maximum"] == 1e18 and number["minimum"] == -1e18, name


def test_a_null_or_oversized_value_is_a_4xx_naming_value(client, cast, tokens):
    indicator = Indicator.objects.create(code="gdp", name="地区生产总值", unit="亿元")
    figure = Observation.objects.create(
        indicator=indicator, region=cast.county, year=2023, value=Decimal("100"), unit="亿元"
    )
    headers = bearer(tokens["supervisor_write"])
    for body in (
        {"value": None, "expected_version": figure.version},
        {"value": "1e19", "expected_version": 1},
    ):
        response = client.patch(
            f"/api/v1/observations/{figure.pk}", json.dumps(body), content_type="application/json", **headers
        )
        assert response.status_code == 422, body
        assert "value" in json.dumps(response.json()), body
    created = client.post(
        "/api/v1/observations",
        json.dumps(
            {"indicator_code": "gdp", "region_code": cast.county.code, "year": 2022, "value": "1" * 19}
        ),
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 422 and "value" in json.dumps(created.json())
    figure.refresh_from_db()
    assert figure.value == Decimal("100")
