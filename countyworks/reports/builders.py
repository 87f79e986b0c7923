"""Builders: read the database and produce the plain report model (reports/model.py).

Three reports: the year-end review of a region's plan, the supervision bulletin for a period,
and the ledger workbook. Builders only read; every figure they emit carries its source (a record
and its citation, or the records a computed value was derived from). A section with no data is
left out rather than padded.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from countyworks.accounts import policy
from countyworks.core.xlsx import Column
from countyworks.honours.models import Honour, HonourLevel
from countyworks.indicators import maths
from countyworks.indicators.models import Observation, Target, ValueKind
from countyworks.plans.exports import ITEM_COLUMNS, STATUS_COLUMN, item_cells
from countyworks.plans.models import (
    ItemKind,
    ItemStatus,
    Light,
    NodeKind,
    Plan,
    PlanNode,
    ProjectStage,
    WorkItem,
)
from countyworks.regions.models import Organisation, Region
from countyworks.reports import areas, wording
from countyworks.reports.model import (
    Chart,
    Figure,
    Paragraph,
    Report,
    Run,
    Section,
    Source,
    Table,
    enumeration,
)
from countyworks.sources.models import Citation
from countyworks.supervision.models import Notice, NoticeState

DONE_STATUSES = (ItemStatus.COMPLETED,)
STAGE_WORDS = [
    (ProjectStage.IN_OPERATION, "投产"),
    (ProjectStage.COMPLETED, "竣工"),
    (ProjectStage.UNDER_CONSTRUCTION, "在建"),
    (ProjectStage.STARTED, "新开工"),
    (ProjectStage.SIGNED, "签约"),
    (ProjectStage.PLANNING, "谋划"),
]
LEVEL_WORDS = [
    (HonourLevel.NATIONAL, "国家级"),
    (HonourLevel.PROVINCIAL, "省级"),
    (HonourLevel.CITY, "市级"),
    (HonourLevel.COUNTY, "县级"),
]
STATUS_WORDS = {
    ItemStatus.NOT_STARTED: "未启动",
    ItemStatus.IN_PROGRESS: "推进中",
    ItemStatus.COMPLETED: "已完成",
    ItemStatus.SUSPENDED: "暂缓",
    ItemStatus.CANCELLED: "已取消",
}
LIGHT_WORDS = {
    Light.GREEN: "绿灯",
    Light.YELLOW: "黄灯",
    Light.RED: "红灯",
    Light.DONE: "已完成",
    Light.NONE: "未评定",
}
KIND_WORDS = {
    ItemKind.KEY_PROJECT: "重点项目",
    ItemKind.LIVELIHOOD: "民生实事",
    ItemKind.RECTIFICATION: "整改事项",
    ItemKind.RESEARCH: "调研课题",
    ItemKind.CAMPAIGN: "专项行动",
    ItemKind.ROUTINE: "常规工作",
}


# One completion chart and two indicator trends: enough to read, cheap to draw in Word and PDF.
MAX_CHARTS = 3


class ReportNotFound(LookupError):
    """There is nothing to report on (no such region, or no plan for that year)."""


# --------------------------------------------------------------------------- sources


def citation_text(citation: Citation | None) -> str:
    """Document title and the cited span, as printed in a figure list."""
    if citation is None:
        return ""
    where = ""
    if citation.start is not None and citation.end is not None:
        where = f"第{citation.start}–{citation.end}字"
    elif citation.section:
        where = citation.section
    quote = f"“{citation.quote}”" if citation.quote else ""
    return " ".join(part for part in (f"《{citation.document.title}》", where, quote) if part)


def _record_url(name: str, pk: int) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


# The screen that shows a record of each type: (URL name, attribute holding the URL's pk).
RECORD_SCREENS = {
    "plans.WorkItem": ("plans:item", "pk"),
    "indicators.Observation": ("indicators:detail", "indicator_id"),
}


def source_of(record: Any) -> Source:
    meta = record._meta
    record_type = f"{meta.app_label}.{meta.object_name}"
    url = ""
    if record_type in RECORD_SCREENS:
        name, attribute = RECORD_SCREENS[record_type]
        url = _record_url(name, getattr(record, attribute))
    return Source(
        record_type=record_type,
        record_id=record.pk,
        citation=citation_text(getattr(record, "citation", None)),
        url=url,
    )


def computed_source(how: str, *inputs: Any) -> Source:
    """A value derived by counting or arithmetic; the citation says how and from which records."""
    refs = "、".join(f"{r._meta.object_name}#{r.pk}" for r in inputs if r is not None)
    return Source(record_type="computed", record_id=None, citation=f"{how}（{refs}）" if refs else how)


def count_figure(count: int, unit: str, how: str, plan: Plan | None = None) -> Figure:
    return Figure(
        value=Decimal(count),
        unit=unit,
        qualifier="exact",
        text=wording.format_count(count, unit),
        source=computed_source(how, plan),
        label=how,
    )


def observation_subject(obs: Observation) -> str:
    """What the figure measures, named with its holder when that is an organisation."""
    if obs.organisation_id:
        return wording.ORGANISATION_INDICATOR.format(holder=obs.organisation.name, name=obs.indicator.name)
    return obs.indicator.name


def observation_source(obs: Observation) -> Source:
    source = source_of(obs)
    if obs.doubtful:
        return replace(
            source, citation=wording.DOUBTFUL_SOURCE.format(citation=source.citation, note=obs.note or "")
        )
    return source


def observation_figure(obs: Observation) -> Figure:
    quote = obs.citation.quote if obs.citation_id else ""
    style = wording.qualifier_style(quote, obs.qualifier)
    return Figure(
        value=obs.value,
        unit=obs.unit,
        qualifier=obs.qualifier,
        text=wording.format_quantity(obs.value, obs.unit, obs.qualifier, style),
        source=observation_source(obs),
        label=f"{observation_subject(obs)}（{obs.year}年）",
    )


# --------------------------------------------------------------------------- year-end review


@dataclass
class _AreaData:
    items: list[WorkItem] = field(default_factory=list)
    indicators: dict[int, list[Observation]] = field(default_factory=dict)
    honours: list[Honour] = field(default_factory=list)


def find_plan(region: Region, year: int) -> Plan | None:
    """The region's plan for a year (published first, then by title)."""
    return Plan.objects.filter(region=region, year=year).order_by("-published", "title").first()


