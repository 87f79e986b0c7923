"""The supervision bulletin (督查通报) of a region and everything under it for a period."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone, translation

from countyworks import wording
from countyworks.accounts import policy
from countyworks.plans.models import (
    Light,
    PlanNode,
    WorkItem,
)
from countyworks.regions.models import Organisation, Region
from countyworks.reports import sentences
from countyworks.reports.builders.sources import (
    count_figure,
)
from countyworks.reports.builders.words import DONE_STATUSES, light_words, status_words
from countyworks.reports.document import (
    Paragraph,
    Report,
    Section,
    Table,
)
from countyworks.supervision import status
from countyworks.supervision.models import Blocker, BlockerState, Notice, NoticeState
from countyworks.supervision.rankings import unit_rankings


def _items_in_region(region: Region, start: date, end: date, user: Any = None) -> QuerySet[WorkItem]:
    """The items of the region's plans of the period's years, of those `user` may read (all without one)."""
    prefix = policy.region_prefix(region)
    items = WorkItem.objects.filter(
        plan__region__code__startswith=prefix, plan__year__gte=start.year, plan__year__lte=end.year
    )
    if user is not None:
        items = items.filter(pk__in=policy.visible_items(user).values("pk"))
    return items


def lights_day(end: date) -> date:
    """The day a bulletin's lights are for: its last day, or today while the period is still running."""
    return min(end, timezone.localdate())


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


def unit_rows(items: QuerySet[WorkItem], region: Region) -> list[UnitRow]:
    """Per-unit counts of items carrying their light (status.annotate), ranked by completion rate,
    then mean progress, then fewest overdue."""
    rows: dict[str, UnitRow] = {}
    fields = (
        "lead_unit__name",
        "plan__region__name",
        "status",
        "is_overdue",
        "light",
        "progress",
        "title",
    )
    for unit, county, state, overdue, light, progress, title in items.values_list(*fields):
        label = f"{county}{unit}" if region.level != "county" and unit else (unit or "未明确责任单位")
        row = rows.setdefault(label, UnitRow(label))
        row.total += 1
        row.completed += state in DONE_STATUSES
        row.overdue += overdue
        if overdue:
            row.overdue_titles.append(title)
        row.red += light == Light.RED
        row.progress_sum += progress or 0
    return sorted(rows.values(), key=lambda r: (-r.rate, -r.mean_progress, r.overdue, r.unit))


def _ranking_table(region: Region, start: date, end: date, items: QuerySet[WorkItem]) -> Table | None:
    """The unit ranking by the supervision app's rules (the dashboard shows the same ranking)."""
    day = lights_day(end)
    # Past periods: the items as they stood then, as the rest of the bulletin reads them.
    rankings = unit_rankings(
        region, start, end, lights_on=day, among=items, from_history=day < timezone.localdate()
    )
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
        ["名次", "责任单位", "事项数", "已完成", "红灯", "逾期", "按时报送率", "完成率", "平均进度", "得分"],
        [
            [
                str(n),
                county_of.get(r.unit_id, "") + r.unit_name,
                str(r.items),
                str(r.completed),
                str(r.red),
                str(r.overdue),
                _pct(Decimal(str(r.on_time_rate)) * 100),
                _pct(Decimal(str(r.completion_rate)) * 100),
                _pct(Decimal(str(r.average_progress))),
                wording.format_multiple(Decimal(str(r.score))).rstrip("倍"),
            ]
            for n, r in enumerate(rankings, start=1)
        ],
    )


RED_BLACK_SIZE = 3


def _red_black_sections(region: Region, end: date, user: Any) -> list[Section]:
    """The 红黑榜 of each plan of the region with an assessment scheme (考核细则), for the bulletin's
    last month, scored by the version in force that month (issue 19). The points speak of every unit
    of the plan, so a reader who does not read the whole plan gets none."""
    from countyworks.supervision import assessment, scoring
    from countyworks.supervision.models import AssessmentScheme

    schemes = (
        AssessmentScheme.objects.filter(
            plan__region__code__startswith=policy.region_prefix(region), plan__year=end.year
        )
        .select_related("plan__region")
        .order_by("plan_id", "valid_from")
    )
    plans = list({scheme.plan_id: scheme.plan for scheme in schemes}.values())
    sections = []
    for plan in plans:
        if user is not None and not policy.reads_whole_plan(user, plan):
            continue
        scores = assessment.month_ranking(plan, end.year, end.month)
        if not scores:
            continue
        red, black = scoring.red_black(scores, RED_BLACK_SIZE)
        rows = []
        for board, chosen in (("红榜", red), ("黑榜", black)):
            for score in chosen:
                rank = scores.index(score) + 1
                # The bulletin is written in Chinese whoever asks for it (as its other sections).
                with translation.override("zh-hans"):
                    explained = "；".join(assessment.explain(line) for line in score.lines)
                rows.append([board, str(rank), score.unit_name, wording.plain_number(score.total), explained])
        section = Section(
            title=f"红黑榜（{plan.title}，{end.year}年{end.month}月）", key=f"red-black-{plan.pk}"
        )
        section.tables.append(Table(["榜单", "名次", "单位", "得分", "得分说明"], rows))
        sections.append(section)
    return sections


