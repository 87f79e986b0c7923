"""Word output in the official document layout of GB/T 9704-2012 (党政机关公文格式).

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; 22 lines of 28 characters. Title
in 方正小标宋简体 二号 centred; body 仿宋_GB2312 三号 with a two-character first-line indent and
exact 28.95 pt line spacing; 一、 headings in 黑体, （一） in 楷体_GB2312, lower levels in 仿宋_GB2312;
page numbers “— 1 —” in 四号 宋体, right on odd pages, left on even pages. Latin letters and
digits use Times New Roman: each run names both fonts (w:rFonts ascii/hAnsi and eastAsia), so
Word on a clerk's PC picks the right one for each character. A figure list (来源说明) at the end
gives the source of every figure.
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell

from countyworks import wording
from countyworks.reports import charts as chart_images
from countyworks.reports.document import Paragraph, Report, Section, Table

LATIN_FONT = "Times New Roman"
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
PAGE_NUMBER_SIZE = Pt(14)  # 四号
LINE_SPACING = Pt(28.95)  # 22 lines in the 225 mm type area
INDENT_CHARS = 2

LEDGER_COUNT = "据督查台账统计"

STYLE_TITLE = "CW Title"
STYLE_SUBTITLE = "CW Subtitle"
STYLE_BODY = "CW Body"
STYLE_H1 = "CW Heading 1"
STYLE_H2 = "CW Heading 2"
STYLE_H3 = "CW Heading 3"
STYLE_TABLE = "CW Table"

# XML 1.0 forbids most control characters; a stray one in a title must not break the file.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean(text: str) -> str:
    return _CONTROL.sub("", str(text))


def set_fonts(element, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Name the Latin and the East Asian font of a style or run (w:rFonts)."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme_attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def _indent_chars(paragraph_format, chars: int, size: Pt) -> None:
    paragraph_format.first_line_indent = Pt(size.pt * chars)
    ind = paragraph_format._element.get_or_add_pPr().find(qn("w:ind"))
    if ind is not None:
        # firstLineChars is what Word honours when the font size changes (hundredths of a character).
        ind.set(qn("w:firstLineChars"), str(chars * 100))


def _paragraph_style(document, name: str, font: str, size: Pt, *, bold: bool = False, indent: bool = True):
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.font.size = size
    style.font.bold = bold
    set_fonts(style.element, font)
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_SPACING
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if indent:
        _indent_chars(fmt, INDENT_CHARS, size)
    return style


def _outline_level(style, level: int) -> None:
    ppr = style.element.get_or_add_pPr()
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), str(level))
    ppr.append(outline)


def _setup(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(25)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_SPACING.pt * 20)))

    normal = document.styles["Normal"]
    normal.font.size = BODY_SIZE
    set_fonts(normal.element, BODY_FONT)
    # Chinese text is Simplified Chinese (zh-CN): Word and LibreOffice choose glyph forms and
    # line breaking by it, and a converter never takes the text for Japanese.
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "en-US")
    language.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(language)
    _paragraph_style(document, STYLE_BODY, BODY_FONT, BODY_SIZE)
    title = _paragraph_style(document, STYLE_TITLE, TITLE_FONT, TITLE_SIZE, indent=False)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(35)  # a 22 pt title needs more than the body pitch
    subtitle = _paragraph_style(document, STYLE_SUBTITLE, HEADING2_FONT, BODY_SIZE, indent=False)
    subtitle.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _outline_level(_paragraph_style(document, STYLE_H1, HEADING1_FONT, BODY_SIZE), 0)
    _outline_level(_paragraph_style(document, STYLE_H2, HEADING2_FONT, BODY_SIZE), 1)
    _outline_level(_paragraph_style(document, STYLE_H3, BODY_FONT, BODY_SIZE), 2)
    table = _paragraph_style(document, STYLE_TABLE, BODY_FONT, Pt(12), indent=False)
    table.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE

    document.settings.odd_and_even_pages_header_footer = True
    _page_number_footer(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number_footer(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)


def _field_run(paragraph, instruction: str) -> None:
    """A Word field (PAGE) as begin / instruction / separate / result / end runs."""

    def run_with(child) -> None:
        run = paragraph.add_run()
        _page_font(run)
        run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    result = paragraph.add_run("1")
    _page_font(result)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _page_font(run) -> None:
    run.font.size = PAGE_NUMBER_SIZE
    # 半角宋体: digits and dashes in 宋体 itself, not in the Latin font.
    set_fonts(run._r, PAGE_NUMBER_FONT, latin=PAGE_NUMBER_FONT)


def _page_number_footer(footer, alignment) -> None:
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.alignment = alignment
    # One character from the edge of the type area, as the standard asks.
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = PAGE_NUMBER_SIZE
    else:
        paragraph.paragraph_format.left_indent = PAGE_NUMBER_SIZE
    _page_font(paragraph.add_run("— "))
    _field_run(paragraph, "PAGE")
    _page_font(paragraph.add_run(" —"))


def _add_runs(document, paragraph: Paragraph, style: str) -> None:
    out = document.add_paragraph(style=style)
    for run in paragraph.runs:
        out.add_run(clean(run.text))


TYPE_AREA_WIDTH_MM = 210 - 28 - 26  # the page less the GB/T 9704 margins
# A table cell's text is 12 pt: a half-width character is about 2.2 mm, a Chinese one twice that,
# and Word pads a cell by about 2 mm on each side.
_HALF_WIDTH_MM, _CELL_PADDING_MM = 2.2, 4.0
_WRAP_UNITS = 12  # a long column (a problem to coordinate) may wrap down to six Chinese characters


def column_widths_mm(table: Table) -> list[float]:
    """Widths of the table's columns (mm) filling the type area: each as wide as its widest cell (a
    unit's full name, never broken every two characters), a header on at most two lines; when that
    does not fit, the long text columns give way and wrap."""
    needs, floors = [], []
    for index, header in enumerate(table.headers):
        cells = [row[index] for row in table.rows if index < len(row)]
        widest = max((wording.display_width(cell) for cell in cells), default=0)
        header_units = 2 * -(-wording.display_width(header) // 4)  # two lines of whole characters
        units = max(widest, header_units, 2)
        needs.append(units * _HALF_WIDTH_MM + _CELL_PADDING_MM)
        floors.append(min(units, max(_WRAP_UNITS, header_units)) * _HALF_WIDTH_MM + _CELL_PADDING_MM)
    total = sum(needs)
    if total <= TYPE_AREA_WIDTH_MM:
        return [need * TYPE_AREA_WIDTH_MM / total for need in needs]
    reducible = sum(need - floor for need, floor in zip(needs, floors, strict=True))
    share = min(1.0, (total - TYPE_AREA_WIDTH_MM) / reducible) if reducible else 0.0
    widths = [need - (need - floor) * share for need, floor in zip(needs, floors, strict=True)]
    # Still too wide (a table of many short columns): scale everything down.
    scale = min(1.0, TYPE_AREA_WIDTH_MM / sum(widths))
    return [width * scale for width in widths]


def _add_table(document, table: Table) -> None:
    if table.title:
        document.add_paragraph(clean(table.title), style=STYLE_H3)
    grid = document.add_table(rows=len(table.rows) + 1, cols=len(table.headers))
    grid.style = document.styles["Table Grid"]
    grid.autofit = False
    widths = [Mm(width) for width in column_widths_mm(table)]
    for column, width in zip(grid._tbl.tblGrid.gridCol_lst, widths, strict=False):
        column.w = width
    # Setting paragraph.style looks the style up among all styles each time; the id is enough.
    style_id = document.styles[STYLE_TABLE].style_id
    # Walk the XML rows directly: python-docx's row.cells recomputes the whole grid on every
    # call, which made a province bulletin (hundreds of rows) take tens of seconds.
    # The header row repeats at the top of every page a long table runs onto.
    header_props = grid._tbl.tr_lst[0].get_or_add_trPr()
    header_props.append(OxmlElement("w:tblHeader"))
    for r, tr in enumerate(grid._tbl.tr_lst):
        values = table.headers if r == 0 else table.rows[r - 1]
        for tc, value, width in zip(tr.tc_lst, values, widths, strict=False):
            tc.width = width  # Word reads each cell's own width (tcW), LibreOffice the grid's
            paragraph = _Cell(tc, grid).paragraphs[0]
            paragraph._p.style = style_id
            run = paragraph.add_run(clean(value))
            if r == 0:
                run.bold = True


def _add_section(document, section: Section, level: int) -> None:
    style = STYLE_H1 if level == 1 else STYLE_H2 if level == 2 else STYLE_H3
    document.add_paragraph(clean(f"{section.number}{section.title}"), style=style)
    for paragraph in section.paragraphs:
        _add_runs(document, paragraph, STYLE_BODY)
    for table in section.tables:
        _add_table(document, table)
    for sub in section.subsections:
        _add_section(document, sub, level + 1)


def render_docx(report: Report, with_charts: bool = True) -> bytes:
    """The report as a .docx file (bytes)."""
    document = Document()
    _setup(document)
    document.add_paragraph(clean(report.title), style=STYLE_TITLE)
    if report.subtitle:
        document.add_paragraph(clean(report.subtitle), style=STYLE_SUBTITLE)
    for paragraph in report.lead:
        _add_runs(document, paragraph, STYLE_BODY)
    for section in report.sections:
        _add_section(document, section, 1)
    if with_charts and report.charts:
        document.add_paragraph("附图", style=STYLE_H1)
        for number, chart in enumerate(report.charts, start=1):
            document.add_picture(io.BytesIO(chart_images.render_png(chart)), width=Mm(150))
            document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            document.paragraphs[-1].paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            caption = document.add_paragraph(clean(f"图{number}　{chart.title}"), style=STYLE_TABLE)
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    figures = report.figures()
    if figures:
        document.add_paragraph("来源说明", style=STYLE_H1)
        for figure in figures:
            # A numbered note names the document, its date and the sentence, never an internal id.
            where = figure.source.citation or figure.label
            if where == figure.label:
                # A count whose rule is its label: say where it was counted instead of repeating it.
                where = LEDGER_COUNT
            document.add_paragraph(
                clean(f"〔{figure.number}〕{figure.text}：{figure.label}。来源：{where}"),
                style=STYLE_BODY,
            )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
