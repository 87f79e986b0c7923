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
    from countyworks.honours.models import Honour
    from countyworks.indicators.models import Observation, Target
    from countyworks.plans.models import Plan, PlanNode, WorkItem
    from countyworks.regions.models import Region
    from countyworks.sources.models import Citation, Document
    from countyworks.supervision.models import Evidence, Instruction, Notice, ProgressReport

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


# The roles that belong to one unit and report for it: its reporters and (issue 13) its head.
_UNIT_ROLES = (Role.REPORTER, Role.UNIT_HEAD)


def is_internal_user(user: Any) -> bool:
    """Anyone who works on the ledger (not a citizen, not anonymous)."""
    return user.is_superuser or _is_staff_role(
        user, Role.ADMIN, Role.SUPERVISOR, Role.LEADER, Role.VIEWER, *_UNIT_ROLES
    )


def _reads_as_public(user: Any) -> bool:
    """Anonymous visitors and accounts that do not work on the ledger read what the portal shows."""
    return not getattr(user, "is_authenticated", False) or not user.is_active or not is_internal_user(user)


# Roles that read every item of every plan in their region (a reporter reads only its unit's items).
_REGION_WIDE_READERS = (Role.ADMIN, Role.SUPERVISOR, Role.LEADER, Role.VIEWER)


def _reads_region_wide(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_superuser or user.role in _REGION_WIDE_READERS)
    )


def _unit_of(user: Any) -> int | None:
    """The unit a unit reporter (or unit head) reports for (None for everyone else)."""
    if _is_staff_role(user, *_UNIT_ROLES) and not user.is_superuser:
        return user.organisation_id
    return None


# One function per resource: what `user` may read. Screens, the API (which narrows further by the
# token's region), the portal and the report builders call these and nothing else; the anonymous
# case is each function's public branch. A new resource gets its function here.


def public_items() -> QuerySet[WorkItem]:
    from countyworks.plans.models import WorkItem

    return WorkItem.objects.filter(published=True, internal=False, plan__published=True, plan__internal=False)


def visible_plans(user: Any) -> QuerySet[Plan]:
    """Public: published plans that are not internal. Staff: every plan of their region, since the plan
    itself (its title, year, goal tree) is shared by everyone who works on it, reporters included."""
    from countyworks.plans.models import Plan

    if _reads_as_public(user):
        return Plan.objects.filter(published=True, internal=False)
    return Plan.objects.filter(region_filter(user, "region"))


def visible_nodes(user: Any) -> QuerySet[PlanNode]:
    from countyworks.plans.models import PlanNode

    return PlanNode.objects.filter(plan__in=visible_plans(user))


def visible_items(user: Any) -> QuerySet[WorkItem]:
    """The work items `user` may read. Anonymous users get exactly what the portal shows."""
    from countyworks.plans.models import WorkItem

    if _reads_as_public(user):
        return public_items()
    qs = WorkItem.objects.filter(region_filter(user, "plan__region"))
    if _reads_region_wide(user):
        return qs
    unit = _unit_of(user)
    if unit:
        # A semi-join, not a join over co_units: the rows stay unique, so counts and pages are right.
        co_led = WorkItem.co_units.through.objects.filter(organisation_id=unit).values("workitem_id")
        return qs.filter(Q(lead_unit_id=unit) | Q(pk__in=co_led))
    return WorkItem.objects.none()


def visible_reports(user: Any) -> QuerySet[ProgressReport]:
    """Progress reports. Public: approved reports of public items. A unit reporter: the reports its own
    unit sent (in any state: its drafts, returns and approvals) and the approved reports of the items it
    takes part in; another unit's pending or returned report is that unit's correspondence with the office.
    A report still waiting for its unit head (单位审签, issue 13) is the unit's own: the office, leaders
    and viewers see it once the head has approved it."""
    from countyworks.supervision.models import ProgressReport, ReviewState

    if _reads_as_public(user):
        return ProgressReport.objects.filter(state=ReviewState.APPROVED, item__in=public_items())
    reports = ProgressReport.objects.filter(item__in=visible_items(user))
    unit = _unit_of(user)
    if unit is not None and not _reads_region_wide(user):
        return reports.filter(Q(unit_id=unit) | Q(state=ReviewState.APPROVED))
    return reports.exclude(state=ReviewState.WITH_HEAD)