def _node_titles(nodes: dict[int, PlanNode], node_id: int | None) -> list[str]:
    titles = []
    while node_id is not None and node_id in nodes:
        titles.append(nodes[node_id].title)
        node_id = nodes[node_id].parent_id
    return list(reversed(titles))


def _review_items(plan: Plan) -> list[WorkItem]:
    # Internal items never go into a document the portal may link to.
    return list(
        WorkItem.objects.filter(plan=plan, internal=False)
        .select_related("citation__document", "lead_unit")
        .order_by("node_id", "id")
    )


def _observations(region: Region, year: int) -> QuerySet[Observation]:
    # The county's own figures and those of its organisations (a firm's taxes, a scenic area's income).
    # Doubtful figures stay in: the review says what the sources say, and the figure list names the doubt.
    return (
        Observation.objects.filter(Q(region=region) | Q(organisation__region=region), internal=False)
        .select_related("indicator", "organisation", "citation__document")
        .order_by("indicator_id", "year", "id")
    )


def build_review(region: Region, year: int) -> Report:
    """The year-end review of `region` for `year`, from the plan of that year and the records around it."""
    plan = find_plan(region, year)
    if plan is None:
        raise ReportNotFound(f"no plan of {region.code} for {year}")
    nodes = {n.pk: n for n in PlanNode.objects.filter(plan=plan)}
    items = _review_items(plan)
    observations = list(_observations(region, year).filter(year__lte=year))
    honours = list(
        Honour.objects.filter(
            Q(holder_region=region) | Q(holder_organisation__region=region), year=year, internal=False
        ).select_related("citation__document", "holder_organisation")
    )
    by_area: dict[str, _AreaData] = {key: _AreaData() for key in areas.AREA_KEYS}
    for item in items:
        key = areas.item_area(item.kind, _node_titles(nodes, item.node_id), item.title)
        by_area[key].items.append(item)
    for obs in observations:
        key = areas.area_from_text(obs.indicator.area, obs.indicator.name) or areas.DEFAULT_AREA
        subject = (obs.indicator_id, obs.region_id, obs.organisation_id)
        by_area[key].indicators.setdefault(subject, []).append(obs)
    for honour in honours:
        key = areas.area_from_text(honour.title) or areas.DEFAULT_AREA
        by_area[key].honours.append(honour)

    name = region.name
    report = Report(
        title=wording.REVIEW_TITLE.format(region=name, year=year),
        subtitle=wording.REVIEW_SUBTITLE.format(region=name, year=year),
        kind="review",
        filename=f"review-{region.code}-{year}",
    )
    if items:
        done = sum(1 for i in items if i.status in DONE_STATUSES)
        lead = Paragraph().fill(
            wording.REVIEW_LEAD,
            year=year,
            region=name,
            count=count_figure(len(items), "项", "台账工作事项计数", plan),
            done=count_figure(done, "项", "已完成事项计数", plan),
        )
        report.lead.append(lead)

    targets = {
        t.indicator_id: t
        for t in Target.objects.filter(region=region, year=year).select_related("citation__document")
    }
    for key in areas.AREA_KEYS_IN_REVIEW_ORDER:
        section = Section(title=areas.AREA_TITLES[key], key=key)
        data = by_area[key]
        _items_paragraphs(section, data.items, plan)
        _indicator_paragraphs(section, data.indicators, year, targets)
        _honour_paragraphs(section, data.honours)
        if not section.is_empty():
            report.sections.append(section)

    next_plan = find_plan(region, year + 1)
    if next_plan is not None:
        section = _next_year_section(next_plan)
        if not section.is_empty():
            report.sections.append(section)
    for index, section in enumerate(report.sections):
        section.number = wording.section_number(index)
    report.charts = _review_charts(report, by_area, observations, year)
    return report


