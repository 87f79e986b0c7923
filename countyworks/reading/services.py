"""Writes of the reading domain: store a document, propose drafts, and turn decided drafts into records.

`read_document` stores the text and the reader's proposals and nothing else; `switch_draft_kind`
changes an open proposal between observation and target. Only `accept_draft` writes to the
indicators, honours and plans tables, in one transaction with the citation to the
span, so an accepted draft and its record exist together or not at all.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from countyworks.accounts import policy
from countyworks.core.services import PermissionDenied, ServiceError
from countyworks.honours import services as honour_services
from countyworks.honours.models import Honour, HonourLevel
from countyworks.indicators import services as indicator_services
from countyworks.indicators.models import Indicator, Observation, Qualifier, Target, ValueKind
from countyworks.plans import services as plan_services
from countyworks.plans.models import ItemKind, NodeKind, Plan, PlanNode, WorkItem
from countyworks.reading import progress as progress_rules
from countyworks.reading import proposals as rules
from countyworks.reading.models import SWITCHABLE_TO_TARGET, DraftRecord, DraftState, ProposalKind
from countyworks.regions.models import Organisation, Region
from countyworks.sources.models import Citation, Document, DocumentKind
from countyworks.supervision import services as supervision_services
from countyworks.textread import extract_mentions, parse_structure

# A county work report runs to some 30,000 characters, a statistical bulletin to 20,000; a text ten
# times that is a mistake (or an attack: a 1 MB text took 19 s to read in).
MAX_TEXT_CHARS = 200_000
FIGURE_KINDS = (ProposalKind.OBSERVATION, ProposalKind.ITEM_COUNT, ProposalKind.TARGET)
# A notice read from a 督查通报 that sets no date for the answer is due this many days after reading.
NOTICE_DAYS = 10
READABLE_KINDS = (
    DocumentKind.WORK_REPORT,
    DocumentKind.ARTICLE,
    DocumentKind.STATISTICAL_BULLETIN,
    DocumentKind.PLAN,
)


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _check_manager(user: Any, region: Region | None) -> None:
    if not policy.can_manage_plan(user, region):
        raise PermissionDenied(_("Only the supervision office of the region reads documents in."))


@transaction.atomic
def read_document(
    user: Any,
    *,
    text: str,
    region: Region,
    year: int,
    title: str = "",
    kind: str = DocumentKind.WORK_REPORT,
    publisher: str = "",
) -> Document:
    """Store `text` as a document of `region` and `year` and create the reader's draft proposals.

    `user=None` is the operator on the server (`countyworks read_document`); anyone else must be a
    supervisor of the region. Nothing outside `sources.Document` and the drafts is written.
    """
    if user is not None:
        _check_manager(user, region)
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ServiceError(_("The text is empty."), field="text")
    if "\x00" in text:
        # PostgreSQL cannot store NUL; a text holding one is a binary file sent by mistake (issue 14).
        raise ServiceError(_("The text holds a NUL character: it is not a plain text file."), field="text")
    if len(text) > MAX_TEXT_CHARS:
        raise ServiceError(
            _("The text is longer than %(limit)s characters; split it into parts.")
            % {"limit": MAX_TEXT_CHARS},
            field="text",
        )
    if kind not in READABLE_KINDS:
        raise ServiceError(_("Unknown document kind: %(kind)s") % {"kind": kind}, field="kind")
    if not 1949 <= int(year) <= 2100:
        raise ServiceError(_("The year %(year)s is out of range.") % {"year": year}, field="year")
    fingerprint = text_sha256(text)
    slug = f"read-{region.code}-{year}-{fingerprint[:16]}"
    existing = Document.objects.filter(slug=slug).first()
    if existing is not None:
        raise ServiceError(
            _("This text was already read in as document %(id)s (%(title)s).")
            % {"id": existing.pk, "title": existing.title},
            field="text",
        )
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    document = Document.objects.create(
        title=(title or first_line or slug)[:300],
        publisher=publisher[:200],
        kind=kind,
        region=region,
        year=year,
        slug=slug,
        text=text,
        text_sha256=fingerprint,
    )
    structure = parse_structure(text)
    mentions = extract_mentions(text, doc_id=slug, doc_year=year)
    found = rules.propose(text, mentions, structure, doc_kind=kind, doc_year=year)
    found += item_proposals(text, structure, mentions, region=region, year=year)
    drafts = [
        DraftRecord(
            document=document,
            start=p.start,
            end=p.end,
            text=p.text[:300],
            section=p.section[:200],
            kind=p.kind,
            fields=p.fields,
            mention=p.mention,
        )
        for p in found
    ]
    DraftRecord.objects.bulk_create(drafts)
    return document


def item_proposals(text: str, structure: Any, mentions: list[Any], *, region: Region, year: int) -> list[Any]:
    """Draft progress reports and notices for the items of the region-year's ledger the text names
    (the rules: reading/progress.py)."""
    rows = list(
        WorkItem.objects.filter(plan__region=region, plan__year=year)
        .order_by("id")
        .values_list("id", "title", "lead_unit_id")
    )
    if not rows:
        return []
    co_units: dict[int, list[int]] = {}
    for item_id, unit_id in WorkItem.co_units.through.objects.filter(
        workitem_id__in=[r[0] for r in rows]
    ).values_list("workitem_id", "organisation_id"):
        co_units.setdefault(item_id, []).append(unit_id)
    items = [
        progress_rules.LedgerItem(
            item_id,
            title,
            tuple(([lead] if lead else []) + [u for u in co_units.get(item_id, []) if u != lead]),
        )
        for item_id, title, lead in rows
    ]
    unit_ids = {u for item in items for u in item.unit_ids}
    units = [
        progress_rules.LedgerUnit(pk, name, short_name)
        for pk, name, short_name in Organisation.objects.filter(pk__in=unit_ids)
        .order_by("id")
        .values_list("id", "name", "short_name")
    ]
    return progress_rules.item_proposals(
        text,
        structure,
        mentions,
        items,
        units,
        year=year,
        default_deadline=timezone.localdate() + timedelta(days=NOTICE_DAYS),
    )


def summary(document: Document) -> dict[str, Any]:
    """Counts of the document's drafts by proposal kind and state (for the command and the screens)."""
    by_kind: dict[str, int] = {}
    by_state: dict[str, int] = {}
    for kind, state in document.drafts.values_list("kind", "state"):
        by_kind[kind] = by_kind.get(kind, 0) + 1
        by_state[state] = by_state.get(state, 0) + 1
    return {
        "document": document.pk,
        "slug": document.slug,
        "title": document.title,
        "region": document.region.code if document.region else None,
        "year": document.year,
        "characters": len(document.text),
        "sha256": document.text_sha256,
        "drafts": sum(by_kind.values()),
        "by_kind": by_kind,
        "by_state": by_state,
    }


