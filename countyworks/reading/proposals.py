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
- a plan text (kind "plan") → a plan node per heading and a plan task per task sentence under it;
- a level, count, measure, percent or growth figure that speaks of a period still to come → an indicator
  *target* instead of an observation (`target_reading` below says exactly when).
"""

from __future__ import annotations

import bisect
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
TARGET = "target"
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
# Words of aim and time that the reader's subject may hold (到2025年森林覆盖率, 全县预计财政收入) are
# no part of an indicator's name; 争取, 计划 and 目标 only at the start (计划总投资 is a name).
_CUE_PREFIX_RE = re.compile(
    r"^(?:(?:到|至|在)?(?:19|20)[0-9]{2}年(?:底|末)?|预计|力争|确保|争取|计划(?!总?投资)|目标(?:是|为)?)+"
)
_CUE_WORD_RE = re.compile(r"预计|力争|确保")
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


def months_text(months: tuple[int, int] | None) -> str:
    return f"{months[0]}-{months[1]}" if months else ""


def observation_period(months: str) -> dict[str, Any]:
    """Where a partial year goes on an observation: a quarter (4-6 → quarter 2), a single month, or
    a year-to-date figure (1-10) stored for the month it ends in, with the months in the note."""
    if not months:
        return {}
    first, last = (int(x) for x in months.split("-"))
    if last - first == 2 and last % 3 == 0:
        return {"quarter": last // 3}
    if first == last:
        return {"month": last}
    return {"month": last, "note": f"{first}—{last}月累计"}


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
    return "".join(text.split())  # every whitespace out, as \s+ would (and several times faster)


def _attr(mention: Any, name: str) -> Any:
    return getattr(mention, name, None)


# Who is counted, when a subject names only them (惠及居民3860户 → 居民): the indicator counts them by
# the figure's unit (居民户数, 游客人次).
POPULATION_WORDS = ("居民", "群众", "农户", "村民", "老年人", "游客", "学生", "企业", "脱贫户", "人口")
_POPULATION_SUFFIX = {"户": "户数", "人": "人数", "人次": "人次", "名": "人数", "家": "数量", "个": "数量"}
# A subject that ends in one of these names a place or a body (八泉峡景区, 县人民医院), not a measure.
# (A count of such things is fine: 新建卫生院3所 counts 卫生院.)
_PLACE_OR_BODY_RE = re.compile(r"(?:景区|公司|集团|医院|开发区|政府|局)$")
# 占年度计划的 / 占总投资的: a share of a plan or a total with no owner written.
_SHARE_OF_RE = re.compile(r"^(?:占|完成)(?:年度|全年|总)?(?:计划|任务|目标|投资|总投资)(?:任务)?的?$")


def indicator_name(subject: str, unit: str = "") -> str:
    """The reader's subject as an indicator name.

    A cue is no name (预计全年财政收入 → 全年财政收入); a trailing 的 is dropped; a share of a plan with no
    owner (占年度计划的) is called what it is (占年度计划比重); who is counted, alone (居民), is counted
    by the figure's unit (居民户数). `name_problem` says which names still need a person's eye.
    """
    subject = _clean(subject)
    name = (_CUE_WORD_RE.sub("", _CUE_PREFIX_RE.sub("", subject)) or subject).removesuffix("的")
    if name.startswith("占") and not name.endswith(("比重", "比例", "占比")):
        name = name + "比重"
    if name in POPULATION_WORDS and unit in _POPULATION_SUFFIX:
        name = name + _POPULATION_SUFFIX[unit]
    return name or subject


def name_problem(name: str, mention_kind: str = "") -> str:
    """Why a proposed indicator name may not be the measured thing: a code, or "" when it looks fine."""
    if _SHARE_OF_RE.match(name) or (name.startswith("占") and len(name) <= 8):
        return "share_without_owner"
    if name in POPULATION_WORDS:
        return "population"
    if mention_kind != "count" and _PLACE_OR_BODY_RE.search(name):
        return "place_or_body"
    return ""


def observation_kind(mention_kind: str, subject: str) -> str:
    """A count of listed work (民生实事, 整改, …) is an item count; any other figure an observation."""
    if mention_kind == "count" and any(word in subject for word in ITEM_COUNT_WORDS):
        return ITEM_COUNT
    return OBSERVATION


def mention_proposal(mention: Any, doc_year: int | None) -> Proposal:
    """The proposal for one quantity mention."""
    kind = _attr(mention, "kind") or ""
    unit = _attr(mention, "unit") or ""
    subject = indicator_name(_attr(mention, "subject") or "", unit)
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
        # The months of a partial year (1-10月 → "1-10", 一季度 → "1-3"); "" for a whole year.
        "months": months_text(_attr(mention, "months")),
    }
    if kind in LEVEL_KINDS:
        proposal_kind = observation_kind(kind, subject)
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
    figures = sorted((m.start, m.end) for m in mentions if _attr(m, "kind") in LEVEL_KINDS)
    figure_starts = [a for a, _ in figures]
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
            # Only the figures that start inside the span can lie inside it.
            inside = figures[
                bisect.bisect_left(figure_starts, absolute[0]) : bisect.bisect_right(
                    figure_starts, absolute[1]
                )
            ]
            if not title or any(b <= absolute[1] for _, b in inside):
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


def _sentence_at(sentences: list[Any], pos: int) -> Any:
    """The sentence holding `pos`, by bisection over the sentences in text order."""
    i = bisect.bisect_right(sentences, pos, key=lambda s: s.start)
    return sentences[i - 1] if i and pos < sentences[i - 1].end else None


def key_project_proposals(text: str, mentions: Iterable[Any], sentences: list[Any]) -> list[Proposal]:
    """Amounts in sentences about a project's investment: a key project with that total investment."""
    found: list[Proposal] = []
    for mention in mentions:
        if _attr(mention, "kind") != "amount":
            continue
        sentence = _sentence_at(sentences, mention.start)
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


