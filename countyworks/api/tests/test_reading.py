"""Lists and details of every resource, as each kind of caller sees them."""

from __future__ import annotations

import pytest

from countyworks.api.tests.conftest import bearer
from countyworks.portal.tests.world import SECRETS

RESOURCES = [
    "regions",
    "organisations",
    "plans",
    "plan-nodes",
    "items",
    "reports",
    "notices",
    "indicators",
    "observations",
    "targets",
    "honours",
    "documents",
    "citations",
]


def _call(client, path, caller, cast, tokens):
    if caller == "anonymous":
        return client.get(path)
    if caller in ("supervisor", "reporter_b"):
        client.force_login(getattr(cast, caller))
        return client.get(path)
    return client.get(path, **bearer(tokens[caller]))


def _rows(client, resource, caller, cast, tokens):
    response = _call(client, f"/api/v1/{resource}?limit=200", caller, cast, tokens)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["results"])
    return body["results"]


@pytest.mark.parametrize("resource", RESOURCES)
def test_it_lists_and_details_every_resource_for_the_supervisor(client, cast, world, tokens, resource):
    rows = _rows(client, resource, "supervisor_read", cast, tokens)
    assert rows, f"the supervisor should see some {resource}"
    key = "code" if resource == "regions" else "id"
    detail = client.get(f"/api/v1/{resource}/{rows[0][key]}", **bearer(tokens["supervisor_read"]))
    assert detail.status_code == 200
    assert detail.json() == rows[0]


@pytest.mark.parametrize("resource", RESOURCES)
def test_it_shows_nothing_of_the_county_to_a_token_of_another_county(client, cast, world, tokens, resource):
    rows = _rows(client, resource, "outsider_write", cast, tokens)
    text = str(rows)
    assert "140427" not in text
    assert cast.item_a.title not in text and world.livelihood.title not in text


def test_it_hides_a_missing_or_foreign_object_behind_a_404_naming_no_field(client, cast, world, tokens):
    response = client.get(f"/api/v1/items/{cast.item_a.pk}", **bearer(tokens["outsider_write"]))
    assert response.status_code == 404
    assert response.json()["detail"]
    assert client.get("/api/v1/items/999999", **bearer(tokens["supervisor_read"])).status_code == 404


def test_it_shows_a_reporter_only_the_items_and_reports_of_their_unit(client, cast, world):
    client.force_login(cast.reporter_b)
    items = client.get("/api/v1/items").json()["results"]
    assert [row["id"] for row in items] == [cast.item_b.pk]
    assert client.get(f"/api/v1/items/{world.livelihood.pk}").status_code == 404
    assert client.get("/api/v1/reports").json()["count"] == 0
    assert client.get("/api/v1/notices").json()["count"] == 0


def test_it_shows_the_supervisor_every_report_state_with_comments(client, cast, world):
    client.force_login(cast.supervisor)
    rows = client.get("/api/v1/reports?limit=200").json()["results"]
    assert {row["state"] for row in rows} == {"approved", "returned", "submitted"}
    approved = next(row for row in rows if row["id"] == world.approved.pk)
    assert approved["review_comment"] == SECRETS["review_comment"]
    assert len(approved["evidence"]) == 2
    assert approved["entered_by_office"] is False


def test_it_marks_a_report_the_office_entered_for_the_unit(client, cast):
    from countyworks.supervision import services

    report = services.enter_report_for_unit(
        cast.supervisor,
        cast.item_a,
        unit=cast.unit_a,
        period="2023-10",
        text="据进展通报：主体完工",
        progress="70",
    )
    client.force_login(cast.leader)
    row = client.get(f"/api/v1/reports/{report.pk}").json()
    assert (row["entered_by_office"], row["state"], row["progress"]) == (True, "approved", "70.00")


def test_it_filters_items_by_kind_status_unit_region_and_year(client, cast, world, tokens):
    key = bearer(tokens["supervisor_read"])

    def ids(query):
        return {row["id"] for row in client.get(f"/api/v1/items?{query}", **key).json()["results"]}

    assert ids("kind=key_project") == {cast.item_a.pk}
    assert ids("status=in_progress") == {world.livelihood.pk}
    assert ids(f"unit={cast.unit_b.pk}") == {cast.item_b.pk}
    assert cast.item_a.pk in ids("region=140400")  # a city code reaches its counties
    assert ids("region=140428") == set()
    assert ids("year=2022") == set()
    assert cast.item_a.pk in ids("year=2023&light=red")  # due at the end of 2023, derived for today


def test_it_orders_and_pages_without_overlap(client, cast, world, tokens):
    key = bearer(tokens["supervisor_read"])
    everything = client.get("/api/v1/items?ordering=-progress&limit=200", **key).json()
    progress = [float(row["progress"]) for row in everything["results"]]
    assert progress == sorted(progress, reverse=True)
    first = client.get("/api/v1/items?ordering=title&limit=2&offset=0", **key).json()
    second = client.get("/api/v1/items?ordering=title&limit=2&offset=2", **key).json()
    assert first["count"] == everything["count"]
    seen = [row["id"] for row in first["results"] + second["results"]]
    assert len(seen) == len(set(seen)) == min(4, everything["count"])


def test_it_refuses_an_ordering_outside_the_whitelist_naming_the_parameter(client, cast, tokens):
    response = client.get("/api/v1/items?ordering=lead_leader__phone", **bearer(tokens["supervisor_read"]))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "ordering"]


def test_it_caps_the_page_size(client, cast):
    response = client.get("/api/v1/items?limit=5000")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "limit"]
