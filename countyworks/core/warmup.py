"""Work a fresh server process would otherwise do on its first requests.

gunicorn imports the app once in its master process (`preload_app`) and calls `warm_up()` there
before it forks the workers, so every worker starts with the templates compiled, the translation
catalogues read and the URL resolver built. Without it each new worker answered its first few
requests of every page several times slower than the rest, which showed in the load test's p99.
"""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation


def project_templates() -> list[str]:
    """Names of the templates our own apps ship (the ones requests render)."""
    names = []
    for config in apps.get_app_configs():
        if not config.name.startswith("countyworks."):
            continue
        folder = Path(config.path) / "templates"
        names += sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*.html"))
    return names


def warm_up() -> dict[str, int]:
    """Compile every project template, read every language's catalogue, build the URL resolver.

    Touches no database (and closes any connection a hook may have opened, so that forked
    workers never share one). Returns what it did, for the log and the tests.
    """
    compiled = 0
    for name in project_templates():
        try:
            get_template(name)
        except (TemplateDoesNotExist, TemplateSyntaxError):
            continue  # a broken template fails its own page and its own tests, not the server start
        compiled += 1
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Dashboard")
    resolver = get_resolver()
    resolver.reverse_dict  # noqa: B018 - building the lookup tables is the point
    connections.close_all()
    return {"templates": compiled, "languages": len(settings.LANGUAGES), "routes": len(resolver.reverse_dict)}
