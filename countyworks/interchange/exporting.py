"""Export of one region-year in the versioned JSON format (docs/data-format.md).

`export_region_year` gathers a region's plan year and everything its records refer to, each record
keyed by its natural key or derived uid; `export_json` writes it as canonical text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Q

from countyworks.accounts import policy
from countyworks.accounts.models import User
from countyworks.honours.models import Honour
from countyworks.indicators.models import Indicator, Observation, Target
from countyworks.interchange.common import (
    InterchangeError,
    dumps,
    format_datetime,
    honour_base_uid,
    instruction_base_uid,
    item_base_uid,
    node_uids,
    notice_base_uid,
    observation_base_uid,
    report_base_uid,
    target_base_uid,
)
from countyworks.interchange.formatspec import (
    EVIDENCE_FIELDS,
    FORMAT_NAME,
    FORMAT_VERSION,
    MILESTONE_FIELDS,
    SECTIONS,
    number_duplicates,
    uid_order,
)
from countyworks.plans.models import Plan, PlanNode, WorkItem
from countyworks.regions.models import Organisation, Person, Region
from countyworks.sources.models import Citation, Document
from countyworks.supervision.models import Instruction, Notice, ProgressReport


def _format_decimal(value: Decimal | None, places: int) -> str | None:
    return None if value is None else f"{value:.{places}f}"


def _decimal_places(model: type[models.Model], name: str) -> int:
    return model._meta.get_field(name).decimal_places


def _sort_key(record: dict[str, Any], key_fields: Iterable[str]) -> str:
    return json.dumps([record.get(name) for name in key_fields], ensure_ascii=False, default=str)


# ---------------------------------------------------------------------------------------------
# Keys of referenced rows, loaded in bulk.


@dataclass
class _Keys:
    """id → natural key of the rows an export refers to (filled on demand, one query a table)."""

    region: dict[int, str] = field(default_factory=dict)
    org: dict[int, list[Any]] = field(default_factory=dict)
    person: dict[int, list[Any]] = field(default_factory=dict)
    citation: dict[int, list[Any]] = field(default_factory=dict)
    user: dict[int, str] = field(default_factory=dict)
    plan: dict[int, list[Any]] = field(default_factory=dict)

    def load(self) -> None:
        self.region = dict(Region.objects.values_list("id", "code"))
        self.org = {
            pk: [self.region[region_id], name]
            for pk, region_id, name in Organisation.objects.values_list("id", "region_id", "name")
        }


def _ser(obj: models.Model, section: str, keys: _Keys, fields: dict[str, str], **given: Any) -> dict:
    """One record of `section` from a model instance; `given` supplies the non-column fields."""
    model = type(obj)
    record: dict[str, Any] = {}
    for name, kind in fields.items():
        if name in given:
            record[name] = given[name]
            continue
        base = kind.rstrip("?")
        if base in ("str", "int", "bool", "code", "slug"):
            record[name] = getattr(obj, name)
        elif base == "decimal":
            record[name] = _format_decimal(getattr(obj, name), _decimal_places(model, name))
        elif base == "date":
            value = getattr(obj, name)
            record[name] = value.isoformat() if value else None
        elif base == "datetime":
            record[name] = format_datetime(getattr(obj, name))
        elif base in ("region", "org", "person", "citation", "user", "plan"):
            pk = getattr(obj, f"{name}_id")
            record[name] = None if pk is None else getattr(keys, base)[pk]
        else:  # pragma: no cover - a new kind in SECTIONS must be handled here
            raise AssertionError(f"{section}.{name}: no exporter for {kind}")
    return record


def _dedupe(records: list[dict[str, Any]], key_fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """Sorted records, one per key (the first, which comes from the lowest primary key)."""
    seen: dict[str, dict[str, Any]] = {}
    for record in records:
        seen.setdefault(_sort_key(record, key_fields), record)
    return [seen[k] for k in sorted(seen)]


def export_region_year(region_code: str, year: int, *, include_private: bool = False) -> dict[str, Any]:
    """Everything of one region's plan year, as a dict ready for `dumps`."""
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise InterchangeError(f"region: no region with code {region_code}", field="region")
    keys = _Keys()
    keys.load()
    # The region's subtree: every code that starts with its prefix (140427 → its towns too).
    prefix = policy.region_prefix(region)
    in_tree = Q(region__code__startswith=prefix)

    plans = list(Plan.objects.filter(region=region, year=year).order_by("id"))
    keys.plan = {p.pk: [keys.region[p.region_id], p.year, p.title] for p in plans}
    nodes = list(PlanNode.objects.filter(plan__in=plans).order_by("id"))
    items = list(
        WorkItem.all_objects.filter(plan__in=plans).prefetch_related("co_units", "milestones").order_by("id")
    )
    reports = list(
        ProgressReport.all_objects.filter(item__in=items).prefetch_related("evidence").order_by("id")
    )
    notices = list(Notice.objects.filter(item__in=items).order_by("id"))
    instructions = list(Instruction.objects.filter(item__in=items).order_by("id"))

    year_documents = Document.objects.filter(in_tree, year=year)
    observations = list(
        Observation.objects.filter(in_tree | Q(organisation__region__code__startswith=prefix))
        .filter(Q(year=year) | Q(citation__document__in=year_documents))
        .order_by("id")
    )
    targets = list(
        Target.objects.filter(in_tree | Q(organisation__region__code__startswith=prefix), year=year).order_by(
            "id"
        )
    )
    honours = list(
        Honour.objects.filter(
            Q(holder_region__code__startswith=prefix)
            | Q(holder_organisation__region__code__startswith=prefix)
        )
        .filter(Q(year=year) | Q(citation__document__in=year_documents))
        .order_by("id")
    )
    indicators = list(
        Indicator.objects.filter(
            Q(pk__in=[o.indicator_id for o in observations]) | Q(pk__in=[t.indicator_id for t in targets])
        ).order_by("id")
    )

    # Organisations: the subtree's, those the records name, and their parents.
    org_ids = set(Organisation.objects.filter(in_tree).values_list("id", flat=True))
    org_ids |= {i.lead_unit_id for i in items} | {o.pk for i in items for o in i.co_units.all()}
    org_ids |= {r.unit_id for r in reports} | {n.unit_id for n in notices}
    org_ids |= {o.organisation_id for o in observations} | {t.organisation_id for t in targets}
    org_ids |= {h.holder_organisation_id for h in honours}
    user_ids = {r.submitted_by_id for r in reports} | {r.reviewed_by_id for r in reports}
    user_ids |= {r.head_decided_by_id for r in reports}  # issue 13: 单位审签
    user_ids |= {n.issued_by_id for n in notices} | {n.answered_by_id for n in notices}
    user_ids |= {n.closed_by_id for n in notices} | {i.author_id for i in instructions}
    user_ids.discard(None)
    users = list(User.objects.filter(pk__in=user_ids).order_by("id"))
    org_ids |= {u.organisation_id for u in users}
    people = list(
        Person.objects.filter(
            in_tree | Q(pk__in=[i.lead_leader_id for i in items if i.lead_leader_id])
        ).order_by("id")
    )
    org_ids |= {p.organisation_id for p in people}
    org_ids.discard(None)
    organisations = list(Organisation.objects.filter(pk__in=org_ids))
    while True:  # parents outside the subtree come along so the tree stays whole
        missing = {o.parent_id for o in organisations if o.parent_id and o.parent_id not in org_ids}
        if not missing:
            break
        org_ids |= missing
        organisations += list(Organisation.objects.filter(pk__in=missing))
    organisations.sort(key=lambda o: o.pk)

    keys.person = {
        p.pk: [keys.region[p.region_id], p.name, p.title]
        for p in Person.objects.filter(pk__in={p.pk for p in people})
    }
    keys.user = {u.pk: u.username for u in users}

    cited = [*organisations, *plans, *nodes, *items, *observations, *targets, *honours]
    citation_ids = {o.citation_id for o in cited if o.citation_id}
    document_ids = set(year_documents.values_list("id", flat=True))
    document_ids |= set(Citation.objects.filter(pk__in=citation_ids).values_list("document_id", flat=True))
    documents = list(Document.objects.filter(pk__in=document_ids).order_by("id"))
    citations = list(Citation.objects.filter(document_id__in=document_ids).select_related("document"))
    citations.sort(key=lambda c: c.pk)
    keys.citation = {c.pk: [c.document.slug, c.start, c.end, c.section] for c in citations}
    slug = {d.pk: d.slug for d in documents}

    region_ids = {region.pk, *(o.region_id for o in organisations), *(p.region_id for p in people)}
    region_ids |= {d.region_id for d in documents} | {u.region_id for u in users}
    region_ids |= {o.region_id for o in observations} | {t.region_id for t in targets}
    region_ids |= {h.holder_region_id for h in honours}
    region_ids.discard(None)
    regions = {r.pk: r for r in Region.objects.filter(pk__in=region_ids)}
    while True:
        missing = {r.parent_id for r in regions.values() if r.parent_id and r.parent_id not in regions}
        if not missing:
            break
        regions.update({r.pk: r for r in Region.objects.filter(pk__in=missing)})

    spec = SECTIONS
    out: dict[str, Any] = {"format": FORMAT_NAME, "format_version": FORMAT_VERSION}
    out["region"] = region.code
    out["year"] = year
    out["regions"] = sorted(
        (_ser(r, "regions", keys, spec["regions"]) for r in regions.values()), key=lambda r: r["code"]
    )
    out["documents"] = sorted(
        (_ser(d, "documents", keys, spec["documents"]) for d in documents), key=lambda d: d["slug"]
    )
    out["citations"] = _dedupe(
        [_ser(c, "citations", keys, spec["citations"], document=slug[c.document_id]) for c in citations],
        ("document", "start", "end", "section"),
    )
    out["organisations"] = _dedupe(
        [
            _ser(o, "organisations", keys, spec["organisations"], parent=keys.org.get(o.parent_id))
            for o in organisations
        ],
        ("region", "name"),
    )
    people_fields = dict(spec["people"])
    if not include_private:
        del people_fields["phone"]
    out["people"] = _dedupe(
        [_ser(p, "people", keys, people_fields) for p in people], ("region", "name", "title")
    )
    out["users"] = sorted((_ser(u, "users", keys, spec["users"]) for u in users), key=lambda u: u["username"])
    out["indicators"] = sorted(
        (_ser(i, "indicators", keys, spec["indicators"]) for i in indicators), key=lambda i: i["code"]
    )
    out["plans"] = sorted(
        (_ser(p, "plans", keys, spec["plans"]) for p in plans), key=lambda p: _sort_key(p, ("year", "title"))
    )

    node_uid: dict[int, str] = {}
    for plan in plans:
        node_uid.update(node_uids([n for n in nodes if n.plan_id == plan.pk], keys.plan[plan.pk]))
    out["plan_nodes"] = sorted(
        (
            _ser(
                n,
                "plan_nodes",
                keys,
                spec["plan_nodes"],
                uid=node_uid[n.pk],
                parent=node_uid.get(n.parent_id),
            )
            for n in nodes
        ),
        key=lambda n: uid_order(n["uid"]),
    )

    item_uid = dict(
        zip(
            [i.pk for i in items],
            number_duplicates([item_base_uid(keys.plan[i.plan_id], i.number, i.title) for i in items]),
            strict=True,
        )
    )
    out["items"] = sorted(
        (
            _ser(
                i,
                "items",
                keys,
                spec["items"],
                uid=item_uid[i.pk],
                node=node_uid.get(i.node_id),
                co_units=sorted((keys.org[o.pk] for o in i.co_units.all()), key=json.dumps),
                milestones=sorted(
                    (_ser(m, "milestones", keys, MILESTONE_FIELDS) for m in i.milestones.all()),
                    key=lambda m: _sort_key(m, ("due_date", "title", "done_on")),
                ),
            )
            for i in items
        ),
        key=lambda i: uid_order(i["uid"]),
    )

    def report_record(r: ProgressReport, uid: str) -> dict[str, Any]:
        evidence = [_ser(e, "evidence", keys, EVIDENCE_FIELDS, file=e.file.name) for e in r.evidence.all()]
        return _ser(
            r,
            "progress_reports",
            keys,
            spec["progress_reports"],
            uid=uid,
            item=item_uid[r.item_id],
            evidence=sorted(evidence, key=lambda e: e["file"]),
        )

    report_uids = number_duplicates(
        [
            report_base_uid(
                item_uid[r.item_id], r.period, format_datetime(r.submitted_at), keys.org.get(r.unit_id)
            )
            for r in reports
        ]
    )
    out["progress_reports"] = sorted(
        (report_record(r, uid) for r, uid in zip(reports, report_uids, strict=True)),
        key=lambda r: uid_order(r["uid"]),
    )
    notice_uids = number_duplicates(
        [
            notice_base_uid(item_uid[n.item_id], keys.org[n.unit_id], format_datetime(n.issued_at))
            for n in notices
        ]
    )
    out["notices"] = sorted(
        (
            _ser(n, "notices", keys, spec["notices"], uid=uid, item=item_uid[n.item_id])
            for n, uid in zip(notices, notice_uids, strict=True)
        ),
        key=lambda n: uid_order(n["uid"]),
    )
    instruction_uids = number_duplicates(
        [
            instruction_base_uid(item_uid[i.item_id], keys.user[i.author_id], format_datetime(i.created_at))
            for i in instructions
        ]
    )
    out["instructions"] = sorted(
        (
            _ser(i, "instructions", keys, spec["instructions"], uid=uid, item=item_uid[i.item_id])
            for i, uid in zip(instructions, instruction_uids, strict=True)
        ),
        key=lambda i: uid_order(i["uid"]),
    )
    code = {i.pk: i.code for i in indicators}
    out["observations"] = _with_uids(
        [
            _ser(o, "observations", keys, spec["observations"], indicator=code[o.indicator_id], uid="")
            for o in observations
        ],
        observation_base_uid,
    )
    out["targets"] = _with_uids(
        [_ser(t, "targets", keys, spec["targets"], indicator=code[t.indicator_id], uid="") for t in targets],
        target_base_uid,
    )
    out["honours"] = _with_uids(
        [_ser(h, "honours", keys, spec["honours"], uid="") for h in honours], honour_base_uid
    )
    return out


def _with_uids(records: list[dict[str, Any]], base: Callable[[dict[str, Any]], str]) -> list[dict[str, Any]]:
    for record, uid in zip(records, number_duplicates([base(r) for r in records]), strict=True):
        record["uid"] = uid
    return sorted(records, key=lambda r: uid_order(r["uid"]))


def export_json(region_code: str, year: int, *, include_private: bool = False) -> str:
    return dumps(export_region_year(region_code, year, include_private=include_private))
