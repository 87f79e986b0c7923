"""What people type is shown as text everywhere: on every page, in Excel and in Word.

A work item titled with a script tag, a report and an evidence caption carrying HTML, a notice
and an instruction with markup: each page that shows them must print the characters, never
the markup. The Excel ledger stores a title that starts with "=" as text, not as a formula.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from countyworks.core.tests.matrix import PNG_1X1
from countyworks.plans.models import ItemKind, ItemStatus, WorkItem
from countyworks.supervision.models import Evidence, Instruction, Notice, ProgressReport, ReviewState

TITLE = "<script>alert(1)</script>"
ESCAPED_TITLE = "&lt;script&gt;alert(1)&lt;/script&gt;"
CAPTION = '<img src=x onerror="alert(2)">'
REPORT_TEXT = "<b>进展</b><script>alert(3)</script>"
NOTICE_TEXT = "<iframe src=//evil></iframe>请整改"
INSTRUCTION_TEXT = "<a href=javascript:alert(4)>批示</a>"
FORMULA_TITLE = '=HYPERLINK("http://evil.example","点我")'
HOSTILE = (TITLE, CAPTION, REPORT_TEXT, NOTICE_TEXT, INSTRUCTION_TEXT)


@pytest.fixture
def hostile(cast, settings, tmp_path):
    """The cast's item A with hostile text in every field a person writes, and a formula-like title."""
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    item = cast.item_a
    item.title = TITLE
    item.status = ItemStatus.IN_PROGRESS
    item.due_date = today - timedelta(days=3)  # overdue: the dashboard lists it
    item.save()
    WorkItem.objects.create(
        plan=cast.plan,
        kind=ItemKind.ROUTINE,
        title=FORMULA_TITLE,
        lead_unit=cast.unit_a,
        start_date=date(2023, 1, 1),
        due_date=date(2023, 12, 31),
        published=True,
    )
    approved = ProgressReport.objects.create(
        item=item,
        period="2023-06",
        text=REPORT_TEXT,
        progress=Decimal("50"),
        unit=cast.unit_a,
        submitted_by=cast.reporter_a,
        submitted_at=datetime(2023, 6, 30, tzinfo=UTC),
        state=ReviewState.APPROVED,
        reviewed_by=cast.supervisor,
    )
    evidence = Evidence(report=approved, kind="photo", caption=CAPTION, content_type="image/png", public=True)
    evidence.file.save("x.png", ContentFile(PNG_1X1), save=False)
    evidence.save()
    submitted = ProgressReport.objects.create(
        item=item,
        period="2023-09",
        text=REPORT_TEXT,
        progress=Decimal("60"),
        unit=cast.unit_a,
        submitted_by=cast.reporter_a,
        submitted_at=datetime(2023, 9, 30, tzinfo=UTC),
    )
    notice = Notice.objects.create(
        number="督办〔2023〕1号",
        item=item,
        unit=cast.unit_a,
        content=NOTICE_TEXT,
        deadline=date(2023, 12, 1),
        issued_by=cast.supervisor,
        issued_at=datetime(2023, 10, 1, tzinfo=UTC),
    )
    Instruction.objects.create(item=item, author=cast.leader, text=INSTRUCTION_TEXT)
    return {"item": item, "submitted": submitted, "notice": notice, "evidence": evidence}


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _assert_shown_as_text(html: str, where: str, *, shown: tuple[str, ...]) -> None:
    for raw in HOSTILE:
        assert raw not in html, f"{where} prints {raw!r} as markup"
    for raw in shown:
        escaped = raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        # Templates escape quotes as &quot; or &#x27;; compare on the part before the first quote.
        head = escaped.split('"')[0]
        assert head in html, f"{where} does not show {raw!r} as text"


PAGES = [
    # (page, who looks, url builder, hostile texts the page must show as text)
    ("ledger", "supervisor", lambda h: reverse("ledger:list"), (TITLE,)),
    (
        "item page",
        "supervisor",
        lambda h: reverse("ledger:item", args=[h["item"].pk]),
        (TITLE, REPORT_TEXT, CAPTION, INSTRUCTION_TEXT),
    ),
    ("plan tree", "supervisor", lambda h: reverse("ledger:tree"), (TITLE,)),
    ("dashboard", "supervisor", lambda h: reverse("supervision:dashboard"), (TITLE,)),
    ("review queue", "supervisor", lambda h: reverse("supervision:reviews"), (TITLE,)),
    (
        "review page",
        "supervisor",
        lambda h: reverse("supervision:review", args=[h["submitted"].pk]),
        (TITLE, REPORT_TEXT),
    ),
    ("notices", "supervisor", lambda h: reverse("supervision:notices"), (TITLE,)),
    (
        "notice page",
        "reporter_a",
        lambda h: reverse("supervision:notice", args=[h["notice"].pk]),
        (TITLE, NOTICE_TEXT),
    ),
    ("report form", "reporter_a", lambda h: reverse("supervision:report_new", args=[h["item"].pk]), (TITLE,)),
    ("item editor", "supervisor", lambda h: reverse("plans:item_edit", args=[h["item"].pk]), (TITLE,)),
    ("portal county page", None, lambda h: reverse("portal:region", args=["140427"]), (TITLE,)),
    (
        "reports review HTML",
        "supervisor",
        lambda h: reverse("reports:review", args=["140427", 2023]),
        (TITLE,),
    ),
]


