"""Reading a generated document as a leader would: the checks the year-end review and the
supervision bulletin share (test_review_quality, test_bulletin_quality).

No internal id (`#3`, `Plan#1`, `indicators.Observation:4`), no doubled two-character word
(景区景区), no line twice, every number traceable to the records the document was built from, and
the fonts: the GB/T 9704 faces named in the Word file's XML, and Simplified-Chinese faces, all
embedded, in the PDF (`pdffonts`; never the JP faces of the Noto collections).
"""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from countyworks import wording
from countyworks.honours.models import Honour
from countyworks.plans.models import Plan, PlanNode, WorkItem
from countyworks.regions.models import Organisation

INTERNAL_ID = re.compile(r"#\d|\b[A-Za-z]+\.[A-Z][A-Za-z]+:\d|\b[A-Z][a-z]+[A-Z]?\w*:\d")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
# The faces GB/T 9704 names: title, heading levels 1–3 and body (render_docx.STYLES).
GBT_9704_FACES = {"方正小标宋简体", "黑体", "楷体_GB2312", "仿宋_GB2312"}


class _Text(HTMLParser):
    """The text a reader sees: script and style bodies left out, a line per block."""

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
        elif tag in ("p", "li", "h1", "h2", "h3", "h4", "tr", "caption"):
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts)


def body_of(text: str, marks: Iterable[str] = ()) -> str:
    """The document's own text: before the first of `marks` (the office's check notes, the charts,
    the numbered notes that quote the source as it is)."""
    for mark in marks:
        if mark in text:
            text = text.split(mark)[0]
    return text


def record_numbers() -> set[str]:
    """Numbers a reader may meet in names: those in the stored titles and names, and the years."""
    allowed: set[str] = set()
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


def figure_numbers(report) -> set[str]:
    """The numbers of the report's figures (each traced to its record by the builder)."""
    return {n for f in report.figures() for n in NUMBER.findall(f.text)}


def check_text(
    text: str, allowed: set[str], where: str, marks: Iterable[str] = (), min_line: int = 12
) -> None:
    """No internal id anywhere; in the body, no doubled word, no number from nowhere, no line twice."""
    found = INTERNAL_ID.search(text)
    assert not found, (where, found and found.group())
    assert not re.search(r"第\d+–\d+字", text), where
    body = body_of(text, marks)
    assert not wording.doubled_words(body), (where, wording.doubled_words(body))
    for number in NUMBER.findall(body):
        assert number in allowed, (where, number)
    lines = [line.strip() for line in body.splitlines() if len(line.strip()) > min_line]
    repeated = {line for line in lines if lines.count(line) > 1}
    assert not repeated, (where, repeated)


def docx_text(data: bytes, tables: bool = True) -> str:
    """The Word file's paragraphs, then each table row as one line."""
    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    if tables:
        for table in document.tables:
            lines.extend(" ".join(cell.text for cell in row.cells) for row in table.rows)
    return "\n".join(lines)


def docx_east_asian_faces(data: bytes) -> set[str]:
    """Every East-Asian face the Word file names, in its styles and its runs (read from the XML)."""
    document = Document(io.BytesIO(data))
    faces = set()
    for element in [style.element for style in document.styles] + [document.element]:
        for fonts in element.iter(qn("w:rFonts")):
            if fonts.get(qn("w:eastAsia")):
                faces.add(fonts.get(qn("w:eastAsia")))
    return faces


def pdf_text(path: Path) -> str:
    """The PDF's text with the page's line breaks joined (pdftotext breaks where the line does)."""
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\n(?!\n)", "", text)


def check_pdf_fonts(path: Path) -> list[str]:
    """Simplified-Chinese faces, no JP face, every face embedded; returns the face names."""
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows, fonts
    names = [row.split()[0] for row in rows]
    assert not [n for n in names if re.search(r"jp|JP|Japanese", n)], fonts
    assert any("CJKsc" in n or "SC" in n for n in names), fonts
    # Every font is embedded (the emb column).
    assert all(row.split()[-5] == "yes" for row in rows), fonts
    return names
