"""The year-end review of a region's plan, from the plan of that year and the records around it."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import translation

from countyworks import wording
from countyworks.accounts import policy
from countyworks.honours.models import Honour, HonourLevel
from countyworks.indicators import maths
from countyworks.indicators.models import Observation, Target, ValueKind
from countyworks.indicators.services import consistency_issues
from countyworks.plans.models import (
    ItemKind,
    NodeKind,
    Plan,
    PlanNode,
    ProjectStage,
    WorkItem,
)
from countyworks.regions.models import Region
from countyworks.reports import areas, sentences
from countyworks.reports.builders.sources import (
    computed_source,
    count_figure,
    observation_figure,
    observation_source,
    observation_subject,
    source_of,
)
from countyworks.reports.builders.words import DONE_STATUSES, kind_words, level_words, stage_words
from countyworks.reports.document import (
    Chart,
    Figure,
    Paragraph,
    Report,
    Run,
    Section,
    enumeration,
)

# The order the review names stages and levels in (furthest along, highest first); the words are the
# choices' labels (builders/words.py).
STAGE_ORDER = [
    ProjectStage.IN_OPERATION,
    ProjectStage.COMPLETED,
    ProjectStage.UNDER_CONSTRUCTION,
    ProjectStage.STARTED,
    ProjectStage.SIGNED,
    ProjectStage.PLANNING,
]
LEVEL_ORDER = [HonourLevel.NATIONAL, HonourLevel.PROVINCIAL, HonourLevel.CITY, HonourLevel.COUNTY]

# One completion chart and two indicator trends: enough to read, cheap to draw in Word and PDF.
MAX_CHARTS = 3


class ReportNotFound(LookupError):
    """There is nothing to report on (no such region, or no plan for that year)."""


@dataclass
class _AreaData:
    items: list[WorkItem] = field(default_factory=list)
    indicators: dict[int, list[Observation]] = field(default_factory=dict)
    honours: list[Honour] = field(default_factory=list)
    stated: dict[str, list[Observation]] = field(default_factory=dict)


def find_plan(region: Region, year: int) -> Plan | None:
    """The region's plan for a year (published first, then by title)."""
    return Plan.objects.filter(region=region, year=year).order_by("-published", "title").first()


def _node_titles(nodes: dict[int, PlanNode], node_id: int | None) -> list[str]:
    titles = []
    while node_id is not None and node_id in nodes:
        titles.append(nodes[node_id].title)
        node_id = nodes[node_id].parent_id
    return list(reversed(titles))


def _readable(queryset: QuerySet, visible: QuerySet | None) -> QuerySet:
    """`queryset` narrowed to what the reader may see (`visible` is a policy queryset; None: no reader)."""
    return queryset if visible is None else queryset.filter(pk__in=visible.values("pk"))


def _review_items(plan: Plan, user: Any = None) -> list[WorkItem]:
    # Internal items never go into a document the portal may link to.
    visible = None if user is None else policy.visible_items(user)
    return list(
        _readable(WorkItem.objects.filter(plan=plan, internal=False), visible)
        .select_related("citation__document", "lead_unit")
        .order_by("node_id", "id")
    )


def _observations(region: Region, year: int, user: Any = None) -> QuerySet[Observation]:
    # The county's own figures and those of its organisations (a firm's taxes, a scenic area's income).
    # Doubtful figures stay in: the review says what the sources say, and the figure list names the doubt.
    visible = None if user is None else policy.visible_observations(user)
    return (
        _readable(
            Observation.objects.filter(Q(region=region) | Q(organisation__region=region), internal=False),
            visible,
        )
        .select_related("indicator", "organisation", "citation__document")
        .order_by("indicator_id", "year", "id")
    )


