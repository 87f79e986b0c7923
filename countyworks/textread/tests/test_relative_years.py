"""Relative years (今年, 去年, 上年, 前年, 明年) resolved against the document's year, and left without a
period when that year is not known. Sentences written for these tests in the genre of work reports."""

from __future__ import annotations

import pytest

from countyworks.textread import extract_mentions
from countyworks.textread.periods import BASE, PERIOD, SPAN, find_relative_years


def _one(text: str, target: str, **kw):
    found = [m for m in extract_mentions(text, **kw) if m.text == target]
    assert len(found) == 1, [m.text for m in extract_mentions(text, **kw)]
    return found[0]


# (text, figure, period, base_period) in a document of 2023
RESOLVED = [
    ("今年全县完成固定资产投资15亿元。", "15亿元", "2023", None),
    ("今年以来，全县新建村级卫生室6所。", "6所", "2023", None),
    ("今年上半年，全县接待游客80万人次。", "80万人次", "2023", None),
    ("去年全县完成造林2.1万亩。", "2.1万亩", "2022", None),
    ("截至去年底，全县市场主体达到1.6万户。", "1.6万户", "2022", None),
    ("上年末全县各项存款余额120亿元。", "120亿元", "2022", None),
    ("上年度全县新增就业3100人。", "3100人", "2022", None),
    ("前年全县建成高标准农田4万亩。", "4万亩", "2021", None),
    ("明年力争新建改建农村公路60公里。", "60公里", "2024", None),
    ("今年全县财政收入同比增长6.2%。", "6.2%", "2023", "2022"),
    ("今年全县粮食产量比上年增长2.4%。", "2.4%", "2023", "2022"),
    ("今年社会消费品零售总额较去年增长7%。", "7%", "2023", "2022"),
    ("今年一般公共预算收入与去年同期相比增长9.1%。", "9.1%", "2023", "2022"),
    ("今年城镇居民收入比去年同期增长5.5%。", "5.5%", "2023", "2022"),
    ("今年旅游收入较前年增长41%。", "41%", "2023", "2021"),
    ("今年全县工业总产值是去年的1.4倍。", "1.4倍", "2023", "2022"),
    # No year before the figure: the document's year, and 同比 compares with the year before it.
    ("全县地区生产总值完成98亿元，同比增长4.8%。", "4.8%", "2023", "2022"),
    # A comparison with last year does not make the figure last year's.
    ("全县完成投资12亿元，比去年增加2亿元。", "12亿元", "2023", None),
    ("全县完成投资12亿元，超过去年的水平。", "12亿元", "2023", None),
    # An explicit year in the sentence is nearer than the document's and wins.
    ("2021年，全县新建学校3所，今年又新建5所。", "3所", "2021", None),
    ("2021年，全县新建学校3所，今年又新建5所。", "5所", "2023", None),
    # 去年以来 runs from last year to now: a span of years, no single period.
    ("去年以来，全县累计减税降费2.3亿元。", "2.3亿元", None, None),
]


@pytest.mark.parametrize(("text", "target", "period", "base"), RESOLVED, ids=[r[0][:14] for r in RESOLVED])
def test_it_resolves_relative_years_against_the_document_year(text, target, period, base):
    m = _one(text, target, doc_year=2023)
    assert (m.period, m.base_period) == (period, base)


def test_it_reads_the_document_year_from_the_id_when_none_is_given():
    m = _one("今年全县财政收入同比增长6.2%。", "6.2%", doc_id="some-county-2024-review")
    assert (m.period, m.base_period) == ("2024", "2023")
    assert _one("去年新建学校3所。", "3所", doc_id="some-county-2024-review").period == "2023"


@pytest.mark.parametrize("text", [r[0] for r in RESOLVED], ids=[r[0][:14] for r in RESOLVED])
def test_it_leaves_relative_years_unresolved_without_a_document_year(text):
    for m in extract_mentions(text, doc_id="report"):
        if "2021年" in text and m.text == "3所":
            assert m.period == "2021"  # the written year still counts
            continue
        assert (m.period, m.base_period) == (None, None), m


def test_it_does_not_guess_a_relative_year_from_the_years_the_text_mentions():
    # Without the relative word the most mentioned year is the fallback; with it, nothing is guessed.
    text = "2021年，全县新建学校2所。2021年，新建幼儿园1所。\n今年新建学校3所。\n新建公园4处。"
    assert _one(text, "2所", doc_id="report").period == "2021"
    assert _one(text, "3所", doc_id="report").period is None
    assert _one(text, "4处", doc_id="report").period == "2021"


def test_a_heading_with_a_relative_year_gives_its_section_a_period():
    text = "一、今年工作回顾\n全县新建学校3所。\n二、明年工作安排\n计划新建学校5所。"
    assert _one(text, "3所", doc_year=2023).period == "2023"
    assert _one(text, "5所", doc_year=2023).period == "2024"
    assert _one(text, "3所", doc_id="report").period is None
    assert _one(text, "5所", doc_id="report").period is None


# Each sentence has 2021年 before the figure; a relative year read where there is none would be nearer
# and give the figure the document's year (2023) instead.
NOT_RELATIVE = [
    "2021年，如今年轻人返乡创业120人。",
    "2021年，线上年货节销售额达到3亿元。",
    "2021年，马上年底时新建学校3所。",
    "2021年，文艺团体演出《今年花胜去年红》30场。",
    "2021年，“今年红”苹果合作社带动农户200户。",
    "2021年，过去年份积累的问题整改了12件。",
    "2021年，目前年度任务完成80%。",
    "2021年，说明年度目标的文件印发了3份。",
    "2021年，加上年终奖励共发放50万元。",
    "2021年，失去年轻劳动力的村有4个。",
]


@pytest.mark.parametrize("text", NOT_RELATIVE, ids=[t[6:18] for t in NOT_RELATIVE])
def test_it_does_not_read_relative_years_inside_other_words_names_or_titles(text):
    mentions = extract_mentions(text, doc_year=2023)
    assert mentions
    assert {m.period for m in mentions} == {"2021"}


def test_the_relative_year_finder_gives_roles_and_years():
    text = "今年比去年增长5%，前年以来累计3亿元，明年力争4亿元，上年同期为2亿元，去年以来增长。"
    refs = find_relative_years(text, 2023)
    got = [(text[r.start : r.end], r.role, r.year if r.year_known else None) for r in refs]
    assert got == [
        ("今年", PERIOD, 2023),
        ("去年", BASE, None),  # resolved against the figure's period, not the document's year
        ("前年", PERIOD, 2021),
        ("明年", PERIOD, 2024),
        ("上年", BASE, None),
        ("去年以来", SPAN, None),
    ]
    unknown = find_relative_years("今年新建学校3所", None)
    assert [(r.role, r.year_known) for r in unknown] == [(PERIOD, False)]
    assert find_relative_years("《今年花胜去年红》", 2023, [(0, 9)]) == []
