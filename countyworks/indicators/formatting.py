"""How the indicator screens write a figure: the stored value with its qualifier and unit.

Plain Python (no Django import). Level values use the one number wording (countyworks.wording),
so a figure reads the same on a screen and in the year-end review: 近25亿元, 超440万人次, 28万余人.
Stated growths and multiples are written as the source states them (+6.2%, 1.5倍).
"""

from __future__ import annotations

from decimal import Decimal

from countyworks import wording


def figure(
    value: Decimal, unit: str, qualifier: str = "exact", value_kind: str = "level", quote: str = ""
) -> str:
    """A stored figure as text, keeping the source's own word for 'over' (超/突破/余/多)."""
    value = Decimal(value)
    prefix = wording.QUALIFIER_PREFIX.get(qualifier, "")
    if value_kind == "growth":
        sign = "+" if value >= 0 else "−"
        number = wording.plain_number(wording.round_significant(abs(value)))
        return f"{prefix}{sign}{number}{unit or '%'}"
    if value_kind == "multiple":
        return prefix + wording.format_multiple(value)
    return wording.format_quantity(value, unit, qualifier, wording.qualifier_style(quote, qualifier))


def percent(value: Decimal | None) -> str:
    """A computed share or growth in percent, one decimal at most; '—' when there is none."""
    if value is None:
        return "—"
    sign = "−" if Decimal(value) < 0 else ""
    return sign + wording.format_percent(Decimal(value))
