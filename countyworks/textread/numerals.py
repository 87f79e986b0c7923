"""Reading numbers as Chinese official texts write them.

Arabic digits (half- and full-width, with thousands commas and decimals), Chinese numerals
(二十五, 两千, 一百零八, 三千五百万), and the two mixed (1.5亿, 28万, 3千万). Also the fractions
1/6 and 三分之一. Everything returns a float or None: None means "this is not a well-formed number",
which the mention extractor uses to reject labels such as 十四五 or 三五.
"""

from __future__ import annotations

import re

from countyworks.wording import BIG_UNITS, SCALE_WORDS, WAN, YI

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，／", "0123456789.,/")

CN_DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_SMALL_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}
# The scales are defined once, in countyworks.wording, which also writes them.
CN_BIG_UNITS: dict[str, int] = BIG_UNITS
SCALES: dict[str, float] = {word: float(value) for word, value in SCALE_WORDS.items()}

CN_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿"
_ARABIC_RE = re.compile(r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?")


def normalize_digits(s: str) -> str:
    """Full-width digits and punctuation to ASCII, keeping the length (offsets stay valid)."""
    return s.translate(_FULLWIDTH)


def parse_arabic(s: str) -> float | None:
    s = normalize_digits(s)
    if not _ARABIC_RE.fullmatch(s):
        return None
    return float(s.replace(",", ""))


def parse_chinese(s: str) -> float | None:
    """Value of a Chinese numeral, or None when the characters do not form a number.

    Rejects digit runs such as 十四五 or 三五 (labels and vague pairs, not numbers) and units
    out of order within a section (十百). A leading bare unit means one of it: 十五 = 15,
    百亿 = 1e10, 千万 = 1e7.
    """
    if not s:
        return None
    total = 0  # completed 亿 groups
    section = 0  # completed 万 groups below the current 亿
    current = 0  # value below 万
    digit: int | None = None
    last_small = WAN  # the small unit seen last in this section, to enforce descending order
    prev_was_digit = False
    for ch in s:
        if ch in CN_DIGITS:
            d = CN_DIGITS[ch]
            if prev_was_digit and d != 0 and digit != 0:
                return None  # 十四五, 三五: two digits with no unit between them
            if d == 0:
                if prev_was_digit:
                    return None  # 二〇二三: a digit string (a year), not a numeral
                prev_was_digit = False
                continue
            digit = d
            prev_was_digit = True
        elif ch in CN_SMALL_UNITS:
            unit = CN_SMALL_UNITS[ch]
            if unit >= last_small:
                return None
            current += (digit if digit else 1) * unit
            last_small = unit
            digit = None
            prev_was_digit = False
        elif ch in CN_BIG_UNITS:
            unit = CN_BIG_UNITS[ch]
            value = current + (digit or 0)
            if unit == WAN:
                if section:
                    return None  # 万万
                section = (value if value else 1) * WAN
            else:
                block = total + section + value
                total = (block if block else 1) * YI
                section = 0
            current = 0
            digit = None
            last_small = WAN
            prev_was_digit = False
        else:
            return None
    return float(total + section + current + (digit or 0))


def parse_number(s: str) -> float | None:
    """Value of a number as written: Arabic, Chinese, or Arabic followed by Chinese scale words.

    >>> parse_number("1.5亿"), parse_number("两千"), parse_number("28万"), parse_number("1/6")
    (150000000.0, 2000.0, 280000.0, 0.16666666666666666)
    """
    s = normalize_digits(s.strip())
    if not s:
        return None
    if "分之" in s:
        den, _, num = s.partition("分之")
        d, n = parse_number(den), parse_number(num)
        return n / d if d and n is not None else None
    if "/" in s:
        num, _, den = s.partition("/")
        n, d = parse_arabic(num), parse_arabic(den)
        return n / d if d and n is not None else None
    m = re.match(r"[0-9][0-9,]*(?:\.[0-9]+)?", s)
    if m:
        base = parse_arabic(m.group())
        rest = s[m.end() :]
        if base is None:
            return None
        if not rest:
            return base
        scale = 1.0
        for part in _split_scales(rest):
            if part is None:
                return None
            scale *= part
        return base * scale
    return parse_chinese(s)


def _split_scales(rest: str) -> list[float | None]:
    out: list[float | None] = []
    i = 0
    while i < len(rest):
        for size in (2, 1):
            piece = rest[i : i + size]
            if len(piece) == size and piece in SCALES:
                out.append(SCALES[piece])
                i += size
                break
        else:
            return [None]
    return out


def _below_10k(v: int, leading: bool) -> str:
    digits = "零一二三四五六七八九"
    out: list[str] = []
    zero = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, v = divmod(v, unit)
        if d:
            if zero:
                out.append("零")
                zero = False
            # 十五, not 一十五, at the start of a number
            if not (leading and not out and unit == 10 and d == 1):
                out.append(digits[d])
            out.append(name)
        elif out:
            zero = True
    return "".join(out)


def to_chinese(n: int, _leading: bool = True) -> str:
    """Write a non-negative integer in Chinese numerals (used by the property tests and the bench)."""
    if n == 0:
        return "零"
    for size, name in ((YI, "亿"), (WAN, "万")):
        if n >= size:
            hi, lo = divmod(n, size)
            head = to_chinese(hi, _leading) + name
            if lo == 0:
                return head
            return head + ("零" if lo < size // 10 else "") + to_chinese(lo, False)
    return _below_10k(n, _leading)
