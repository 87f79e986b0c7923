"""Typed readers for environment variables that fail loudly on a bad value.

Settings read every deployment-specific value through these helpers so that a typo in
production (DEBUG=ture, a non-numeric port) stops the process at start-up instead of
silently falling back to a default.
"""

from __future__ import annotations

import os

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class EnvError(ValueError):
    """An environment variable holds a value of the wrong type."""


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise EnvError(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise EnvError(f"{name}={raw!r} is not an integer") from exc


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [part.strip() for part in raw.split(",") if part.strip()]


def envcache(name: str) -> dict:
    """Django's CACHES from a URL: unset → each process keeps its own in-memory cache;
    redis://host:port/db (or rediss:// with TLS) → one Redis shared by every worker and server."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    scheme = raw.split("://", 1)[0].lower() if "://" in raw else ""
    if scheme not in ("redis", "rediss"):
        raise EnvError(f"{name}={raw!r} is not a cache URL (use redis://host:6379/0, or leave it unset)")
    return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": raw}}
