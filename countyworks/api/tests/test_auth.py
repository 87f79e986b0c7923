"""Tokens, sessions and anonymous callers."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from countyworks.accounts.models import ApiToken, TokenScope
from countyworks.api.tests.conftest import bearer


def test_it_refuses_an_unknown_token_with_401_and_a_reason(client, cast):
    response = client.get("/api/v1/items", **bearer("cw_not-a-real-key"))
    assert response.status_code == 401
    assert "token" in response.json()["detail"].lower() or "令牌" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_it_refuses_a_malformed_authorization_header(client, cast):
    response = client.get("/api/v1/items", HTTP_AUTHORIZATION="Token abc")
    assert response.status_code == 401


def test_it_refuses_a_revoked_token(client, cast, tokens):
    ApiToken.objects.filter(prefix=tokens["supervisor_read"][:8]).update(revoked_at=timezone.now())
    response = client.get("/api/v1/items", **bearer(tokens["supervisor_read"]))
    assert response.status_code == 401


def test_it_refuses_a_token_of_a_deactivated_user(client, cast, tokens):
    cast.supervisor.is_active = False
    cast.supervisor.save()
    assert client.get("/api/v1/items", **bearer(tokens["supervisor_read"])).status_code == 401


def test_it_records_last_use_at_most_once_a_minute(client, cast, tokens):
    token = ApiToken.objects.get(prefix=tokens["supervisor_read"][:8])
    assert token.last_used_at is None
    client.get("/api/v1/items", **bearer(tokens["supervisor_read"]))
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    client.get("/api/v1/items", **bearer(tokens["supervisor_read"]))
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    earlier = first - timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    client.get("/api/v1/items", **bearer(tokens["supervisor_read"]))
    assert ApiToken.objects.get(pk=token.pk).last_used_at > earlier


def test_it_lets_a_token_read_what_its_user_reads_inside_its_region(client, cast, tokens):
    response = client.get("/api/v1/items", **bearer(tokens["supervisor_read"]))
    assert response.status_code == 200
    titles = {row["title"] for row in response.json()["results"]}
    assert titles == {cast.item_a.title, cast.item_b.title}


def test_it_narrows_a_token_to_its_region_even_when_the_user_reaches_further(client, cast):
    cast.supervisor.is_superuser = True
    cast.supervisor.save()
    _t, key = ApiToken.issue(cast.supervisor, "narrow", cast.other_county, TokenScope.READ)
    response = client.get("/api/v1/items", **bearer(key))
    assert response.json()["count"] == 0
    assert client.get(f"/api/v1/items/{cast.item_a.pk}", **bearer(key)).status_code == 404


def test_it_uses_the_session_for_reads_from_the_browser(client, cast):
    client.force_login(cast.reporter_b)
    response = client.get("/api/v1/items")
    assert [row["title"] for row in response.json()["results"]] == [cast.item_b.title]


def test_it_checks_csrf_on_session_writes(cast):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.supervisor)
    payload = {"plan_id": cast.plan.pk, "title": "没有CSRF"}
    response = browser.post("/api/v1/items", payload, content_type="application/json")
    assert response.status_code == 403
    assert not cast.plan.items.filter(title="没有CSRF").exists()
    browser.get("/api/v1/docs")  # sets the CSRF cookie, as the docs page does in a browser
    token = browser.cookies["csrftoken"].value
    response = browser.post("/api/v1/items", payload, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201, response.content
    assert cast.plan.items.filter(title="没有CSRF").exists()


def test_it_refuses_writes_from_anonymous_callers(client, cast):
    response = client.post(
        "/api/v1/items", {"plan_id": cast.plan.pk, "title": "匿名"}, content_type="application/json"
    )
    assert response.status_code == 401
    assert not cast.plan.items.filter(title="匿名").exists()


def test_it_refuses_writes_with_a_read_token(client, cast, tokens):
    response = client.patch(
        f"/api/v1/items/{cast.item_a.pk}",
        {"expected_version": 1, "title": "改名"},
        content_type="application/json",
        **bearer(tokens["supervisor_read"]),
    )
    assert response.status_code == 403
    assert response.json()["field"] == "Authorization"
    cast.item_a.refresh_from_db()
    assert cast.item_a.title == "测试重点项目甲"
