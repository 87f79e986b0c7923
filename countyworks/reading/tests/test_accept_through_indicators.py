"""Accepting a figure goes through the indicators' own service: its unit conversion, checks and rights."""

from decimal import Decimal

import pytest

from countyworks.accounts import policy
from countyworks.core.services import PermissionDenied, ServiceError
from countyworks.indicators.models import Indicator, Observation, Target
from countyworks.reading import services
from countyworks.reading.models import DraftState
from countyworks.reading.tests.helpers import draft, read
from countyworks.sources.models import Citation

REVIEW = (
    "一、2023年工作回顾\n"
    "2023年，全县一般公共预算收入9860万元，同比增长5%。\n"
    "二、2024年目标\n"
    "2024年一般公共预算收入达到1.2亿元。"
)
BULLETIN = "据统计，2023年全县一般公共预算收入1.05亿元。"


@pytest.fixture
def revenue(db):
    return Indicator.objects.create(code="revenue", name="全县一般公共预算收入", unit="亿元")


def test_a_figure_in_wan_yuan_is_stored_in_the_indicators_yi_yuan(cast, revenue):
    document = read(cast, REVIEW)
    services.accept_draft(cast.supervisor, draft(document, "9860万元"))
    observation = Observation.objects.get(value_kind="level")
    assert observation.indicator == revenue and Indicator.objects.filter(name=revenue.name).count() == 1
    assert (observation.value, observation.unit) == (Decimal("0.986"), "亿元")
    assert observation.citation.quote == "9860万元"


def test_a_figure_the_person_retypes_in_wan_yuan_is_converted_too(cast, revenue):
    document = read(cast, REVIEW)
    services.accept_draft(cast.supervisor, draft(document, "9860万元"), {"value": "9860", "unit": "万元"})
    observation = Observation.objects.get()
    assert (observation.indicator, observation.value, observation.unit) == (revenue, Decimal("0.986"), "亿元")


def test_a_target_in_yi_yuan_is_kept_on_the_indicator_counted_in_wan_yuan(cast):
    planned = Indicator.objects.create(code="planned-revenue", name="一般公共预算收入", unit="万元")
    document = read(cast, REVIEW)
    services.accept_draft(cast.supervisor, draft(document, "1.2亿元"))
    target = Target.objects.get()
    assert (target.indicator, target.value, target.unit, target.year) == (
        planned,
        Decimal("12000"),
        "万元",
        2024,
    )
    assert Indicator.objects.filter(name=planned.name).count() == 1


def test_a_unit_that_is_not_a_scale_of_the_indicators_still_makes_its_own_indicator(cast):
    counted = Indicator.objects.create(code="revenue-count", name="全县一般公共预算收入", unit="项")
    document = read(cast, REVIEW)
    services.accept_draft(cast.supervisor, draft(document, "9860万元"))
    observation = Observation.objects.get()
    assert observation.indicator != counted and observation.indicator.unit == "元"


def test_a_reporter_cannot_accept_a_figure(cast, revenue):
    document = read(cast, REVIEW)
    proposal = draft(document, "9860万元")
    with pytest.raises(PermissionDenied):
        services.accept_draft(cast.reporter_a, proposal)
    proposal.refresh_from_db()
    assert proposal.state == DraftState.PROPOSED
    assert Observation.objects.count() == 0 and Citation.objects.count() == 0


def test_someone_who_may_read_documents_in_but_not_keep_figures_cannot_accept_one(cast, revenue, monkeypatch):
    # The indicators' rights are the policy's to decide, separately from reading documents in.
    document = read(cast, REVIEW)
    proposal = draft(document, "9860万元")
    monkeypatch.setattr(policy, "can_edit_indicators", lambda user, region: False)
    with pytest.raises(PermissionDenied):
        services.accept_draft(cast.supervisor, proposal)
    proposal.refresh_from_db()
    assert proposal.state == DraftState.PROPOSED
    assert Observation.objects.count() == 0 and Citation.objects.count() == 0


def test_a_second_documents_disagreeing_figure_for_the_same_year_is_still_accepted(cast, revenue):
    report = read(cast, REVIEW, title="2023年政府工作报告")
    bulletin = read(cast, BULLETIN, title="2023年统计公报")
    services.accept_draft(cast.supervisor, draft(report, "9860万元"))
    services.accept_draft(cast.supervisor, draft(bulletin, "1.05亿元"))
    figures = Observation.objects.filter(indicator=revenue, year=2023, value_kind="level")
    assert sorted(o.value for o in figures) == [Decimal("0.986"), Decimal("1.05")]
    assert {o.citation.document for o in figures} == {report, bulletin}


def test_the_service_still_refuses_a_second_figure_typed_by_a_clerk(cast, revenue):
    from countyworks.indicators import services as indicator_services

    indicator_services.create_observation(
        cast.supervisor, indicator=revenue, region=cast.county, year=2023, value="1.05", unit="亿元"
    )
    with pytest.raises(ServiceError) as caught:
        indicator_services.create_observation(
            cast.supervisor, indicator=revenue, region=cast.county, year=2023, value="0.986", unit="亿元"
        )
    assert caught.value.field == "year"


def test_a_refused_figure_leaves_the_draft_open_and_writes_no_citation_or_indicator(cast):
    document = read(cast, REVIEW)
    proposal = draft(document, "9860万元")
    with pytest.raises(ServiceError) as caught:
        # A figure for a year that has not begun is the service's refusal, after the citation was made.
        services.accept_draft(cast.supervisor, proposal, {"year": "2099"})
    assert caught.value.field == "year"
    proposal.refresh_from_db()
    assert proposal.state == DraftState.PROPOSED and proposal.created_id is None
    assert (
        Observation.objects.count() == 0 and Citation.objects.count() == 0 and Indicator.objects.count() == 0
    )


def test_an_accepted_figure_its_citation_and_the_draft_state_are_written_together(cast, revenue):
    document = read(cast, REVIEW)
    proposal = draft(document, "9860万元")
    services.accept_draft(cast.supervisor, proposal)
    proposal.refresh_from_db()
    observation = Observation.objects.get()
    assert proposal.state == DraftState.ACCEPTED and proposal.created_record == observation
    assert Citation.objects.get() == observation.citation
    assert (observation.citation.start, observation.citation.end) == (proposal.start, proposal.end)
