"""The server's warm-up (run by gunicorn in its master before forking) and the gunicorn settings."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from django.template import engines

import countyworks
from countyworks.core.warmup import project_templates, warm_up


def test_project_templates_lists_every_app_template() -> None:
    names = project_templates()
    assert "supervision/dashboard.html" in names
    assert "supervision/_ledger_table.html" in names
    assert "base.html" in names
    assert len(names) == len(set(names))


@pytest.mark.django_db
def test_warm_up_compiles_the_templates_without_touching_the_database(django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        done = warm_up()
    assert done["templates"] == len(project_templates())
    assert done["languages"] >= 2
    # The cached loader now holds the dashboard: a request would not read or parse it again.
    loader = engines["django"].engine.template_loaders[0]
    assert any(key.startswith("supervision/dashboard.html") for key in loader.get_template_cache)


def test_gunicorn_settings_preload_and_warm_up() -> None:
    conf = runpy.run_path(str(Path(countyworks.__file__).with_name("gunicorn_conf.py")))
    assert conf["preload_app"] is True
    assert conf["workers"] >= 1
    # No recycling by default: report jobs run in the workers' threads and would die with them.
    assert conf["max_requests"] == 0 and conf["max_requests_jitter"] == 0
    assert callable(conf["when_ready"])
