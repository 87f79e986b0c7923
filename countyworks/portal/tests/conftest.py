"""Fixtures for these tests: plain static storage (no collectstatic manifest in a test run)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The default storage needs `collectstatic`'s manifest; tests render pages straight from the finders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
