"""Texts other than work reports: statistical bulletins, target sections, progress reports, 督查通报 and
county news. Each class of figure the reader used to miss or misread has its own sentences here,
written for these tests (several per class, so no rule is tuned to one sentence)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from countyworks.textread import extract_mentions
from countyworks.textread.names import NAMES
from countyworks.textread.periods import find_month_spans
from countyworks.textread.tables import find_tables, unit_of


def _read(text: str, year: int | None = 2024):
    return [(m.text, m.kind, m.value, m.unit) for m in extract_mentions(text, doc_id="t", doc_year=year)]


# -- names read as counts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "推动三次产业协调发展。",
        "三次产业结构持续优化。",
        "引进汽车零部件企业。",
        "电机零部件产业园开工。",
        "县人民医院二期主体完工。",
        "加快产业园三期、物流园四期建设。",
        "县第十三届人民代表大会第三次会议召开。",
        "第5、6件民生实事已完成。",
        "第三至五批项目已开工。",
        "实行一站式服务和一次性告知。",
        "他三天两头往工地跑。",
    ],
)
def test_it_reads_no_count_in_a_name_or_an_ordinal(text):
    assert _read(text) == []


def test_it_still_counts_sessions_and_the_items_an_ordinal_list_is_about():
    assert _read("举办县处级干部四期读书班。") == [("四期", "count", 4, "期")]
    assert _read("培训分两期进行，共培训学员320人。") == [
        ("两期", "count", 2, "期"),
        ("320人", "count", 320, "人"),
    ]
    assert _read("第2、3项任务涉及资金1.2亿元。") == [("1.2亿元", "amount", 1.2e8, "元")]


# -- structures: ratios, tables, ‰ -------------------------------------------------------------------


def test_it_reads_each_part_of_a_structure_as_a_share_without_a_unit():
    got = extract_mentions("全县三次产业结构调整为12.6:35.8:51.6。", doc_id="t", doc_year=2024)
    assert [(m.text, m.kind, m.value, m.unit) for m in got] == [
        ("12.6", "percent", 12.6, ""),
        ("35.8", "percent", 35.8, ""),
        ("51.6", "percent", 51.6, ""),
    ]
    assert all("产业结构" in (m.subject or "") for m in got)


def test_it_does_not_read_a_clock_time_as_a_structure():
    assert _read("会议于8:30开始。") == []


def test_it_reads_per_mille_rates_and_their_sign():
    assert _read("人口出生率6.8‰，自然增长率为-0.9‰。") == [
        ("6.8‰", "percent", 6.8, "‰"),
        ("-0.9‰", "percent", -0.9, "‰"),
    ]


def test_it_reads_one_mention_per_table_cell_with_the_header_unit():
    text = "单位：亿元\n| 指 标 | 金额 | 比上年增长(%) |\n| --- | --- | --- |\n| 税 收 | 12.5 | -3.1 |\n| 非 税 | 4.2 | 8 |\n"
    got = extract_mentions(text, doc_id="t", doc_year=2024)
    assert [(m.text, m.kind, m.value, m.unit, m.subject) for m in got] == [
        ("12.5", "amount", 1.25e9, "元", "税收金额"),
        ("-3.1", "growth", -3.1, "%", "税收金额"),
        ("4.2", "amount", 4.2e8, "元", "非税金额"),
        ("8", "growth", 8, "%", "非税金额"),
    ]
    assert got[1].base_period == "2023"


def test_it_reads_a_tab_separated_table_too():
    text = "乡镇\t面积(平方公里)\t人口(万人)\n龙泉镇\t186.4\t3.2\n石门乡\t92\t1.1\n"
    assert _read(text) == [
        ("186.4", "measure", 186.4, "平方公里"),
        ("3.2", "count", 3.2e4, "人"),
        ("92", "measure", 92, "平方公里"),
        ("1.1", "count", 1.1e4, "人"),
    ]


def test_it_knows_the_units_a_header_writes():
    assert unit_of("万吨") == ("吨", "measure", 1e4)
    assert unit_of("%") == ("%", "percent", 1.0)
    assert unit_of("亿元") == ("元", "amount", 1e8)
    assert unit_of("公顷") == ("公顷", "measure", 1.0)
    assert unit_of("说明") is None


# -- counts that lead a clause -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "40座农村公厕改造已完成31座（78%）。",
            [("40座", "count", 40, "座"), ("31座", "count", 31, "座"), ("78%", "percent", 78, "%")],
        ),
        ("9个社区食堂建设已建成5个。", [("9个", "count", 9, "个"), ("5个", "count", 5, "个")]),
        ("主体工程施工中（60%）。", [("60%", "percent", 60, "%")]),
        (
            "15处口袋公园已完工12处，完成率80%。",
            [("15处", "count", 15, "处"), ("12处", "count", 12, "处"), ("80%", "percent", 80, "%")],
        ),
    ],
)
def test_it_reads_planned_and_done_counts_and_the_share(text, expected):
    assert _read(text) == expected


def test_a_share_in_brackets_is_of_what_the_count_before_counts():
    got = extract_mentions("12个老旧小区改造已完成9个（75%）。", doc_id="t", doc_year=2024)
    assert got[-1].subject == got[-2].subject


# -- glued and rarer units -------------------------------------------------------------------------


def test_it_reads_a_figure_right_after_an_acronym():
    assert _read("全县GDP356.2亿元，CPI上涨1.1%，PPI下降0.4%。") == [
        ("356.2亿元", "amount", 3.562e10, "元"),
        ("1.1%", "growth", 1.1, "%"),
        ("0.4%", "growth", -0.4, "%"),
    ]


def test_a_single_letter_or_pm_before_a_number_is_a_name():
    assert _read("G207国道改造完成，B1栋封顶，PM2.5年均浓度32微克/立方米。") == [
        ("32微克/立方米", "measure", 32, "微克/立方米")
    ]


def test_it_reads_temperatures_days_and_phases():
    assert _read("最高气温25℃，活动为期三天，工程分两期实施。") == [
        ("25℃", "measure", 25, "℃"),
        ("三天", "count", 3, "天"),
        ("两期", "count", 2, "期"),
    ]


# -- implied comparison ------------------------------------------------------------------------------


def test_a_growth_with_no_comparison_written_is_year_on_year():
    got = extract_mentions("2024年，工业增加值18.3亿元，增长4.2%。", doc_id="t")
    assert (got[1].period, got[1].base_period) == ("2024", "2023")


def test_a_growth_against_an_average_or_a_schedule_has_no_base_year():
    got = extract_mentions("2024年，增速高于全市平均水平1.2个百分点，进度低于序时进度8个百分点。", doc_id="t")
    assert [m.base_period for m in got] == [None, None]


# -- partial-year periods ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, months",
    [
        ("1-10月，全县建筑业总产值38.9亿元。", (1, 10)),
        ("截至9月底，累计完成投资71.4亿元。", (1, 9)),
        ("一季度，限额以上零售额增长8.1%。", (1, 3)),
        ("前三季度，新增就业1500人。", (1, 9)),
        ("上半年，接待游客520万人次。", (1, 6)),
        ("全年接待游客1265万人次。", None),
    ],
)
def test_it_keeps_the_months_of_a_partial_year_and_the_year_as_period(text, months):
    (m,) = extract_mentions(text, doc_id="t", doc_year=2024)
    assert m.months == months
    assert m.period == "2024"
    assert "months" not in m.as_dict()


def test_a_date_is_not_a_part_of_the_year():
    assert find_month_spans("10月1日开幕，9月底前完工") == []


# -- properties ---------------------------------------------------------------------------------------

_FILLER = st.sampled_from(["全县", "新增", "完成", "，", "。", "2024年", "增长", "3.5%", "12个", "的", "\n"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_FILLER, st.sampled_from(NAMES)), max_size=12))
def test_no_mention_falls_inside_a_name_from_the_list(parts):
    text = "".join(parts)
    spans = []
    pos = 0
    for part in parts:
        if part in NAMES:
            spans.append((pos, pos + len(part)))
        pos += len(part)
    for m in extract_mentions(text, doc_id="p", doc_year=2024):
        for start, end in spans:
            assert not (m.start < end and start < m.end), (m, text[start:end])


_CELL = st.one_of(
    st.from_regex(r"-?[0-9]{1,4}(\.[0-9]{1,2})?", fullmatch=True),
    st.sampled_from(["3.5亿元", "12个5万吨", "增长6%和8%", "—", "", "粮 食", "第一", "8:30:12", "1-9月"]),
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["产量(万吨)", "增速(%)", "金额(亿元)", "说明", "人数(人)"]), min_size=2, max_size=4
    ),
    st.lists(st.lists(_CELL, min_size=1, max_size=4), min_size=1, max_size=5),
)
def test_each_table_cell_holds_at_most_one_mention(header, rows):
    header = ["产量(万吨)", *header]  # a figure table: at least one column gives a unit
    lines = ["| 项 目 | " + " | ".join(header) + " |", "| --- |" + " --- |" * len(header)]
    lines += ["| 行 | " + " | ".join(row) + " |" for row in rows]
    text = "\n".join(lines) + "\n"
    mentions = extract_mentions(text, doc_id="p", doc_year=2024)
    (table,) = find_tables(text)
    for start, end in table.spans:
        inside = [m for m in mentions if start <= m.start < end]
        assert len(inside) <= 1, (text[start:end], inside)


def test_lines_with_tabs_but_no_header_unit_are_read_as_prose():
    text = "全县新建学校3所\t完成投资2.1亿元\n改造道路12公里\t惠及群众1.2万人\n"
    assert [m.text for m in extract_mentions(text, doc_id="t", doc_year=2024)] == [
        "3所",
        "2.1亿元",
        "12公里",
        "1.2万人",
    ]
