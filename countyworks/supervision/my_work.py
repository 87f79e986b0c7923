"""What an account must do now: the sections of 我的事项 (a unit reporter) and of the leader's view.

Each section is a small function `(user, today) -> list[Todo]` registered in `SECTIONS` (or
`LEADER_SECTIONS`) with its title, so another piece of work (签收/延期, reporting cycles) adds a
section by registering one more function, without touching the page. Every read goes through
`accounts.policy.visible_*`; lights and overdue flags come from `supervision.status.annotate`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from countyworks.accounts import policy
from countyworks.plans.models import Light
from countyworks.supervision import cycles, procedure_todo, rules, status
from countyworks.supervision.forms import period_label
from countyworks.supervision.ledger_views import percent_text
from countyworks.supervision.models import NoticeState, ReviewState

# How long a leader's instruction stays on the unit's list (an instruction has no "read" mark).
INSTRUCTION_DAYS = 30


@dataclass(frozen=True)
class Todo:
    """One thing to do, with the one link that does it."""

    title: str
    url: str
    action: str
    detail: str = ""
    light: str = ""
    overdue: bool = False

    @property
    def light_label(self) -> str:
        return str(Light(self.light).label) if self.light in Light.values else ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    build: Callable[[Any, date], list[Todo]]


@dataclass
class FilledSection:
    key: str
    title: str
    todos: list[Todo] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.todos)


SECTIONS: list[Section] = []
LEADER_SECTIONS: list[Section] = []


def section(key: str, title: str | Promise, registry: list[Section] | None = None) -> Callable:
    """Register a section builder under `key` (in the reporter's list unless another is given)."""

    def register(build: Callable[[Any, date], list[Todo]]) -> Callable[[Any, date], list[Todo]]:
        target = SECTIONS if registry is None else registry
        target.append(Section(key=key, title=title, build=build))
        return build

    return register


def fill(sections: list[Section], user: Any, today: date) -> list[FilledSection]:
    return [FilledSection(key=s.key, title=str(s.title), todos=s.build(user, today)) for s in sections]


def _unit_items(user: Any):
    """The items the reporter's unit leads or co-leads (the policy's set for a unit reporter)."""
    if policy.reporting_unit(user) is None:
        return policy.visible_items(user).none()
    return policy.visible_items(user)


@section("due", gettext_lazy("Reports due now"))
def reports_due(user: Any, today: date) -> list[Todo]:
    """The reports the unit owes today by each item's reporting cycle (`cycles.due_reports`), with
    the item's light; overdue items first."""
    due = cycles.due_reports(user, today)
    if not due:
        return []
    lights = {
        item.pk: item
        for item in status.annotate(policy.visible_items(user).filter(pk__in={d.item.pk for d in due}), today)
    }
    due.sort(key=lambda d: (not lights[d.item.pk].is_overdue, d.closes or today, d.item.due_date or date.max))
    return [
        Todo(
            title=d.item.title,
            url=reverse("supervision:report_new", args=[d.item.pk]) + f"?period={d.period}",
            action=_("Report"),
            detail=_("%(period)s, by %(closes)s · progress %(progress)s%%")
            % {
                "period": period_label(d.period),
                "closes": d.closes.isoformat() if d.closes else "—",
                "progress": percent_text(d.item.progress),
            },
            light=lights[d.item.pk].light,
            overdue=lights[d.item.pk].is_overdue,
        )
        for d in due
    ]


@section("returned", gettext_lazy("Returned reports to correct"))
def returned_reports(user: Any, today: date) -> list[Todo]:
    unit = policy.reporting_unit(user)
    if unit is None:
        return []
    reports = (
        policy.visible_reports(user)
        .filter(unit_id=unit, state=ReviewState.RETURNED)
        .select_related("item")
        .order_by("-reviewed_at", "-pk")
    )
    return [
        Todo(
            title=report.item.title,
            url=reverse("supervision:report_resubmit", args=[report.pk]),
            action=_("Correct"),
            detail=f"{report.period} · {report.review_comment}",
        )
        for report in reports
    ]


@section("notices", gettext_lazy("Notices to sign for or answer"))
def open_notices(user: Any, today: date) -> list[Todo]:
    unit = policy.reporting_unit(user)
    if unit is None:
        return []
    notices = (
        policy.visible_notices(user)
        .filter(unit_id=unit, state__in=(NoticeState.ISSUED, NoticeState.ACKNOWLEDGED))
        .select_related("item")
        .order_by("deadline", "pk")
    )
    return [
        Todo(
            title=notice.item.title,
            url=reverse("supervision:notice", args=[notice.pk]),
            action=_("Sign for") if notice.state == NoticeState.ISSUED else _("Answer"),
            detail=(_("Leader's instruction") + " · " if notice.instruction_id else "")
            + _("Answer by %(date)s") % {"date": notice.deadline.isoformat()},
            overdue=notice.deadline < today,
        )
        for notice in notices
    ]


@section("instructions", gettext_lazy("Leaders' instructions"))
def recent_instructions(user: Any, today: date) -> list[Todo]:
    """Instructions (批示) of the last INSTRUCTION_DAYS days on the unit's items."""
    if policy.reporting_unit(user) is None:
        return []
    since = today - timedelta(days=INSTRUCTION_DAYS)
    instructions = (
        policy.visible_instructions(user)
        .filter(item__in=_unit_items(user), created_at__date__gte=since)
        .select_related("item", "author")
        .order_by("-created_at", "-pk")
    )
    return [
        Todo(
            title=instruction.item.title,
            url=reverse("ledger:item", args=[instruction.item_id]),
            action=_("Open"),
            detail=f"{instruction.author.display_name}: {instruction.text}",
        )
        for instruction in instructions
    ]


def _led_items(user: Any):
    """The items a county leader leads (分管); all items he or she reads when the account has no person."""
    items = policy.visible_items(user)
    if user.person_id:
        return items.filter(lead_leader_id=user.person_id)
    return items


@section("red", gettext_lazy("Red items you lead"), LEADER_SECTIONS)
def red_items(user: Any, today: date) -> list[Todo]:
    items = status.annotate(_led_items(user).select_related("plan", "lead_unit"), today)
    items = items.filter(light=rules.RED).order_by("-is_overdue", "due_date", "pk")
    return [
        Todo(
            title=item.title,
            url=reverse("ledger:item", args=[item.pk]),
            action=_("Open"),
            detail=item.lead_unit.name if item.lead_unit else "",
            light=item.light,
            overdue=item.is_overdue,
        )
        for item in items
    ]


@section("instructed", gettext_lazy("Items with your instructions"), LEADER_SECTIONS)
def instructed_items(user: Any, today: date) -> list[Todo]:
    mine = policy.visible_instructions(user).filter(author_id=user.pk).values("item_id")
    items = status.annotate(policy.visible_items(user).filter(pk__in=mine).select_related("plan"), today)
    return [
        Todo(
            title=item.title,
            url=reverse("ledger:item", args=[item.pk]),
            action=_("Open"),
            detail=_("Progress %(progress)s%%, due %(due)s")
            % {"progress": item.progress, "due": item.due_date.isoformat() if item.due_date else "—"},
            light=item.light,
            overdue=item.is_overdue,
        )
        for item in items.order_by("due_date", "pk")
    ]


@section("decide", gettext_lazy("Awaiting your decision"), LEADER_SECTIONS)
def awaiting_decision(user: Any, today: date) -> list[Todo]:
    """Escalations on the leader's items: open notices raised automatically after a red streak, and
    notices whose answer is overdue — the cases the office hands up for an instruction."""
    led = _led_items(user).values("pk")
    notices = (
        policy.visible_notices(user)
        .filter(item__in=led)
        .exclude(state=NoticeState.CLOSED)
        .select_related("item", "unit")
        .order_by("deadline", "pk")
    )
    todos = []
    for notice in notices:
        late = notice.state != NoticeState.ANSWERED and notice.deadline < today
        if not (notice.automatic or late):
            continue
        # The item page holds the instruction form (for a leader who may instruct) and the notices.
        todos.append(
            Todo(
                title=notice.item.title,
                url=reverse("ledger:item", args=[notice.item_id]),
                action=_("Instruct") if policy.can_instruct(user, notice.item) else _("Open"),
                detail=f"{notice.unit.name} · {notice.get_state_display()} · "
                + _("Answer by %(date)s") % {"date": notice.deadline.isoformat()},
                overdue=late,
            )
        )
    return todos


# The supervision procedure's open steps (签收, 延期申请): procedure_todo decides what is pending with the
# same can_* rules its services check; this section only words it for the unit's list.
PROCEDURE_ACTIONS = {
    procedure_todo.SIGN: (gettext_lazy("Sign for"), gettext_lazy("Assigned on %(since)s")),
    procedure_todo.HEAD_REVIEW: (gettext_lazy("Approve or return"), gettext_lazy("Report sent on %(since)s")),
    procedure_todo.HEAD_WAITING: (
        gettext_lazy("Open"),
        gettext_lazy("Report sent on %(since)s, awaiting the unit head"),
    ),
    procedure_todo.EXTENSION_WAITING: (
        gettext_lazy("Open"),
        gettext_lazy("Extension to %(due)s applied for on %(since)s, awaiting the office"),
    ),
}


@section("procedure", gettext_lazy("Assignments to sign for, reports to approve and extensions applied for"))
def procedure_steps(user: Any, today: date) -> list[Todo]:
    todos = []
    for step in procedure_todo.pending_for(user, today):
        if step.kind not in PROCEDURE_ACTIONS:
            continue  # the office's decisions are on its procedure queue, not on a unit's list
        action, detail = PROCEDURE_ACTIONS[step.kind]
        due = step.due.isoformat() if step.due else "—"
        todos.append(
            Todo(
                title=step.item_title,
                url=step.url,
                action=str(action),
                detail=str(detail) % {"since": step.since.isoformat(), "due": due},
            )
        )
    return todos


@section("blockers", gettext_lazy("Blockers raised to you"), LEADER_SECTIONS)
def blockers_to_answer(user: Any, today: date) -> list[Todo]:
    """问题协调: the open blockers this leader (or the office) may answer, oldest first."""
    from countyworks.supervision.procedure_services import open_blockers

    return [
        Todo(
            title=blocker.item.title,
            url=reverse("ledger:item", args=[blocker.item_id]) + f"#blocker-{blocker.pk}",
            action=_("Answer"),
            detail=f"{blocker.unit.name}: {blocker.text}",
            overdue=(today - blocker.raised_at.date()).days > 7,
        )
        for blocker in open_blockers(user)
        if policy.can_answer_blocker(user, blocker)
    ]
