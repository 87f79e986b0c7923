"""Sentences written for these tests in the genre of county work reports, statistical bulletins and
news reviews (none is taken from the development seed). Each lists every mention it should yield,
so a missing mention and an extra one both fail."""

from __future__ import annotations

import pytest

from countyworks.textread import extract_mentions

# (sentence, [(text, kind, value, unit, qualifier), ...])
CASES: list[tuple[str, list[tuple[str, str, float, str, str]]]] = [
    (
        "2022年，全县地区生产总值完成128.6亿元，同比增长5.3%。",
        [("128.6亿元", "amount", 1.286e10, "元", "exact"), ("5.3%", "growth", 5.3, "%", "exact")],
    ),
    (
        "全年一般公共预算收入8.2亿元，比上年下降3.1%。",
        [("8.2亿元", "amount", 8.2e8, "元", "exact"), ("3.1%", "growth", -3.1, "%", "exact")],
    ),
    (
        "规模以上工业增加值增长7.6%，高于全市平均水平1.2个百分点。",
        [("7.6%", "growth", 7.6, "%", "exact"), ("1.2个百分点", "growth", 1.2, "百分点", "exact")],
    ),
    (
        "城镇居民人均可支配收入达到38520元，农村居民人均可支配收入16840元。",
        [("38520元", "amount", 38520, "元", "exact"), ("16840元", "amount", 16840, "元", "exact")],
    ),
    (
        "全县森林覆盖率达到52.3%，较“十三五”末提高4.1个百分点。",
        [("52.3%", "percent", 52.3, "%", "exact"), ("4.1个百分点", "growth", 4.1, "百分点", "exact")],
    ),
    (
        "新增城镇就业2100人，城镇登记失业率控制在3.5%以内。",
        [("2100人", "count", 2100, "人", "exact"), ("3.5%以内", "percent", 3.5, "%", "under")],
    ),
    (
        "累计接待游客约1200万人次，实现旅游综合收入86亿元。",
        [("约1200万人次", "count", 1.2e7, "人次", "approx"), ("86亿元", "amount", 8.6e9, "元", "exact")],
    ),
    (
        "实施省市重点项目42个，完成投资76.5亿元，其中亿元以上项目28个。",
        [
            ("42个", "count", 42, "个", "exact"),
            ("76.5亿元", "amount", 7.65e9, "元", "exact"),
            ("亿元以上", "threshold", 1e8, "元", "at_least"),
            ("28个", "count", 28, "个", "exact"),
        ],
    ),
    (
        "粮食播种面积稳定在32.5万亩，总产量达到1.8亿斤。",
        [("32.5万亩", "measure", 3.25e5, "亩", "exact"), ("1.8亿斤", "measure", 1.8e8, "斤", "exact")],
    ),
    (
        "新建改造农村公路135公里，“四好农村路”建设走在全省前列。",
        [("135公里", "measure", 135, "公里", "exact")],
    ),
    (
        "为全县1.2万名80岁以上高龄老人发放高龄津贴960余万元。",
        [
            ("1.2万名", "count", 1.2e4, "名", "exact"),
            ("80岁以上", "threshold", 80, "岁", "at_least"),
            ("960余万元", "amount", 9.6e6, "元", "over"),
        ],
    ),
    (
        "全县共有省级以上龙头企业17家，培育百亿级产业集群1个。",
        [
            ("17家", "count", 17, "家", "exact"),
            ("百亿级", "threshold", 1e10, "元", "at_least"),
            ("1个", "count", 1, "个", "exact"),
        ],
    ),
    ("在全市营商环境评价中排名第3。", [("第3", "rank", 3, "名", "exact")]),
    (
        "全县经济增速位居全市第一，财政收入增速居全省第二位。",
        [("第一", "rank", 1, "名", "exact"), ("第二位", "rank", 2, "名", "exact")],
    ),
    (
        "我县选手在省运会上获得一金两银三铜。",
        [
            ("一金", "count", 1, "枚", "exact"),
            ("两银", "count", 2, "枚", "exact"),
            ("三铜", "count", 3, "枚", "exact"),
        ],
    ),
    (
        "八成以上的行政村集体经济收入超过10万元。",
        [("八成以上", "percent", 8, "成", "at_least"), ("超过10万元", "amount", 1e5, "元", "over")],
    ),
    (
        "全县约有三分之一的耕地建成高标准农田，全市1/6的粮食产自本县。",
        [("三分之一", "percent", 0.3333, "", "exact"), ("1/6", "percent", 0.1667, "", "exact")],
    ),
    (
        "光伏装机容量达到50万千瓦，年发电量约6亿千瓦时。",
        [("50万千瓦", "measure", 5e5, "千瓦", "exact"), ("约6亿千瓦时", "measure", 6e8, "千瓦时", "approx")],
    ),
    ("地区生产总值是2015年的2.1倍。", [("2.1倍", "multiple", 2.1, "倍", "exact")]),
    (
        "全县60岁以上老年人口达到8.6万人，占总人口的21.4%。",
        [
            ("60岁以上", "threshold", 60, "岁", "at_least"),
            ("8.6万人", "count", 8.6e4, "人", "exact"),
            ("21.4%", "percent", 21.4, "%", "exact"),
        ],
    ),
    (
        "引进各类人才300多名，新增市场主体4500余户。",
        [("300多名", "count", 300, "名", "over"), ("4500余户", "count", 4500, "户", "over")],
    ),
    (
        "城区建成口袋公园12处，新增绿地面积18万平方米。",
        [("12处", "count", 12, "处", "exact"), ("18万平方米", "measure", 1.8e5, "平方米", "exact")],
    ),
    ("连续5年被评为全省县域经济先进县。", [("5年", "count", 5, "年", "exact")]),
    (
        "全县森林面积二十五万亩，有两千一百零八名党员参加培训。",
        [("二十五万亩", "measure", 2.5e5, "亩", "exact"), ("两千一百零八名", "count", 2108, "名", "exact")],
    ),
    ("全年接待游客突破千万人次。", [("突破千万人次", "count", 1e7, "人次", "over")]),
    ("出台稳经济一揽子政策措施47条。", [("47条", "count", 47, "条", "exact")]),
    (
        "乡村振兴示范村分别达到15个、22个和30个。",
        [
            ("15个", "count", 15, "个", "exact"),
            ("22个", "count", 22, "个", "exact"),
            ("30个", "count", 30, "个", "exact"),
        ],
    ),
    (
        "全县粮食总产量同比增长2.6%，其中夏粮增长3.1%、秋粮下降1.2%。",
        [
            ("2.6%", "growth", 2.6, "%", "exact"),
            ("3.1%", "growth", 3.1, "%", "exact"),
            ("1.2%", "growth", -1.2, "%", "exact"),
        ],
    ),
    ("建成投用3至5个乡镇污水处理站。", [("3至5个", "count", 3, "个", "at_least")]),
    ("全县高中阶段毛入学率达95%以上。", [("95%以上", "percent", 95, "%", "at_least")]),
    ("热烈庆祝中国共产党成立100周年。", [("100周年", "count", 100, "周年", "exact")]),
    ("投资2.6亿元的污水处理厂二期工程开工建设。", [("2.6亿元", "amount", 2.6e8, "元", "exact")]),
    (
        "PM2.5平均浓度下降到32微克/立方米，全年空气质量优良天数达到300天。",
        [("32微克/立方米", "measure", 32, "微克/立方米", "exact"), ("300天", "count", 300, "天", "exact")],
    ),
    (
        "全县5A级景区1个、4A级景区3个，110千伏变电站2座。",
        [
            ("1个", "count", 1, "个", "exact"),
            ("3个", "count", 3, "个", "exact"),
            ("110千伏", "measure", 110, "千伏", "exact"),
            ("2座", "count", 2, "座", "exact"),
        ],
    ),
    (
        "全县总面积1013平方公里，常住人口28.7万人。",
        [
            ("1013平方公里", "measure", 1013, "平方公里", "exact"),
            ("28.7万人", "count", 2.87e5, "人", "exact"),
        ],
    ),
    (
        "全市纳税超亿元企业达到9家，接近一半的乡镇实现财政收入过千万元。",
        [
            ("超亿元", "threshold", 1e8, "元", "over"),
            ("9家", "count", 9, "家", "exact"),
            ("过千万元", "amount", 1e7, "元", "over"),
        ],
    ),
    (
        "全年共举办招商推介活动不少于20场，签约项目逾百个。",
        [("不少于20场", "count", 20, "场", "at_least"), ("逾百个", "count", 100, "个", "over")],
    ),
    (
        "年末全县户籍人口不足30万人，较上年减少0.8%。",
        [("不足30万人", "count", 3e5, "人", "under"), ("0.8%", "growth", -0.8, "%", "exact")],
    ),
    (
        "全县发放创业担保贷款１２００万元，带动就业８６０人。",
        [("１２００万元", "amount", 1.2e7, "元", "exact"), ("８６０人", "count", 860, "人", "exact")],
    ),
    (
        "2000元左右的补贴覆盖近两万户家庭。",
        [("2000元左右", "amount", 2000, "元", "approx"), ("近两万户", "count", 2e4, "户", "nearly")],
    ),
    ("第十四届全运会上，我县运动员获得第一名。", [("第一名", "rank", 1, "名", "exact")]),
    (
        "全县规模以上工业企业达到56家，比上年增加7家，增长14.3%。",
        [
            ("56家", "count", 56, "家", "exact"),
            ("7家", "count", 7, "家", "exact"),
            ("14.3%", "growth", 14.3, "%", "exact"),
        ],
    ),
    (
        "居民消费价格指数（CPI）上涨1.8%，出生率7.5‰。",
        [("1.8%", "growth", 1.8, "%", "exact"), ("7.5‰", "percent", 7.5, "‰", "exact")],
    ),
    (
        "举办各类文化活动200余场次，同比多增5场。",
        [("200余场次", "count", 200, "场次", "over"), ("5场", "count", 5, "场", "exact")],
    ),
    (
        "粮食总产量连续6年稳定在40万吨以上，森林覆盖率提高到45%。",
        [
            ("6年", "count", 6, "年", "exact"),
            ("40万吨以上", "measure", 4e5, "吨", "at_least"),
            ("45%", "percent", 45, "%", "exact"),
        ],
    ),
    (
        "每千人口拥有医师2.8人，万元GDP能耗下降3.2%。",
        [("2.8人", "count", 2.8, "人", "exact"), ("3.2%", "growth", -3.2, "%", "exact")],
    ),
    # A bare 千 is a figure only with a qualifier; 数十个 and 十几个 are vague, not figures.
    (
        "吸引千余人参加，近千名志愿者参与，数十个项目签约，十几个乡镇参与。",
        [("千余人", "count", 1000, "人", "over"), ("近千名", "count", 1000, "名", "nearly")],
    ),
    # 约 in 签约 and 过 in 经过 are not qualifiers; 3年 alone is a duration, not a count.
    ("最近3年来，经过3年努力，签约3个项目。", [("3个", "count", 3, "个", "exact")]),
    (
        "全县新建5G基站\n\n186个，实现乡镇全覆盖，完成造林2.3\n万亩。",
        [("186个", "count", 186, "个", "exact"), ("2.3\n万亩", "measure", 2.3e4, "亩", "exact")],
    ),
]

