"""Synthetic province-scale data for load tests and benchmarks (`countyworks synth`).

Real divisions (GB/T 2260) of one province; everything else is invented, marked
`illustrative=True` wherever the model has the flag, and written with bulk_create so a
province of 120 counties × 300 items × 24 reports loads in minutes. The same seed gives the
same data. Accounts get one password (`--password`) so a benchmark can log in as anyone:
`sup_<county code>` (supervisor), `leader_<code>`, `viewer_<code>` and `rep_<code>_<n>` (the
reporter of department n).
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction

from countyworks.accounts.models import Role, User
from countyworks.core.services import ServiceError
from countyworks.indicators.models import Indicator, Observation, Qualifier
from countyworks.plans.models import (
    ItemKind,
    ItemStatus,
    NodeKind,
    Plan,
    PlanNode,
    ProjectStage,
    WorkItem,
)
from countyworks.regions.models import Organisation, OrganisationKind, Person, Region, RegionLevel
from countyworks.regions.services import load_divisions
from countyworks.supervision import rules
from countyworks.supervision.models import Instruction, Notice, NoticeState, ProgressReport, ReviewState

PLAN_TITLE = "{year}年重点工作台账（合成数据）"
DEPARTMENTS = [
    "县发展和改革局",
    "县工业和信息化局",
    "县住房和城乡建设管理局",
    "县交通运输局",
    "县农业农村局",
    "县水利局",
    "县文化和旅游局",
    "县教育局",
    "县卫生健康和体育局",
    "县自然资源局",
]
TOWNS = ["城关镇", "东关镇", "西山乡", "北岭镇"]
LEADER_TITLES = ["县长", "常务副县长", "副县长", "副县长"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "建国志强海燕丽娟文华晓东国庆玉兰新民春生永红卫东秀英"
AREAS = ["产业转型", "城乡建设", "乡村振兴", "生态环境", "民生保障", "社会治理"]
DIRECTIONS = ["项目建设", "园区提质", "文旅融合", "交通路网", "水利保障", "教育医疗", "平安建设", "营商环境"]
PROJECT_NOUNS = ["产业园", "物流园", "污水处理厂", "供热管网", "引水工程", "光伏电站", "旅游公路", "农贸市场"]
LIVELIHOOD_NOUNS = ["老旧小区改造", "口袋公园", "社区食堂", "学校扩建", "乡镇卫生院提升", "农村供水改造"]
RECTIFICATION_NOUNS = ["审批时限过长", "工程款拖欠", "农村人居环境短板", "安全生产隐患", "信访积案"]
RESEARCH_NOUNS = ["县域经济高质量发展", "文旅产业融合", "农村集体经济", "营商环境优化"]
CAMPAIGN_NOUNS = ["安全生产大排查", "城乡环境整治", "项目建设攻坚", "作风建设提升"]
ROUTINE_NOUNS = ["项目谋划储备", "统计数据质量提升", "招商引资推进", "政务服务标准化"]
KIND_WEIGHTS = [
    (ItemKind.KEY_PROJECT, 35),
    (ItemKind.LIVELIHOOD, 15),
    (ItemKind.RECTIFICATION, 15),
    (ItemKind.RESEARCH, 8),
    (ItemKind.CAMPAIGN, 7),
    (ItemKind.ROUTINE, 20),
]
INDICATORS = [
    ("synth-gdp", "地区生产总值", "亿元", 80, 260),
    ("synth-fixed-investment", "固定资产投资", "亿元", 30, 120),
    ("synth-revenue", "一般公共预算收入", "亿元", 3, 20),
    ("synth-rural-income", "农村居民人均可支配收入", "元", 11000, 19000),
    ("synth-tourists", "接待游客", "万人次", 80, 900),
]
BATCH = 2000


@dataclass
class SynthSummary:
    province: str
    counties: int
    rows: dict[str, int] = field(default_factory=dict)

    def as_text(self) -> str:
        rows = ", ".join(f"{name} {n}" for name, n in self.rows.items())
        return f"{self.province}: {self.counties} counties; {rows}"


def _pick_province(wanted: int, province: str | None) -> Region:
    if province:
        load_divisions(province[:2])
    else:
        load_divisions("14")
        if Region.objects.filter(level=RegionLevel.COUNTY, code__startswith="14").count() < wanted:
            load_divisions()
    by_province: dict[str, int] = {}
    for code in Region.objects.filter(level=RegionLevel.COUNTY).values_list("code", flat=True):
        by_province[code[:2]] = by_province.get(code[:2], 0) + 1
    prefix = (province or "14")[:2]
    if by_province.get(prefix, 0) < wanted and not province:
        prefix = max(by_province, key=lambda p: (by_province[p], p))
    if by_province.get(prefix, 0) < wanted:
        raise ServiceError(
            f"counties: province {prefix}0000 has {by_province.get(prefix, 0)} counties, {wanted} asked",
            field="counties",
        )
    return Region.objects.get(code=f"{prefix}0000")


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))


def _bulk(model: type[models.Model], rows: Iterable[models.Model], summary: SynthSummary) -> list:
    created = model.objects.bulk_create(list(rows), batch_size=BATCH)
    summary.rows[model._meta.model_name] = summary.rows.get(model._meta.model_name, 0) + len(created)
    return created


def _item_title(rng: random.Random, kind: str, place: str, n: int) -> str:
    nouns = {
        ItemKind.KEY_PROJECT: PROJECT_NOUNS,
        ItemKind.LIVELIHOOD: LIVELIHOOD_NOUNS,
        ItemKind.RECTIFICATION: RECTIFICATION_NOUNS,
        ItemKind.RESEARCH: RESEARCH_NOUNS,
        ItemKind.CAMPAIGN: CAMPAIGN_NOUNS,
        ItemKind.ROUTINE: ROUTINE_NOUNS,
    }[kind]
    return f"{place}{rng.choice(nouns)}（{n}）"


def build_province(
    counties: int,
    items: int,
    reports: int,
    *,
    seed: int = 1,
    year: int | None = None,
    today: date | None = None,
    province: str | None = None,
    password: str = "synth-password",
) -> SynthSummary:
    """Build the dataset in one transaction and return how many rows of each table it wrote."""
    rng = random.Random(seed)
    today = today or date.today()
    year = year or today.year
    # Lights are computed as the supervision engine would on `today` (at most the year's end).
    as_of = min(today, date(year, 12, 31))
    thresholds = rules.Thresholds()
    with transaction.atomic():
        root = _pick_province(counties, province)
        prefix = root.code[:2]
        chosen = list(
            Region.objects.filter(level=RegionLevel.COUNTY, code__startswith=prefix).order_by("code")[
                :counties
            ]
        )
        title = PLAN_TITLE.format(year=year)
        if Plan.objects.filter(region__in=chosen, year=year, title=title).exists():
            raise ServiceError(f"{title}: synthetic data for {year} exists already; use a fresh database")
        summary = SynthSummary(province=root.name, counties=len(chosen))
        hashed = make_password(password)
        indicators = []
        for code, name, unit, _low, _high in INDICATORS:
            indicator, _ = Indicator.objects.get_or_create(
                code=code, defaults={"name": name, "unit": unit, "area": "合成数据"}
            )
            indicators.append(indicator)

        for county in chosen:
            _build_county(county, items, reports, rng, year, as_of, thresholds, hashed, indicators, summary)
    # A bulk load leaves the planner's statistics empty until autovacuum wakes up; refresh them now,
    # as an operator would after a large import, so the first queries do not pick full scans. On
    # PostgreSQL VACUUM also marks the new pages all-visible (index-only scans work at once) and
    # spares the first users an autovacuum of 860,000 fresh rows; it cannot run inside a transaction.
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    return summary


def _build_county(
    county: Region,
    n_items: int,
    n_reports: int,
    rng: random.Random,
    year: int,
    as_of: date,
    thresholds: rules.Thresholds,
    hashed: str,
    indicators: list[Indicator],
    summary: SynthSummary,
) -> None:
    code = county.code
    units = _bulk(
        Organisation,
        [Organisation(name=n, region=county, kind=OrganisationKind.DEPARTMENT) for n in DEPARTMENTS]
        + [Organisation(name=n, region=county, kind=OrganisationKind.TOWN) for n in TOWNS],
        summary,
    )
    departments = units[: len(DEPARTMENTS)]
    leaders = _bulk(
        Person,
        [Person(name=_name(rng), title=t, region=county, is_county_leader=True) for t in LEADER_TITLES],
        summary,
    )
    accounts = [
        User(username=f"sup_{code}", password=hashed, role=Role.SUPERVISOR, region=county),
        User(username=f"leader_{code}", password=hashed, role=Role.LEADER, region=county, person=leaders[0]),
        User(username=f"viewer_{code}", password=hashed, role=Role.VIEWER, region=county),
    ] + [
        User(
            username=f"rep_{code}_{i}", password=hashed, role=Role.REPORTER, region=county, organisation=unit
        )
        for i, unit in enumerate(departments)
    ]
    users = _bulk(User, accounts, summary)
    supervisor, leader_user = users[0], users[1]
    reporter_of = {u.organisation_id: u for u in users[3:]}

    plan = Plan.objects.create(region=county, year=year, title=PLAN_TITLE.format(year=year), published=True)
    summary.rows["plan"] = summary.rows.get("plan", 0) + 1
    goal = PlanNode.objects.create(plan=plan, kind=NodeKind.GOAL, title="建设高质量发展示范县", order=0)
    areas = _bulk(
        PlanNode,
        [
            PlanNode(plan=plan, parent=goal, kind=NodeKind.AREA, number=f"{i + 1}.", title=t, order=i + 1)
            for i, t in enumerate(AREAS)
        ],
        summary,
    )
    directions = _bulk(
        PlanNode,
        [
            PlanNode(
                plan=plan,
                parent=areas[i % len(areas)],
                kind=NodeKind.DIRECTION,
                number=f"（{i + 1}）",
                title=t,
                order=10 + i,
            )
            for i, t in enumerate(DIRECTIONS)
        ],
        summary,
    )
    summary.rows["plannode"] += 1

    kinds, weights = zip(*KIND_WEIGHTS, strict=True)
    places = [county.name, *TOWNS]
    work_items = []
    red: list[bool] = []  # per item, red on `as_of` (the rule the screens derive it by)
    for n in range(n_items):
        kind = rng.choices(kinds, weights)[0]
        start = date(year, 1, 1) + timedelta(days=rng.randint(0, 120))
        due = min(date(year, 12, 31), start + timedelta(days=rng.randint(60, 330)))
        expected = rules.expected_progress(start, due, as_of)
        if expected >= 100:
            # Past its due date: most items were finished, some drag on.
            progress = 100.0 if rng.random() < 0.85 else rng.uniform(60, 99)
        else:
            progress = max(0.0, min(100.0, expected + rng.gauss(-4, 15)))
        status = ItemStatus.NOT_STARTED if progress == 0 else ItemStatus.IN_PROGRESS
        if progress >= 100:
            status = ItemStatus.COMPLETED
        elif rng.random() < 0.02:
            status = ItemStatus.SUSPENDED
        assessed = rules.assess(rules.ItemFacts(start, due, progress, status, year), as_of, thresholds)
        item = WorkItem(
            plan=plan,
            node=rng.choice(directions),
            kind=kind,
            number=str(n + 1),
            title=_item_title(rng, kind, rng.choice(places), n + 1),
            lead_unit=rng.choice(departments),
            lead_leader=rng.choice(leaders),
            start_date=start,
            due_date=due,
            completed_on=due if status == ItemStatus.COMPLETED else None,
            progress=Decimal(f"{progress:.2f}"),
            weight=Decimal(rng.choice(["1", "1", "2", "3"])),
            status=status,
            published=rng.random() < 0.8,
            illustrative=True,
        )
        if kind == ItemKind.KEY_PROJECT:
            total = Decimal(rng.randint(5, 300) * 1_000_000)
            item.stage = rng.choice(ProjectStage.values)
            item.total_investment = total
            item.annual_planned_investment = (total * Decimal("0.4")).quantize(Decimal("1"))
            item.annual_completed_investment = (
                item.annual_planned_investment * item.progress / 100
            ).quantize(Decimal("0.01"))
        elif kind == ItemKind.LIVELIHOOD:
            item.promised_on = due
            item.beneficiaries = "城乡居民"
            item.beneficiary_count = rng.randint(200, 60000)
        elif kind == ItemKind.RECTIFICATION:
            item.problem = "督查发现的问题"
            item.measures = "明确责任、限期整改"
            item.closed_on = due if status == ItemStatus.COMPLETED else None
        elif kind == ItemKind.RESEARCH:
            item.party_lecture_delivered = status == ItemStatus.COMPLETED
        work_items.append(item)
        red.append(assessed.light == rules.RED)
    work_items = _bulk(WorkItem, work_items, summary)

    through = WorkItem.co_units.through
    _bulk(
        through,
        [
            through(workitem_id=item.pk, organisation_id=unit.pk)
            for item in work_items
            for unit in rng.sample(units, rng.choice([0, 0, 1, 2]))
            if unit.pk != item.lead_unit_id
        ],
        summary,
    )

    report_rows = []
    for item in work_items:
        reporter = reporter_of[item.lead_unit_id]
        for k in range(n_reports):
            month = 1 + k % 12
            submitted = datetime.combine(date(year, month, rng.randint(20, 28)), time(2 + k % 8), UTC)
            latest = k == n_reports - 1
            roll = rng.random()
            state = (
                ReviewState.SUBMITTED
                if latest and roll < 0.5
                else (ReviewState.RETURNED if roll < 0.08 else ReviewState.APPROVED)
            )
            reviewed = state != ReviewState.SUBMITTED
            share = (k + 1) / n_reports
            report_rows.append(
                ProgressReport(
                    item=item,
                    period=f"{year}-{month:02d}",
                    text=f"第{k + 1}次报送：按计划推进，完成阶段任务。",
                    progress=(item.progress * Decimal(f"{share:.4f}")).quantize(Decimal("0.01")),
                    unit_id=item.lead_unit_id,
                    submitted_by=reporter,
                    submitted_at=submitted,
                    state=state,
                    reviewed_by=supervisor if reviewed else None,
                    reviewed_at=submitted + timedelta(days=2) if reviewed else None,
                    review_comment="请补充佐证材料" if state == ReviewState.RETURNED else "",
                    illustrative=True,
                )
            )
        if len(report_rows) >= 20_000:
            _bulk(ProgressReport, report_rows, summary)
            report_rows = []
    _bulk(ProgressReport, report_rows, summary)

    issued = datetime.combine(as_of, time(1), UTC)
    _bulk(
        Notice,
        [
            Notice(
                number=f"督办〔{year}〕{code}-{item.number}号",
                item=item,
                unit_id=item.lead_unit_id,
                content="进度滞后，请于期限内说明原因并提出赶超措施。",
                deadline=as_of + timedelta(days=7),
                state=rng.choice([NoticeState.ISSUED, NoticeState.ACKNOWLEDGED, NoticeState.ANSWERED]),
                issued_by=supervisor,
                issued_at=issued,
                illustrative=True,
            )
            for item, is_red in zip(work_items, red, strict=True)
            if is_red
        ],
        summary,
    )
    _bulk(
        Instruction,
        [
            Instruction(item=item, author=leader_user, text="加快推进，确保按期完成。", illustrative=True)
            for item in work_items[::25]
        ],
        summary,
    )
    _bulk(
        Observation,
        [
            Observation(
                indicator=indicator,
                region=county,
                year=year,
                value=Decimal(rng.uniform(low, high)).quantize(Decimal("0.01")),
                unit=indicator.unit,
                qualifier=Qualifier.EXACT,
                published=True,
                illustrative=True,
            )
            for indicator, (_c, _n, _u, low, high) in zip(indicators, INDICATORS, strict=True)
        ],
        summary,
    )
