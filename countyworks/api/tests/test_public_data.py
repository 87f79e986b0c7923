"""Anonymous callers get what the portal shows and nothing private."""

from __future__ import annotations

import json

import pytest

from countyworks.portal.tests.world import SECRETS

RESOURCES = [
    "regions", "organisations", "plans", "plan-nodes", "items", "reports", "notices", "indicators",
    "observations", "targets", "honours", "documents", "citations",
]  # fmt: skip


@pytest.fixture
def everything_anonymous(client, cast, world):
    texts = []
    for resource in RESOURCES:
        response = client.get(f"/api/v1/{resource}?limit=200")
        assert response.status_code == 200
        texts.append(json.dumps(response.json(), ensure_ascii=False))
        for row in response.json()["results"]:
            key = row["code"] if resource == "regions" else row["id"]
            detail = client.get(f"/api/v1/{resource}/{key}")
            texts.append(json.dumps(detail.json(), ensure_ascii=False))
    return "\n".join(texts)


@pytest.mark.parametrize("secret", sorted(SECRETS))
def test_it_never_gives_anonymous_callers_a_private_record(everything_anonymous, secret):
    assert SECRETS[secret] not in everything_anonymous


def test_it_gives_anonymous_callers_the_published_records(client, cast, world):
    items = {row["title"] for row in client.get("/api/v1/items").json()["results"]}
    assert items == {cast.item_a.title, world.livelihood.title}
    reports = client.get("/api/v1/reports").json()["results"]
    assert [(r["id"], r["review_comment"]) for r in reports] == [(world.approved.pk, None)]
    assert [e["id"] for e in reports[0]["evidence"]] == [world.public_photo.pk]
    assert client.get("/api/v1/notices").json()["count"] == 0
    observations = client.get("/api/v1/observations").json()["results"]
    assert {o["year"] for o in observations} == {2021, 2022}
    assert [h["id"] for h in client.get("/api/v1/honours").json()["results"]] == [world.honour.pk]


def test_it_matches_the_portal_items_exactly(client, cast, world):
    from countyworks.accounts import policy

    api_ids = {row["id"] for row in client.get("/api/v1/items?limit=200").json()["results"]}
    assert api_ids == set(policy.public_items().values_list("id", flat=True))


def test_it_answers_404_for_a_private_record_asked_by_id(client, cast, world):
    assert client.get(f"/api/v1/items/{cast.item_b.pk}").status_code == 404
    assert client.get(f"/api/v1/reports/{world.returned.pk}").status_code == 404
    assert client.get(f"/api/v1/observations/{world.internal_observation.pk}").status_code == 404
    assert client.get(f"/api/v1/documents/{world.upload.pk}").status_code == 404
