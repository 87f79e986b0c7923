from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from countyworks.textread import extract_mentions, parse_chinese, parse_number, to_chinese


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("二十五", 25),
        ("两千", 2000),
        ("一百零八", 108),
        ("十", 10),
        ("十五", 15),
        ("三千五百万", 3.5e7),
        ("一亿二千万", 1.2e8),
        ("百亿", 1e10),
        ("千万", 1e7),
        ("万", 1e4),
        ("十万零一", 100001),
        ("1.5亿", 1.5e8),
        ("28万", 2.8e5),
        ("3千万", 3e7),
        ("１２３", 123),
        ("12,500", 12500),
        ("1/6", 1 / 6),
        ("三分之一", 1 / 3),
        ("百分之三十", 0.3),
    ],
)
def test_it_reads_numbers_as_written(written, value):
    assert parse_number(written) == pytest.approx(value)


@pytest.mark.parametrize("written", ["十四五", "十三五", "三五", "二〇二三", "十百", "万万", "", "abc"])
def test_it_rejects_labels_and_digit_strings(written):
    assert parse_number(written) is None


@given(st.integers(min_value=0, max_value=10**15))
def test_it_reads_back_any_integer_written_in_chinese(n):
    assert parse_chinese(to_chinese(n)) == n


@given(st.integers(min_value=2, max_value=10**8))
def test_it_finds_a_chinese_count_in_a_sentence(n):
    written = to_chinese(n)
    mentions = extract_mentions(f"全县新建学校{written}所，均已投入使用。")
    assert [(m.text, m.value, m.unit) for m in mentions] == [(f"{written}所", n, "所")]


@given(st.integers(min_value=1, max_value=10**9), st.sampled_from(["", "万", "亿"]))
def test_it_scales_arabic_amounts(n, scale):
    factor = {"": 1, "万": 1e4, "亿": 1e8}[scale]
    (m,) = extract_mentions(f"完成投资{n}{scale}元。")
    assert m.value == pytest.approx(n * factor) and m.unit == "元" and m.kind == "amount"


def test_it_reads_ten_ten_thousands_but_not_the_idioms_around_it():
    assert [(m.text, m.value) for m in extract_mentions("惠及群众十万人。")] == [("十万人", 100000)]
    assert extract_mentions("任务十万火急，路途十万八千里。") == []
