from decimal import Decimal

from countyworks.indicators import services
from countyworks.indicators.models import Indicator, Observation, Qualifier, Target, ValueKind
from countyworks.sources.models import Citation, Document

D = Decimal


def _indicator(code="output", unit="元"):
    return Indicator.objects.create(code=code, name="战略性新兴产业总产值", unit=unit)


def _obs(indicator, region, year, value, kind=ValueKind.LEVEL, base_year=None, citation=None, unit="元"):
    return Observation.objects.create(
        indicator=indicator, region=region, year=year, value=D(value), unit=unit, value_kind=kind,
        base_year=base_year, citation=citation,
    )


def test_it_computes_year_on_year_growth_from_stored_levels(cast):
    ind = _indicator()
    _obs(ind, cast.county, 2022, "200")
    current = _obs(ind, cast.county, 2023, "250")
    comparison = next(c for c in services.comparisons(current) if c.computed)
    assert comparison.kind == "growth" and comparison.value == D("25") and comparison.base_year == 2022


def test_a_stated_multiple_implies_its_base(cast):
    ind = _indicator()
    _obs(ind, cast.county, 2023, "2500000000")
    stated = _obs(ind, cast.county, 2023, "5", kind=ValueKind.MULTIPLE, base_year=2020, unit="倍")
    assert services.implied_base(stated) == D("500000000")


def test_it_lists_a_multiple_that_does_not_fit_the_base(cast):
    ind = _indicator()
    _obs(ind, cast.county, 2020, "1000000000")
    _obs(ind, cast.county, 2023, "2500000000")
    _obs(ind, cast.county, 2023, "5", kind=ValueKind.MULTIPLE, base_year=2020, unit="倍")
    issues = services.consistency_issues(cast.county, 2023)
    assert [i.kind for i in issues] == ["comparison_mismatch"]
    assert "2.50" in issues[0].message


def test_it_accepts_a_multiple_that_fits(cast):
    ind = _indicator()
    _obs(ind, cast.county, 2020, "500000000")
    _obs(ind, cast.county, 2023, "2500000000")
    _obs(ind, cast.county, 2023, "5", kind=ValueKind.MULTIPLE, base_year=2020, unit="倍")
    assert services.consistency_issues(cast.county, 2023) == []


def test_it_lists_two_sources_that_disagree_with_both_citations(cast):
    doc = Document.objects.create(title="甲", slug="a")
    first = Citation.objects.create(document=doc, start=1, end=4, quote="16件")
    second = Citation.objects.create(document=doc, start=9, end=12, quote="12件")
    ind = _indicator("livelihood", "件")
    _obs(ind, cast.county, 2023, "16", citation=first, unit="件")
    _obs(ind, cast.county, 2023, "12", citation=second, unit="件")
    (issue,) = services.consistency_issues(cast.county, 2023)
    assert issue.kind == "disagreement" and issue.citations == [first, second]


def test_it_computes_target_completion(cast):
    ind = _indicator()
    _obs(ind, cast.county, 2023, "45")
    target = Target.objects.create(indicator=ind, region=cast.county, year=2023, value=D("50"), unit="元",
                                   qualifier=Qualifier.AT_LEAST)
    assert services.target_completion(target) == D("90")