# --- Targets ----------------------------------------------------------------------------------------

TARGET_KINDS = LEVEL_KINDS | {"growth"}
# Reasons a figure was read as a target, kept on the draft (mention["target_reason"]) and shown.
REASON_FUTURE_YEAR = "future_year"
REASON_PLAN_SECTION = "plan_section"
REASON_PLAN_DOCUMENT = "plan_document"
REASON_CUE = "cue"

# Words that make a figure a goal on their own, wherever the sentence stands, when they come before
# the figure in its sentence. 计划总投资 / 计划投资 is a project's budget, 计划生育 a policy, 完成…目标 a
# result, 确保了 a thing done: none of them is a cue.
_STRONG_CUE_RE = re.compile(
    r"(?<!完成)(?<!实现)(?<!达成)(?<!超额完成)(?<!年度)目标(?!任务完成)"
    r"|力争|确保(?!了)|预期|计划(?!总?投资|生育|单列)"
)
# 预计 also estimates a year just ended (预计全年完成…) and 争取 also means "obtained" (争取上级资金3亿元):
# alone they decide nothing; a plan section or a later year must say the figure is a goal.
_WEAK_CUE_RE = re.compile(r"预计|争取")
# A clause that states what already is (已建成, 现有, 截至目前) holds a fact even inside a plan.
# (比上年 is no such word: 比上年增长6%左右 is the commonest growth target.)
_FACT_RE = re.compile(r"已|现有|目前|截至|截止")
# Section titles that look back, and titles that announce the coming period's work.
_REVIEW_TITLE_RE = re.compile(r"回顾|成绩|成效|总结|过去|完成情况|主要工作成果")
_PLAN_TITLE_RE = re.compile(r"安排|打算|思路|部署|预期目标|主要目标|目标任务|总体要求|计划|展望|重点任务")
_WRITTEN_YEAR_RE = re.compile(r"((?:19|20)[0-9]{2})年")
_NEXT_YEAR_RE = re.compile(r"明年|下一年|来年")
PLAN = "plan"
REVIEW = "review"
_CLAUSE_SPLIT_RE = re.compile(r"[，,；;：:]")
_GROWTH_NAME_RE = re.compile(r"(?:增速|增长率|增幅|增长)$")


