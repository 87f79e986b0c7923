"""The ledger workbook and the supervision bulletin, their screens and who may read them."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from countyworks.reports.builders.bulletin import build_bulletin
from countyworks.reports.builders.ledger import build_ledger
from countyworks.reports.render_xlsx import render_xlsx


def _workbook(cast):
    return load_workbook(io.BytesIO(render_xlsx(build_ledger(cast.county, 2023))))


def test_it_writes_a_summary_and_one_sheet_per_item_kind(year_data, cast):
    book = _workbook(cast)
    assert book.sheetnames == ["汇总", "重点项目", "民生实事", "整改事项", "调研课题", "专项行动", "常规工作"]
    summary = {row[0]: row[1:] for row in book["汇总"].iter_rows(min_row=2, values_only=True)}
    assert summary["民生实事"] == (2, 1, 0, 0, 1)  # items, done, green, yellow, red (heating: overdue)
    sheet = book["重点项目"]
    headers = [c.value for c in sheet[1]]
    assert headers == [
        "序号",
        "任务内容",
        "牵头县领导",
        "责任单位",
        "配合单位",
        "完成时限",
        "进度",
        "状态",
        "红黄绿灯",
        "是否逾期",
    ]
    first = [c.value for c in sheet[2]]
    assert first[1] == "测试重点项目甲" and first[2] == "测试县长" and first[3] == "县发展和改革局"


def test_it_freezes_the_header_filters_and_fits_chinese_columns(year_data, cast):
    sheet = _workbook(cast)["民生实事"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:J3"
    # 城区供热管网改造: 8 CJK characters = 16 columns, plus a margin.
    assert sheet.column_dimensions["B"].width == 18
    light_cells = {sheet.cell(row=r, column=2).value: sheet.cell(row=r, column=9) for r in (2, 3)}
    assert light_cells["城区供热管网改造"].value == "红灯"  # due 31 October at 60 %, read in November
    assert light_cells["城区供热管网改造"].fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet.cell(row=2, column=10).value in ("是", "否")


def test_it_keeps_hostile_titles_as_text_in_the_workbook(year_data, cast):
    year_data.project_tourism.title = "<script>alert(1)</script>"
    year_data.project_tourism.save()
    cast.item_a.title = '=HYPERLINK("http://x")'
    cast.item_a.save()
    sheet = _workbook(cast)["重点项目"]
    cells = {sheet.cell(row=r, column=2).value: sheet.cell(row=r, column=2) for r in (2, 3)}
    assert "<script>alert(1)</script>" in cells
    assert cells['=HYPERLINK("http://x")'].data_type == "s"


def test_it_limits_a_reporters_ledger_to_the_items_of_their_unit(year_data, cast, client):
    client.force_login(cast.reporter_b)
    response = client.get(reverse("reports:ledger", args=["140427", 2023]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    titles = {
        row[1] for name in book.sheetnames[1:] for row in book[name].iter_rows(min_row=2, values_only=True)
    }
    assert "峡谷景区提升工程" in titles
    assert "测试重点项目甲" not in titles


def test_it_refuses_the_ledger_to_another_county(year_data, cast, client):
    client.force_login(cast.outsider_supervisor)
    assert client.get(reverse("reports:ledger", args=["140427", 2023])).status_code == 403


def test_it_reports_status_lights_overdue_ranking_and_notices_in_the_bulletin(year_data, cast):
    report = build_bulletin(cast.county, date(2023, 1, 1), date(2023, 12, 31))
    sections = {s.key: s for s in report.sections}
    assert list(sections) == ["overall", "directions", "overdue", "ranking", "notices"]
    assert (
        sections["overall"].paragraphs[0].text == "纳入督查的工作事项11项，未开始6项，推进中2项，已完成3项。"
    )
    lights = dict(sections["overall"].tables[1].rows)
    # Read on 15 November: the heating project is overdue; 测试重点项目甲 (not started) and the safety
    # campaign (20 %) are far behind a plan that ends in December.
    assert (lights["红灯"], lights["黄灯"], lights["已完成"]) == ("3", "0", "3")
    assert sections["overdue"].tables[0].rows == [["县发展和改革局", "1", "城区供热管网改造"]]
    ranking = sections["ranking"].tables[0].rows
    assert [row[1] for row in ranking] == ["县文化和旅游局", "县发展和改革局"]
    assert sections["notices"].paragraphs[0].text == "本期下发督办单2件，已回复1件。"
    directions = {row[0]: row[1:] for row in sections["directions"].tables[0].rows}
    assert directions["乡村振兴与全域旅游"] == ["1", "1", "100%"]


def test_it_downloads_the_bulletin_as_word_for_staff_only(year_data, cast, client):
    url = reverse("reports:bulletin") + "?region=140427&date_from=2023-01-01&date_to=2023-12-31&format=docx"
    client.force_login(cast.leader)
    response = client.get(url)
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == 'attachment; filename="bulletin-140427-2023-01-01-2023-12-31.docx"'
    )
    document = Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    ranking = document.tables[-2]
    assert ranking.rows[1].cells[1].text == "县文化和旅游局"
    assert ranking.rows[1].cells[1].paragraphs[0].style.name == "CW Table"
    assert texts[:2] == ["壶关县重点工作督查通报", "（2023年1月1日至2023年12月31日）"]
    assert "w:tblHeader" in ranking.rows[0]._tr.xml
    assert "四、单位排名" in texts
    client.force_login(cast.outsider_supervisor)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("region=140427&date_from=2023-12-31&date_to=2023-01-01", "The period ends before it starts."),
        ("region=140427&date_from=nonsense&date_to=2023-01-01", "Enter a valid date."),
    ],
)
def test_it_names_the_field_of_a_bad_bulletin_request(cast, client, query, message, settings):
    settings.LANGUAGE_CODE = "en"
    client.force_login(cast.supervisor)
    response = client.get(reverse("reports:bulletin") + "?" + query, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert message in response.content.decode()