def visible_evidence(user: Any) -> QuerySet[Evidence]:
    """Evidence files. Public: files marked public on a public (approved) report. Staff: the files of the
    reports they may read."""
    from countyworks.supervision.models import Evidence

    if _reads_as_public(user):
        return Evidence.objects.filter(public=True, report__in=visible_reports(user))
    return Evidence.objects.filter(report__in=visible_reports(user))


def _unit_correspondence(model: Any, user: Any) -> QuerySet:
    """Records between the office and one unit (a notice, an application, a blocker): never public;
    region-wide readers see their region's, a unit reporter only its own unit's."""
    if _reads_as_public(user):
        return model.objects.none()
    records = model.objects.filter(item__in=visible_items(user))
    unit = _unit_of(user)
    if unit is not None and not _reads_region_wide(user):
        return records.filter(unit_id=unit)
    return records


def visible_notices(user: Any) -> QuerySet[Notice]:
    """Supervision notices (督办单) are correspondence between the office and one unit: never public;
    region-wide readers see all of their region's, a unit reporter only those addressed to its unit."""
    from countyworks.supervision.models import Notice

    return _unit_correspondence(Notice, user)


def visible_instructions(user: Any) -> QuerySet[Instruction]:
    """Leaders' instructions (批示) are internal: staff read those on the items they may read."""
    from countyworks.supervision.models import Instruction

    if _reads_as_public(user):
        return Instruction.objects.none()
    return Instruction.objects.filter(item__in=visible_items(user))


def visible_observations(user: Any) -> QuerySet[Observation]:
    from countyworks.indicators.models import Observation

    if _reads_as_public(user):
        return Observation.objects.filter(published=True, internal=False)
    return Observation.objects.filter(region_filter(user, "region", "organisation__region"))


def visible_targets(user: Any) -> QuerySet[Target]:
    """Targets carry no publication flag: they are public where the region has published a plan for
    that year (targets are announced in the plan)."""
    from django.db.models import Exists, OuterRef

    from countyworks.indicators.models import Target

    if _reads_as_public(user):
        # A subquery, not one OR term per published plan: with a few hundred plans SQLite refuses
        # the expression as too deep, and PostgreSQL plans a needlessly long query.
        same_year = visible_plans(user).filter(year=OuterRef("year"))
        return Target.objects.filter(
            Exists(same_year.filter(region=OuterRef("region")))
            | Exists(same_year.filter(region=OuterRef("organisation__region")))
        )
    return Target.objects.filter(region_filter(user, "region", "organisation__region"))


def visible_honours(user: Any) -> QuerySet[Honour]:
    from countyworks.honours.models import Honour

    if _reads_as_public(user):
        return Honour.objects.filter(published=True, internal=False)
    return Honour.objects.filter(region_filter(user, "holder_region", "holder_organisation__region"))


def visible_documents(user: Any) -> QuerySet[Document]:
    """Source documents. Public: everything but uploads (working files). Staff: the documents of their
    region and below, and documents that belong to no region (a national policy, a provincial notice
    quoted by many counties) — on every screen and in the API alike."""
    from countyworks.sources.models import Document, DocumentKind

    if _reads_as_public(user):
        # Uploads are working files; a leader's instruction (issue 13) is internal.
        return Document.objects.exclude(kind__in=(DocumentKind.UPLOAD, DocumentKind.INSTRUCTION))
    if user.is_superuser:
        return Document.objects.all()
    return Document.objects.filter(Q(region__isnull=True) | region_filter(user, "region"))


def visible_citations(user: Any) -> QuerySet[Citation]:
    from countyworks.sources.models import Citation

    return Citation.objects.filter(document__in=visible_documents(user))


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
    """Unit reporters (and unit heads) report on the items their unit leads or co-leads."""
    return (
        _is_staff_role(user, *_UNIT_ROLES)
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


def can_set_evidence_public(user: Any, report: ProgressReport) -> bool:
    """Whether a report's files may be shown publicly: the unit that sent the report decides per file,
    and the office (who manages the plan) may change that decision."""
    if report.unit_id is not None and report.unit_id == _unit_of(user) and can_report(user, report.item):
        return True
    return can_manage_plan(user, report.item.plan.region)


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
        _is_staff_role(user, *_UNIT_ROLES)
        and user.organisation_id == notice.unit_id
        and in_scope(user, notice.item.plan.region)
    )


