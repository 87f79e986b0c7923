"""Helpers shared by the reading tests."""

from __future__ import annotations

from countyworks.reading import services
from countyworks.reading.models import DraftRecord
from countyworks.sources.models import Document


def read(
    cast, text: str, *, year: int = 2023, kind: str = "work_report", title: str = "测试文件"
) -> Document:
    return services.read_document(
        cast.supervisor, text=text, region=cast.county, year=year, title=title, kind=kind
    )


def draft(document: Document, quote: str, kind: str | None = None) -> DraftRecord:
    drafts = [d for d in document.drafts.all() if document.text[d.start : d.end] == quote]
    if kind is not None:
        drafts = [d for d in drafts if d.kind == kind]
    assert len(drafts) == 1, [(d.kind, d.text) for d in document.drafts.all()]
    return drafts[0]
