"""The Huguan County (壶关县) demo dataset: every fact of the seed article, in our own words.

Plain Python, no Django: the loader (`services.py`) turns these records into database rows,
and the tests read them directly. Each fact carries a `Cite`: the character span of the seed
file (`shared/seed/huguan-2023-review.txt`, Python str offsets of the UTF-8 decoded text) and
the exact characters at that span. Quotes are kept to a figure or a name; descriptions are
ours. The offsets were computed once against the seed; a test checks that every quote still
equals `seed[start:end]` whenever the seed is present.

Where the article is ambiguous the record says so (`doubtful`, `note`) rather than guessing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

SEED_RELATIVE_PATH = "seed/huguan-2023-review.txt"
DOCUMENT_SLUG = "huguan-2023-review"
COUNTY_CODE = "140427"  # 壶关县
CITY_CODE = "140400"  # 长治市
PROVINCE_CODE = "140000"  # 山西省


@dataclass(frozen=True)
class Cite:
    start: int
    end: int
    quote: str

    def __post_init__(self) -> None:
        if self.end - self.start != len(self.quote):
            raise ValueError(f"span {self.start}:{self.end} does not fit quote {self.quote!r}")


def Q(start: int, end: int, quote: str) -> Cite:  # noqa: N802 (short on purpose: used on every fact)
    return Cite(start, end, quote)


# Headings of the seed with the offset where each begins; a citation's section is the last
# heading at or before its start. The two outer labels are ours (the article has no heading there).
SECTIONS: tuple[tuple[int, str], ...] = (
    (0, "题图与图片说明"),
    (65, "凝心铸魂、聚力发展，县域经济积聚新动能"),
    (838, "精准施策、奋楫争先，乡村振兴绘就新图景"),
    (1643, "坚守初心、倾情为民，民生事业交出新答卷"),
    (2400, "锚定『三地一区』建设幸福壶关"),
    (2418, "干在实处 走在前列 勇立潮头"),
    (2815, "展未来，山河日新，再攀高峰"),
    (4016, "署名与图片说明"),
)


def section_of(offset: int) -> str:
    """The seed heading under which a character offset lies."""
    current = SECTIONS[0][1]
    for start, title in SECTIONS:
        if start <= offset:
            current = title
    return current


@dataclass(frozen=True)
class DocumentFacts:
    slug: str
    title: str
    author: str
    publisher: str
    kind: str
    year: int


DOCUMENT = DocumentFacts(
    slug=DOCUMENT_SLUG,
    title="壶关县2023年工作回顾与2024年展望（报纸专题报道）",
    # The byline: text by staff reporter 徐媚; photos by 张国平 and, unless credited, the county media centre.
    author="文：本报记者 徐媚；摄影：本报记者 张国平；未署名图片：壶关县融媒体中心",
    publisher="本报（原文未写明报纸名称）",
    kind="article",
    year=2023,
)


@dataclass(frozen=True)
class BylineFacts:
    """A name in the byline: document metadata (the newspaper's staff), not county staff."""

    role: str
    cite: Cite
    note: str


BYLINE: tuple[BylineFacts, ...] = (
    BylineFacts("text", Q(4023, 4025, "徐媚"), "署名的文字作者（本报记者），属文献元数据。"),
    BylineFacts("photo", Q(58, 61, "张国平"), "署名的摄影者（本报记者），属文献元数据。"),
    BylineFacts(
        "photo_credit",
        Q(4030, 4034, "陈署名外"),
        "图片署名说明：按文意应为“除署名外”（疑为错字），即未署名的图片由县融媒体中心提供；"
        "若读作人名“陈署名”则另有一位摄影者，存疑，未作为人员记录。",
    ),
)


@dataclass(frozen=True)
class OrgFacts:
    key: str
    name: str
    kind: str
    region_code: str
    cite: Cite
    short_name: str = ""
    description: str = ""


ORGANISATIONS: tuple[OrgFacts, ...] = (
    OrgFacts(
        "huhua",
        "壶化集团",
        "enterprise",
        COUNTY_CODE,
        Q(642, 646, "壶化集团"),
        description="县内企业，主业为民用爆破器材；与壶关高测同列省级智能制造示范/试点企业名单。",
    ),
    OrgFacts(
        "gaoce",
        "壶关高测新材料科技有限公司",
        "enterprise",
        COUNTY_CODE,
        Q(647, 660, "壶关高测新材料科技有限公司"),
        short_name="壶关高测",
        description="新材料企业；2023年缴税1.5亿元，成为县内又一家纳税过亿元的企业。",
    ),
    OrgFacts(
        "county_hospital",
        "壶关县人民医院",
        "hospital",
        COUNTY_CODE,
        Q(313, 318, "县人民医院"),
        short_name="县人民医院",
        description="县级综合医院；做法获全市推广，并同长治市和平医院开展共建合作。",
    ),
    OrgFacts(
        "heping_hospital",
        "长治市和平医院",
        "hospital",
        CITY_CODE,
        Q(1842, 1849, "长治市和平医院"),
        description="市级医院，与壶关县合作共建，为县域医疗提供帮扶。",
    ),
    OrgFacts(
        "media_centre",
        "壶关县融媒体中心",
        "media",
        COUNTY_CODE,
        Q(4036, 4044, "壶关县融媒体中心"),
        description="县级媒体机构，报道配图除署名者外均由其提供。",
    ),
    OrgFacts(
        "jinneng",
        "晋能控股",
        "enterprise",
        PROVINCE_CODE,
        Q(587, 591, "晋能控股"),
        description="省属能源企业（原文只写简称），在壶关签约1000MW光伏发电项目。",
    ),
    OrgFacts(
        "xinci",
        "山西鑫磁科技",
        "enterprise",
        COUNTY_CODE,
        Q(4092, 4098, "山西鑫磁科技"),
        description="磁性材料企业，见于报道配图说明（原文只写简称，所在地按报道主题记为壶关县）。",
    ),
    OrgFacts(
        "baquanxia",
        "八泉峡景区",
        "scenic_area",
        COUNTY_CODE,
        Q(1594, 1599, "八泉峡景区"),
        description="国家5A级旅游景区；2023年景区收入突破3亿元。",
    ),
    OrgFacts(
        "taihang_taojiu",
        "太行陶究",
        "other",
        COUNTY_CODE,
        Q(4138, 4142, "太行陶究"),
        description="见于配图说明，从事“太行陶”文化传承；性质原文未写明，记为其他。",
    ),
    OrgFacts(
        "happy_taihang_valley",
        "欢乐太行谷",
        "scenic_area",
        COUNTY_CODE,
        Q(4184, 4189, "欢乐太行谷"),
        description="见于配图说明的游览地，接待各地游客；性质按文意记为景区。",
    ),
)


@dataclass(frozen=True)
class PlanFacts:
    key: str
    year: int
    title: str
    description: str
    cite: Cite


PLANS: tuple[PlanFacts, ...] = (
    PlanFacts(
        "2023",
        2023,
        "2023年重点工作台账",
        "报道回顾的2023年工作：重点项目、民生实事、整改事项、领题调研与各项专项行动。",
        Q(2485, 2490, "2023年"),
    ),
    PlanFacts(
        "2024",
        2024,
        "2024年工作目标与思路",
        "2024年：共和国成立七十五周年，也是完成“十四五”规划各项目标的关键年份；"
        "目标树为“三地一区”、两个壶关、六大领域与八个方面的思路。",
        Q(2847, 2852, "2024年"),
    ),
)


@dataclass(frozen=True)
class NodeFacts:
    key: str
    plan: str
    kind: str  # goal / area / direction / task_group
    title: str
    cite: Cite
    parent: str | None = None
    number: str = ""
    description: str = ""


GOAL_NODES: tuple[NodeFacts, ...] = (
    NodeFacts(
        "goal",
        "2024",
        "goal",
        "全力打造“三地一区”",
        Q(3037, 3041, "三地一区"),
        description="全县总体目标定位，统领两个壶关建设、六大领域和八个方面的工作思路。",
    ),
    NodeFacts(
        "vital",
        "2024",
        "goal",
        "活力壶关",
        Q(3047, 3051, "活力壶关"),
        parent="goal",
        description="加快建设的两个目标之一。",
    ),
    NodeFacts(
        "happy",
        "2024",
        "goal",
        "幸福壶关",
        Q(3052, 3056, "幸福壶关"),
        parent="goal",
        description="加快建设的两个目标之一。",
    ),
)

# The six areas the county co-ordinates (统筹推进), as listed in the 2024 outlook.
AREA_NODES: tuple[NodeFacts, ...] = tuple(
    NodeFacts(f"area_{i}", "2024", "area", title, cite, parent="goal", number=str(i))
    for i, (title, cite) in enumerate(
        (
            ("转型发展", Q(3061, 3065, "转型发展")),
            ("乡村振兴", Q(3066, 3070, "乡村振兴")),
            ("文旅融合", Q(3071, 3075, "文旅融合")),
            ("城市建设", Q(3076, 3080, "城市建设")),
            ("民生保障", Q(3081, 3085, "民生保障")),
            ("安全稳定", Q(3086, 3090, "安全稳定")),
        ),
        start=1,
    )
)

# The eight directions (思路) of 2024, numbered as they appear.
DIRECTION_NODES: tuple[NodeFacts, ...] = (
    NodeFacts(
        "dir_1",
        "2024",
        "direction",
        "加强党的全面领导",
        Q(3122, 3130, "加强党的全面领导"),
        parent="goal",
        number="一",
        description="以党建引领保障发展，确保各项决策部署落到实处。",
    ),
    NodeFacts(
        "dir_2",
        "2024",
        "direction",
        "调结构、扬优势",
        Q(3247, 3254, "调结构、扬优势"),
        parent="goal",
        number="二",
        description="把产业作为核心支撑，优化产业结构、发展优势特色产业。",
    ),
    NodeFacts(
        "dir_3",
        "2024",
        "direction",
        "抓改革、促开放",
        Q(3349, 3356, "抓改革、促开放"),
        parent="goal",
        number="三",
        description="深化改革、扩大开放，推动质量、效率和动力三方面变革。",
    ),
    NodeFacts(
        "dir_4",
        "2024",
        "direction",
        "强“三农”、促振兴",
        Q(3448, 3457, "强“三农”、促振兴"),
        parent="goal",
        number="四",
        description="把农业农村工作作为全局基础，推动乡村全面振兴。",
    ),
    NodeFacts(
        "dir_5",
        "2024",
        "direction",
        "谋全域、抓提升",
        Q(3548, 3555, "谋全域、抓提升"),
        parent="goal",
        number="五",
        description="把旅游作为主导产业，推进全域旅游提档升级，培育文旅康养新业态。",
    ),
    NodeFacts(
        "dir_6",
        "2024",
        "direction",
        "优功能、提品质",
        Q(3670, 3677, "优功能、提品质"),
        parent="goal",
        number="六",
        description="在基建、公共服务、生态与产业几方面补短板，以县城为依托推进新型城镇化。",
    ),
    NodeFacts(
        "dir_7",
        "2024",
        "direction",
        "重民生、增福祉",
        Q(3777, 3784, "重民生、增福祉"),
        parent="goal",
        number="七",
        description="集中力量办好一批群众看得见、摸得着的实事。",
    ),
    NodeFacts(
        "dir_8",
        "2024",
        "direction",
        "防风险、保安全",
        Q(3878, 3885, "防风险、保安全"),
        parent="goal",
        number="八",
        description="安全与稳定放在首位，筑牢平安发展的底盘。",
    ),
)

# The 2023 plan's goal tree: the three parts the year-end review reports 2023 under, each an area of
# work; a 2023 item sits under the part whose text its citation falls in (`node_2023_for`).
NODES_2023: tuple[NodeFacts, ...] = (
    NodeFacts(
        "y2023_economy",
        "2023",
        "direction",
        "县域经济积聚新动能",
        Q(79, 88, "县域经济积聚新动能"),
        number="一",
        description="项目建设、产业转型、园区与营商环境：全年经济工作的主线。",
    ),
    NodeFacts(
        "y2023_rural",
        "2023",
        "direction",
        "乡村振兴绘就新图景",
        Q(852, 861, "乡村振兴绘就新图景"),
        number="二",
        description="农业产业、和美乡村、文旅融合与农民增收。",
    ),
    NodeFacts(
        "y2023_livelihood",
        "2023",
        "direction",
        "民生事业交出新答卷",
        Q(1657, 1666, "民生事业交出新答卷"),
        number="三",
        description="民生实事、教育医疗、社会保障与安全稳定。",
    ),
)
# Where each part's text runs in the seed article (start of its heading to the next heading).
_PARTS_2023: tuple[tuple[int, int, str], ...] = (
    (65, 838, "y2023_economy"),
    (838, 1643, "y2023_rural"),
    (1643, 2400, "y2023_livelihood"),
)


def node_2023_for(cite_start: int) -> str | None:
    """The 2023 goal-tree node of an item cited at `cite_start`; None outside the three parts."""
    return next((key for start, end, key in _PARTS_2023 if start <= cite_start < end), None)


NODES: tuple[NodeFacts, ...] = GOAL_NODES + AREA_NODES + DIRECTION_NODES + NODES_2023


@dataclass(frozen=True)
class ItemFacts:
    key: str
    plan: str
    kind: str  # key_project / livelihood / rectification / research / campaign / routine
    title: str
    description: str
    status: str  # completed / in_progress / not_started
    cite: Cite
    node: str | None = None
    stage: str = ""
    target_value: Decimal | None = None
    target_unit: str = ""
    beneficiaries: str = ""
    beneficiary_count: int | None = None
    party_lecture_delivered: bool = False
    lead_unit: str | None = None  # an OrgFacts key
    co_units: tuple[str, ...] = ()
    milestones: tuple[str, ...] = ()
    problem: str = ""
    measures: str = ""


COMPLETED, IN_PROGRESS, NOT_STARTED = "completed", "in_progress", "not_started"

ITEMS_2023: tuple[ItemFacts, ...] = (
    # Key projects and constructions.
    ItemFacts(
        "park_construction_industry",
        "2023",
        "key_project",
        "山西建筑产业现代化长治园区",
        "重大产业园区项目，报道称已建成（拔地而起）。",
        COMPLETED,
        Q(541, 554, "山西建筑产业现代化长治园区"),
        stage="completed",
    ),
    ItemFacts(
        "park_new_materials",
        "2023",
        "key_project",
        "新材料产业园",
        "重大产业园区项目，与建筑产业现代化园区同列为已建成的项目。",
        COMPLETED,
        Q(555, 561, "新材料产业园"),
        stage="completed",
    ),
    ItemFacts(
        "park_smart_terminals",
        "2023",
        "key_project",
        "智能终端制造产业园项目",
        "转型项目，2023年签约落地，尚未报道开工。",
        IN_PROGRESS,
        Q(575, 586, "智能终端制造产业园项目"),
        stage="signed",
    ),
    ItemFacts(
        "pv_1000mw",
        "2023",
        "key_project",
        "晋能控股1000MW光伏发电项目",
        "由晋能控股投资的光伏发电转型项目，装机1000MW，2023年签约落地。",
        IN_PROGRESS,
        Q(587, 603, "晋能控股1000MW光伏发电项目"),
        stage="signed",
        target_value=Decimal("1000"),
        target_unit="MW",
        co_units=("jinneng",),
    ),
    ItemFacts(
        "bqx_water_diversion",
        "2023",
        "key_project",
        "八泉峡引水工程",
        "县内迄今投资最多、渠线最长、覆盖面最广、受益人口最多的水利工程；"
        "2023年竣工通水，保障县域中部工农业用水。受益人数原文为“28万余人”，此处记下限。",
        COMPLETED,
        Q(1951, 1958, "八泉峡引水工程"),
        stage="in_operation",
        beneficiaries="254个行政村、28万余人",
        beneficiary_count=280000,
    ),
    ItemFacts(
        "central_park",
        "2023",
        "key_project",
        "中央公园",
        "县城公园，2023年建成并向市民开放。",
        COMPLETED,
        Q(2111, 2115, "中央公园"),
        stage="completed",
    ),
    ItemFacts(
        "pocket_parks",
        "2023",
        "key_project",
        "7个口袋公园",
        "县城建成并启用七个口袋公园；原文点名的有崇老公园、清风公园和壶林公园，其余未列名。",
        COMPLETED,
        Q(2135, 2141, "7个口袋公园"),
        stage="completed",
        target_value=Decimal("7"),
        target_unit="个",
        milestones=("崇老公园", "清风公园", "壶林公园"),
    ),
    ItemFacts(
        "xicheng_road_widening",
        "2023",
        "key_project",
        "西城路拓宽改造和雨污分流项目",
        "城区道路拓宽并实施雨污分流，已竣工。",
        COMPLETED,
        Q(2146, 2160, "西城路拓宽改造和雨污分流项目"),
        stage="completed",
    ),
    ItemFacts(
        "district_heating",
        "2023",
        "key_project",
        "市区至壶关县城集中供热管网建设项目",
        "从长治市区向县城敷设集中供热管网，报道称有序推进（在建）。",
        IN_PROGRESS,
        Q(2165, 2182, "市区至壶关县城集中供热管网建设项目"),
        stage="under_construction",
    ),
    ItemFacts(
        "xicheng_road_south",
        "2023",
        "key_project",
        "西城路南延至G207环线道路建设",
        "西城路向南延伸接G207环线的道路工程，报道称有序推进（在建）。",
        IN_PROGRESS,
        Q(2183, 2199, "西城路南延至G207环线道路建设"),
        stage="under_construction",
    ),
    ItemFacts(
        "old_housing_renovation",
        "2023",
        "key_project",
        "城区老旧小区改造",
        "县城老旧住宅小区改造，报道称有序推进（在建）。",
        IN_PROGRESS,
        Q(2200, 2208, "城区老旧小区改造"),
        stage="under_construction",
    ),
    # Livelihood commitments and measures.
    ItemFacts(
        "free_scenic_tickets",
        "2023",
        "livelihood",
        "户籍人口和在壶工作人员游八泉峡免门票",
        "县内户籍居民和在县工作人员游览八泉峡不收门票，已全面落实。责任单位为演示而设（原文未写明）。",
        COMPLETED,
        Q(2023, 2028, "旅游免门票"),
        beneficiaries="全县户籍人口和在壶工作人员",
        lead_unit="baquanxia",
    ),
    ItemFacts(
        "elderly_accident_insurance",
        "2023",
        "livelihood",
        "为60岁以上老年人购买意外伤害保险",
        "县里为年满60岁的老人统一投保意外伤害险，已全面落实。",
        COMPLETED,
        Q(2042, 2048, "意外伤害保险"),
        beneficiaries="全县60岁以上老年人",
    ),
    ItemFacts(
        "huguan_home",
        "2023",
        "livelihood",
        "“壶关回家”行动",
        "面向在外壶关人的惠民行动，已全面落实（具体内容原文未写明）。",
        COMPLETED,
        Q(2049, 2057, "“壶关回家”行动"),
    ),
    ItemFacts(
        "heping_partnership",
        "2023",
        "routine",
        "与长治市和平医院合作共建",
        "借助市级医院帮扶加强重点学科和专业队伍建设，提升县域医疗服务能力和质量。"
        "责任单位为演示而设（原文未写明）。",
        IN_PROGRESS,
        Q(1849, 1853, "合作共建"),
        lead_unit="county_hospital",
        co_units=("heping_hospital",),
    ),
    ItemFacts(
        "teacher_title_reform",
        "2023",
        "routine",
        "深化教师职称评定制度改革",
        "以职称评定改革调动教师积极性；报道称中考优生率和高考达线率均创新高（原文未给数字）。",
        IN_PROGRESS,
        Q(1789, 1799, "教师职称评定制度改革"),
        # Outcomes the article states without figures: kept as milestones, never as numbers.
        milestones=("中考优生率创历史新高", "高考达线率创历史新高"),
    ),
    # Party building: research, rectification, study.
    ItemFacts(
        "leader_research",
        "2023",
        "research",
        "县级领导干部领题调研（30个课题）",
        "县级领导共领了30个调研题目，每个题目都在各自分管的领域、单位或支部讲成了一堂党课。"
        "原文只给数量，未列课题名称，故作为一项汇总事项记录。",
        COMPLETED,
        Q(177, 184, "领题调研30个"),
        target_value=Decimal("30"),
        target_unit="个",
        party_lecture_delivered=True,
    ),
    ItemFacts(
        "rectification_35",
        "2023",
        "rectification",
        "主题教育整改事项（35项）",
        "整改共35项，已见阶段成效；原文只给数量，未列具体问题，故作为一项汇总事项记录。",
        IN_PROGRESS,
        Q(267, 274, "35项整改事项"),
        target_value=Decimal("35"),
        target_unit="项",
        problem="原文未列明具体问题。",
    ),
    ItemFacts(
        "theme_education",
        "2023",
        "campaign",
        "学习贯彻习近平新时代中国特色社会主义思想主题教育",
        "部署开展主题教育，县处级领导班子读书班共办四期，已完成。",
        COMPLETED,
        Q(137, 141, "主题教育"),
        target_value=Decimal("4"),
        target_unit="期",
    ),
    ItemFacts(
        "case_analysis_meeting",
        "2023",
        "routine",
        "党政领导班子正反典型案例剖析会",
        "召开县党政领导班子正反两方面典型案例剖析会，已完成。",
        COMPLETED,
        Q(231, 240, "正反典型案例剖析会"),
    ),
    # Rural revitalisation.
    ItemFacts(
        "agri_121",
        "2023",
        "routine",
        "“121”农业工程建设",
        "通过“121”农业工程推动农业结构调整，目标是面向北方市场供应优质农产品。",
        IN_PROGRESS,
        Q(1138, 1147, "“121”农业工程"),
    ),
    ItemFacts(
        "five_comparisons",
        "2023",
        "campaign",
        "“五比”活动",
        "乡镇、行业、驻村、农村、农户五个层面的比武评比活动，推动脱贫成果巩固与乡村振兴衔接。",
        IN_PROGRESS,
        Q(1219, 1225, "“五比”活动"),
        milestones=("乡镇大比武", "行业大比拼", "驻村大评比", "农村大比赛", "农户大比武"),
    ),
    ItemFacts(
        "ten_million_project",
        "2023",
        "campaign",
        "学习运用“千万工程”经验建设宜居宜业和美乡村",
        "借鉴“千万工程”的做法改善村容村貌。",
        IN_PROGRESS,
        Q(1251, 1257, "“千万工程”"),
    ),
    ItemFacts(
        "eco_tourism_destination",
        "2023",
        "routine",
        "打造“全国著名的生态旅游目的地”",
        "以生态和旅游作为立县、强县之本，重点培育文旅康养产业。",
        IN_PROGRESS,
        Q(1428, 1440, "全国著名的生态旅游目的地"),
    ),
    # Safety and stability.
    ItemFacts(
        "safety_hazard_campaign",
        "2023",
        "campaign",
        "安全生产风险隐患排查大整治",
        "常态化开展的安全生产排查整治行动。",
        IN_PROGRESS,
        Q(2293, 2306, "安全生产风险隐患排查大整治"),
    ),
    ItemFacts(
        "public_security_series",
        "2023",
        "campaign",
        "“扫黑恶、治电诈、打盗抢、禁毒品、护民生”系列专项行动",
        "围绕打击黑恶势力、电信诈骗、盗抢、毒品和维护民生五个重点开展的一组专项行动；"
        "同时常态化推进扫黑除恶、禁毒攻坚和信访积案化解。",
        IN_PROGRESS,
        Q(2313, 2332, "扫黑恶、治电诈、打盗抢、禁毒品、护民生"),
    ),
    ItemFacts(
        "petition_backlog",
        "2023",
        "routine",
        "信访积案化解",
        "化解历年积压的信访案件，报道称有效化解。",
        IN_PROGRESS,
        Q(2376, 2384, "信访积案有效化解"),
    ),
)

# The tasks under each 2024 direction, named by the article's own short phrases.
ITEMS_2024: tuple[ItemFacts, ...] = tuple(
    ItemFacts(key, "2024", "routine", title, description, NOT_STARTED, cite, node=node)
    for key, node, title, description, cite in (
        (
            "t24_decisions",
            "dir_1",
            "全力推动各项决策部署落地落实",
            "抓落实：上级和县委的决策部署逐项落地。",
            Q(3131, 3145, "全力推动各项决策部署落地落实"),
        ),
        (
            "t24_party_first",
            "dir_1",
            "以党建“第一责任”领导和保障发展“第一要务”",
            "把党建责任与发展任务结合起来，集中精力抓经济建设。",
            Q(3207, 3229, "以党建“第一责任”领导和保障发展“第一要务”"),
        ),
        (
            "t24_industry_base",
            "dir_2",
            "持续夯实产业根基",
            "调整优化产业结构，发展优势特色产业。",
            Q(3255, 3263, "持续夯实产业根基"),
        ),
        (
            "t24_reform_drive",
            "dir_3",
            "充分激发动力源泉",
            "全面深化改革、扩大对外开放。",
            Q(3357, 3365, "充分激发动力源泉"),
        ),
        (
            "t24_beautiful_villages",
            "dir_4",
            "加快建设美丽乡村",
            "让农业农村工作再上台阶。",
            Q(3458, 3466, "加快建设美丽乡村"),
        ),
        (
            "t24_tourism_county",
            "dir_5",
            "推动实现文旅兴县",
            "以旅游为主导产业带动全县发展。",
            Q(3556, 3564, "推动实现文旅兴县"),
        ),
        (
            "t24_six_actions",
            "dir_5",
            "以“六大行动”为抓手加快提档升级",
            "服务于“全国著名的生态旅游目的地”定位，开发更多文旅康养的新玩法和新产品。"
            "“六大行动”的具体内容原文未列。",
            Q(3611, 3617, "“六大行动”"),
        ),
        (
            "t24_urban_rural",
            "dir_6",
            "推进城乡融合发展",
            "补短板，以县城为依托推进新型城镇化。",
            Q(3678, 3686, "推进城乡融合发展"),
        ),
        (
            "t24_demo_zone",
            "dir_6",
            "全力打造城乡融合发展示范区",
            "城乡融合的目标形态。",
            Q(3751, 3760, "城乡融合发展示范区"),
        ),
        (
            "t24_quality_of_life",
            "dir_7",
            "提高群众生活品质",
            "办一批群众切实感受得到的实事。",
            Q(3785, 3793, "提高群众生活品质"),
        ),
        (
            "t24_safe_huguan",
            "dir_8",
            "全面建设平安壶关",
            "主动创安创稳，以安全护航发展。",
            Q(3886, 3894, "全面建设平安壶关"),
        ),
    )
)

ITEMS: tuple[ItemFacts, ...] = ITEMS_2023 + ITEMS_2024


@dataclass(frozen=True)
class IndicatorFacts:
    code: str
    name: str
    unit: str
    area: str
    description: str = ""
    direction: str = "up"
    headline: bool = False


# The county's headline figures: the ones the portal and the dashboard put first.
HEADLINE_CODES = frozenset(
    {
        "emerging-industry-output",
        "tourist-visits",
        "tourism-revenue",
        "scenic-area-revenue",
        "water-project-people",
    }
)

INDICATORS: tuple[IndicatorFacts, ...] = (
    IndicatorFacts("emerging-industry-output", "战略性新兴产业总产值", "元", "转型发展"),
    IndicatorFacts("enterprise-tax-paid", "企业上缴税金", "元", "转型发展"),
    IndicatorFacts("tourist-visits", "接待游客人次", "人次", "文旅融合"),
    IndicatorFacts("tourism-revenue", "旅游营业收入", "元", "文旅融合"),
    IndicatorFacts("scenic-area-revenue", "景区收入", "元", "文旅融合"),
    IndicatorFacts(
        "livelihood-items-advancing",
        "主题教育确定的民生实事（推进中）",
        "件",
        "民生保障",
        "党建部分列出的16件民生实事，正在推进。",
    ),
    IndicatorFacts(
        "livelihood-promises-delivered",
        "年初承诺民生实事（已兑现）",
        "件",
        "民生保障",
        "民生部分所说年初承诺并已兑现的民生实事。",
    ),
    IndicatorFacts("rectification-items", "整改事项", "项", "党的建设", "取得阶段性整改成果的整改事项数。"),
    IndicatorFacts(
        "leader-research-topics",
        "县级领导干部领题调研课题",
        "个",
        "党的建设",
        "每个课题都已转化为一堂党课。",
    ),
    IndicatorFacts("reading-class-sessions", "县处级领导班子读书班", "期", "党的建设"),
    IndicatorFacts("pocket-parks-opened", "建成投用的口袋公园", "个", "城市建设"),
    IndicatorFacts(
        "deep-breath-town-selections",
        "连续入选“美丽中国·深呼吸小城”百佳榜",
        "届",
        "文旅融合",
    ),
    IndicatorFacts("water-project-villages", "八泉峡引水工程受益行政村", "个", "民生保障"),
    IndicatorFacts("water-project-people", "八泉峡引水工程受益人口", "人", "民生保障"),
    IndicatorFacts("pv-capacity-signed", "签约光伏发电装机容量", "MW", "转型发展"),
)


@dataclass(frozen=True)
class ObservationFacts:
    indicator: str
    year: int
    value: Decimal
    unit: str
    cite: Cite
    qualifier: str = "exact"
    value_kind: str = "level"
    region_code: str | None = COUNTY_CODE
    organisation: str | None = None
    base_year: int | None = None
    base_label: str = ""
    doubtful: bool = False
    note: str = ""


OBSERVATIONS: tuple[ObservationFacts, ...] = (
    ObservationFacts(
        "emerging-industry-output",
        2023,
        Decimal("2500000000"),
        "元",
        Q(780, 785, "近25亿元"),
        qualifier="nearly",
    ),
    ObservationFacts(
        "emerging-industry-output",
        2023,
        Decimal("5"),
        "倍",
        Q(794, 796, "5倍"),
        value_kind="multiple",
        base_year=2020,
        base_label="十三五末",
        note="报道所述倍数：2023年为“十三五”末（2020年）的5倍，隐含基数约5亿元。",
    ),
    ObservationFacts(
        "enterprise-tax-paid",
        2023,
        Decimal("150000000"),
        "元",
        Q(814, 819, "1.5亿元"),
        region_code=None,
        organisation="gaoce",
    ),
    ObservationFacts(
        "tourist-visits",
        2023,
        Decimal("4400000"),
        "人次",
        Q(1567, 1574, "超440万人次"),
        qualifier="over",
        doubtful=True,
        note="原文把这一数字紧跟在八泉峡景区获评5A级的说法之后，未写明是全县还是八泉峡景区的接待量；"
        "此处按全县记录并标为存疑。",
    ),
    ObservationFacts(
        "tourism-revenue",
        2023,
        Decimal("216"),
        "%",
        Q(1589, 1593, "216%"),
        value_kind="growth",
        base_year=2019,
        base_label="2019年",
        note="原文以2019年为比较基期却用了“同比”一词；营收总额原文未给。",
    ),
    ObservationFacts(
        "scenic-area-revenue",
        2023,
        Decimal("300000000"),
        "元",
        Q(1601, 1606, "突破3亿元"),
        qualifier="over",
        region_code=None,
        organisation="baquanxia",
    ),
    ObservationFacts(
        "livelihood-items-advancing",
        2023,
        Decimal("16"),
        "件",
        Q(255, 262, "16件民生实事"),
        doubtful=True,
        note="与年初承诺并兑现的12件不是同一数字：原文未说明两者关系（可能是主题教育另行确定的清单），"
        "故分作两个指标。",
    ),
    ObservationFacts(
        "livelihood-promises-delivered",
        2023,
        Decimal("12"),
        "件",
        Q(2072, 2079, "12件民生实事"),
        note="年初承诺、年内相继兑现；与16件推进中的民生实事分列。",
    ),
    ObservationFacts("rectification-items", 2023, Decimal("35"), "项", Q(267, 270, "35项")),
    ObservationFacts("leader-research-topics", 2023, Decimal("30"), "个", Q(181, 184, "30个")),
    ObservationFacts("reading-class-sessions", 2023, Decimal("4"), "期", Q(154, 159, "四期读书班")),
    ObservationFacts("pocket-parks-opened", 2023, Decimal("7"), "个", Q(2135, 2137, "7个")),
    ObservationFacts("deep-breath-town-selections", 2023, Decimal("8"), "届", Q(1501, 1505, "连续八届")),
    ObservationFacts("water-project-villages", 2023, Decimal("254"), "个", Q(1967, 1974, "254个行政村")),
    ObservationFacts(
        "water-project-people", 2023, Decimal("280000"), "人", Q(1974, 1979, "28万余人"), qualifier="over"
    ),
    ObservationFacts("pv-capacity-signed", 2023, Decimal("1000"), "MW", Q(591, 597, "1000MW")),
)


@dataclass(frozen=True)
class HonourFacts:
    key: str
    title: str
    level: str  # national / provincial / city
    cite: Cite
    year: int | None = 2023
    region_code: str | None = COUNTY_CODE
    organisation: str | None = None
    note: str = ""


HONOURS: tuple[HonourFacts, ...] = (
    HonourFacts(
        "inclusive_finance",
        "2023年度中央财政支持普惠金融发展示范区",
        "national",
        Q(626, 641, "中央财政支持普惠金融发展示范区"),
        note="原文作“人选”，按文意应为“入选”。",
    ),
    HonourFacts(
        "smart_manufacturing_huhua",
        "省级智能制造示范企业、试点企业名单",
        "provincial",
        Q(664, 679, "省级智能制造示范企业、试点企业"),
        region_code=None,
        organisation="huhua",
        note="两家企业“双双入选”示范企业、试点企业名单；哪家属示范、哪家属试点原文未分。",
    ),
    HonourFacts(
        "smart_manufacturing_gaoce",
        "省级智能制造示范企业、试点企业名单",
        "provincial",
        Q(664, 679, "省级智能制造示范企业、试点企业"),
        region_code=None,
        organisation="gaoce",
        note="两家企业“双双入选”示范企业、试点企业名单；哪家属示范、哪家属试点原文未分。",
    ),
    HonourFacts(
        "organic_dry_farming",
        "全省有机旱作农业示范县",
        "provincial",
        Q(1073, 1084, "全省有机旱作农业示范县"),
        year=None,
        note="原文说壶关“也是”该示范县，未写获评年份。",
    ),
    HonourFacts(
        "agri_quality_demo",
        "省级农产品质量安全示范县",
        "provincial",
        Q(1085, 1097, "省级农产品质量安全示范县"),
        year=None,
        note="原文说壶关“也是”该示范县，未写获评年份。",
    ),
    HonourFacts(
        "four_good_roads",
        "“四好农村路”全国示范县",
        "national",
        Q(1272, 1284, "“四好农村路”全国示范县"),
        note="列在2023年“收入囊中”的荣誉中，年份按报道所述年度记录。",
    ),
    HonourFacts(
        "courtyard_economy",
        "省级高质量发展庭院经济示范县",
        "provincial",
        Q(1285, 1299, "省级高质量发展庭院经济示范县"),
        note="列在2023年“收入囊中”的荣誉中，年份按报道所述年度记录。",
    ),
    HonourFacts(
        "agri_quality_county",
        "省级农产品质量安全县",
        "provincial",
        Q(1300, 1310, "省级农产品质量安全县"),
        note="与前面列出的“示范县”称号名称相近，原文未说明是否同一称号，分别记录。",
    ),
    HonourFacts(
        "deep_breath_town",
        "“美丽中国·深呼吸小城”百佳榜",
        "national",
        Q(1507, 1522, "“美丽中国·深呼吸小城”百佳榜"),
        note="连续第八届入选；评选机构原文未写明，级别按全国性榜单记录。",
    ),
    HonourFacts(
        "wellness_cluster",
        "山西省文旅康养集聚区（验收通过）",
        "provincial",
        Q(1536, 1546, "山西省文旅康养集聚区"),
        note="以全省第一名的成绩通过验收。",
    ),
    HonourFacts(
        "baquanxia_5a",
        "国家5A级旅游景区",
        "national",
        Q(1556, 1563, "全国5A级景区"),
        year=None,
        region_code=None,
        organisation="baquanxia",
        note="原文写八泉峡景区“入选全国5A级景区”，未写评定年份。",
    ),
    HonourFacts(
        "mobile_party_members",
        "流动党员“三有三报”理论学习在全市交流推广",
        "city",
        Q(298, 308, "流动党员“三有三报”"),
        note="做法在全市交流推广，属经验推广而非正式称号。",
    ),
    HonourFacts(
        "hospital_practice",
        "县人民医院典型做法在全市交流推广",
        "city",
        Q(318, 322, "典型做法"),
        region_code=None,
        organisation="county_hospital",
        note="做法在全市交流推广，属经验推广而非正式称号。",
    ),
)


@dataclass(frozen=True)
class AccountFacts:
    """A demo login, one per role. Illustrative by nature: the article names no officials."""

    username: str
    role: str
    organisation: str | None = None
    display_name: str = ""
    superuser: bool = False


DEMO_PASSWORD = "huguan2023"  # local demo only; the loader refuses in production (see rules.py)

ACCOUNTS: tuple[AccountFacts, ...] = (
    AccountFacts("demo_admin", "admin", display_name="演示管理员", superuser=True),
    AccountFacts("demo_supervisor", "supervisor", display_name="演示督查室"),
    AccountFacts("demo_leader", "leader", display_name="演示县领导"),
    AccountFacts(
        "demo_reporter_hospital", "reporter", organisation="county_hospital", display_name="县人民医院填报员"
    ),
    AccountFacts(
        "demo_reporter_scenic", "reporter", organisation="baquanxia", display_name="八泉峡景区填报员"
    ),
    # 单位审签 (issue 13): the scenic area's head approves its reports before the office sees them;
    # the loader turns that unit's rule on, so the demo shows the step.
    AccountFacts("demo_head_scenic", "unit_head", organisation="baquanxia", display_name="八泉峡景区负责人"),
    AccountFacts("demo_viewer", "viewer", display_name="演示查阅人"),
)


def all_citations() -> list[tuple[str, Cite]]:
    """Every cited fact as (label, citation): what the coverage test and the listing walk."""
    found: list[tuple[str, Cite]] = [(f"byline {b.role}", b.cite) for b in BYLINE]
    found += [(f"organisation {o.name}", o.cite) for o in ORGANISATIONS]
    found += [(f"plan {p.title}", p.cite) for p in PLANS]
    found += [(f"goal tree {n.title}", n.cite) for n in NODES]
    found += [(f"item [{i.kind}] {i.title}", i.cite) for i in ITEMS]
    found += [(f"observation {o.indicator} {o.value}{o.unit}", o.cite) for o in OBSERVATIONS]
    found += [(f"honour [{h.level}] {h.title}", h.cite) for h in HONOURS]
    return found
