"""Read replica routing with read-your-writes (issue 18), active only with DATABASE_REPLICA_URL.

Only a web request may read from the replica, and only when all of these hold:

- its method is safe (GET, HEAD, OPTIONS): a form post reads what it is about to change;
- the browser has not written in the last REPLICA_STICKY_SECONDS (a cookie set by every request
  that wrote), so an author sees his own report at once even if the replica has not replayed it;
- nothing in the request has written yet, and the read is not inside a transaction (atomic
  blocks take locks and check invariants: they must see the primary);
- the replica's measured lag is within REPLICA_MAX_LAG_SECONDS (checked at most every
  REPLICA_LAG_CHECK_SECONDS per process); a replica that lags, stopped streaming or does not
  answer sends every read back to the primary.

Everything else — the task-queue workers, cron commands, migrations, the shell — never sees the
replica: outside a request the router answers "primary". docs/deployment.md states the lag bound.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse

PRIMARY = "default"
REPLICA = "replica"
WROTE_COOKIE = "cw_wrote"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

log = logging.getLogger(__name__)


@dataclass
class _Routing:
    """What one request may do; lives in a context variable for the request's duration."""

    replica_reads: bool
    wrote: bool = False


_current: ContextVar[_Routing | None] = ContextVar("countyworks_db_routing", default=None)


def replica_configured() -> bool:
    return REPLICA in connections.settings


def reads_go_to_replica() -> bool:
    routing = _current.get()
    return bool(routing and routing.replica_reads) and not connections[PRIMARY].in_atomic_block


class ReplicaRouter:
    """DATABASE_ROUTERS entry; settings.py installs it only when a replica is configured."""

    def db_for_read(self, model: type, **hints: object) -> str:
        return REPLICA if reads_go_to_replica() else PRIMARY

    def db_for_write(self, model: type, **hints: object) -> str:
        routing = _current.get()
        if routing is not None:
            # The rest of this request reads what it has just written.
            routing.replica_reads = False
            routing.wrote = True
        return PRIMARY

    def allow_relation(self, obj1: object, obj2: object, **hints: object) -> bool:
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: object) -> bool:
        return db == PRIMARY  # a streaming replica is read-only; it receives the schema by replication


# PostgreSQL on the standby: seconds behind the primary, 0 when everything received is replayed,
# NULL when the standby is not streaming (its lag is then unknown, so it is treated as too large).
# pg_stat_wal_receiver shows its status only to roles with pg_read_all_stats.
_LAG_SQL = """
SELECT CASE
  WHEN NOT EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') THEN NULL
  WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
  ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
END
"""


def measure_replica_lag() -> float | None:
    """The replica's lag in seconds, or None when it cannot be known (down, not streaming)."""
    connection = connections[REPLICA]
    if connection.vendor != "postgresql":
        return 0.0  # a test mirror of the primary: no lag by construction
    try:
        with connection.cursor() as cursor:
            cursor.execute(_LAG_SQL)
            (lag,) = cursor.fetchone()
    except DatabaseError:
        log.warning("the read replica does not answer; reading from the primary", exc_info=True)
        connection.close()
        return None
    return None if lag is None else float(lag)


class _LagGate:
    """Per process: is the replica fresh enough? Measured at most once per check interval."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._checked_at = float("-inf")
        self._fresh = False

    def fresh(self) -> bool:
        now = time.monotonic()
        with self._lock:
            if now - self._checked_at < settings.REPLICA_LAG_CHECK_SECONDS:
                return self._fresh
            self._checked_at = now
        lag = measure_replica_lag()
        fresh = lag is not None and lag <= settings.REPLICA_MAX_LAG_SECONDS
        with self._lock:
            if fresh != self._fresh:
                log.warning("read replica %s (lag %s s)", "in use" if fresh else "set aside", lag)
            self._fresh = fresh
        return fresh

    def forget(self) -> None:
        with self._lock:
            self._checked_at = float("-inf")
            self._fresh = False


lag_gate = _LagGate()


def wrote_recently(cookie: str | None, now: float) -> bool:
    """Whether the cookie says this browser wrote within REPLICA_STICKY_SECONDS.

    The cookie is not signed: forging it only sends one's own reads to the primary, which is
    where they would go without a replica.
    """
    if not cookie:
        return False
    try:
        written = float(cookie)
    except ValueError:
        return False
    return 0 <= now - written <= settings.REPLICA_STICKY_SECONDS


class ReplicaRoutingMiddleware:
    """Decides, once per request, whether its reads may go to the replica; marks writers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_configured():
            return self.get_response(request)
        now = time.time()
        unsafe = request.method not in SAFE_METHODS
        replica_reads = (
            not unsafe and not wrote_recently(request.COOKIES.get(WROTE_COOKIE), now) and lag_gate.fresh()
        )
        routing = _Routing(replica_reads=replica_reads)
        token = _current.set(routing)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        if unsafe or routing.wrote:
            response.set_cookie(
                WROTE_COOKIE,
                f"{now:.3f}",
                max_age=settings.REPLICA_STICKY_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