def build_review(region: Region, year: int, user: Any = None) -> Report:
    """The year-end review of `region` for `year`, from the plan of that year and the records around it.

    Built for `user`: it holds only the items, figures, targets and honours the policy lets that user
    read (a unit reporter's review speaks of its own unit's items). Without a user (the command line,
    run by the operator) it holds every record that is not internal."""
    plan = find_plan(region, year)
    if plan is None:
        raise ReportNotFound(f"no plan of {region.code} for {year}")
    nodes = {n.pk: n for n in PlanNode.objects.filter(plan=plan)}
    items = _review_items(plan, user)
    observations = list(_observations(region, year, user).filter(year__lte=year))
    honours = list(
        _readable(
            Honour.objects.filter(
                Q(holder_region=region) | Q(holder_organisation__region=region), year=year, internal=False
            ),
            None if user is None else policy.visible_honours(user),
        ).select_related("citation__document", "holder_organisation")
    )
    by_area: dict[str, _AreaData] = {key: _AreaData() for key in areas.AREA_KEYS}
    # The county's stated totals (整改事项35项) are the headline; the ledger's items of that kind are
    # the tracked subset, told in the same sentence in the stated figure's area, never beside it.
    stated: dict[str, list[Observation]] = defaultdict(list)
    stated_area: dict[str, str] = {}
    for obs in observations:
        kind = wording.stated_total_kind(obs.indicator.name)
        if kind and obs.year == year and obs.value_kind == ValueKind.LEVEL and obs.quarter is None:
            if obs.month is None:
                stated[kind].append(obs)
                stated_area.setdefault(
                    kind, areas.area_from_text(obs.indicator.area, obs.indicator.name) or areas.DEFAULT_AREA
                )
    stated_ids = {o.pk for group in stated.values() for o in group}
    for item in items:
        key = stated_area.get(item.kind) or areas.item_area(
            item.kind, _node_titles(nodes, item.node_id), item.title
        )
        by_area[key].items.append(item)
    for kind, key in stated_area.items():
        by_area[key].stated[kind] = stated[kind]
    for obs in observations:
        if obs.pk in stated_ids:
            continue
        key = areas.area_from_text(obs.indicator.area, obs.indicator.name) or areas.DEFAULT_AREA
        subject = (obs.indicator_id, obs.region_id, obs.organisation_id)
        by_area[key].indicators.setdefault(subject, []).append(obs)
    for honour in honours:
        key = areas.area_from_text(honour.title) or areas.DEFAULT_AREA
        by_area[key].honours.append(honour)

    name = region.name
    report = Report(
        title=sentences.REVIEW_TITLE.format(region=name, year=year),
        subtitle=sentences.REVIEW_SUBTITLE.format(region=name, year=year),
        kind="review",
        filename=f"review-{region.code}-{year}",
    )
    if items:
        done = sum(1 for i in items if i.status in DONE_STATUSES)
        lead = Paragraph().fill(
            sentences.REVIEW_LEAD,
            year=year,
            region=name,
            count=count_figure(len(items), "项", "台账工作事项计数", plan),
            done=count_figure(done, "项", "已完成事项计数", plan),
        )
        report.lead.append(lead)

    targets = {
        t.indicator_id: t
        for t in _readable(
            Target.objects.filter(region=region, year=year),
            None if user is None else policy.visible_targets(user),
        ).select_related("citation__document")
    }
    for key in areas.AREA_KEYS_IN_REVIEW_ORDER:
        section = Section(title=areas.AREA_TITLES[key], key=key)
        data = by_area[key]
        _items_paragraphs(section, data.items, plan, data.stated)
        _indicator_paragraphs(section, data.indicators, year, targets)
        _honour_paragraphs(section, data.honours)
        if not section.is_empty():
            report.sections.append(section)

    next_plan = find_plan(region, year + 1)
    if next_plan is not None:
        section = _next_year_section(next_plan, user)
        if not section.is_empty():
            report.sections.append(section)
    for index, section in enumerate(report.sections):
        section.number = wording.section_number(index)
    checks = _checks_section(region, year, user)
    if checks is not None:
        # Unnumbered and last: the office reads it before the review goes out; it is no part of
        # what the review states.
        report.sections.append(checks)
    report.charts = _review_charts(report, by_area, observations, year)
    return report


