"""gunicorn settings for CountyWorks: `gunicorn -c python:countyworks.gunicorn_conf countyworks.wsgi`.

`make run`, the load benchmark and docs/deployment.md all use this file, so what is measured is
what is deployed. Command-line options (-b, -w) override what is set here.
"""

from __future__ import annotations

import multiprocessing
import os

workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
# Import Django and the project once, in the master, then fork: workers share that memory and
# start warm (see when_ready).
preload_app = True
# A worker is replaced after this many requests (with jitter so they do not all restart at once):
# a slow leak in a library cannot grow without bound. With the preloaded app a new worker is ready
# at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None


def when_ready(server) -> None:  # noqa: ANN001 - gunicorn's Arbiter
    """Runs in the master once the app is loaded and before the workers are forked."""
    from countyworks.core.warmup import warm_up

    done = warm_up()
    server.log.info("warmed up: %(templates)d templates, %(languages)d languages, %(routes)d routes", done)
