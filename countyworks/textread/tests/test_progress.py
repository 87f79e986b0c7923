"""The facts of a progress passage: share, planned and done counts, expected completion, behind."""

from __future__ import annotations

from datetime import date

import pytest

from countyworks.textread import extract_mentions
from countyworks.textread.progress import deadline, expected_completion, read_progress


def _facts(text: str, year: int = 2024):
    return read_progress(text, extract_mentions(text, doc_id="t", doc_year=year), year)


@pytest.mark.parametrize(
    "text, share, planned, done",
    [
        ("40座农村公厕改造已完成31座（78%）。", 78, 40, 31),
        ("9个社区食堂建设已建成5个。", 55.56, 9, 5),
        ("主体工程施工中（60%）。", 60, None, None),
        ("累计完成投资1.2亿元，占年度计划的48%。", 48, None, None),
        ("项目整体进度达到90%。", 90, None, None),
        ("已开工12个，开工率100%。", None, None, None),
        ("新建幼儿园已全部竣工。", 100, None, None),
    ],
)
def test_it_reads_the_share_and_the_counts(text, share, planned, done):
    facts = _facts(text)
    assert (facts.share, facts.planned, facts.done) == (share, planned, done)


@pytest.mark.parametrize(
    "text, when",
    [
        ("预计年底前全面完工。", date(2024, 12, 31)),
        ("其余9座预计11月底前全部完工。", date(2024, 11, 30)),
        ("预计2025年6月底前投用。", date(2025, 6, 30)),
        ("力争10月20日前建成。", date(2024, 10, 20)),
        ("已于9月完工。", None),
    ],
)
def test_it_reads_the_expected_completion(text, when):
    assert expected_completion(text, 2024)[0] == when


def test_it_reads_behind_and_the_answer_deadline():
    assert _facts("进度明显滞后，责任单位县工信局。").behind
    assert not _facts("进展顺利。").behind
    assert deadline("请于10月20日前报送。", 2024) == date(2024, 10, 20)
    assert deadline("10月20日召开会议。", 2024) is None
