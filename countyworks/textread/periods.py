"""Which year a value is for, and which year a change or multiple is measured against.

Years appear as 2023年 (a period), 较2019年 / 比2019年 / 是2019年的 (a comparison base),
2021—2023年 (a span: no single period), and as five-year-plan labels: 十三五末 is the end of 2020,
十四五期间 is 2021-2025. Relative bases (同比, 比上年, 较去年) are the year before the period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PERIOD = "period"
BASE = "base"
SPAN = "span"

# Only years written with 年 (or ranges ending in it) are dates; 2023 alone may be a count.
_YEAR_STRICT_RE = re.compile(
    r"(?<![0-9０-９.])((?:19|20)[0-9]{2})(?:年)?\s*[-—–~～至到]\s*((?:19|20)[0-9]{2})年"
    r"|(?<![0-9０-９.])((?:19|20)[0-9]{2})年"
)
_BASE_BEFORE = ("较", "比", "与", "同", "是", "对比", "相较", "相比", "比较")
_BASE_AFTER_RE = re.compile(r"(?:同期|相比|比较|的)")
_PLAN_RE = re.compile(r"[“\"「]?十([一二三四五六七八九])五[”\"」]?(末|期间|时期|以来|初|规划)?")
RELATIVE_BASE_RE = re.compile(r"同比|环比|(?:较|比|与)(?:上年|去年|上一年|前一年)")


@dataclass(frozen=True, slots=True)
class YearRef:
    start: int
    end: int
    year: int
    role: str  # PERIOD, BASE or SPAN
    last: int | None = None  # the end year of a span


@dataclass(frozen=True, slots=True)
class PlanRef:
    start: int
    end: int
    first: int
    last: int
    at_end: bool  # 十三五末: the plan's last year, used as a base or a period


def plan_years(ordinal: int) -> tuple[int, int]:
    """Years of the n-th five-year plan (n >= 6: the 6th is 1981-1985, the 14th 2021-2025)."""
    first = 1981 + (ordinal - 6) * 5
    return first, first + 4


def find_years(text: str) -> list[YearRef]:
    refs: list[YearRef] = []
    for m in _YEAR_STRICT_RE.finditer(text):
        if m.group(1):
            refs.append(YearRef(m.start(), m.end(), int(m.group(1)), SPAN, int(m.group(2))))
            continue
        year = int(m.group(3))
        before = text[max(0, m.start() - 2) : m.start()]
        after = text[m.end() : m.end() + 3]
        is_base = (
            before.endswith(_BASE_BEFORE)
            or bool(_BASE_AFTER_RE.match(after))
            and not after.startswith("的目标")
        )
        refs.append(YearRef(m.start(), m.end(), year, BASE if is_base else PERIOD))
    return refs


def find_plans(text: str) -> list[PlanRef]:
    refs = []
    for m in _PLAN_RE.finditer(text):
        ordinal = 10 + "一二三四五六七八九".index(m.group(1)) + 1
        first, last = plan_years(ordinal)
        refs.append(PlanRef(m.start(), m.end(), first, last, m.group(2) == "末"))
    return refs


def base_from_context(
    left: str, period: int | None, years: list[YearRef], plans: list[PlanRef], offset: int
) -> int | None:
    """The base year of a change or multiple whose left context (same sentence) is `left`.

    `offset` is where `left` starts in the text the refs were found in. An explicit year or plan end
    wins over 同比 (较2019年同比增长 compares with 2019), because the year is the more specific cue.
    """
    end = offset + len(left)
    best: tuple[int, int] | None = None  # (position, year)
    for ref in years:
        if offset <= ref.start < end and ref.role == BASE and (best is None or ref.start > best[0]):
            best = (ref.start, ref.year)
    for plan in plans:
        if offset <= plan.start < end and plan.at_end and (best is None or plan.start > best[0]):
            best = (plan.start, plan.last)
    if best is not None:
        return best[1]
    if period is not None and RELATIVE_BASE_RE.search(left):
        return period - 1
    return None