# Sentences that name things with numbers but state no quantity.
NOT_QUANTITIES = [
    "坚持“两个毫不动摇”，推动“三农”工作和“五比”活动，学习贯彻党的二十大精神。",
    "八泉峡、太行山大峡谷等景区四季皆景，吸引八方游客，万家灯火映照千年古县。",
    "G208、S226沿线实施绿化，创建国家4A级景区，推进5G网络建设。",
    "一项项惠民举措落地见效，一片片荒山披上绿装，一座座新居拔地而起。",
    "①全县重点项目建设现场\n②新建的文化广场",
    "2023年是全面贯彻党的二十大精神的开局之年。",
    "实施“千万工程”，推进“十四五”规划落实，打好“三大攻坚战”，实施“六大行动”。",
    "全力打造“三地一区”，以“121”农业工程为抓手，建设“四好农村路”。",
    "入选第二批国家级非遗名录，污水处理厂二期工程开工，二本上线率提高。",
    "坚持一张蓝图绘到底，一年接着一年干，千方百计稳增长，真正做到千家万户都满意。",
    "二〇二三年，全县上下齐心协力，以党建“第一责任”保障发展“第一要务”。",
    "学习贯彻党的二十届三中全会精神，树牢“四个意识”，做到“两个维护”。",
    "百折不挠的韧劲，只争朝夕的干劲，一心一意谋发展。",
    "实施“百千万工程”，推进千村示范、万村整治，开展百日攻坚，落实“三个一批”，选派第一书记。",
    "全县2023届高校毕业生就业工作有序推进，5A级景区创建进入冲刺阶段。",
]


