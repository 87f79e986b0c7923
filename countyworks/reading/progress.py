"""Progress texts → draft progress reports, and 督查通报 → draft notices: the matching rules.

Plain Python (no Django import): the caller passes the region-year's ledger items and units as
plain values. A person confirms each draft; confirming goes through the supervision services.

**Passages.** The text is cut into passages by sentence: a passage starts at a sentence that names a
ledger item and runs on (through sentences that name none, such as a closing （县民政局）) until a
sentence names another item better than the passage named its own (or names a whole title), or the
paragraph ends. Sentences before the first named item join it.

**Which item a passage is about** (title similarity): an item's title is reduced to what names it —
whitespace, punctuation, years and generic words (项目, 工程, 建设, 工作, 实施, 推进, 任务, 全县, 县) out —
and cut into character pairs (农村公厕改造 → 农村 村公 公厕 厕改 改造). A sentence *names* the item when
it holds at least 70% of those pairs and at least two; the item with the highest share wins, the
longer title on a tie. Each item gets at most one draft per document: the passage that names it
best (the first on a tie).

**Which unit.** Units are recognised by their name, short name, or name with the county's name cut
to 县 (壶关县民政局 → 县民政局). When a passage names units, one of them must lead or co-lead the item
(the first such is the reporting unit); a passage that names only other units proposes nothing for
the item. When it names none, the item's lead unit reports.

**A progress draft** needs a share (textread.progress: stated, or done / planned counts, or 已全部
竣工 = 100%). Its period is the document's (截至9月底 or 1-9月 in its first lines → 2024-09, 一季度 →
2024-Q1), else the passage's, else the year. The draft carries the passage as the report's text
and as evidence, and the expected completion when stated.

**A notice draft** is proposed for a passage that says the item is behind (滞后, 推进缓慢, 低于序时进度
…) and names a unit that leads or co-leads it; the answer is due by the date the document sets
(于10月20日前), else `default_deadline`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from countyworks.reading.proposals import Proposal, decimal_text
from countyworks.textread.periods import find_month_spans
from countyworks.textread.progress import deadline, is_behind, read_progress

PROGRESS_REPORT = "progress_report"
NOTICE = "notice"

MIN_SHARE_OF_PAIRS = 0.7
# Words every kind of work has in its title: they say nothing about which item a sentence is about.
GENERIC_TITLE_WORDS = ("项目", "工程", "建设", "工作", "实施", "推进", "任务", "全县")
_NOT_NAME_RE = re.compile(r"[\s\W_]+|(?:19|20)[0-9]{2}年?|[0-9]+")
_COUNTY_PREFIX_RE = re.compile(r"^.{1,8}?[县市区旗](?=.{2,})")
_DOC_HEAD_CHARS = 200


@dataclass(frozen=True, slots=True)
class LedgerItem:
    id: int
    title: str
    unit_ids: tuple[int, ...]  # the lead unit first, then co-operating units


@dataclass(frozen=True, slots=True)
class LedgerUnit:
    id: int
    name: str
    short_name: str = ""


@dataclass(slots=True)
class Passage:
    start: int
    end: int
    item: int  # index into the items
    score: float
    units: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Shifted:
    start: int
    end: int
    kind: str
    unit: str
    value: float


def title_pairs(title: str) -> frozenset[str]:
    """The character pairs that name an item: 县人民医院二期建设项目 → 人民 民医 医院 院二 二期."""
    name = title
    for word in GENERIC_TITLE_WORDS:
        name = name.replace(word, "")
    name = _NOT_NAME_RE.sub("", name).removeprefix("县")
    return frozenset(name[i : i + 2] for i in range(len(name) - 1))


def unit_names(unit: LedgerUnit) -> list[str]:
    names = {unit.name}
    if len(unit.short_name) >= 2:
        names.add(unit.short_name)
    m = _COUNTY_PREFIX_RE.match(unit.name)
    if m:
        names.add("县" + unit.name[m.end() :])
    return sorted(names, key=len, reverse=True)


class _Matcher:
    def __init__(self, items: Sequence[LedgerItem]) -> None:
        self.items = items
        self.sizes = []
        self.index: dict[str, list[int]] = {}
        for i, item in enumerate(items):
            pairs = title_pairs(item.title)
            self.sizes.append(len(pairs))
            for pair in pairs:
                self.index.setdefault(pair, []).append(i)

    def best(self, sentence: str) -> tuple[int, float] | None:
        """(item index, share of its pairs) of the item the sentence names best, or None."""
        hits: dict[int, int] = {}
        for pair in {sentence[i : i + 2] for i in range(len(sentence) - 1)}:
            for i in self.index.get(pair, ()):
                hits[i] = hits.get(i, 0) + 1
        best: tuple[float, int, int] | None = None
        for i, n in hits.items():
            share = n / self.sizes[i]
            if n >= 2 and share >= MIN_SHARE_OF_PAIRS:
                key = (share, self.sizes[i], -i)
                if best is None or key > best:
                    best = key
        return (-best[2], best[0]) if best is not None else None


def passages(text: str, structure: Any, items: Sequence[LedgerItem]) -> list[Passage]:
    """The passages of `text` about ledger items, in text order (see the module docstring)."""
    matcher = _Matcher(items)
    para_starts = [p[0] for p in structure.paragraphs]
    out: list[Passage] = []
    current: Passage | None = None
    lead_start: int | None = None  # sentences of the paragraph before its first named item
    para = -1
    for sentence in structure.sentences:
        p = bisect.bisect_right(para_starts, sentence.start) - 1
        if p != para:
            para, current, lead_start = p, None, None
        found = matcher.best(text[sentence.start : sentence.end])
        switch = current is None or (
            found is not None and found[0] != current.item and (found[1] > current.score or found[1] == 1.0)
        )
        if found is not None and switch:
            start = lead_start if (current is None and lead_start is not None) else sentence.start
            current = Passage(start, sentence.end, found[0], found[1])
            out.append(current)
        elif current is not None:
            current.end = sentence.end
            if found is not None and found[0] == current.item:
                current.score = max(current.score, found[1])
        elif lead_start is None:
            lead_start = sentence.start
    return out


def _named_units(text: str, units: Sequence[LedgerUnit], names: list[list[str]]) -> list[int]:
    found = []
    for unit, variants in zip(units, names, strict=True):
        pos = min((text.find(n) for n in variants if n in text), default=-1)
        if pos >= 0:
            found.append((pos, unit.id))
    return [uid for _, uid in sorted(found)]


def document_period(text: str, year: int) -> str:
    """The period a progress text reports on, from its first lines: 截至9月底 → 2024-09, 一季度 → 2024-Q1."""
    for ref in find_month_spans(text[:_DOC_HEAD_CHARS]):
        if ref.first == 1:
            return f"{year}-{ref.last:02d}" if ref.last < 12 else str(year)
        if ref.last - ref.first == 2 and ref.last % 3 == 0:
            return f"{year}-Q{ref.last // 3}"
    return str(year)


def _reporting_unit(item: LedgerItem, named: list[int]) -> int | None:
    if named:
        return next((uid for uid in named if uid in item.unit_ids), None)
    return item.unit_ids[0] if item.unit_ids else None


def item_proposals(
    text: str,
    structure: Any,
    mentions: Iterable[Any],
    items: Sequence[LedgerItem],
    units: Sequence[LedgerUnit],
    *,
    year: int,
    default_deadline: date,
) -> list[Proposal]:
    """Draft progress reports and notices for the ledger items a text speaks of."""
    if not items:
        return []
    found = passages(text, structure, items)
    if not found:
        return []
    names = [unit_names(u) for u in units]
    unit_name = {u.id: u.name for u in units}
    by_start = sorted(mentions, key=lambda m: m.start)
    starts = [m.start for m in by_start]
    period = document_period(text, year)
    answer_by = deadline(text, year) or default_deadline
    best: dict[tuple[str, int], tuple[float, Proposal]] = {}
    for passage in found:
        item = items[passage.item]
        quote = text[passage.start : passage.end]
        unit_id = _reporting_unit(item, _named_units(quote, units, names))
        if unit_id is None:
            continue
        inside = by_start[bisect.bisect_left(starts, passage.start) : bisect.bisect_left(starts, passage.end)]
        shifted = [
            _Shifted(m.start - passage.start, m.end - passage.start, m.kind, m.unit, m.value)
            for m in inside
            if m.end <= passage.end
        ]
        facts = read_progress(quote, shifted, year)
        common = {
            "item": item.id,
            "item_title": item.title,
            "unit": unit_id,
            "unit_name": unit_name.get(unit_id, ""),
            "match": round(passage.score, 2),
        }
        clean = "".join(quote.split())
        candidates = []
        if facts.share is not None:
            months = [r for r in find_month_spans(quote) if r.first == 1]
            fields = {
                **common,
                "period": period if period != str(year) or not months else f"{year}-{months[0].last:02d}",
                "progress": decimal_text(min(100.0, facts.share)),
                "planned": decimal_text(facts.planned) if facts.planned is not None else "",
                "done": decimal_text(facts.done) if facts.done is not None else "",
                "count_unit": facts.count_unit,
                "expected_completion": facts.expected.isoformat() if facts.expected else "",
                "expected_text": facts.expected_text,
                "text": clean[:2000],
            }
            candidates.append((PROGRESS_REPORT, fields))
        if is_behind(quote):
            fields = {**common, "content": clean[:2000], "deadline": answer_by.isoformat()}
            candidates.append((NOTICE, fields))
        for kind, fields in candidates:
            proposal = Proposal(passage.start, passage.end, quote, kind, fields)
            key = (kind, item.id)
            if key not in best or passage.score > best[key][0]:
                best[key] = (passage.score, proposal)
    return sorted((p for _, p in best.values()), key=lambda p: (p.start, p.kind))
