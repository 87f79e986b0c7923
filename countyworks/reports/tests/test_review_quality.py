"""The year-end review of the Huguan demo read as a leader would: the HTML, the Word file and the
PDF say no internal id, no doubled word, no honour or item twice, every number comes from a record,
and the PDF is set in Simplified-Chinese faces (never the JP ones of the Noto collections)."""

from __future__ import annotations

import pytest

from countyworks import wording
from countyworks.demo import services as demo_services
from countyworks.regions.models import Region
from countyworks.reports.builders.review import build_review
from countyworks.reports.render_docx import render_docx
from countyworks.reports.render_html import render_standalone
from countyworks.reports.render_pdf import docx_to_pdf
from countyworks.reports.sentences import CHECKS_TITLE
from countyworks.reports.tests import quality

MARKS = (CHECKS_TITLE, "附图", "来源说明")


@pytest.fixture
def review(db):
    demo_services.load_demo(with_activity=True)
    county = Region.objects.get(code="140427")
    return build_review(county, 2023)


def _allowed_numbers(report) -> set[str]:
    """Numbers a reader may meet outside a figure: those in the figures and in stored names."""
    return quality.figure_numbers(report) | quality.record_numbers()


def _check_text(text: str, allowed: set[str], where: str) -> None:
    quality.check_text(text, allowed, where, MARKS)


def test_the_review_states_totals_once_and_names_each_honour_and_item_once(review):
    text = review.plain_text()
    # The stated total is the headline; the ledger's items are named as the tracked subset.
    assert "全年整改事项35项（台账跟踪" in text
    assert "全年县级领导干部领题调研课题30个（台账跟踪" in text
    assert "整改事项达到35项" not in text and "列出整改事项" not in text
    assert "八泉峡景区收入突破3亿元" in text and "景区景区" not in text
    assert "接待游客超440万人次" in text
    named = [
        (run.source.record_type, run.source.record_id)
        for paragraph in review.walk_paragraphs()
        for run in paragraph.runs
        if run.source is not None and run.source.record_type in ("honours.Honour", "plans.WorkItem")
    ]
    assert named and len(named) == len(set(named))
    honour_names = [
        run.text
        for paragraph in review.walk_paragraphs()
        for run in paragraph.runs
        if run.source is not None and run.source.record_type == "honours.Honour"
    ]
    assert len(honour_names) == len(set(honour_names))
    # The consistency check speaks to the office in its own section, not in the review's text.
    checks = next(s for s in review.sections if s.key == "checks")
    assert checks.title == CHECKS_TITLE and checks.paragraphs


def test_the_html_and_word_file_read_cleanly(review):
    allowed = _allowed_numbers(review)
    _check_text(quality.html_text(render_standalone(review)), allowed, "html")
    data = render_docx(review, with_charts=False)
    _check_text(quality.docx_text(data, tables=False), allowed, "docx")
    assert quality.GBT_9704_FACES <= quality.docx_east_asian_faces(data)


def test_the_pdf_reads_cleanly_in_simplified_chinese_faces(review, tmp_path):
    path = tmp_path / "review.pdf"
    path.write_bytes(docx_to_pdf(render_docx(review)))
    joined = quality.pdf_text(path)
    assert not quality.INTERNAL_ID.search(joined), quality.INTERNAL_ID.search(joined).group()
    body = quality.body_of(joined, MARKS)
    assert not wording.doubled_words(body), wording.doubled_words(body)
    quality.check_pdf_fonts(path)
