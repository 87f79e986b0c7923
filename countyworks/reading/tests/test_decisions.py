from decimal import Decimal

import pytest

from countyworks.core.services import PermissionDenied, ServiceError
from countyworks.honours.models import Honour
from countyworks.indicators.models import Indicator, Observation
from countyworks.plans.models import ItemKind, PlanNode, WorkItem
from countyworks.reading import services
from countyworks.reading.models import DraftState, ProposalKind
from countyworks.reading.tests.helpers import draft, read
from countyworks.reading.tests.texts import PLAN_2023, REVIEW_2023
from countyworks.sources.models import Citation


def test_it_creates_an_observation_cited_to_the_span_on_accept(cast):
    document = read(cast, REVIEW_2023)
    proposal = draft(document, "约120.5亿元")
    services.accept_draft(cast.supervisor, proposal)
    observation = Observation.objects.get()
    assert observation.indicator.name == "全县地区生产总值"
    assert (observation.value, observation.unit, observation.qualifier) == (
        Decimal("12050000000"),
        "元",
        "approx",
    )
    assert (observation.region, observation.year, observation.value_kind) == (cast.county, 2023, "level")
    citation = observation.citation
    assert citation.document == document
    assert (citation.start, citation.end) == (proposal.start, proposal.end)
    assert citation.quote == document.text[proposal.start : proposal.end] == "约120.5亿元"
    assert citation.section == "2023年主要工作"
    proposal.refresh_from_db()
    assert proposal.state == DraftState.ACCEPTED
    assert proposal.decided_by == cast.supervisor and proposal.decided_at is not None
    assert proposal.created_record == observation


def test_it_keeps_a_stated_growth_on_the_indicator_of_its_level(cast):
    document = read(cast, REVIEW_2023)
    services.accept_draft(cast.supervisor, draft(document, "5.3%"))
    services.accept_draft(cast.supervisor, draft(document, "约120.5亿元"))
    assert Indicator.objects.count() == 1
    indicator = Indicator.objects.get()
    assert indicator.unit == "元"
    growth = Observation.objects.get(value_kind="growth")
    assert (growth.value, growth.unit, growth.base_year) == (Decimal("5.3"), "%", 2022)


def test_it_creates_nothing_on_reject(cast):
    document = read(cast, REVIEW_2023)
    proposal = draft(document, "超2000人")
    services.reject_draft(cast.supervisor, proposal)
    proposal.refresh_from_db()
    assert proposal.state == DraftState.REJECTED and proposal.created_id is None
    assert (
        Observation.objects.count() == 0 and Citation.objects.count() == 0 and Indicator.objects.count() == 0
    )


def test_it_records_the_edited_value(cast):
    document = read(cast, REVIEW_2023)
    proposal = draft(document, "超2000人")
    services.accept_draft(cast.supervisor, proposal, {"value": "2100", "indicator": "城镇新增就业"})
    observation = Observation.objects.get()
    assert observation.value == Decimal("2100") and observation.indicator.name == "城镇新增就业"
    assert observation.qualifier == "over"
    proposal.refresh_from_db()
    assert proposal.state == DraftState.EDITED and proposal.fields["value"] == "2100"


def test_it_accepts_all_or_nothing(cast, monkeypatch):
    document = read(cast, REVIEW_2023)
    proposal = draft(document, "约120.5亿元")

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "_mark_decided", fail)
    with pytest.raises(RuntimeError):
        services.accept_draft(cast.supervisor, proposal)
    assert Observation.objects.count() == 0
    assert Indicator.objects.count() == 0
    assert Citation.objects.count() == 0
    proposal.refresh_from_db()
    assert proposal.state == DraftState.PROPOSED


def test_it_names_the_field_of_a_bad_edit_and_writes_nothing(cast):
    document = read(cast, REVIEW_2023)
    proposal = draft(document, "超2000人")
    with pytest.raises(ServiceError) as caught:
        services.accept_draft(cast.supervisor, proposal, {"value": "两千"})
    assert caught.value.field == "value"
    assert Observation.objects.count() == 0 and Citation.objects.count() == 0