@pytest.mark.parametrize(("page", "who", "build", "shown"), PAGES, ids=[p[0] for p in PAGES])
def test_it_shows_hostile_text_as_text_on_every_page(hostile, cast, page, who, build, shown):
    response = _client(getattr(cast, who) if who else None).get(build(hostile))
    assert response.status_code == 200, page
    _assert_shown_as_text(response.content.decode(), page, shown=shown)


def test_it_returns_hostile_text_verbatim_in_api_json(hostile, cast):
    client = _client(cast.supervisor)
    body = client.get(reverse("api:get_item", args=[hostile["item"].pk])).json()
    assert body["title"] == TITLE
    assert client.get(reverse("api:get_item", args=[hostile["item"].pk]))["Content-Type"].startswith(
        "application/json"
    )
    reports = client.get(reverse("api:list_reports") + f"?item={hostile['item'].pk}").json()
    assert {r["text"] for r in reports["results"]} == {REPORT_TEXT}


def _ledger_cells(data: bytes) -> list:
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


LEDGER_SOURCES = [
    "ledger screen export",
    "reports ledger workbook",
]


@pytest.mark.parametrize("source", LEDGER_SOURCES)
def test_it_keeps_titles_as_literal_text_cells_in_the_excel_ledger(hostile, cast, source):
    client = _client(cast.supervisor)
    if source == "ledger screen export":
        response = client.get(reverse("ledger:list") + "?format=xlsx")
    else:
        response = client.get(reverse("reports:ledger", args=["140427", 2023]))
    assert response.status_code == 200
    cells = _ledger_cells(b"".join(response.streaming_content) if response.streaming else response.content)
    script_cells = [c for c in cells if c.value == TITLE]
    assert script_cells, f"{source}: the script title is not a cell value as written"
    formula_cells = [c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert formula_cells, f"{source}: the formula-like title is missing"
    for cell in formula_cells:
        # openpyxl reads a formula back with data_type "f"; a title must stay a plain string.
        assert cell.data_type == "s", f"{source}: {cell.coordinate} is stored as a formula: {cell.value!r}"


def test_it_escapes_hostile_text_in_the_word_review(hostile, cast):
    response = _client(cast.supervisor).get(reverse("reports:review", args=["140427", 2023]) + "?format=docx")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as package:
        xml = package.read("word/document.xml").decode()
    assert "<script>" not in xml
    assert ESCAPED_TITLE in xml, "the review does not print the item title as escaped text"


def test_it_escapes_hostile_text_in_the_word_bulletin(hostile, cast):
    """The bulletin ranks units by name (it lists no item titles), so the unit's name is the hostile text."""
    cast.unit_a.name = "<script>单位</script>"
    cast.unit_a.save()
    # The bulletin reads the ledger as it stood on date_to (history): the test's items exist from today.
    query = f"?region=140427&date_from=2023-01-01&date_to={date.today().isoformat()}&format=docx"
    response = _client(cast.supervisor).get(reverse("reports:bulletin") + query)
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as package:
        xml = package.read("word/document.xml").decode()
    assert "<script>" not in xml
    assert "&lt;script&gt;单位&lt;/script&gt;" in xml, (
        "the bulletin does not print the unit's name as escaped text"
    )


def test_it_keeps_chart_data_on_the_dashboard_inert(hostile, cast):
    """Chart data is embedded as JSON; a title in it must not close the script element."""
    html = _client(cast.supervisor).get(reverse("supervision:dashboard")).content.decode()
    assert "</script><script>" not in html
    assert json.dumps(TITLE)[1:-1] not in html or "\\u003C" in html or ESCAPED_TITLE in html


def test_it_shows_a_document_read_in_with_markup_as_text(hostile, cast):
    """The reading screens print a document's own text with marks around mentions: the text stays text."""
    from countyworks.reading.services import read_document

    document = read_document(
        cast.supervisor,
        text=f"{TITLE}全县地区生产总值完成120亿元，增长5%。{CAPTION}",
        region=cast.county,
        year=2023,
    )
    client = _client(cast.supervisor)
    for name in ("reading:review", "reading:document"):
        response = client.get(reverse(name, args=[document.pk]))
        assert response.status_code == 200, name
        _assert_shown_as_text(response.content.decode(), name, shown=(TITLE,))


def test_it_shows_an_observation_note_with_markup_as_text(hostile, cast):
    from countyworks.indicators.models import Indicator, Observation

    indicator = Indicator.objects.create(code="escape-gdp", name=f"产值{TITLE}", unit="亿元")
    observation = Observation.objects.create(
        indicator=indicator,
        region=cast.county,
        year=2023,
        value=120,
        unit="亿元",
        note=CAPTION,
        published=True,
    )
    from countyworks.indicators.models import Target

    target = Target.objects.create(indicator=indicator, region=cast.county, year=2024, value=130, unit="亿元")
    client = _client(cast.supervisor)
    for url in (
        reverse("indicators:list") + "?region=140427",
        reverse("indicators:detail", args=[indicator.pk]) + "?region=140427",
        # The entry screens: the indicator's name in the choice list, the note in its text box.
        reverse("indicators:observation_new") + "?region=140427",
        reverse("indicators:observation_edit", args=[observation.pk]) + "?region=140427",
        reverse("indicators:target_new") + "?region=140427",
        reverse("indicators:target_edit", args=[target.pk]) + "?region=140427",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_shown_as_text(response.content.decode(), url, shown=(TITLE,))
