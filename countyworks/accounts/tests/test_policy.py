from django.contrib.auth.models import AnonymousUser

from countyworks.accounts import policy


def test_it_shows_anonymous_users_only_published_items(cast):
    assert set(policy.visible_items(AnonymousUser())) == {cast.item_a}


def test_it_limits_reporters_to_their_units_items(cast):
    assert set(policy.visible_items(cast.reporter_a)) == {cast.item_a}
    cast.item_b.co_units.add(cast.unit_a)
    assert set(policy.visible_items(cast.reporter_a)) == {cast.item_a, cast.item_b}


def test_it_limits_staff_to_their_region(cast):
    assert set(policy.visible_items(cast.supervisor)) == {cast.item_a, cast.item_b}
    assert set(policy.visible_items(cast.leader)) == {cast.item_a, cast.item_b}
    assert list(policy.visible_items(cast.outsider_supervisor)) == []


def test_it_lets_only_the_units_reporter_report(cast):
    assert policy.can_report(cast.reporter_a, cast.item_a)
    assert not policy.can_report(cast.reporter_b, cast.item_a)
    assert not policy.can_report(cast.supervisor, cast.item_a)
    assert not policy.can_report(AnonymousUser(), cast.item_a)


def test_it_lets_only_supervisors_of_the_region_edit(cast):
    assert policy.can_edit_item(cast.supervisor, cast.item_a)
    assert not policy.can_edit_item(cast.leader, cast.item_a)
    assert not policy.can_edit_item(cast.reporter_a, cast.item_a)
    assert not policy.can_edit_item(cast.outsider_supervisor, cast.item_a)
    assert not policy.can_edit_item(AnonymousUser(), cast.item_a)


def test_it_lets_only_leaders_instruct(cast):
    assert policy.can_instruct(cast.leader, cast.item_a)
    assert not policy.can_instruct(cast.supervisor, cast.item_a)
    assert not policy.can_instruct(cast.reporter_a, cast.item_a)


def test_region_prefix_follows_the_level(cast):
    assert policy.region_prefix(cast.county) == "140427"
    assert policy.region_prefix(cast.county.parent) == "1404"
    assert policy.region_prefix(cast.county.parent.parent) == "14"


def test_a_city_account_reaches_its_counties(cast):
    city_supervisor = type(cast.supervisor).objects.create_user(
        username="city", password="x-x-x-x-x-1", role="supervisor", region=cast.county.parent
    )
    assert policy.can_edit_item(city_supervisor, cast.item_a)
    assert not policy.in_scope(city_supervisor, cast.county.parent.parent)


def test_it_keeps_items_of_an_internal_plan_from_anonymous_users(cast):
    cast.plan.internal = True
    cast.plan.save()
    assert list(policy.visible_items(AnonymousUser())) == []


def test_manageable_plans_agree_with_can_manage_plan(cast):
    from countyworks.plans.models import Plan

    other_plan = Plan.objects.create(region=cast.other_county, year=2023, title="外县计划")
    for user in (cast.supervisor, cast.outsider_supervisor, cast.leader, cast.reporter_a, AnonymousUser()):
        expected = {p for p in Plan.objects.all() if policy.can_manage_plan(user, p.region)}
        assert set(policy.manageable_plans(user)) == expected
    assert set(policy.manageable_plans(cast.outsider_supervisor)) == {other_plan}


def test_whole_plan_readers_are_exactly_those_who_see_every_item_of_it(cast):
    """reads_whole_plan(user, plan) is a shortcut for visible_items(user) ∩ plan == plan's items."""
    from countyworks.plans.models import WorkItem

    every_item = set(WorkItem.objects.filter(plan=cast.plan))
    for user in (
        cast.admin,
        cast.supervisor,
        cast.leader,
        cast.viewer,
        cast.reporter_a,
        cast.outsider_supervisor,
    ):
        sees_all = set(policy.visible_items(user).filter(plan=cast.plan)) == every_item
        assert policy.reads_whole_plan(user, cast.plan) is sees_all, user.username
    assert policy.reads_whole_plan(AnonymousUser(), cast.plan) is False
    cast.supervisor.is_active = False
    assert policy.reads_whole_plan(cast.supervisor, cast.plan) is False
