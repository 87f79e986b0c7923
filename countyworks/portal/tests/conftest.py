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
