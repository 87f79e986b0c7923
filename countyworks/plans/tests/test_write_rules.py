"""The write rules of items and goal-tree nodes live in plans.services, for every caller alike."""

from __future__ import annotations

from decimal import Decimal

import pytest

from countyworks.core.services import PermissionDenied, ServiceError
from countyworks.plans import services
from countyworks.plans.models import ItemStatus, Plan, PlanNode
from countyworks.regions.models import Organisation, Person
from countyworks.sources.models import Citation, Document


def test_it_starts_an_item_that_has_progress_whatever_the_row_said(cast):
    item = services.create_item(
        cast.supervisor,
        cast.plan,
        title="有进度的事项",
        progress=Decimal("50"),
        status=ItemStatus.NOT_STARTED,
    )
    assert item.status == ItemStatus.IN_PROGRESS
    services.update_item(cast.supervisor, item, expected_version=item.version, status=ItemStatus.NOT_STARTED)
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_PROGRESS  # 50 % is not 未开始


@pytest.mark.parametrize("field", ["lead_unit", "lead_leader", "co_units"])
def test_it_refuses_a_unit_or_leader_of_another_county(cast, field):
    unit = Organisation.objects.create(name="外县单位", region=cast.other_county)
    leader = Person.objects.create(name="外县领导", region=cast.other_county)
    values = {"lead_unit": unit, "lead_leader": leader, "co_units": [unit]}
    with pytest.raises(ServiceError) as refused:
        if field == "co_units":
            services.create_item(cast.supervisor, cast.plan, title="事项", co_units=values["co_units"])
        else:
            services.create_item(cast.supervisor, cast.plan, title="事项", **{field: values[field]})
    assert refused.value.field == field


def test_it_accepts_a_unit_of_a_town_under_the_county(cast):
    from countyworks.regions.models import Region

    town = Region.objects.create(code="140427100", name="龙泉镇", level="town", parent=cast.county)
    unit = Organisation.objects.create(name="龙泉镇人民政府", region=town)
    item = services.create_item(cast.supervisor, cast.plan, title="镇级牵头事项", lead_unit=unit)
    assert item.lead_unit == unit


def test_it_refuses_a_node_of_another_plan(cast):
    other = Plan.objects.create(region=cast.county, year=2024, title="2024年台账")
    node = PlanNode.objects.create(plan=other, title="别的计划的节点")
    with pytest.raises(ServiceError) as refused:
        services.update_item(cast.supervisor, cast.item_a, expected_version=cast.item_a.version, node=node)
    assert refused.value.field == "node"
    with pytest.raises(ServiceError) as refused:
        services.create_node(cast.supervisor, cast.plan, title="子节点", parent=node)
    assert refused.value.field == "parent"


def test_it_creates_goal_tree_nodes_for_the_office_only(cast):
    node = services.create_node(cast.supervisor, cast.plan, title=" 方向一 ", number="一、")
    assert (node.title, node.number, node.plan) == ("方向一", "一、", cast.plan)
    with pytest.raises(ServiceError):
        services.create_node(cast.supervisor, cast.plan, title="  ")
    for actor in (cast.leader, cast.reporter_a, cast.outsider_supervisor):
        with pytest.raises(PermissionDenied):
            services.create_node(actor, cast.plan, title="方向二")


def test_it_keeps_the_citation_of_an_item_read_from_a_document_and_refuses_another_countys(cast):
    ours = Document.objects.create(title="本县报告", slug="ours", region=cast.county, text="一二三")
    theirs = Document.objects.create(title="外县报告", slug="theirs", region=cast.other_county, text="一二三")
    cited = services.create_item(
        cast.supervisor,
        cast.plan,
        title="有出处的事项",
        citation=Citation.objects.create(document=ours, start=0, end=2),
    )
    assert cited.citation.document == ours and cited.history.count() == 1
    with pytest.raises(ServiceError) as refused:
        services.create_item(
            cast.supervisor,
            cast.plan,
            title="外县出处",
            citation=Citation.objects.create(document=theirs, start=0, end=2),
        )
    assert refused.value.field == "citation"
