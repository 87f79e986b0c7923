"""Which year a value is for, and which year a change or multiple is measured against.

Years appear as 2023年 (a period), 较2019年 / 比2019年 / 是2019年的 (a comparison base),
2021—2023年 (a span: no single period), and as five-year-plan labels: 十三五末 is the end of 2020,
十四五期间 is 2021-2025. Relative bases (同比, 比上年, 较去年) are the year before the period
(较前年: two years before).

Relative years (今年, 去年, 上年, 前年, 明年) are resolved against the document's year, which the
caller gives or the document id names: 今年 is that year, 去年/上年 the year before, 前年 two years
before, 明年 the year after. Without a known document year they stay unresolved (period null): the
reader never guesses them from the clock or from the years the text happens to mention. 去年以来 is a
span (from last year to now), so it gives no single period, like 2019—2021年.
"""

from __future__ import annotations

import bisect
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
# The group is the relative year compared with; 同比 and 环比 mean the year before.
RELATIVE_BASE_RE = re.compile(r"同比|环比|(?:较|比|与|同|是)(上年|去年|上一年|前一年|前年)")

# Relative year words and their offset from the document's year.
RELATIVE_YEARS = {"今年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1}
_RELATIVE_RE = re.compile(r"今年|去年|上年|前年|明年")
# Characters that, before the word, make it part of another word: 如今年轻, 过去年份, 马上年底,
# 线上年货, 目前年产, 说明年限. 超过去年 is a comparison, so 过 is checked with the character before it.
_NOT_RELATIVE_BEFORE = {
    "今年": "如",
    "去年": "失除删回离免省减进出死老逝远抹划扣拿花",
    "上年": "马以之早晚向加身往线网台山路街赶跟迈登走踏爬楼会岸车船机手墙桌地天",
    "前年": "目提此以之当眼空史生战事",
    "明年": "说表证文光清透声阐标查发鲜分聪英开申注高失简精指照严公黎昌神",
}
# ...and after it: 如今年轻, 上年纪, 线上年货.
_NOT_RELATIVE_AFTER = "轻纪龄货画糕薪鉴俸"
_OVER_BEFORE_GUO = "超胜高低多少好强"


@dataclass(frozen=True, slots=True)
class YearRef:
    start: int
    end: int
    year: int
    role: str  # PERIOD, BASE or SPAN
    last: int | None = None  # the end year of a span
    # None only for a relative year (今年) in a document whose year is not known: no period at all.
    year_known: bool = True


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


def find_relative_years(
    text: str, doc_year: int | None, skip: list[tuple[int, int]] | None = None
) -> list[YearRef]:
    """今年, 去年, 上年, 前年, 明年 in `text` as periods and bases of the document year `doc_year`.

    Words inside the spans of `skip` (quoted names and titles: 《今年花胜去年红》) are not read. A
    comparison base (比去年, 较上年同期) is returned with role BASE; it is resolved against the period of
    the figure (base_from_context), not the document year, because 比上年 compares with the year before
    the one the figure is for. Without `doc_year`, periods come back with year_known False.
    """
    refs: list[YearRef] = []
    found = list(_RELATIVE_RE.finditer(text))
    if not found:
        return refs
    # Spans may nest or overlap (a title holding a quote): the furthest end so far covers them all.
    skip_starts: list[int] = []
    skip_ends: list[int] = []
    for s, e in sorted(skip or ()):
        skip_starts.append(s)
        skip_ends.append(max(e, skip_ends[-1]) if skip_ends else e)
    for m in found:
        word = m.group()
        start, end = m.span()
        prev = text[start - 1 : start]
        after = text[end : end + 3]
        if prev and prev in _NOT_RELATIVE_BEFORE[word]:
            continue
        if word == "去年" and prev == "过" and text[start - 2 : start - 1] not in _OVER_BEFORE_GUO:
            continue  # 过去年份, 过去年代 (but 超过去年 compares with last year)
        if word == "今年" and prev in "至迄" and after.startswith("均"):
            continue  # 2019年至今年均增长: 至今 + 年均
        if after[:1] and after[0] in _NOT_RELATIVE_AFTER:
            continue
        if skip_starts:
            i = bisect.bisect_right(skip_starts, start) - 1
            if i >= 0 and start < skip_ends[i]:
                continue
        before = text[max(0, start - 2) : start]
        backward = RELATIVE_YEARS[word] < 0
        if backward and (
            before.endswith(_BASE_BEFORE)
            or after.startswith(("同期", "相比", "比较"))
            or (after.startswith("的") and not after.startswith("的目标"))
        ):
            refs.append(YearRef(start, end, 0, BASE, year_known=False))
            continue
        if word == "去年" and after.startswith("以来"):
            refs.append(YearRef(start, end + 2, 0, SPAN, year_known=False))
            continue
        if doc_year is None:
            refs.append(YearRef(start, end, 0, PERIOD, year_known=False))
        else:
            refs.append(YearRef(start, end, doc_year + RELATIVE_YEARS[word], PERIOD))
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
        if (
            offset <= ref.start < end
            and ref.role == BASE
            and ref.year_known
            and (best is None or ref.start > best[0])
        ):
            best = (ref.start, ref.year)
    for plan in plans:
        if offset <= plan.start < end and plan.at_end and (best is None or plan.start > best[0]):
            best = (plan.start, plan.last)
    if best is not None:
        return best[1]
    if period is not None:
        # The last comparison before the figure is its own: 较前年增长5%，比上年增长3% (3% → period - 1).
        cues = RELATIVE_BASE_RE.findall(left)
        if cues:
            return period - 2 if cues[-1] == "前年" else period - 1
    return None


# --- Parts of a year ------------------------------------------------------------------------------

_CN_MONTH = "一二三四五六七八九十"
_MONTHS_RE = re.compile(
    r"(?=[1１截前第一二三四上下])"  # the first characters of the forms below: skip other positions fast
    r"(?:(?<![0-9０-９])(?P<from>[1１])\s*[-—–~～至到]\s*(?P<to>1[0-2]|[1-9])月(?:份)?"
    rf"|截至(?:(?:19|20)[0-9]{{2}}年)?(?P<asof>1[0-2]|[1-9]|十[一二]?|[{_CN_MONTH}])月(?:底|末|份)?"
    r"|(?P<first>前)?(?:第)?(?P<q>[一二三四1-4])季度"
    r"|(?P<half>上半年|下半年))"
)


@dataclass(frozen=True, slots=True)
class MonthRef:
    """A part of a year written in the text: 1-10月 is months 1..10, 一季度 1..3, 前三季度 1..9."""

    start: int
    end: int
    first: int
    last: int


def month_number(s: str) -> int:
    """A month as written, Arabic or Chinese (9, 十一), as a number."""
    if s.isdigit():
        return int(s)
    if s.startswith("十"):
        return 10 + (_CN_MONTH.index(s[1]) + 1 if len(s) > 1 else 0)
    return _CN_MONTH.index(s) + 1


def find_month_spans(text: str) -> list[MonthRef]:
    """Year-to-date and part-year periods (1-10月, 截至9月底, 一季度, 前三季度, 上半年), in text order.

    A single month written as a date (10月1日, 9月底前) is not a period of a figure and is not read.
    """
    refs: list[MonthRef] = []
    for m in _MONTHS_RE.finditer(text):
        if m.group("to"):
            first, last = 1, int(m.group("to"))
        elif m.group("asof"):
            first, last = 1, month_number(m.group("asof"))
        elif m.group("q"):
            q = int(m.group("q")) if m.group("q").isdigit() else _CN_MONTH.index(m.group("q")) + 1
            first, last = (1 if m.group("first") else 3 * q - 2), 3 * q
        else:
            first, last = (1, 6) if m.group("half") == "上半年" else (7, 12)
        if 1 <= first <= last <= 12:
            refs.append(MonthRef(m.start(), m.end(), first, last))
    return refs
