"""The plain report document every renderer reads: sections, paragraphs of runs, figures, tables, charts.

Builders fill it from the database; renderers (HTML, DOCX, PDF, XLSX) never query the database.
A Figure keeps its value, unit, qualifier, the text it is printed as and where it came from, so
every number in a report can be traced back to a record and a citation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Source:
    """Where a figure or a name came from: a record, and the document span behind it if any."""

    record_type: str  # e.g. "indicators.Observation", "plans.WorkItem", "computed"
    record_id: int | None
    citation: str = ""  # document title + span, or how a computed value was derived
    url: str = ""  # a screen showing the record, when one exists
    # A computed value's rule and input records ("Plan#1"), for tests and tools tracing it back;
    # never printed (a reader gets the citation, which names the records by title).
    how: str = ""
    inputs: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.record_type}:{self.record_id}" if self.record_id is not None else self.record_type


@dataclass
class Figure:
    value: Decimal
    unit: str
    qualifier: str
    text: str
    source: Source
    label: str = ""  # what the figure measures, for the figure list
    number: int = 0  # position in the report's figure list (1-based), set by Report.collect


@dataclass
class Run:
    text: str
    figure: Figure | None = None
    source: Source | None = None  # a named record (an item, an honour) without a figure


@dataclass
class Paragraph:
    runs: list[Run] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)

    def add(self, text: str, figure: Figure | None = None, source: Source | None = None) -> Paragraph:
        self.runs.append(Run(text, figure, source))
        return self

    def fill(self, template: str, **values: Figure | Run | list[Run] | str | int) -> Paragraph:
        """Append a sentence template (sentences.py), its {placeholders} filled with figures or runs."""
        position = 0
        for match in _PLACEHOLDER.finditer(template):
            if match.start() > position:
                self.add(template[position : match.start()])
            value = values[match.group(1)]
            if isinstance(value, Figure):
                self.add(value.text, figure=value)
            elif isinstance(value, Run):
                self.runs.append(value)
            elif isinstance(value, list):
                self.runs.extend(value)
            else:
                self.add(str(value))
            position = match.end()
        if position < len(template):
            self.add(template[position:])
        return self


def enumeration(runs: list[Run], last: str = "、") -> list[Run]:
    """Runs joined as a Chinese enumeration: A、B、C, or A、B和C with last="和"."""
    joined: list[Run] = []
    for index, run in enumerate(runs):
        if index:
            joined.append(Run(last if index == len(runs) - 1 else "、"))
        joined.append(run)
    return joined


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    title: str = ""


@dataclass
class Chart:
    key: str
    title: str
    kind: str  # "line" or "bar"
    categories: list[str]
    series: list[tuple[str, list[float]]]
    unit: str = ""


@dataclass
class Section:
    title: str
    number: str = ""
    paragraphs: list[Paragraph] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)
    key: str = ""

    def is_empty(self) -> bool:
        return not (self.paragraphs or self.tables or any(not s.is_empty() for s in self.subsections))


@dataclass
class Report:
    title: str
    subtitle: str = ""
    lead: list[Paragraph] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    kind: str = "review"
    filename: str = "report"

    def walk_paragraphs(self) -> list[Paragraph]:
        found = list(self.lead)

        def visit(section: Section) -> None:
            found.extend(section.paragraphs)
            for sub in section.subsections:
                visit(sub)

        for section in self.sections:
            visit(section)
        return found

    def figures(self) -> list[Figure]:
        """Every figure in reading order, numbered for the figure list."""
        figures = []
        for paragraph in self.walk_paragraphs():
            for run in paragraph.runs:
                if run.figure is not None:
                    figures.append(run.figure)
        for number, figure in enumerate(figures, start=1):
            figure.number = number
        return figures

    def plain_text(self) -> str:
        return "\n".join(p.text for p in self.walk_paragraphs())
