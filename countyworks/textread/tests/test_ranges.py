"""Ranges (3至5个, 3-5万元): one mention over the whole range, the low end in `value` (what the JSON
Lines format carries), the high end in `value_high`, and scale words applied to both ends."""

from __future__ import annotations

import json

import pytest

from countyworks.textread import extract_mentions

# (sentence, span, value, value_high, unit, qualifier, kind)
RANGES = [
    ("全县计划新建乡镇污水处理站3至5个。", "3至5个", 3, 5, "个", "at_least", "count"),
    ("每个脱贫村补助3-5万元。", "3-5万元", 3e4, 5e4, "元", "at_least", "amount"),
    ("项目计划投资5到8亿元。", "5到8亿元", 5e8, 8e8, "元", "at_least", "amount"),
    ("每年培育专精特新企业10~20家。", "10~20家", 10, 20, "家", "at_least", "count"),
    ("全县粮食产量连续三至五年稳定增长。", "三至五年", 3, 5, "年", "at_least", "count"),
    ("新建冷链仓储设施投资3—5亿元。", "3—5亿元", 3e8, 5e8, "元", "at_least", "amount"),
    ("光伏项目总投资1.5～2.0亿元。", "1.5～2.0亿元", 1.5e8, 2e8, "元", "at_least", "amount"),
    ("每年吸引游客十至二十万人次。", "十至二十万人次", 1e5, 2e5, "人次", "at_least", "count"),
    ("争取上级资金三至五千万元。", "三至五千万元", 3e7, 5e7, "元", "at_least", "amount"),
    ("每户补贴3000-5万元不等。", "3000-5万元", 3000, 5e4, "元", "at_least", "amount"),
    ("单个项目奖励3万-5万元。", "3万-5万元", 3e4, 5e4, "元", "at_least", "amount"),
    ("每场活动吸引群众二到三千人。", "二到三千人", 2000, 3000, "人", "at_least", "count"),
    ("每村增收3至5余万元。", "3至5余万元", 3e4, 5e4, "元", "over", "amount"),
    # A qualifier word wins over the range's own.
    ("全年带动就业近3至5万人。", "近3至5万人", 3e4, 5e4, "人", "nearly", "count"),
    ("每个乡镇建设约3-5个示范点。", "约3-5个", 3, 5, "个", "approx", "count"),
    ("建成3至5个以上的示范园区。", "3至5个以上", 3, 5, "个", "at_least", "threshold"),
    # Changes: a fall is negative at both ends.
    ("全县能耗强度计划下降3-5个百分点。", "3-5个百分点", -3, -5, "百分点", "at_least", "growth"),
    ("力争农民收入增长6至8%。", "6至8%", 6, 8, "%", "at_least", "growth"),
    # The unit written on both ends: still one range, each end scaled by its own scale word, the kind
    # that of the first end (a percent after 增长 is a growth).
    ("力争农民收入增长6%-8%。", "6%-8%", 6, 8, "%", "at_least", "growth"),
    ("力争农民收入增长6%至8%。", "6%至8%", 6, 8, "%", "at_least", "growth"),
    ("单位能耗下降6%-8%。", "6%-8%", -6, -8, "%", "at_least", "growth"),
    ("力争农民收入增长6%-8%左右。", "6%-8%左右", 6, 8, "%", "approx", "growth"),
    ("单个项目奖励5万-8万元。", "5万-8万元", 5e4, 8e4, "元", "at_least", "amount"),
    ("单个项目奖励5万元-8万元。", "5万元-8万元", 5e4, 8e4, "元", "at_least", "amount"),
    ("项目计划投资3亿元至5亿元。", "3亿元至5亿元", 3e8, 5e8, "元", "at_least", "amount"),
    ("争取上级资金三亿元至五亿元。", "三亿元至五亿元", 3e8, 5e8, "元", "at_least", "amount"),
    ("单个项目投资3千万元至1亿元。", "3千万元至1亿元", 3e7, 1e8, "元", "at_least", "amount"),
    ("每个乡镇新建示范点3个-5个。", "3个-5个", 3, 5, "个", "at_least", "count"),
    ("粮食产量连续3年至5年稳定增长。", "3年至5年", 3, 5, "年", "at_least", "count"),
]


@pytest.mark.parametrize(
    ("sentence", "span", "value", "high", "unit", "qualifier", "kind"), RANGES, ids=[r[1] for r in RANGES]
)
def test_it_reads_a_range_as_one_mention_with_both_ends(sentence, span, value, high, unit, qualifier, kind):
    mentions = extract_mentions(sentence, doc_year=2023)
    assert [m.text for m in mentions] == [span]
    m = mentions[0]
    assert sentence[m.start : m.end] == span  # the span covers the whole range text
    assert m.value == pytest.approx(value, rel=1e-9)
    assert m.value_high == pytest.approx(high, rel=1e-9)
    assert (m.unit, m.qualifier, m.kind) == (unit, qualifier, kind)


