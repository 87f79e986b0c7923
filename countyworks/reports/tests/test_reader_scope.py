"""Reports are built for their reader: a unit reporter's review, bulletin and ledger hold only what
the ledger shows that reporter; a leader's hold the whole county."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from countyworks.accounts import policy
from countyworks.plans.models import WorkItem
from countyworks.reports.builders.bulletin import build_bulletin
from countyworks.reports.builders.review import build_review

YEAR = (date(2023, 1, 1), date(2023, 12, 31))


def _titles(cast, unit):
    return set(WorkItem.objects.filter(plan=cast.plan, lead_unit=unit).values_list("title", flat=True))


def _bulletin_text(report) -> str:
    parts = [p.text for p in report.walk_paragraphs()]
    for section in report.sections:
        for table in section.tables:
            parts += [" ".join(row) for row in table.rows]
    return "\n".join(parts)


@pytest.mark.parametrize(
    ("reader", "own", "other"), [("reporter_a", "unit_a", "unit_b"), ("reporter_b", "unit_b", "unit_a")]
)
def test_a_unit_reporters_review_names_only_its_units_items(year_data, cast, reader, own, other):
    user = getattr(cast, reader)
    text = build_review(cast.county, 2023, user=user).plain_text()
    visible = set(policy.visible_items(user).values_list("title", flat=True))
    others = _titles(cast, getattr(cast, other)) - visible
    assert others and not [title for title in others if title in text]
    count = policy.visible_items(user).filter(plan=cast.plan, internal=False).count()
    assert f"工作事项{count}项" in text


def test_a_leaders_review_names_every_unit_and_counts_the_whole_plan(year_data, cast):
    text = build_review(cast.county, 2023, user=cast.leader).plain_text()
    assert "峡谷景区提升工程" in text  # unit_b's project
    assert "工作事项10项" in text  # every item but the internal one


def test_a_unit_reporters_bulletin_holds_only_its_units_items_notices_and_ranking(year_data, cast):
    report = build_bulletin(cast.county, *YEAR, user=cast.reporter_b)
    text = _bulletin_text(report)
    sections = {s.key: s for s in report.sections}
    own = policy.visible_items(cast.reporter_b).filter(plan=cast.plan).count()
    assert f"纳入督查的工作事项{own}项" in text
    assert "城区供热管网改造" not in text  # unit_a's overdue item
    assert [row[1] for row in sections["ranking"].tables[0].rows] == [cast.unit_b.name]
    assert all(row[0] == cast.unit_b.name for row in sections["notices"].tables[0].rows)
    everything = _bulletin_text(build_bulletin(cast.county, *YEAR, user=cast.leader))
    assert "城区供热管网改造" in everything and cast.unit_a.name in everything


def test_the_review_screen_and_the_bulletin_download_are_built_for_the_reader(year_data, cast, client):
    client.force_login(cast.reporter_b)
    page = client.get(reverse("reports:review", args=["140427", 2023])).content.decode()
    assert "峡谷景区提升工程" in page and "测试重点项目甲" not in page
    client.force_login(cast.leader)
    page = client.get(reverse("reports:review", args=["140427", 2023])).content.decode()
    assert "测试重点项目甲" in page


def test_the_ledger_workbook_of_a_reporter_lists_its_items_only(year_data, cast, client):
    client.force_login(cast.reporter_a)
    book = load_workbook(io.BytesIO(client.get(reverse("reports:ledger", args=["140427", 2023])).content))
    titles = {
        row[1] for name in book.sheetnames[1:] for row in book[name].iter_rows(min_row=2, values_only=True)
    }
    assert titles == set(
        policy.visible_items(cast.reporter_a).filter(plan=cast.plan).values_list("title", flat=True)
    )
