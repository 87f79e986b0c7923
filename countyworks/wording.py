"""Chinese wording of numbers: the 万/亿 scales, figures with their qualifiers, percentages,
dates and heading numerals, in the one way every screen, report and export writes them.

Plain Python (no Django import) beneath every app, so the rules are fast to test and shared:
the reports, the indicator screens (`indicators.formatting`), the portal, the ledger and the
reader of Chinese text (`textread.numerals`, which reads the scales this module defines) all use it.
Values arrive as Decimals in the unit they were stored in; this module scales them the way a
Chinese reader expects (亿元, 万人次), keeps the qualifier the source used (近, 超, 突破, 余,
约, 以上, 不足) and never prints more precision than the figure carries.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

# The scales of Chinese numbers, the one definition of them: 万 and 亿 group digits by four
# (textread.numerals reads them, this module writes them), and a written amount may stack a small
# unit on them (3千万, 百亿级) or stack both (1.2万亿).
WAN = 10**4
YI = 10**8
BIG_UNITS: dict[str, int] = {"万": WAN, "亿": YI}
SCALE_WORDS: dict[str, int] = {
    "万亿": WAN * YI,
    "千亿": 1000 * YI,
    "百亿": 100 * YI,
    "亿": YI,
    "千万": 1000 * WAN,
    "百万": 100 * WAN,
    "十万": 10 * WAN,
    "万": WAN,
    "千": 1000,
    "百": 100,
}

# Written prefixes that are a scale, not part of the unit: 万元 is 万 × 元.
_SCALE_PREFIX = {word: Decimal(value) for word, value in BIG_UNITS.items()}
# Units that are never rescaled to 万/亿 (ratios, multiples, ranks, years).
_UNSCALED_UNITS = frozenset({"%", "‰", "倍", "百分点", "位", "名", "年", "岁"})
_WAN = Decimal(WAN)
_YI = Decimal(YI)

# How the over/approximate qualifiers are written; the style keeps the source's own word.
OVER_STYLES = ("超", "突破", "超过", "余", "多")
QUALIFIER_PREFIX = {"approx": "约", "nearly": "近", "under": "不足"}

SECTION_NUMERALS = "一二三四五六七八九十"


def base_unit(value: Decimal, unit: str) -> tuple[Decimal, str]:
    """Undo a written scale: (25, '亿元') → (2500000000, '元'); (1.2, '万亿元') → (1200000000000, '元')."""
    unit = (unit or "").strip()
    # 万亿 is two scale words (10^4 × 10^8): undo them one after the other.
    while len(unit) > 1 and unit[0] in _SCALE_PREFIX:
        value, unit = value * _SCALE_PREFIX[unit[0]], unit[1:]
    return value, unit


def _trim(number: Decimal) -> str:
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def plain_number(value: Decimal | int | float | None) -> str:
    """A number as written in running text: no trailing zeros, no thousands separators (12.5, 3000).

    Chinese official documents (GB/T 15835) group digits only in technical tables; a figure large
    enough to need it is scaled to 万 or 亿 instead.
    """
    if value is None:
        return ""
    return _trim(Decimal(str(value)))


def round_significant(value: Decimal, digits: int = 4, max_decimals: int = 2) -> Decimal:
    """Round to `digits` significant digits, never dropping integer digits, at most `max_decimals`."""
    if value == 0:
        return Decimal(0)
    integer_digits = len(str(int(abs(value)))) if abs(value) >= 1 else 0
    decimals = max(0, min(max_decimals, digits - integer_digits))
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def scale(value: Decimal, unit: str) -> tuple[Decimal, str]:
    """Choose the 万/亿 scale a reader expects: (2480000000, '元') → (24.8, '亿')."""
    value, unit = base_unit(value, unit)
    if unit in _UNSCALED_UNITS:
        return value, ""
    magnitude = abs(value)
    if magnitude >= _YI:
        return value / _YI, "亿"
    if magnitude >= _WAN:
        return value / _WAN, "万"
    return value, ""


def scale_factor(word: str) -> Decimal:
    """What a scale word chosen by `scale()` stands for: 10^8 for 亿, 10^4 for 万, 1 for none."""
    return _SCALE_PREFIX.get(word, Decimal(1))


def qualifier_style(quote: str | None, qualifier: str) -> str:
    """The word the source used for an 'over' figure, read from the cited span (default 超)."""
    if qualifier != "over":
        return ""
    for word in ("突破", "超过", "余", "多", "超"):
        if word in (quote or ""):
            return word
    return "超"


def format_quantity(value: Decimal, unit: str, qualifier: str = "exact", style: str = "") -> str:
    """A stored figure as Chinese text: 近25亿元, 超440万人次, 突破3亿元, 28万余人, 1.2万公里以上."""
    scaled, scale_word = scale(Decimal(value), unit)
    _, plain_unit = base_unit(Decimal(value), unit)
    number = _trim(round_significant(scaled))
    if qualifier == "over":
        style = style if style in OVER_STYLES else "超"
        if style in ("余", "多"):
            return f"{number}{scale_word}{style}{plain_unit}"
        return f"{style}{number}{scale_word}{plain_unit}"
    text = f"{QUALIFIER_PREFIX.get(qualifier, '')}{number}{scale_word}{plain_unit}"
    if qualifier == "at_least":
        text += "以上"
    return text


def format_count(count: int, unit: str) -> str:
    """A counted number of records (exact by construction)."""
    return format_quantity(Decimal(count), unit)


def format_percent(value: Decimal) -> str:
    """A computed percentage: one decimal at most, no trailing zero (216%, 12.5%)."""
    return _trim(abs(Decimal(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)) + "%"


def format_multiple(value: Decimal) -> str:
    """A multiple (倍): one decimal at most (5倍, 2.4倍)."""
    return _trim(Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)) + "倍"


def format_date(day: date) -> str:
    """A date as documents write it: 2023年1月1日."""
    return f"{day.year}年{day.month}月{day.day}日"


def growth_verb(value: Decimal) -> str:
    """增长 for a rise, 下降 for a fall; the percentage itself is printed without sign."""
    return "下降" if Decimal(value) < 0 else "增长"


def chinese_numeral(number: int) -> str:
    """1–99 in Chinese numerals as headings use them: 一, 十, 十一, 二十三."""
    if not 0 < number < 100:
        return str(number)
    tens, ones = divmod(number, 10)
    digits = "零" + SECTION_NUMERALS[:9]
    if tens == 0:
        return digits[ones]
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def section_number(index: int) -> str:
    """一、 二、 … for level-1 headings (index from 0)."""
    return chinese_numeral(index + 1) + "、"


def subsection_number(index: int) -> str:
    """（一）（二）… for level-2 headings (index from 0)."""
    return f"（{chinese_numeral(index + 1)}）"


def join_names(names: list[str]) -> str:
    """Names in a Chinese enumeration: A、B和C."""
    names = [n for n in names if n]
    if len(names) <= 1:
        return "".join(names)
    return "、".join(names[:-1]) + "和" + names[-1]


def display_width(text: str) -> int:
    """Columns a string needs in a spreadsheet: CJK and full-width characters count as 2."""
    width = 0
    for char in str(text or ""):
        code = ord(char)
        wide = (
            0x1100 <= code <= 0x115F
            or 0x2E80 <= code <= 0xA4CF
            or 0xAC00 <= code <= 0xD7A3
            or 0xF900 <= code <= 0xFAFF
            or 0xFE30 <= code <= 0xFE4F
            or 0xFF00 <= code <= 0xFF60
            or 0xFFE0 <= code <= 0xFFE6
        )
        width += 2 if wide else 1
    return width


# --- Review wording (issue 15): how a figure is phrased by its kind, names joined without echoes ---

# Units that count things (a number of items done, sessions held, times selected): the figure
# follows its name without a verb (口袋公园7个, 读书班4期), which is how a review lists them.
COUNT_UNITS = frozenset({"项", "个", "件", "期", "届", "次", "座", "所", "家", "条", "处", "批", "场", "村"})
# Sentence ends, for quoting the whole sentence a cited span sits in.
_SENTENCE_ENDS = "。！？；\n"


def figure_kind(unit: str, qualifier: str = "exact") -> str:
    """How a stated level is phrased: 'qualified' (近25亿元: the qualifier is the verb), 'count'
    (读书班4期), 'share' (覆盖率为98%) or 'amount' (上缴税金达1.5亿元)."""
    if qualifier and qualifier != "exact":
        return "qualified"
    _, plain = base_unit(Decimal(1), unit)
    if plain in COUNT_UNITS:
        return "count"
    if plain in ("%", "‰"):
        return "share"
    return "amount"


def join_without_overlap(first: str, second: str) -> str:
    """Join two names, dropping the words the second repeats from the end of the first:
    八泉峡景区 + 景区收入 → 八泉峡景区收入 (never 景区景区)."""
    for size in range(min(len(first), len(second)) - 1, 1, -1):
        if first.endswith(second[:size]):
            return first + second[size:]
    return first + second


def drop_unit_echo(name: str, unit: str) -> str:
    """A name ending in the figure's own unit loses it (接待游客人次 + 超440万人次 → 接待游客超440万人次)."""
    _, plain = base_unit(Decimal(1), unit)
    if plain and len(plain) >= 2 and name.endswith(plain) and len(name) > len(plain) + 1:
        return name[: -len(plain)]
    return name


