"""A plan's month scored by its assessment scheme: facts as of the month's end, the version in force."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError

from countyworks.plans.models import ItemStatus, WorkItem
from countyworks.supervision import assessment, scoring
from countyworks.supervision.models import AssessmentBonus, AssessmentScheme, ProgressReport, ReviewState

STRICT_RULES = [
    {"key": "completion", "label": "完成率", "kind": "rate", "fact": "completion_rate", "points": 50},
    {
        "key": "overdue",
        "label": "逾期未完成",
        "kind": "per",
        "fact": "overdue_items",
        "points": -20,
        "cap": 30,
    },
    {"key": "signoff", "label": "未按期签收", "kind": "per", "fact": "late_signoffs", "points": -2},
    {"key": "praise", "label": "领导批示肯定", "kind": "bonus", "points": 0, "cap": 10},
]


@pytest.fixture
def june(cast):
    """Item A overdue since May with nothing done; item B running, reported in June."""
    WorkItem.objects.filter(pk=cast.item_a.pk).update(due_date=date(2023, 5, 31))
    WorkItem.objects.filter(pk=cast.item_b.pk).update(status=ItemStatus.IN_PROGRESS, progress=40)
    for item in WorkItem.objects.all():
        item.save()  # a history row with the dates above
    WorkItem.history.update(history_date=datetime(2023, 1, 2, tzinfo=UTC))
    ProgressReport.objects.create(
        item=cast.item_b,
        period="2023-06",
        text="推进中",
        progress=40,
        unit=cast.unit_b,
        submitted_at=datetime(2023, 6, 10, 2, tzinfo=UTC),
        state=ReviewState.SUBMITTED,
    )
    return cast


def scores(plan, year, month):
    return {score.unit_name: score for score in assessment.month_ranking(plan, year, month)}


def test_without_a_scheme_a_month_is_scored_by_the_default_formula(june):
    ranked = scores(june.plan, 2023, 6)
    unit_a, unit_b = ranked[june.unit_a.name], ranked[june.unit_b.name]
    # A: its item ran until May, so no June report was owed (40, as the ranking counts it), not
    # complete, 0 % progress, and still overdue and unfinished at the end of June: −5.
    assert unit_a.total == 35
    assert [line.points for line in unit_a.lines] == [40, 0, 0, -5]
    # B: reported (40), not complete (0), 40 % progress (8).
    assert unit_b.total == 48
    assert assessment.month_ranking(june.plan, 2023, 6)[0].unit_id == june.unit_b.pk


def test_a_new_version_changes_later_months_and_never_a_past_one(june):
    before = scores(june.plan, 2023, 6)
    AssessmentScheme.objects.create(plan=june.plan, valid_from=date(2023, 7, 1), rules=STRICT_RULES)
    assert scores(june.plan, 2023, 6) == before
    july = scores(june.plan, 2023, 7)
    overdue = july[june.unit_a.name].lines[1]
    assert (overdue.rule.label, overdue.points) == ("逾期未完成", -20)
    signoff = july[june.unit_a.name].lines[2]
    assert not signoff.missing and signoff.points == 0  # no assignment was due to be signed in July


def test_bonuses_entered_by_the_office_count_in_their_month_with_their_reason(june):
    AssessmentScheme.objects.create(plan=june.plan, valid_from=date(2023, 1, 1), rules=STRICT_RULES)
    AssessmentBonus.objects.create(
        plan=june.plan,
        unit=june.unit_b,
        rule="praise",
        points=6,
        reason="县委书记批示肯定",
        awarded_on=date(2023, 6, 5),
    )
    AssessmentBonus.objects.create(
        plan=june.plan,
        unit=june.unit_b,
        rule="praise",
        points=6,
        reason="市领导批示",
        awarded_on=date(2023, 6, 20),
    )
    praise = scores(june.plan, 2023, 6)[june.unit_b.name].lines[3]
    assert (praise.points, praise.capped, praise.reasons) == (10, True, ("县委书记批示肯定", "市领导批示"))
    assert scores(june.plan, 2023, 7)[june.unit_b.name].lines[3].points == 0


def test_a_stored_scheme_with_a_bad_rule_is_refused(cast):
    scheme = AssessmentScheme(
        plan=cast.plan, valid_from=date(2023, 1, 1), rules=[{"key": "x", "kind": "per", "fact": "nope"}]
    )
    with pytest.raises(ValidationError):
        scheme.full_clean()
    assert assessment.scheme_for(cast.plan, date(2023, 6, 30)) is scoring.DEFAULT_SCHEME


def test_the_ranking_page_follows_the_scheme_and_exports_to_excel(client, june):
    import io

    from django.urls import reverse
    from openpyxl import load_workbook

    client.force_login(june.supervisor)
    address = reverse("supervision:assessment")
    page = client.get(address, {"plan": june.plan.pk, "month": "2023-06"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "逾期未完成" in text and june.unit_b.name in text
    red_list = text.split('id="red-list"')[1].split("</section>")[0]
    assert red_list.index(june.unit_b.name) < red_list.index(june.unit_a.name)
    # A stricter scheme in force for June: unit B's missing completion and unit A's overdue item
    # cost more, and the page says which version scored the month.
    AssessmentScheme.objects.create(plan=june.plan, valid_from=date(2023, 6, 1), rules=STRICT_RULES)
    text = client.get(address, {"plan": june.plan.pk, "month": "2023-06"}).content.decode()
    assert "2023-06-01" in text or "2023年6月1日" in text
    assert "逾期未完成：1 × -20 = -20" in text
    assert "未按期签收：0 × -2 = 0" in text  # no assignment was due to be signed in June
    workbook = client.get(address, {"plan": june.plan.pk, "month": "2023-06", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    # Under the strict scheme both score 0 (A's −20 floored): a tie, ranked by name.
    assert [[sheet.cell(r, c).value for c in (1, 2, 3)] for r in (2, 3)] == [
        [1, june.unit_a.name, 0],
        [2, june.unit_b.name, 0],
    ]
    assert "逾期未完成：1 × -20 = -20" in sheet.cell(2, 4).value


def test_a_reporter_does_not_see_the_ranking(client, june):
    from django.urls import reverse

    client.force_login(june.reporter_a)
    assert client.get(reverse("supervision:assessment"), {"plan": june.plan.pk}).status_code == 403


def test_the_bulletin_has_a_red_and_black_list_with_explanations_also_in_word(june):
    import io

    from docx import Document

    from countyworks.reports.builders.bulletin import build_bulletin
    from countyworks.reports.render_docx import render_docx

    assert not any(
        s.key.startswith("red-black")
        for s in build_bulletin(june.county, date(2023, 6, 1), date(2023, 6, 30)).sections
    )
    AssessmentScheme.objects.create(plan=june.plan, valid_from=date(2023, 1, 1), rules=STRICT_RULES)
    report = build_bulletin(june.county, date(2023, 6, 1), date(2023, 6, 30))
    section = next(s for s in report.sections if s.key == f"red-black-{june.plan.pk}")
    rows = section.tables[0].rows
    assert [row[:3] for row in rows] == [["红榜", "1", june.unit_a.name], ["红榜", "2", june.unit_b.name]]
    assert "逾期未完成：1 × -20 = -20" in rows[0][4]
    # A reporter does not read the whole plan: no points of other units in their bulletin.
    reporter = build_bulletin(june.county, date(2023, 6, 1), date(2023, 6, 30), user=june.reporter_b)
    assert not any(s.key.startswith("red-black") for s in reporter.sections)
    document = Document(io.BytesIO(render_docx(report)))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "红榜" in cells and any("逾期未完成" in text for text in cells)


def test_assignments_not_signed_by_their_deadline_cost_points_in_that_month(june, settings):
    from countyworks.supervision.models import SignOff

    settings.SUPERVISION_SIGNOFF_WORKING_DAYS = 3
    AssessmentScheme.objects.create(plan=june.plan, valid_from=date(2023, 1, 1), rules=STRICT_RULES)
    # Assigned Monday 5 June: due Thursday 8 June. A never signs; B signs on time.
    SignOff.objects.create(
        item=june.item_a, unit=june.unit_a, assigned_at=datetime(2023, 6, 5, 2, tzinfo=UTC)
    )
    SignOff.objects.create(
        item=june.item_b,
        unit=june.unit_b,
        assigned_at=datetime(2023, 6, 5, 2, tzinfo=UTC),
        signed_at=datetime(2023, 6, 8, 9, tzinfo=UTC),
    )
    # Assigned Wednesday 28 June: due Monday 3 July, so not June's.
    SignOff.objects.create(
        item=june.item_b, unit=june.unit_b, assigned_at=datetime(2023, 6, 28, 2, tzinfo=UTC)
    )
    june_scores = scores(june.plan, 2023, 6)
    lines = {
        name: next(line for line in s.lines if line.rule.key == "signoff") for name, s in june_scores.items()
    }
    assert (lines[june.unit_a.name].value, lines[june.unit_a.name].points) == (1, -2)
    assert (lines[june.unit_b.name].value, lines[june.unit_b.name].points) == (0, 0)
    july = {
        name: next(line for line in s.lines if line.rule.key == "signoff")
        for name, s in scores(june.plan, 2023, 7).items()
    }
    assert july[june.unit_b.name].value == 1  # the one assigned on 28 June, unsigned on 3 July
    assert "暂无数据" not in assessment.explain(lines[june.unit_a.name])


def test_working_days_are_added_as_they_are_counted():
    from countyworks.supervision import procedure

    monday = date(2023, 6, 5)
    assert procedure.add_working_days(monday, 3) == date(2023, 6, 8)
    assert procedure.add_working_days(date(2023, 6, 9), 1) == date(2023, 6, 12)  # Friday → Monday
    for days in range(0, 15):
        for offset in range(7):
            start = monday.replace(day=5 + offset)
            assert procedure.working_days_between(start, procedure.add_working_days(start, days)) == days


# A version that scored a finished month is frozen; bonuses are entered on the ranking page.


def test_a_version_that_scored_a_finished_month_cannot_be_changed(june):
    used = AssessmentScheme.objects.create(
        plan=june.plan, valid_from=date(2023, 6, 1), rules=STRICT_RULES, note="x"
    )
    used.rules = STRICT_RULES[:1]
    with pytest.raises(ValidationError) as refused:
        used.full_clean()
    assert "新增" in str(refused.value) or "new version" in str(refused.value)


def test_a_version_for_the_coming_month_may_still_be_changed(db):
    from django.utils import timezone

    from countyworks.plans.models import Plan
    from countyworks.regions.services import ensure_region

    today = timezone.localdate()
    plan = Plan.objects.create(region=ensure_region("140427"), year=today.year, title="本年计划")
    coming = AssessmentScheme.objects.create(plan=plan, valid_from=today.replace(day=1), rules=STRICT_RULES)
    coming.rules = STRICT_RULES[:1]
    coming.full_clean()  # not yet scored any finished month


def test_a_version_reaching_back_into_a_finished_month_needs_a_note(june):
    backdated = AssessmentScheme(plan=june.plan, valid_from=date(2023, 1, 1), rules=STRICT_RULES)
    with pytest.raises(ValidationError) as refused:
        backdated.full_clean()
    assert "note" in refused.value.message_dict
    backdated.note = "县委办印发细则，自年初起施行"
    backdated.full_clean()


def test_the_admin_shows_a_used_version_read_only_and_offers_no_delete(client, june):
    june.admin.is_staff = june.admin.is_superuser = True
    june.admin.save()
    used = AssessmentScheme.objects.create(
        plan=june.plan, valid_from=date(2023, 6, 1), rules=STRICT_RULES, note="x"
    )
    client.force_login(june.admin)
    page = client.get(f"/admin/supervision/assessmentscheme/{used.pk}/change/")
    assert page.status_code == 200 and 'name="rules"' not in page.content.decode()
    assert (
        client.post(f"/admin/supervision/assessmentscheme/{used.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert AssessmentScheme.objects.filter(pk=used.pk).exists()


def test_the_office_awards_bonus_points_on_the_ranking_page(client, june):
    from django.urls import reverse

    AssessmentScheme.objects.create(
        plan=june.plan, valid_from=date(2023, 1, 1), rules=STRICT_RULES, note="年初施行"
    )
    client.force_login(june.supervisor)
    page = client.get(reverse("supervision:assessment"), {"plan": june.plan.pk, "month": "2023-06"})
    assert page.context["bonus_form"] is not None
    url = reverse("supervision:assessment_bonus") + f"?plan={june.plan.pk}"
    awarded = {
        "unit": june.unit_a.pk,
        "rule": "praise",
        "points": "4",
        "reason": "县委书记批示肯定",
        "awarded_on": "2023-06-12",
    }
    response = client.post(url, awarded)
    assert response.status_code == 302 and "month=2023-06" in response["Location"]
    bonus = AssessmentBonus.objects.get()
    assert (bonus.points, bonus.entered_by, bonus.reason) == (4, june.supervisor, "县委书记批示肯定")
    praise = scores(june.plan, 2023, 6)[june.unit_a.name].lines[3]
    assert (praise.points, praise.reasons) == (4, ("县委书记批示肯定",))
    # Refusals name what is wrong and write nothing: no reason, a rule the scheme lacks, a day of
    # another year, a reporter.
    for changes in ({"reason": ""}, {"rule": "nope"}, {"awarded_on": "2022-06-12"}, {"points": "0"}):
        client.post(url, awarded | changes)
    assert AssessmentBonus.objects.count() == 1
    client.force_login(june.reporter_a)
    assert client.post(url, awarded).status_code == 403
    assert AssessmentBonus.objects.count() == 1
