"""Chinese wording for reports: number formatting and sentence templates, in our own words.

Plain Python (no Django import) so the formatting rules are fast to test and shared by every
renderer. Values arrive as Decimals in the unit they were stored in; this module scales them the
way a Chinese reader expects (亿元, 万人次), keeps the qualifier the source used (近, 超, 突破, 余,
约, 以上, 不足) and never prints more precision than the figure carries.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

# Written prefixes that are a scale, not part of the unit: 万元 is 万 × 元.
_SCALE_PREFIX = {"万": Decimal(10) ** 4, "亿": Decimal(10) ** 8}
# Units that are never rescaled to 万/亿 (ratios, multiples, ranks, years).
_UNSCALED_UNITS = frozenset({"%", "‰", "倍", "百分点", "位", "名", "年", "岁"})
_WAN = Decimal(10) ** 4
_YI = Decimal(10) ** 8

# How the over/approximate qualifiers are written; the style keeps the source's own word.
OVER_STYLES = ("超", "突破", "超过", "余", "多")
_PREFIX_WORD = {"approx": "约", "nearly": "近", "under": "不足"}

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
    text = f"{_PREFIX_WORD.get(qualifier, '')}{number}{scale_word}{plain_unit}"
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


# Sentence templates. The builder fills each {placeholder} with a figure (a count, an amount, a
# percentage) or with named records; the words are our own, not a source's.
REVIEW_TITLE = "{region}{year}年工作回顾"
REVIEW_SUBTITLE = "——{region}{year}年重点工作年终盘点"
REVIEW_LEAD = (
    "{year}年，{region}围绕年度重点工作台账推进各项任务，全年列入台账的工作事项{count}，已完成{done}。"
)
PROJECTS = "实施重点项目{count}"
PROJECTS_TOTAL = "，总投资{total}"
PROJECTS_ANNUAL = "，年度完成投资{annual}"
PROJECTS_STAGES = "；其中{stages}"
PROJECT_STAGE = "{stage}{count}"
PROJECTS_NAMED = "。重点推进了{names}等项目。"
LIVELIHOOD = "承诺的民生实事{count}，已办结{kept}"
LIVELIHOOD_PEOPLE = "，惠及群众{people}"
LIVELIHOOD_NAMED = "，包括{names}"
RECTIFICATION = "列出整改事项{count}，已整改销号{closed}。"
RESEARCH = "县级领导领题调研{count}"
RESEARCH_LECTURES = "，结合调研讲授党课{lectures}"
OTHER_WORK = "部署专项行动和其他重点工作{count}"
OTHER_WORK_DONE = "，已完成{done}"
OTHER_WORK_UNDER_WAY = "，正在推进"
INDICATOR_EXACT = "{name}达到{value}"
INDICATOR_QUALIFIED = "{name}{value}"
STATED_MULTIPLE = "，是{base}的{multiple}"
STATED_GROWTH = "，较{base}{verb}{growth}"
STATED_GROWTH_ALONE = "较{base}{verb}{growth}"
ORGANISATION_INDICATOR = "{holder}{name}"
DOUBTFUL_SOURCE = "{citation}（存疑：{note}）"
COMPUTED_GROWTH = "，比{base_year}年{verb}{growth}"
TARGET_COMPLETION = "，完成年度目标的{completion}"
HONOURS = "全年获得{groups}。"
HONOUR_GROUP = "{level}荣誉{count}：{names}"
HONOUR_HELD_BY = "{title}（{holder}）"
NEXT_YEAR_TITLE = "{year}年工作安排"
NEXT_YEAR_GOAL = "围绕{goal}的目标，明年重点做好以下工作。"
NEXT_YEAR_BRANCHES = "重点抓好{names}"
NEXT_YEAR_ITEMS = "部署工作事项{count}"
NEXT_YEAR_ITEMS_AFTER_BRANCHES = "，部署工作事项{count}"
NEXT_YEAR_ITEMS_ONLY = "计划部署工作事项{count}。"
END = "。"
BASE_PERIOD_UNKNOWN = "基期"
PREVIOUS_YEAR = "上年"
BULLETIN_TITLE = "{region}重点工作督查通报"
BULLETIN_PERIOD = "（{start}至{end}）"
BULLETIN_OVERALL = "纳入督查的工作事项{count}{by_status}。"
BULLETIN_STATUS = "，{status}{count}"
BULLETIN_NOTICES = "本期下发督办单{issued}，已回复{answered}。"
