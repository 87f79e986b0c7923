"""The database side of `countyworks supervise`: lights, overdue flags, snapshots, reminders, escalation.

One run for one day, safe to repeat (cron may run it hourly): every write is keyed so a second run
on the same day finds nothing to do. Items are read in bulk and only rows whose values change are
written (with history for the items, through simple_history's bulk helper), so the ledger's
change history shows real light changes and not a daily touch of every row.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max, OuterRef, Q, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from countyworks.accounts.models import Role, User
from countyworks.jobs import queue
from countyworks.notify import services as notify
from countyworks.plans import cadence
from countyworks.plans.models import WorkItem
from countyworks.supervision import cycles, rules, status
from countyworks.supervision.models import (
    LightSnapshot,
    Notice,
    NoticeState,
    Notification,
    ProgressReport,
    Reminder,
    ReminderKind,
)
from countyworks.supervision.rules import Thresholds
from countyworks.supervision.services import issue_notice
from countyworks.supervision.thresholds import current_thresholds

logger = logging.getLogger(__name__)

# Days a unit gets to answer an automatic notice.
AUTOMATIC_NOTICE_ANSWER_DAYS = 7


@dataclass
class SupervisionSummary:
    """What one run did; `countyworks supervise --json` prints it."""

    on_date: str
    items: int = 0
    lights_changed: int = 0
    overdue_changed: int = 0
    snapshots_written: int = 0
    reminders_created: int = 0
    notices_issued: int = 0
    notifications_created: int = 0
    emails_sent: int = 0
    signoffs_reminded: int = 0  # issue 13

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _item_url(item_id: int) -> str:
    # The item page belongs to the screens; until it exists a notification simply has no link.
    try:
        return reverse("ledger:item", args=[item_id])
    except NoReverseMatch:
        return ""


def supervise(today: date | None = None) -> SupervisionSummary:
    """Run every rule for `today` (the local date by default) and return what it did.

    Lights are not stored on items (every screen derives them for its day, `status.py`): the run
    records the day's lights as snapshots (the history that trends and the red streaks read), counts
    how many differ from each item's previous snapshot, and acts on them — reminders, escalation.
    """
    today = today or timezone.localdate()
    thresholds = current_thresholds()
    summary = SupervisionSummary(on_date=today.isoformat())
    # Stored texts (notices, notifications, e-mails) are written in the site's language.
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        # Live items only (the default manager hides soft-deleted ones); cancelled items get `none`.
        # Only the columns the rules read: building 10,000 full model instances is the slow part.
        items = list(
            status.annotate(
                WorkItem.objects.select_related("plan").only(
                    "title",
                    "start_date",
                    "due_date",
                    "progress",
                    "status",
                    "lead_unit",
                    "plan__year",
                    "kind",
                    "report_cadence",
                ),
                today,
                thresholds,
            )
        )
        summary.items = len(items)
        assessed = {item.pk: _assessment(item, today, thresholds) for item in items}
        _count_changes(items, assessed, today, summary)
        _write_snapshots(items, assessed, today, summary)
        messages = _raise_reminders(items, assessed, today, thresholds, summary)
        messages += _escalate_red_items(items, assessed, today, thresholds, summary)
        _notify_units(messages, summary)
        # issue 13: assignments nobody signed for (签收) → reminder, then a notice.
        from countyworks.supervision.procedure_services import chase_signoffs

        chased = chase_signoffs(today)
        summary.signoffs_reminded = chased["reminded"]
        summary.notices_issued += chased["noticed"]
    return summary


def _assessment(item: WorkItem, today: date, thresholds: Thresholds) -> rules.Assessment:
    """The light and overdue flag the database derived, with the 序时进度 the snapshot keeps."""
    expected = rules.assess(status.facts_of(item), today, thresholds)
    return rules.Assessment(item.light, expected.expected, expected.behind, item.is_overdue)


def _count_changes(
    items: list[WorkItem], assessed: dict[int, rules.Assessment], today: date, summary: SupervisionSummary
) -> None:
    """How many lights differ from each item's last snapshot before today, and how many items turned
    overdue today (due yesterday and still open)."""
    latest = (
        LightSnapshot.objects.filter(item_id=OuterRef("item_id"), on_date__lt=today)
        .order_by("-on_date")
        .values("on_date")[:1]
    )
    before = dict(
        LightSnapshot.objects.filter(on_date__lt=today, on_date=Subquery(latest)).values_list(
            "item_id", "light"
        )
    )
    for item in items:
        previous = before.get(item.pk)
        if previous is not None and previous != assessed[item.pk].light:
            summary.lights_changed += 1
        if assessed[item.pk].overdue and item.due_date == today - timedelta(days=1):
            summary.overdue_changed += 1


def _write_snapshots(
    items: list[WorkItem], assessed: dict[int, rules.Assessment], today: date, summary: SupervisionSummary
) -> None:
    existing = {
        item_id: (pk, (light, progress, expected))
        for pk, item_id, light, progress, expected in LightSnapshot.objects.filter(on_date=today).values_list(
            "pk", "item_id", "light", "progress", "expected"
        )
    }
    to_create, to_update = [], []
    for item in items:
        result = assessed[item.pk]
        values = (result.light, item.progress, _decimal(result.expected))
        fields = dict(zip(("light", "progress", "expected"), values, strict=True))
        if item.pk not in existing:
            to_create.append(LightSnapshot(item=item, on_date=today, **fields))
        elif existing[item.pk][1] != values:
            # A later run the same day (after an approval, say) keeps the day's last word.
            to_update.append(LightSnapshot(pk=existing[item.pk][0], item=item, on_date=today, **fields))
    LightSnapshot.objects.bulk_create(to_create, batch_size=1000)
    LightSnapshot.objects.bulk_update(to_update, ["light", "progress", "expected"], batch_size=1000)
    summary.snapshots_written = len(to_create) + len(to_update)


@dataclass
class _Message:
    """One thing to tell a unit's reporters: a notification per user and an e-mail."""

    key: str
    unit_id: int | None
    title: str
    body: str
    url: str
    # issue 17: which event it is and for which item, for the chat and e-mail channels.
    event: str = ""
    item_id: int | None = None


