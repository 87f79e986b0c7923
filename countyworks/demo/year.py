"""The 2023 demo as a year at work: who leads each item, and how its progress grew month by month.

The seed names the county's achievements, rarely who carried them: for an item whose lead unit
the seed does not give, the demo names the county department that usually leads such work, and
every item gets a lead county leader by **title** (分管副县长 …), never an invented personal
name. All of it is 演示数据: the departments say so in their description and the leaders in
their title. The monthly progress is illustrative too: each item climbs from January to its
final state (done items reach 100 % in the month they were finished), written as history rows
dated in 2023, so `status.history_as_of(day)` replays the year month by month.

Plain data and arithmetic; no Django import (services.py writes it).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ILLUSTRATIVE = "演示数据"
YEAR = 2023  # the year the demo replays
DEPARTMENT_NOTE = f"{ILLUSTRATIVE}：原文未写明牵头单位，演示中由本单位牵头。"

# Departments a county of this kind has; the demo names them as lead units where the seed is silent.
DEPARTMENTS: dict[str, str] = {
    "drc": "壶关县发展和改革局",
    "industry": "壶关县工业和信息化局",
    "housing": "壶关县住房和城乡建设局",
    "water": "壶关县水利局",
    "tourism": "壶关县文化和旅游局",
    "health": "壶关县卫生健康委员会",
    "medical_insurance": "壶关县医疗保障局",
    "education": "壶关县教育科技局",
    "agriculture": "壶关县农业农村局",
    "emergency": "壶关县应急管理局",
    "police": "壶关县公安局",
    "petition": "壶关县信访局",
    "organisation_dept": "中共壶关县委组织部",
    "county_office": "中共壶关县委办公室",
    "energy": "壶关县能源局",
}

# County leaders by title (the demo never invents a name for one).
LEADERS: dict[str, str] = {
    "secretary": "县委书记",
    "deputy_secretary": "县委副书记",
    "organisation": "县委常委、组织部部长",
    "executive": "常务副县长",
    "industry": "分管工业的副县长",
    "urban": "分管城建的副县长",
    "culture": "分管文旅的副县长",
    "social": "分管教育卫健的副县长",
    "agriculture": "分管农业农村的副县长",
    "security": "分管政法的副县长",
}


@dataclass(frozen=True)
class Lead:
    unit: str | None  # a DEPARTMENTS key, None when the seed names the unit (facts.lead_unit)
    leader: str  # a LEADERS key


# 2023 items by their facts key: lead unit (when the seed gives none) and lead leader.
LEADS: dict[str, Lead] = {
    "park_construction_industry": Lead("drc", "executive"),
    "park_new_materials": Lead("industry", "industry"),
    "park_smart_terminals": Lead("industry", "industry"),
    "pv_1000mw": Lead("energy", "industry"),
    "bqx_water_diversion": Lead("water", "agriculture"),
    "central_park": Lead("housing", "urban"),
    "pocket_parks": Lead("housing", "urban"),
    "xicheng_road_widening": Lead("housing", "urban"),
    "district_heating": Lead("housing", "urban"),
    "xicheng_road_south": Lead("housing", "urban"),
    "old_housing_renovation": Lead("housing", "urban"),
    "free_scenic_tickets": Lead(None, "culture"),
    "elderly_accident_insurance": Lead("medical_insurance", "social"),
    "huguan_home": Lead("organisation_dept", "organisation"),
    "heping_partnership": Lead(None, "social"),
    "teacher_title_reform": Lead("education", "social"),
    "leader_research": Lead("organisation_dept", "organisation"),
    "rectification_35": Lead("county_office", "deputy_secretary"),
    "theme_education": Lead("organisation_dept", "secretary"),
    "case_analysis_meeting": Lead("county_office", "deputy_secretary"),
    "agri_121": Lead("agriculture", "agriculture"),
    "five_comparisons": Lead("county_office", "deputy_secretary"),
    "ten_million_project": Lead("agriculture", "agriculture"),
    "eco_tourism_destination": Lead("tourism", "culture"),
    "safety_hazard_campaign": Lead("emergency", "executive"),
    "public_security_series": Lead("police", "security"),
    "petition_backlog": Lead("petition", "security"),
}


def _spread(key: str, low: int, high: int) -> int:
    """A stable number in [low, high] from the key: the same demo every load, items differ."""
    return low + zlib.crc32(key.encode()) % (high - low + 1)


def final_progress(key: str, completed: bool) -> Decimal:
    """Where an item stood at the end of 2023: 100 % done, else 55–90 % (illustrative)."""
    return Decimal(100) if completed else Decimal(_spread(key, 55, 90))


def monthly_progress(key: str, completed: bool) -> list[tuple[int, Decimal, bool]]:
    """(month, progress, done) for each month the item changed, January to December.

    Done items finish in a month between June and December; the others climb to their final
    progress with a lag of their own, so mid-year some are ahead of the time elapsed and some
    behind (the lights a working year shows)."""
    final = final_progress(key, completed)
    finish = _spread(key + ":finish", 6, 12) if completed else 12
    lag = Decimal(_spread(key + ":lag", 80, 160)) / 100  # >1 starts slow, <1 starts fast
    steps: list[tuple[int, Decimal, bool]] = []
    last = Decimal(-1)
    for month in range(1, finish + 1):
        share = Decimal(month) / Decimal(finish)
        value = (final * Decimal(float(share) ** float(lag))).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        done = completed and month == finish
        if done:
            value = Decimal(100)
        if value != last:
            steps.append((month, value, done))
            last = value
    return steps


# A year of supervision (演示数据): notices the office issued to lagging items' lead units, with how
# and when each was answered, and leaders' instructions — spread over 2023 so the bulletin's 督办情况,
# the rankings and the leader's view have a working year behind them. None is stated by the article.
# (item key, issued (month, day), what the unit must do, days to answer, days it took or None)
NOTICES: tuple[tuple[str, tuple[int, int], str, int, int | None], ...] = (
    ("district_heating", (3, 13), "管网铺设滞后于序时进度，请报送赶工计划和每周节点。", 10, 6),
    ("old_housing_renovation", (4, 10), "请说明老旧小区改造开工率偏低的原因并明确整改时限。", 10, 9),
    ("pv_1000mw", (5, 8), "请报送光伏项目用地手续办理进展及需协调事项。", 7, 12),
    ("xicheng_road_south", (6, 12), "道路南延工程征拆进度滞后，请于期限内报送推进方案。", 10, 8),
    ("agri_121", (7, 17), "请补充“121”工程上半年实施情况及佐证照片。", 7, 5),
    ("teacher_title_reform", (8, 21), "请报送职称评定制度改革方案的征求意见情况。", 10, None),
    ("safety_hazard_campaign", (9, 11), "请汇总隐患排查台账，列明未整改隐患及责任人。", 5, 4),
    ("petition_backlog", (10, 16), "请逐件说明积案化解进展，对超期未化解的说明原因。", 10, 11),
    ("park_smart_terminals", (11, 13), "请报送园区项目四季度投资完成情况。", 7, 3),
)
# (item key, written (month, day), the leader's instruction)
INSTRUCTIONS: tuple[tuple[str, tuple[int, int], str], ...] = (
    ("pv_1000mw", (2, 20), "光伏项目是转型发展的重头戏，要盯紧用地和并网两个关键环节。"),
    ("old_housing_renovation", (4, 18), "老旧小区改造要先听群众意见，成熟一个开工一个。"),
    ("safety_hazard_campaign", (6, 5), "汛期将至，隐患排查要拉网式、无死角，发现一处整改一处。"),
    ("teacher_title_reform", (9, 4), "职称改革事关教师切身利益，方案出台前要充分征求一线意见。"),
    ("petition_backlog", (11, 6), "积案化解要包案到人，年底前能化解的坚决化解。"),
)


# A year of monthly reports (演示数据): each tracked 2023 item's lead unit reports every month from
# January until the item is done (or to December), the supervision office approves each report on
# the 25th, the day the item's history takes the reported progress, so the reports and the
# replayed ledger tell one story. A month in which nothing moved is sometimes not reported at all
# (the on-time rate of the rankings then differs from unit to unit), and about one report in eight
# is returned for more evidence and sent again before it is approved.
# The two items the demo accounts work on keep their own quarterly reports (services.load_activity).
OWN_REPORTS = frozenset({"free_scenic_tickets", "heping_partnership"})
APPROVED_DAY = 25
RETURN_COMMENTS = (
    "佐证材料不足，请补充现场照片或会议纪要后重新报送。",
    "进度百分比与文字描述对不上，请核实本月实际完成量。",
    "请写明本月具体完成了哪些工作，以及下月的推进计划。",
)
_PHASES = (
    (Decimal(30), "前期手续和实施方案正在推进"),
    (Decimal(70), "主体工作按计划实施"),
    (Decimal(100), "进入收尾阶段，正在整理验收材料"),
)


@dataclass(frozen=True)
class MonthlyReport:
    month: int
    progress: Decimal
    done: bool
    text: str
    submitted: tuple[int, int]  # (month, day) first sent
    approved: tuple[int, int]  # (month, day) approved: the item's history takes the progress then
    return_comment: str = ""  # set when the office returned it once before approving it
    returned: tuple[int, int] | None = None
    resubmitted: tuple[int, int] | None = None

    @property
    def period(self) -> str:
        return f"{YEAR}-{self.month:02d}"


def completion_month(key: str, completed: bool) -> int | None:
    """The month a done item was finished (the last of `monthly_progress`), None for the others."""
    steps = monthly_progress(key, completed)
    return steps[-1][0] if completed and steps else None


def is_late(key: str, month: int) -> bool:
    """About one monthly report in six comes in the first days of the next month (never December's,
    the year's last): that month counts as not reported on time in the rankings."""
    return key not in OWN_REPORTS and month < 12 and _spread(f"{key}:{month}:late", 0, 5) == 0


def approved_on(key: str, month: int) -> tuple[int, int]:
    """(month, day) the report of `month` was approved, the day the item's history changes."""
    return (month + 1, 3) if is_late(key, month) else (month, APPROVED_DAY)


def _report_text(month: int, progress: Decimal, moved: bool, done: bool) -> str:
    if done:
        return f"{month}月：全部完成，佐证材料已上传，申请销号。"
    if not moved:
        return f"{month}月：本月进度与上月持平（{progress}%），正在协调解决制约因素。"
    phase = next(words for limit, words in _PHASES if progress < limit)
    return f"{month}月：累计完成{progress}%，{phase}。"


def monthly_reports(key: str, completed: bool) -> list[MonthlyReport]:
    """The monthly reports of one item, January to the month it was done (or December)."""
    steps = {month: (value, done) for month, value, done in monthly_progress(key, completed)}
    last_month = max(steps) if completed else 12
    reports: list[MonthlyReport] = []
    progress, done = Decimal(0), False
    for month in range(1, last_month + 1):
        moved = month in steps
        if moved:
            progress, done = steps[month]
        # A month with nothing to say goes unreported about half the time.
        if not moved and _spread(f"{key}:{month}:skip", 0, 1) == 0:
            continue
        text = _report_text(month, progress, moved, done)
        if is_late(key, month):
            reports.append(
                MonthlyReport(
                    month, progress, done, text, submitted=(month + 1, 1), approved=approved_on(key, month)
                )
            )
            continue
        if _spread(f"{key}:{month}:return", 0, 7) == 0:
            why = RETURN_COMMENTS[_spread(f"{key}:{month}:why", 0, len(RETURN_COMMENTS) - 1)]
            reports.append(
                MonthlyReport(
                    month,
                    progress,
                    done,
                    text,
                    submitted=(month, 18),
                    approved=(month, APPROVED_DAY),
                    return_comment=why,
                    returned=(month, 20),
                    resubmitted=(month, 23),
                )  # fmt: skip
            )
            continue
        day = _spread(f"{key}:{month}:day", 19, 23)
        reports.append(
            MonthlyReport(month, progress, done, text, submitted=(month, day), approved=(month, APPROVED_DAY))
        )
    return reports
