"""Export → import into an empty database → export gives the same bytes; a second import changes nothing."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from countyworks.interchange import common, exporting, importing
from countyworks.interchange.formatspec import build_schema
from countyworks.interchange.tests.factories import build_region_year, row_counts, wipe_database
from countyworks.plans.models import PlanNode, WorkItem
from countyworks.regions.models import Person
from countyworks.supervision.models import Instruction


@pytest.fixture
def exported(cast, settings, tmp_path) -> str:
    settings.MEDIA_ROOT = tmp_path / "media"
    build_region_year(cast)
    return exporting.export_json("140427", 2023)


def test_it_writes_every_section_sorted_and_without_phone_numbers(exported):
    data = json.loads(exported)
    assert data["format_version"] == 2
    assert not {"light", "is_overdue", "light_updated_on"} & set(data["items"][0])
    assert [r["code"] for r in data["regions"]] == ["140000", "140400", "140427"]
    assert {u["username"] for u in data["users"]} == {"reporter_a", "supervisor", "leader"}
    assert all("phone" not in p for p in data["people"])
    assert "13800000000" not in exported
    assert len(data["plan_nodes"]) == 13 and len({n["uid"] for n in data["plan_nodes"]}) == 13
    item = next(i for i in data["items"] if i["title"] == "测试重点项目甲")
    assert item["co_units"] == [["140427", "县文化和旅游局"]]
    assert item["total_investment"] == "120000000.00"
    assert item["milestones"] == [{"title": "开工", "due_date": "2023-03-01", "done_on": "2023-03-05"}]
    assert data["progress_reports"][0]["evidence"][0]["caption"] == "工地"
    assert data["progress_reports"][0]["reviewed_at"] == "2023-07-01T09:30:15.123456Z"
    assert [o["qualifier"] for o in data["observations"]].count("nearly") == 1


def test_it_includes_phone_numbers_only_when_asked(cast, exported):
    data = exporting.export_region_year("140427", 2023, include_private=True)
    assert {p["name"]: p["phone"] for p in data["people"]}["张三"] == "13800000000"


def test_it_gives_identical_bytes_after_import_into_an_empty_database(exported):
    wipe_database()
    assert WorkItem.all_objects.count() == 0
    importing.import_region_year(json.loads(exported))
    assert exporting.export_json("140427", 2023) == exported


def test_it_changes_nothing_when_the_same_file_is_imported_twice(exported):
    wipe_database()
    importing.import_region_year(json.loads(exported))
    before = row_counts()
    summary = importing.import_region_year(json.loads(exported))
    assert row_counts() == before
    assert summary.created == {} and summary.updated == {}
    assert exporting.export_json("140427", 2023) == exported


def test_it_updates_rows_in_place_when_imported_over_changed_data(cast, exported):
    item = WorkItem.objects.get(title="测试重点项目甲")
    WorkItem.objects.filter(pk=item.pk).update(progress=0, description="被改动")
    items_before = WorkItem.all_objects.count()
    importing.import_region_year(json.loads(exported))
    item.refresh_from_db()
    assert item.progress == 45.5 and item.description == ""
    assert WorkItem.all_objects.count() == items_before


def test_it_keeps_instruction_times_and_imports_users_inactive(exported):
    wipe_database()
    importing.import_region_year(json.loads(exported))
    user_model = apps.get_model("accounts", "User")
    leader = user_model.objects.get(username="leader")
    assert not leader.is_active and not leader.has_usable_password()
    assert Instruction.objects.get().author == leader
    assert PlanNode.objects.filter(title="同名").count() == 11
    assert Person.objects.get(name="张三").phone == ""


def test_it_keeps_the_schema_file_equal_to_the_format_description():
    stored = json.loads(common.SCHEMA_PATH.read_text(encoding="utf-8"))
    assert stored == build_schema()


def test_it_runs_as_commands(exported, tmp_path, capsys):
    target = tmp_path / "out.json"
    call_command("export", "--region", "140427", "--year", "2023", "-o", str(target))
    assert target.read_text(encoding="utf-8") == exported
    wipe_database()
    call_command("import", str(target))
    assert "items: 2 created" in capsys.readouterr().out
    assert exporting.export_json("140427", 2023) == exported


def test_it_round_trips_the_huguan_demo_with_its_illustrative_activity(db, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("COUNTYWORKS_DEMO_ACCOUNTS", "1")
    call_command("loaddemo", verbosity=0)
    exported = exporting.export_json("140427", 2023)
    data = json.loads(exported)
    assert len(data["items"]) > 20 and len(data["citations"]) > 50 and data["progress_reports"]
    wipe_database()
    importing.import_region_year(data)
    assert exporting.export_json("140427", 2023) == exported


def test_it_keeps_phone_numbers_a_file_without_them_does_not_mention(exported):
    importing.import_region_year(json.loads(exported))
    assert Person.objects.get(name="张三").phone == "13800000000"


def test_it_names_an_unknown_region_on_export(db):
    with pytest.raises(CommandError, match="region: no region with code 999999"):
        call_command("export", "--region", "999999", "--year", "2023")


def test_it_carries_the_unit_heads_rule_decision_and_an_instructions_deadline(cast, settings, tmp_path):
    """issue 13: 单位审签 (the unit's rule, the head's decision) and an addressed instruction's deadline
    come back from the file as they were exported."""
    from datetime import date

    from countyworks.accounts.models import Role, User
    from countyworks.regions.models import Organisation
    from countyworks.supervision.models import ProgressReport

    settings.MEDIA_ROOT = tmp_path / "media"
    build_region_year(cast)
    Organisation.objects.filter(pk=cast.unit_a.pk).update(reports_need_head_approval=True)
    head = User.objects.create_user(username="head_a", role=Role.UNIT_HEAD, region=cast.county)
    report = ProgressReport.objects.filter(item=cast.item_a).order_by("id").first()
    ProgressReport.objects.filter(pk=report.pk).update(
        head_decided_by=head, head_decided_at=report.submitted_at, head_comment="同意报送"
    )
    Instruction.objects.filter(item=cast.item_a).update(deadline=date(2023, 12, 20))
    exported = exporting.export_json("140427", 2023)
    wipe_database()
    importing.import_region_year(json.loads(exported))
    assert Organisation.objects.get(name=cast.unit_a.name).reports_need_head_approval
    again = ProgressReport.objects.get(head_comment="同意报送")
    assert again.head_decided_by.username == "head_a" and again.head_decided_at == report.submitted_at
    assert set(Instruction.objects.values_list("deadline", flat=True)) == {date(2023, 12, 20)}
    assert exporting.export_json("140427", 2023) == exported


def test_it_carries_an_items_reporting_frequency_and_a_reports_late_mark(cast, settings, tmp_path):
    """issue 19: an item's own 报送频次 and a report's 迟报 mark come back as they were exported; a
    file without them (older) reads as the plan's cycle and on time."""
    from countyworks.supervision.models import ProgressReport

    settings.MEDIA_ROOT = tmp_path / "media"
    build_region_year(cast)
    WorkItem.objects.filter(pk=cast.item_a.pk).update(report_cadence="quarterly")
    report = ProgressReport.objects.filter(item=cast.item_a).order_by("id").first()
    ProgressReport.objects.filter(pk=report.pk).update(late=True)
    exported = exporting.export_json("140427", 2023)
    wipe_database()
    importing.import_region_year(json.loads(exported))
    assert WorkItem.objects.get(title=cast.item_a.title).report_cadence == "quarterly"
    assert ProgressReport.objects.filter(late=True).count() == 1
    assert exporting.export_json("140427", 2023) == exported
    older = json.loads(exported)
    for record in older["items"]:
        record.pop("report_cadence")
    for record in older["progress_reports"]:
        record.pop("late")
    wipe_database()
    importing.import_region_year(older)
    assert set(WorkItem.objects.values_list("report_cadence", flat=True)) == {""}
    assert not ProgressReport.objects.filter(late=True).exists()
