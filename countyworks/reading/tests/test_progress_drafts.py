"""Progress texts become draft progress reports per ledger item, and a 督查通报 draft notices; a person
confirms each, through the supervision services (督查室代填, issue_notice)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from countyworks.core.services import PermissionDenied, ServiceError
from countyworks.reading import services
from countyworks.reading.models import DraftState, ProposalKind
from countyworks.reading.tests.helpers import read
from countyworks.reading.tests.progress_texts import PROGRESS_2023, SUPERVISION_2023, make_ledger
from countyworks.supervision import services as supervision_services
from countyworks.supervision.models import Notice, ProgressReport, ReviewState

pytestmark = pytest.mark.django_db


def _by_item(document, kind):
    return {d.fields["item_title"]: d for d in document.drafts.filter(kind=kind)}


def test_it_proposes_one_progress_draft_per_matched_item(cast):
    make_ledger(cast)
    document = read(cast, PROGRESS_2023, kind="article")
    drafts = _by_item(document, ProposalKind.PROGRESS_REPORT)
    # 城乡公交一体化 states no share; 乡村图书室建设 is not on the ledger.
    assert sorted(drafts) == ["乡镇卫生院提质扩容", "农村饮水安全巩固提升", "城区雨污管网改造"]
    pipes = drafts["城区雨污管网改造"].fields
    assert (pipes["progress"], pipes["planned"], pipes["done"], pipes["count_unit"]) == (
        "75",
        "24",
        "18",
        "公里",
    )
    assert pipes["expected_completion"] == "2023-12-31"
    assert pipes["period"] == "2023-10"
    assert pipes["unit_name"] == "壶关县住房和城乡建设局"
    clinics = drafts["乡镇卫生院提质扩容"].fields
    assert (clinics["progress"], clinics["expected_completion"]) == ("67", "2023-11-30")
    water = drafts["农村饮水安全巩固提升"]
    assert (water.fields["progress"], water.fields["expected_completion"]) == ("80", "2023-12-20")
    assert "整体进度80%" in water.fields["text"]
    assert document.text[water.start : water.end].startswith("三、农村饮水安全巩固提升")


def test_it_proposes_nothing_for_an_item_when_the_passage_names_only_another_unit(cast):
    make_ledger(cast)
    text = "一、城区雨污管网改造。已完成改造12公里，占计划的50%。（县水利局）\n"
    document = read(cast, text, kind="article")
    assert not document.drafts.filter(kind=ProposalKind.PROGRESS_REPORT).exists()


def test_accepting_a_progress_draft_enters_an_office_report_and_moves_the_item(cast):
    items = make_ledger(cast)
    document = read(cast, PROGRESS_2023, kind="article")
    draft = _by_item(document, ProposalKind.PROGRESS_REPORT)["乡镇卫生院提质扩容"]
    services.accept_draft(cast.supervisor, draft)
    draft.refresh_from_db()
    report = ProgressReport.objects.get()
    assert draft.state == DraftState.ACCEPTED and draft.created_record == report
    assert report.entered_by_office and report.state == ReviewState.APPROVED
    assert (report.item, report.unit, report.period) == (
        items["乡镇卫生院提质扩容"],
        items["乡镇卫生院提质扩容"].lead_unit,
        "2023-10",
    )
    assert report.progress == Decimal("67")
    assert report.reviewed_by == cast.supervisor and "测试文件" in report.review_comment
    assert "67%" in report.review_comment
    assert report.entry_label
    items["乡镇卫生院提质扩容"].refresh_from_db()
    assert items["乡镇卫生院提质扩容"].progress == Decimal("67")


def test_an_edited_progress_draft_records_the_persons_figures(cast):
    items = make_ledger(cast)
    document = read(cast, PROGRESS_2023, kind="article")
    draft = _by_item(document, ProposalKind.PROGRESS_REPORT)["城区雨污管网改造"]
    services.accept_draft(
        cast.supervisor, draft, {"progress": "70", "period": "2023-10", "text": "改造18公里"}
    )
    draft.refresh_from_db()
    assert draft.state == DraftState.EDITED
    items["城区雨污管网改造"].refresh_from_db()
    assert items["城区雨污管网改造"].progress == Decimal("70")


def test_the_person_may_move_a_progress_draft_to_another_ledger_item(cast):
    from countyworks.reading.forms import edit_form_for, json_ready

    items = make_ledger(cast)
    document = read(cast, PROGRESS_2023, kind="article")
    draft = _by_item(document, ProposalKind.PROGRESS_REPORT)["城区雨污管网改造"]
    other = items["农村饮水安全巩固提升"]
    form = edit_form_for(draft, cast.supervisor)
    assert (other.pk, other.title) in form.fields["item"].choices
    prefix = f"d{draft.pk}-"
    data = {
        prefix + "item": str(other.pk),
        prefix + "period": "2023-10",
        prefix + "progress": "65",
        prefix + "text": "改",
    }
    form = edit_form_for(draft, cast.supervisor, data)
    assert form.is_valid(), form.errors
    services.accept_draft(cast.supervisor, draft, json_ready(form.cleaned_data))
    report = ProgressReport.objects.get()
    # The unit the text named does not take part in the chosen item: its lead unit reports.
    assert (report.item, report.unit, report.progress) == (other, other.lead_unit, Decimal("65"))


def test_a_supervision_bulletin_proposes_notices_for_the_units_named_as_behind(cast):
    items = make_ledger(cast)
    document = read(cast, SUPERVISION_2023, kind="article")
    notices = _by_item(document, ProposalKind.NOTICE)
    assert sorted(notices) == ["农村饮水安全巩固提升", "城区雨污管网改造"]
    assert notices["城区雨污管网改造"].fields["deadline"] == "2023-11-15"
    services.accept_draft(cast.supervisor, notices["农村饮水安全巩固提升"])
    notice = Notice.objects.get()
    assert (notice.item, notice.unit) == (
        items["农村饮水安全巩固提升"],
        items["农村饮水安全巩固提升"].lead_unit,
    )
    assert notice.deadline == date(2023, 11, 15) and "推进缓慢" in notice.content


def test_only_the_office_confirms_a_progress_draft(cast):
    make_ledger(cast)
    document = read(cast, PROGRESS_2023, kind="article")
    draft = _by_item(document, ProposalKind.PROGRESS_REPORT)["城区雨污管网改造"]
    with pytest.raises(PermissionDenied):
        services.accept_draft(cast.reporter_a, draft)
    assert not ProgressReport.objects.exists()


def test_enter_report_for_unit_is_the_offices_and_for_a_unit_of_the_item(cast):
    with pytest.raises(PermissionDenied):
        supervision_services.enter_report_for_unit(
            cast.reporter_a, cast.item_a, unit=cast.unit_a, period="2023-10", text="进展", progress=50
        )
    with pytest.raises(PermissionDenied):
        supervision_services.enter_report_for_unit(
            cast.outsider_supervisor,
            cast.item_a,
            unit=cast.unit_a,
            period="2023-10",
            text="进展",
            progress=50,
        )
    with pytest.raises(ServiceError) as exc:
        supervision_services.enter_report_for_unit(
            cast.supervisor, cast.item_a, unit=cast.unit_b, period="2023-10", text="进展", progress=50
        )
    assert exc.value.field == "unit"
    report = supervision_services.enter_report_for_unit(
        cast.supervisor,
        cast.item_a,
        unit=cast.unit_a,
        period="2023-10",
        text="进展",
        progress=50,
        evidence_text="据某文",
    )
    assert report.entered_by_office and report.review_comment == "据某文"
    cast.item_a.refresh_from_db()
    assert cast.item_a.progress == Decimal("50")


def test_the_review_screen_shows_the_progress_drafts(cast, client):
    make_ledger(cast)
    document = read(cast, PROGRESS_2023, kind="article")
    client.force_login(cast.supervisor)
    page = client.get(f"/reading/documents/{document.pk}/review/").content.decode()
    assert page.count("draft-kind-progress_report") == 3
    assert "75%（18/24公里）" in page


def test_the_item_choice_lists_only_items_the_person_may_read(cast):
    from countyworks.reading.forms import edit_form_for

    make_ledger(cast)
    document = read(cast, PROGRESS_2023, kind="article")
    draft = _by_item(document, ProposalKind.PROGRESS_REPORT)["城区雨污管网改造"]
    everything = {pk for pk, _ in edit_form_for(draft, cast.supervisor).fields["item"].choices}
    own = {pk for pk, _ in edit_form_for(draft, cast.reporter_a).fields["item"].choices}
    assert cast.item_b.pk in everything
    assert own == {cast.item_a.pk}