def _titles(titles: list[str], shown: int = 5) -> str:
    return "、".join(titles[:shown]) + ("等" if len(titles) > shown else "")


def _pct(value: Decimal) -> str:
    return wording.format_percent(value)


def build_bulletin(region: Region, start: date, end: date, user: Any = None) -> Report:
    """The supervision bulletin (督查通报) of `region` and everything under it for a period, holding
    only the items `user` may read; lights and overdue flags are those of `lights_day(end)`."""
    day = lights_day(end)
    readable = _items_in_region(region, start, end, user)
    if day < timezone.localdate():
        # A bulletin of a past period speaks of the ledger as it stood at its end (截至9月30日),
        # rebuilt from the items' history; `id` is the item's id in those rows.
        items = status.annotate(status.history_as_of(day, readable.values("pk")), day)
    else:
        items = status.annotate(readable, day)
    report = Report(
        title=sentences.BULLETIN_TITLE.format(region=region.name),
        subtitle=sentences.BULLETIN_PERIOD.format(
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
    for state, word in status_words().items():
        if status_counts.get(state):
            by_status.extend(
                Paragraph()
                .fill(
                    sentences.BULLETIN_STATUS,
                    status=word,
                    count=count_figure(status_counts[state], "项", f"{word}事项计数"),
                )
                .runs
            )
    p = Paragraph().fill(
        sentences.BULLETIN_OVERALL, count=count_figure(total, "项", "督查事项计数"), by_status=by_status
    )
    overall.paragraphs.append(p)
    overall.tables.append(
        Table(
            ["状态", "事项数"],
            [[word, str(status_counts.get(s, 0))] for s, word in status_words().items()],
            "事项状态分布",
        )
    )
    overall.tables.append(
        Table(
            ["红黄绿灯", "事项数"],
            [[w, str(light_counts.get(k, 0))] for k, w in light_words().items()],
            "红黄绿灯分布",
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
    for node_id, state in items.values_list("node_id", "status"):
        row = per_direction[root_title(node_id)]
        row[0] += 1
        row[1] += state in DONE_STATUSES
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

    ranking = unit_rows(items, region)
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
    ranks = _ranking_table(region, start, end, readable.filter(pk__in=items.values("id")))
    if ranks is not None:
        section = Section(title="单位排名", key="ranking")
        section.tables.append(ranks)
        report.sections.append(section)

    report.sections.extend(_red_black_sections(region, end, user))

    readable_notices = Notice.objects.all() if user is None else policy.visible_notices(user)
    notices = readable_notices.filter(
        item__in=items.values("id"), issued_at__date__gte=start, issued_at__date__lte=end
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
            sentences.BULLETIN_NOTICES,
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
    blockers_section = _open_blockers_section(readable, end, user)
    if blockers_section is not None:
        report.sections.append(blockers_section)
    for index, section in enumerate(report.sections):
        section.number = wording.section_number(index)
    return report


def _open_blockers_section(items: QuerySet[WorkItem], end: date, user: Any) -> Section | None:
    """问题协调: the blockers raised by `end` and not answered by then, oldest first, for the
    leaders and the office to see what waits on them."""
    readable = Blocker.objects.all() if user is None else policy.visible_blockers(user)
    cutoff = status.end_of_day(end)
    waiting = [
        blocker
        for blocker in readable.filter(item__in=items.values("id"), raised_at__lt=cutoff)
        .select_related("item", "unit")
        .order_by("raised_at", "id")
        if blocker.state == BlockerState.OPEN or (blocker.answered_at and blocker.answered_at >= cutoff)
    ]
    if not waiting:
        return None
    section = Section(title="待协调问题", key="blockers")
    section.tables.append(
        Table(
            ["事项", "提出单位", "提请", "问题", "提出日期"],
            [
                [
                    b.item.title,
                    b.unit.name,
                    "牵头县领导" if b.addressed_to == "leader" else "督查室",
                    b.text,
                    f"{timezone.localtime(b.raised_at):%-m月%-d日}",
                ]
                for b in waiting
            ],
        )
    )
    return section