def test_a_figure_that_is_not_a_range_has_no_high_end():
    for m in extract_mentions("全县完成投资12亿元，新建学校3所，增长5.2%，排名第3。", doc_year=2023):
        assert m.value_high is None, m


def test_the_json_lines_format_is_unchanged_and_carries_the_low_end():
    (m,) = extract_mentions("每个脱贫村补助3-5万元。", doc_id="d", doc_year=2023)
    d = m.as_dict()
    assert list(d) == [
        "doc",
        "start",
        "end",
        "text",
        "kind",
        "value",
        "unit",
        "qualifier",
        "subject",
        "period",
        "base_period",
    ]
    assert d["value"] == 30000
    assert isinstance(d["value"], int)
    json.dumps(d, ensure_ascii=False)


NOT_RANGES = [
    # Dates and spans of years are periods, not ranges of a quantity.
    "3-5月，全县重点项目陆续开工。",
    "2023-2024年度全县项目建设稳步推进。",
    "2023—2024年，全县持续推进乡村振兴。",
    # A duration of years is read only after 连续, as without a range.
    "力争用三至五年时间建成省级示范县。",
    # Labels stay labels.
    "“十三五”期间打下基础，“十四五”开局良好。",
    # The tail of a rank range is not a count, and a pair that does not rise is not a range.
    "全县营商环境评价进入全市第3-5名。",
    "编号为5-3个别批次的问题已整改。",
    # No unit: nothing is measured.
    "补助标准为3-5万。",
]


@pytest.mark.parametrize("sentence", NOT_RANGES, ids=[s[:10] for s in NOT_RANGES])
def test_it_does_not_make_ranges_of_dates_labels_or_falling_pairs(sentence):
    assert [m.text for m in extract_mentions(sentence, doc_year=2023)] == []


def test_a_year_span_before_a_figure_is_not_a_range_and_gives_it_no_period():
    (m,) = extract_mentions("2021-2023年，全县累计新建学校12所。", doc_year=2023)
    assert (m.text, m.value, m.value_high, m.period) == ("12所", 12, None, None)


def test_a_plan_label_beside_a_range_stays_a_label():
    mentions = extract_mentions("“十三五”期间，全县新建寄宿制学校3至5所。", doc_year=2023)
    assert [(m.text, m.value, m.value_high, m.period) for m in mentions] == [("3至5所", 3, 5, "2016-2020")]


def test_a_range_with_the_unit_on_both_ends_is_read_like_one_with_the_unit_once():
    (once,) = extract_mentions("力争农民收入增长6至8%。", doc_year=2023)
    (both,) = extract_mentions("力争农民收入增长6%至8%。", doc_year=2023)
    assert both.subject == once.subject == "农民收入"
    assert (both.kind, both.value, both.value_high, both.period) == ("growth", 6, 8, "2023")
    assert both.as_dict()["value"] == 6


# (sentence, [(text, kind, value)]): figures that sit next to each other but are no range of one unit.
NOT_ONE_RANGE = [
    # Two figures in a list are two figures.
    ("城乡居民收入分别增长6%、8%。", [("6%", "growth", 6), ("8%", "growth", 8)]),
    ("城乡居民收入分别增长6%和8%。", [("6%", "growth", 6), ("8%", "growth", 8)]),
    ("完成投资3亿元，5亿元用于基础设施。", [("3亿元", "amount", 3e8), ("5亿元", "amount", 5e8)]),
    # Different units at the two ends: a percent then an amount is no range of one quantity, and the
    # reader does not guess which end was mistyped, so each end stays the figure it is on its own.
    ("营业收入增长6%-8亿元。", [("6%", "growth", 6), ("8亿元", "amount", 8e8)]),
    # A pair that does not rise is no range: both ends are read as before ranges were tried.
    ("农民收入增长8%-6%。", [("8%", "growth", 8), ("6%", "percent", 6)]),
    # Ranks are not ranges of a quantity.
    ("全县营商环境评价进入全市第3名-第5名。", [("第3名", "rank", 3), ("第5名", "rank", 5)]),
    # Dates: months are not a unit, and a span of years (年 without 连续) is no count.
    ("2023年3月-5月，全县重点项目陆续开工。", []),
    ("2023年-2024年，全县新建学校12所。", [("12所", "count", 12)]),
]


@pytest.mark.parametrize(("sentence", "expected"), NOT_ONE_RANGE, ids=[s[:12] for s, _ in NOT_ONE_RANGE])
def test_it_keeps_neighbouring_figures_that_are_not_one_range_apart(sentence, expected):
    mentions = extract_mentions(sentence, doc_year=2023)
    assert [(m.text, m.kind, m.value) for m in mentions] == expected
    assert all(m.value_high is None for m in mentions)
