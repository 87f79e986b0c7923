from decimal import Decimal

import pytest
from django.urls import reverse

from countyworks.indicators.models import Observation
from countyworks.reading.models import DraftState
from countyworks.reading.tests.helpers import draft, read
from countyworks.reading.tests.texts import NEWS_2023, REVIEW_2023
from countyworks.sources.models import Document


def _import_data(text=REVIEW_2023, region="140427"):
    return {"title": "县政府工作报告", "region": region, "year": "2023", "kind": "work_report", "text": text}


def test_it_reads_a_pasted_text_and_shows_every_mention_marked(client, cast):
    client.force_login(cast.supervisor)
    response = client.post(reverse("reading:documents"), _import_data())
    document = Document.objects.get()
    assert response.status_code == 302 and response.url == reverse("reading:review", args=[document.pk])
    page = client.get(response.url).content.decode()
    assert "约120.5亿元</a></mark>" in page
    assert '<mark id="span-{}"'.format(draft(document, "超2000人").start) in page
    assert "全国县域商业体系建设示范县" in page
    assert "接受" in page and "驳回" in page  # the screen reads in Chinese
    listing = client.get(reverse("reading:documents"))
    row = listing.context["rows"][0]
    assert (row["document"], row["open"], row["total"]) == (
        document,
        document.drafts.count(),
        document.drafts.count(),
    )
    assert "县政府工作报告" in listing.content.decode()


def test_it_escapes_the_text_it_shows(client, cast):
    client.force_login(cast.supervisor)
    client.post(reverse("reading:documents"), _import_data(NEWS_2023))
    document = Document.objects.get()
    page = client.get(reverse("reading:review", args=[document.pk])).content.decode()
    assert "&lt;b&gt;群众&lt;/b&gt;" in page and "<b>群众</b>" not in page


def test_it_names_the_field_of_a_bad_import_and_keeps_nothing(client, cast):
    client.force_login(cast.supervisor)
    response = client.post(reverse("reading:documents"), _import_data(text="  "))
    assert response.status_code == 400
    assert "粘贴" in response.content.decode()
    response = client.post(reverse("reading:documents"), _import_data(region="000000"))
    assert response.status_code == 400 and "000000" in response.content.decode()
    assert Document.objects.count() == 0


def test_it_reads_an_uploaded_file(client, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(cast.supervisor)
    data = _import_data(text="")
    data["file"] = SimpleUploadedFile("report.txt", REVIEW_2023.encode("gb18030"))
    response = client.post(reverse("reading:documents"), data)
    assert response.status_code == 302
    assert Document.objects.get().text == REVIEW_2023


def test_it_accepts_with_htmx_and_answers_the_row(client, cast):
    document = read(cast, REVIEW_2023)
    proposal = draft(document, "超2000人")
    client.force_login(cast.supervisor)
    response = client.post(
        reverse("reading:decide", args=[proposal.pk]), {"action": "accept"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(f'<li id="draft-{proposal.pk}"') and "<html" not in body
    assert Observation.objects.get().citation.quote == "超2000人"


def test_it_edits_through_the_small_form(client, cast):
    document = read(cast, REVIEW_2023)
    proposal = draft(document, "超2000人")
    client.force_login(cast.supervisor)
    form_page = client.get(reverse("reading:decide", args=[proposal.pk])).content.decode()
    assert f'name="d{proposal.pk}-value"' in form_page
    prefix = f"d{proposal.pk}-"
    data = {
        "action": "edit",
        prefix + "indicator": "城镇新增就业",
        prefix + "value": "2150",
        prefix + "unit": "人",
        prefix + "qualifier": "over",
        prefix + "year": "2023",
        prefix + "value_kind": "level",
        prefix + "base_year": "",
    }
    response = client.post(reverse("reading:decide", args=[proposal.pk]), data)
    assert response.status_code == 302
    observation = Observation.objects.get()
    assert (observation.indicator.name, observation.value) == ("城镇新增就业", Decimal("2150"))
    proposal.refresh_from_db()
    assert proposal.state == DraftState.EDITED


def test_it_shows_the_error_of_a_bad_edit_and_records_nothing(client, cast):
    document = read(cast, REVIEW_2023)
    proposal = draft(document, "5.3%")
    client.force_login(cast.supervisor)
    prefix = f"d{proposal.pk}-"
    data = {
        "action": "edit",
        prefix + "indicator": "地区生产总值",
        prefix + "value": "5.3",
        prefix + "unit": "%",
        prefix + "qualifier": "exact",
        prefix + "year": "2023",
        prefix + "value_kind": "growth",
        prefix + "base_year": "",
    }
    response = client.post(reverse("reading:decide", args=[proposal.pk]), data)
    assert response.status_code == 400
    assert "基期" in response.content.decode() or "base year" in response.content.decode()
    assert Observation.objects.count() == 0
    proposal.refresh_from_db()
    assert proposal.state == DraftState.PROPOSED


def test_it_rejects_through_the_screen(client, cast):
    document = read(cast, REVIEW_2023)
    proposal = draft(document, "超2000人")
    client.force_login(cast.supervisor)
    client.post(reverse("reading:decide", args=[proposal.pk]), {"action": "reject"})
    proposal.refresh_from_db()
    assert proposal.state == DraftState.REJECTED and Observation.objects.count() == 0


def test_it_sends_anonymous_users_to_log_in(client, cast):
    document = read(cast, REVIEW_2023)
    proposal = draft(document, "超2000人")
    for url in (reverse("reading:documents"), reverse("reading:review", args=[document.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/" in response.url
    response = client.post(reverse("reading:decide", args=[proposal.pk]), {"action": "accept"})
    assert response.status_code == 302
    response = client.post(reverse("reading:documents"), _import_data(NEWS_2023))
    assert response.status_code == 302
    assert Observation.objects.count() == 0 and Document.objects.count() == 1


@pytest.mark.parametrize("actor", ["leader", "reporter_a", "outsider_supervisor"])
def test_it_refuses_import_and_decisions_to_others(client, cast, actor):
    document = read(cast, REVIEW_2023)
    proposal = draft(document, "超2000人")
    client.force_login(getattr(cast, actor))
    assert client.post(reverse("reading:documents"), _import_data(NEWS_2023)).status_code == 403
    # Another county's document is not there at all for its supervisor; the others may not review it.
    assert client.get(reverse("reading:review", args=[document.pk])).status_code == (
        404 if actor == "outsider_supervisor" else 403
    )
    assert client.post(reverse("reading:decide", args=[proposal.pk]), {"action": "accept"}).status_code == 403
    assert client.post(reverse("reading:decide", args=[proposal.pk]), {"action": "reject"}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.state == DraftState.PROPOSED
    assert Document.objects.count() == 1 and Observation.objects.count() == 0


def test_it_shows_a_cited_span_in_the_document(client, cast):
    document = read(cast, REVIEW_2023)
    proposal = draft(document, "超2000人")
    client.force_login(cast.leader)
    url = reverse("reading:document", args=[document.pk]) + f"?start={proposal.start}&end={proposal.end}"
    page = client.get(url).content.decode()
    assert '<mark id="cited" class="mark-cited">超2000人</mark>' in page
    client.force_login(cast.outsider_supervisor)
    assert client.get(url).status_code == 404
