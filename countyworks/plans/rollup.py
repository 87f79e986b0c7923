"""Weighted progress of a goal tree, rolled up so that every level adds up.

Pure logic (no Django import) so the rule is easy to test. The rule, as the plan-tree page explains it:
- a node's progress is the weighted mean of every item beneath it, its child nodes' items included;
- an item weighs its own weight (1 unless the office set another) times the weights of the nodes on its
  path below the node being rolled up, so a node's weight scales all of its items at once;
- the plan is the root: its progress is the same weighted mean over all its items. Items outside the
  tree sit under one visible node, 未归类 (`UNFILED`), where each item weighs as an item, not as a
  whole branch of the tree;
- a node with no item beneath it has no progress (None): it is shown as empty and pulls nothing down.
So each number equals the weighted mean of the numbers shown under it, weighted by their `weight`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")
ZERO = Decimal("0")
# Key of the virtual node that holds the items attached to no node of the tree.
UNFILED = "unfiled"

Key = int | str | None


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


@dataclass(frozen=True)
class Rolled:
    """A node's roll-up: its progress, the total weight of its items (as its parent counts them
    before the node's own weight) and how many items lie beneath it."""

    progress: Decimal | None
    weight: Decimal
    items: int


def weighted_mean(pairs: Iterable[tuple[Decimal, Decimal]]) -> Decimal | None:
    """Mean of (weight, value) pairs; None when nothing carries weight."""
    total_weight = ZERO
    total = ZERO
    for weight, value in pairs:
        if weight <= 0:
            continue
        total_weight += weight
        total += weight * value
    if total_weight == 0:
        return None
    return (total / total_weight).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def roll_up_tree(nodes: Iterable[NodeInput], items: Iterable[ItemInput]) -> dict[Key, Rolled]:
    """The roll-up of every node, of `UNFILED` (when some item is outside the tree) and of the plan (None).

    A cycle in the parent links (which the database does not forbid) is cut rather than followed.
    """
    nodes = list(nodes)
    by_id = {node.id: node for node in nodes}
    children: dict[Key, list[Key]] = defaultdict(list)
    for node in nodes:
        parent = node.parent_id if node.parent_id in by_id else None
        children[parent].append(node.id)
    items_under: dict[Key, list[ItemInput]] = defaultdict(list)
    for item in items:
        items_under[item.node_id if item.node_id in by_id else UNFILED].append(item)
    if items_under.get(UNFILED):
        children[None].append(UNFILED)

    result: dict[Key, Rolled] = {}
    visiting: set[Key] = set()

    def own_weight(key: Key) -> Decimal:
        return by_id[key].weight if key in by_id else Decimal(1)

    def visit(key: Key) -> Rolled:
        if key in result:
            return result[key]
        if key in visiting:  # a cycle: the node counts for nothing the second time round
            return Rolled(None, ZERO, 0)
        visiting.add(key)
        weighted_sum, total_weight, count = ZERO, ZERO, 0
        for item in items_under.get(key, []):
            count += 1
            if item.weight > 0:
                weighted_sum += item.weight * item.progress
                total_weight += item.weight
        for child in children.get(key, []):
            rolled = visit(child)
            count += rolled.items
            weight = own_weight(child) * rolled.weight
            if rolled.progress is not None and weight > 0:
                # The child's exact mean times its weight is the sum of its items' weighted progress.
                weighted_sum += weight * _exact_mean(child)
                total_weight += weight
        visiting.discard(key)
        sums[key] = (weighted_sum, total_weight)
        progress = (
            None if total_weight == 0 else (weighted_sum / total_weight).quantize(TWO_PLACES, ROUND_HALF_UP)
        )
        result[key] = Rolled(progress, total_weight, count)
        return result[key]

    sums: dict[Key, tuple[Decimal, Decimal]] = {}

    def _exact_mean(key: Key) -> Decimal:
        # Unrounded, so that a parent is the mean of its items and not of its children's rounded figures.
        weighted_sum, total_weight = sums[key]
        return weighted_sum / total_weight

    visit(None)
    for node in nodes:
        visit(node.id)
    return result


def roll_up(nodes: Iterable[NodeInput], items: Iterable[ItemInput]) -> dict[Key, Decimal | None]:
    """Progress of every node, of `UNFILED` and of the whole plan (key None)."""
    return {key: rolled.progress for key, rolled in roll_up_tree(nodes, items).items()}