def _money_figure(total: Decimal, how: str, label: str, records: list[WorkItem]) -> Figure:
    return Figure(
        total, "元", "exact", wording.format_quantity(total, "元"), computed_source(how, *records), label
    )


def _named(records: list[Any], last: str = "、") -> list[Run]:
    return enumeration([Run(record.title, source=source_of(record)) for record in records], last)


def _items_paragraphs(section: Section, items: list[WorkItem], plan: Plan) -> None:
    by_kind: dict[str, list[WorkItem]] = defaultdict(list)
    for item in items:
        by_kind[item.kind].append(item)

    projects = by_kind.get(ItemKind.KEY_PROJECT, [])
    if projects:
        p = Paragraph().fill(wording.PROJECTS, count=count_figure(len(projects), "个", "重点项目计数", plan))
        invested = [i for i in projects if i.total_investment is not None]
        if invested:
            total = sum((i.total_investment for i in invested), Decimal(0))
            p.fill(
                wording.PROJECTS_TOTAL,
                total=_money_figure(total, "重点项目总投资合计", "重点项目总投资", invested),
            )
        completed = [i for i in projects if i.annual_completed_investment is not None]
        if completed:
            done_sum = sum((i.annual_completed_investment for i in completed), Decimal(0))
            p.fill(
                wording.PROJECTS_ANNUAL,
                annual=_money_figure(done_sum, "重点项目年度完成投资合计", "年度完成投资", completed),
            )
        stages = Counter(i.stage for i in projects if i.stage)
        parts = [
            Paragraph()
            .fill(
                wording.PROJECT_STAGE,
                stage=word,
                count=count_figure(stages[stage], "个", f"阶段为{word}的重点项目计数", plan),
            )
            .runs
            for stage, word in STAGE_WORDS
            if stages.get(stage)
        ]
        if parts:
            stage_runs = [run for part in enumeration_of_parts(parts) for run in part]
            p.fill(wording.PROJECTS_STAGES, stages=stage_runs)
        biggest = sorted(invested, key=lambda i: i.total_investment, reverse=True)[:5] or projects[:5]
        p.fill(wording.PROJECTS_NAMED, names=_named(biggest, "和"))
        section.paragraphs.append(p)

    livelihood = by_kind.get(ItemKind.LIVELIHOOD, [])
    if livelihood:
        kept = [i for i in livelihood if i.status in DONE_STATUSES]
        p = Paragraph().fill(
            wording.LIVELIHOOD,
            count=count_figure(len(livelihood), "件", "民生实事计数", plan),
            kept=count_figure(len(kept), "件", "已办结民生实事计数", plan),
        )
        beneficiaries = [i for i in kept if i.beneficiary_count]
        if beneficiaries:
            people = sum(i.beneficiary_count for i in beneficiaries)
            p.fill(
                wording.LIVELIHOOD_PEOPLE,
                people=Figure(
                    Decimal(people),
                    "人",
                    "exact",
                    wording.format_count(people, "人"),
                    computed_source("已办结民生实事受益人数合计", *beneficiaries),
                    "民生实事受益人数",
                ),
            )
        if kept:
            p.fill(wording.LIVELIHOOD_NAMED, names=_named(kept[:6]))
        section.paragraphs.append(p.fill(wording.END))

    rectification = by_kind.get(ItemKind.RECTIFICATION, [])
    if rectification:
        closed = [i for i in rectification if i.closed_on or i.status in DONE_STATUSES]
        section.paragraphs.append(
            Paragraph().fill(
                wording.RECTIFICATION,
                count=count_figure(len(rectification), "项", "整改事项计数", plan),
                closed=count_figure(len(closed), "项", "已销号整改事项计数", plan),
            )
        )

    research = by_kind.get(ItemKind.RESEARCH, [])
    if research:
        lectures = [i for i in research if i.party_lecture_delivered]
        p = Paragraph().fill(wording.RESEARCH, count=count_figure(len(research), "个", "调研课题计数", plan))
        if lectures:
            p.fill(
                wording.RESEARCH_LECTURES, lectures=count_figure(len(lectures), "次", "已讲党课计数", plan)
            )
        section.paragraphs.append(p.fill(wording.END))

    others = by_kind.get(ItemKind.CAMPAIGN, []) + by_kind.get(ItemKind.ROUTINE, [])
    if others:
        done = [i for i in others if i.status in DONE_STATUSES]
        p = Paragraph().fill(
            wording.OTHER_WORK, count=count_figure(len(others), "项", "专项行动和常规工作计数", plan)
        )
        if done:
            p.fill(
                wording.OTHER_WORK_DONE,
                done=count_figure(len(done), "项", "已完成专项行动和常规工作计数", plan),
            )
        else:
            p.fill(wording.OTHER_WORK_UNDER_WAY)
        section.paragraphs.append(p.fill(wording.END))


