"""The region-year interchange format, version 2, described once.

Version 2 dropped the items' `light`, `is_overdue` and `light_updated_on`: they depend on the day a
file is read and are derived, never stored (supervision/status.py). A version 1 file is still read;
`upgrade()` removes those three fields first.

This module has no Django import: it names every section of an export file, the fields of
its records and their types, derives the JSON Schema from that description
(`schema/region-year.schema.json` is generated from `build_schema()`, and a test keeps the
two equal), and computes the derived `uid`s that identify records whose tables have no
natural key. `docs/data-format.md` explains the same in prose.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

FORMAT_NAME = "countyworks.region-year"
FORMAT_VERSION = 2
# Fields a version 1 file carried that version 2 derives instead.
DROPPED_IN_VERSION_2 = {"items": ("light", "is_overdue", "light_updated_on")}

# Field types. A trailing "?" means the value may be null.
#   str      text (possibly empty)            int      integer
#   bool     true/false                        decimal  a decimal number written as a string "12.50"
#   date     "YYYY-MM-DD"                      datetime ISO 8601 with a zone, written in UTC "…Z"
#   region   a region code "140427"            org      an organisation key [region code, name]
#   person   a person key [region, name, title]           plan  a plan key [region, year, title]
#   citation a citation key [document slug, start, end, section]
#   user     a user name                       uid      a derived identifier (see `derived_uid`)
#   orgs     a list of organisation keys       slug / code  a document slug / indicator code
SECTIONS: dict[str, dict[str, str]] = {
    "regions": {"code": "str", "name": "str", "level": "str", "parent": "region?"},
    "documents": {
        "slug": "str",
        "title": "str",
        "publisher": "str",
        "author": "str",
        "published_on": "date?",
        "kind": "str",
        "region": "region?",
        "year": "int?",
        "url": "str",
        "text": "str",
        "text_sha256": "str",
    },
    "citations": {
        "document": "slug",
        "start": "int?",
        "end": "int?",
        "section": "str",
        "quote": "str",
        "note": "str",
    },
    "organisations": {
        "region": "region",
        "name": "str",
        "short_name": "str",
        "kind": "str",
        "parent": "org?",
        "description": "str",
        # issue 13 (单位审签; optional: older files lack it).
        "reports_need_head_approval": "bool",
        "citation": "citation?",
    },
    "people": {
        "region": "region",
        "name": "str",
        "title": "str",
        "organisation": "org?",
        "is_county_leader": "bool",
        "phone": "str",
    },
    "users": {
        "username": "str",
        "first_name": "str",
        "last_name": "str",
        "role": "str",
        "region": "region?",
        "organisation": "org?",
    },
    "indicators": {
        "code": "code",
        "name": "str",
        "unit": "str",
        "direction": "str",
        "area": "str",
        "description": "str",
        "headline": "bool",
    },
    "plans": {
        "region": "region",
        "year": "int",
        "title": "str",
        "status": "str",
        "description": "str",
        "published": "bool",
        "internal": "bool",
        "citation": "citation?",
    },
    "plan_nodes": {
        "uid": "uid",
        "plan": "plan",
        "parent": "uid?",
        "kind": "str",
        "number": "str",
        "title": "str",
        "description": "str",
        "order": "int",
        "weight": "decimal",
        "citation": "citation?",
    },
    "items": {
        "uid": "uid",
        "plan": "plan",
        "node": "uid?",
        "kind": "str",
        "number": "str",
        "title": "str",
        "description": "str",
        "target": "str",
        "target_value": "decimal?",
        "target_unit": "str",
        "lead_leader": "person?",
        "lead_unit": "org?",
        "co_units": "orgs",
        "start_date": "date?",
        "due_date": "date?",
        # issue 13: the deadline before an approved extension (optional: older files lack it).
        "original_due_date": "date?",
        # issue 19: the item's own 报送频次 ("" follows the plan's cycle; optional: older files lack it).
        "report_cadence": "str",
        "completed_on": "date?",
        "progress": "decimal",
        "weight": "decimal",
        "status": "str",
        "stage": "str",
        "total_investment": "decimal?",
        "annual_planned_investment": "decimal?",
        "annual_completed_investment": "decimal?",
        "promised_on": "date?",
        "beneficiaries": "str",
        "beneficiary_count": "int?",
        "problem": "str",
        "measures": "str",
        "closed_on": "date?",
        "research_report": "str",
        "party_lecture_delivered": "bool",
        "party_lecture_on": "date?",
        "published": "bool",
        "internal": "bool",
        "illustrative": "bool",
        "deleted_at": "datetime?",
        "citation": "citation?",
        "milestones": "milestones",
    },
    "progress_reports": {
        "uid": "uid",
        "item": "uid",
        "period": "str",
        "text": "str",
        "progress": "decimal",
        "unit": "org?",
        "submitted_by": "user?",
        "submitted_at": "datetime",
        "state": "str",
        "reviewed_by": "user?",
        "reviewed_at": "datetime?",
        "review_comment": "str",
        # issue 13: the unit head's decision (单位审签; optional: older files lack it).
        "head_decided_by": "user?",
        "head_decided_at": "datetime?",
        "head_comment": "str",
        # issue 19: sent after its period's window closed (optional: older files lack it).
        "late": "bool",
        "illustrative": "bool",
        "deleted_at": "datetime?",
        "evidence": "evidence",
    },
    "notices": {
        "uid": "uid",
        "number": "str",
        "item": "uid",
        "unit": "org",
        "content": "str",
        "deadline": "date",
        "state": "str",
        "issued_by": "user?",
        "issued_at": "datetime",
        "automatic": "bool",
        "acknowledged_at": "datetime?",
        "answer": "str",
        "answered_by": "user?",
        "answered_at": "datetime?",
        "closed_at": "datetime?",
        "closed_by": "user?",
        "illustrative": "bool",
    },
    "instructions": {
        "uid": "uid",
        "item": "uid",
        "author": "user",
        "text": "str",
        "created_at": "datetime",
        # issue 13: the answer-by date of an instruction addressed to units (optional: older files lack it).
        "deadline": "date?",
        "illustrative": "bool",
    },
    "observations": {
        "uid": "uid",
        "indicator": "code",
        "region": "region?",
        "organisation": "org?",
        "year": "int",
        "quarter": "int?",
        "month": "int?",
        "value_kind": "str",
        "value": "decimal",
        "unit": "str",
        "qualifier": "str",
        "base_year": "int?",
        "base_label": "str",
        "doubtful": "bool",
        "note": "str",
        "published": "bool",
        "internal": "bool",
        "illustrative": "bool",
        "citation": "citation?",
    },
    "targets": {
        "uid": "uid",
        "indicator": "code",
        "region": "region?",
        "organisation": "org?",
        "year": "int",
        "value": "decimal",
        "unit": "str",
        "qualifier": "str",
        "citation": "citation?",
    },
    "honours": {
        "uid": "uid",
        "title": "str",
        "level": "str",
        "holder_region": "region?",
        "holder_organisation": "org?",
        "year": "int?",
        "issuer": "str",
        "note": "str",
        "published": "bool",
        "internal": "bool",
        "citation": "citation?",
    },
}

MILESTONE_FIELDS = {"title": "str", "due_date": "date?", "done_on": "date?"}
EVIDENCE_FIELDS = {
    "file": "str",
    "kind": "str",
    "original_name": "str",
    "content_type": "str",
    "size": "int",
    "caption": "str",
    "public": "bool",
}

# Fields a record may leave out (everything else is required).
OPTIONAL_FIELDS = {
    ("people", "phone"),
    ("items", "original_due_date"),
    ("organisations", "reports_need_head_approval"),
    ("progress_reports", "head_decided_by"),
    ("progress_reports", "head_decided_at"),
    ("progress_reports", "head_comment"),
    ("instructions", "deadline"),
    ("items", "report_cadence"),
    ("progress_reports", "late"),
}

_DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
_DATETIME_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$"
_DECIMAL_PATTERN = r"^-?\d+(\.\d+)?$"

# "x-error" is our own keyword: the message shown when a value does not match its definition.
_DEFS: dict[str, dict[str, Any]] = {
    "str": {"type": "string"},
    # Every integer column of the format is a count, offset or year: none is negative or beyond 32 bits.
    "int": {
        "type": "integer",
        "minimum": 0,
        "maximum": 2147483647,
        "x-error": "not an integer from 0 to 2147483647",
    },
    "bool": {"type": "boolean", "x-error": "not true or false"},
    "decimal": {"type": "string", "pattern": _DECIMAL_PATTERN, "x-error": "not a decimal number"},
    "date": {"type": "string", "pattern": _DATE_PATTERN, "format": "date", "x-error": "not a date"},
    "datetime": {
        "type": "string",
        "pattern": _DATETIME_PATTERN,
        "x-error": "not a date and time with a time zone",
    },
    "region": {"type": "string", "pattern": r"^\d{6,12}$", "x-error": "not a region code"},
    "slug": {"type": "string", "minLength": 1, "x-error": "not a document slug"},
    "code": {"type": "string", "minLength": 1, "x-error": "not an indicator code"},
    "user": {"type": "string", "minLength": 1, "x-error": "not a user name"},
    "uid": {"type": "string", "minLength": 1, "x-error": "not a uid"},
    "org": {
        "type": "array",
        "prefixItems": [{"$ref": "#/$defs/region"}, {"type": "string", "minLength": 1}],
        "minItems": 2,
        "maxItems": 2,
        "x-error": "not an organisation key [region code, name]",
    },
    "person": {
        "type": "array",
        "prefixItems": [{"$ref": "#/$defs/region"}, {"type": "string"}, {"type": "string"}],
        "minItems": 3,
        "maxItems": 3,
        "x-error": "not a person key [region code, name, title]",
    },
    "plan": {
        "type": "array",
        "prefixItems": [{"$ref": "#/$defs/region"}, {"$ref": "#/$defs/int"}, {"type": "string"}],
        "minItems": 3,
        "maxItems": 3,
        "x-error": "not a plan key [region code, year, title]",
    },
    "citation": {
        "type": "array",
        "prefixItems": [
            {"type": "string", "minLength": 1},
            {"anyOf": [{"type": "null"}, {"$ref": "#/$defs/int"}]},
            {"anyOf": [{"type": "null"}, {"$ref": "#/$defs/int"}]},
            {"type": "string"},
        ],
        "minItems": 4,
        "maxItems": 4,
        "x-error": "not a citation key [document slug, start, end, section]",
    },
    "orgs": {"type": "array", "items": {"$ref": "#/$defs/org"}},
}


def _field_schema(kind: str) -> dict[str, Any]:
    nullable = kind.endswith("?")
    base = kind.rstrip("?")
    if base == "milestones":
        return {"type": "array", "items": _record_schema(MILESTONE_FIELDS, set())}
    if base == "evidence":
        return {"type": "array", "items": _record_schema(EVIDENCE_FIELDS, set())}
    ref = {"$ref": f"#/$defs/{base}"}
    return {"anyOf": [{"type": "null"}, ref]} if nullable else ref


def _record_schema(fields: dict[str, str], optional: set[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": sorted(name for name in fields if name not in optional),
        "properties": {name: _field_schema(kind) for name, kind in fields.items()},
    }


def build_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the format's current version."""
    sections = {
        name: {
            "type": "array",
            "items": _record_schema(fields, {field for section, field in OPTIONAL_FIELDS if section == name}),
        }
        for name, fields in SECTIONS.items()
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://countyworks.example/schema/region-year.schema.json",
        "title": "CountyWorks region-year export",
        "description": "One region's plan year with everything it refers to; see docs/data-format.md.",
        "type": "object",
        "additionalProperties": False,
        "required": ["format", "format_version", "region", "year", *SECTIONS],
        "properties": {
            "format": {"const": FORMAT_NAME},
            "format_version": {"const": FORMAT_VERSION, "x-error": "unsupported format version"},
            "region": {"$ref": "#/$defs/region"},
            "year": {"type": "integer", "minimum": 1900, "maximum": 2200},
            "exported_with": {"type": "object"},
            **sections,
        },
        "$defs": _DEFS,
    }


