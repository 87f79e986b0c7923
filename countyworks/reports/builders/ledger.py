"""The ledger workbook report: one sheet per item kind, in the task-table columns of the ledger export."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils import translation

from countyworks.accounts import policy
from countyworks.core.xlsx import Column
from countyworks.plans.models import (
    ItemKind,
    WorkItem,
)
from countyworks.regions.models import Region
from countyworks.reports.builders.words import kind_words, light_words, status_words
from countyworks.supervision import status
from countyworks.supervision.ledger_export import ITEM_COLUMNS, STATUS_COLUMN, item_cells

# The task-table columns are the ledger screen's export's (supervision/ledger_export.py), always in Chinese here
# like the rest of the report, then the status in the report's words and the traffic light.
LIGHT_COLUMN = Column("红黄绿灯")
OVERDUE_COLUMN = Column("是否逾期")
LEDGER_COLUMNS = (*ITEM_COLUMNS, STATUS_COLUMN, LIGHT_COLUMN, OVERDUE_COLUMN)


def ledger_headers() -> list[str]:
    with translation.override("zh-hans"):
        return [str(column.header) for column in LEDGER_COLUMNS]


@dataclass
class LedgerSheet:
    kind: str
    title: str
    rows: list[list[Any]]  # values in LEDGER_COLUMNS order: the task columns, status, light, overdue
    lights: list[str]


def build_ledger(region: Region, year: int, user: Any = None) -> list[LedgerSheet]:
    """One sheet per item kind that has items, with today's lights. With a user, only the items policy
    lets them read."""
    items = WorkItem.objects.filter(plan__region=region, plan__year=year)
    if user is not None:
        items = items.filter(pk__in=policy.visible_items(user).values("pk"))
    items = (
        status.annotate(items)
        .select_related("lead_leader", "lead_unit")
        .prefetch_related("co_units")
        .order_by("kind", "plan_id", "node_id", "id")
    )
    grouped: dict[str, list[WorkItem]] = defaultdict(list)
    for item in items:
        grouped[item.kind].append(item)
    sheets = []
    for kind, _label in ItemKind.choices:
        if kind not in grouped:
            continue
        rows, lights = [], []
        for n, item in enumerate(grouped[kind], start=1):
            rows.append(
                [
                    *item_cells(item, n),
                    status_words().get(item.status, item.status),
                    light_words().get(item.light, item.light),
                    "是" if item.is_overdue else "否",
                ]
            )
            lights.append(item.light)
        sheets.append(LedgerSheet(kind, kind_words().get(kind, kind), rows, lights))
    return sheets
