import json

import pytest
from django.core.management import CommandError, call_command

from countyworks.honours.models import Honour
from countyworks.indicators.models import Indicator, Observation
from countyworks.plans.models import WorkItem
from countyworks.reading.models import DraftRecord, DraftState, ProposalKind
from countyworks.reading.services import text_sha256
from countyworks.reading.tests.texts import PLAN_2023, REVIEW_2023
from countyworks.sources.models import Citation, Document


@pytest.fixture
def review_file(tmp_path):
    path = tmp_path / "review-2023.txt"
    path.write_text(REVIEW_2023, encoding="utf-8")
    return path


def test_it_stores_the_document_and_proposes_drafts_without_domain_records(cast, review_file, capsys):
    items_before = WorkItem.objects.count()
    call_command("read_document", str(review_file), "--region", "140427", "--year", "2023")
    document = Document.objects.get()
    assert document.text == REVIEW_2023
    assert document.text_sha256 == text_sha256(REVIEW_2023)
    assert (document.region, document.year, document.title) == (cast.county, 2023, "review-2023")
    kinds = {d.kind for d in document.drafts.all()}
    assert {
        ProposalKind.OBSERVATION,
        ProposalKind.ITEM_COUNT,
        ProposalKind.HONOUR,
        ProposalKind.KEY_PROJECT,
    } <= kinds
    assert ProposalKind.NOT_A_FIGURE in kinds  # 亿元以上 is a threshold
    assert set(document.drafts.values_list("state", flat=True)) == {DraftState.PROPOSED}
    assert Observation.objects.count() == 0
    assert Indicator.objects.count() == 0
    assert Honour.objects.count() == 0
    assert Citation.objects.count() == 0
    assert WorkItem.objects.count() == items_before
    out = capsys.readouterr().out
    assert f"document {document.pk}" in out and "honour" in out


def test_it_reads_each_mention_into_the_proposed_fields(cast, review_file):
    call_command("read_document", str(review_file), "--region", "140427", "--year", "2023")
    drafts = {d.text: d for d in DraftRecord.objects.exclude(kind=ProposalKind.KEY_PROJECT)}
    gdp = drafts["约120.5亿元"]
    assert gdp.fields["indicator"] == "全县地区生产总值"
    assert (gdp.fields["value"], gdp.fields["unit"], gdp.fields["qualifier"]) == (
        "12050000000",
        "元",
        "approx",
    )
    growth = drafts["5.3%"]
    assert (growth.fields["value_kind"], growth.fields["base_year"]) == ("growth", 2022)
    multiple = drafts["2.1倍"]
    assert (multiple.fields["value_kind"], multiple.fields["base_year"]) == ("multiple", 2015)
    assert drafts["16件"].kind == ProposalKind.ITEM_COUNT
    assert drafts["全国县域商业体系建设示范县"].fields["level"] == "national"


def test_it_prints_a_json_summary_under_the_hyphenated_name_too(cast, review_file, capsys):
    call_command("read-document", str(review_file), "--region", "140427", "--year", "2023", "--json")
    summary = json.loads(capsys.readouterr().out)
    document = Document.objects.get()
    assert summary["document"] == document.pk
    assert summary["drafts"] == document.drafts.count()
    assert summary["by_state"] == {"proposed": document.drafts.count()}


def test_it_refuses_an_unknown_region_and_a_second_reading_of_the_same_text(cast, review_file):
    with pytest.raises(CommandError, match="--region"):
        call_command("read_document", str(review_file), "--region", "999999", "--year", "2023")
    call_command("read_document", str(review_file), "--region", "140427", "--year", "2023")
    with pytest.raises(CommandError, match="review-2023"):  # names the document already read
        call_command("read_document", str(review_file), "--region", "140427", "--year", "2023")
    assert Document.objects.count() == 1


def test_it_proposes_the_goal_tree_of_a_plan_text(cast, tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(PLAN_2023, encoding="utf-8")
    call_command("read_document", str(path), "--region", "140427", "--year", "2023", "--kind", "plan")
    nodes = DraftRecord.objects.filter(kind=ProposalKind.PLAN_NODE).order_by("start")
    assert [n.fields["title"] for n in nodes] == ["产业振兴", "特色农业", "文旅融合"]
    assert nodes[1].fields["parent_start"] == nodes[0].start
    tasks = DraftRecord.objects.filter(kind=ProposalKind.PLAN_TASK).order_by("start")
    assert [t.fields["title"] for t in tasks] == ["加快建设中药材种植基地。", "推进景区提质改造。"]
