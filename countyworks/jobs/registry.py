"""Task and schedule registry: apps register their tasks here from their AppConfig.ready().

A task is a function `fn(payload: dict, run: Run) -> None`. It must be idempotent: a job whose
worker died is run again, so a task checks what is already done (a report already rendered, a
message already sent) before doing it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Run:
    """What a task knows about the attempt it runs in."""

    job_id: int
    attempt: int
    max_attempts: int

    @property
    def last(self) -> bool:
        return self.attempt >= self.max_attempts


class RetryLater(Exception):  # noqa: N818 - it is a request, not an error
    """Raised by a task to be run again after `delay` seconds (a platform's rate limit, say)."""

    def __init__(self, message: str, delay: float | None = None) -> None:
        super().__init__(message)
        self.delay = delay


class GiveUp(Exception):  # noqa: N818
    """Raised by a task whose failure another attempt cannot fix (bad input, revoked key)."""


TaskFn = Callable[[dict[str, Any], Run], None]
TASKS: dict[str, TaskFn] = {}


@dataclass(frozen=True)
class Daily:
    """A job the scheduler enqueues once a day, at or after `hour` (local time)."""

    name: str
    hour: int = 0


SCHEDULES: list[Daily] = []


def task(name: str) -> Callable[[TaskFn], TaskFn]:
    def register(fn: TaskFn) -> TaskFn:
        TASKS[name] = fn
        return fn

    return register


def daily(name: str, hour: int = 0) -> None:
    if not any(s.name == name for s in SCHEDULES):
        SCHEDULES.append(Daily(name, hour))
