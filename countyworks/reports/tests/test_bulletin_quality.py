"""The supervision bulletin of the Huguan demo read as a leader would, with the review's checks
(tests/quality.py): the HTML, the Word file and the PDF say no internal id, no doubled word, no
line or entry twice, every number comes from a record, and the fonts are the GB/T 9704 faces in
Word and Simplified-Chinese faces, embedded, in the PDF."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from docx import Document

from countyworks.demo import services as demo_services
from countyworks.regions.models import Region
from countyworks.reports.builders.bulletin import build_bulletin
from countyworks.reports.render_docx import TYPE_AREA_WIDTH_MM, column_widths_mm, render_docx
from countyworks.reports.render_html import render_standalone
from countyworks.reports.render_pdf import docx_to_pdf
from countyworks.reports.tests import quality

PERIODS = {
    "june": (date(2023, 6, 1), date(2023, 6, 30)),  # the month the demo opens on, from history
    "year": (date(2023, 1, 1), date(2023, 12, 31)),
}


@pytest.fixture
def county(db, monkeypatch):
    monkeypatch.setenv("COUNTYWORKS_DEMO_ACCOUNTS", "1")  # the year's reports and notices need the accounts
    demo_services.load_demo(with_activity=True)
    return Region.objects.get(code="140427")


@pytest.fixture(params=sorted(PERIODS))
def bulletin(request, county):
    start, end = PERIODS[request.param]
    return build_bulletin(county, start, end)


def _tables(report):
    sections = list(report.sections)
    while sections:
        section = sections.pop()
        sections.extend(section.subsections)
        yield from section.tables


def _allowed_numbers(report) -> set[str]:
    """The figures, the stored names, and what the builder put in its tables and headings."""
    allowed = quality.figure_numbers(report) | quality.record_numbers()
    texts = [report.title, report.subtitle, *(s.title for s in report.sections)]
    for table in _tables(report):
        texts += [table.title, *table.headers, *(cell for row in table.rows for cell in row)]
    for text in texts:
        allowed.update(quality.NUMBER.findall(text))
    # Page numbers and list numbering the renderers add.
    allowed.update(str(n) for n in range(1, 10))
    return allowed


def test_its_sentences_carry_only_figures_and_each_entry_once(bulletin):
    stated = quality.figure_numbers(bulletin) | quality.record_numbers()
    for paragraph in bulletin.walk_paragraphs():
        for number in quality.NUMBER.findall(paragraph.text):
            assert number in stated, (paragraph.text, number)
    for table in _tables(bulletin):
        rows = [tuple(row) for row in table.rows]
        assert len(rows) == len(set(rows)), (table.headers, rows)
        # An entry (a unit, an item) is named once in a table's first column.
        firsts = [row[0] for row in rows if table.headers[0] not in ("名次", "榜单", "状态", "红黑榜")]
        assert len(firsts) == len(set(firsts)), (table.headers, firsts)


def test_the_html_and_word_file_read_cleanly(bulletin):
    allowed = _allowed_numbers(bulletin)
    quality.check_text(quality.html_text(render_standalone(bulletin)), allowed, "html")
    data = render_docx(bulletin)
    quality.check_text(quality.docx_text(data), allowed, "docx")
    faces = quality.docx_east_asian_faces(data)
    assert {"方正小标宋简体", "仿宋_GB2312", "黑体"} <= faces, faces


def test_the_pdf_reads_cleanly_in_simplified_chinese_faces(bulletin, tmp_path):
    path = tmp_path / "bulletin.pdf"
    path.write_bytes(docx_to_pdf(render_docx(bulletin)))
    text = quality.pdf_text(path)
    assert not quality.INTERNAL_ID.search(text), quality.INTERNAL_ID.search(text).group()
    assert not re.search(r"第\d+–\d+字", text)
    assert not quality.wording.doubled_words(text), quality.wording.doubled_words(text)
    assert bulletin.title in text
    quality.check_pdf_fonts(path)


def test_its_tables_give_names_the_room_they_need(bulletin):
    """Word tables were split into equal columns, so a unit's name broke every two characters."""
    ranking = next(t for t in _tables(bulletin) if t.headers[:2] == ["名次", "责任单位"])
    widths = column_widths_mm(ranking)
    assert abs(sum(widths) - TYPE_AREA_WIDTH_MM) < 0.01
    assert widths[1] == max(widths) and widths[1] > 2.5 * widths[0]
    document = Document(io.BytesIO(render_docx(bulletin)))
    grid = next(t for t in document.tables if t.rows[0].cells[1].text == "责任单位")
    assert [round(c.width.mm) for c in grid.columns] == [round(w) for w in widths]