def enumeration_of_parts(parts: list[list[Run]]) -> list[list[Run]]:
    """Join groups of runs (each a phrase such as 在建3个) with 、."""
    joined: list[list[Run]] = []
    for index, part in enumerate(parts):
        if index:
            joined.append([Run("、")])
        joined.append(part)
    return joined


def _annual(observations: list[Observation], kind: str) -> list[Observation]:
    return [o for o in observations if o.value_kind == kind and o.quarter is None and o.month is None]


def _indicator_paragraphs(
    section: Section, by_indicator: dict[tuple, list[Observation]], year: int, targets: dict[int, Target]
) -> None:
    for observations in by_indicator.values():
        levels = _annual(observations, ValueKind.LEVEL)
        current = [o for o in levels if o.year == year]
        if current:
            obs = current[-1]
            template = wording.INDICATOR_EXACT if obs.qualifier == "exact" else wording.INDICATOR_QUALIFIED
            p = Paragraph().fill(template, name=observation_subject(obs), value=observation_figure(obs))
        else:
            # A comparison stated without its level (“旅游营收较2019年增长216%”) still makes a sentence.
            stated = [o for o in observations if o.year == year and o.value_kind != ValueKind.LEVEL]
            if not stated:
                continue
            obs = stated[0]
            p = Paragraph().add(observation_subject(obs))
        indicator = obs.indicator
        stated_multiple = [o for o in _annual(observations, ValueKind.MULTIPLE) if o.year == year]
        stated_growth = [o for o in _annual(observations, ValueKind.GROWTH) if o.year == year]
        for m in stated_multiple:
            base = m.base_label or (f"{m.base_year}年" if m.base_year else wording.BASE_PERIOD_UNKNOWN)
            multiple = Figure(
                m.value,
                "倍",
                m.qualifier,
                wording.format_multiple(m.value),
                observation_source(m),
                f"{indicator.name}倍数",
            )
            p.fill(wording.STATED_MULTIPLE, base=base, multiple=multiple)
        for g in stated_growth:
            base = g.base_label or (f"{g.base_year}年" if g.base_year else wording.PREVIOUS_YEAR)
            growth = Figure(
                g.value,
                "%",
                g.qualifier,
                wording.format_percent(g.value),
                observation_source(g),
                f"{indicator.name}增幅",
            )
            template = wording.STATED_GROWTH if current else wording.STATED_GROWTH_ALONE
            p.fill(template, base=base, verb=wording.growth_verb(g.value), growth=growth)
        if current and not stated_growth:
            previous = [o for o in levels if o.year == year - 1 and o.unit == obs.unit]
            if previous and previous[-1].value != 0:
                value = maths.growth_percent(obs.value, previous[-1].value)
                growth = Figure(
                    value,
                    "%",
                    "exact",
                    wording.format_percent(value),
                    computed_source("同比增幅＝(本年−上年)/上年×100", obs, previous[-1]),
                    f"{indicator.name}同比增幅",
                )
                p.fill(
                    wording.COMPUTED_GROWTH,
                    base_year=year - 1,
                    verb=wording.growth_verb(value),
                    growth=growth,
                )
        target = targets.get(indicator.pk)
        if current and target is not None and target.unit == obs.unit and target.value:
            value = maths.completion_percent(obs.value, target.value)
            completion = Figure(
                value,
                "%",
                "exact",
                wording.format_percent(value),
                computed_source("目标完成率＝实际/目标×100", obs, target),
                f"{indicator.name}目标完成率",
            )
            p.fill(wording.TARGET_COMPLETION, completion=completion)
        section.paragraphs.append(p.fill(wording.END))


