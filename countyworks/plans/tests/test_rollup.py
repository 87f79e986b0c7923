"""The weighted roll-up of the goal tree (pure, no database)."""

from decimal import Decimal as D

from countyworks.plans.rollup import ItemInput, NodeInput, roll_up, weighted_mean


def test_it_weights_items_and_child_nodes():
    nodes = [NodeInput(1, None, D("1")), NodeInput(2, 1, D("3")), NodeInput(3, 1, D("1"))]
    items = [
        ItemInput(2, D("1"), D("100")),
        ItemInput(2, D("1"), D("0")),  # node 2 → 50
        ItemInput(3, D("2"), D("90")),  # node 3 → 90
    ]
    progress = roll_up(nodes, items)
    assert progress[2] == D("50.00")
    assert progress[3] == D("90.00")
    assert progress[1] == D("60.00")  # (3*50 + 1*90) / 4
    assert progress[None] == D("60.00")


def test_it_leaves_empty_nodes_out_of_the_mean():
    nodes = [NodeInput(1, None, D("1")), NodeInput(2, None, D("5"))]
    progress = roll_up(nodes, [ItemInput(1, D("1"), D("40"))])
    assert progress[2] is None
    assert progress[None] == D("40.00")


def test_it_counts_items_without_a_node_in_the_plan_total():
    progress = roll_up(
        [NodeInput(1, None, D("1"))], [ItemInput(1, D("1"), D("20")), ItemInput(None, D("1"), D("80"))]
    )
    assert progress[1] == D("20.00")
    assert progress[None] == D("50.00")


def test_it_survives_a_cycle_in_parent_links():
    nodes = [NodeInput(1, 2, D("1")), NodeInput(2, 1, D("1"))]
    progress = roll_up(nodes, [ItemInput(1, D("1"), D("30"))])
    assert progress[1] == D("30.00")


def test_it_ignores_zero_weights():
    assert weighted_mean([(D("0"), D("100")), (D("2"), D("10"))]) == D("10.00")
    assert weighted_mean([]) is None
