"""From what the reader found in a text to proposals a person can accept: the mapping rules.

Plain Python (no Django import). Input is the reader's output (`textread` mentions and structure);
output is a list of `Proposal`s with a span, a proposal kind and the fields of the record it would
become. The rules are deliberately simple and written down here, because a person checks each one:

- amount / count / measure / percent → an indicator observation of the level;
  a count whose subject names 民生实事, 整改, 调研 or 项目 → an *item count* observation;
- growth → an observation of kind growth, multiple → of kind multiple, both with their base year;
- threshold (亿元以上项目, 60岁以上) and rank (排名第一) → shown, but not a figure to record;
- a sentence with 示范县/示范区/荣誉/入选/百佳/称号 → an honour, one per "won" verb (入选, 获评, …) whose
  object is named like a title (示范, 称号, 先进, 榜, or starting 全国/省级/全市…); with no such verb, the
  clause holding 示范县/示范区/称号/荣誉 unless it only aims at it (打造, 争创). The honour has
  its level guessed from the title: 全国/国家/中央 → national, 省级/全省 → provincial, 全市/市级 → city,
  anything else → county;
- an amount in a sentence that speaks of both 项目 and 投资 → a key project with that total investment;
- a plan text (kind "plan") → a plan node per heading and a plan task per task sentence under it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

OBSERVATION = "observation"
ITEM_COUNT = "item_count"
HONOUR = "honour"
KEY_PROJECT = "key_project"
PLAN_NODE = "plan_node"
PLAN_TASK = "plan_task"
NOT_A_FIGURE = "not_a_figure"

LEVEL_KINDS = frozenset({"amount", "count", "measure", "percent"})
ITEM_COUNT_WORDS = ("民生实事", "整改", "调研", "项目")
HONOUR_WORDS = ("示范县", "示范区", "荣誉", "入选", "百佳", "称号")
QUALIFIERS = frozenset({"exact", "approx", "nearly", "over", "at_least", "under"})

# The verbs that introduce what was won; the title runs to the end of the clause.
_HONOUR_VERB_RE = re.compile(
    r"(?:被评为|被命名为|被授予|被列为|被确定为|成功创建|入选|获评|荣获|获得|成为|创成|列入|跻身)"
)
# What a title won is called: a won "title" without one of these is an ordinary object (获得贷款).
_HONOUR_TITLE_RE = re.compile(
    r"^(?:全国|国家|省级|全省|市级|全市)|示范|称号|荣誉|百佳|百强|先进|奖|榜|名录|基地|品牌|之乡|试点|典型|标杆|样板|文明|模范"
)
# Without a verb of winning, only these words make a clause the name of a title held.
_TITLE_WORDS = ("示范县", "示范区", "称号", "荣誉")
# A clause that aims at a title has not won it yet (打造…示范区).
_ASPIRATION_RE = re.compile(r"打造|争创|创建|力争|争取|申报")
_CLAUSE_END = "，,。；;！？!?：:、\n"
_YEAR_RE = re.compile(r"(?:19|20)[0-9]{2}")
_WHITESPACE_RE = re.compile(r"\s+")
_INVESTMENT_TAIL_RE = re.compile(
    r"(?:计划总投资|总投资|计划投资|完成投资|投资)(?:额)?(?:达到|达|约|近|超|为)?$"
)


@dataclass
class Proposal:
    start: int
    end: int
    text: str
    kind: str
    fields: dict[str, Any]
    section: str = ""
    mention: dict[str, Any] = field(default_factory=dict)


def year_of(period: str | None) -> int | None:
    """The year a period string stands for: '2024' → 2024; a span '2021-2025' → its last year."""
    if not period:
        return None
    years = _YEAR_RE.findall(str(period))
    return int(years[-1]) if years else None


def decimal_text(value: float) -> str:
    """A float from the reader as a plain decimal string with at most six decimals."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text or "0"


def honour_level(title: str, context: str = "") -> str:
    """national / provincial / city / county, from the words of the title (then the sentence)."""
    for words in (title, context):
        if re.search(r"全国|国家|中国|中央|国务院", words):
            return "national"
        if re.search(r"省级|全省|省", words):
            return "provincial"
        if re.search(r"全市|市级", words):
            return "city"
    return "county"


def _clean(text: str) -> str:
    return _WHITESPACE_RE.sub("", text)


def _attr(mention: Any, name: str) -> Any:
    return getattr(mention, name, None)


def mention_proposal(mention: Any, doc_year: int | None) -> Proposal:
    """The proposal for one quantity mention."""
    kind = _attr(mention, "kind") or ""
    subject = _clean(_attr(mention, "subject") or "")
    unit = _attr(mention, "unit") or ""
    qualifier = _attr(mention, "qualifier") or "exact"
    period = _attr(mention, "period")
    base_period = _attr(mention, "base_period")
    as_dict = mention.as_dict() if hasattr(mention, "as_dict") else {}
    year = year_of(period) or doc_year
    fields: dict[str, Any] = {
        "indicator": subject,
        "value": decimal_text(float(_attr(mention, "value") or 0)),
        "unit": unit,
        "qualifier": qualifier if qualifier in QUALIFIERS else "exact",
        "year": year,
        "period": period or "",
        "base_year": None,
        "base_label": "",
        "value_kind": "level",
    }
    if kind in LEVEL_KINDS:
        proposal_kind = OBSERVATION
        if kind == "count" and any(word in subject for word in ITEM_COUNT_WORDS):
            proposal_kind = ITEM_COUNT
    elif kind in ("growth", "multiple"):
        proposal_kind = OBSERVATION
        fields["value_kind"] = kind
        base_year = year_of(base_period)
        if base_year is None and year is not None and kind == "growth":
            base_year = year - 1  # 同比 without a written base compares with the year before
        fields["base_year"] = base_year
        fields["base_label"] = base_period or ""
    else:
        proposal_kind = NOT_A_FIGURE
    return Proposal(
        start=mention.start,
        end=mention.end,
        text=mention.text,
        kind=proposal_kind,
        fields=fields,
        mention={**as_dict, "kind": kind},
    )