def _honour_paragraphs(section: Section, honours: list[Honour]) -> None:
    groups = []
    for level, word in LEVEL_WORDS:
        group = [h for h in honours if h.level == level]
        if not group:
            continue
        count = Figure(
            Decimal(len(group)),
            "项",
            "exact",
            wording.format_count(len(group), "项"),
            computed_source(f"{word}荣誉计数", *group),
            f"{word}荣誉数",
        )
        names = [
            Run(
                wording.HONOUR_HELD_BY.format(title=h.title, holder=h.holder_organisation.name)
                if h.holder_organisation_id
                else h.title,
                source=source_of(h),
            )
            for h in group
        ]
        groups.append(
            Paragraph().fill(wording.HONOUR_GROUP, level=word, count=count, names=enumeration(names)).runs
        )
    if groups:
        joined = []
        for index, runs in enumerate(groups):
            if index:
                joined.append(Run("；"))
            joined.extend(runs)
        section.paragraphs.append(Paragraph().fill(wording.HONOURS, groups=joined))


def _next_year_section(plan: Plan) -> Section:
    section = Section(title=wording.NEXT_YEAR_TITLE.format(year=plan.year), key="next_year")
    nodes = list(PlanNode.objects.filter(plan=plan).order_by("order", "id"))
    counts = Counter(WorkItem.objects.filter(plan=plan, internal=False).values_list("node_id", flat=True))
    children: dict[int | None, list[PlanNode]] = defaultdict(list)
    for node in nodes:
        children[node.parent_id].append(node)

    def items_under(node: PlanNode) -> int:
        return counts.get(node.pk, 0) + sum(items_under(c) for c in children.get(node.pk, []))

    roots = children.get(None, [])
    # A single goal at the top (三地一区): state it once and plan by its branches.
    if len(roots) == 1 and roots[0].kind == NodeKind.GOAL and children.get(roots[0].pk):
        goal = roots[0]
        section.paragraphs.append(
            Paragraph().fill(wording.NEXT_YEAR_GOAL, goal=Run(goal.title, source=source_of(goal)))
        )
        roots = children[goal.pk]
    for root in roots:
        # Numbered by the branches shown: empty ones are left out, so (一) always comes first.
        sub = Section(
            title=root.title,
            number=wording.subsection_number(len(section.subsections)),
            key=f"node-{root.pk}",
        )
        p = Paragraph()
        kids = children.get(root.pk, [])
        if kids:
            p.fill(wording.NEXT_YEAR_BRANCHES, names=_named(kids))
        total = items_under(root)
        if total:
            # After the branches the count is a second clause; alone it opens the sentence.
            template = wording.NEXT_YEAR_ITEMS_AFTER_BRANCHES if kids else wording.NEXT_YEAR_ITEMS
            p.fill(template, count=count_figure(total, "项", f"{root.title}下工作事项计数", plan))
        if p.runs:
            sub.paragraphs.append(p.fill(wording.END))
            section.subsections.append(sub)
    if not section.subsections:
        total = sum(counts.values())
        if total:
            section.paragraphs.append(
                Paragraph().fill(
                    wording.NEXT_YEAR_ITEMS_ONLY,
                    count=count_figure(total, "项", "下一年度工作事项计数", plan),
                )
            )
    return section