def _raise_reminders(
    items: list[WorkItem],
    assessed: dict[int, rules.Assessment],
    today: date,
    thresholds: Thresholds,
    summary: SupervisionSummary,
) -> list[_Message]:
    open_periods = _open_report_periods(items, today)
    reported = _reported_periods(open_periods, today)
    wanted: list[Reminder] = []
    for item in items:
        result = assessed[item.pk]
        # An item under way owes a report for each open period of its cycle, even without a due date
        # (and so without a light).
        for period in open_periods.get(item.pk, []):
            if rules.report_is_chased(
                item.status, period, today, (item.pk, period.key) in reported, thresholds
            ):
                wanted.append(Reminder(item=item, kind=ReminderKind.REPORT_DUE, period_key=period.key))
        if result.light in (rules.DONE, rules.NONE):
            continue
        if result.overdue:
            wanted.append(
                Reminder(item=item, kind=ReminderKind.OVERDUE, period_key=item.due_date.isoformat())
            )
        elif rules.is_due_soon(item.due_date, today, thresholds):
            wanted.append(
                Reminder(item=item, kind=ReminderKind.DUE_SOON, period_key=item.due_date.isoformat())
            )
    if not wanted:
        return []
    existing = set(
        Reminder.objects.filter(item_id__in={r.item_id for r in wanted}).values_list(
            "item_id", "kind", "period_key"
        )
    )
    new = [r for r in wanted if (r.item_id, r.kind, r.period_key) not in existing]
    for reminder in new:
        reminder.unit_id = reminder.item.lead_unit_id
        reminder.on_date = today
    created = Reminder.objects.bulk_create(new, batch_size=1000)
    summary.reminders_created = len(created)
    # bulk_create does not return primary keys on every backend, so messages are keyed by content.
    return [_reminder_message(r) for r in created]


def _open_report_periods(items: list[WorkItem], today: date) -> dict[int, list[cadence.Period]]:
    """Per item under way, the periods of its reporting cycle whose window is open today (an
    unfinished item past its deadline keeps reporting on its cycle, as 我的事项 asks it to)."""
    running = [item for item in items if item.status == "in_progress"]
    plan_cycles = cycles.cycles_by_plan(item.plan_id for item in running)
    found = {}
    for item in running:
        schedule = cycles.schedule_for(item, plan_cycles.get(item.plan_id, {})).running_to(today)
        found[item.pk] = schedule.open_on(today)
    return found


def _reported_periods(open_periods: dict[int, list[cadence.Period]], today: date) -> set[tuple[int, str]]:
    """The (item, period key) pairs that have a report: one naming the period (or a quarter holding
    it), or any report on the item submitted inside the period's window."""
    periods = [period for found in open_periods.values() for period in found]
    if not periods:
        return set()
    # A datetime bound (not submitted_at__date) keeps the index usable and avoids a per-row cast.
    earliest = timezone.make_aware(datetime.combine(min(p.opens for p in periods), time.min))
    keys = {p.key for p in periods} | {rules.quarter_key(p.start) for p in periods}
    rows = (
        ProgressReport.objects.filter(item_id__in=list(open_periods))
        .filter(Q(period__in=keys) | Q(submitted_at__gte=earliest))
        .values_list("item_id", "period", "submitted_at")
    )
    by_item: dict[int, list[tuple[str, date]]] = defaultdict(list)
    for item_id, key, submitted_at in rows:
        by_item[item_id].append((key, timezone.localdate(submitted_at)))
    return {
        (item_id, period.key)
        for item_id, found in open_periods.items()
        for period in found
        if any(cycles.answers(key, period) or period.takes(day) for key, day in by_item[item_id])
    }


