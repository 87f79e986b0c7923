"""Weighted progress of a goal tree, rolled up level by level.

Pure logic (no Django import) so the rule is easy to test: a node's progress is the
weighted mean of its items and of its child nodes, each child node counting with its own
weight. Nodes with nothing under them have no progress (None) and do not pull the mean down.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class NodeInput:
    id: int
    parent_id: int | None
    weight: Decimal


@dataclass(frozen=True)
class ItemInput:
    node_id: int | None
    weight: Decimal
    progress: Decimal


def weighted_mean(pairs: Iterable[tuple[Decimal, Decimal]]) -> Decimal | None:
    """Mean of (weight, value) pairs; None when nothing carries weight."""
    total_weight = Decimal("0")
    total = Decimal("0")
    for weight, value in pairs:
        if weight <= 0:
            continue
        total_weight += weight
        total += weight * value
    if total_weight == 0:
        return None
    return (total / total_weight).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def roll_up(nodes: Iterable[NodeInput], items: Iterable[ItemInput]) -> dict[int | None, Decimal | None]:
    """Progress of every node, plus the whole plan under the key None.

    Items without a node count directly towards the plan total. A cycle in the parent links
    (which the database does not forbid) is cut rather than followed forever.
    """
    nodes = list(nodes)
    by_id = {node.id: node for node in nodes}
    children: dict[int | None, list[int]] = defaultdict(list)
    for node in nodes:
        parent = node.parent_id if node.parent_id in by_id else None
        children[parent].append(node.id)
    items_under: dict[int | None, list[ItemInput]] = defaultdict(list)
    for item in items:
        key = item.node_id if item.node_id in by_id else None
        items_under[key].append(item)

    result: dict[int | None, Decimal | None] = {}
    visiting: set[int | None] = set()

    def progress_of(key: int | None) -> Decimal | None:
        if key in result:
            return result[key]
        if key in visiting:
            return None
        visiting.add(key)
        pairs = [(item.weight, item.progress) for item in items_under[key]]
        for child_id in children[key]:
            child_progress = progress_of(child_id)
            if child_progress is not None:
                pairs.append((by_id[child_id].weight, child_progress))
        visiting.discard(key)
        result[key] = weighted_mean(pairs)
        return result[key]

    progress_of(None)
    for node in nodes:
        progress_of(node.id)
    return result
