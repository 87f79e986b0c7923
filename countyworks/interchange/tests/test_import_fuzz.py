"""Hostile and random input to the JSON importer: every refusal is an InterchangeError, never a crash."""

from __future__ import annotations

import copy

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from countyworks.interchange import exporting, importing
from countyworks.interchange.common import InterchangeError
from countyworks.interchange.tests.factories import build_region_year

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=8,
)


class _Undo(Exception):
    """Raised to roll back an import that succeeded, so every example starts from the same rows."""


def try_import(data: object) -> None:
    try:
        with transaction.atomic():
            importing.import_region_year(data)
            raise _Undo
    except (InterchangeError, _Undo):
        pass


@pytest.fixture
def valid(cast, settings, tmp_path) -> dict:
    settings.MEDIA_ROOT = tmp_path / "media"
    build_region_year(cast)
    return exporting.export_region_year("140427", 2023)


def _mutate(data: dict, choice: st.DataObject) -> dict:
    mutated = copy.deepcopy(data)
    sections = [k for k, v in mutated.items() if isinstance(v, list) and v]
    for _ in range(choice.draw(st.integers(1, 3))):
        section = choice.draw(st.sampled_from(sections))
        record = choice.draw(st.sampled_from(mutated[section]))
        field = choice.draw(st.sampled_from(sorted(record)))
        record[field] = choice.draw(json_values)
    return mutated


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(choice=st.data())
def test_it_answers_random_field_values_with_a_clear_error_or_imports(valid, choice):
    try_import(_mutate(valid, choice))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk=json_values)
def test_it_answers_any_json_document_with_a_clear_error(db, junk):
    with pytest.raises(InterchangeError):
        importing.import_region_year(junk)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=200))
def test_it_answers_any_text_file_with_a_clear_error(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzz") / "file.json"
    path.write_text(text, encoding="utf-8")
    try:
        importing.load_file(path)
    except InterchangeError as exc:
        assert "not valid JSON" in exc.message
