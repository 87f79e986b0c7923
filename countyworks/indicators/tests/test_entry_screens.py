"""The screens that add and correct figures and targets, and the figure-table import."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from countyworks.indicators import figure_table, importer
from countyworks.indicators.models import Indicator, Observation, Target

D = Decimal
REGION = "?region=140427"


@pytest.fixture
def gdp(db):
    return Indicator.objects.create(code="gdp", name="地区生产总值", unit="亿元")


@pytest.fixture
def visitors(db):
    return Indicator.objects.create(code="visitors", name="接待游客", unit="万人次")


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _figure(gdp, **fields):
    data = {
        "indicator": gdp.pk,
        "year": "2023",
        "value_kind": "level",
        "value": "98.6",
        "qualifier": "nearly",
    }
    return data | fields


def test_a_supervisor_adds_a_figure_and_sees_it_on_the_indicator(cast, gdp):
    client = client_of(cast.supervisor)
    listing = client.get(reverse("indicators:list") + REGION).content.decode()
    assert reverse("indicators:observation_new") in listing
    response = client.post(reverse("indicators:observation_new") + REGION, _figure(gdp))
    assert response.status_code == 302
    stored = Observation.objects.get()
    assert (stored.value, stored.unit, stored.qualifier, stored.region) == (
        D("98.6"),
        "亿元",
        "nearly",
        cast.county,
    )
    page = client.get(response["Location"]).content.decode()
    assert "近98.6亿元" in page
    assert reverse("indicators:observation_edit", args=[stored.pk]) in page


def test_it_shows_a_refused_value_next_to_its_field(cast, gdp):
    client = client_of(cast.supervisor)
    response = client.post(reverse("indicators:observation_new") + REGION, _figure(gdp, unit="人"))
    assert response.status_code == 200
    assert Observation.objects.count() == 0
    form = response.context["form"]
    assert "unit" in form.errors and "亿元" in form.errors["unit"][0]


def test_it_refuses_the_add_screen_to_a_reporter_and_shows_no_links(cast, gdp):
    client = client_of(cast.reporter_a)
    assert client.get(reverse("indicators:observation_new") + REGION).status_code == 403
    assert client.post(reverse("indicators:observation_new") + REGION, _figure(gdp)).status_code == 403
    assert Observation.objects.count() == 0
    listing = client.get(reverse("indicators:list") + REGION).content.decode()
    assert reverse("indicators:observation_new") not in listing
    assert reverse("indicators:import") not in listing


def test_a_supervisor_corrects_a_figure_and_a_stale_form_keeps_their_values(cast, gdp):
    client = client_of(cast.supervisor)
    client.post(reverse("indicators:observation_new") + REGION, _figure(gdp))
    obs = Observation.objects.get()
    edit = reverse("indicators:observation_edit", args=[obs.pk])
    assert client.get(edit).context["form"].initial["value"] == "98.6"
    assert client.post(edit, _figure(gdp, value="99.1", version="1")).status_code == 302
    assert Observation.objects.get().value == D("99.1")
    stale = client.post(edit, _figure(gdp, value="100", version="1"))
    assert stale.status_code == 200
    assert stale.context["form"].non_field_errors()
    assert stale.context["form"]["value"].value() == "100"
    assert Observation.objects.get().value == D("99.1")


def test_a_supervisor_deletes_a_figure_softly(cast, gdp):
    client = client_of(cast.supervisor)
    client.post(reverse("indicators:observation_new") + REGION, _figure(gdp))
    obs = Observation.objects.get()
    response = client.post(reverse("indicators:observation_delete", args=[obs.pk]), {"version": "1"})
    assert response.status_code == 302
    assert Observation.all_objects.get(pk=obs.pk).deleted_at is not None
    assert "98.6" not in client.get(reverse("indicators:list") + REGION).content.decode()


def test_a_supervisor_adds_and_corrects_a_target(cast, gdp):
    client = client_of(cast.supervisor)
    data = {"indicator": gdp.pk, "year": "2025", "value": "120", "qualifier": "at_least"}
    assert client.post(reverse("indicators:target_new") + REGION, data).status_code == 302
    target = Target.objects.get()
    assert (target.value, target.unit, target.region) == (D("120"), "亿元", cast.county)
    edit = reverse("indicators:target_edit", args=[target.pk])
    assert edit in client.get(reverse("indicators:list") + REGION).content.decode()
    assert client.post(edit, data | {"value": "125", "version": "1"}).status_code == 302
    assert Target.objects.get().value == D("125")
    assert client_of(cast.viewer).get(edit).status_code == 403
    assert client_of(cast.outsider_supervisor).get(edit).status_code == 404


# The figure table ---------------------------------------------------------------------------


def workbook(rows, header=figure_table.COLUMNS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["测试县2023年指标数据表"])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD_ROWS = [
    ("地区生产总值", "", 2023, "", "", "水平", "近98.6", "亿元", "", "", "是", ""),
    ("gdp", "140427", 2023, "", "", "增速", 5.2, "%", "", 2022, "", "较上年"),
    ("接待游客", "", 2023, 3, "", "", 120, "万人次", "超", "", "否", ""),
]


def _upload(client, content: bytes):
    return client.post(
        reverse("indicators:import") + REGION, {"file": SimpleUploadedFile("figures.xlsx", content)}
    )


def test_it_previews_a_good_table_then_stores_every_figure(cast, gdp, visitors, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_of(cast.supervisor)
    preview = _upload(client, workbook(GOOD_ROWS))
    assert preview.status_code == 200
    assert Observation.objects.count() == 0  # the preview writes nothing
    page = preview.content.decode()
    assert "近98.6亿元" in page and preview.context["preview"].ok
    token = preview.context["token"]
    confirm = client.post(reverse("indicators:import_confirm") + REGION, {"token": token})
    assert confirm.status_code == 302
    stored = {(o.indicator.code, o.value_kind): o for o in Observation.objects.all()}
    assert len(stored) == 3
    assert (stored["gdp", "level"].qualifier, stored["gdp", "level"].published) == ("nearly", True)
    assert (stored["gdp", "growth"].base_year, stored["gdp", "growth"].unit) == (2022, "%")
    assert (stored["visitors", "level"].quarter, stored["visitors", "level"].qualifier) == (3, "over")
    # The pending file is gone: a second confirmation imports nothing twice.
    again = client.post(reverse("indicators:import_confirm") + REGION, {"token": token})
    assert again.status_code == 302 and Observation.objects.count() == 3


def test_a_bad_row_stops_the_whole_table_and_names_the_row(cast, gdp, visitors, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    rows = [*GOOD_ROWS, ("地区生产总值", "", 2022, "", "", "", "九十", "亿元", "", "", "", "")]
    response = _upload(client_of(cast.supervisor), workbook(rows))
    assert response.status_code == 200
    problems = [str(p) for p in response.context["preview"].problems]
    assert len(problems) == 1 and "6" in problems[0] and "数值" in problems[0]
    assert response.context["token"] == ""
    assert Observation.objects.count() == 0


def test_the_import_itself_is_all_or_nothing(cast, gdp, visitors, tmp_path):
    Observation.objects.create(
        indicator=visitors, region=cast.county, year=2023, quarter=3, value=1, unit="万人次"
    )
    path = tmp_path / "figures.xlsx"
    path.write_bytes(workbook(GOOD_ROWS))
    with pytest.raises(importer.FigureImportError) as caught:
        importer.run_import(cast.supervisor, cast.county, str(path))
    assert [p.row for p in caught.value.problems] == [5]
    assert "1万人次" in caught.value.problems[0].message and "年份" in caught.value.problems[0].message
    assert Observation.objects.count() == 1


@pytest.mark.parametrize(
    ("row", "words"),
    [
        (("不存在的指标", "", 2023, "", "", "", 1, "", "", "", "", ""), "不存在的指标"),
        (("gdp", "140428", 2023, "", "", "", 1, "", "", "", "", ""), "地区代码"),
        (("gdp", "", "", "", "", "", 1, "", "", "", "", ""), "年份"),
        (("gdp", "", 2023, "", "", "比重", 1, "", "", "", "", ""), "数值类型"),
        (("gdp", "", 2023, "", "", "", 1, "吨", "", "", "", ""), "单位"),
        (("gdp", "", 2023, "", "", "", 1, "", "大概", "", "", ""), "限定词"),
    ],
)
def test_it_says_what_is_wrong_with_a_row(cast, gdp, tmp_path, row, words):
    path = tmp_path / "figures.xlsx"
    path.write_bytes(workbook([row]))
    preview = importer.preview_import(cast.supervisor, cast.county, str(path))
    assert [p.row for p in preview.problems] == [3]
    assert words in str(preview.problems[0])


def test_it_refuses_a_file_that_is_not_a_workbook_and_a_repeated_row(cast, gdp, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    response = _upload(client_of(cast.supervisor), b"not a workbook")
    assert response.status_code == 200 and response.context["form"].errors["file"]
    path = tmp_path / "twice.xlsx"
    path.write_bytes(workbook([GOOD_ROWS[0], GOOD_ROWS[0]]))
    preview = importer.preview_import(cast.supervisor, cast.county, str(path))
    assert [p.row for p in preview.problems] == [4] and "3" in str(preview.problems[0])


def test_a_file_that_is_not_a_workbook_is_the_figure_imports_own_error(cast, tmp_path, settings):
    path = tmp_path / "figures.xlsx"
    path.write_bytes(b"not a workbook")
    for step in (importer.preview_import, importer.run_import):
        with pytest.raises(importer.FigureImportError) as caught:
            step(cast.supervisor, cast.county, str(path))
        assert [p.row for p in caught.value.problems] == [0] and caught.value.field == "file"
    # Through the screen, the refused upload does not stay behind waiting for a confirmation.
    settings.MEDIA_ROOT = tmp_path / "media"
    _upload(client_of(cast.supervisor), b"not a workbook")
    assert list((tmp_path / "media" / "imports").iterdir()) == []


def test_a_forged_token_imports_nothing(cast, gdp, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_of(cast.supervisor)
    response = client.post(reverse("indicators:import_confirm") + REGION, {"token": "../../etc/passwd"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("indicators:import"))
    assert Observation.objects.count() == 0


def test_the_template_reads_back_as_an_empty_table_and_lists_the_indicators(cast, gdp):
    response = client_of(cast.supervisor).get(reverse("indicators:import_template") + REGION)
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert ["gdp", "地区生产总值", "亿元"] in [list(r) for r in book["指标清单"].iter_rows(values_only=True)]
    table = figure_table.read_figure_table(book)
    assert table.rows == [] and table.problems == []  # the example rows are skipped
    assert client_of(cast.leader).get(reverse("indicators:import_template") + REGION).status_code == 403


def test_a_second_confirmation_during_the_first_imports_nothing_and_says_why(
    cast, gdp, visitors, settings, tmp_path, monkeypatch
):
    """A double click or a second tab: the second confirmation arrives while the first is importing."""
    settings.MEDIA_ROOT = tmp_path
    client = client_of(cast.supervisor)
    token = _upload(client, workbook(GOOD_ROWS)).context["token"]
    real_import, seconds = importer.run_import, []

    def import_then_a_second_click_arrives(*args, **kwargs):
        created = real_import(*args, **kwargs)
        if not seconds:  # the first import has written, and its request has not finished yet
            seconds.append(
                client.post(reverse("indicators:import_confirm") + REGION, {"token": token}, follow=True)
            )
        return created

    monkeypatch.setattr(importer, "run_import", import_then_a_second_click_arrives)
    first = client.post(reverse("indicators:import_confirm") + REGION, {"token": token}, follow=True)
    assert first.redirect_chain[-1][0].startswith(reverse("indicators:list"))
    assert Observation.objects.count() == 3
    second = seconds[0]
    assert second.redirect_chain[-1][0].startswith(reverse("indicators:import"))
    assert [str(m) for m in second.context["messages"]] == ["该文件已导入或正在导入。"]
    third = client.post(reverse("indicators:import_confirm") + REGION, {"token": token}, follow=True)
    assert [str(m) for m in third.context["messages"]] == ["该文件已导入或正在导入。"]
    assert Observation.objects.count() == 3


def test_a_confirmation_that_fails_shows_the_rows_and_leaves_no_file(cast, gdp, visitors, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_of(cast.supervisor)
    token = _upload(client, workbook(GOOD_ROWS)).context["token"]
    # Between the preview and the confirmation someone else entered the same figure.
    Observation.objects.create(
        indicator=visitors, region=cast.county, year=2023, quarter=3, value=1, unit="万人次"
    )
    response = client.post(reverse("indicators:import_confirm") + REGION, {"token": token})
    assert response.status_code == 200 and "1万人次" in response.content.decode()
    assert Observation.objects.count() == 1
    assert list((tmp_path / "imports").iterdir()) == []
