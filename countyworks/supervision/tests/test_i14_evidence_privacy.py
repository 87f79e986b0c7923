"""Issue 14, point 2: evidence is private unless the unit says otherwise, and public addresses are not guessable."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from countyworks.accounts.models import ApiToken, TokenScope
from countyworks.supervision import services
from countyworks.supervision.models import Evidence, ProgressReport


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile("现场.png", buffer.getvalue(), content_type="image/png")


def _submit(client, cast, **extra) -> ProgressReport:
    data = {"period": "2023-11", "progress": "60", "text": "主体结构完工", "evidence": [_png()], **extra}
    response = client.post(reverse("supervision:report_new", args=[cast.item_a.pk]), data)
    assert response.status_code == 302
    return ProgressReport.objects.get()


def _approve(cast, report: ProgressReport) -> None:
    services.review_report(cast.supervisor, report, approve=True, expected_version=report.version)


def test_an_uploaded_file_is_private_by_default_and_not_served_publicly(client, cast):
    client.force_login(cast.reporter_a)
    report = _submit(client, cast)
    _approve(cast, report)
    evidence = Evidence.objects.get()
    assert evidence.public is False
    client.logout()
    assert client.get(f"/portal/evidence/{evidence.token}/").status_code == 404


def test_the_unit_may_mark_its_files_public_when_it_uploads(client, cast):
    client.force_login(cast.reporter_a)
    report = _submit(client, cast, evidence_public="on")
    _approve(cast, report)
    evidence = Evidence.objects.get()
    assert evidence.public is True
    client.logout()
    assert client.get(f"/portal/evidence/{evidence.token}/").status_code == 200
    # The old sequential address is gone.
    assert client.get(f"/portal/evidence/{evidence.pk}/").status_code == 404


def test_the_unit_and_the_office_change_one_file_and_others_may_not(client, cast):
    client.force_login(cast.reporter_a)
    report = _submit(client, cast)
    evidence = Evidence.objects.get()
    url = reverse("supervision:evidence_public", args=[evidence.pk])
    assert client.post(url, {"public": "on"}).status_code == 302
    evidence.refresh_from_db()
    assert evidence.public is True
    client.force_login(cast.supervisor)  # the office takes it back
    assert client.post(url, {}).status_code == 302
    evidence.refresh_from_db()
    assert evidence.public is False
    for other in (cast.viewer, cast.leader):
        client.force_login(other)
        assert client.post(url, {"public": "on"}).status_code == 403
    client.force_login(cast.reporter_b)  # may not even see a pending report of unit A
    assert client.post(url, {"public": "on"}).status_code == 404
    evidence.refresh_from_db()
    assert evidence.public is False
    assert report.evidence.count() == 1


def test_the_item_page_offers_the_switch_to_the_unit(client, cast):
    client.force_login(cast.reporter_a)
    _submit(client, cast)
    html = client.get(reverse("ledger:item", args=[cast.item_a.pk])).content.decode()
    assert reverse("supervision:evidence_public", args=[Evidence.objects.get().pk]) in html


def test_the_api_reports_and_changes_publicity_and_uses_the_token(client, cast):
    client.force_login(cast.reporter_a)
    report = _submit(client, cast)
    client.logout()
    evidence = Evidence.objects.get()
    _t, key = ApiToken.issue(cast.reporter_a, "unit a", cast.county, TokenScope.WRITE)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    response = client.post(
        f"/api/v1/evidence/{evidence.pk}/public",
        json.dumps({"public": True}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["public"] is True and body["url"] == f"/portal/evidence/{evidence.token}/"
    _approve(cast, report)
    listed = client.get(f"/api/v1/reports/{report.pk}").json()
    assert listed["evidence"][0]["url"] == f"/portal/evidence/{evidence.token}/"
    _t, viewer_key = ApiToken.issue(cast.viewer, "viewer", cast.county, TokenScope.WRITE)
    refused = client.post(
        f"/api/v1/evidence/{evidence.pk}/public",
        json.dumps({"public": False}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {viewer_key}",
    )
    assert refused.status_code == 403
