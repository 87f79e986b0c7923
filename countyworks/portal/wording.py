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
    sign = "-" if number < 0 else ""
    whole, _sep, fraction = format(abs(number).normalize(), "f").partition(".")
    return f"{sign}{int(whole):,}.{fraction}"


_SCALES = ((Decimal("100000000"), "亿"), (Decimal("10000"), "万"))


def scaled(value: Decimal, unit: str) -> tuple[Decimal, str]:
    """Large figures read in 万 and 亿, as Chinese texts write them: 2500000000元 → 25亿元.

    Units that already carry a scale, and percentages, are left alone.
    """
    if not unit or unit[0] in "万亿%‰" or unit in ("%", "‰"):
        return value, unit
    for size, word in _SCALES:
        if abs(value) >= size:
            return (value / size).quantize(Decimal("0.01")), word + unit
    return value, unit


def figure(value: Decimal | int | float | None, unit: str = "", qualifier: str = "exact") -> str:
    """`figure(Decimal("41.2"), "亿元", "over")` → "超41.2亿元"; 4400000人次 → 440万人次."""
    if value is None:
        return ""
    number, unit = scaled(Decimal(str(value)), unit)
    before, after = _QUALIFIER_WORDS.get(qualifier, ("", ""))
    return f"{before}{plain_number(number)}{unit}{after}"
