"""Where every figure of a report came from: a record and its citation, or how it was computed."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.urls import NoReverseMatch, reverse

from countyworks import wording
from countyworks.indicators.models import Observation
from countyworks.plans.models import (
    Plan,
)
from countyworks.reports import sentences
from countyworks.reports.document import (
    Figure,
    Source,
)
from countyworks.sources.models import Citation


def citation_text(citation: Citation | None) -> str:
    """A numbered note's source: the document's title, its date and the sentence quoted from it.

    A reader checks a figure against the document, not against our records, so the note never
    names an internal id; it quotes the whole sentence the cited span sits in when the document's
    text is stored, and the cited words otherwise."""
    if citation is None:
        return ""
    document = citation.document
    parts = [f"《{document.title}》"]
    if document.published_on:
        parts.append(f"（{wording.format_date(document.published_on)}）")
    sentence = ""
    if citation.start is not None and citation.end is not None:
        sentence = wording.sentence_around(document.text, citation.start, citation.end)
    quote = sentence or citation.quote
    if quote:
        parts.append(f"：“{quote}”")
    elif citation.section:
        parts.append(citation.section)
    return "".join(parts)


def _record_url(name: str, pk: int) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


# The screen that shows a record of each type: (URL name, attribute holding the URL's pk).
RECORD_SCREENS = {
    "plans.WorkItem": ("ledger:item", "pk"),
    "indicators.Observation": ("indicators:detail", "indicator_id"),
}


def source_of(record: Any) -> Source:
    meta = record._meta
    record_type = f"{meta.app_label}.{meta.object_name}"
    url = ""
    if record_type in RECORD_SCREENS:
        name, attribute = RECORD_SCREENS[record_type]
        url = _record_url(name, getattr(record, attribute))
    return Source(
        record_type=record_type,
        record_id=record.pk,
        citation=citation_text(getattr(record, "citation", None)),
        url=url,
    )


# A computed figure names at most this many of its records; the rest are counted.
NAMED_INPUTS = 3


def record_name(record: Any) -> str:
    """How a note names a record: its title, or what a figure measures and its year."""
    if isinstance(record, Observation):
        return f"{observation_subject(record)}{record.year}年数据"
    title = getattr(record, "title", "") or getattr(record, "name", "")
    if isinstance(record, Plan):
        return f"《{title}》"
    return f"“{title}”" if title else ""


def computed_source(how: str, *inputs: Any, state_how: bool = True) -> Source:
    """A value derived by counting or arithmetic; the note says how and from which records, by name.

    `state_how=False` when the figure's label already says it (a count): the note then reads
    据《2023年重点工作台账》统计 instead of repeating the label."""
    records = [r for r in inputs if r is not None]
    names = [name for name in (record_name(r) for r in records) if name]
    if len(names) > NAMED_INPUTS:
        text = "、".join(names[:NAMED_INPUTS]) + f"等{len(names)}条记录"
    else:
        text = "、".join(names)
    if state_how:
        citation = f"{how}，据{text}" if text else how
    else:
        citation = f"据{text}统计" if text else how
    return Source(
        record_type="computed",
        record_id=None,
        citation=citation,
        how=how,
        inputs=tuple(f"{r._meta.object_name}#{r.pk}" for r in records),
    )


def count_figure(count: int, unit: str, how: str, plan: Plan | None = None) -> Figure:
    return Figure(
        value=Decimal(count),
        unit=unit,
        qualifier="exact",
        text=wording.format_count(count, unit),
        source=computed_source(how, plan, state_how=False),
        label=how,
    )


def observation_subject(obs: Observation) -> str:
    """What the figure measures, named with its holder when that is an organisation."""
    if obs.organisation_id:
        # 八泉峡景区 + 景区收入 is 八泉峡景区收入: the words the two names share are written once.
        return wording.join_without_overlap(obs.organisation.name, obs.indicator.name)
    return obs.indicator.name


def observation_source(obs: Observation) -> Source:
    source = source_of(obs)
    if obs.doubtful:
        return replace(
            source, citation=sentences.DOUBTFUL_SOURCE.format(citation=source.citation, note=obs.note or "")
        )
    return source


def observation_figure(obs: Observation) -> Figure:
    quote = obs.citation.quote if obs.citation_id else ""
    style = wording.qualifier_style(quote, obs.qualifier)
    return Figure(
        value=obs.value,
        unit=obs.unit,
        qualifier=obs.qualifier,
        text=wording.format_quantity(obs.value, obs.unit, obs.qualifier, style),
        source=observation_source(obs),
        label=f"{observation_subject(obs)}（{obs.year}年）",
    )
