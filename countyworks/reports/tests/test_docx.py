"""Word output: the GB/T 9704-2012 layout, the figure list, escaping, and the PDF conversion."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from countyworks.reports.builders.review import build_review
from countyworks.reports.render_docx import render_docx
from countyworks.reports.render_pdf import docx_to_pdf


@pytest.fixture
def review_docx(year_data, cast) -> bytes:
    return render_docx(build_review(cast.county, 2023))


def _fonts(element) -> dict[str, str]:
    fonts = element.find(qn("w:rPr")).find(qn("w:rFonts"))
    return {name: fonts.get(qn(f"w:{name}")) for name in ("ascii", "hAnsi", "eastAsia")}


def test_it_lays_out_the_page_as_gbt_9704(review_docx):
    document = Document(io.BytesIO(review_docx))
    section = document.sections[0]
    # Word stores twips (1/1440 in), so millimetres come back within a rounding step.
    measured = [
        section.page_width,
        section.page_height,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    ]
    assert [round(length.mm, 1) for length in measured] == [210, 297, 37, 35, 28, 26]
    # 22 lines a page: the document grid's line pitch is the body's exact 28.95 pt (579 twips).
    grid = section._sectPr.find(qn("w:docGrid"))
    assert (grid.get(qn("w:type")), grid.get(qn("w:linePitch"))) == ("lines", "579")


def test_it_sets_title_body_and_heading_fonts_sizes_and_spacing(review_docx):
    document = Document(io.BytesIO(review_docx))
    paragraphs = document.paragraphs
    title = paragraphs[0]
    assert title.text == "壶关县2023年工作回顾"
    assert title.style.font.size == Pt(22)
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert _fonts(title.style.element)["eastAsia"] == "方正小标宋简体"

    body = next(p for p in paragraphs if p.text.startswith("实施重点项目"))
    fmt = body.style.paragraph_format
    assert body.style.font.size == Pt(16)
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert fmt.line_spacing == Pt(28.95)
    assert fmt.first_line_indent == Pt(32)
    assert body.style.element.find(qn("w:pPr")).find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    assert _fonts(body.style.element) == {
        "ascii": "Times New Roman",
        "hAnsi": "Times New Roman",
        "eastAsia": "仿宋_GB2312",
    }

    level1 = next(p for p in paragraphs if p.text.startswith("一、"))
    assert _fonts(level1.style.element)["eastAsia"] == "黑体"
    level2 = next(p for p in paragraphs if p.text.startswith("（一）"))
    assert _fonts(level2.style.element)["eastAsia"] == "楷体_GB2312"
    assert _fonts(document.styles["CW Heading 3"].element)["eastAsia"] == "仿宋_GB2312"


def test_it_numbers_pages_with_dashes_on_alternating_sides(review_docx):
    document = Document(io.BytesIO(review_docx))
    with zipfile.ZipFile(io.BytesIO(review_docx)) as archive:
        settings_xml = archive.read("word/settings.xml").decode()
    assert "w:evenAndOddHeaders" in settings_xml
    section = document.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    for footer in (odd, even):
        xml = footer._p.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
        assert footer.text.startswith("— ") and footer.text.endswith(" —")
        run = footer.runs[0]
        assert run.font.size == Pt(14)
        assert _fonts(run._r) == {"ascii": "宋体", "hAnsi": "宋体", "eastAsia": "宋体"}


def test_it_ends_with_a_figure_list_naming_each_source(year_data, review_docx):
    document = Document(io.BytesIO(review_docx))
    texts = [p.text for p in document.paragraphs]
    start = texts.index("来源说明")
    entries = texts[start + 1 :]
    gdp = next(e for e in entries if e.split("〕")[1].startswith("近25亿元"))
    assert "来源：《测试县2023年工作回顾》：“近25亿元”" in gdp
    # Internal ids never reach a document a leader signs.
    assert not any(re.search(r"#\d|Observation:|Plan#", e) for e in entries)
    assert any("同比增幅" in e for e in entries)


def test_it_embeds_charts_as_images(review_docx):
    with zipfile.ZipFile(io.BytesIO(review_docx)) as archive:
        images = [n for n in archive.namelist() if n.startswith("word/media/") and n.endswith(".png")]
    assert len(images) == 2  # completion by area, GDP trend


def test_it_writes_a_hostile_title_as_text(year_data, cast):
    year_data.project_tourism.title = "<script>alert(1)</script>"
    year_data.project_tourism.total_investment = Decimal("9000000000")
    year_data.project_tourism.save()
    data = render_docx(build_review(cast.county, 2023))
    document = Document(io.BytesIO(data))
    assert any("<script>alert(1)</script>" in p.text for p in document.paragraphs)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "&lt;script&gt;" in archive.read("word/document.xml").decode()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by `make system-deps`")
def test_it_converts_to_pdf_with_chinese_text_and_the_expected_pages(review_docx, tmp_path):
    pdf = docx_to_pdf(review_docx)
    path = tmp_path / "review.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert "A4" in info
    # Body, two charts and the figure list do not fit two pages, and must not sprawl.
    assert 3 <= pages <= 10
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "工作回顾" in text
    assert "来源说明" in text
    assert "— 1 —" in text.replace("—1—", "— 1 —")