def _review_charts(
    report: Report, by_area: dict[str, _AreaData], observations: list[Observation], year: int
) -> list[Chart]:
    charts = []
    categories, totals, done = [], [], []
    for section in report.sections:
        if section.key in by_area and by_area[section.key].items:
            items = by_area[section.key].items
            categories.append(areas.AREA_SHORT_NAMES[section.key])
            totals.append(float(len(items)))
            done.append(float(sum(1 for i in items if i.status in DONE_STATUSES)))
    if categories:
        charts.append(
            Chart(
                "completion",
                "各领域工作事项完成情况",
                "bar",
                categories,
                [("事项", totals), ("已完成", done)],
                "项",
            )
        )
    trends: dict[int, list[Observation]] = defaultdict(list)
    for obs in observations:
        if obs.value_kind == ValueKind.LEVEL and obs.quarter is None and obs.month is None:
            trends[obs.indicator_id].append(obs)
    ranked = sorted(trends.values(), key=lambda obs: (not obs[0].indicator.headline, obs[0].indicator.name))
    for series in ranked:
        units = {o.unit for o in series}
        if len(series) < 2 or len(units) != 1:
            continue
        by_year = {o.year: o for o in series}
        years = sorted(by_year)
        peak = max(abs(by_year[y].value) for y in years)
        _, scale_word = wording.scale(peak, series[0].unit)
        divisor = {"亿": Decimal(10) ** 8, "万": Decimal(10) ** 4}.get(scale_word, Decimal(1))
        base_values = [wording.base_unit(by_year[y].value, series[0].unit) for y in years]
        unit = scale_word + base_values[0][1]
        charts.append(
            Chart(
                f"trend-{series[0].indicator_id}",
                f"{series[0].indicator.name}（{unit}）",
                "line",
                [f"{y}年" for y in years],
                [(series[0].indicator.name, [float(v / divisor) for v, _u in base_values])],
                unit,
            )
        )
        if len(charts) >= MAX_CHARTS:
            break
    return charts


# --------------------------------------------------------------------------- supervision bulletin


def _items_in_region(region: Region, start: date, end: date) -> QuerySet[WorkItem]:
    prefix = policy.region_prefix(region)
    return WorkItem.objects.filter(
        plan__region__code__startswith=prefix, plan__year__gte=start.year, plan__year__lte=end.year
    )


@dataclass
class UnitRow:
    unit: str
    total: int = 0
    completed: int = 0
    overdue: int = 0
    red: int = 0
    progress_sum: Decimal = Decimal(0)
    overdue_titles: list[str] = field(default_factory=list)

    @property
    def rate(self) -> Decimal:
        return Decimal(self.completed) / self.total * 100 if self.total else Decimal(0)

    @property
    def mean_progress(self) -> Decimal:
        return self.progress_sum / self.total if self.total else Decimal(0)


def unit_rows(region: Region, start: date, end: date) -> list[UnitRow]:
    """Per-unit counts, ranked by completion rate, then mean progress, then fewest overdue."""
    rows: dict[str, UnitRow] = {}
    fields = (
        "lead_unit__name",
        "plan__region__name",
        "status",
        "is_overdue",
        "light",
        "progress",
        "due_date",
        "title",
    )
    for unit, county, status, overdue, light, progress, due, title in _items_in_region(
        region, start, end
    ).values_list(*fields):
        label = f"{county}{unit}" if region.level != "county" and unit else (unit or "未明确责任单位")
        row = rows.setdefault(label, UnitRow(label))
        row.total += 1
        row.completed += status in DONE_STATUSES
        # A cancelled item is not late; a finished one is not either, whatever its flag says.
        open_item = status not in (*DONE_STATUSES, ItemStatus.CANCELLED)
        late = open_item and (overdue or (due is not None and due < end))
        row.overdue += bool(late)
        if late:
            row.overdue_titles.append(title)
        row.red += light == Light.RED
        row.progress_sum += progress or 0
    return sorted(rows.values(), key=lambda r: (-r.rate, -r.mean_progress, r.overdue, r.unit))