# --- Field checks shared by the screens, the command and any future API ---------------------------


def _text_field(fields: dict[str, Any], name: str, label: str, max_length: int, required: bool = True) -> str:
    value = str(fields.get(name) or "").strip()
    if required and not value:
        raise ServiceError(_("%(field)s is required.") % {"field": label}, field=name)
    if len(value) > max_length:
        raise ServiceError(
            _("%(field)s is longer than %(limit)s characters.") % {"field": label, "limit": max_length},
            field=name,
        )
    return value


def _decimal_field(fields: dict[str, Any], name: str, label: str, required: bool = True) -> Decimal | None:
    raw = fields.get(name)
    if raw in (None, ""):
        if required:
            raise ServiceError(_("%(field)s is required.") % {"field": label}, field=name)
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation as exc:
        raise ServiceError(
            _("%(field)s is not a number: %(value)s") % {"field": label, "value": raw}, field=name
        ) from exc
    if not value.is_finite() or abs(value) >= Decimal(10) ** 17:
        raise ServiceError(
            _("%(field)s is out of range: %(value)s") % {"field": label, "value": raw}, field=name
        )
    return value


def _year_field(fields: dict[str, Any], name: str, label: str, required: bool = True) -> int | None:
    raw = fields.get(name)
    if raw in (None, ""):
        if required:
            raise ServiceError(_("%(field)s is required.") % {"field": label}, field=name)
        return None
    try:
        year = int(raw)
    except (TypeError, ValueError) as exc:
        raise ServiceError(
            _("%(field)s is not a year: %(value)s") % {"field": label, "value": raw}, field=name
        ) from exc
    if not 1949 <= year <= 2100:
        raise ServiceError(
            _("%(field)s is out of range: %(value)s") % {"field": label, "value": raw}, field=name
        )
    return year


def _choice_field(
    fields: dict[str, Any], name: str, label: str, choices: type[models.TextChoices], default: str
) -> str:
    value = str(fields.get(name) or default)
    if value not in choices.values:
        raise ServiceError(
            _("%(field)s has an unknown value: %(value)s") % {"field": label, "value": value}, field=name
        )
    return value


# --- Indicators -------------------------------------------------------------------------------------


