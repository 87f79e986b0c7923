"""A whole report, written for this test in the shape of a county government work report: a review of
one year and the plan for the next, with headings, a caption and lines broken mid-sentence."""

from __future__ import annotations

from countyworks.textread import extract_mentions, goal_tree, parse_structure

REPORT = """政府工作报告

一、2022年工作回顾

过去一年，全县地区生产总值完成98.6亿元，同比增长4.8%；一般公共预算收入6.3亿元，
增长7.1%。新建改造农村公路86公里，建成口袋公园5处。
（一）产业发展
全县规模以上工业企业达到41家，其中产值超亿元企业12家。
接待游客约320万人次，旅游收入是2019年的1.4倍。

①新建的产业园区

二、2023年主要目标任务

（一）预期目标
地区生产总值增长6%左右，城镇登记失业率控制在4.5%以内。
（二）重点任务
1. 加快推进产业园二期建设，完成投资12亿元。
2. 力争新增规模以上工业企业5家以上。
"""


def _by_text(mentions):
    return {m.text.replace("\n", ""): m for m in mentions}


def test_it_reads_every_figure_of_the_report_with_its_year():
    ms = _by_text(extract_mentions(REPORT, doc_id="county-2023-report"))
    assert set(ms) == {
        "98.6亿元",
        "4.8%",
        "6.3亿元",
        "7.1%",
        "86公里",
        "5处",
        "41家",
        "超亿元",
        "12家",
        "约320万人次",
        "1.4倍",
        "6%左右",
        "4.5%以内",
        "12亿元",
        "5家以上",
    }
    review = ["98.6亿元", "4.8%", "6.3亿元", "7.1%", "86公里", "5处", "41家", "12家", "约320万人次", "1.4倍"]
    assert {ms[t].period for t in review} == {"2022"}
    assert {ms[t].period for t in ["6%左右", "4.5%以内", "12亿元", "5家以上"]} == {"2023"}
    assert ms["4.8%"].base_period == "2021"
    assert ms["1.4倍"].base_period == "2019"
    assert ms["超亿元"].kind == "threshold"
    assert ms["5家以上"].qualifier == "at_least"
    assert ms["6%左右"].kind == "growth" and ms["6%左右"].qualifier == "approx"


def test_a_growth_after_a_line_break_keeps_its_subject():
    ms = _by_text(extract_mentions(REPORT, doc_id="county-2023-report"))
    assert "一般公共预算收入" in ms["7.1%"].subject


def test_every_span_points_at_the_report_as_written():
    for m in extract_mentions(REPORT):
        assert REPORT[m.start : m.end] == m.text


def test_the_plan_part_becomes_a_goal_tree():
    tree = goal_tree(REPORT)
    assert [n["title"] for n in tree] == ["2022年工作回顾", "2023年主要目标任务"]
    plan = tree[1]["children"]
    assert [n["title"] for n in plan] == ["预期目标", "重点任务"]
    assert [n["title"] for n in plan[1]["children"]] == [
        "加快推进产业园二期建设，完成投资12亿元。",
        "力争新增规模以上工业企业5家以上。",
    ]
    s = parse_structure(REPORT)
    years = {x.title: x.year for x in s.sections}
    assert years["2022年工作回顾"] == 2022 and years["2023年主要目标任务"] == 2023
    assert all("①" not in t.text for x in s.sections for t in x.tasks)
