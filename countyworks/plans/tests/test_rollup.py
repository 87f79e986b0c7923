"""The weighted roll-up of the goal tree (pure, no database)."""

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from countyworks.plans.rollup import UNFILED, ItemInput, NodeInput, roll_up, roll_up_tree, weighted_mean


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
    assert progress[UNFILED] == D("80.00")
    assert progress[None] == D("50.00")


def test_it_weighs_an_item_outside_the_tree_as_one_item_not_as_a_whole_branch():
    nodes = [NodeInput(1, None, D("1")), NodeInput(2, 1, D("1"))]
    items = [ItemInput(2, D("1"), D("0"))] * 3 + [ItemInput(None, D("1"), D("100"))]
    progress = roll_up(nodes, items)
    assert progress[1] == progress[2] == D("0.00")
    assert progress[None] == D("25.00")


def test_it_gives_the_plan_the_progress_of_its_root_when_every_item_is_in_the_tree():
    nodes = [
        NodeInput(1, None, D("1")),
        NodeInput(2, 1, D("2")),
        NodeInput(3, 1, D("1")),
        NodeInput(4, 1, D("1")),
    ]
    items = [ItemInput(2, D("1"), D("10")), ItemInput(3, D("1"), D("70")), ItemInput(1, D("1"), D("40"))]
    rolled = roll_up_tree(nodes, items)
    assert rolled[None].progress == rolled[1].progress == D("32.50")  # (2×10 + 70 + 40) / 4
    assert rolled[4].progress is None and rolled[4].items == 0
    assert UNFILED not in rolled


def test_it_survives_a_cycle_in_parent_links():
    nodes = [NodeInput(1, 2, D("1")), NodeInput(2, 1, D("1"))]
    progress = roll_up(nodes, [ItemInput(1, D("1"), D("30"))])
    assert progress[1] == D("30.00")


def test_it_ignores_zero_weights():
    assert weighted_mean([(D("0"), D("100")), (D("2"), D("10"))]) == D("10.00")
    assert weighted_mean([]) is None


node_weights = st.sampled_from([D("0"), D("0.5"), D("1"), D("2"), D("3")])


@st.composite
def trees(draw):
    count = draw(st.integers(0, 8))
    nodes = [
        NodeInput(n, draw(st.sampled_from([None, *range(1, n)])) if n > 1 else None, draw(node_weights))
        for n in range(1, count + 1)
    ]
    items = draw(
        st.lists(
            st.builds(
                ItemInput,
                st.sampled_from([None, *range(1, count + 1)]),
                node_weights,
                st.integers(0, 10000).map(lambda h: D(h) / 100),
            ),
            max_size=20,
        )
    )
    return nodes, items


@given(trees())
def test_it_adds_up_every_parent_is_the_weighted_mean_of_what_is_shown_under_it(tree):
    nodes, items = tree
    rolled = roll_up_tree(nodes, items)
    weight = {n.id: n.weight for n in nodes}
    for parent in [None, *weight]:
        shown = [
            (i.weight, i.progress) for i in items if (i.node_id if i.node_id in weight else UNFILED) == parent
        ]
        for key in [n.id for n in nodes if n.parent_id == parent] + ([UNFILED] if parent is None else []):
            if key in rolled and rolled[key].progress is not None:
                shown.append((weight.get(key, D(1)) * rolled[key].weight, rolled[key].progress))
        mean = weighted_mean(shown)
        if rolled[parent].progress is None:
            assert mean is None
        else:  # the children are shown rounded to 0.01, so the parent agrees within that rounding
            assert abs(mean - rolled[parent].progress) <= D("0.01")
    # The plan is the weighted mean of all its items.
    assert rolled[None].items == len(items)
