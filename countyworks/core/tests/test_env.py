import pytest

from countyworks.env import EnvError, envbool, envcache, envint, envlist


def test_it_reads_typed_values(monkeypatch):
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "42")
    monkeypatch.setenv("X_LIST", "a, b,,c")
    assert envbool("X_BOOL", False) is True
    assert envint("X_INT", 0) == 42
    assert envlist("X_LIST", []) == ["a", "b", "c"]
    assert envint("X_MISSING", 7) == 7


def test_it_fails_loudly_on_a_bad_value(monkeypatch):
    monkeypatch.setenv("X_BOOL", "ture")
    monkeypatch.setenv("X_INT", "ten")
    with pytest.raises(EnvError, match="X_BOOL"):
        envbool("X_BOOL", False)
    with pytest.raises(EnvError, match="X_INT"):
        envint("X_INT", 0)


def test_the_cache_is_per_process_unless_a_redis_url_is_given(monkeypatch):
    monkeypatch.delenv("X_CACHE", raising=False)
    assert envcache("X_CACHE")["default"]["BACKEND"].endswith("LocMemCache")
    monkeypatch.setenv("X_CACHE", "redis://cache.internal:6379/2")
    assert envcache("X_CACHE")["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/2",
    }
    monkeypatch.setenv("X_CACHE", "memcached://cache:11211")
    with pytest.raises(EnvError, match="X_CACHE"):
        envcache("X_CACHE")


def test_a_redis_cache_url_gives_a_working_shared_cache(monkeypatch):
    """Against the Redis on 127.0.0.1:6379 (every machine of this project runs one, CI included)."""
    from django.core.cache import caches
    from django.test import override_settings

    monkeypatch.setenv("X_CACHE", "redis://127.0.0.1:6379/15")
    with override_settings(CACHES=envcache("X_CACHE")):
        cache = caches["default"]
        assert type(cache).__name__ == "RedisCache"
        cache.set("countyworks-test", {"ranking": [1, 2]}, 30)
        assert cache.get("countyworks-test") == {"ranking": [1, 2]}
        cache.delete("countyworks-test")
        assert cache.get("countyworks-test") is None