@pytest.mark.parametrize(("sentence", "expected"), CASES, ids=[c[0][:12] for c in CASES])
def test_it_reads_every_quantity_of_a_sentence(sentence, expected):
    got = [(m.text, m.kind, m.value, m.unit, m.qualifier) for m in extract_mentions(sentence, doc_year=2022)]
    assert [g[0] for g in got] == [e[0] for e in expected]
    for g, e in zip(got, expected, strict=True):
        assert (g[1], g[3], g[4]) == (e[1], e[3], e[4]), g
        assert g[2] == pytest.approx(e[2], rel=1e-6), g


@pytest.mark.parametrize("sentence", NOT_QUANTITIES, ids=[s[:12] for s in NOT_QUANTITIES])
def test_it_finds_no_quantity_in_names_slogans_idioms_and_years(sentence):
    assert [m.text for m in extract_mentions(sentence, doc_year=2022)] == []


def _one(text: str, target: str, **kw):
    found = [m for m in extract_mentions(text, **kw) if m.text == target]
    assert len(found) == 1, [m.text for m in extract_mentions(text, **kw)]
    return found[0]


def test_it_takes_the_period_from_the_year_in_the_sentence():
    text = "2021年，全县完成造林3.2万亩。2022年，全县完成造林4.1万亩。"
    assert _one(text, "3.2万亩", doc_year=2022).period == "2021"
    assert _one(text, "4.1万亩", doc_year=2022).period == "2022"


