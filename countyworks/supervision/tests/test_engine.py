"""`countyworks supervise` against the database, with explicit dates instead of a frozen clock."""

import json
from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from countyworks.plans.models import ItemStatus, WorkItem
from countyworks.supervision import engine, services, status, thresholds
from countyworks.supervision.models import (
    LightSnapshot,
    Notice,
    NoticeState,
    Notification,
    Reminder,
    ReminderKind,
    SupervisionSettings,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
# 2 July 2023: 序时进度 of a calendar-year item is exactly 50%.
HALF_YEAR = date(2023, 7, 2)


@pytest.fixture
def mailed_cast(cast, settings):
    # Mail goes through the task queue (issue 17): run its jobs at once, inside the test.
    settings.JOBS_INLINE = True
    for user in (cast.reporter_a, cast.reporter_b):
        user.email = f"{user.username}@example.gov.cn"
        user.save(update_fields=["email"])
    return cast


def run(day, capture):
    with capture(execute=True):
        return engine.supervise(day)


def snapshot_lights(day):
    return dict(LightSnapshot.objects.filter(on_date=day).values_list("item_id", "light"))


def test_it_records_the_days_lights_from_the_rules_and_counts_changes(
    cast, django_capture_on_commit_callbacks
):
    WorkItem.objects.filter(pk=cast.item_a.pk).update(progress=Decimal("45"))
    WorkItem.objects.filter(pk=cast.item_b.pk).update(progress=Decimal("10"))
    summary = run(HALF_YEAR, django_capture_on_commit_callbacks)
    assert snapshot_lights(HALF_YEAR) == {cast.item_a.pk: "green", cast.item_b.pk: "red"}
    # The same lights the screens derive for that day.
    assert snapshot_lights(HALF_YEAR) == dict(
        status.annotate(WorkItem.objects.all(), HALF_YEAR).values_list("pk", "light")
    )
    assert summary.items == 2 and summary.lights_changed == 0  # nothing to compare with yet
    WorkItem.objects.filter(pk=cast.item_b.pk).update(progress=Decimal("60"))
    nxt = run(date(2023, 7, 3), django_capture_on_commit_callbacks)
    assert nxt.lights_changed == 1


def test_it_marks_overdue_items_and_leaves_completed_ones_done(cast, django_capture_on_commit_callbacks):
    WorkItem.objects.filter(pk=cast.item_a.pk).update(status=ItemStatus.COMPLETED, progress=100)
    run(date(2024, 1, 5), django_capture_on_commit_callbacks)
    assert snapshot_lights(date(2024, 1, 5)) == {cast.item_a.pk: "done", cast.item_b.pk: "red"}
    assert Reminder.objects.filter(item=cast.item_b, kind=ReminderKind.OVERDUE).exists()
    assert not Reminder.objects.filter(item=cast.item_a).exists()


def test_it_ignores_soft_deleted_items(cast, django_capture_on_commit_callbacks):
    cast.item_b.soft_delete()
    summary = run(HALF_YEAR, django_capture_on_commit_callbacks)
    assert summary.items == 1
    assert not LightSnapshot.objects.filter(item=cast.item_b).exists()


def test_it_records_one_snapshot_per_item_and_day(cast, django_capture_on_commit_callbacks):
    WorkItem.objects.filter(pk=cast.item_a.pk).update(progress=Decimal("45"))
    run(HALF_YEAR, django_capture_on_commit_callbacks)
    snap = LightSnapshot.objects.get(item=cast.item_a, on_date=HALF_YEAR)
    assert (snap.light, snap.progress, snap.expected) == ("green", Decimal("45.00"), Decimal("50.00"))
    # Progress approved later the same day: the rerun corrects the day's snapshot instead of adding one.
    WorkItem.objects.filter(pk=cast.item_a.pk).update(progress=Decimal("5"))
    run(HALF_YEAR, django_capture_on_commit_callbacks)
    assert LightSnapshot.objects.filter(item=cast.item_a).count() == 1
    assert LightSnapshot.objects.get(item=cast.item_a).light == "red"


def test_a_second_run_on_the_same_day_changes_nothing(mailed_cast, django_capture_on_commit_callbacks):
    cast = mailed_cast
    WorkItem.objects.filter(pk=cast.item_b.pk).update(status=ItemStatus.IN_PROGRESS)
    for day in (date(2023, 12, 26), date(2023, 12, 27)):
        run(day, django_capture_on_commit_callbacks)
    SupervisionSettings.objects.create(escalate_after_red_runs=3)
    first = run(date(2023, 12, 28), django_capture_on_commit_callbacks)
    assert first.notices_issued == 2 and Reminder.objects.count() > 0 and len(mail.outbox) > 0

    def state():
        return (
            list(WorkItem.objects.order_by("pk").values_list("progress", "status", "version")),
            WorkItem.history.count(),
            LightSnapshot.objects.count(),
            Reminder.objects.count(),
            Notice.objects.count(),
            Notification.objects.count(),
            len(mail.outbox),
        )

    before = state()
    second = run(date(2023, 12, 28), django_capture_on_commit_callbacks)
    assert state() == before
    assert (second.lights_changed, second.snapshots_written, second.reminders_created) == (0, 0, 0)
    assert (second.notices_issued, second.notifications_created, second.emails_sent) == (0, 0, 0)


def test_it_writes_history_only_when_a_light_changes(cast, django_capture_on_commit_callbacks):
    run(date(2023, 3, 1), django_capture_on_commit_callbacks)
    after_first = WorkItem.history.count()
    run(date(2023, 3, 2), django_capture_on_commit_callbacks)  # same lights on the next day
    assert WorkItem.history.count() == after_first
    assert LightSnapshot.objects.count() == 4


def test_it_reminds_a_unit_of_a_missing_monthly_report_once(mailed_cast, django_capture_on_commit_callbacks):
    cast = mailed_cast
    WorkItem.objects.filter(pk=cast.item_a.pk).update(status=ItemStatus.IN_PROGRESS, progress=80)
    WorkItem.objects.filter(pk=cast.item_b.pk).update(status=ItemStatus.IN_PROGRESS, progress=80)
    services.submit_report(cast.reporter_b, cast.item_b, period="2023-08", text="已完成主体", progress=80)
    run(date(2023, 8, 24), django_capture_on_commit_callbacks)
    assert not Reminder.objects.filter(kind=ReminderKind.REPORT_DUE).exists()  # before day 25
    run(date(2023, 8, 25), django_capture_on_commit_callbacks)
    run(date(2023, 8, 26), django_capture_on_commit_callbacks)
    reminder = Reminder.objects.get(kind=ReminderKind.REPORT_DUE)
    assert (reminder.item, reminder.unit, reminder.period_key) == (cast.item_a, cast.unit_a, "2023-08")
    note = Notification.objects.get(user=cast.reporter_a)
    assert "2023-08" in note.body and note.read_at is None
    assert not Notification.objects.filter(user=cast.reporter_b).exists()
    assert [m.to for m in mail.outbox] == [["reporter_a@example.gov.cn"]]


def test_it_reminds_of_items_due_soon_and_overdue(cast, django_capture_on_commit_callbacks):
    WorkItem.objects.filter(pk=cast.item_a.pk).update(due_date=date(2023, 7, 5), progress=60)
    WorkItem.objects.filter(pk=cast.item_b.pk).update(due_date=date(2023, 6, 30), progress=60)
    run(HALF_YEAR, django_capture_on_commit_callbacks)
    kinds = dict(Reminder.objects.values_list("item_id", "kind"))
    assert kinds == {cast.item_a.pk: ReminderKind.DUE_SOON, cast.item_b.pk: ReminderKind.OVERDUE}
    assert Notification.objects.filter(user=cast.reporter_b, title__contains=cast.item_b.title).count() == 1


def test_it_escalates_an_item_red_on_consecutive_runs_into_one_automatic_notice(
    cast, django_capture_on_commit_callbacks, settings
):
    settings.SUPERVISION_ESCALATE_AFTER_RED_RUNS = 3
    WorkItem.objects.filter(pk=cast.item_a.pk).update(progress=90)  # stays green
    for day in (date(2023, 9, 1), date(2023, 9, 2)):
        run(day, django_capture_on_commit_callbacks)
    assert not Notice.objects.exists()
    run(date(2023, 9, 3), django_capture_on_commit_callbacks)
    notice = Notice.objects.get()
    assert (notice.item, notice.unit, notice.automatic, notice.issued_by) == (
        cast.item_b,
        cast.unit_b,
        True,
        None,
    )
    assert notice.deadline == date(2023, 9, 10)
    assert Notification.objects.filter(user=cast.reporter_b, key=f"notice:{notice.pk}").exists()
    # While the notice is open, further red days add no second notice.
    run(date(2023, 9, 4), django_capture_on_commit_callbacks)
    assert Notice.objects.count() == 1


def test_a_green_day_breaks_the_red_streak(cast, django_capture_on_commit_callbacks, settings):
    settings.SUPERVISION_ESCALATE_AFTER_RED_RUNS = 3
    run(date(2023, 9, 1), django_capture_on_commit_callbacks)
    run(date(2023, 9, 2), django_capture_on_commit_callbacks)
    WorkItem.objects.filter(pk=cast.item_b.pk).update(progress=70)
    run(date(2023, 9, 3), django_capture_on_commit_callbacks)
    WorkItem.objects.filter(pk=cast.item_b.pk).update(progress=0)
    run(date(2023, 9, 4), django_capture_on_commit_callbacks)
    run(date(2023, 9, 5), django_capture_on_commit_callbacks)
    assert engine.red_streaks([cast.item_b.pk], date(2023, 9, 5)) == {cast.item_b.pk: 2}
    assert not Notice.objects.filter(item=cast.item_b).exists()


def test_a_closed_notice_does_not_block_a_new_escalation(cast, django_capture_on_commit_callbacks, settings):
    settings.SUPERVISION_ESCALATE_AFTER_RED_RUNS = 1
    Notice.objects.create(
        item=cast.item_b,
        unit=cast.unit_b,
        content="旧督办",
        deadline=date(2023, 8, 1),
        issued_at=datetime(2023, 7, 1, tzinfo=SHANGHAI),
        state=NoticeState.CLOSED,
    )
    run(date(2023, 9, 1), django_capture_on_commit_callbacks)
    assert Notice.objects.filter(item=cast.item_b, automatic=True).count() == 1


def test_the_database_row_overrides_the_settings(cast, django_capture_on_commit_callbacks, settings):
    settings.SUPERVISION_YELLOW_BEHIND_POINTS = 10
    WorkItem.objects.filter(pk=cast.item_a.pk).update(progress=45)  # 5 points behind
    assert thresholds.current_thresholds().yellow_behind_points == 10
    SupervisionSettings.objects.create(yellow_behind_points=3)
    SupervisionSettings(red_behind_points=40).save()  # the singleton keeps one row
    assert SupervisionSettings.objects.count() == 1
    run(HALF_YEAR, django_capture_on_commit_callbacks)
    assert snapshot_lights(HALF_YEAR)[cast.item_a.pk] == "green"  # row 1 now only sets red=40
    SupervisionSettings(yellow_behind_points=3, red_behind_points=40).save()
    run(HALF_YEAR, django_capture_on_commit_callbacks)
    assert snapshot_lights(HALF_YEAR)[cast.item_a.pk] == "yellow"
    # The screens read the same row: no waiting for the next run.
    assert status.annotate(WorkItem.objects.filter(pk=cast.item_a.pk), HALF_YEAR).get().light == "yellow"


def test_the_command_prints_a_json_summary_and_rejects_a_bad_date(cast, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("supervise", "--today", "2023-07-02", "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["on_date"] == "2023-07-02" and summary["items"] == 2 and summary["snapshots_written"] == 2
    with pytest.raises(CommandError, match="--today"):
        call_command("supervise", "--today", "2023-13-01")


def test_an_item_under_way_without_a_due_date_still_owes_its_monthly_report(
    cast, django_capture_on_commit_callbacks
):
    WorkItem.objects.filter(pk=cast.item_a.pk).update(status=ItemStatus.IN_PROGRESS, due_date=None)
    WorkItem.objects.filter(pk=cast.item_b.pk).update(status=ItemStatus.SUSPENDED)
    run(date(2023, 8, 28), django_capture_on_commit_callbacks)
    assert snapshot_lights(date(2023, 8, 28))[cast.item_a.pk] == "none"
    assert list(Reminder.objects.values_list("item_id", "kind")) == [
        (cast.item_a.pk, ReminderKind.REPORT_DUE)
    ]


def test_mail_is_queued_and_retried_while_the_mail_server_is_down(
    mailed_cast, django_capture_on_commit_callbacks, settings, monkeypatch
):
    # issue 17: a mail server outage leaves the mail queued for a retry, not lost.
    from countyworks.jobs.models import Job

    def down(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(engine, "send_mail", down)
    WorkItem.objects.filter(pk=mailed_cast.item_a.pk).update(status=ItemStatus.IN_PROGRESS, progress=80)
    run(date(2023, 8, 26), django_capture_on_commit_callbacks)
    (job,) = Job.objects.filter(name="supervision.mail", payload__to="reporter_a@example.gov.cn")
    assert job.state == "queued" and "mail server down" in job.last_error
    assert job.attempts == 1 and mail.outbox == []
