"""Every import writes all of its records or none: a failure in the middle leaves the database as it was.

Failures are injected at the first, a middle and the last write of each import: a plain
exception (a bug, a lost worker) and a database error (IntegrityError). "As it was" means every
row of every model (`matrix.database_fingerprint`), or every model's row count where the
database had to be emptied first.

Imports covered: the region-year JSON (interchange), the Excel task table (plans.importer), the
Excel figure table (indicators.importer), and reading a document in (reading.read_document) plus accepting one of its drafts. The reading app
has no bulk accept; each accept is its own transaction and is tested as one.
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from countyworks.core.services import ServiceError
from countyworks.core.tests.matrix import (
    database_fingerprint,
    fingerprint_difference,
    row_counts,
    task_workbook,
)
from countyworks.interchange import common, exporting, importing
from countyworks.interchange.tests.factories import build_region_year, wipe_database
from countyworks.plans import importer
from countyworks.plans.models import WorkItem
from countyworks.reading import services as reading
from countyworks.reading.models import DraftRecord, DraftState


class InjectedFailure(Exception):
    """Stands for anything that goes wrong halfway: a bug, a killed worker, a full disk."""


FAILURES = {
    "exception": lambda: InjectedFailure("injected"),
    "integrity error": lambda: IntegrityError("injected: duplicate key value violates unique constraint"),
}


def failing_at(real: Callable[..., Any], call: int, error: Exception) -> Callable[..., Any]:
    """`real`, except that its `call`-th call raises `error`."""
    count = {"n": 0}

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        count["n"] += 1
        if count["n"] == call:
            raise error
        return real(*args, **kwargs)

    return wrapper


def count_calls(monkeypatch, owner: Any, name: str, run: Callable[[], Any]) -> int:
    """How many times `run` calls owner.name, measured in a transaction that is then rolled back."""
    real = getattr(owner, name)
    count = {"n": 0}

    def spy(*args: Any, **kwargs: Any) -> Any:
        count["n"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, spy)
    with transaction.atomic():
        run()
        transaction.set_rollback(True)
    monkeypatch.setattr(owner, name, real)
    return count["n"]


def positions(total: int) -> list[int]:
    return sorted({1, max(1, total // 2), total})


def assert_unchanged(before: dict, what: str) -> None:
    changed = fingerprint_difference(before, database_fingerprint())
    assert changed == [], f"{what} left changes in {changed}"


# Region-year JSON ------------------------------------------------------------------------


@pytest.fixture
def changed_export(cast, settings, tmp_path) -> dict:
    """An export of the cast's region-year whose records all differ from the database (every write an update)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    build_region_year(cast)
    data = exporting.export_region_year("140427", 2023)
    for item in data["items"]:
        item["title"] += "（修订）"
        item["progress"] = "77.00"
    for report in data["progress_reports"]:
        report["text"] += "（修订）"
    return data


@pytest.mark.parametrize("failure", FAILURES)
def test_it_leaves_every_row_as_it_was_when_a_json_import_fails_midway(changed_export, monkeypatch, failure):
    total = count_calls(
        monkeypatch, importing, "_save_record", lambda: importing.import_region_year(changed_export)
    )
    assert total >= 3, "the import should write several records"
    real = importing._save_record
    for call in positions(total):
        before = database_fingerprint()
        monkeypatch.setattr(importing, "_save_record", failing_at(real, call, FAILURES[failure]()))
        with pytest.raises((InjectedFailure, common.InterchangeError)) as caught:
            importing.import_region_year(changed_export)
        if failure == "integrity error":
            # A database error is the importer's own error, naming where it stopped.
            assert isinstance(caught.value, common.InterchangeError)
            assert "the database refused the record" in caught.value.message
        assert_unchanged(before, f"JSON import failing at write {call} of {total}")
    monkeypatch.setattr(importing, "_save_record", real)
    importing.import_region_year(changed_export)
    assert WorkItem.objects.filter(title__endswith="（修订）").exists(), "the unbroken import should apply"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("failure", FAILURES)
