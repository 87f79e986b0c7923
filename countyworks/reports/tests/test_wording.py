"""Chinese number formatting (countyworks.wording) and the area mapping (pure modules, no database)."""

from decimal import Decimal

import pytest

from countyworks import wording
from countyworks.reports import areas


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "style", "expected"),
    [
        ("2500000000", "元", "nearly", "", "近25亿元"),
        ("25", "亿元", "nearly", "", "近25亿元"),
        ("4400000", "人次", "over", "超", "超440万人次"),
        ("300000000", "元", "over", "突破", "突破3亿元"),
        ("280000", "人", "over", "余", "28万余人"),
        ("12", "万人", "approx", "", "约12万人"),
        ("500", "亩", "at_least", "", "500亩以上"),
        ("3", "%", "under", "", "不足3%"),
        ("1234567", "元", "exact", "", "123.5万元"),
        ("16", "件", "exact", "", "16件"),
        ("24.800", "亿元", "exact", "", "24.8亿元"),
        # The portal's figures, once written by a copy of this module (portal/wording.py); one
        # wording now serves both, see docs/reports.md.
        ("41.2", "亿元", "over", "", "超41.2亿元"),
        ("104.000000", "亿元", "nearly", "", "近104亿元"),
        ("280000", "人", "exact", "", "28万人"),
        ("35", "项", "at_least", "", "35项以上"),
        ("3.5", "%", "approx", "", "约3.5%"),
        ("12", "万元", "under", "", "不足12万元"),
        # No thousands separators: a figure large enough to need them is scaled to 万/亿 instead.
        ("9999", "人", "exact", "", "9999人"),
        ("2000", "亿元", "exact", "", "2000亿元"),
    ],
)
def test_it_formats_quantities_the_way_a_chinese_reader_expects(value, unit, qualifier, style, expected):
    assert wording.format_quantity(Decimal(value), unit, qualifier, style) == expected


def test_it_writes_plain_numbers_without_trailing_zeros_or_separators():
    assert wording.plain_number(Decimal("12.500000")) == "12.5"
    assert wording.plain_number(Decimal("3000.00")) == "3000"
    assert wording.plain_number(Decimal("-0.25")) == "-0.25"
    assert wording.plain_number(12.5) == "12.5"
    assert wording.plain_number(None) == ""


def test_it_does_not_print_false_precision():
    # 1/3 of a 亿 is not 0.333333…亿; four significant digits at most, two decimals at most.
    assert wording.format_quantity(Decimal("100000000") / 3, "元") == "3333万元"
    assert wording.format_percent(Decimal("216.04")) == "216%"
    assert wording.format_percent(Decimal("11.607")) == "11.6%"
    assert wording.format_multiple(Decimal("4.96")) == "5倍"


def test_it_reads_the_over_style_from_the_cited_span():
    assert wording.qualifier_style("突破3亿元", "over") == "突破"
    assert wording.qualifier_style("28万余人", "over") == "余"
    assert wording.qualifier_style("", "over") == "超"
    assert wording.qualifier_style("近25亿元", "nearly") == ""


def test_it_words_a_fall_as_a_fall():
    assert wording.growth_verb(Decimal("-3.2")) == "下降"
    assert wording.format_percent(Decimal("-3.2")) == "3.2%"


def test_it_counts_cjk_characters_as_two_columns():
    assert wording.display_width("台账") == 4
    assert wording.display_width("A1") == 2
    assert wording.display_width("（一）") == 6


def test_it_numbers_headings_in_the_official_style():
    assert [wording.section_number(i) for i in range(3)] == ["一、", "二、", "三、"]
    assert wording.subsection_number(1) == "（二）"
    assert [wording.subsection_number(i) for i in (9, 10, 15, 19, 22)] == [
        "（十）",
        "（十一）",
        "（十六）",
        "（二十）",
        "（二十三）",
    ]


def test_it_maps_records_to_areas_of_work():
    assert areas.area_from_text("文旅") == areas.RURAL_TOURISM
    assert areas.area_from_text("经济") == areas.PARTY_ECONOMY
    assert areas.area_from_text("safety") == areas.SAFETY
    assert areas.area_from_text("其他") is None
    assert areas.item_area("livelihood", ["安全稳定"], "x") == areas.LIVELIHOOD_CITY
    # The nearest node decides: a safety task group under the economy branch is safety.
    assert areas.item_area("campaign", ["经济发展", "安全生产"], "x") == areas.SAFETY
    assert areas.item_area("routine", [], "无关键词") == areas.DEFAULT_AREA


def test_a_double_scale_word_is_undone_in_full():
    from countyworks.wording import base_unit

    assert base_unit(Decimal("1.2"), "万亿元") == (Decimal("1200000000000.0"), "元")
    assert base_unit(Decimal("25"), "亿元") == (Decimal("2500000000"), "元")
    assert base_unit(Decimal("3"), "万") == (Decimal("3"), "万")  # a bare scale word is the unit itself
