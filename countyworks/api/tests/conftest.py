"""Fixtures: plain static storage, media in a temporary folder, the published world."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session", autouse=True)
def _plain_http_for_the_live_server():
    # The live server builds its middleware once, when it starts (session scope), before the root
    # conftest's per-test settings apply; without this its SecurityMiddleware redirects to https.
    from django.test.utils import override_settings

    with override_settings(SECURE_SSL_REDIRECT=False, SESSION_COOKIE_SECURE=False, CSRF_COOKIE_SECURE=False):
        yield


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The default storage needs `collectstatic`'s manifest; tests render pages straight from the finders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(cast):
    from countyworks.portal.tests.world import build_world

    return build_world(cast)


@pytest.fixture
def tokens(cast):
    """Keys of the tokens the API tests call with: read and write in the county, write in another county."""
    from countyworks.accounts.models import ApiToken, TokenScope

    _t, supervisor_read = ApiToken.issue(cast.supervisor, "read", cast.county, TokenScope.READ)
    _t, supervisor_write = ApiToken.issue(cast.supervisor, "write", cast.county, TokenScope.WRITE)
    _t, outsider_write = ApiToken.issue(
        cast.outsider_supervisor, "other", cast.other_county, TokenScope.WRITE
    )
    _t, reporter_b_write = ApiToken.issue(cast.reporter_b, "unit b", cast.county, TokenScope.WRITE)
    return {
        "supervisor_read": supervisor_read,
        "supervisor_write": supervisor_write,
        "outsider_write": outsider_write,
        "reporter_b_write": reporter_b_write,
    }


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}
