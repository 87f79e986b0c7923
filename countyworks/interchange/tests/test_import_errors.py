"""A bad or failing import names the bad record and leaves the database exactly as it was."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from countyworks.interchange import common, exporting, importing
from countyworks.interchange.common import InterchangeError
from countyworks.interchange.tests.factories import build_region_year, row_counts, wipe_database


@pytest.fixture
def exported(cast, settings, tmp_path) -> dict:
    settings.MEDIA_ROOT = tmp_path / "media"
    build_region_year(cast)
    data = exporting.export_region_year("140427", 2023)
    wipe_database()
    return data


def refused(data: object) -> str:
    before = row_counts()
    with pytest.raises(InterchangeError) as caught:
        importing.import_region_year(data)
    assert row_counts() == before
    return caught.value.message


def test_it_names_a_field_that_is_not_a_date(exported):
    exported["items"][1]["due_date"] = "31/12/2023"
    assert refused(exported) == "items[1].due_date: not a date"


def test_it_names_an_impossible_date(exported):
    exported["items"][0]["start_date"] = "2023-02-30"
    assert refused(exported) == "items[0].start_date: not a date"


def test_it_names_a_bad_decimal_and_a_missing_field(exported):
    exported["items"][0]["progress"] = "about half"
    assert refused(exported) == "items[0].progress: not a decimal number"
    exported["items"][0]["progress"] = "10.00"
    del exported["notices"][0]["deadline"]
    assert refused(exported).startswith("notices[0]: 'deadline' is a required property")


def test_it_names_a_value_the_model_refuses(exported):
    exported["items"][0]["status"] = "half-done"
    message = refused(exported)
    assert message.startswith("items[0].status:")


def test_it_names_an_unknown_reference(exported):
    exported["items"][0]["lead_unit"] = ["140427", "不存在的单位"]
    assert refused(exported) == 'items[0].lead_unit: unknown organisation ["140427", "不存在的单位"]'
    exported["items"][0]["lead_unit"] = None
    exported["progress_reports"][0]["item"] = "item-0000"
    assert refused(exported) == "progress_reports[0].item: unknown item item-0000"


def test_it_refuses_another_format_version(exported):
    exported["format_version"] = 3
    assert refused(exported).startswith("format_version: this file is version 3")


def test_it_reads_a_version_1_file_whose_items_carried_their_light(exported):
    # Version 1 stored each item's light as of its export day; version 2 derives it when read.
    old = {**exported, "format_version": 1}
    old["items"] = [
        {**item, "light": "red", "is_overdue": True, "light_updated_on": None} for item in exported["items"]
    ]
    summary = importing.import_region_year(old)
    assert summary.created["items"] == len(exported["items"])


def test_it_refuses_a_truncated_file_and_imports_nothing(exported, tmp_path):
    text = common.dumps(exported)
    broken = tmp_path / "broken.json"
    broken.write_text(text[: len(text) // 2], encoding="utf-8")
    before = row_counts()
    with pytest.raises(CommandError) as caught:
        call_command("import", str(broken))
    assert "not valid JSON" in str(caught.value) and "nothing was imported" in str(caught.value)
    assert row_counts() == before


def test_it_rolls_back_everything_when_a_record_in_the_middle_fails(exported, monkeypatch):
    saved = []

    def fail_at_record_12(obj):
        if len(saved) == 12:
            raise RuntimeError("injected failure")
        saved.append(obj)
        obj.save()

    monkeypatch.setattr(importing, "_save_record", fail_at_record_12)
    before = row_counts()
    with pytest.raises(RuntimeError):
        importing.import_region_year(exported)
    assert len(saved) == 12
    assert row_counts() == before


def test_it_rolls_back_everything_after_a_database_error(exported, monkeypatch):
    saved = []

    def database_error_at_record_20(obj):
        if len(saved) == 20:
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO no_such_table_for_the_test VALUES (1)")
        saved.append(obj)
        obj.save()

    monkeypatch.setattr(importing, "_save_record", database_error_at_record_20)
    before = row_counts()
    with pytest.raises(InterchangeError) as caught:
        importing.import_region_year(exported)
    assert "the database refused the record" in caught.value.message
    assert row_counts() == before
    # The connection is usable again and a clean import still works afterwards.
    monkeypatch.undo()
    importing.import_region_year(exported)
    assert row_counts() != before


def test_it_exits_non_zero_naming_the_record_from_the_command(exported, tmp_path):
    exported["items"][1]["due_date"] = "not-a-date"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    with pytest.raises(CommandError, match=r"items\[1\]\.due_date: not a date"):
        call_command("import", str(path))


def test_it_refuses_an_evidence_path_outside_the_upload_folder(exported):
    exported["progress_reports"][0]["evidence"][0]["file"] = "../../settings.py"
    assert refused(exported) == (
        "progress_reports[0].evidence[0].file: not a stored evidence file name (evidence/<name>)"
    )


def test_it_refuses_numbers_no_column_can_hold(exported):
    exported["plans"][0]["year"] = 10**30
    assert refused(exported) == "plans[0].year: not an integer from 0 to 2147483647"
    exported["plans"][0]["year"] = 2023
    exported["items"][0]["plan"][1] = -1
    assert refused(exported).startswith("items[0].plan")
