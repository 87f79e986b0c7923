"""Import of one region-year file in the versioned JSON format (docs/data-format.md).

`import_region_year` validates a file against the JSON Schema and writes it in one transaction,
matching every record by its natural key or derived uid, so importing twice changes nothing and a
bad record leaves the database as it was.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction

from countyworks.accounts.models import User
from countyworks.honours.models import Honour
from countyworks.indicators.models import Indicator, Observation, Target
from countyworks.interchange.common import (
    SCHEMA_PATH,
    InterchangeError,
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
    FORMAT_VERSION,
    MILESTONE_FIELDS,
    SECTIONS,
    derived_uid,
    json_path,
    number_duplicates,
    upgrade,
)
from countyworks.plans.models import Milestone, Plan, PlanNode, WorkItem
from countyworks.regions.models import Organisation, Person, Region
from countyworks.sources.models import Citation, Document
from countyworks.supervision.models import Evidence, Instruction, Notice, ProgressReport

_STORED_EVIDENCE_NAME = re.compile(r"^evidence/[A-Za-z0-9_-]{1,100}(\.[A-Za-z0-9]{1,8})?$")

# ---------------------------------------------------------------------------------------------
# Validation.


@cache
def _validator() -> Any:
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def _path_text(parts: Iterable[Any]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(file)"


def validate(data: Any) -> None:
    """Refuse a file that does not follow the schema, naming the first bad record and field."""
    if isinstance(data, dict) and data.get("format_version") not in (None, FORMAT_VERSION):
        raise InterchangeError(
            f"format_version: this file is version {data.get('format_version')!r}; "
            f"this CountyWorks reads version {FORMAT_VERSION}",
            field="format_version",
        )
    errors = sorted(_validator().iter_errors(data), key=lambda e: (list(e.absolute_path), e.message))
    if not errors:
        return
    error = errors[0]
    # A failure inside anyOf (a nullable reference) is reported with the inner definition's message.
    detail = error
    while detail.context:
        named = [e for e in detail.context if e.schema.get("x-error")]
        detail = (named or list(detail.context))[-1]
    path = _path_text(error.absolute_path)
    message = error.schema.get("x-error") or detail.schema.get("x-error") or detail.message
    if error.validator == "additionalProperties" or error.validator == "required":
        message = error.message
    raise InterchangeError(f"{path}: {message}", field=path)


def load_file(path: str | Path) -> dict[str, Any]:
    """Read a file as JSON, with a clear message for a truncated or non-JSON file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InterchangeError(f"{path}: cannot be read ({exc})") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InterchangeError(
            f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg}); "
            "the file may be truncated"
        ) from exc


# ---------------------------------------------------------------------------------------------
# Import.


@dataclass
class ImportSummary:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def count(self, section: str, outcome: str) -> None:
        counter = getattr(self, outcome)
        counter[section] = counter.get(section, 0) + 1

    def as_text(self) -> str:
        sections = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        return "\n".join(
            f"{s}: {self.created.get(s, 0)} created, {self.updated.get(s, 0)} updated, "
            f"{self.unchanged.get(s, 0)} unchanged"
            for s in sections
        )


def _save_record(obj: models.Model) -> None:
    """The one place an import writes a row (tests inject failures here)."""
    obj.save()


