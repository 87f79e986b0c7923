"""Properties over arbitrary text: the reader never crashes and its spans always point at their text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from countyworks.textread import extract_mentions, parse_structure
from countyworks.textread.units import KINDS

# Characters the reader reacts to, so random text exercises its rules rather than passing through.
GENRE_CHARS = (
    "0123456789０１２３.%％/零一二两三四五六七八九十百千万亿第个件项人次元亩吨公里千瓦MW倍成余多以上下左右"
    "近超过约逾突破不足同比较增长下降提高百分点年月日全县的是，。；、：\n “”——①#（）()1.一、 十三五末期间连续级"
    "至到~～-今去明前《》如"
)
genre_text = st.text(alphabet=GENRE_CHARS, max_size=300)


def _check(text: str) -> None:
    for m in extract_mentions(text, doc_id="p"):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text
        assert m.kind in KINDS
        assert m.qualifier in ("exact", "approx", "nearly", "over", "at_least", "under")
        if m.value_high is not None:
            # Only a range has a high end, and it is further from zero than the low end.
            assert any(sep in m.text for sep in "至到~～-—－"), m
            assert abs(m.value_high) > abs(m.value), m


@settings(max_examples=400, deadline=None)
@given(genre_text)
def test_it_never_crashes_on_text_in_the_genre_alphabet(text):
    _check(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_it_never_crashes_on_any_text(text):
    _check(text)
    parse_structure(text)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "全县新建学校",
                "12所",
                "，",
                "。",
                "\n",
                "\n\n",
                "  \n",
                "完成投资",
                "3.5亿元",
                "增长",
                "6%",
                "2023年",
                "较上年",
                "一、工作回顾",
                "\n（一）",
                "八成以上",
            ]
        ),
        max_size=30,
    )
)
def test_spans_survive_line_breaks_anywhere(pieces):
    _check("".join(pieces))


# Pieces of report text with relative years and ranges, but no written year or plan label.
RELATIVE_PIECES = [
    "今年",
    "去年",
    "上年",
    "前年",
    "明年",
    "今年以来",
    "去年以来",
    "去年同期",
    "较上年",
    "同比",
    "比去年",
    "全县完成投资",
    "3.5亿元",
    "3至5个",
    "3-5万元",
    "增长",
    "6%",
    "新建学校",
    "12所",
    "如今年轻人",
    "《今年花胜去年红》",
    "，",
    "。",
    "\n",
    "二、明年工作安排\n",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(RELATIVE_PIECES), max_size=25), st.integers(1990, 2090))
def test_relative_years_resolve_near_the_document_year_and_never_without_it(pieces, year):
    text = "".join(pieces)
    _check(text)
    for m in extract_mentions(text, doc_id="report"):
        assert (m.period, m.base_period) == (None, None), m
    for m in extract_mentions(text, doc_id="report", doc_year=year):
        assert m.period in (None, *(str(year + d) for d in (-2, -1, 0, 1))), m
        assert m.base_period in (None, *(str(year + d) for d in (-4, -3, -2, -1, 0))), m


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 9999),
    st.integers(1, 9999),
    st.sampled_from(["至", "到", "-", "~", "～", "—"]),
    st.sampled_from([("", 1), ("万", 1e4), ("亿", 1e8), ("千万", 1e7)]),
    st.sampled_from(["元", "个", "人", "家", "亩"]),
)
def test_a_written_range_reads_back_both_ends(low, high, sep, scale, unit):
    text = f"全县计划完成{low}{sep}{high}{scale[0]}{unit}。"
    factor = scale[1]
    if low < high:
        expected = (low * factor, high * factor)
    elif factor > 1 and low >= 10 * high and low < high * factor:
        expected = (low, high * factor)  # 3000-5万元: the low end is written in 元 itself
    else:
        expected = None  # a pair that does not rise is not a range of a quantity
    mentions = extract_mentions(text, doc_year=2023)
    if expected is None:
        assert mentions == []
        return
    (m,) = mentions
    assert m.text == f"{low}{sep}{high}{scale[0]}{unit}"
    assert (m.value, m.value_high) == expected
