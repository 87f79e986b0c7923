"""Slow renderings run as jobs the page polls; the `countyworks report` command writes files."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from countyworks.reports import services
from countyworks.reports.models import JobStatus, ReportJob


@pytest.fixture
def inline_jobs(settings, tmp_path, monkeypatch):
    settings.REPORTS_JOBS_INLINE = True
    settings.MEDIA_ROOT = tmp_path / "media"
    # The real conversion is covered in test_docx; here a stand-in keeps the job test quick.
    monkeypatch.setattr(
        "countyworks.reports.render_pdf.render_pdf", lambda report: b"%PDF-1.4 " + report.title.encode()
    )


def test_it_runs_a_pdf_download_as_a_job_and_serves_the_file(year_data, cast, client, inline_jobs):
    client.force_login(cast.viewer)
    response = client.get(reverse("reports:review", args=["140427", 2023]) + "?format=pdf")
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:job", args=[job.pk])
    assert (job.status, job.progress, job.requested_by) == (JobStatus.DONE, 100, cast.viewer)
    page = client.get(response["Location"])
    assert reverse("reports:job_download", args=[job.pk]) in page.content.decode()
    download = client.get(reverse("reports:job_download", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == "%PDF-1.4 壶关县2023年工作回顾".encode()


def test_it_polls_a_running_job_with_htmx_until_it_finishes(year_data, cast, client):
    job = ReportJob.objects.create(
        kind="review",
        fmt="pdf",
        region=cast.county,
        year=2023,
        requested_by=cast.viewer,
        status=JobStatus.RUNNING,
        progress=40,
        filename="review-140427-2023.pdf",
    )
    client.force_login(cast.viewer)
    partial = client.get(reverse("reports:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in partial
    assert 'value="40"' in partial
    assert "<html" not in partial
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, message="LibreOffice failed")
    partial = client.get(reverse("reports:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in partial
    assert "LibreOffice failed" in partial


def test_it_keeps_a_job_private_to_whoever_asked_for_it(year_data, cast, client, inline_jobs):
    job = services.start_job(cast.viewer, "review", "pdf", cast.county, year=2023)
    client.force_login(cast.leader)
    assert client.get(reverse("reports:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("reports:job_download", args=[job.pk])).status_code == 404


def test_it_records_a_failed_job_with_its_reason(year_data, cast, inline_jobs, monkeypatch):
    from countyworks.reports.render_pdf import ConversionError

    def broken(report):
        raise ConversionError("LibreOffice (soffice) is not installed; run `make system-deps`.")

    monkeypatch.setattr("countyworks.reports.render_pdf.render_pdf", broken)
    job = services.start_job(cast.supervisor, "review", "pdf", cast.county, year=2023)
    assert job.status == JobStatus.FAILED
    assert "soffice" in job.message
    assert not job.file


def test_it_refuses_to_start_a_job_for_another_county(year_data, cast, inline_jobs):
    with pytest.raises(services.PermissionDenied):
        services.start_job(cast.outsider_supervisor, "bulletin", "pdf", cast.county)
    assert not ReportJob.objects.exists()


def test_it_writes_the_review_from_the_command_line(year_data, tmp_path):
    html = tmp_path / "review.html"
    call_command(
        "report", "review", "--region", "140427", "--year", "2023", "--format", "html", "-o", str(html)
    )
    text = html.read_text()
    assert '<h1 class="report-title">壶关县2023年工作回顾</h1>' in text
    assert "data-source=" in text
    docx = tmp_path / "review.docx"
    call_command(
        "report", "review", "--region", "140427", "--year", "2023", "--format", "docx", "-o", str(docx)
    )
    with zipfile.ZipFile(docx) as archive:
        assert "近25亿元" in archive.read("word/document.xml").decode()


def test_it_writes_the_ledger_and_the_bulletin_from_the_command_line(year_data, tmp_path):
    xlsx = tmp_path / "ledger.xlsx"
    call_command("report", "ledger", "--region", "140427", "--year", "2023", "-o", str(xlsx))
    assert load_workbook(io.BytesIO(xlsx.read_bytes())).sheetnames[0] == "汇总"
    docx = tmp_path / "bulletin.docx"
    call_command(
        "report",
        "bulletin",
        "--region",
        "140427",
        "--from",
        "2023-01-01",
        "--to",
        "2023-12-31",
        "-o",
        str(docx),
    )
    assert docx.stat().st_size > 10_000


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["review", "--region", "999999", "--year", "2023"], "--region: no region with code 999999"),
        (["review", "--region", "140427", "--year", "2019"], "--year:"),
        (["bulletin", "--region", "140427", "--from", "2023-13-01", "--to", "2023-12-31"], "not a date"),
    ],
)
def test_it_names_the_bad_option_on_the_command_line(year_data, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("report", *args, "-o", str(tmp_path / "out"))
    assert not (tmp_path / "out").exists()


@pytest.mark.django_db(transaction=True)
def test_it_queues_a_job_outside_the_request_and_a_worker_runs_it(cast, settings, tmp_path, monkeypatch):
    from countyworks.jobs import queue
    from countyworks.plans.models import Plan

    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr("countyworks.reports.render_pdf.render_pdf", lambda report: b"%PDF-1.4 thread")
    Plan.objects.filter(pk=cast.plan.pk).update(published=True)
    job = services.start_job(cast.supervisor, "review", "pdf", cast.county, year=2023)
    # The request only records the job; the queue's worker renders it.
    assert job.status == JobStatus.QUEUED and job.task.state == "queued"
    assert queue.run_one("test-worker")
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.task.state == "done" and job.task.attempts == 1
    assert job.file.read() == b"%PDF-1.4 thread"
