"""How the portal writes figures (pure functions)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from countyworks.portal.wording import figure, plain_number


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "expected"),
    [
        ("41.2", "亿元", "over", "超41.2亿元"),
        ("104.000000", "亿元", "nearly", "近104亿元"),
        ("2500000000", "元", "nearly", "近25亿元"),
        ("4400000", "人次", "over", "超440万人次"),
        ("280000", "人", "exact", "28万人"),
        ("9999", "人", "exact", "9,999人"),
        ("35", "项", "at_least", "35项以上"),
        ("3.5", "%", "approx", "约3.5%"),
        ("12", "万元", "under", "不足12万元"),
    ],
)
def test_it_writes_a_figure_with_its_qualifier_and_scale(value, unit, qualifier, expected):
    assert figure(Decimal(value), unit, qualifier) == expected


def test_it_writes_plain_numbers_without_trailing_zeros():
    assert plain_number(Decimal("12.500000")) == "12.5"
    assert plain_number(Decimal("3000.00")) == "3,000"
    assert plain_number(Decimal("-0.25")) == "-0.25"
    assert plain_number(None) == ""
