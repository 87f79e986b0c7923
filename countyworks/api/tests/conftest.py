"""Fixtures: media in a temporary folder, the published world."""

from __future__ import annotations

import pytest


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