class _Importer:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.summary = ImportSummary()
        self.path = "(file)"
        self.region = dict(Region.objects.values_list("code", "id"))
        self.org = {
            (code, name): pk
            for pk, code, name in Organisation.objects.values_list("id", "region__code", "name").order_by(
                "-id"
            )
        }
        self.person = {
            (code, name, title): pk
            for pk, code, name, title in Person.objects.values_list(
                "id", "region__code", "name", "title"
            ).order_by("-id")
        }
        self.citation: dict[tuple, int] = {}
        self.user = dict(User.objects.values_list("username", "id"))
        self.plan: dict[tuple, int] = {}
        self.document = dict(Document.objects.values_list("slug", "id"))
        self.indicator = dict(Indicator.objects.values_list("code", "id"))
        self.node_by_file_uid: dict[str, PlanNode] = {}
        self.node_uid_of: dict[int, str] = {}
        self.item_by_file_uid: dict[str, WorkItem] = {}
        self.item_uid_of: dict[int, str] = {}

    # -- helpers -----------------------------------------------------------------------------

    def fail(self, field_name: str | None, message: str) -> InterchangeError:
        where = f"{self.path}.{field_name}" if field_name else self.path
        return InterchangeError(f"{where}: {message}", field=where)

    def _resolve(self, kind: str, value: Any, field_name: str) -> Any:
        if value is None:
            return None
        table = {"region": self.region, "org": self.org, "person": self.person}
        if kind in ("org", "person"):
            lookup = tuple(value)
        elif kind == "citation":
            lookup = tuple(value)
            if lookup not in self.citation:
                self._load_citations(value[0])
            table["citation"] = self.citation
        elif kind == "plan":
            lookup = tuple(value)
            if lookup not in self.plan:
                found = Plan.objects.filter(region__code=value[0], year=value[1], title=value[2]).first()
                if found:
                    self.plan[lookup] = found.pk
            table["plan"] = self.plan
        elif kind == "user":
            lookup = value
            table["user"] = self.user
        else:
            lookup = value
        found = table[kind].get(lookup)
        if found is None:
            names = {"region": "region", "org": "organisation", "person": "person", "citation": "citation"}
            raise self.fail(
                field_name, f"unknown {names.get(kind, kind)} {json.dumps(value, ensure_ascii=False)}"
            )
        return found

    def _load_citations(self, slug: str) -> None:
        for pk, start, end, section in (
            Citation.objects.filter(document__slug=slug)
            .order_by("-id")
            .values_list("id", "start", "end", "section")
        ):
            self.citation[(slug, start, end, section)] = pk

    def attrs(
        self, record: dict[str, Any], fields: dict[str, str], model: type[models.Model]
    ) -> dict[str, Any]:
        """Model attribute values of a record; references become primary keys (`lead_unit_id`)."""
        values: dict[str, Any] = {}
        for name, kind in fields.items():
            if name not in record:
                continue
            value = record[name]
            base = kind.rstrip("?")
            if base in ("str", "int", "bool", "code"):
                values[name] = value
            elif base == "decimal":
                try:
                    values[name] = None if value is None else Decimal(value)
                except InvalidOperation as exc:
                    raise self.fail(name, "not a decimal number") from exc
            elif base == "date":
                try:
                    values[name] = None if value is None else date.fromisoformat(value)
                except ValueError as exc:
                    raise self.fail(name, "not a date") from exc
            elif base == "datetime":
                try:
                    parsed = None if value is None else datetime.fromisoformat(value)
                except ValueError as exc:
                    raise self.fail(name, "not a date and time") from exc
                if parsed is not None and parsed.tzinfo is None:
                    raise self.fail(name, "a date and time needs a time zone")
                values[name] = parsed
            elif base in ("region", "org", "person", "citation", "user", "plan"):
                values[f"{name}_id"] = self._resolve(base, value, name)
        return values

    def upsert(
        self, section: str, model: type[models.Model], existing: models.Model | None, values: dict
    ) -> Any:
        """Create or update one row; a row whose values already match is left alone."""
        if existing is None:
            obj = model(**values)
            outcome = "created"
        else:
            obj = existing
            changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
            if not changed:
                self.summary.count(section, "unchanged")
                return obj
            for name, value in changed.items():
                setattr(obj, name, value)
            outcome = "updated"
        relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
        try:
            obj.full_clean(exclude=relations, validate_unique=False)
        except ValidationError as exc:
            name, messages = next(iter(exc.message_dict.items()))
            name = None if name == "__all__" else name
            raise self.fail(name, " ".join(str(m) for m in messages)) from exc
        _save_record(obj)
        self.summary.count(section, outcome)
        return obj

    def _datetime_text(self, record: dict[str, Any], name: str) -> str | None:
        return format_datetime(self.attrs(record, {name: "datetime"}, models.Model)[name])

    def each(self, section: str) -> Iterable[tuple[int, dict[str, Any]]]:
        for index, record in enumerate(self.data[section]):
            self.path = json_path(section, index)
            yield index, record

    # -- sections ----------------------------------------------------------------------------

    def run(self) -> ImportSummary:
        self.regions()
        self.documents()
        self.citations()
        self.organisations()
        self.people()
        self.users()
        self.indicators()
        self.plans()
        self.plan_nodes()
        self.items()
        self.progress_reports()
        self.notices()
        self.instructions()
        self.by_uid("observations", Observation, observation_base_uid)
        self.by_uid("targets", Target, target_base_uid)
        self.by_uid("honours", Honour, honour_base_uid)
        return self.summary

    def regions(self) -> None:
        # Parents first: a region's code sorts after its ancestors' codes.
        records = sorted(
            enumerate(self.data["regions"]), key=lambda pair: (pair[1]["parent"] or "", pair[1]["code"])
        )
        pending = records
        while pending:
            waiting = []
            for index, record in pending:
                self.path = json_path("regions", index)
                if record["parent"] and record["parent"] not in self.region:
                    waiting.append((index, record))
                    continue
                values = self.attrs(record, SECTIONS["regions"], Region)
                existing = Region.objects.filter(code=record["code"]).first()
                self.region[record["code"]] = self.upsert("regions", Region, existing, values).pk
            if len(waiting) == len(pending):
                index, record = waiting[0]
                self.path = json_path("regions", index)
                raise self.fail("parent", f"unknown region {record['parent']}")
            pending = waiting

    def documents(self) -> None:
        for _, record in self.each("documents"):
            values = self.attrs(record, SECTIONS["documents"], Document)
            existing = Document.objects.filter(slug=record["slug"]).first()
            self.document[record["slug"]] = self.upsert("documents", Document, existing, values).pk

    def citations(self) -> None:
        for _, record in self.each("citations"):
            values = self.attrs(record, SECTIONS["citations"], Citation)
            document_id = self.document.get(record["document"])
            if document_id is None:
                raise self.fail("document", f"unknown document {record['document']}")
            values["document_id"] = document_id
            key = (record["document"], record["start"], record["end"], record["section"])
            if key not in self.citation:
                self._load_citations(record["document"])
            existing = (
                Citation.objects.filter(pk=self.citation.get(key)).first() if key in self.citation else None
            )
            self.citation[key] = self.upsert("citations", Citation, existing, values).pk

    def organisations(self) -> None:
        # Two passes: rows first, then parents (a parent may come later in the file).
        fields = {k: v for k, v in SECTIONS["organisations"].items() if k != "parent"}
        for _, record in self.each("organisations"):
            values = self.attrs(record, fields, Organisation)
            key = (record["region"], record["name"])
            existing = Organisation.objects.filter(pk=self.org.get(key)).first() if key in self.org else None
            self.org[key] = self.upsert("organisations", Organisation, existing, values).pk
        for _, record in self.each("organisations"):
            parent_id = self._resolve("org", record["parent"], "parent")
            obj = Organisation.objects.get(pk=self.org[(record["region"], record["name"])])
            if obj.parent_id != parent_id:
                obj.parent_id = parent_id
                _save_record(obj)

    def people(self) -> None:
        for _, record in self.each("people"):
            values = self.attrs(record, SECTIONS["people"], Person)
            key = (record["region"], record["name"], record["title"])
            existing = Person.objects.filter(pk=self.person.get(key)).first() if key in self.person else None
            self.person[key] = self.upsert("people", Person, existing, values).pk

    def users(self) -> None:
        # An import never changes an existing account (its role decides what it may do);
        # a missing one is created inactive, without a password, so it cannot log in.
        for _, record in self.each("users"):
            if record["username"] in self.user:
                self.summary.count("users", "unchanged")
                continue
            values = self.attrs(record, SECTIONS["users"], User)
            values.update(is_active=False, password=make_password(None))
            self.user[record["username"]] = self.upsert("users", User, None, values).pk

    def indicators(self) -> None:
        for _, record in self.each("indicators"):
            values = self.attrs(record, SECTIONS["indicators"], Indicator)
            existing = Indicator.objects.filter(code=record["code"]).first()
            self.indicator[record["code"]] = self.upsert("indicators", Indicator, existing, values).pk

    def plans(self) -> None:
        for _, record in self.each("plans"):
            values = self.attrs(record, SECTIONS["plans"], Plan)
            key = (record["region"], record["year"], record["title"])
            existing = Plan.objects.filter(
                region_id=values["region_id"], year=record["year"], title=record["title"]
            ).first()
            self.plan[key] = self.upsert("plans", Plan, existing, values).pk

    def plan_nodes(self) -> None:
        fields = {k: v for k, v in SECTIONS["plan_nodes"].items() if k not in ("uid", "parent")}
        records = list(enumerate(self.data["plan_nodes"]))
        known_uids = {r["uid"] for _, r in records}
        for index, record in records:
            if record["parent"] is not None and record["parent"] not in known_uids:
                self.path = json_path("plan_nodes", index)
                raise self.fail("parent", f"unknown node {record['parent']}")
        existing_by_plan: dict[int, dict[str, PlanNode]] = {}
        level = [(i, r) for i, r in records if r["parent"] is None]
        while level:
            # The uid a record should have in this database, numbered like the exporter does.
            bases = []
            for index, record in level:
                self.path = json_path("plan_nodes", index)
                parent = self.node_by_file_uid[record["parent"]] if record["parent"] else None
                parent_uid = self.node_uid_of[parent.pk] if parent else None
                bases.append(
                    derived_uid("node", [record["plan"], parent_uid, record["number"], record["title"]])
                )
            for (index, record), uid in zip(level, number_duplicates(bases), strict=True):
                self.path = json_path("plan_nodes", index)
                values = self.attrs(record, fields, PlanNode)
                parent = self.node_by_file_uid[record["parent"]] if record["parent"] else None
                values["parent_id"] = parent.pk if parent else None
                plan_id = values["plan_id"]
                if plan_id not in existing_by_plan:
                    nodes = list(PlanNode.objects.filter(plan_id=plan_id))
                    existing_by_plan[plan_id] = {
                        u: n for n, u in ((n, node_uids(nodes, record["plan"]).get(n.pk)) for n in nodes)
                    }
                node = self.upsert("plan_nodes", PlanNode, existing_by_plan[plan_id].get(uid), values)
                existing_by_plan[plan_id][uid] = node
                self.node_by_file_uid[record["uid"]] = node
                self.node_uid_of[node.pk] = uid
            level_uids = {r["uid"] for _, r in level}
            level = [(i, r) for i, r in records if r["parent"] in level_uids]

    def items(self) -> None:
        fields = {
            k: v for k, v in SECTIONS["items"].items() if k not in ("uid", "node", "co_units", "milestones")
        }
        existing_by_plan: dict[int, dict[str, WorkItem]] = {}
        records = list(self.each("items"))
        base_uids = [item_base_uid(r["plan"], r["number"], r["title"]) for _, r in records]
        for (index, record), uid in zip(records, number_duplicates(base_uids), strict=True):
            self.path = json_path("items", index)
            values = self.attrs(record, fields, WorkItem)
            if record["node"] is not None:
                node = self.node_by_file_uid.get(record["node"])
                if node is None:
                    raise self.fail("node", f"unknown node {record['node']}")
                values["node_id"] = node.pk
            else:
                values["node_id"] = None
            plan_id = values["plan_id"]
            if plan_id not in existing_by_plan:
                rows = list(WorkItem.all_objects.filter(plan_id=plan_id).order_by("id"))
                uids = number_duplicates([item_base_uid(record["plan"], i.number, i.title) for i in rows])
                existing_by_plan[plan_id] = dict(zip(uids, rows, strict=True))
            item = self.upsert("items", WorkItem, existing_by_plan[plan_id].get(uid), values)
            existing_by_plan[plan_id][uid] = item
            self.item_by_file_uid[record["uid"]] = item
            self.item_uid_of[item.pk] = uid
            co_unit_ids = {self._resolve("org", key, "co_units") for key in record["co_units"]}
            if set(item.co_units.values_list("id", flat=True)) != co_unit_ids:
                item.co_units.set(co_unit_ids)
            self.milestones(item, record["milestones"])

    def milestones(self, item: WorkItem, records: list[dict[str, Any]]) -> None:
        existing = {(m.title, m.due_date): m for m in item.milestones.order_by("-id")}
        outer = self.path
        for index, record in enumerate(records):
            self.path = f"{outer}.milestones[{index}]"
            values = self.attrs(record, MILESTONE_FIELDS, Milestone) | {"item_id": item.pk}
            found = existing.get((values["title"], values["due_date"]))
            self.upsert("milestones", Milestone, found, values)
        self.path = outer

    def _item(self, record: dict[str, Any]) -> WorkItem:
        item = self.item_by_file_uid.get(record["item"])
        if item is None:
            raise self.fail("item", f"unknown item {record['item']}")
        return item

    def _existing_for_items(self, model: type[models.Model], uid_of: Callable[[Any], str]) -> dict[str, Any]:
        manager = getattr(model, "all_objects", model._default_manager)
        rows = list(manager.filter(item_id__in=list(self.item_uid_of)).order_by("id"))
        return dict(zip(number_duplicates([uid_of(r) for r in rows]), rows, strict=True))

    def progress_reports(self) -> None:
        fields = {
            k: v for k, v in SECTIONS["progress_reports"].items() if k not in ("uid", "item", "evidence")
        }
        org_key = {pk: list(key) for key, pk in self.org.items()}
        existing = self._existing_for_items(
            ProgressReport,
            lambda r: report_base_uid(
                self.item_uid_of[r.item_id],
                r.period,
                format_datetime(r.submitted_at),
                org_key.get(r.unit_id),
            ),
        )
        records = list(self.each("progress_reports"))
        bases = []
        for index, record in records:
            self.path = json_path("progress_reports", index)
            bases.append(
                report_base_uid(
                    self.item_uid_of[self._item(record).pk],
                    record["period"],
                    self._datetime_text(record, "submitted_at"),
                    record["unit"],
                )
            )
        for (index, record), uid in zip(records, number_duplicates(bases), strict=True):
            self.path = json_path("progress_reports", index)
            values = self.attrs(record, fields, ProgressReport) | {"item_id": self._item(record).pk}
            report = self.upsert("progress_reports", ProgressReport, existing.get(uid), values)
            existing[uid] = report
            stored = {e.file.name: e for e in report.evidence.all()}
            outer = self.path
            for e_index, e_record in enumerate(record["evidence"]):
                self.path = f"{outer}.evidence[{e_index}]"
                e_values = self.attrs(e_record, EVIDENCE_FIELDS, Evidence) | {"report_id": report.pk}
                if not _STORED_EVIDENCE_NAME.match(e_record["file"]):
                    # Only names our storage generates: a path like ../../etc/passwd must never
                    # become a file the app would later open or serve.
                    raise self.fail("file", "not a stored evidence file name (evidence/<name>)")
                found = stored.get(e_record["file"])
                self.upsert("evidence", Evidence, found, e_values)
            self.path = outer

    def notices(self) -> None:
        fields = {k: v for k, v in SECTIONS["notices"].items() if k not in ("uid", "item")}
        org_key = {pk: list(key) for key, pk in self.org.items()}
        existing = self._existing_for_items(
            Notice,
            lambda n: notice_base_uid(
                self.item_uid_of[n.item_id], org_key.get(n.unit_id), format_datetime(n.issued_at)
            ),
        )
        records = list(self.each("notices"))
        bases = []
        for index, record in records:
            self.path = json_path("notices", index)
            issued = self._datetime_text(record, "issued_at")
            bases.append(notice_base_uid(self.item_uid_of[self._item(record).pk], record["unit"], issued))
        for (index, record), uid in zip(records, number_duplicates(bases), strict=True):
            self.path = json_path("notices", index)
            values = self.attrs(record, fields, Notice) | {"item_id": self._item(record).pk}
            existing[uid] = self.upsert("notices", Notice, existing.get(uid), values)

    def instructions(self) -> None:
        fields = {k: v for k, v in SECTIONS["instructions"].items() if k not in ("uid", "item", "created_at")}
        username = {pk: name for name, pk in self.user.items()}
        existing = self._existing_for_items(
            Instruction,
            lambda i: instruction_base_uid(
                self.item_uid_of[i.item_id], username.get(i.author_id), format_datetime(i.created_at)
            ),
        )
        records = list(self.each("instructions"))
        bases = []
        for index, record in records:
            self.path = json_path("instructions", index)
            created = self._datetime_text(record, "created_at")
            bases.append(
                instruction_base_uid(self.item_uid_of[self._item(record).pk], record["author"], created)
            )
        for (index, record), uid in zip(records, number_duplicates(bases), strict=True):
            self.path = json_path("instructions", index)
            values = self.attrs(record, fields, Instruction) | {"item_id": self._item(record).pk}
            created_at = self.attrs(record, {"created_at": "datetime"}, Instruction)["created_at"]
            instruction = self.upsert("instructions", Instruction, existing.get(uid), values)
            existing[uid] = instruction
            # created_at is stamped automatically on save; the file's time is set afterwards.
            if instruction.created_at != created_at:
                Instruction.objects.filter(pk=instruction.pk).update(created_at=created_at)

    def by_uid(self, section: str, model: type[models.Model], base: Callable[[dict[str, Any]], str]) -> None:
        fields = {k: v for k, v in SECTIONS[section].items() if k not in ("uid", "indicator")}
        records = list(self.each(section))
        codes = {r["indicator"] for _, r in records if "indicator" in r}
        rows = model.objects.order_by("id")
        if model is not Honour:
            rows = rows.select_related("indicator")
        if codes:
            rows = rows.filter(indicator__code__in=codes)
        region_code = {pk: code for code, pk in self.region.items()}
        org_key = {pk: list(key) for key, pk in self.org.items()}
        existing_records = []
        for row in rows:
            as_record = {"indicator": getattr(getattr(row, "indicator", None), "code", None)}
            for name, kind in SECTIONS[section].items():
                b = kind.rstrip("?")
                if b == "region":
                    as_record[name] = region_code.get(getattr(row, f"{name}_id"))
                elif b == "org":
                    pk = getattr(row, f"{name}_id")
                    as_record[name] = org_key.get(pk) if pk else None
                elif b in ("str", "int"):
                    as_record[name] = getattr(row, name)
            existing_records.append(as_record)
        existing = dict(zip(number_duplicates([base(r) for r in existing_records]), rows, strict=True))
        for (index, record), uid in zip(
            records, number_duplicates([base(r) for _, r in records]), strict=True
        ):
            self.path = json_path(section, index)
            values = self.attrs(record, fields, model)
            if "indicator" in record:
                indicator_id = self.indicator.get(record["indicator"])
                if indicator_id is None:
                    raise self.fail("indicator", f"unknown indicator {record['indicator']}")
                values["indicator_id"] = indicator_id
            existing[uid] = self.upsert(section, model, existing.get(uid), values)


def import_region_year(data: Any) -> ImportSummary:
    """Validate and write a region-year file in one transaction: all of it or nothing."""
    data = upgrade(data)
    validate(data)
    importer = _Importer(data)
    try:
        with transaction.atomic():
            return importer.run()
    except DatabaseError as exc:
        raise InterchangeError(
            f"{importer.path}: the database refused the record ({exc})", field=importer.path
        ) from exc