def test_it_creates_nothing_when_a_json_import_into_an_empty_database_fails(
    cast, settings, tmp_path, monkeypatch, failure
):
    settings.MEDIA_ROOT = tmp_path / "media"
    build_region_year(cast)
    data = exporting.export_region_year("140427", 2023)
    wipe_database()
    empty = row_counts()
    total = count_calls(monkeypatch, importing, "_save_record", lambda: importing.import_region_year(data))
    real = importing._save_record
    monkeypatch.setattr(importing, "_save_record", failing_at(real, max(1, total // 2), FAILURES[failure]()))
    with pytest.raises((InjectedFailure, common.InterchangeError)):
        importing.import_region_year(data)
    assert row_counts() == empty


# Excel task table ------------------------------------------------------------------------


def _task_table(cast) -> bytes:
    rows = [
        [
            n,
            f"事务{n}：推进重点工作",
            "",
            cast.unit_a.name if n % 2 else "新设单位",
            "",
            "2023年12月底",
            "",
            "",
        ]
        for n in range(1, 7)
    ]
    return task_workbook(rows)


@pytest.mark.parametrize("failure", [*FAILURES, "service error"])
def test_it_leaves_every_row_as_it_was_when_a_task_table_import_fails_midway(cast, monkeypatch, failure):
    table = _task_table(cast)

    def run() -> Any:
        return importer.run_import(cast.supervisor, cast.plan, BytesIO(table), create_missing=True)

    total = count_calls(monkeypatch, importer.services, "create_item", run)
    assert total == 6
    real = importer.services.create_item
    for call in positions(total):
        error = (
            ServiceError("injected refusal", field="title")
            if failure == "service error"
            else FAILURES[failure]()
        )
        before = database_fingerprint()
        monkeypatch.setattr(importer.services, "create_item", failing_at(real, call, error))
        with pytest.raises((InjectedFailure, IntegrityError, importer.TaskImportError)) as caught:
            run()
        if failure == "service error":
            assert "injected refusal" in caught.value.message
        assert_unchanged(before, f"task-table import failing at item {call} of {total}")
    monkeypatch.setattr(importer.services, "create_item", real)
    assert run().items_created == 6


# The Excel figure table (indicators) ---------------------------------------------------------


def _figure_table() -> bytes:
    from openpyxl import Workbook

    from countyworks.indicators import figure_table

    book = Workbook()
    sheet = book.active
    sheet.append(["测试县指标数据表"])
    sheet.append(list(figure_table.COLUMNS))
    for year in range(2018, 2024):
        sheet.append(["地区生产总值", "", year, "", "", "水平", 90 + year - 2018, "亿元", "", "", "", ""])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("failure", [*FAILURES, "service error"])
def test_it_leaves_every_row_as_it_was_when_a_figure_table_import_fails_midway(cast, monkeypatch, failure):
    from countyworks.indicators import importer as figures
    from countyworks.indicators.models import Indicator, Observation

    Indicator.objects.create(code="gdp", name="地区生产总值", unit="亿元")
    table = _figure_table()

    def run() -> Any:
        return figures.run_import(cast.supervisor, cast.county, BytesIO(table))

    total = count_calls(monkeypatch, figures.services, "create_observation", run)
    assert total == 6
    real = figures.services.create_observation
    for call in positions(total):
        error = (
            ServiceError("injected refusal", field="value")
            if failure == "service error"
            else FAILURES[failure]()
        )
        before = database_fingerprint()
        monkeypatch.setattr(figures.services, "create_observation", failing_at(real, call, error))
        with pytest.raises((InjectedFailure, IntegrityError, figures.FigureImportError)):
            run()
        assert_unchanged(before, f"figure-table import failing at figure {call} of {total}")
    monkeypatch.setattr(figures.services, "create_observation", real)
    assert len(run()) == 6 and Observation.objects.count() == 6


# Reading a document in, accepting a draft ---------------------------------------------------

TEXT = "2023年，全县地区生产总值完成120亿元，增长5.2%；粮食总产量达到10万吨。"


def test_it_stores_no_document_when_its_drafts_cannot_be_written(cast, monkeypatch):
    before = database_fingerprint()
    real = DraftRecord.objects.bulk_create

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise IntegrityError("injected")

    monkeypatch.setattr(DraftRecord.objects, "bulk_create", broken)
    with pytest.raises(IntegrityError):
        reading.read_document(cast.supervisor, text=TEXT, region=cast.county, year=2023)
    assert_unchanged(before, "reading a document whose drafts fail")
    monkeypatch.setattr(DraftRecord.objects, "bulk_create", real)
    document = reading.read_document(cast.supervisor, text=TEXT, region=cast.county, year=2023)
    assert document.drafts.exists()


@pytest.mark.parametrize("failure", FAILURES)
def test_it_keeps_a_draft_open_and_creates_nothing_when_its_accept_fails(cast, monkeypatch, failure):
    document = reading.read_document(cast.supervisor, text=TEXT, region=cast.county, year=2023)
    draft = document.drafts.filter(kind="observation").order_by("start").first()
    assert draft is not None, "the reader should propose the GDP figure as an observation"
    before = database_fingerprint()
    real = reading._mark_decided
    # The last step of an accept: the citation and the observation are already written by then.
    monkeypatch.setattr(reading, "_mark_decided", failing_at(real, 1, FAILURES[failure]()))
    with pytest.raises((InjectedFailure, IntegrityError)):
        reading.accept_draft(cast.supervisor, draft)
    assert_unchanged(before, "a failed accept")
    assert DraftRecord.objects.get(pk=draft.pk).state == DraftState.PROPOSED
