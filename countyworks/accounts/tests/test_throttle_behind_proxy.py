"""Login throttling behind the load balancer (issue 18): lock-outs key on the client's address.

Behind the balancer every request's REMOTE_ADDR is the balancer's; the client's address is the
last X-Forwarded-For entry, which the balancer appends. Without BEHIND_PROXY that header is the
client's own word and must not move the key.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

BALANCER = "10.0.0.2"
PASSWORD = "pass-for-tests-only"  # conftest.make_user's


def login(client, password: str, forwarded_for: str | None, remote: str = BALANCER) -> int:
    extra = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    response = client.post(
        reverse("accounts:login"), {"username": "reporter_a", "password": password}, **extra
    )
    client.logout()
    return response.status_code


@pytest.fixture
def behind_proxy(settings):
    settings.BEHIND_PROXY = True
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 5


def test_an_attacker_behind_the_balancer_does_not_lock_out_the_user_elsewhere(client, cast, behind_proxy):
    # The fifth failure is the one that locks (answered 429 at once).
    assert [login(client, "wrong", "203.0.113.66") for _ in range(5)] == [200] * 4 + [429]
    assert login(client, PASSWORD, "203.0.113.66") in (403, 429)  # the attacker's address is locked
    assert login(client, PASSWORD, "198.51.100.7") == 302  # the user, from home, gets in


def test_behind_the_balancer_a_forged_first_hop_does_not_escape_the_lock(client, cast, behind_proxy):
    # The client sends its own X-Forwarded-For; the balancer appends the real address after it.
    statuses = [login(client, "wrong", f"192.0.2.{n}, 203.0.113.66") for n in range(5)]
    assert statuses == [200] * 4 + [429]
    assert login(client, PASSWORD, "192.0.2.99, 203.0.113.66") in (403, 429)


def test_without_the_proxy_setting_a_forged_header_does_not_change_the_key(client, cast, settings):
    settings.BEHIND_PROXY = False
    settings.AXES_FAILURE_LIMIT = 5
    statuses = [login(client, "wrong", f"192.0.2.{n}", remote="203.0.113.66") for n in range(5)]
    assert statuses == [200] * 4 + [429]
    # A new forged address each time, and still locked: the key is the real peer address.
    assert login(client, PASSWORD, "198.51.100.7", remote="203.0.113.66") in (403, 429)
    assert login(client, PASSWORD, None, remote="198.51.100.7") == 302
