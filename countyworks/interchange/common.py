"""What export and import of a region-year share: the error, the schema file, the canonical text
and value formats, and the uid derived for every record (both directions compute it the same way)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from countyworks.core.services import ServiceError
from countyworks.interchange.formatspec import (
    build_schema,
    derived_uid,
    number_duplicates,
)
from countyworks.plans.models import PlanNode

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "region-year.schema.json"


class InterchangeError(ServiceError):
    """A file that cannot be imported; `field` is the JSON path of the bad value."""


# ---------------------------------------------------------------------------------------------
# Value formatting shared by export and by the uids computed at import.


def format_datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def dumps(data: dict[str, Any]) -> str:
    """The canonical text of an export: sorted keys, two-space indent, UTF-8, final newline."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


# ---------------------------------------------------------------------------------------------
# Derived uids: one function per table, used by both directions.


def node_uids(nodes: list[PlanNode], plan_key: list[Any]) -> dict[int, str]:
    """uid of every node of one plan, roots first so a child can name its parent's uid."""
    by_parent: dict[int | None, list[PlanNode]] = {}
    for node in sorted(nodes, key=lambda n: n.pk):
        by_parent.setdefault(node.parent_id, []).append(node)
    uids: dict[int, str] = {}
    level = by_parent.get(None, [])
    while level:
        bases = [
            derived_uid("node", [plan_key, uids.get(n.parent_id), n.number, n.title])
            for n in sorted(level, key=lambda n: n.pk)
        ]
        for node, uid in zip(sorted(level, key=lambda n: n.pk), number_duplicates(bases), strict=True):
            uids[node.pk] = uid
        level = [child for node in level for child in by_parent.get(node.pk, [])]
    return uids


def item_base_uid(plan_key: list[Any], number: str, title: str) -> str:
    return derived_uid("item", [plan_key, number, title])


def report_base_uid(item_uid: str, period: str, submitted_at: str | None, unit: Any) -> str:
    return derived_uid("report", [item_uid, period, submitted_at, unit])


def notice_base_uid(item_uid: str, unit: Any, issued_at: str | None) -> str:
    return derived_uid("notice", [item_uid, unit, issued_at])


def instruction_base_uid(item_uid: str, author: str, created_at: str | None) -> str:
    return derived_uid("instruction", [item_uid, author, created_at])


def observation_base_uid(r: dict[str, Any]) -> str:
    parts = [r[k] for k in ("indicator", "region", "organisation", "year", "quarter", "month")]
    return derived_uid("observation", [*parts, r["value_kind"], r["base_year"]])


def target_base_uid(r: dict[str, Any]) -> str:
    return derived_uid("target", [r["indicator"], r["region"], r["organisation"], r["year"]])


def honour_base_uid(r: dict[str, Any]) -> str:
    parts = [r["title"], r["level"], r["holder_region"], r["holder_organisation"], r["year"]]
    return derived_uid("honour", parts)


def write_schema() -> None:
    """Regenerate schema/region-year.schema.json from formatspec (run after changing SECTIONS)."""
    SCHEMA_PATH.parent.mkdir(exist_ok=True)
    SCHEMA_PATH.write_text(json.dumps(build_schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