def _ranking_table(region: Region, start: date, end: date, fallback: list[UnitRow]) -> Table | None:
    """The unit ranking: the supervision app's rules when installed, else our own simple counts."""
    try:
        from countyworks.supervision.rankings import unit_rankings
    except ImportError:
        unit_rankings = None
    if unit_rankings is not None:
        rankings = unit_rankings(region, start, end)
        if not rankings:
            return None
        county_of: dict[int, str] = {}
        if region.level != "county":
            county_of = dict(
                Organisation.objects.filter(pk__in=[r.unit_id for r in rankings]).values_list(
                    "pk", "region__name"
                )
            )
        return Table(
            ["名次", "责任单位", "事项数", "已完成", "逾期", "按时报送率", "完成率", "平均进度", "得分"],
            [
                [
                    str(n),
                    county_of.get(r.unit_id, "") + r.unit_name,
                    str(r.items),
                    str(r.completed),
                    str(r.overdue),
                    _pct(Decimal(str(r.on_time_rate)) * 100),
                    _pct(Decimal(str(r.completion_rate)) * 100),
                    _pct(Decimal(str(r.average_progress))),
                    wording.format_multiple(Decimal(str(r.score))).rstrip("倍"),
                ]
                for n, r in enumerate(rankings, start=1)
            ],
        )
    if not fallback:
        return None
    return Table(
        ["名次", "责任单位", "事项数", "已完成", "完成率", "平均进度", "红灯"],
        [
            [str(n), r.unit, str(r.total), str(r.completed), _pct(r.rate), _pct(r.mean_progress), str(r.red)]
            for n, r in enumerate(fallback, start=1)
        ],
    )


def _titles(titles: list[str], shown: int = 5) -> str:
    return "、".join(titles[:shown]) + ("等" if len(titles) > shown else "")


def _pct(value: Decimal) -> str:
    return wording.format_percent(value)


