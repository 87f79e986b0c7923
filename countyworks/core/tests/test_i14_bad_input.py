"""Issue 14, point 5: bad input gets a clear 4xx, never a 500 — on SQLite and on PostgreSQL.

The fuzz test sends hostile query parameters to every GET route of the permission matrix, as a
supervisor (who reads the most) and anonymously; CI runs this module on both databases.
"""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook

from countyworks.core.services import ServiceError
from countyworks.core.tests.matrix import World, client_for, shared_world  # noqa: F401 (fixture)
from countyworks.core.tests.test_permission_matrix import TABLE
from countyworks.indicators import figure_table
from countyworks.indicators.forms import ObservationForm
from countyworks.indicators.services import to_decimal
from countyworks.reading.forms import ImportForm
from countyworks.reports import services as report_services
from countyworks.supervision import services as supervision_services

HOSTILE_VALUES = [
    "\x00",
    "a\x00b",
    "1e1000000",
    "-1e1000000",
    "٢٠٢٣",
    "２０２３",
    "0000",
    "0001-01-01",
    "9999-12-31",
    "99999999999999999999999",
    "-1",
    "NaN",
    "x" * 2000,
    "'\"<>%;--",
]
PARAMETERS = [
    "region",
    "year",
    "page",
    "q",
    "date_from",
    "date_to",
    "from",
    "to",
    "item",
    "unit",
    "state",
    "ordering",
    "limit",
    "offset",
    "period",
    "indicator",
    "kind",
    "plan",
    "light",
    "format",
]
GET_ROWS = [row for row in TABLE if row.method == "GET"]


@pytest.fixture
def world(shared_world, db, settings) -> World:  # noqa: F811
    settings.MEDIA_ROOT = shared_world[1]
    return shared_world[0]


@pytest.mark.parametrize("row", GET_ROWS, ids=[row.id for row in GET_ROWS])
def test_no_get_route_answers_500_to_hostile_query_parameters(world, row):
    failures = []
    for role in ("supervisor", "anonymous"):
        client = client_for(world, role)
        client.raise_request_exception = False
        base = row.url(world, world.side_of(role))
        joiner = "&" if "?" in base else "?"
        for value in HOSTILE_VALUES:
            query = "&".join(f"{name}={_quote(value)}" for name in PARAMETERS)
            response = client.get(f"{base}{joiner}{query}")
            if response.status_code >= 500:
                failures.append(f"{role} {value[:20]!r}: {response.status_code}")
    assert failures == [], f"{row.id}: {failures}"


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


@pytest.mark.parametrize(
    "path",
    [
        "/indicators/?region=%00",
        "/reading/consistency/%00/2023/",
        "/reports/review/%00/2023/",
        "/api/v1/items?region=%00",
        "/portal/%00/",
    ],
)
def test_a_nul_in_the_path_or_the_query_is_a_400(world, path):
    client = client_for(world, "supervisor")
    client.raise_request_exception = False
    response = client.get(path)
    assert response.status_code in (400, 404), response.status_code
    if "%00" in path.split("?")[0] and path.startswith("/reading"):
        assert response.status_code == 400


def test_a_nul_in_a_json_body_is_a_4xx_naming_the_field(world):
    client = client_for(world, "token_write")
    response = client.post(
        "/api/v1/observations",
        '{"indicator_id": 1, "region_code": "140427", "year": 2023, "value": "1", "note": "a\\u0000b"}',
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][-1] == "note"


def test_a_huge_exponent_is_refused_not_overflowed():
    with pytest.raises(ServiceError) as refused:
        to_decimal("1e1000000")
    assert refused.value.field == "value"
    with pytest.raises(ValueError):
        figure_table.parse_number("1e1000000")
    assert figure_table.parse_number("12.5") == Decimal("12.5")


def test_the_figure_screen_refuses_a_huge_exponent(world):
    client = client_for(world, "supervisor")
    client.raise_request_exception = False
    data = {
        "indicator": world.indicator.pk,
        "year": "2022",
        "value_kind": "level",
        "value": "1e1000000",
        "qualifier": "exact",
    }
    response = client.post(reverse("indicators:observation_new") + "?region=140427", data)
    assert response.status_code == 200  # the form again, with the error
    assert "1e1000000" in response.content.decode() or "大" in response.content.decode()


def test_the_figure_import_refuses_a_huge_exponent_naming_the_row(world):
    client = client_for(world, "supervisor")
    client.raise_request_exception = False
    book = Workbook()
    book.active.append(["指标", "年份", "数值"])
    book.active.append([world.indicator.code, 2022, "1e1000000"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.name = "figures.xlsx"
    response = client.post(reverse("indicators:import") + "?region=140427", {"file": buffer})
    assert response.status_code == 200
    assert "2" in response.content.decode()


def test_a_bulletin_from_year_one_is_refused(world):
    with pytest.raises(ServiceError) as refused:
        from datetime import date

        report_services.build("bulletin", world.cast.county, start=date(1, 1, 1), end=date(2023, 1, 31))
    assert refused.value.field == "from"
    client = client_for(world, "supervisor")
    client.raise_request_exception = False
    response = client.get(
        reverse("reports:bulletin"), {"region": "140427", "date_from": "0001-01-01", "date_to": "2023-01-31"}
    )
    assert response.status_code < 500


@pytest.mark.parametrize("period", ["0000", "0000-01", "٢٠٢٣", "٢٠٢٣-01", "9999"])
def test_a_report_period_outside_the_calendar_or_in_other_digits_is_refused(period):
    with pytest.raises(ServiceError) as refused:
        supervision_services.validate_period(period)
    assert refused.value.field == "period"


def test_full_width_digits_from_a_chinese_input_method_are_a_period():
    # Decided: a Chinese IME types ２０２３ as readily as 2023; NFKC makes it the same period.
    assert supervision_services.validate_period("２０２３-01") == "2023-01"


def test_the_api_refuses_period_0000_with_a_clear_error(world, client):
    from countyworks.accounts.models import ApiToken, TokenScope

    _t, key = ApiToken.issue(world.cast.reporter_a, "unit a", world.cast.county, TokenScope.WRITE)
    response = client.post(
        "/api/v1/reports",
        {"item_id": world.a.item.pk, "period": "0000", "text": "进展", "progress": 10},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 400 and response.json()["field"] == "period"


@pytest.mark.parametrize("year", ["٢٠٢٣", "２０２３", "۲۰۲۳"])
def test_a_year_in_other_digits_is_refused(year):
    form = ObservationForm(data={"year": year, "value": "1", "value_kind": "level", "qualifier": "exact"})
    assert not form.is_valid() and "year" in form.errors


@pytest.mark.django_db
def test_a_text_file_holding_a_nul_is_refused():
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("报告.txt", "政府工作报告\x00正文".encode())
    form = ImportForm(data={"region": "x", "year": "2023", "kind": "work_report"}, files={"file": upload})
    form.is_valid()
    assert "file" in form.errors


def test_the_reading_service_refuses_a_nul_too(world):
    from countyworks.reading import services as reading_services

    with pytest.raises(ServiceError) as refused:
        reading_services.read_document(
            world.cast.supervisor,
            region=world.cast.county,
            year=2023,
            text="报告\x00正文",
            kind="work_report",
        )
    assert refused.value.field == "text"
