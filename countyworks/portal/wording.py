"""How the portal writes a figure: the value, its unit and its qualifier in Chinese word order.

Pure Python (no Django) so it is quick to test: 近/约/超 go before the number, 以上 after it.
"""

from __future__ import annotations

from decimal import Decimal

# qualifier → (before the number, after the number and unit)
_QUALIFIER_WORDS: dict[str, tuple[str, str]] = {
    "exact": ("", ""),
    "approx": ("约", ""),
    "nearly": ("近", ""),
    "over": ("超", ""),
    "at_least": ("", "以上"),
    "under": ("不足", ""),
}


def plain_number(value: Decimal | int | float | None) -> str:
    """12.500000 → 12.5, 3000.00 → 3000, with thousands separators for large whole parts."""
    if value is None:
        return ""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return f"{int(number):,}"
    text = format(number.normalize(), "f")
    whole, _sep, fraction = text.partition(".")
    return f"{int(whole):,}.{fraction}" if whole.lstrip("-") else text


def figure(value: Decimal | int | float | None, unit: str = "", qualifier: str = "exact") -> str:
    """`figure(Decimal("41.2"), "亿元", "over")` → "超41.2亿元"."""
    if value is None:
        return ""
    before, after = _QUALIFIER_WORDS.get(qualifier, ("", ""))
    return f"{before}{plain_number(value)}{unit}{after}"
