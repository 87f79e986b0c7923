from decimal import Decimal

from countyworks.indicators import services
from countyworks.indicators.models import Indicator, Observation, Qualifier, Target, ValueKind
from countyworks.sources.models import Citation, Document

D = Decimal


def _indicator(code="output", unit="元"):
    return Indicator.objects.create(code=code, name="战略性新兴产业总产值", unit=unit)


def _obs(indicator, region, year, value, kind=ValueKind.LEVEL, base_year=None, citation=None, unit="元"):
    return Observation.objects.create(
        indicator=indicator,
        region=region,
        year=year,
        value=D(value),
        unit=unit,
        value_kind=kind,
        base_year=base_year,
        citation=citation,
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
    target = Target.objects.create(
        indicator=ind, region=cast.county, year=2023, value=D("50"), unit="元", qualifier=Qualifier.AT_LEAST
    )
    assert services.target_completion(target) == D("90")


def test_it_lists_two_indicators_that_count_the_same_thing_differently(cast):
    advancing = Indicator.objects.create(code="a", name="主题教育确定的民生实事（推进中）", unit="件")
    promised = Indicator.objects.create(code="b", name="年初承诺民生实事（已兑现）", unit="件")
    other = Indicator.objects.create(code="c", name="口袋公园", unit="件")
    _obs(advancing, cast.county, 2023, "16", unit="件")
    _obs(promised, cast.county, 2023, "12", unit="件")
    _obs(other, cast.county, 2023, "7", unit="件")
    (issue,) = services.consistency_issues(cast.county, 2023)
    assert issue.kind == "related_disagreement" and "民生实事" in issue.message
    assert {o.value for o in issue.observations} == {D("16"), D("12")}


def test_shared_terms_ignore_asides_and_short_overlaps():
    assert services.shared_term("年初承诺民生实事（已兑现）", "民生实事（推进中）") == "民生实事"
    assert len(services.shared_term("旅游人次", "旅游收入")) < services.RELATED_TERM_MIN_CHARS