def derived_uid(prefix: str, parts: Iterable[Any]) -> str:
    """A stable identifier made from the fields that name a record.

    The same parts always give the same uid, on any machine and database, so an export
    and a later import agree on which row a record is without a uid column in the table.
    """
    text = json.dumps(list(parts), ensure_ascii=False, separators=(",", ":"), default=str)
    return f"{prefix}-{hashlib.sha256(text.encode()).hexdigest()[:16]}"


def number_duplicates(base_uids: list[str]) -> list[str]:
    """Make uids unique: the second record with the same base uid gets "-2", the third "-3"…

    The caller passes the base uids in a stable order (by primary key), so a database
    built by an import numbers its duplicates the same way as the one exported.
    """
    seen: dict[str, int] = {}
    result = []
    for uid in base_uids:
        seen[uid] = seen.get(uid, 0) + 1
        result.append(uid if seen[uid] == 1 else f"{uid}-{seen[uid]}")
    return result


def uid_order(uid: str) -> tuple[str, int, str]:
    """Sort key of uids: "x-2" before "x-10", so duplicates are listed in the order they were numbered.

    An importer numbers duplicates in file order, so the file must list them in that order
    for a re-export to give the same bytes.
    """
    base, dash, suffix = uid.rpartition("-")
    if dash and suffix.isdigit() and len(base.rpartition("-")[2]) == 16:
        return base, int(suffix), uid
    return uid, 1, uid


def json_path(section: str, index: int, field: str | None = None) -> str:
    """The location of a record (and field) as error messages show it: `items[3].due_date`."""
    where = f"{section}[{index}]"
    return f"{where}.{field}" if field else where


def upgrade(data: Any) -> Any:
    """A file of an earlier version in the current version's shape (unknown versions are left alone)."""
    if isinstance(data, dict) and data.get("format_version") == 1:
        data = {**data, "format_version": FORMAT_VERSION}
        for section, names in DROPPED_IN_VERSION_2.items():
            if isinstance(data.get(section), list):
                data[section] = [
                    {k: v for k, v in record.items() if k not in names}
                    if isinstance(record, dict)
                    else record
                    for record in data[section]
                ]
    return data
