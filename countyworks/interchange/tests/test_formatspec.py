"""The pure parts of the format: uids and their order (no database)."""

from __future__ import annotations

from countyworks.interchange.formatspec import derived_uid, number_duplicates, uid_order


def test_it_derives_the_same_uid_from_the_same_fields_only():
    first = derived_uid("item", [["140427", 2023, "台账"], "1", "道路"])
    assert first == derived_uid("item", [["140427", 2023, "台账"], "1", "道路"])
    assert first != derived_uid("item", [["140427", 2023, "台账"], "2", "道路"])
    assert first.startswith("item-") and len(first) == len("item-") + 16


def test_it_numbers_duplicates_in_the_order_given():
    assert number_duplicates(["a", "b", "a", "a"]) == ["a", "b", "a-2", "a-3"]


def test_it_orders_the_tenth_duplicate_after_the_second():
    base = derived_uid("node", ["x"])
    uids = number_duplicates([base] * 11)
    assert sorted(reversed(uids), key=uid_order) == uids
