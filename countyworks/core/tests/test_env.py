import pytest

from countyworks.env import EnvError, envbool, envint, envlist


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
