"""What a progress text says about one piece of work: its share done, planned and done counts, when it
is expected to be finished, whether it is behind, and a deadline set for an answer.

Plain Python over a passage and the mentions the reader found in it (offsets relative to the
passage). The rules, in the order they apply:

- **share**: the first percent (unit %) after a word of progress — 进度, 完成率, 完成(年度计划|任务|
  目标)的, 占(年度计划|总投资…)的, 施工中 — or standing in brackets right after a figure
  (已完成31座（78%）); a rate of something else (开工率91.9%, 失业率) is no share;
- **counts**: a count and a later count in the same unit joined by a verb of completion (已完成,
  已建成, 完成, 建成, 竣工, 改造, 开工 …) and not larger than the first: 40座…已完成31座 is 31 done of 40
  planned. With no share written the share is done / planned;
- **finished**: with no share or counts, 已全部竣工 / 已全面完成 mean 100%;
- **expected completion**: 预计 (or 计划, 力争, 确保) … a time … 前 … a verb of completion; the time is
  年底 / 年内 (31 December of the year), 11月底 (the month's last day), 2025年6月底, 10月20日;
- **behind**: 滞后, 缓慢, 推进不力, 低于序时进度, 未达序时进度, 进展不快, 需加快;
- **deadline**: 于10月20日前 / 在10月底前 (an answer the office asks for).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from .periods import month_number

_SHARE_CUE_RE = re.compile(
    r"(?:(?:整体|总体|形象|工程|项目|建设|施工)?进度(?:为|达到?|已达)?"
    r"|完成率(?:为|达到?)?"
    r"|完成(?:了)?(?:年度|全年|总)?(?:计划|任务|目标)?(?:投资)?的"
    r"|占(?:年度|全年|总)?(?:计划|任务|目标|投资|总投资)(?:任务)?的"
    r"|施工中[（(]"
    r"|[0-9一二三四五六七八九十]+[个座所处件项条户套家公里米亩]+[（(])$"
)
_DONE_VERB_RE = re.compile(r"已?(?:完成|建成|竣工|完工|改造|开工|投用|实施|铺设|新建|启动)(?:了)?$")
_FINISHED_RE = re.compile(r"已(?:全部|全面)(?:竣工|完工|建成|完成)")
_TIME = (
    r"(?:(?P<year>(?:19|20)[0-9]{2})年)?"
    r"(?:(?P<month>1[0-2]|[1-9]|十[一二]?|[一二三四五六七八九])月(?:(?P<day>[0-9]{1,2})日|(?P<end>底|末|份)?)"
    r"|(?P<yearend>年底|年内|年末|今年底))"
)
_EXPECTED_RE = re.compile(
    r"(?:预计|计划|力争|确保|争取)(?:于|在|到)?" + _TIME + r"(?:前|以前|之前)?"
    r"(?:[^，。；]{0,8}?)(?:完工|完成|建成|投用|投入使用|投入运营|运营|竣工|交付|投产|封顶)"
)
_DEADLINE_RE = re.compile(r"(?:于|在)" + _TIME + r"(?:前|以前|之前)")
_BEHIND_RE = re.compile(r"滞后|缓慢|推进不力|低于序时进度|未达(?:到)?序时进度|进展不快|需加快|亟待加快")


@dataclass(frozen=True, slots=True)
class ProgressFacts:
    share: float | None  # percent done, 0..100
    planned: float | None
    done: float | None
    count_unit: str
    expected: date | None
    expected_text: str
    behind: bool

    @property
    def has_progress(self) -> bool:
        return self.share is not None


def _date(m: re.Match[str], year: int | None) -> date | None:
    year = int(m.group("year")) if m.group("year") else year
    if year is None:
        return None
    if m.group("yearend"):
        return date(year, 12, 31)
    month = month_number(m.group("month"))
    if m.group("day"):
        try:
            return date(year, month, int(m.group("day")))
        except ValueError:
            return None
    return date(year, month, calendar.monthrange(year, month)[1])


def expected_completion(text: str, year: int | None) -> tuple[date | None, str]:
    """(date, words as written) of the stated expected completion: 预计年底前全面完工 → 31 Dec."""
    m = _EXPECTED_RE.search(text)
    if m is None:
        return None, ""
    return _date(m, year), m.group()


def deadline(text: str, year: int | None) -> date | None:
    """The date an answer is asked for: 请…于10月20日前报送 → 20 Oct of `year`."""
    m = _DEADLINE_RE.search(text)
    return _date(m, year) if m else None


def is_behind(text: str) -> bool:
    return _BEHIND_RE.search(text) is not None


def read_progress(text: str, mentions: Iterable[Any], year: int | None) -> ProgressFacts:
    """The progress facts of `text`; `mentions` are the reader's, with offsets into `text`."""
    found = sorted(mentions, key=lambda m: m.start)
    share = None
    for m in found:
        if m.kind == "percent" and m.unit == "%" and 0 <= m.value <= 100:
            if _SHARE_CUE_RE.search(text[max(0, m.start - 14) : m.start]):
                share = float(m.value)
                break
    planned = done = None
    count_unit = ""
    counts = [m for m in found if m.kind in ("count", "measure")]
    for i, first in enumerate(counts):
        for later in counts[i + 1 :]:
            between = text[first.end : later.start]
            if later.unit == first.unit and later.value <= first.value and _DONE_VERB_RE.search(between):
                planned, done, count_unit = float(first.value), float(later.value), first.unit
                break
        if planned is not None:
            break
    if share is None and planned:
        share = round(100 * (done or 0) / planned, 2)
    if share is None and _FINISHED_RE.search(text):
        share = 100.0
    expected, expected_text = expected_completion(text, year)
    return ProgressFacts(share, planned, done, count_unit, expected, expected_text, is_behind(text))