def honour_proposals(
    text: str, sentences: Iterable[Any], doc_year: int | None, mentions: Iterable[Any] = ()
) -> list[Proposal]:
    """Honours won, one per verb of winning in a sentence that speaks of recognition.

    A span holding a measured figure (接待游客超440万人次) is a statement of results, not a title.
    """
    figures = [(m.start, m.end) for m in mentions if _attr(m, "kind") in LEVEL_KINDS]
    found: list[Proposal] = []
    for sentence in sentences:
        raw = text[sentence.start : sentence.end]
        if not any(word in _clean(raw) for word in HONOUR_WORDS):
            continue
        spans: list[tuple[int, int]] = []
        for verb in _HONOUR_VERB_RE.finditer(raw):
            start = end = verb.end()
            while end < len(raw) and raw[end] not in _CLAUSE_END:
                end += 1
            if end - start >= 2 and _HONOUR_TITLE_RE.search(raw[start:end]):
                spans.append((start, end))
        if not spans:
            # No verb: the clause holding the first word of recognition is the title, unless it aims
            # at the title rather than holding it.
            first = min((raw.find(w) for w in _TITLE_WORDS if w in raw), default=-1)
            if first < 0:
                continue
            start, end = first, first
            while start > 0 and raw[start - 1] not in _CLAUSE_END:
                start -= 1
            while end < len(raw) and raw[end] not in _CLAUSE_END:
                end += 1
            if not _ASPIRATION_RE.search(raw[start:end]):
                spans.append((start, end))
        for start, end in spans:
            title = _clean(raw[start:end]).strip('“”"')
            if title.count("”") > title.count("“"):
                title = "“" + title  # the opening quote was before the verb's object began
            absolute = (sentence.start + start, sentence.start + end)
            if not title or any(absolute[0] <= a and b <= absolute[1] for a, b in figures):
                continue
            found.append(
                Proposal(
                    start=sentence.start + start,
                    end=sentence.start + end,
                    text=raw[start:end],
                    kind=HONOUR,
                    fields={
                        "title": title[:300],
                        "level": honour_level(title, _clean(raw)),
                        "year": doc_year,
                    },
                )
            )
    return found


def key_project_proposals(text: str, mentions: Iterable[Any], sentences: list[Any]) -> list[Proposal]:
    """Amounts in sentences about a project's investment: a key project with that total investment."""
    found: list[Proposal] = []
    for mention in mentions:
        if _attr(mention, "kind") != "amount":
            continue
        sentence = next((s for s in sentences if s.start <= mention.start < s.end), None)
        if sentence is None:
            continue
        raw = text[sentence.start : sentence.end]
        if "项目" not in raw or "投资" not in raw:
            continue
        # The title: the clause before the figure that names the project (the subject otherwise).
        clauses = [_clean(c) for c in re.split(r"[，,。；;：:]", raw[: mention.start - sentence.start])]
        title = ""
        while clauses and not title:
            title = _INVESTMENT_TAIL_RE.sub("", clauses.pop())
        title = title or _clean(_attr(mention, "subject") or "")
        found.append(
            Proposal(
                start=mention.start,
                end=mention.end,
                text=mention.text,
                kind=KEY_PROJECT,
                fields={"title": title[:300], "total_investment": decimal_text(float(mention.value))},
            )
        )
    return found


def plan_proposals(text: str, structure: Any) -> list[Proposal]:
    """A plan text's goal tree: one node per heading, one task per task sentence under a heading."""
    found: list[Proposal] = []
    parents: dict[int, int | None] = {}

    def walk(section: Any, parent_start: int | None, depth: int) -> None:
        parents[section.start] = parent_start
        line_end = text.find("\n", section.start)
        line_end = len(text) if line_end < 0 else line_end
        found.append(
            Proposal(
                start=section.start,
                end=line_end,
                text=text[section.start : line_end].strip(),
                kind=PLAN_NODE,
                fields={
                    "number": section.label,
                    "title": _clean(section.title)[:300],
                    "depth": depth,
                    "parent_start": parent_start,
                },
                section=_clean(section.title)[:200],
            )
        )
        for task in section.tasks:
            found.append(
                Proposal(
                    start=task.start,
                    end=task.end,
                    text=text[task.start : task.end],
                    kind=PLAN_TASK,
                    fields={"title": _clean(task.text)[:300], "node_start": section.start},
                    section=_clean(section.title)[:200],
                )
            )
        for child in section.children:
            walk(child, section.start, depth + 1)

    for root in structure.roots:
        walk(root, None, 0)
    return found


def propose(
    text: str, mentions: list[Any], structure: Any, *, doc_kind: str = "", doc_year: int | None = None
) -> list[Proposal]:
    """Every proposal for a document, in text order, each with the title of its section."""
    proposals = [mention_proposal(m, doc_year) for m in mentions]
    proposals += honour_proposals(text, structure.sentences, doc_year, mentions)
    proposals += key_project_proposals(text, mentions, structure.sentences)
    if doc_kind == "plan":
        proposals += plan_proposals(text, structure)
    for proposal in proposals:
        if not proposal.section:
            section = structure.section_at(proposal.start)
            proposal.section = _clean(section.title)[:200] if section is not None else ""
    proposals.sort(key=lambda p: (p.start, p.end))
    return proposals