def test_it_carries_the_year_through_the_paragraph_and_falls_back_to_the_document():
    text = "2021年，全县完成投资20亿元。新建道路12公里。\n新建学校3所。"
    assert _one(text, "12公里", doc_year=2023).period == "2021"
    assert _one(text, "3所", doc_year=2023).period == "2023"
    assert _one("新建学校3所。", "3所").period is None


def test_it_takes_the_year_of_a_section_heading():
    text = "一、2021年工作回顾\n全县新建学校3所。\n二、2022年工作安排\n计划新建学校5所。"
    assert _one(text, "3所", doc_year=2022).period == "2021"
    assert _one(text, "5所", doc_year=2022).period == "2022"


def test_it_reads_the_document_year_from_the_file_name():
    assert _one("全县新建学校3所。", "3所", doc_id="xx-county-2020-report").period == "2020"


def test_it_gives_no_period_to_spans_of_years_and_design_capacities():
    assert _one("2019—2021年，全县累计减税降费4.3亿元。", "4.3亿元", doc_year=2022).period is None
    assert _one("连续5年被评为先进县。", "5年", doc_year=2022).period is None
    assert _one("新建年产5.5万吨饲料生产线。", "5.5万吨", doc_year=2022).period is None
    assert _one("签约建设300MW风电项目。", "300MW", doc_year=2022).period is None


def test_it_takes_a_later_year_only_from_the_same_clause():
    assert _one("全县GDP达到120亿元，提前完成2025年目标。", "120亿元", doc_year=2022).period == "2022"
    assert _one("完成投资8亿元（2021年）。", "8亿元", doc_year=2022).period == "2021"


def test_it_gives_plan_periods_and_targets():
    assert _one("“十四五”期间，计划完成固定资产投资300亿元。", "300亿元", doc_year=2022).period == "2021-2025"
    assert _one("到2025年，全县城镇化率达到60%左右。", "60%左右", doc_year=2022).period == "2025"


