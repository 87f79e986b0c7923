from decimal import Decimal

import pytest

from countyworks.indicators import maths

D = Decimal


def test_it_computes_growth_and_multiples():
    assert maths.growth_percent(D("316"), D("100")) == D("216")
    assert maths.growth_percent(D("94.6"), D("100")) == D("-5.4")
    assert maths.multiple(D("2500000000"), D("500000000")) == D("5")


def test_it_finds_the_base_a_stated_comparison_implies():
    assert maths.implied_base_from_multiple(D("2500000000"), D("5")) == D("500000000")
    assert maths.implied_base_from_growth(D("316"), D("216")) == D("100")


def test_it_refuses_undefined_comparisons():
    with pytest.raises(maths.MathsError):
        maths.growth_percent(D("1"), D("0"))
    with pytest.raises(maths.MathsError):
        maths.multiple(D("1"), D("0"))
    with pytest.raises(maths.MathsError):
        maths.cagr_percent(D("0"), D("1"), 3)


def test_it_computes_cagr_and_completion():
    assert abs(maths.cagr_percent(D("100"), D("121"), 2) - D("10")) < D("0.0001")
    assert maths.completion_percent(D("45"), D("50")) == D("90")


def test_qualifiers_map_to_the_side_of_the_figure_they_claim():
    nearly = maths.bounds(D("25"), "nearly")
    assert nearly.contains(D("24.6")) and not nearly.contains(D("25.5"))
    over = maths.bounds(D("440"), "over")
    assert over.contains(D("445")) and not over.contains(D("430"))
    assert maths.bounds(D("60"), "at_least").high is None
    assert maths.bounds(D("3"), "under").low is None
    assert maths.bounds(D("7"), "exact") == maths.Bounds(D("7"), D("7"))
    with pytest.raises(maths.MathsError):
        maths.bounds(D("1"), "roughly")


def test_it_accepts_a_rounded_multiple_and_rejects_a_wrong_one():
    assert maths.fits(D("5"), D("4.9"))
    assert not maths.fits(D("5"), D("4"))
    assert maths.fits(D("440"), D("446"), "over")
    assert not maths.fits(D("440"), D("400"), "over")