@dataclass(frozen=True)
class TargetReading:
    """Why a figure was read as a target, and the year the target is for."""

    reason: str
    year: int | None
    cue: str = ""


def section_context(titles: Iterable[tuple[str, int | None]], doc_year: int | None) -> tuple[str, int | None]:
    """(plan | review | "", year) from section titles, innermost first; the first that tells wins.

    A title with a year after the document's is the plan of that year, one with an earlier year looks
    back; without a year its words decide (2023年工作回顾 / 今年工作安排).
    """
    for title, year in titles:
        if year is not None and doc_year is not None and year != doc_year:
            return (PLAN, year) if year > doc_year else (REVIEW, year)
        if _REVIEW_TITLE_RE.search(title):
            return REVIEW, year
        if _PLAN_TITLE_RE.search(title):
            return PLAN, year
    return "", None


def target_reading(
    *,
    mention_kind: str,
    period: str | None,
    left: str,
    sentence: str,
    sections: Iterable[tuple[str, int | None]] = (),
    doc_year: int | None,
    doc_kind: str = "",
) -> TargetReading | None:
    """Whether a figure is a target (a goal for a period) rather than an observation (a fact).

    `left` is the figure's sentence up to the figure, `sentence` the whole sentence, `sections` the
    titles and years of the sections around it, innermost first. The rule is conservative: when
    nothing below says "target", the figure stays an observation, and the person can switch the
    draft's kind on the review screen.

    1. Only a level, count, measure, percent or growth can be a target (not a multiple, a threshold
       or a rank).
    2. A figure for a year *before* the document's year is an observation, whatever its words
       (预计 in a look back at last year is an estimate of a result).
    3. A clause that states what already is (已, 现有, 目前, 截至) is an observation.
    4. A figure in a section that looks back (工作回顾, 成绩, 总结, an earlier year's heading) is an
       observation, even with 确保 or 力争 in it.
    5. A figure for a span (十四五期间, 2021—2025年) is a target only with a strong cue (below), for
       the span's last year.
    6. A figure for a year *after* the document's year is a target for that year, when that year is
       written in its sentence (2025年, or 明年 for the year after the document's) or in a section
       title (a year the reader carried over from an earlier sentence is not trusted).
    7. A figure in the plan part of a document (a heading with a later year, or 工作安排, 打算, 思路,
       预期目标, 目标任务, 总体要求, 计划 …) is a target for the section's year (else the figure's,
       else the document's).
    8. A figure in a document of kind plan is a target for the document's year.
    9. Anywhere else, a strong cue before the figure in its sentence makes it a target: 目标 (not
       完成目标), 力争, 确保 (not 确保了), 预期, 计划 (not 计划总投资 or 计划生育). 预计 and 争取 are
       weak cues: they never decide alone (预计全年完成…, 争取上级资金…).
    """
    if mention_kind not in TARGET_KINDS:
        return None
    clause = _CLAUSE_SPLIT_RE.split(left)[-1]
    if _FACT_RE.search(clause):
        return None
    year = year_of(period)
    is_span = bool(period) and "-" in str(period)
    if year is not None and doc_year is not None and year < doc_year and not is_span:
        return None
    context, section_year = section_context(sections, doc_year)
    if context == REVIEW:
        return None
    # The cue nearest the figure is the one that speaks of it.
    strong = next(reversed(list(_STRONG_CUE_RE.finditer(left))), None)
    cue = strong.group(0) if strong else ""
    if is_span:
        return TargetReading(REASON_CUE, year, cue) if strong else None
    titles = list(sections)
    written = {int(y) for y in _WRITTEN_YEAR_RE.findall(sentence)}
    if doc_year is not None and _NEXT_YEAR_RE.search(sentence):
        written.add(doc_year + 1)  # 明年 in a document on its year is the year after it
    written |= {y for _, y in titles if y is not None}
    if year is not None and doc_year is not None and year > doc_year:
        if year in written:
            return TargetReading(REASON_FUTURE_YEAR, year, cue)
        year = None  # carried over from an earlier sentence: not the figure's own period
    if context == PLAN:
        return TargetReading(REASON_PLAN_SECTION, section_year or year or doc_year, cue)
    if doc_kind == "plan":
        return TargetReading(REASON_PLAN_DOCUMENT, year or doc_year, cue)
    if strong:
        return TargetReading(REASON_CUE, year or doc_year, cue)
    return None