def test_it_refuses_to_decide_twice_or_to_record_a_threshold(cast):
    document = read(cast, REVIEW_2023)
    proposal = draft(document, "超2000人")
    services.accept_draft(cast.supervisor, proposal)
    with pytest.raises(ServiceError):
        services.accept_draft(cast.supervisor, proposal)
    with pytest.raises(ServiceError):
        services.accept_draft(cast.supervisor, draft(document, "亿元以上", ProposalKind.NOT_A_FIGURE))
    assert Observation.objects.count() == 1


@pytest.mark.parametrize("actor", ["leader", "reporter_a", "viewer", "outsider_supervisor"])
def test_it_lets_only_supervisors_of_the_region_decide(cast, actor):
    document = read(cast, REVIEW_2023)
    proposal = draft(document, "超2000人")
    with pytest.raises(PermissionDenied):
        services.accept_draft(getattr(cast, actor), proposal)
    with pytest.raises(PermissionDenied):
        services.reject_draft(getattr(cast, actor), proposal)
    with pytest.raises(PermissionDenied):
        services.read_document(
            getattr(cast, actor), text="全年新增就业300人。", region=cast.county, year=2023
        )
    proposal.refresh_from_db()
    assert proposal.state == DraftState.PROPOSED and Observation.objects.count() == 0


def test_it_records_an_honour_with_its_level(cast):
    document = read(cast, REVIEW_2023)
    services.accept_draft(cast.supervisor, draft(document, "全国县域商业体系建设示范县", ProposalKind.HONOUR))
    honour = Honour.objects.get()
    assert (honour.title, honour.level, honour.holder_region, honour.year) == (
        "全国县域商业体系建设示范县",
        "national",
        cast.county,
        2023,
    )
    assert honour.citation.quote == "全国县域商业体系建设示范县"


def test_it_adds_a_key_project_to_the_region_year_plan(cast):
    document = read(cast, REVIEW_2023)
    services.accept_draft(cast.supervisor, draft(document, "3.2亿元", ProposalKind.KEY_PROJECT))
    item = WorkItem.objects.get(title="新建冷链物流园项目")
    assert (item.plan, item.kind, item.total_investment) == (
        cast.plan,
        ItemKind.KEY_PROJECT,
        Decimal("320000000"),
    )
    assert item.citation.quote == "3.2亿元"
    assert Observation.objects.count() == 0  # the investment figure is a separate proposal


def test_it_builds_the_goal_tree_of_a_plan_under_accepted_parents(cast):
    document = read(cast, PLAN_2023, kind="plan")
    services.accept_draft(cast.supervisor, draft(document, "一、产业振兴", ProposalKind.PLAN_NODE))
    services.accept_draft(cast.supervisor, draft(document, "（一）特色农业", ProposalKind.PLAN_NODE))
    services.accept_draft(
        cast.supervisor, draft(document, "加快建设中药材种植基地。", ProposalKind.PLAN_TASK)
    )
    area = PlanNode.objects.get(title="产业振兴")
    group = PlanNode.objects.get(title="特色农业")
    assert (area.plan, area.parent, area.number) == (cast.plan, None, "一")
    assert group.parent == area
    task = WorkItem.objects.get(title="加快建设中药材种植基地。")
    assert task.node == group and task.citation.section == "特色农业"


def test_it_rolls_back_the_citation_when_the_year_has_no_plan(cast):
    document = read(cast, REVIEW_2023, year=2022)
    proposal = draft(document, "3.2亿元", ProposalKind.KEY_PROJECT)
    items_before = WorkItem.objects.count()
    with pytest.raises(ServiceError) as caught:
        services.accept_draft(cast.supervisor, proposal)
    assert caught.value.field == "plan" and "2022" in caught.value.message
    assert Citation.objects.count() == 0 and WorkItem.objects.count() == items_before
    proposal.refresh_from_db()
    assert proposal.state == DraftState.PROPOSED
