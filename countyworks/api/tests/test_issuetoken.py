"""`countyworks issuetoken`: issue, list and revoke, with --json."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from countyworks.accounts.models import ApiToken
from countyworks.api.tests.conftest import bearer


def _run(*args: str) -> str:
    out = StringIO()
    call_command("issuetoken", *args, stdout=out)
    return out.getvalue()


def test_it_issues_a_token_that_the_api_accepts(client, cast):
    data = json.loads(_run("supervisor", "--name", "统计局同步", "--scope", "write", "--json"))
    assert data["key"].startswith("cw_") and data["scope"] == "write" and data["region"] == "140427"
    token = ApiToken.objects.get(pk=data["id"])
    assert token.key_hash == ApiToken.hash_key(data["key"]) and token.name == "统计局同步"
    assert client.get("/api/v1/items", **bearer(data["key"])).status_code == 200


def test_it_lists_tokens_without_their_keys(cast):
    issued = json.loads(_run("supervisor", "--name", "a", "--json"))
    listed = json.loads(_run("--list", "--json"))
    assert [row["prefix"] for row in listed] == [issued["key"][:8]]
    assert "key" not in listed[0] and issued["key"] not in json.dumps(listed)


def test_it_revokes_a_token_by_prefix(client, cast):
    issued = json.loads(_run("supervisor", "--name", "a", "--json"))
    revoked = json.loads(_run("--revoke", issued["key"][:8], "--json"))
    assert revoked["revoked_at"]
    assert ApiToken.objects.get(pk=issued["id"]).revoked_at is not None
    assert client.get("/api/v1/items", **bearer(issued["key"])).status_code == 401


def test_it_refuses_a_region_outside_the_users_own(cast):
    with pytest.raises(CommandError, match="region"):
        _run("supervisor", "--name", "a", "--region", "140428")
    assert not ApiToken.objects.exists()


def test_it_refuses_an_unknown_user_naming_the_field(cast):
    with pytest.raises(CommandError, match="username"):
        _run("nobody", "--name", "a")