# Stated totals of the kinds of work the ledger tracks: an indicator named so is the county's
# own count, of which the ledger's items are a tracked subset.
STATED_TOTAL_WORDS = (
    ("整改事项", "rectification"),
    ("调研课题", "research"),
    ("民生实事", "livelihood"),
    ("重点项目", "key_project"),
)


def stated_total_kind(indicator_name: str) -> str | None:
    """The item kind a stated total counts (整改事项 → rectification), or None."""
    for word, kind in STATED_TOTAL_WORDS:
        if word in (indicator_name or ""):
            return kind
    return None


def sentence_around(text: str, start: int, end: int, limit: int = 120) -> str:
    """The sentence of `text` a cited span [start, end) sits in, trimmed to `limit` characters
    around the span, so a note quotes the source's sentence rather than the bare figure."""
    if not text or start is None or end is None or not 0 <= start <= end <= len(text):
        return ""
    left = max((text.rfind(mark, 0, start) for mark in _SENTENCE_ENDS), default=-1) + 1
    rights = [i for i in (text.find(mark, end) for mark in _SENTENCE_ENDS) if i != -1]
    right = min(rights) + 1 if rights else len(text)
    sentence = text[left:right].strip()
    if len(sentence) > limit:
        # Keep the span in the middle of what is shown.
        offset = start - left
        begin = max(0, offset - limit // 2)
        sentence = "…" + sentence[begin : begin + limit].strip() + "…"
    return sentence


def doubled_words(text: str) -> list[str]:
    """Two-character words written twice in a row (景区景区), the slip a reviewer looks for.
    Reduplications that are words of their own (常常, 看看) are single characters doubled, not
    two-character words, so they are not reported."""
    found = []
    for index in range(len(text) - 3):
        word = text[index : index + 2]
        if (
            text[index + 2 : index + 4] == word
            and all("\u4e00" <= ch <= "\u9fff" for ch in word)
            and word[0] != word[1]
        ):
            found.append(word)
    return found


def scaled_series(values: list[Decimal | None], unit: str) -> tuple[list[float | None], str]:
    """A chart's values in the scale its largest value is read in, with the unit to label the axis:
    ([2.5e9, 3e9], '元') → ([25.0, 30.0], '亿元'); ([4.4e6], '人次') → ([440.0], '万人次').

    One scale for the whole series (a chart's axis has one unit); figures stored in a written scale
    (25, '亿元') are brought to the base unit first. Missing values stay None (a gap in the chart)."""
    based = [None if v is None else base_unit(Decimal(v), unit) for v in values]
    present = [b for b in based if b is not None]
    if not present:
        return [None for _ in values], unit
    plain = present[0][1]
    peak = max(abs(v) for v, _u in present)
    _, word = scale(peak, plain)
    divisor = scale_factor(word)
    scaled = [None if b is None else float(round_significant(b[0] / divisor)) for b in based]
    return scaled, f"{word}{plain}"
