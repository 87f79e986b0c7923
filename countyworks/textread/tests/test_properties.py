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
)
genre_text = st.text(alphabet=GENRE_CHARS, max_size=300)


def _check(text: str) -> None:
    for m in extract_mentions(text, doc_id="p"):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text
        assert m.kind in KINDS
        assert m.qualifier in ("exact", "approx", "nearly", "over", "at_least", "under")


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
