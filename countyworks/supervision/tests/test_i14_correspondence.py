"""Issue 14, point 11: office ↔ unit correspondence is read by the office and the unit addressed.

A co-operating unit works on the item too, but a 督办单 addressed to the lead unit and the lead unit's
returned reports (with the office's comment) are between the office and the lead unit: the
co-operating unit reads neither, on the screens or through the API (policy.visible_notices,
policy.visible_reports)."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from countyworks.accounts.models import ApiToken, TokenScope
from countyworks.supervision import services


def test_a_co_operating_unit_reads_no_notice_or_returned_report_of_the_lead_unit(cast, client):
    cast.item_a.co_units.add(cast.unit_b)
    notice = services.issue_notice(
        cast.supervisor,
        cast.item_a,
        unit=cast.unit_a,
        content="请说明滞后原因（仅致牵头单位）",
        deadline=timezone.localdate() + timedelta(days=5),
    )
    report = services.submit_report(
        cast.reporter_a, cast.item_a, period="2023-10", text="牵头单位报送", progress=40
    )
    services.review_report(
        cast.supervisor, report, approve=False, comment="请补充发票（致牵头单位）", expected_version=1
    )

    client.force_login(cast.reporter_b)
    assert client.get(reverse("supervision:notice", args=[notice.pk])).status_code == 404
    assert notice.content not in client.get(reverse("supervision:notices")).text
    item_page = client.get(reverse("ledger:item", args=[cast.item_a.pk]))
    assert item_page.status_code == 200  # the co-operating unit does read the item itself
    assert notice.content not in item_page.text and "请补充发票" not in item_page.text
    assert client.get(reverse("supervision:report_resubmit", args=[report.pk])).status_code in (403, 404)

    _token, key = ApiToken.issue(cast.reporter_b, "unit b", cast.county, TokenScope.READ)
    api = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get(f"/api/v1/notices/{notice.pk}", **api).status_code == 404
    assert client.get("/api/v1/notices", **api).json()["count"] == 0
    listed = client.get(f"/api/v1/reports?item={cast.item_a.pk}", **api).json()["results"]
    assert report.pk not in [row["id"] for row in listed]

    # The lead unit, for contrast, reads both.
    client.force_login(cast.reporter_a)
    assert client.get(reverse("supervision:notice", args=[notice.pk])).status_code == 200
    assert "请补充发票" in client.get(reverse("ledger:item", args=[cast.item_a.pk])).text