def chosen_indicator(fields: dict[str, Any], unit: str) -> Indicator | None:
    """The existing indicator the person chose for the figure (`indicator_id`), checked for its unit."""
    raw = fields.get("indicator_id")
    if raw in (None, ""):
        return None
    indicator = Indicator.objects.filter(pk=raw).first()
    if indicator is None:
        raise ServiceError(_("The chosen indicator no longer exists."), field="indicator")
    if (
        indicator.unit
        and indicator.unit != unit
        and not indicator_services.same_measure(indicator.unit, unit)
    ):
        raise ServiceError(
            _("%(indicator)s is counted in %(unit)s; “%(given)s” is not that unit.")
            % {"indicator": indicator.name, "unit": indicator.unit, "given": unit},
            field="unit",
        )
    return indicator


def indicator_choices(drafts: list[DraftRecord]) -> dict[int, list[tuple[Indicator, str]]]:
    """For each open figure draft, the existing indicators with the same or a synonymous name
    (indicators.services.indicator_choices), read in one query for the whole list."""
    open_figures = [d for d in drafts if d.is_open and d.kind in FIGURE_KINDS]
    if not open_figures:
        return {}
    candidates = list(Indicator.objects.order_by("id"))
    choices = {}
    for d in open_figures:
        found = indicator_services.indicator_choices(
            str(d.fields.get("indicator") or ""), str(d.fields.get("unit") or ""), candidates=candidates
        )
        # The indicator the draft would go to anyway (same name, same unit) is no choice to make.
        found = [(i, how) for i, how in found if not (i.name == d.fields.get("indicator") and how == "same")]
        if found:
            choices[d.pk] = found
    return choices


# --- Deciding drafts --------------------------------------------------------------------------------


def _cite(draft: DraftRecord) -> Citation:
    return Citation.objects.create(
        document=draft.document,
        start=draft.start,
        end=draft.end,
        section=draft.section[:200],
        quote=draft.document.text[draft.start : draft.end][:200] or draft.text[:200],
        note=_("read in and confirmed by a person"),
    )


def _create_observation(
    user: Any, draft: DraftRecord, fields: dict[str, Any], citation: Citation
) -> Observation:
    """A figure through the indicators' own service (its rights, checks and 万/亿 conversion).

    A figure that disagrees with one already recorded for the same period is kept, not refused: it
    comes from another document, and the consistency check shows the two side by side.
    """
    name = _text_field(fields, "indicator", _("Indicator"), 200)
    unit = _text_field(fields, "unit", _("Unit"), 20)
    value_kind = _choice_field(fields, "value_kind", _("Value kind"), ValueKind, ValueKind.LEVEL)
    value = _decimal_field(fields, "value", _("Value"))
    year = _year_field(fields, "year", _("Year"))
    base_year = _year_field(fields, "base_year", _("Base year"), required=value_kind != ValueKind.LEVEL)
    qualifier = _choice_field(fields, "qualifier", _("Qualifier"), Qualifier, Qualifier.EXACT)
    return indicator_services.create_observation(
        user,
        allow_disagreement=True,
        indicator=chosen_indicator(fields, unit)
        or indicator_services.find_or_create_indicator(name, unit, value_kind),
        region=draft.document.region,
        year=year,
        value_kind=value_kind,
        value=value,
        unit=unit,
        qualifier=qualifier,
        base_year=base_year if value_kind != ValueKind.LEVEL else None,
        base_label=str(fields.get("base_label") or "")[:40] if value_kind != ValueKind.LEVEL else "",
        citation=citation,
        # 1-10月, 一季度: the record keeps the part of the year (the year alone would read as the total).
        **rules.observation_period(str(fields.get("months") or "")),
    )


def _create_target(user: Any, draft: DraftRecord, fields: dict[str, Any], citation: Citation) -> Target:
    """A target through the indicators' own service (its checks: permission, unit, one per year)."""
    name = _text_field(fields, "indicator", _("Indicator"), 200)
    unit = _text_field(fields, "unit", _("Unit"), 20)
    value = _decimal_field(fields, "value", _("Value"))
    year = _year_field(fields, "year", _("Year"))
    qualifier = _choice_field(fields, "qualifier", _("Qualifier"), Qualifier, Qualifier.AT_LEAST)
    return indicator_services.create_target(
        user,
        indicator=chosen_indicator(fields, unit) or indicator_services.find_or_create_indicator(name, unit),
        region=draft.document.region,
        year=year,
        value=value,
        unit=unit,
        qualifier=qualifier,
        citation=citation,
    )


def _create_honour(user: Any, draft: DraftRecord, fields: dict[str, Any], citation: Citation) -> Honour:
    return honour_services.create_honour(
        user,
        title=_text_field(fields, "title", _("Title"), 300),
        level=_choice_field(fields, "level", _("Level"), HonourLevel, HonourLevel.COUNTY),
        holder_region=draft.document.region,
        year=_year_field(fields, "year", _("Year"), required=False) or draft.document.year,
        citation=citation,
    )


