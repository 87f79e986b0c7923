"""The year-end review of the Huguan demo read as a leader would: the HTML, the Word file and the
PDF say no internal id, no doubled word, no honour or item twice, every number comes from a record,
and the PDF is set in Simplified-Chinese faces (never the JP ones of the Noto collections)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest
from docx import Document

from countyworks import wording
from countyworks.demo import services as demo_services
from countyworks.honours.models import Honour
from countyworks.plans.models import Plan, PlanNode, WorkItem
from countyworks.regions.models import Organisation, Region
from countyworks.reports.builders.review import build_review
from countyworks.reports.render_docx import render_docx
from countyworks.reports.render_html import render_standalone
from countyworks.reports.render_pdf import docx_to_pdf
from countyworks.reports.sentences import CHECKS_TITLE

INTERNAL_ID = re.compile(r"#\d|\b[A-Za-z]+\.[A-Z][A-Za-z]+:\d|\b[A-Z][a-z]+[A-Z]?\w*:\d")
NUMBER = re.compile(r"\d+(?:\.\d+)?")


class _Text(HTMLParser):
    """The text a reader sees: script and style bodies left out."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        elif tag in ("p", "li", "h1", "h2", "h3", "h4"):
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts)


def body_of(text: str) -> str:
    """The review's own text: before the office's check notes, the charts and the numbered notes."""
    for mark in (CHECKS_TITLE, "附图", "来源说明"):
        if mark in text:
            text = text.split(mark)[0]
    return text


@pytest.fixture
def review(db):
    demo_services.load_demo(with_activity=True)
    county = Region.objects.get(code="140427")
    return build_review(county, 2023)


def _allowed_numbers(report) -> set[str]:
    """Numbers a reader may meet outside a figure: those in the figures and in stored names."""
    allowed = {n for f in report.figures() for n in NUMBER.findall(f.text)}
    names = [
        *WorkItem.all_objects.values_list("title", flat=True),
        *Plan.objects.values_list("title", flat=True),
        *PlanNode.objects.values_list("title", flat=True),
        *Honour.objects.values_list("title", flat=True),
        *Organisation.objects.values_list("name", flat=True),
    ]
    for name in names:
        allowed.update(NUMBER.findall(name))
    allowed.update(str(y) for y in range(2015, 2026))
    return allowed


def _check_text(text: str, allowed: set[str], where: str) -> None:
    assert not INTERNAL_ID.search(text), (where, INTERNAL_ID.search(text).group())
    assert not re.search(r"第\d+–\d+字", text), where
    body = body_of(text)
    # Our own wording only: the notes quote the source's sentences as they are (一步一步).
    assert not wording.doubled_words(body), (where, wording.doubled_words(body))
    for number in NUMBER.findall(body):
        assert number in allowed, (where, number)
    lines = [line.strip() for line in body.splitlines() if len(line.strip()) > 12]
    repeated = {line for line in lines if lines.count(line) > 1}
    assert not repeated, (where, repeated)


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
    _check_text(html_text(render_standalone(review)), allowed, "html")
    document = Document(io.BytesIO(render_docx(review, with_charts=False)))
    _check_text("\n".join(p.text for p in document.paragraphs), allowed, "docx")


@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdffonts")),
    reason="needs LibreOffice and poppler-utils (pdffonts), which `make system-deps` installs",
)
def test_the_pdf_reads_cleanly_in_simplified_chinese_faces(review, tmp_path):
    path = tmp_path / "review.pdf"
    path.write_bytes(docx_to_pdf(render_docx(review)))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    # pdftotext breaks lines where the page does: join them before looking for doubled words.
    joined = re.sub(r"\n(?!\n)", "", text)
    assert not INTERNAL_ID.search(joined), INTERNAL_ID.search(joined).group()
    assert not wording.doubled_words(body_of(joined)), wording.doubled_words(body_of(joined))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows, fonts
    names = [row.split()[0] for row in rows]
    assert not [n for n in names if re.search(r"jp|JP|Japanese", n)], fonts
    assert any("CJKsc" in n or "SC" in n for n in names), fonts
    # Every font is embedded (the emb column).
    assert all(row.split()[-5] == "yes" for row in rows), fonts
