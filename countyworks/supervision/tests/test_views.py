"""The supervision screens for every role: reports with evidence, review, notices, instructions, dashboard."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from countyworks.plans.models import ItemStatus, Light, NodeKind, PlanNode, WorkItem
from countyworks.supervision import services
from countyworks.supervision.models import (
    Evidence,
    Instruction,
    Notice,
    NoticeState,
    ProgressReport,
    ReviewState,
)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def client_as(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def photo_upload(name: str = "现场.png", fmt: str = "PNG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def report_data(**changes) -> dict:
    data = {"period": "2023-11", "progress": "60", "text": "主体结构完工"}
    data.update(changes)
    return data


def submitted(cast, progress: int = 60) -> ProgressReport:
    return services.submit_report(
        cast.reporter_a, cast.item_a, period="2023-11", text="进场施工", progress=progress
    )


def test_it_takes_a_report_with_a_photo_and_re_encodes_it(client_as, cast):
    client = client_as(cast.reporter_a)
    url = reverse("supervision:report_new", args=[cast.item_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {**report_data(), "evidence": [photo_upload()]})
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.item, report.unit, report.state, report.progress) == (
        cast.item_a,
        cast.unit_a,
        ReviewState.SUBMITTED,
        Decimal("60"),
    )
    evidence = Evidence.objects.get()
    assert evidence.kind == "photo" and evidence.content_type == "image/jpeg"
    assert evidence.original_name == "现场.png" and evidence.file.name.endswith(".jpg")
    with evidence.file.open("rb") as stored:
        assert stored.read(3) == b"\xff\xd8\xff"  # JPEG now, whatever was sent
    cast.item_a.refresh_from_db()
    assert cast.item_a.progress == 0  # nothing moves before review


def test_it_refuses_a_disguised_file_and_stores_nothing(client_as, cast):
    fake = SimpleUploadedFile("照片.jpg", b"MZ\x90\x00 not a picture at all", content_type="image/jpeg")
    response = client_as(cast.reporter_a).post(
        reverse("supervision:report_new", args=[cast.item_a.pk]),
        {**report_data(), "evidence": [photo_upload(), fake]},
    )
    assert response.status_code == 200
    assert "照片.jpg" in str(response.context["form"].errors["evidence"])
    assert ProgressReport.objects.count() == 0 and Evidence.objects.count() == 0


def test_it_refuses_a_file_over_the_size_limit(client_as, cast, settings):
    settings.UPLOAD_MAX_BYTES = 50
    response = client_as(cast.reporter_a).post(
        reverse("supervision:report_new", args=[cast.item_a.pk]),
        {**report_data(), "evidence": [photo_upload("大图.png")]},
    )
    assert "大图.png" in str(response.context["form"].errors["evidence"])
    assert ProgressReport.objects.count() == 0


def test_it_accepts_a_pdf_as_a_file(client_as, cast):
    pdf = SimpleUploadedFile(
        "方案.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", content_type="application/pdf"
    )
    client_as(cast.reporter_a).post(
        reverse("supervision:report_new", args=[cast.item_a.pk]), {**report_data(), "evidence": [pdf]}
    )
    evidence = Evidence.objects.get()
    assert (evidence.kind, evidence.content_type) == ("file", "application/pdf")


def test_it_names_the_bad_period(client_as, cast):
    response = client_as(cast.reporter_a).post(
        reverse("supervision:report_new", args=[cast.item_a.pk]), report_data(period="去年")
    )
    assert "period" in response.context["form"].errors
    assert ProgressReport.objects.count() == 0


def test_it_hides_the_report_form_from_another_unit_and_refuses_a_leader(client_as, cast, client):
    url = reverse("supervision:report_new", args=[cast.item_a.pk])
    assert client_as(cast.reporter_b).post(url, report_data()).status_code == 404
    assert client_as(cast.leader).post(url, report_data()).status_code == 403
    client.logout()
    assert client.post(url, report_data()).status_code == 302
    assert ProgressReport.objects.count() == 0


def test_it_refuses_the_review_queue_and_reviews_to_reporters(client_as, cast):
    report = submitted(cast)
    client = client_as(cast.reporter_a)
    assert client.get(reverse("supervision:reviews")).status_code == 403
    response = client.post(
        reverse("supervision:review", args=[report.pk]), {"decision": "approve", "version": report.version}
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.state == ReviewState.SUBMITTED
    # Another unit's reporter does not even see it.
    other = client_as(cast.reporter_b).post(
        reverse("supervision:review", args=[report.pk]), {"decision": "approve"}
    )
    assert other.status_code == 404


def test_it_refuses_a_leader_reviewing(client_as, cast):
    report = submitted(cast)
    response = client_as(cast.leader).post(
        reverse("supervision:review", args=[report.pk]), {"decision": "approve", "version": report.version}
    )
    assert response.status_code == 403
    assert ProgressReport.objects.get().state == ReviewState.SUBMITTED


def test_it_refuses_a_supervisor_reviewing_their_own_report(client_as, cast):
    report = submitted(cast)
    ProgressReport.objects.filter(pk=report.pk).update(submitted_by=cast.supervisor)
    response = client_as(cast.supervisor).post(
        reverse("supervision:review", args=[report.pk]), {"decision": "approve", "version": report.version}
    )
    assert response.status_code == 403
    assert ProgressReport.objects.get().state == ReviewState.SUBMITTED


def test_it_returns_with_a_comment_then_approves_the_resubmission(client_as, cast, client):
    report = submitted(cast, progress=70)
    client_as(cast.supervisor)
    queue = client.get(reverse("supervision:reviews"))
    assert [r.pk for r in queue.context["queue"]] == [report.pk]
    review_url = reverse("supervision:review", args=[report.pk])

    no_reason = client.post(review_url, {"decision": "return", "comment": "", "version": report.version})
    assert no_reason.status_code == 200 and "comment" in no_reason.context["form"].errors
    assert (
        client.post(
            review_url, {"decision": "return", "comment": "请补充照片", "version": report.version}
        ).status_code
        == 302
    )
    report.refresh_from_db()
    assert (report.state, report.review_comment) == (ReviewState.RETURNED, "请补充照片")

    client_as(cast.reporter_a)
    item_page = client.get(reverse("ledger:item", args=[cast.item_a.pk])).content.decode()
    assert "请补充照片" in item_page and reverse("supervision:report_resubmit", args=[report.pk]) in item_page
    response = client.post(
        reverse("supervision:report_resubmit", args=[report.pk]),
        {"text": "已补充现场照片", "progress": "75", "version": report.version, "evidence": [photo_upload()]},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.state, report.progress, report.text) == (
        ReviewState.SUBMITTED,
        Decimal("75"),
        "已补充现场照片",
    )
    assert report.evidence.count() == 1

    client_as(cast.supervisor)
    assert client.post(review_url, {"decision": "approve", "version": report.version}).status_code == 302
    cast.item_a.refresh_from_db()
    assert cast.item_a.progress == Decimal("75") and cast.item_a.status == ItemStatus.IN_PROGRESS


def test_it_shows_a_conflict_when_two_supervisors_review_at_once(client_as, cast):
    report = submitted(cast)
    stale_version = report.version
    services.review_report(cast.supervisor, report, approve=True, expected_version=stale_version)
    response = client_as(cast.supervisor).post(
        reverse("supervision:review", args=[report.pk]),
        {"decision": "return", "comment": "x", "version": stale_version},
    )
    # The report is no longer waiting: the page says so and nothing changes.
    assert response.status_code == 200
    assert response.context["form"].errors
    assert ProgressReport.objects.get().state == ReviewState.APPROVED


def test_it_serves_evidence_only_to_those_who_may_read_the_report(client_as, cast, client):
    client_as(cast.reporter_a).post(
        reverse("supervision:report_new", args=[cast.item_a.pk]),
        {**report_data(), "evidence": [photo_upload()]},
    )
    evidence = Evidence.objects.get()
    url = reverse("supervision:evidence", args=[evidence.pk])
    assert client_as(cast.reporter_b).get(url).status_code == 404
    assert client_as(cast.outsider_supervisor).get(url).status_code == 404
    response = client_as(cast.supervisor).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    client.logout()
    assert client.get(url).status_code == 302


def test_it_runs_a_notice_from_issue_to_close(client_as, cast, client):
    client_as(cast.supervisor)
    deadline = date.today() + timedelta(days=5)
    response = client.post(
        reverse("supervision:notice_new", args=[cast.item_a.pk]),
        {"unit": cast.unit_a.pk, "deadline": deadline.isoformat(), "content": "请于五日内说明滞后原因"},
    )
    notice = Notice.objects.get()
    assert response["Location"] == reverse("supervision:notice", args=[notice.pk])
    assert (notice.unit, notice.deadline, notice.issued_by) == (cast.unit_a, deadline, cast.supervisor)
    url = reverse("supervision:notice", args=[notice.pk])

    assert client_as(cast.reporter_b).post(url, {"action": "answer", "answer": "x"}).status_code == 404
    client_as(cast.reporter_a)
    assert notice.number in client.get(reverse("supervision:notices")).content.decode()
    client.post(url, {"action": "acknowledge"})
    notice.refresh_from_db()
    assert notice.state == NoticeState.ACKNOWLEDGED
    client.post(url, {"action": "answer", "answer": "已加派人手，月底完成"})
    notice.refresh_from_db()
    assert (notice.state, notice.answer, notice.answered_by) == (
        NoticeState.ANSWERED,
        "已加派人手，月底完成",
        cast.reporter_a,
    )
    assert client.post(url, {"action": "close"}).status_code == 403

    client_as(cast.supervisor)
    client.post(url, {"action": "close"})
    notice.refresh_from_db()
    assert notice.state == NoticeState.CLOSED and notice.closed_by == cast.supervisor


def test_it_refuses_notices_from_a_reporter(client_as, cast):
    response = client_as(cast.reporter_a).post(
        reverse("supervision:notice_new", args=[cast.item_a.pk]),
        {"unit": cast.unit_a.pk, "deadline": "2030-01-01", "content": "x"},
    )
    assert response.status_code == 403 and Notice.objects.count() == 0


def test_it_lets_a_leader_write_an_instruction_and_nobody_else(client_as, cast):
    url = reverse("supervision:instruction_add", args=[cast.item_a.pk])
    assert client_as(cast.supervisor).post(url, {"text": "督查室越权批示"}).status_code == 403
    assert client_as(cast.leader).post(url, {"text": "加快进度，确保年底投产"}).status_code == 302
    assert list(Instruction.objects.values_list("text", "author__username")) == [
        ("加快进度，确保年底投产", "leader")
    ]
    page = client_as(cast.viewer).get(reverse("ledger:item", args=[cast.item_a.pk])).content.decode()
    assert "加快进度，确保年底投产" in page


def test_it_counts_the_ledger_on_the_dashboard(client_as, cast):
    direction = PlanNode.objects.create(plan=cast.plan, title="方向一", kind=NodeKind.DIRECTION)
    WorkItem.objects.filter(pk=cast.item_a.pk).update(
        # From 2023 to 2060: under a tenth of the time gone, 40 % done — green on any day of this decade.
        node=direction,
        progress=Decimal("40"),
        due_date=date(2060, 12, 31),
    )
    WorkItem.objects.filter(pk=cast.item_b.pk).update(  # three days late: red and overdue
        due_date=date.today() - timedelta(days=3), status=ItemStatus.IN_PROGRESS
    )
    response = client_as(cast.leader).get(reverse("supervision:dashboard"))
    assert response.status_code == 200
    context = response.context
    assert context["total"] == 2
    assert {row["key"]: row["count"] for row in context["lights"]}["red"] == 1
    assert [item.pk for item in context["overdue"]] == [cast.item_b.pk]
    overdue_row = (
        response.content.decode().split(f'href="/plans/items/{cast.item_b.pk}/"')[1].split("</tr>")[0]
    )
    overdue_due = (date.today() - timedelta(days=3)).isoformat()
    assert overdue_due in overdue_row and f"{cast.item_b.progress.normalize():f}%" in overdue_row
    assert str(Light.RED.label) in overdue_row or "红灯" in overdue_row
    assert context["directions"] == [{"id": direction.pk, "label": "方向一", "progress": Decimal("40.00")}]
    assert [row.unit_name for row in context["ranking"]] == [cast.unit_a.name, cast.unit_b.name]
    data = json.loads(
        response.content.decode()
        .split('id="dashboard-data" type="application/json">')[1]
        .split("</script>")[0]
    )
    assert data["directions"]["values"] == [40.0]
    assert context["pending_reviews"] is None  # a leader reviews nothing


def test_it_sends_anonymous_users_from_the_dashboard_to_login(client, cast):
    for name in ("supervision:dashboard", "supervision:reviews", "supervision:notices"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "login" in response["Location"]


def add_items(cast, count: int) -> None:
    for n in range(count):
        item = WorkItem.objects.create(
            plan=cast.plan,
            title=f"批量任务{n}",
            lead_unit=cast.unit_b if n % 2 else cast.unit_a,
            due_date=date.today() + timedelta(days=n % 10),
            light=Light.YELLOW,
        )
        if item.lead_unit == cast.unit_a:
            services.submit_report(cast.reporter_a, item, period="2023-11", text="推进中", progress=10)


def test_it_draws_the_dashboard_and_item_page_in_a_fixed_number_of_queries(
    client_as, cast, django_assert_max_num_queries
):
    client = client_as(cast.supervisor)
    add_items(cast, 2)
    # One report first: with none, the page skips the evidence query altogether.
    services.submit_report(cast.reporter_a, cast.item_a, period="2023-10", text="开工", progress=5)
    pages = [
        reverse("supervision:dashboard"),
        reverse("supervision:reviews"),
        reverse("ledger:item", args=[cast.item_a.pk]),
    ]
    counts = []
    for url in pages:
        with django_assert_max_num_queries(40) as captured:
            client.get(url)
        counts.append(len(captured.captured_queries))
    add_items(cast, 30)
    for _ in range(3):
        services.submit_report(cast.reporter_a, cast.item_a, period="2023-11", text="再报", progress=20)
    for url, count in zip(pages, counts, strict=True):
        with django_assert_max_num_queries(count):
            client.get(url)


def test_it_speaks_english_when_asked(client_as, cast, settings):
    client = client_as(cast.supervisor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("supervision:dashboard")).content.decode()
    assert "Department ranking" in page and "部门排名" not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "部门排名" in client.get(reverse("supervision:dashboard")).content.decode()


def test_it_offers_the_review_queue_only_to_those_who_review(client_as, cast):
    reviews = reverse("supervision:reviews")
    assert f'href="{reviews}"' in client_as(cast.supervisor).get(reverse("ledger:list")).content.decode()
    assert f'href="{reviews}"' not in client_as(cast.reporter_a).get(reverse("ledger:list")).content.decode()


def test_it_refuses_a_co_unit_the_resubmission_of_another_units_report(client_as, cast):
    cast.item_a.co_units.add(cast.unit_b)
    report = submitted(cast)
    services.review_report(
        cast.supervisor, report, approve=False, comment="缺少照片", expected_version=report.version
    )
    client = client_as(cast.reporter_b)
    url = reverse("supervision:report_resubmit", args=[report.pk])
    item_page = client.get(reverse("ledger:item", args=[cast.item_a.pk])).content.decode()
    assert url not in item_page
    # Another unit's returned report is that unit's correspondence with the office: not even readable.
    assert client.get(url).status_code == 404
    response = client.post(url, {"text": "乙改写", "progress": "90", "version": report.version})
    assert response.status_code == 404
    report.refresh_from_db()
    assert (report.state, report.progress) == (ReviewState.RETURNED, Decimal("60"))


def test_it_drops_a_deleted_item_from_the_cached_ranking_at_once(client_as, cast):
    client = client_as(cast.leader)
    before = client.get(reverse("supervision:dashboard")).context["ranking"]
    assert [row.unit_name for row in before] == [cast.unit_a.name, cast.unit_b.name]
    # Soft deletion writes only deleted_at: updated_at stays, so the fingerprint must see it otherwise.
    WorkItem.objects.get(pk=cast.item_b.pk).soft_delete()
    after = client.get(reverse("supervision:dashboard")).context["ranking"]
    assert [row.unit_name for row in after] == [cast.unit_a.name]


def test_the_review_queue_comes_a_page_at_a_time_oldest_first_with_evidence_counts(client_as, cast):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    first = datetime(2023, 3, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    reports = []
    for n in range(55):
        report = ProgressReport.objects.create(
            item=cast.item_a,
            period="2023-03",
            text=f"第{n}次",
            progress=10,
            unit=cast.unit_a,
            submitted_at=first + timedelta(hours=n),
        )
        reports.append(report.pk)
    Evidence.objects.create(report_id=reports[0], file="evidence/x.png", original_name="x.png", size=1)
    client = client_as(cast.supervisor)

    page_one = client.get(reverse("supervision:reviews"))
    assert [r.pk for r in page_one.context["queue"]] == reports[:50]
    assert page_one.context["queue"][0].evidence_count == 1
    assert page_one.context["queue"][1].evidence_count == 0
    assert "55" in page_one.content.decode() and "page=2" in page_one.content.decode()

    page_two = client.get(reverse("supervision:reviews"), {"page": 2})
    assert [r.pk for r in page_two.context["queue"]] == reports[50:]
