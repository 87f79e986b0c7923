"""Target drafts: accepting one writes an indicator target with its citation; a person switches a
figure between observation and target before accepting it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from countyworks.core.services import PermissionDenied, ServiceError
from countyworks.indicators.models import Indicator, Observation, Target
from countyworks.reading import services
from countyworks.reading.models import DraftState, ProposalKind
from countyworks.reading.tests.helpers import draft, read
from countyworks.reading.tests.texts import NEWS_WITH_AIM_2023, REPORT_AND_PLAN_2023, REVIEW_2023
from countyworks.sources.models import Citation


def test_it_proposes_targets_for_the_plan_part_when_reading_a_report(cast):
    document = read(cast, REPORT_AND_PLAN_2023)
    assert draft(document, "1800人以上").kind == ProposalKind.TARGET
    assert draft(document, "7.8亿元").kind == ProposalKind.OBSERVATION
    assert services.summary(document)["by_kind"]["target"] == 3


def test_it_records_a_target_cited_to_the_span_on_accept(cast):
    document = read(cast, REPORT_AND_PLAN_2023)
    proposal = draft(document, "1800人以上")
    services.accept_draft(cast.supervisor, proposal)
    target = Target.objects.get()
    assert (target.indicator.name, target.indicator.unit) == ("城镇新增就业", "人")
    assert (target.region, target.year, target.value, target.unit, target.qualifier) == (
        cast.county,
        2024,
        Decimal("1800"),
        "人",
        "at_least",
    )
    citation = target.citation
    assert (citation.document, citation.start, citation.end) == (document, proposal.start, proposal.end)
    assert citation.quote == "1800人以上" and citation.section == "2024年工作安排"
    assert Observation.objects.count() == 0
    proposal.refresh_from_db()
    assert proposal.state == DraftState.ACCEPTED and proposal.created_record == target
    assert target.history.get().history_user == cast.supervisor


def test_it_records_a_growth_target_as_the_level_of_its_rate(cast):
    document = read(cast, REPORT_AND_PLAN_2023)
    services.accept_draft(cast.supervisor, draft(document, "6.5%左右"))
    target = Target.objects.get()
    assert (target.indicator.name, target.unit, target.value, target.qualifier) == (
        "地区生产总值增速",
        "%",
        Decimal("6.5"),
        "approx",
    )


def test_it_records_an_edited_target(cast):
    document = read(cast, REPORT_AND_PLAN_2023)
    proposal = draft(document, "突破650万人次")
    services.accept_draft(cast.supervisor, proposal, {"indicator": "接待游客人次", "value": "6600000"})
    target = Target.objects.get()
    assert (target.indicator.name, target.value, target.qualifier) == (
        "接待游客人次",
        Decimal("6600000"),
        "over",
    )
    proposal.refresh_from_db()
    assert proposal.state == DraftState.EDITED


def test_it_switches_an_observation_to_a_target_and_records_it(cast):
    document = read(cast, REVIEW_2023)
    proposal = draft(document, "超2000人")
    services.switch_draft_kind(cast.supervisor, proposal, ProposalKind.TARGET)
    proposal.refresh_from_db()
    assert (proposal.kind, proposal.state) == (ProposalKind.TARGET, DraftState.PROPOSED)
    assert Citation.objects.count() == 0 and Target.objects.count() == 0  # switching records nothing
    services.accept_draft(cast.supervisor, proposal)
    target = Target.objects.get()
    assert (target.year, target.value, target.qualifier) == (2023, Decimal("2000"), "over")
    assert target.citation.quote == "超2000人"
    proposal.refresh_from_db()
    # The person changed what the reader proposed: the decision says so.
    assert proposal.state == DraftState.EDITED and Observation.objects.count() == 0


def test_it_switches_a_target_back_to_the_observation_it_was(cast):
    document = read(cast, REPORT_AND_PLAN_2023)
    proposal = draft(document, "6.5%左右")
    services.switch_draft_kind(cast.supervisor, proposal, ProposalKind.OBSERVATION)
    proposal.refresh_from_db()
    assert proposal.kind == ProposalKind.OBSERVATION
    assert (proposal.fields["indicator"], proposal.fields["value_kind"]) == ("地区生产总值", "growth")
    services.accept_draft(cast.supervisor, proposal)
    observation = Observation.objects.get()
    assert (observation.indicator.name, observation.value_kind, observation.year) == (
        "地区生产总值",
        "growth",
        2024,
    )
    assert Target.objects.count() == 0


def test_it_refuses_to_switch_what_is_not_a_figure_or_is_decided(cast):
    document = read(cast, REVIEW_2023)
    with pytest.raises(ServiceError) as caught:
        services.switch_draft_kind(cast.supervisor, draft(document, "2.1倍"), ProposalKind.TARGET)
    assert caught.value.field == "kind"
    with pytest.raises(ServiceError):
        services.switch_draft_kind(
            cast.supervisor, draft(document, "全国县域商业体系建设示范县", ProposalKind.HONOUR), "target"
        )
    with pytest.raises(ServiceError):
        services.switch_draft_kind(cast.supervisor, draft(document, "超2000人"), "honour")
    accepted = services.accept_draft(cast.supervisor, draft(document, "超2000人"))
    with pytest.raises(ServiceError) as caught:
        services.switch_draft_kind(cast.supervisor, accepted, ProposalKind.TARGET)
    assert caught.value.field == "state"
    assert draft(document, "2.1倍").kind == ProposalKind.OBSERVATION


def test_it_refuses_a_second_target_for_the_same_year_and_keeps_nothing(cast):
    document = read(cast, REPORT_AND_PLAN_2023)
    services.accept_draft(cast.supervisor, draft(document, "1800人以上"))
    news = read(cast, "2024年全县城镇新增就业目标为2000人。\n", title="就业目标报道")
    second = draft(news, "2000人")
    assert second.kind == ProposalKind.TARGET
    with pytest.raises(ServiceError) as caught:
        services.accept_draft(cast.supervisor, second, {"indicator": "城镇新增就业"})
    assert caught.value.field == "year" and "城镇新增就业" in caught.value.message
    assert Target.objects.count() == 1 and Citation.objects.count() == 1
    second.refresh_from_db()
    assert second.state == DraftState.PROPOSED


def test_it_accepts_a_target_all_or_nothing(cast, monkeypatch):
    document = read(cast, REPORT_AND_PLAN_2023)
    proposal = draft(document, "6.5%左右")

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "_mark_decided", fail)
    with pytest.raises(RuntimeError):
        services.accept_draft(cast.supervisor, proposal)
    assert Target.objects.count() == 0 and Indicator.objects.count() == 0 and Citation.objects.count() == 0
    proposal.refresh_from_db()
    assert proposal.state == DraftState.PROPOSED


@pytest.mark.parametrize("actor", ["leader", "reporter_a", "viewer", "outsider_supervisor"])
def test_it_lets_only_supervisors_of_the_region_accept_or_switch_a_target(cast, actor):
    document = read(cast, REPORT_AND_PLAN_2023)
    proposal = draft(document, "1800人以上")
    with pytest.raises(PermissionDenied):
        services.accept_draft(getattr(cast, actor), proposal)
    with pytest.raises(PermissionDenied):
        services.switch_draft_kind(getattr(cast, actor), proposal, ProposalKind.OBSERVATION)
    proposal.refresh_from_db()
    assert (proposal.kind, proposal.state) == (ProposalKind.TARGET, DraftState.PROPOSED)
    assert Target.objects.count() == 0 and Citation.objects.count() == 0


# --- The review screen ----------------------------------------------------------------------------


def test_it_shows_a_target_draft_as_a_target_with_its_year_value_and_qualifier(client, cast):
    document = read(cast, REPORT_AND_PLAN_2023)
    proposal = draft(document, "1800人以上")
    client.force_login(cast.supervisor)
    page = client.get(reverse("reading:review", args=[document.pk])).content.decode()
    row = page[page.index(f'id="draft-{proposal.pk}"') :]
    row = row[: row.index("</li>")]
    assert "指标目标" in row and "<dt>目标</dt>" in row
    assert "2024年：1800人以上" in row and '<span class="muted">(以上)</span>' in row
    assert 'value="as_observation"' in row and "改为指标数值" in row and 'value="as_target"' not in row
    assert "<dd>年份晚于文件所属年度（目标）</dd>" in row
    observation_row = page[page.index(f'id="draft-{draft(document, "7.8亿元").pk}"') :]
    assert 'value="as_target"' in observation_row[: observation_row.index("</li>")]
    assert 'class="mark-target mark-proposed"' in page


def test_it_switches_kind_on_the_screen_with_htmx_and_without(client, cast):
    document = read(cast, NEWS_WITH_AIM_2023)
    proposal = draft(document, "46公里")
    url = reverse("reading:decide", args=[proposal.pk])
    client.force_login(cast.supervisor)
    response = client.post(url, {"action": "as_target"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(f'<li id="draft-{proposal.pk}"') and "指标目标" in body
    assert 'value="as_observation"' in body
    proposal.refresh_from_db()
    assert proposal.kind == ProposalKind.TARGET
    response = client.post(url, {"action": "as_observation"})
    assert response.status_code == 302 and response.url.endswith(f"#draft-{proposal.pk}")
    proposal.refresh_from_db()
    assert proposal.kind == ProposalKind.OBSERVATION and proposal.state == DraftState.PROPOSED
    assert Target.objects.count() == 0 and Observation.objects.count() == 0


def test_it_edits_a_target_through_its_small_form(client, cast):
    document = read(cast, NEWS_WITH_AIM_2023)
    proposal = draft(document, "300户")
    url = reverse("reading:decide", args=[proposal.pk])
    client.force_login(cast.supervisor)
    form_page = client.get(url).content.decode()
    prefix = f"d{proposal.pk}-"
    assert f'name="{prefix}year"' in form_page and "目标值" in form_page
    assert f'name="{prefix}value_kind"' not in form_page
    data = {
        "action": "edit",
        prefix + "indicator": "农村危房改造",
        prefix + "value": "320",
        prefix + "unit": "户",
        prefix + "qualifier": "at_least",
        prefix + "year": "2023",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    target = Target.objects.get()
    assert (target.indicator.name, target.value, target.qualifier, target.year) == (
        "农村危房改造",
        Decimal("320"),
        "at_least",
        2023,
    )
    assert target.citation.quote == "300户"


def test_it_shows_why_a_target_was_refused_and_records_nothing(client, cast):
    document = read(cast, REPORT_AND_PLAN_2023)
    services.accept_draft(cast.supervisor, draft(document, "1800人以上"))
    news = read(cast, "2024年全县城镇新增就业目标为2000人。\n", title="就业目标报道")
    proposal = draft(news, "2000人")
    client.force_login(cast.supervisor)
    prefix = f"d{proposal.pk}-"
    data = {
        "action": "edit",
        prefix + "indicator": "城镇新增就业",
        prefix + "value": "2000",
        prefix + "unit": "人",
        prefix + "qualifier": "exact",
        prefix + "year": "2024",
    }
    response = client.post(
        reverse("reading:decide", args=[proposal.pk]), data, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and "城镇新增就业" in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert Target.objects.count() == 1 and Citation.objects.count() == 1
    proposal.refresh_from_db()
    assert proposal.state == DraftState.PROPOSED


@pytest.mark.parametrize("actor", ["leader", "reporter_a", "viewer", "outsider_supervisor"])
def test_it_refuses_the_switch_on_the_screen_to_others(client, cast, actor):
    document = read(cast, REPORT_AND_PLAN_2023)
    proposal = draft(document, "1800人以上")
    client.force_login(getattr(cast, actor))
    url = reverse("reading:decide", args=[proposal.pk])
    assert client.post(url, {"action": "as_observation"}).status_code == 403
    assert client.post(url, {"action": "accept"}).status_code == 403
    proposal.refresh_from_db()
    assert (proposal.kind, proposal.state) == (ProposalKind.TARGET, DraftState.PROPOSED)
    assert Target.objects.count() == 0
