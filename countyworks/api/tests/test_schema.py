"""Schemathesis over our OpenAPI document, against a live test server.

Every GET operation, and the writes with a read-and-write token, get a bounded number of
generated requests (deterministic, so a failure repeats); each response must not be a server
error and must match the status codes, content types and bodies the schema declares.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from ninja.responses import NinjaJSONEncoder
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from countyworks.accounts.models import ApiToken, TokenScope
from countyworks.portal.tests.world import build_world

EXAMPLES_PER_OPERATION = 15
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
HYPOTHESIS = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _load_schema() -> schemathesis.schemas.BaseSchema:
    # Loaded from the app at collection time (schemathesis' lazy fixture loader does not run on
    # pytest 9); test_it_serves_the_schema_it_is_tested_against checks the served copy is the same.
    from countyworks.api.api import api

    # Through JSON, as a client sees it (status codes become string keys, dates strings).
    document = json.loads(json.dumps(api.get_openapi_schema(path_params={}), cls=NinjaJSONEncoder))
    loaded = schemathesis.openapi.from_dict(document)
    # Schemathesis would otherwise fill the bearer header with random text, and every call would be
    # a 401; the tests send real credentials instead.
    loaded.config.generation.update(
        modes=["positive"],
        max_examples=EXAMPLES_PER_OPERATION,
        deterministic=True,
        database="none",
        with_security_parameters=False,
    )
    return loaded


schema = _load_schema()


@pytest.fixture
def published_world(cast):
    return build_world(cast)


@pytest.fixture
def write_key(cast) -> str:
    _token, key = ApiToken.issue(cast.supervisor, "schemathesis", cast.county, TokenScope.WRITE)
    return key


@pytest.fixture
def read_key(cast) -> str:
    _token, key = ApiToken.issue(cast.supervisor, "schemathesis read", cast.county, TokenScope.READ)
    return key


@schema.include(method="GET").parametrize()
@HYPOTHESIS
def test_it_answers_every_read_within_the_schema(case, live_server, published_world, read_key):
    # Once as the public (the portal's data), once as the supervisor (everything in the county).
    case.call_and_validate(base_url=live_server.url, checks=CHECKS)
    case.call_and_validate(
        base_url=live_server.url, checks=CHECKS, headers={"Authorization": f"Bearer {read_key}"}
    )


@schema.include(method="POST").parametrize()
@HYPOTHESIS
def test_it_answers_writes_with_a_token_within_the_schema(case, live_server, published_world, write_key):
    case.call_and_validate(
        base_url=live_server.url, checks=CHECKS, headers={"Authorization": f"Bearer {write_key}"}
    )


def test_it_serves_the_schema_it_is_tested_against(live_server):
    import requests

    from countyworks.api.api import api

    served = requests.get(f"{live_server.url}/api/v1/openapi.json", timeout=30).json()
    assert served == json.loads(json.dumps(api.get_openapi_schema(path_params={}), cls=NinjaJSONEncoder))
    assert len(served["paths"]) >= 26
