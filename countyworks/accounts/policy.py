"""The one place that decides who may see and do what.

Views, the API, importers and the CLI all ask these functions; nothing else checks roles.
Region scope uses GB/T 2260 code prefixes: an account of 长治市 (140400) reaches every
county whose code starts with 1404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from countyworks.accounts.models import Role

if TYPE_CHECKING:
    from countyworks.plans.models import Plan, WorkItem
    from countyworks.regions.models import Region
    from countyworks.supervision.models import Notice, ProgressReport

_PREFIX_LENGTH = {"province": 2, "city": 4, "county": 6, "town": 9, "village": 12}


def region_prefix(region: Region) -> str:
    """The code prefix shared by a region and everything under it."""
    return region.code[: _PREFIX_LENGTH.get(region.level, len(region.code))]


def _is_staff_role(user: Any, *roles: str) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role in roles)


def in_scope(user: Any, region: Region | None) -> bool:
    """True when `region` lies inside the user's region (superusers reach everything)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if region is None or user.region_id is None:
        return False
    return region.code.startswith(region_prefix(user.region))


def region_filter(user: Any, *fields: str) -> Q:
    """Rows whose region (any of `fields`, each a path to a Region) lies in the user's region."""
    if user.is_superuser:
        return Q()
    if user.region_id is None:
        return Q(pk__in=[])
    prefix = region_prefix(user.region)
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__code__startswith": prefix})
    return condition


def is_internal_user(user: Any) -> bool:
    """Anyone who works on the ledger (not a citizen, not anonymous)."""
    return user.is_superuser or _is_staff_role(
        user, Role.ADMIN, Role.SUPERVISOR, Role.LEADER, Role.REPORTER, Role.VIEWER
    )


def public_items() -> QuerySet[WorkItem]:
    from countyworks.plans.models import WorkItem

    return WorkItem.objects.filter(published=True, internal=False, plan__published=True, plan__internal=False)


# Roles that read every item of every plan in their region (a reporter reads only its unit's items).
_REGION_WIDE_READERS = (Role.ADMIN, Role.SUPERVISOR, Role.LEADER, Role.VIEWER)


def _reads_region_wide(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_superuser or user.role in _REGION_WIDE_READERS)
    )


def visible_items(user: Any) -> QuerySet[WorkItem]:
    """The work items `user` may read. Anonymous users get exactly what the portal shows."""
    from countyworks.plans.models import WorkItem

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return public_items()
    qs = WorkItem.objects.filter(region_filter(user, "plan__region"))
    if _reads_region_wide(user):
        return qs
    if user.role == Role.REPORTER and user.organisation_id:
        unit = user.organisation_id
        return qs.filter(Q(lead_unit_id=unit) | Q(co_units__id=unit)).distinct()
    return WorkItem.objects.none()


def reads_whole_plan(user: Any, plan: Plan) -> bool:
    """True when every item of `plan` is visible to `user` (visible_items ∩ plan = the plan's items).

    Lets a page aggregate over `plan.items` directly instead of semi-joining the user's visible set:
    at province scale that set is 36,000 items and each dashboard aggregate paid for it.
    """
    return _reads_region_wide(user) and in_scope(user, plan.region)


def can_view_item(user: Any, item: WorkItem) -> bool:
    return visible_items(user).filter(pk=item.pk).exists()


def can_manage_plan(user: Any, region: Region | None) -> bool:
    """Create and edit plans, goal trees and items; assign units; publish."""
    return (user.is_superuser or _is_staff_role(user, Role.SUPERVISOR)) and in_scope(user, region)


def manageable_plans(user: Any) -> QuerySet[Plan]:
    """The plans `user` may manage (as can_manage_plan decides, in one query)."""
    from countyworks.plans.models import Plan

    if not getattr(user, "is_authenticated", False) or not (
        user.is_superuser or _is_staff_role(user, Role.SUPERVISOR)
    ):
        return Plan.objects.none()
    return Plan.objects.filter(region_filter(user, "region"))


def can_edit_item(user: Any, item: WorkItem) -> bool:
    return can_manage_plan(user, item.plan.region)


def unit_takes_part(unit_id: int | None, item: WorkItem) -> bool:
    if unit_id is None:
        return False
    return item.lead_unit_id == unit_id or item.co_units.filter(pk=unit_id).exists()


def can_report(user: Any, item: WorkItem) -> bool:
    """Unit reporters report on the items their unit leads or co-leads."""
    return (
        _is_staff_role(user, Role.REPORTER)
        and in_scope(user, item.plan.region)
        and unit_takes_part(user.organisation_id, item)
    )


def can_resubmit(user: Any, report: ProgressReport) -> bool:
    """The unit that sent a returned report corrects it; a co-operating unit sends its own report."""
    return (
        report.unit_id is not None
        and report.unit_id == getattr(user, "organisation_id", None)
        and can_report(user, report.item)
    )


def can_review(user: Any, report: ProgressReport) -> bool:
    """Supervisors review; nobody reviews a report they submitted themselves."""
    if report.submitted_by_id is not None and report.submitted_by_id == user.pk:
        return False
    return can_manage_plan(user, report.item.plan.region)


def can_instruct(user: Any, item: WorkItem) -> bool:
    """County leaders write instructions (批示) on items."""
    return _is_staff_role(user, Role.LEADER) and in_scope(user, item.plan.region)


def can_issue_notice(user: Any, item: WorkItem) -> bool:
    return can_manage_plan(user, item.plan.region)


def can_answer_notice(user: Any, notice: Notice) -> bool:
    return (
        _is_staff_role(user, Role.REPORTER)
        and user.organisation_id == notice.unit_id
        and in_scope(user, notice.item.plan.region)
    )


def can_close_notice(user: Any, notice: Notice) -> bool:
    return can_manage_plan(user, notice.item.plan.region)


def can_edit_indicators(user: Any, region: Region | None) -> bool:
    """Enter and correct indicator figures and targets of `region` (and the regions under it).

    The supervision office and administrators of the region keep the figures; leaders, unit
    reporters, viewers and citizens read them.
    """
    return (user.is_superuser or _is_staff_role(user, Role.SUPERVISOR, Role.ADMIN)) and in_scope(user, region)


def can_administer(user: Any) -> bool:
    """Users, units, regions and settings."""
    return user.is_superuser or _is_staff_role(user, Role.ADMIN)


def visible_reports(user: Any) -> QuerySet[ProgressReport]:
    from countyworks.supervision.models import ProgressReport, ReviewState

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ProgressReport.objects.filter(state=ReviewState.APPROVED, item__in=public_items())
    return ProgressReport.objects.filter(item__in=visible_items(user))