def can_close_notice(user: Any, notice: Notice) -> bool:
    """The office closes a notice; a notice carrying a leader's instruction (issue 13) may also be
    closed by the instruction's author."""
    if can_manage_plan(user, notice.item.plan.region):
        return True
    instruction = notice.instruction if notice.instruction_id else None
    return (
        instruction is not None
        and instruction.author_id == getattr(user, "pk", None)
        and can_instruct(user, notice.item)
    )


def can_edit_indicators(user: Any, region: Region | None) -> bool:
    """Enter and correct indicator figures and targets of `region` (and the regions under it).

    The supervision office and administrators of the region keep the figures; leaders, unit
    reporters, viewers and citizens read them.
    """
    return (user.is_superuser or _is_staff_role(user, Role.SUPERVISOR, Role.ADMIN)) and in_scope(user, region)


def can_record_honours(user: Any, region: Region | None) -> bool:
    """Honours are recorded by the supervision office (and administrators) of the holder's region."""
    return (user.is_superuser or _is_staff_role(user, Role.SUPERVISOR, Role.ADMIN)) and in_scope(user, region)


def can_read_review(user: Any, region: Region, plan: Plan | None) -> bool:
    """The year-end review: staff of the region read the review of a published plan; the plan's
    managers read drafts too. What the review then holds is what `visible_*` gives the reader."""
    return (
        plan is not None
        and in_scope(user, region)
        and is_internal_user(user)
        and (plan.published or can_manage_plan(user, region))
    )


def can_read_internal_reports(user: Any, region: Region) -> bool:
    """Bulletins and ledger workbooks are internal: staff of the region only."""
    return is_internal_user(user) and in_scope(user, region)


def can_administer(user: Any) -> bool:
    """Users, units, regions and settings."""
    return user.is_superuser or _is_staff_role(user, Role.ADMIN)


# issue 12: the page each account lands on after login (and at "/").
LANDING_MY_WORK = "my_work"
LANDING_LEADER = "leader"
LANDING_DASHBOARD = "dashboard"


def reporting_unit(user: Any) -> int | None:
    """The unit whose work a unit reporter does (None for every other account)."""
    return _unit_of(user)


def landing(user: Any) -> str:
    """A unit reporter lands on 我的事项, a county leader on the leader's view, everyone else working on
    the ledger on the dashboard."""
    if _unit_of(user) is not None:
        return LANDING_MY_WORK
    if _is_staff_role(user, Role.LEADER) and not user.is_superuser:
        return LANDING_LEADER
    return LANDING_DASHBOARD


# --- issue 13: the supervision procedure ---


def visible_extension_requests(user: Any) -> QuerySet:
    """延期申请 are internal, like notices: region-wide readers see their region's, a unit reporter
    only its own unit's applications."""
    from countyworks.supervision.models import ExtensionRequest

    return _unit_correspondence(ExtensionRequest, user)


def can_apply_extension(user: Any, item: WorkItem) -> bool:
    """A unit that leads or co-leads the item applies for a later deadline (延期申请)."""
    return can_report(user, item)


def _decides_application(user: Any, application: Any) -> bool:
    """The supervision office of the item's region decides a unit's application; nobody their own."""
    if application.applied_by_id == getattr(user, "pk", None):
        return False
    return can_manage_plan(user, application.item.plan.region)


def can_decide_extension(user: Any, request: Any) -> bool:
    """延期申请: decided by the office (`_decides_application`)."""
    return _decides_application(user, request)


def visible_closure_requests(user: Any) -> QuerySet:
    """办结 / 销号 applications are internal like extensions: region-wide readers see their region's,
    a unit reporter only its own unit's."""
    from countyworks.supervision.models import ClosureRequest

    return _unit_correspondence(ClosureRequest, user)


def can_apply_closure(user: Any, item: WorkItem) -> bool:
    """Only the lead unit applies to close an item (办结 / 申请销号): it answers for the whole item."""
    return can_report(user, item) and item.lead_unit_id == getattr(user, "organisation_id", None)


def can_decide_closure(user: Any, request: Any) -> bool:
    """办结 / 销号: closed or returned by the office (`_decides_application`)."""
    return _decides_application(user, request)


def can_reopen_item(user: Any, item: WorkItem) -> bool:
    """The office that closed an item may reopen it."""
    return can_manage_plan(user, item.plan.region)


def can_reopen_period(user: Any, item: WorkItem) -> bool:
    """A reviewed (locked) report period is reopened for a correction by the office of the item's
    plan (issue 19), the same people who review its reports."""
    return can_manage_plan(user, item.plan.region)