def _checks_section(region: Region, year: int, user: Any = None) -> Section | None:
    """The consistency check's findings on the figures the reader may see, as notes for the office."""
    visible = None if user is None else set(policy.visible_observations(user).values_list("pk", flat=True))
    with translation.override("zh-hans"):
        messages = [
            str(issue.message)
            for issue in consistency_issues(region, year)
            if visible is None or all(o.pk in visible for o in issue.observations)
        ]
    messages = list(dict.fromkeys(messages))
    if not messages:
        return None
    section = Section(title=sentences.CHECKS_TITLE, key="checks")
    section.paragraphs.append(Paragraph().add(sentences.CHECKS_LEAD))
    for number, message in enumerate(messages, start=1):
        section.paragraphs.append(Paragraph().add(f"{number}．{message}。"))
    return section


def _money_figure(total: Decimal, how: str, label: str, records: list[WorkItem]) -> Figure:
    return Figure(
        total, "元", "exact", wording.format_quantity(total, "元"), computed_source(how, *records), label
    )


def _named(records: list[Any], last: str = "、") -> list[Run]:
    return enumeration([Run(record.title, source=source_of(record)) for record in records], last)


def _stated_runs(observations: list[Observation]) -> list[Run]:
    """The county's stated totals of a kind, each with its figure: 整改事项35项."""
    parts = []
    for obs in observations:
        figure = observation_figure(obs)
        name = wording.drop_unit_echo(observation_subject(obs), obs.unit)
        parts.append(Paragraph().fill(sentences.STATED_TOTAL, name=name, value=figure).runs)
    return [run for part in enumeration_of_parts(parts) for run in part]


def _tracked_paragraph(
    kind: str, stated: list[Observation], items: list[WorkItem], done: list[WorkItem], plan: Plan
) -> Paragraph:
    """全年整改事项35项（台账跟踪1项，已销号0项）: the stated total first, the ledger's subset named."""
    unit, done_word = sentences.TRACKED_WORDS[kind]
    label = words_kind(kind)
    return Paragraph().fill(
        sentences.STATED_WITH_TRACKED,
        stated=_stated_runs(stated),
        tracked=count_figure(len(items), unit, f"台账跟踪的{label}计数", plan),
        done_word=done_word,
        done=count_figure(len(done), unit, f"台账中{done_word}的{label}计数", plan),
    )


def words_kind(kind: str) -> str:
    return kind_words().get(kind, kind)


