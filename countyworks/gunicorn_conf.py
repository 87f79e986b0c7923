"""gunicorn settings for CountyWorks: `gunicorn -c python:countyworks.gunicorn_conf countyworks.wsgi`.

`make run`, the load benchmark and docs/deployment.md all use this file, so what is measured is
what is deployed. Command-line options (-b, -w) override what is set here.
"""

from __future__ import annotations

import multiprocessing
import os

# CPU count + 1, not the usual 2 × CPU + 1: a request here is CPU work (Django, templates) plus a
# local PostgreSQL, and on a 2-core server more workers only queue on the cores. The load bench
# (20 users, 120 counties) measured p95 77 ms with 2 workers, 82 ms with 3, 84 with 4 and 89-92
# with 5; one worker more than the cores keeps a core busy while another waits on a slow client.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
# Import Django and the project once, in the master, then fork: workers share that memory and
# start warm (see when_ready).
preload_app = True
# Workers are not recycled after N requests by default (set GUNICORN_MAX_REQUESTS to bound a leaking
# library if one appears). Long work (PDF renders) no longer runs in web workers but on the task
# queue's own worker processes (`countyworks worker`, docs/queue.md), so recycling loses nothing.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None


def when_ready(server) -> None:  # noqa: ANN001 - gunicorn's Arbiter
    """Runs in the master once the app is loaded and before the workers are forked."""
    from countyworks.core.warmup import warm_up

    done = warm_up()
    server.log.info("warmed up: %(templates)d templates, %(languages)d languages, %(routes)d routes", done)
