"""The pure wording rules of the review (countyworks.wording): no database, no Django."""

from __future__ import annotations

import pytest

from countyworks import wording


@pytest.mark.parametrize(
    ("unit", "qualifier", "kind"),
    [
        ("期", "exact", "count"),
        ("个", "exact", "count"),
        ("届", "exact", "count"),
        ("%", "exact", "share"),
        ("亿元", "exact", "amount"),
        ("元", "exact", "amount"),
        ("MW", "exact", "amount"),
        ("人次", "over", "qualified"),
        ("元", "nearly", "qualified"),
    ],
)
def test_a_figure_is_phrased_by_its_kind_and_qualifier(unit, qualifier, kind):
    assert wording.figure_kind(unit, qualifier) == kind


@pytest.mark.parametrize(
    ("first", "second", "joined"),
    [
        ("八泉峡景区", "景区收入", "八泉峡景区收入"),
        ("壶关高测新材料科技有限公司", "企业上缴税金", "壶关高测新材料科技有限公司企业上缴税金"),
        ("县人民医院", "医院门诊量", "县人民医院门诊量"),
        ("甲乙", "丙丁", "甲乙丙丁"),
    ],
)
def test_joined_names_never_repeat_their_shared_words(first, second, joined):
    assert wording.join_without_overlap(first, second) == joined
    assert not wording.doubled_words(wording.join_without_overlap(first, second))


def test_a_name_ending_in_the_unit_drops_it_before_the_figure():
    assert wording.drop_unit_echo("接待游客人次", "人次") == "接待游客"
    assert wording.drop_unit_echo("接待游客人次", "万人次") == "接待游客"
    # A one-character unit is part of words (受益人口 … 人) and stays.
    assert wording.drop_unit_echo("受益人口", "人") == "受益人口"
    assert wording.drop_unit_echo("人次", "人次") == "人次"


def test_stated_totals_are_matched_to_the_kind_of_item_they_count():
    assert wording.stated_total_kind("整改事项") == "rectification"
    assert wording.stated_total_kind("县级领导干部领题调研课题") == "research"
    assert wording.stated_total_kind("年初承诺民生实事（已兑现）") == "livelihood"
    assert wording.stated_total_kind("战略性新兴产业总产值") is None


def test_a_note_quotes_the_sentence_a_span_sits_in():
    text = "第一句话。全县总产值近25亿元，是五年前的5倍。第三句。"
    start = text.index("近25亿元")
    assert wording.sentence_around(text, start, start + 6) == "全县总产值近25亿元，是五年前的5倍。"
    assert wording.sentence_around("", 0, 1) == ""
    assert wording.sentence_around(text, 5, 500) == ""
    long = "甲" * 300 + "目标" + "乙" * 300 + "。"
    quoted = wording.sentence_around(long, 300, 302, limit=40)
    assert "目标" in quoted and quoted.startswith("…") and len(quoted) <= 42


def test_doubled_two_character_words_are_found_and_single_reduplication_is_not():
    assert wording.doubled_words("八泉峡景区景区收入") == ["景区"]
    assert wording.doubled_words("常常看看，人人参与") == []
    assert wording.doubled_words("完成100100项") == []
