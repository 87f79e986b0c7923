"""Derived values of indicators: growth, multiples, CAGR, completion, and qualifier bounds.

Plain Python (no Django) so that reports, the reader and the API share one definition.
Values are Decimals; results are Decimals, unrounded: formatting is the caller's job.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext

QUALIFIERS = ("exact", "approx", "nearly", "over", "at_least", "under")

# How far a qualified figure may lie from its written value, as a share of the value.
# 近25亿 means a little under 25亿; 超440万 a little over; 约 either side.
_SLACK = Decimal("0.10")


class MathsError(ValueError):
    """A derived value cannot be computed from these inputs (e.g. a zero base)."""


def growth_percent(current: Decimal, base: Decimal) -> Decimal:
    """Year-on-year style growth in percent: (current − base) / base × 100."""
    if base == 0:
        raise MathsError("growth from a zero base is undefined")
    with localcontext() as ctx:
        ctx.prec = 28
        return (current - base) / abs(base) * 100


def multiple(current: Decimal, base: Decimal) -> Decimal:
    """How many times the base the current value is (是…的N倍)."""
    if base == 0:
        raise MathsError("a multiple of zero is undefined")
    with localcontext() as ctx:
        ctx.prec = 28
        return current / base


def implied_base_from_multiple(current: Decimal, stated_multiple: Decimal) -> Decimal:
    """The base value a stated multiple implies: 25亿 at 5倍 → 5亿."""
    if stated_multiple == 0:
        raise MathsError("a zero multiple implies no base")
    return current / stated_multiple


def implied_base_from_growth(current: Decimal, stated_growth_percent: Decimal) -> Decimal:
    """The base value a stated growth implies: current / (1 + g/100)."""
    factor = 1 + stated_growth_percent / 100
    if factor == 0:
        raise MathsError("a fall of 100% implies no base")
    return current / factor


def cagr_percent(first: Decimal, last: Decimal, years: int) -> Decimal:
    """Compound annual growth rate in percent over `years` years."""
    if years <= 0:
        raise MathsError("CAGR needs at least one year")
    if first <= 0 or last < 0:
        raise MathsError("CAGR needs a positive start value")
    ratio = float(last / first)
    return Decimal(str((ratio ** (1 / years) - 1) * 100))


def completion_percent(actual: Decimal, target: Decimal) -> Decimal:
    """Share of a target reached, in percent (can exceed 100)."""
    if target == 0:
        raise MathsError("completion of a zero target is undefined")
    return actual / target * 100


@dataclass(frozen=True)
class Bounds:
    """The interval a qualified figure stands for. None means unbounded on that side."""

    low: Decimal | None
    high: Decimal | None

    def contains(self, value: Decimal) -> bool:
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


def bounds(value: Decimal, qualifier: str) -> Bounds:
    """Turn a written figure and its qualifier into the interval it claims."""
    if qualifier not in QUALIFIERS:
        raise MathsError(f"unknown qualifier {qualifier!r}")
    slack = abs(value) * _SLACK
    if qualifier == "exact":
        return Bounds(value, value)
    if qualifier == "approx":
        return Bounds(value - slack, value + slack)
    if qualifier == "nearly":
        return Bounds(value - slack, value)
    if qualifier == "over":
        return Bounds(value, value + slack)
    if qualifier == "at_least":
        return Bounds(value, None)
    return Bounds(None, value)  # under


def fits(
    stated: Decimal, computed: Decimal, qualifier: str = "exact", tolerance: Decimal = Decimal("0.05")
) -> bool:
    """Does a computed value agree with a stated one, allowing for the qualifier and rounding?

    Sources round (“5倍” for 4.8), so an exact statement still gets a relative tolerance.
    """
    b = bounds(stated, qualifier)
    pad = abs(stated) * tolerance
    low = None if b.low is None else b.low - pad
    high = None if b.high is None else b.high + pad
    return Bounds(low, high).contains(computed)
