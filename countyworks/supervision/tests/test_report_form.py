"""Reporting in one screen (issue 12): periods in Chinese words, the last progress, camera photos,
what was typed kept on a failed upload, 已提交，待审核."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from countyworks.core.services import ServiceError
from countyworks.supervision import rules, services
from countyworks.supervision.forms import period_label
from countyworks.supervision.models import Evidence, ProgressReport


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("2024年第四季度", "2024-Q4"),
        ("2024年四季度", "2024-Q4"),
        ("2024年第1季度", "2024-Q1"),
        ("２０２４年第二季度", "2024-Q2"),
        ("2024Q3", "2024-Q3"),
        ("2024-q3", "2024-Q3"),
        ("2024年10月", "2024-10"),
        ("2024年3月份", "2024-03"),
        ("2024-3", "2024-03"),
        ("2024-11", "2024-11"),
        ("2024年", "2024"),
        ("2024年度", "2024"),
        ("2024", "2024"),
        (" 2024 年 10 月 ", "2024-10"),
    ],
)
def test_periods_are_read_in_figures_and_chinese_words(text, stored):
    assert rules.parse_period(text) == stored


@pytest.mark.parametrize(
    "text", ["", "去年", "2024年13月", "2024年第五季度", "2023-13", "24年10月", "2024-Q0"]
)
def test_what_is_not_a_period_is_none(text):
    assert rules.parse_period(text) is None


def test_the_periods_offered_around_a_day():
    assert rules.current_report_periods(date(2024, 1, 15)) == [
        "2024-01",
        "2023-12",
        "2024-Q1",
        "2023-Q4",
        "2024",
    ]
    assert rules.current_report_periods(date(2024, 11, 3))[:3] == ["2024-11", "2024-10", "2024-Q4"]


def test_labels_are_chinese_words(cast):
    assert [period_label(p) for p in ("2024-Q4", "2024-10", "2024")] == [
        "2024年第四季度",
        "2024年10月",
        "2024年",
    ]


def test_the_service_stores_the_chinese_period_in_its_stored_form(cast):
    report = services.submit_report(
        cast.reporter_a, cast.item_a, period="2023年第四季度", text="x", progress=10
    )
    assert report.period == "2023-Q4"
    with pytest.raises(ServiceError) as raised:
        services.submit_report(cast.reporter_a, cast.item_a, period="第四季度", text="x", progress=10)
    assert raised.value.field == "period"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def jpeg(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 120, 30)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_the_form_starts_at_the_last_progress_and_offers_chinese_periods(client, cast):
    services.submit_report(cast.reporter_a, cast.item_a, period="2023-10", text="进场", progress="42.5")
    client.force_login(cast.reporter_a)
    page = client.get(reverse("supervision:report_new", args=[cast.item_a.pk])).content.decode()
    assert 'value="42.50"' in page
    assert 'capture="environment"' in page and 'accept="image/*"' in page and "multiple" in page
    assert '<datalist id="period-choices">' in page and "季度" in page
    assert "photo-resize.js" in page


def test_two_photos_and_a_chinese_period_make_one_pending_report(client, cast):
    client.force_login(cast.reporter_a)
    response = client.post(
        reverse("supervision:report_new", args=[cast.item_a.pk]),
        {
            "period": "2023年第四季度",
            "progress": "55",
            "text": "主体完工",
            "photos": [jpeg("a.jpg"), jpeg("b.jpg")],
        },
        follow=True,
    )
    assert "已提交，待审核" in response.content.decode()
    report = ProgressReport.objects.get()
    assert report.period == "2023-Q4" and report.state == "submitted"
    assert Evidence.objects.filter(report=report).count() == 2


def test_a_failed_upload_keeps_what_was_typed(client, cast):
    client.force_login(cast.reporter_a)
    fake = SimpleUploadedFile("现场.jpg", b"not an image at all", content_type="image/jpeg")
    response = client.post(
        reverse("supervision:report_new", args=[cast.item_a.pk]),
        {"period": "2023年10月", "progress": "61", "text": "已完成主体结构施工", "photos": [fake]},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "已完成主体结构施工" in page and 'value="61"' in page and 'value="2023年10月"' in page
    assert "已保留" in page
    assert ProgressReport.objects.count() == 0


def test_a_bad_period_names_the_field(client, cast):
    client.force_login(cast.reporter_a)
    response = client.post(
        reverse("supervision:report_new", args=[cast.item_a.pk]),
        {"period": "上个月", "progress": "61", "text": "x"},
    )
    assert response.status_code == 200
    assert "报送期请写作2024年10月" in response.content.decode()