def build_bulletin(region: Region, start: date, end: date) -> Report:
    """The supervision bulletin (督查通报) of `region` and everything under it for a period."""
    items = _items_in_region(region, start, end)
    report = Report(
        title=wording.BULLETIN_TITLE.format(region=region.name),
        subtitle=wording.BULLETIN_PERIOD.format(
            start=wording.format_date(start), end=wording.format_date(end)
        ),
        kind="bulletin",
        filename=f"bulletin-{region.code}-{start.isoformat()}-{end.isoformat()}",
    )
    status_counts = Counter(items.values_list("status", flat=True))
    light_counts = Counter(items.values_list("light", flat=True))
    total = sum(status_counts.values())

    overall = Section(title="总体情况", key="overall")
    by_status = []
    for status, word in STATUS_WORDS.items():
        if status_counts.get(status):
            by_status.extend(
                Paragraph()
                .fill(
                    wording.BULLETIN_STATUS,
                    status=word,
                    count=count_figure(status_counts[status], "项", f"{word}事项计数"),
                )
                .runs
            )
    p = Paragraph().fill(
        wording.BULLETIN_OVERALL, count=count_figure(total, "项", "督查事项计数"), by_status=by_status
    )
    overall.paragraphs.append(p)
    overall.tables.append(
        Table(
            ["状态", "事项数"],
            [[word, str(status_counts.get(s, 0))] for s, word in STATUS_WORDS.items()],
            "按状态",
        )
    )
    overall.tables.append(
        Table(
            ["红黄绿灯", "事项数"],
            [[w, str(light_counts.get(k, 0))] for k, w in LIGHT_WORDS.items()],
            "按灯色",
        )
    )
    report.sections.append(overall)

    directions = Section(title="各方向完成情况", key="directions")
    node_rows = list(
        PlanNode.objects.filter(
            plan__region__code__startswith=policy.region_prefix(region),
            plan__year__gte=start.year,
            plan__year__lte=end.year,
        ).values_list("pk", "parent_id", "title")
    )
    parent_of = {pk: parent for pk, parent, _t in node_rows}
    title_of = {pk: title for pk, _p, title in node_rows}

    def root_title(node_id: int | None) -> str:
        seen = 0
        while node_id is not None and parent_of.get(node_id) is not None and seen < 50:
            node_id = parent_of[node_id]
            seen += 1
        return title_of.get(node_id, "未归入目标树") if node_id is not None else "未归入目标树"

    per_direction: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for node_id, status in items.values_list("node_id", "status"):
        row = per_direction[root_title(node_id)]
        row[0] += 1
        row[1] += status in DONE_STATUSES
    if per_direction:
        directions.tables.append(
            Table(
                ["方向", "事项数", "已完成", "完成率"],
                [
                    [name, str(t), str(d), _pct(Decimal(d) / t * 100)]
                    for name, (t, d) in sorted(per_direction.items(), key=lambda kv: -kv[1][0])
                ],
            )
        )
        report.sections.append(directions)

    ranking = unit_rows(region, start, end)
    overdue_rows = [r for r in ranking if r.overdue]
    if overdue_rows:
        overdue = Section(title="逾期事项", key="overdue")
        overdue.tables.append(
            Table(
                ["责任单位", "逾期事项数", "逾期事项"],
                [
                    [r.unit, str(r.overdue), _titles(r.overdue_titles)]
                    for r in sorted(overdue_rows, key=lambda r: -r.overdue)
                ],
            )
        )
        report.sections.append(overdue)
    ranks = _ranking_table(region, start, end, ranking)
    if ranks is not None:
        section = Section(title="单位排名", key="ranking")
        section.tables.append(ranks)
        report.sections.append(section)

    notices = Notice.objects.filter(
        item__in=items, issued_at__date__gte=start, issued_at__date__lte=end
    ).values_list("unit__name", "state", "answered_at")
    per_unit: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for unit, state, answered_at in notices:
        per_unit[unit][0] += 1
        per_unit[unit][1] += bool(answered_at) or state in (NoticeState.ANSWERED, NoticeState.CLOSED)
    if per_unit:
        section = Section(title="督办情况", key="notices")
        issued = sum(v[0] for v in per_unit.values())
        answered = sum(v[1] for v in per_unit.values())
        p = Paragraph().fill(
            wording.BULLETIN_NOTICES,
            issued=count_figure(issued, "件", "督办单计数"),
            answered=count_figure(answered, "件", "已回复督办单计数"),
        )
        section.paragraphs.append(p)
        section.tables.append(
            Table(
                ["责任单位", "下发", "已回复"],
                [[u, str(i), str(a)] for u, (i, a) in sorted(per_unit.items(), key=lambda kv: -kv[1][0])],
            )
        )
        report.sections.append(section)
    for index, section in enumerate(report.sections):
        section.number = wording.section_number(index)
    return report


# --------------------------------------------------------------------------- ledger workbook

# The task-table columns are the ledger screen's export's (plans/exports.py), always in Chinese here
# like the rest of the report, then the status in the report's words and the traffic light.
LIGHT_COLUMN = Column("红黄绿灯")
LEDGER_COLUMNS = (*ITEM_COLUMNS, STATUS_COLUMN, LIGHT_COLUMN)


def ledger_headers() -> list[str]:
    with translation.override("zh-hans"):
        return [str(column.header) for column in LEDGER_COLUMNS]


@dataclass
class LedgerSheet:
    kind: str
    title: str
    rows: list[list[Any]]  # values in LEDGER_COLUMNS order; the last column is the light in words
    lights: list[str]


def build_ledger(region: Region, year: int, user: Any = None) -> list[LedgerSheet]:
    """One sheet per item kind that has items. With a user, only the items policy lets them read."""
    items = WorkItem.objects.filter(plan__region=region, plan__year=year)
    if user is not None:
        items = items.filter(pk__in=policy.visible_items(user).values("pk"))
    items = (
        items.select_related("lead_leader", "lead_unit")
        .prefetch_related("co_units")
        .order_by("kind", "plan_id", "node_id", "id")
    )
    grouped: dict[str, list[WorkItem]] = defaultdict(list)
    for item in items:
        grouped[item.kind].append(item)
    sheets = []
    for kind, _label in ItemKind.choices:
        if kind not in grouped:
            continue
        rows, lights = [], []
        for n, item in enumerate(grouped[kind], start=1):
            rows.append(
                [
                    *item_cells(item, n),
                    STATUS_WORDS.get(item.status, item.status),
                    LIGHT_WORDS.get(item.light, item.light),
                ]
            )
            lights.append(item.light)
        sheets.append(LedgerSheet(kind, KIND_WORDS.get(kind, kind), rows, lights))
    return sheets