def _items_paragraphs(
    section: Section, items: list[WorkItem], plan: Plan, stated: dict[str, list[Observation]] | None = None
) -> None:
    stated = stated or {}
    by_kind: dict[str, list[WorkItem]] = defaultdict(list)
    for item in items:
        by_kind[item.kind].append(item)
    for kind, observations in stated.items():
        if not by_kind.get(kind):
            # No tracked item of the kind: the stated total is said alone.
            section.paragraphs.append(
                Paragraph().fill(sentences.STATED_ALONE, stated=_stated_runs(observations))
            )

    projects = by_kind.get(ItemKind.KEY_PROJECT, [])
    if projects:
        if ItemKind.KEY_PROJECT in stated:
            finished = [i for i in projects if i.status in DONE_STATUSES]
            p = _tracked_paragraph(
                ItemKind.KEY_PROJECT, stated[ItemKind.KEY_PROJECT], projects, finished, plan
            )
        else:
            p = Paragraph().fill(
                sentences.PROJECTS, count=count_figure(len(projects), "个", "重点项目计数", plan)
            )
        invested = [i for i in projects if i.total_investment is not None]
        if invested:
            total = sum((i.total_investment for i in invested), Decimal(0))
            p.fill(
                sentences.PROJECTS_TOTAL,
                total=_money_figure(total, "重点项目总投资合计", "重点项目总投资", invested),
            )
        completed = [i for i in projects if i.annual_completed_investment is not None]
        if completed:
            done_sum = sum((i.annual_completed_investment for i in completed), Decimal(0))
            p.fill(
                sentences.PROJECTS_ANNUAL,
                annual=_money_figure(done_sum, "重点项目年度完成投资合计", "年度完成投资", completed),
            )
        stages = Counter(i.stage for i in projects if i.stage)
        parts = [
            Paragraph()
            .fill(
                sentences.PROJECT_STAGE,
                stage=word,
                count=count_figure(stages[stage], "个", f"阶段为{word}的重点项目计数", plan),
            )
            .runs
            for stage, word in ((stage, stage_words()[stage]) for stage in STAGE_ORDER)
            if stages.get(stage)
        ]
        if parts:
            stage_runs = [run for part in enumeration_of_parts(parts) for run in part]
            p.fill(sentences.PROJECTS_STAGES, stages=stage_runs)
        biggest = sorted(invested, key=lambda i: i.total_investment, reverse=True)[:5] or projects[:5]
        p.fill(sentences.PROJECTS_NAMED, names=_named(biggest, "和"))
        section.paragraphs.append(p)

    livelihood = by_kind.get(ItemKind.LIVELIHOOD, [])
    if livelihood:
        kept = [i for i in livelihood if i.status in DONE_STATUSES]
        if ItemKind.LIVELIHOOD in stated:
            p = _tracked_paragraph(ItemKind.LIVELIHOOD, stated[ItemKind.LIVELIHOOD], livelihood, kept, plan)
        else:
            p = Paragraph().fill(
                sentences.LIVELIHOOD,
                count=count_figure(len(livelihood), "件", "民生实事计数", plan),
                kept=count_figure(len(kept), "件", "已办结民生实事计数", plan),
            )
        beneficiaries = [i for i in kept if i.beneficiary_count]
        if beneficiaries:
            people = sum(i.beneficiary_count for i in beneficiaries)
            p.fill(
                sentences.LIVELIHOOD_PEOPLE,
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
            p.fill(sentences.LIVELIHOOD_NAMED, names=_named(kept[:6]))
        section.paragraphs.append(p.fill(sentences.END))

    rectification = by_kind.get(ItemKind.RECTIFICATION, [])
    if rectification:
        closed = [i for i in rectification if i.closed_on or i.status in DONE_STATUSES]
        if ItemKind.RECTIFICATION in stated:
            p = _tracked_paragraph(
                ItemKind.RECTIFICATION, stated[ItemKind.RECTIFICATION], rectification, closed, plan
            ).fill(sentences.END)
        else:
            p = Paragraph().fill(
                sentences.RECTIFICATION,
                count=count_figure(len(rectification), "项", "整改事项计数", plan),
                closed=count_figure(len(closed), "项", "已销号整改事项计数", plan),
            )
        section.paragraphs.append(p)

    research = by_kind.get(ItemKind.RESEARCH, [])
    if research:
        lectures = [i for i in research if i.party_lecture_delivered]
        if ItemKind.RESEARCH in stated:
            finished = [i for i in research if i.status in DONE_STATUSES]
            p = _tracked_paragraph(ItemKind.RESEARCH, stated[ItemKind.RESEARCH], research, finished, plan)
        else:
            p = Paragraph().fill(
                sentences.RESEARCH, count=count_figure(len(research), "个", "调研课题计数", plan)
            )
        if lectures:
            p.fill(
                sentences.RESEARCH_LECTURES, lectures=count_figure(len(lectures), "次", "已讲党课计数", plan)
            )
        section.paragraphs.append(p.fill(sentences.END))

    others = by_kind.get(ItemKind.CAMPAIGN, []) + by_kind.get(ItemKind.ROUTINE, [])
    if others:
        done = [i for i in others if i.status in DONE_STATUSES]
        p = Paragraph().fill(
            sentences.OTHER_WORK, count=count_figure(len(others), "项", "专项行动和常规工作计数", plan)
        )
        if done:
            p.fill(
                sentences.OTHER_WORK_DONE,
                done=count_figure(len(done), "项", "已完成专项行动和常规工作计数", plan),
            )
        else:
            p.fill(sentences.OTHER_WORK_UNDER_WAY)
        section.paragraphs.append(p.fill(sentences.END))


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
            template = sentences.INDICATOR_BY_KIND[wording.figure_kind(obs.unit, obs.qualifier)]
            name = wording.drop_unit_echo(observation_subject(obs), obs.unit)
            p = Paragraph().fill(template, name=name, value=observation_figure(obs))
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
            base = m.base_label or (f"{m.base_year}年" if m.base_year else sentences.BASE_PERIOD_UNKNOWN)
            multiple = Figure(
                m.value,
                "倍",
                m.qualifier,
                wording.format_multiple(m.value),
                observation_source(m),
                f"{indicator.name}倍数",
            )
            p.fill(sentences.STATED_MULTIPLE, base=base, multiple=multiple)
        for g in stated_growth:
            base = g.base_label or (f"{g.base_year}年" if g.base_year else sentences.PREVIOUS_YEAR)
            growth = Figure(
                g.value,
                "%",
                g.qualifier,
                wording.format_percent(g.value),
                observation_source(g),
                f"{indicator.name}增幅",
            )
            template = sentences.STATED_GROWTH if current else sentences.STATED_GROWTH_ALONE
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
                    sentences.COMPUTED_GROWTH,
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
            p.fill(sentences.TARGET_COMPLETION, completion=completion)
        section.paragraphs.append(p.fill(sentences.END))


def _honour_paragraphs(section: Section, honours: list[Honour]) -> None:
    groups = []
    for level, word in ((level, level_words()[level]) for level in LEVEL_ORDER):
        group = [h for h in honours if h.level == level]
        if not group:
            continue
        count = Figure(
            Decimal(len(group)),
            "项",
            "exact",
            wording.format_count(len(group), "项"),
            computed_source(f"{word}荣誉计数", *list({h.title: h for h in group}.values())),
            f"{word}荣誉数",
        )
        # One entry per honour: a title several holders won is named once, with its holders.
        by_title: dict[str, list[Honour]] = {}
        for h in group:
            by_title.setdefault(h.title, []).append(h)
        names = []
        for title, held in by_title.items():
            holders = [h.holder_organisation.name for h in held if h.holder_organisation_id]
            holders = list(dict.fromkeys(holders))
            text = (
                sentences.HONOUR_HELD_BY.format(title=title, holder="、".join(holders)) if holders else title
            )
            names.append(Run(text, source=source_of(held[0])))
        groups.append(
            Paragraph().fill(sentences.HONOUR_GROUP, level=word, count=count, names=enumeration(names)).runs
        )
    if groups:
        joined = []
        for index, runs in enumerate(groups):
            if index:
                joined.append(Run("；"))
            joined.extend(runs)
        section.paragraphs.append(Paragraph().fill(sentences.HONOURS, groups=joined))


def _next_year_section(plan: Plan, user: Any = None) -> Section:
    section = Section(title=sentences.NEXT_YEAR_TITLE.format(year=plan.year), key="next_year")
    nodes = list(PlanNode.objects.filter(plan=plan).order_by("order", "id"))
    visible = None if user is None else policy.visible_items(user)
    counts = Counter(
        _readable(WorkItem.objects.filter(plan=plan, internal=False), visible).values_list(
            "node_id", flat=True
        )
    )
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
            Paragraph().fill(sentences.NEXT_YEAR_GOAL, goal=Run(goal.title, source=source_of(goal)))
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
            p.fill(sentences.NEXT_YEAR_BRANCHES, names=_named(kids))
        total = items_under(root)
        if total:
            # After the branches the count is a second clause; alone it opens the sentence.
            template = sentences.NEXT_YEAR_ITEMS_AFTER_BRANCHES if kids else sentences.NEXT_YEAR_ITEMS
            p.fill(template, count=count_figure(total, "项", f"{root.title}下工作事项计数", plan))
        if p.runs:
            sub.paragraphs.append(p.fill(sentences.END))
            section.subsections.append(sub)
    if not section.subsections:
        total = sum(counts.values())
        if total:
            section.paragraphs.append(
                Paragraph().fill(
                    sentences.NEXT_YEAR_ITEMS_ONLY,
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
        divisor = wording.scale_factor(scale_word)
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
