"""我的事项 and the leader's view (issue 12): each section, the landing page per role, the counts."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from countyworks.plans.models import ItemStatus
from countyworks.supervision import my_work, services
from countyworks.supervision.models import Notice

TODAY = date(2023, 11, 20)


def titles(todos) -> list[str]:
    return [t.title for t in todos]


def test_an_open_item_is_due_until_its_unit_reports_for_the_month(cast):
    cast.item_b.co_units.add(cast.unit_a)
    assert titles(my_work.reports_due(cast.reporter_a, TODAY)) == [cast.item_a.title, cast.item_b.title]
    services.submit_report(cast.reporter_a, cast.item_a, period="2023-11", text="进场", progress=30)
    due = my_work.reports_due(cast.reporter_a, TODAY)
    assert titles(due) == [cast.item_b.title]
    assert due[0].url == reverse("supervision:report_new", args=[cast.item_b.pk]) + "?period=2023-11"
    # The other unit's report does not count for unit A; a quarterly report covers the month.
    services.submit_report(cast.reporter_a, cast.item_b, period="2023-Q4", text="配合", progress=10)
    assert my_work.reports_due(cast.reporter_a, TODAY) == []
    # Last month's report leaves this month due.
    assert titles(my_work.reports_due(cast.reporter_a, date(2024, 1, 5))) == [
        cast.item_a.title,
        cast.item_b.title,
    ]


def test_a_returned_report_is_due_again_and_listed_to_correct(cast):
    report = services.submit_report(cast.reporter_a, cast.item_a, period="2023-11", text="进场", progress=30)
    services.review_report(
        cast.supervisor, report, approve=False, comment="缺照片", expected_version=report.version
    )
    returned = my_work.returned_reports(cast.reporter_a, TODAY)
    assert [t.url for t in returned] == [reverse("supervision:report_resubmit", args=[report.pk])]
    assert "缺照片" in returned[0].detail
    assert titles(my_work.reports_due(cast.reporter_a, TODAY)) == [cast.item_a.title]
    assert my_work.returned_reports(cast.reporter_b, TODAY) == []


def test_done_items_are_not_due_and_lights_come_from_the_status(cast):
    cast.item_a.status = ItemStatus.COMPLETED
    cast.item_a.progress = 100
    cast.item_a.save()
    assert my_work.reports_due(cast.reporter_a, TODAY) == []
    cast.item_a.status = ItemStatus.IN_PROGRESS
    cast.item_a.progress = 5
    cast.item_a.save()
    (todo,) = my_work.reports_due(cast.reporter_a, TODAY)
    assert todo.light == "red" and todo.light_label
    (late,) = my_work.reports_due(cast.reporter_a, date(2024, 1, 10))
    assert late.overdue


def test_notices_to_sign_then_answer_then_gone(cast):
    notice = services.issue_notice(
        cast.supervisor, cast.item_a, unit=cast.unit_a, content="请说明", deadline=date(2023, 11, 30)
    )
    (todo,) = my_work.open_notices(cast.reporter_a, TODAY)
    assert todo.url == reverse("supervision:notice", args=[notice.pk]) and todo.action == "签收"
    services.acknowledge_notice(cast.reporter_a, notice)
    assert [t.action for t in my_work.open_notices(cast.reporter_a, TODAY)] == ["答复"]
    assert my_work.open_notices(cast.reporter_a, date(2023, 12, 1))[0].overdue
    services.answer_notice(cast.reporter_a, Notice.objects.get(pk=notice.pk), answer="已整改")
    assert my_work.open_notices(cast.reporter_a, TODAY) == []
    assert my_work.open_notices(cast.reporter_b, TODAY) == []


def test_instructions_on_the_units_items(cast):
    services.add_instruction(cast.leader, cast.item_a, text="加快进度")
    services.add_instruction(cast.leader, cast.item_b, text="另一单位")
    from django.utils import timezone

    today = timezone.localdate()
    (todo,) = my_work.recent_instructions(cast.reporter_a, today)
    assert "加快进度" in todo.detail
    assert my_work.recent_instructions(cast.reporter_a, today.replace(year=today.year + 1)) == []


def test_the_leaders_sections(cast):
    cast.leader.person = cast.leader_person
    cast.leader.save()
    for item in (cast.item_a, cast.item_b):
        item.status, item.progress = ItemStatus.IN_PROGRESS, 5
        item.save()
    # Only item A is led by the leader's person.
    assert titles(my_work.red_items(cast.leader, TODAY)) == [cast.item_a.title]
    assert my_work.instructed_items(cast.leader, TODAY) == []
    services.add_instruction(cast.leader, cast.item_b, text="抓紧")
    assert titles(my_work.instructed_items(cast.leader, TODAY)) == [cast.item_b.title]
    services.issue_notice(
        cast.supervisor, cast.item_a, unit=cast.unit_a, content="说明", deadline=date(2023, 11, 1)
    )
    services.issue_notice(
        cast.supervisor, cast.item_a, unit=cast.unit_a, content="说明", deadline=date(2023, 12, 1)
    )
    decide = my_work.awaiting_decision(cast.leader, TODAY)
    assert len(decide) == 1 and decide[0].overdue


def test_sections_are_registered_once_and_none_for_other_roles(cast):
    assert [s.key for s in my_work.SECTIONS][:5] == [
        "due",
        "returned",
        "notices",
        "instructions",
        "procedure",
    ]
    assert len({s.key for s in my_work.SECTIONS}) == len(my_work.SECTIONS)
    assert all(s.todos == [] for s in my_work.fill(my_work.SECTIONS, cast.supervisor, TODAY))


@pytest.mark.parametrize(
    ("who", "landing"),
    [
        ("reporter_a", "supervision:my_work"),
        ("leader", "supervision:leader"),
        ("supervisor", "supervision:dashboard"),
        ("admin", "supervision:dashboard"),
    ],
)
def test_each_role_lands_on_its_page_after_login(client, cast, who, landing):
    response = client.post(reverse("accounts:login"), {"username": who, "password": "pass-for-tests-only"})
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302 and response["Location"] == reverse(landing)
    assert client.get(reverse(landing)).status_code == 200


def test_the_page_shows_counts_and_one_link_per_todo(client, cast):
    client.force_login(cast.reporter_a)
    page = client.get(reverse("supervision:my_work")).content.decode()
    assert 'data-count="1"' in page
    assert reverse("supervision:report_new", args=[cast.item_a.pk]) in page
    assert reverse("supervision:report_new", args=[cast.item_b.pk]) not in page
    assert "我的事项" in page
    client.force_login(cast.supervisor)
    assert client.get(reverse("supervision:my_work"))["Location"] == reverse("supervision:dashboard")


def test_an_assignment_to_sign_for_is_on_the_units_list_until_it_signs(cast):
    from countyworks.supervision import procedure_services

    (row,) = procedure_services.assign_item(cast.item_a)
    listed = my_work.procedure_steps(cast.reporter_a, TODAY)
    assert titles(listed) == [cast.item_a.title]
    assert listed[0].url == reverse("ledger:item", args=[cast.item_a.pk])
    assert my_work.procedure_steps(cast.reporter_b, TODAY) == []
    procedure_services.sign_assignment(cast.reporter_a, row, expected_version=row.version)
    assert my_work.procedure_steps(cast.reporter_a, TODAY) == []