def test_it_finds_the_base_of_a_change_or_multiple():
    assert _one("2022年，全县生产总值同比增长5.3%。", "5.3%").base_period == "2021"
    assert _one("2022年，财政收入比上年下降3.1%。", "3.1%").base_period == "2021"
    assert _one("2022年，财政收入较2019年增长31%。", "31%").base_period == "2019"
    assert _one("2022年，财政收入较2019年同比增长31%。", "31%").base_period == "2019"
    assert _one("2022年，生产总值是“十三五”末的1.3倍。", "1.3倍").base_period == "2020"
    assert _one("2022年，生产总值是2015年的2.1倍。", "2.1倍").base_period == "2015"
    assert _one("2022年，人口达到28万人。", "28万人").base_period is None


def test_it_does_not_take_a_base_year_for_the_period():
    m = _one("旅游收入较2019年增长45%。", "45%", doc_year=2022)
    assert (m.period, m.base_period) == ("2022", "2019")


def _subject_ok(got: str | None, want: str) -> bool:
    # The scorer's rule: character-level F1 against the reference of at least 0.5.
    got = got or ""
    common = sum(min(got.count(c), want.count(c)) for c in set(got))
    if not common:
        return False
    p, r = common / len(got), common / len(want)
    return 2 * p * r / (p + r) >= 0.5


SUBJECTS = [
    ("2022年，全县地区生产总值完成128.6亿元，同比增长5.3%。", "128.6亿元", "全县地区生产总值"),
    ("2022年，全县地区生产总值完成128.6亿元，同比增长5.3%。", "5.3%", "全县地区生产总值"),
    ("全县森林覆盖率达到52.3%，较“十三五”末提高4.1个百分点。", "4.1个百分点", "森林覆盖率"),
    ("实施省市重点项目42个，完成投资76.5亿元，其中亿元以上项目28个。", "28个", "亿元以上项目"),
    ("城区建成口袋公园12处，新增绿地面积18万平方米。", "12处", "口袋公园"),
    ("城区建成口袋公园12处，新增绿地面积18万平方米。", "18万平方米", "新增绿地面积"),
    ("新建的水厂投入使用，惠及9个乡镇6万余人。", "9个", "新建水厂受益乡镇"),
    ("全县经济增速位居全市第一。", "第一", "全县经济增速"),
    ("乡村振兴示范村分别达到15个、22个和30个。", "30个", "乡村振兴示范村"),
    ("全县60岁以上老年人口达到8.6万人。", "8.6万人", "60岁以上老年人口"),
    ("出台稳经济一揽子政策措施47条。", "47条", "稳经济政策措施"),
    ("全县新增市场主体4500余户，其中企业860户。", "860户", "企业"),
    ("崇文小学、育才中学等6所学校完成改造。", "6所", "学校"),
    ("财政收入16亿元，\n\n增长8.2%。", "8.2%", "财政收入"),
    ("全年生产总值（GDP）实现145.3亿元，按可比价格计算，比上年增长6.1%。", "6.1%", "生产总值"),
    ("全年全县累计完成固定资产投资89.6亿元，增长9.8%。", "9.8%", "固定资产投资"),
    ("存款余额达到256.7亿元，比年初增加21.3亿元。", "21.3亿元", "存款余额"),
    ("第一产业增加值21.3亿元，增长4.2%。", "4.2%", "第一产业增加值"),
    ("每千人口拥有执业（助理）医师2.8人。", "2.8人", "执业医师"),
    ("全县拥有卫生机构328个，其中医院9个，床位2150张。", "2150张", "床位"),
    ("小麦种植面积12.6万亩、玉米28.3万亩，分别增长2.1%和3.4%。", "2.1%", "小麦种植面积"),
    ("小麦种植面积12.6万亩、玉米28.3万亩，分别增长2.1%和3.4%。", "3.4%", "玉米种植面积"),
    ("户籍人口中，60周岁及以上人口6.8万人，占21.6%。", "21.6%", "60周岁及以上人口占比"),
    ("3家企业获评国家级专精特新“小巨人”企业。", "3家", "专精特新企业"),
    ("开行旅游专列6趟次。", "6趟次", "旅游专列"),
]


@pytest.mark.parametrize(("sentence", "target", "want"), SUBJECTS, ids=[s[1] for s in SUBJECTS])
def test_it_names_what_is_measured(sentence, target, want):
    got = _one(sentence, target, doc_year=2022).subject
    assert _subject_ok(got, want), got