def _reminder_message(reminder: Reminder) -> _Message:
    item = reminder.item
    if reminder.kind == ReminderKind.REPORT_DUE:
        title = _("Progress report due: %(title)s") % {"title": item.title}
        body = _("No progress report for %(period)s has been submitted for this item yet.") % {
            "period": reminder.period_key
        }
    elif reminder.kind == ReminderKind.OVERDUE:
        title = _("Overdue: %(title)s") % {"title": item.title}
        body = _("This item was due on %(date)s and is not completed.") % {"date": reminder.period_key}
    else:
        title = _("Due soon: %(title)s") % {"title": item.title}
        body = _("This item is due on %(date)s.") % {"date": reminder.period_key}
    return _Message(
        key=f"reminder:{reminder.item_id}:{reminder.kind}:{reminder.period_key}",
        unit_id=item.lead_unit_id,
        title=title[:200],
        body=body,
        url=_item_url(item.pk),
        event=str(reminder.kind),
        item_id=item.pk,
    )


def red_streaks(item_ids: list[int], today: date) -> dict[int, int]:
    """Per item, how many of its latest snapshots (up to `today`) are red in a row."""
    last_other = (
        LightSnapshot.objects.filter(item_id=OuterRef("item_id"), on_date__lte=today)
        .exclude(light=rules.RED)
        .values("item_id")
        .annotate(last=Max("on_date"))
        .values("last")
    )
    streaks: dict[int, int] = defaultdict(int)
    rows = (
        LightSnapshot.objects.filter(item_id__in=item_ids, on_date__lte=today, light=rules.RED)
        .annotate(last_other=Subquery(last_other))
        .filter(Q(last_other__isnull=True) | Q(on_date__gt=Subquery(last_other)))
        .values_list("item_id", flat=True)
    )
    for item_id in rows:
        streaks[item_id] += 1
    return streaks


def _escalate_red_items(
    items: list[WorkItem],
    assessed: dict[int, rules.Assessment],
    today: date,
    thresholds: Thresholds,
    summary: SupervisionSummary,
) -> list[_Message]:
    red = [item for item in items if assessed[item.pk].light == rules.RED and item.lead_unit_id]
    if not red or thresholds.escalate_after_red_runs <= 0:
        return []
    streaks = red_streaks([item.pk for item in red], today)
    open_notice = set(
        Notice.objects.filter(item_id__in=[item.pk for item in red])
        .exclude(state=NoticeState.CLOSED)
        .values_list("item_id", flat=True)
    )
    messages = []
    for item in red:
        if not rules.red_streak_escalates(streaks.get(item.pk, 0), thresholds, item.pk in open_notice):
            continue
        notice = issue_notice(
            None,
            item,
            unit=item.lead_unit,
            content=_(
                "This item has been red on %(runs)s consecutive checks. Report the reasons, the measures "
                "taken and the date by which it will be back on schedule."
            )
            % {"runs": streaks[item.pk]},
            deadline=today + timedelta(days=AUTOMATIC_NOTICE_ANSWER_DAYS),
            automatic=True,
        )
        summary.notices_issued += 1
        messages.append(
            _Message(
                key=f"notice:{notice.pk}",
                unit_id=item.lead_unit_id,
                title=(
                    _("Supervision notice %(number)s: %(title)s")
                    % {"number": notice.number, "title": item.title}
                )[:200],
                body=notice.content,
                url=_item_url(item.pk),
                event="notice",
                item_id=item.pk,
            )
        )
    return messages


def _notify_units(messages: list[_Message], summary: SupervisionSummary) -> None:
    if not messages:
        return
    unit_ids = {m.unit_id for m in messages if m.unit_id}
    reporters: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(organisation_id__in=unit_ids, role=Role.REPORTER, is_active=True):
        reporters[user.organisation_id].append(user)
    already = set(
        Notification.objects.filter(
            user__in=[u for users in reporters.values() for u in users], key__in=[m.key for m in messages]
        ).values_list("user_id", "key")
    )
    notifications, mails = [], []
    for message in messages:
        for user in reporters.get(message.unit_id, []):
            if (user.pk, message.key) in already:
                continue
            notifications.append(
                Notification(
                    user=user, key=message.key, title=message.title, body=message.body, url=message.url
                )
            )
            if user.email:
                mails.append((message, user.email))
    Notification.objects.bulk_create(notifications, batch_size=1000)
    summary.notifications_created = len(notifications)
    for message in messages:
        # The units' and leaders' own channels (企业微信, 钉钉, e-mail), through the task queue.
        notify.publish(
            message.event,
            key=message.key,
            title=message.title,
            body=message.body,
            url=message.url,
            unit_id=message.unit_id,
            item_id=message.item_id,
        )
    # Mail goes out through the task queue, one job per mail (retried while the mail server is
    # down), enqueued only after the rows are committed, so a rolled-back run sends nothing.
    transaction.on_commit(lambda: _queue_mails(mails))
    summary.emails_sent = len(mails)


def _queue_mails(mails: list[tuple[_Message, str]]) -> None:
    for message, address in mails:
        body = message.body + (f"\n\n{message.url}" if message.url else "")
        queue.enqueue(
            "supervision.mail",
            {"subject": message.title, "body": body, "to": address},
            unique_key=f"mail:{address}:{message.key}"[:200],
        )


def send_queued_mail(payload: dict) -> None:
    """The queue task: one mail; an OSError (server down) is raised so the queue retries it."""
    send_mail(payload["subject"], payload["body"], None, [payload["to"]])