def region_year_plan(document: Document) -> Plan:
    plan = Plan.objects.filter(region=document.region, year=document.year).order_by("id").first()
    if plan is None:
        raise ServiceError(
            _("There is no plan for %(region)s %(year)s yet; create the plan first.")
            % {"region": document.region, "year": document.year},
            field="plan",
        )
    return plan


def _create_key_project(
    user: Any, draft: DraftRecord, fields: dict[str, Any], citation: Citation
) -> models.Model:
    investment = _decimal_field(fields, "total_investment", _("Total investment (yuan)"), required=False)
    item = plan_services.create_item(
        user,
        region_year_plan(draft.document),
        kind=ItemKind.KEY_PROJECT,
        title=_text_field(fields, "title", _("Title"), 300),
        total_investment=investment.quantize(Decimal("0.01")) if investment is not None else None,
        citation=citation,
    )
    return item


def _accepted_node(draft: DraftRecord, start: Any) -> PlanNode | None:
    """The plan node created from the heading draft at `start` of the same document, if accepted."""
    if start is None:
        return None
    heading = (
        DraftRecord.objects.filter(document_id=draft.document_id, kind=ProposalKind.PLAN_NODE, start=start)
        .exclude(created_id=None)
        .first()
    )
    return PlanNode.objects.filter(pk=heading.created_id).first() if heading else None


def _create_plan_node(user: Any, draft: DraftRecord, fields: dict[str, Any], citation: Citation) -> PlanNode:
    plan = region_year_plan(draft.document)
    depth = int(fields.get("depth") or 0)
    return plan_services.create_node(
        user,
        plan,
        parent=_accepted_node(draft, fields.get("parent_start")),
        kind=NodeKind.AREA if depth == 0 else NodeKind.DIRECTION if depth == 1 else NodeKind.TASK_GROUP,
        number=_text_field(fields, "number", _("Number"), 20, required=False),
        title=_text_field(fields, "title", _("Title"), 300),
        order=draft.start,
        citation=citation,
    )


def _create_plan_task(
    user: Any, draft: DraftRecord, fields: dict[str, Any], citation: Citation
) -> models.Model:
    item = plan_services.create_item(
        user,
        region_year_plan(draft.document),
        kind=ItemKind.ROUTINE,
        node=_accepted_node(draft, fields.get("node_start")),
        title=_text_field(fields, "title", _("Title"), 300),
        citation=citation,
    )
    return item


def _draft_item_and_unit(draft: DraftRecord, fields: dict[str, Any]) -> tuple[WorkItem, Organisation]:
    item = (
        WorkItem.objects.select_related("plan__region")
        .filter(pk=fields.get("item"), plan__region=draft.document.region)
        .first()
    )
    if item is None:
        raise ServiceError(_("The ledger item of this proposal no longer exists."), field="item")
    unit = Organisation.objects.filter(pk=fields.get("unit")).first()
    # The person may have moved the draft to another item: the unit the text named reports only on
    # items it takes part in, otherwise the chosen item's lead unit does.
    if unit is None or not policy.unit_takes_part(unit.pk, item):
        unit = item.lead_unit
    if unit is None:
        raise ServiceError(_("The item has no responsible unit to report for."), field="item")
    return item, unit


def _create_progress_report(
    user: Any, draft: DraftRecord, fields: dict[str, Any], citation: Citation
) -> models.Model:
    """The unit's progress as the office enters it (督查室代填), with the sentence as its evidence."""
    item, unit = _draft_item_and_unit(draft, fields)
    return supervision_services.enter_report_for_unit(
        user,
        item,
        unit=unit,
        period=_text_field(fields, "period", _("Period"), 10),
        text=_text_field(fields, "text", _("Progress"), 2000),
        progress=_decimal_field(fields, "progress", _("Progress (%)")),
        evidence_text=_("Read from %(document)s: %(quote)s")
        % {"document": draft.document.title, "quote": citation.quote},
    )


def _create_notice(user: Any, draft: DraftRecord, fields: dict[str, Any], citation: Citation) -> models.Model:
    item, unit = _draft_item_and_unit(draft, fields)
    raw = str(fields.get("deadline") or "")
    try:
        answer_by = date.fromisoformat(raw)
    except ValueError as exc:
        raise ServiceError(
            _("Answer by is not a date: %(value)s") % {"value": raw}, field="deadline"
        ) from exc
    return supervision_services.issue_notice(
        user, item, unit=unit, content=_text_field(fields, "content", _("Content"), 2000), deadline=answer_by
    )