def visible_period_reopenings(user: Any) -> QuerySet:
    """A reopened period (issue 19) is between the office and one unit, like a notice: region-wide
    readers see their region's, a unit only its own."""
    from countyworks.supervision.models import PeriodReopening

    return _unit_correspondence(PeriodReopening, user)


def can_set_reporting_cycles(user: Any, plan: Plan) -> bool:
    """A plan's 报送频次 and windows are the office's to set, like the plan itself."""
    return can_manage_plan(user, plan.region)


def visible_blockers(user: Any) -> QuerySet:
    """问题协调 is internal: region-wide readers (the office, leaders) see their region's, a unit
    reporter only the blockers its own unit raised."""
    from countyworks.supervision.models import Blocker

    return _unit_correspondence(Blocker, user)


def can_raise_blocker(user: Any, item: WorkItem) -> bool:
    """A unit that leads or co-leads the item raises what blocks it."""
    return can_report(user, item)


def can_answer_blocker(user: Any, blocker: Any) -> bool:
    """The office of the item's region answers any blocker; a blocker addressed to the lead county
    leader is answered by that leader too (an account linked to the item's lead leader)."""
    from countyworks.supervision.models import BlockerTo

    item = blocker.item
    if can_manage_plan(user, item.plan.region):
        return True
    return (
        blocker.addressed_to == BlockerTo.LEADER
        and _is_staff_role(user, Role.LEADER)
        and in_scope(user, item.plan.region)
        and item.lead_leader_id is not None
        and getattr(user, "person_id", None) == item.lead_leader_id
    )


def procedure_supervisors(region: Region) -> list[Any]:
    """The active supervisors whose scope holds `region`: who is told of a new application."""
    from countyworks.accounts.models import User

    # A county has a handful of supervisors: in_scope decides, the same rule as everywhere else.
    candidates = User.objects.filter(role=Role.SUPERVISOR, is_active=True, region__isnull=False)
    return [user for user in candidates.select_related("region") if in_scope(user, region)]


def visible_signoffs(user: Any) -> QuerySet:
    """签收 records: staff read those on the items they may read (who signed is internal)."""
    from countyworks.supervision.models import SignOff

    if _reads_as_public(user):
        return SignOff.objects.none()
    return SignOff.objects.filter(item__in=visible_items(user))


def can_sign(user: Any, signoff: Any) -> bool:
    """A reporter (or the head) of the assigned unit signs for the assignment (签收)."""
    return (
        _is_staff_role(user, *_UNIT_ROLES)
        and user.organisation_id == signoff.unit_id
        and in_scope(user, signoff.item.plan.region)
    )


def report_goes_to_head(user: Any, unit: Any) -> bool:
    """单位审签: a report of a unit whose rule says so waits for the unit head, unless the head sent it
    (the head's own report is approved by sending it)."""
    return bool(
        unit is not None
        and getattr(unit, "reports_need_head_approval", False)
        and not _is_staff_role(user, Role.UNIT_HEAD)
    )


def can_head_review(user: Any, report: ProgressReport) -> bool:
    """The head of the unit that sent a report approves it for the office or returns it (单位审签);
    nobody decides on a report they sent themselves."""
    if report.submitted_by_id is not None and report.submitted_by_id == getattr(user, "pk", None):
        return False
    return (
        _is_staff_role(user, Role.UNIT_HEAD)
        and report.unit_id is not None
        and user.organisation_id == report.unit_id
        and in_scope(user, report.item.plan.region)
    )


def can_address_instruction(user: Any, item: WorkItem) -> bool:
    """A leader who may write an instruction on the item may address it to units with a deadline."""
    return can_instruct(user, item)


def can_make_item_from_instruction(user: Any, instruction: Instruction, plan: Plan) -> bool:
    """The office of the plan's region turns an instruction it may read into a new item of the plan."""
    return (
        can_manage_plan(user, plan.region) and visible_instructions(user).filter(pk=instruction.pk).exists()
    )


# --- issue 17: notification channels ---


def channel_owner(user: Any) -> dict[str, int] | None:
    """Whose channels an account sets up on the 消息渠道 screen: a unit's reporter its unit's, a county
    leader his or her own; None for everyone else (the administrator uses the Django admin, which
    lists every channel and the whole delivery log)."""
    unit = _unit_of(user)
    if unit is not None:
        return {"unit_id": unit}
    if _is_staff_role(user, Role.LEADER):
        return {"leader_id": user.pk}
    return None
