"""The review of the Huguan demo: it builds, and every figure comes from a demo record."""

from __future__ import annotations

import re

from countyworks.demo import services as demo_services
from countyworks.regions.models import Region
from countyworks.reports.builders.review import build_review


def test_it_reviews_huguan_2023_from_the_demo_data(db):
    demo_services.load_demo(with_activity=True)
    county = Region.objects.get(code="140427")
    report = build_review(county, 2023)
    text = report.plain_text()
    assert report.title == "壶关县2023年工作回顾"
    assert report.sections, "the demo has records in at least one area"
    # Qualifiers and stated comparisons of the demo come through as the source put them.
    assert "近25亿元，是十三五末的5倍" in text
    assert "28万余人" in text
    # Figures held by the county's organisations, doubtful figures and comparisons stated without a level.
    assert "壶关高测新材料科技有限公司企业上缴税金达1.5亿元" in text
    assert "突破3亿元" in text
    assert "超440万人次" in text
    assert "旅游营业收入较2019年增长216%" in text
    doubtful = [f for f in report.figures() if f.text == "超440万人次"]
    assert doubtful and "存疑" in doubtful[0].source.citation
    next_year = next(s for s in report.sections if s.title == "2024年工作安排")
    numbers = [sub.number for sub in next_year.subsections]
    assert numbers and numbers[0] == "（一）" and len(set(numbers)) == len(numbers)
    figures = report.figures()
    assert figures
    for figure in figures:
        assert figure.text in text
        assert figure.source.record_type in ("computed", "indicators.Observation") or figure.source.record_id
    # Every stated figure of the demo carries a citation into the seed.
    stated = [f for f in figures if f.source.record_type == "indicators.Observation"]
    # A note names the document and quotes the sentence the figure stands in, not an id or offset.
    assert stated and all(re.match(r"《壶关县2023年工作回顾[^》]*》.*：“", f.source.citation) for f in stated)
    assert not any(re.search(r"第\d+–\d+字|#\d|Observation:", f.source.citation) for f in figures)