_CREATORS = {
    ProposalKind.OBSERVATION: _create_observation,
    ProposalKind.ITEM_COUNT: _create_observation,
    ProposalKind.TARGET: _create_target,
    ProposalKind.HONOUR: _create_honour,
    ProposalKind.KEY_PROJECT: _create_key_project,
    ProposalKind.PLAN_NODE: _create_plan_node,
    ProposalKind.PLAN_TASK: _create_plan_task,
    ProposalKind.PROGRESS_REPORT: _create_progress_report,
    ProposalKind.NOTICE: _create_notice,
}


def _locked_open_draft(user: Any, draft: DraftRecord) -> DraftRecord:
    _check_manager(user, draft.document.region)
    locked = (
        DraftRecord.objects.select_for_update(of=("self",))
        .select_related("document__region")
        .get(pk=draft.pk)
    )
    if locked.state != DraftState.PROPOSED:
        raise ServiceError(
            _("This proposal was already decided (%(state)s).") % {"state": locked.get_state_display()},
            field="state",
        )
    return locked


def _mark_decided(draft: DraftRecord, user: Any, state: str, record: models.Model | None) -> DraftRecord:
    draft.state = state
    draft.decided_by = user
    draft.decided_at = timezone.now()
    if record is not None:
        draft.created_type = ContentType.objects.get_for_model(record)
        draft.created_id = record.pk
    draft.save()
    return draft


@transaction.atomic
def accept_draft(user: Any, draft: DraftRecord, edited_fields: dict[str, Any] | None = None) -> DraftRecord:
    """Make the record a draft proposes (with the person's edits), cited to the draft's span.

    All or nothing: the citation, the record (and an indicator it needs) and the draft's new state
    are one transaction.
    """
    draft = _locked_open_draft(user, draft)
    if draft.kind not in _CREATORS:
        raise ServiceError(_("This mention is not a figure to record; reject it instead."), field="kind")
    fields = dict(draft.fields)
    edited = False
    if edited_fields:
        changed = {k: v for k, v in edited_fields.items() if fields.get(k) != v}
        edited = bool(changed)
        fields.update(edited_fields)
    # A kind the person switched (observation ⇄ target) is an edit of the reader's proposal too.
    edited = edited or draft.kind != draft.mention.get("reader_kind", draft.kind)
    citation = _cite(draft)
    record = _CREATORS[draft.kind](user, draft, fields, citation)
    draft.fields = fields
    return _mark_decided(draft, user, DraftState.EDITED if edited else DraftState.ACCEPTED, record)


SWITCHABLE_KINDS = (ProposalKind.OBSERVATION, ProposalKind.TARGET)


@transaction.atomic
def switch_draft_kind(user: Any, draft: DraftRecord, kind: str) -> DraftRecord:
    """Make an open figure proposal a target or an observation, before the person accepts it.

    Only the kind and the fields change (a growth target is the level of its rate, and switching
    back restores the observation's indicator); nothing is recorded until the draft is accepted.
    """
    draft = _locked_open_draft(user, draft)
    if kind not in SWITCHABLE_KINDS:
        raise ServiceError(_("Unknown kind: %(kind)s") % {"kind": kind}, field="kind")
    if kind == ProposalKind.TARGET:
        if draft.kind == ProposalKind.TARGET:
            return draft
        if not draft.can_become_target:
            raise ServiceError(_("Only an indicator figure can become a target."), field="kind")
        new_kind, fields = ProposalKind.TARGET, rules.as_target(draft.fields)
    else:
        if draft.kind in SWITCHABLE_TO_TARGET:
            return draft
        if draft.kind != ProposalKind.TARGET:
            raise ServiceError(_("Only a target can become an observation."), field="kind")
        fields = rules.as_observation(draft.fields)
        subject = str(draft.mention.get("subject") or fields.get("indicator") or "")
        new_kind = rules.observation_kind(str(draft.mention.get("kind") or ""), rules.indicator_name(subject))
    draft.mention = {**draft.mention, "reader_kind": draft.mention.get("reader_kind", draft.kind)}
    draft.kind = new_kind
    draft.fields = fields
    draft.save(update_fields=["kind", "fields", "mention", "updated_at"])
    return draft


@transaction.atomic
def reject_draft(user: Any, draft: DraftRecord) -> DraftRecord:
    """Record that a person saw the proposal and wants nothing from it."""
    draft = _locked_open_draft(user, draft)
    return _mark_decided(draft, user, DraftState.REJECTED, None)