def growth_target_name(indicator: str) -> str:
    """A growth target is a level target of the growth rate: 地区生产总值 → 地区生产总值增速."""
    if _GROWTH_NAME_RE.search(indicator):
        return indicator
    return f"{indicator}增速" if indicator else indicator


def as_target(fields: dict[str, Any], year: int | None = None) -> dict[str, Any]:
    """An observation's fields as a target's: a growth becomes a level of its rate, in %.

    The observation's own indicator name is kept (`observed_indicator`) so that switching back
    restores it.
    """
    target = dict(fields)
    if year is not None:
        target["year"] = year
    if fields.get("value_kind") == "growth" and "observed_indicator" not in fields:
        target["observed_indicator"] = fields.get("indicator") or ""
        target["indicator"] = growth_target_name(str(fields.get("indicator") or ""))
        target["unit"] = "%"
    return target


def as_observation(fields: dict[str, Any]) -> dict[str, Any]:
    """A target's fields back as an observation's (the inverse of `as_target`)."""
    observation = dict(fields)
    if "observed_indicator" in observation:
        observation["indicator"] = observation.pop("observed_indicator")
    return observation


def _section_titles(structure: Any, pos: int) -> list[tuple[str, int | None]]:
    return [(_clean(s.title), s.year) for s in structure.sections_at(pos)]


def mark_targets(
    text: str, proposals: list[Proposal], structure: Any, *, doc_kind: str = "", doc_year: int | None = None
) -> None:
    """Turn the observations that `target_reading` reads as goals into target proposals, in place."""
    sentences = structure.sentences
    for proposal in proposals:
        if proposal.kind not in (OBSERVATION, ITEM_COUNT):
            continue
        sentence = _sentence_at(sentences, proposal.start)
        raw = text[sentence.start : sentence.end] if sentence is not None else proposal.text
        left = text[sentence.start : proposal.start] if sentence is not None else ""
        mention_kind = str(proposal.mention.get("kind") or "")
        if mention_kind == "amount" and "项目" in raw and "投资" in raw:
            continue  # a project's investment: proposed as a key project, not a goal
        reading = target_reading(
            mention_kind=mention_kind,
            period=proposal.mention.get("period"),
            left=_clean(left),
            sentence=_clean(raw),
            sections=_section_titles(structure, proposal.start),
            doc_year=doc_year,
            doc_kind=doc_kind,
        )
        if reading is None:
            continue
        proposal.kind = TARGET
        proposal.fields = as_target(proposal.fields, reading.year)
        proposal.mention = {**proposal.mention, "target_reason": reading.reason, "target_cue": reading.cue}


def propose(
    text: str, mentions: list[Any], structure: Any, *, doc_kind: str = "", doc_year: int | None = None
) -> list[Proposal]:
    """Every proposal for a document, in text order, each with the title of its section."""
    proposals = [mention_proposal(m, doc_year) for m in mentions]
    mark_targets(text, proposals, structure, doc_kind=doc_kind, doc_year=doc_year)
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
