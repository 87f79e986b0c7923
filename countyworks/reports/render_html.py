"""HTML output: the review as a page section (preview screen) or as a standalone file.

Every figure is an <a> to its entry in the figure list, carrying `data-source` (record type and
id) and `data-citation`; the entry links on to the record's screen when there is one. Charts are
ECharts drawn by a static script from a JSON block (the CSP allows no inline script).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from countyworks.reports.document import Chart, Paragraph, Report


def paragraph_html(paragraph: Paragraph) -> SafeString:
    parts = []
    for run in paragraph.runs:
        if run.figure is not None:
            source = run.figure.source
            parts.append(
                format_html(
                    '<a class="figure" href="#figure-{}" data-source="{}" data-citation="{}" title="{}">{}</a>',
                    run.figure.number,
                    source.key,
                    source.citation,
                    source.citation or run.figure.label,
                    run.text,
                )
            )
        elif run.source is not None and run.source.url:
            parts.append(
                format_html(
                    '<a class="named" href="{}" data-source="{}">{}</a>',
                    run.source.url,
                    run.source.key,
                    run.text,
                )
            )
        elif run.source is not None:
            parts.append(
                format_html('<span class="named" data-source="{}">{}</span>', run.source.key, run.text)
            )
        else:
            parts.append(format_html("{}", run.text))
    return mark_safe("".join(parts))  # noqa: S308 (every part above is escaped by format_html)


def _section_context(section) -> dict[str, Any]:
    return {
        "heading": f"{section.number}{section.title}",
        "paragraphs": [paragraph_html(p) for p in section.paragraphs],
        "tables": section.tables,
        "subsections": [_section_context(s) for s in section.subsections],
    }


def chart_options(charts: list[Chart]) -> list[dict[str, Any]]:
    """ECharts options, one per chart, as plain data for the JSON block."""
    return [
        {
            "key": chart.key,
            "title": {"text": chart.title, "left": "center", "textStyle": {"fontSize": 14}},
            "tooltip": {"trigger": "axis"},
            "legend": {"bottom": 0} if len(chart.series) > 1 else {"show": False},
            "xAxis": {"type": "category", "data": chart.categories},
            "yAxis": {"type": "value", "name": chart.unit},
            "series": [{"name": name, "type": chart.kind, "data": values} for name, values in chart.series],
        }
        for chart in charts
    ]


def report_context(report: Report) -> dict[str, Any]:
    figures = report.figures()
    return {
        "report": report,
        "lead": [paragraph_html(p) for p in report.lead],
        "sections": [_section_context(s) for s in report.sections],
        "figures": figures,
        "chart_options": chart_options(report.charts),
    }


def render_fragment(report: Report, request: Any = None) -> str:
    """The document part of the preview page."""
    return render_to_string("reports/_document.html", report_context(report), request=request)


def _static_text(path: str) -> str:
    found = finders.find(path)
    return Path(found).read_text(encoding="utf-8") if found else ""


def render_standalone(report: Report, request: Any = None) -> str:
    """A complete, self-contained HTML file (the CLI's --format html).

    The file is opened from disk or mailed, away from our static files, so the stylesheet and the
    chart scripts are embedded instead of linked.
    """
    context = report_context(report)
    context["inline_css"] = mark_safe(_static_text("reports/reports.css"))  # noqa: S308 (our own file)
    if report.charts:
        scripts = (
            _static_text("vendor/echarts/echarts.min.js") + "\n" + _static_text("reports/review_charts.js")
        )
        # A literal "</script" inside a script would end it early; ours contain none, but be sure.
        context["inline_js"] = mark_safe(scripts.replace("</script", "<\\/script"))  # noqa: S308 (our own files)
    return render_to_string("reports/standalone.html", context, request=request)
