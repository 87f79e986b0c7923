"""Entering and correcting figures and targets through indicators.services."""

from datetime import date
from decimal import Decimal

import pytest

from countyworks.core.services import ConflictError, PermissionDenied, ServiceError
from countyworks.indicators import services
from countyworks.indicators.models import Indicator, Observation, Target, ValueKind

D = Decimal


@pytest.fixture
def gdp(db):
    return Indicator.objects.create(code="gdp", name="地区生产总值", unit="亿元")


def _add(cast, indicator, **fields):
    values = {"indicator": indicator, "region": cast.county, "year": 2023, "value": "98.6"} | fields
    return services.create_observation(cast.supervisor, **values)


def test_it_stores_a_figure_with_its_qualifier_and_the_indicators_unit(cast, gdp):
    obs = _add(cast, gdp, qualifier="近", published=True)
    stored = Observation.objects.get(pk=obs.pk)
    assert (stored.value, stored.unit, stored.qualifier, stored.published) == (
        D("98.6"),
        "亿元",
        "nearly",
        True,
    )
    assert stored.version == 1
    assert stored.history.first().history_user == cast.supervisor


@pytest.mark.parametrize("word", ["超", "突破", "余"])
def test_it_reads_every_over_word_as_the_over_qualifier(cast, gdp, word):
    assert _add(cast, gdp, qualifier=word).qualifier == "over"


def test_it_converts_another_scale_of_the_same_unit(cast, gdp):
    obs = _add(cast, gdp, value="9860", unit="万元")
    assert (obs.value, obs.unit) == (D("0.986"), "亿元")


def test_it_refuses_a_value_that_outgrows_the_column_once_converted(cast, gdp):
    yuan = Indicator.objects.create(code="income", name="收入", unit="元")
    with pytest.raises(ServiceError) as caught:
        _add(cast, yuan, value="900000000000000000", unit="亿元")
    assert caught.value.field == "value"
    with pytest.raises(ServiceError) as caught:
        _add(cast, gdp, value="1", unit="元")  # 0.00000001 亿元
    assert caught.value.field == "value"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"value": "二十"}, "value"),
        ({"value": ""}, "value"),
        ({"value": "NaN"}, "value"),
        ({"value": "1.1234567"}, "value"),
        ({"unit": "人"}, "unit"),
        ({"year": 1800}, "year"),
        ({"year": date.today().year + 1}, "year"),
        ({"quarter": 5}, "quarter"),
        ({"month": 13}, "month"),
        ({"quarter": 1, "month": 7}, "month"),
        ({"qualifier": "大概"}, "qualifier"),
        ({"base_year": 2020}, "base_year"),
        ({"value_kind": ValueKind.GROWTH, "unit": "亿元"}, "unit"),
        ({"value_kind": ValueKind.GROWTH, "base_year": 2024}, "base_year"),
        ({"value_kind": ValueKind.MULTIPLE, "value": "-2"}, "value"),
        ({"note": "长" * 301}, "note"),
    ],
)
def test_it_refuses_bad_input_naming_the_field(cast, gdp, fields, field):
    with pytest.raises(ServiceError) as caught:
        _add(cast, gdp, **fields)
    assert caught.value.field == field
    assert not isinstance(caught.value, PermissionDenied)
    assert Observation.objects.count() == 0


def test_it_refuses_a_second_figure_of_the_same_indicator_region_period_and_kind(cast, gdp):
    _add(cast, gdp)
    with pytest.raises(ServiceError) as caught:
        _add(cast, gdp, value="99")
    assert caught.value.field == "year" and "地区生产总值" in caught.value.message
    # Another kind, quarter or base year is another figure.
    _add(cast, gdp, value_kind=ValueKind.GROWTH, value="5.2", base_year=2022)
    _add(cast, gdp, value_kind=ValueKind.GROWTH, value="30", base_year=2020)
    _add(cast, gdp, quarter=2, value="40")
    assert Observation.objects.count() == 4


def test_it_stores_a_stated_growth_in_percent(cast, gdp):
    obs = _add(cast, gdp, value_kind=ValueKind.GROWTH, value="5.2", base_year=2022)
    assert (obs.unit, obs.base_year) == ("%", 2022)


@pytest.mark.parametrize("who", ["leader", "reporter_a", "viewer", "outsider_supervisor"])
def test_it_lets_only_the_regions_supervision_office_write(cast, gdp, who):
    with pytest.raises(PermissionDenied):
        services.create_observation(
            getattr(cast, who), indicator=gdp, region=cast.county, year=2023, value="1"
        )
    obs = _add(cast, gdp)
    with pytest.raises(PermissionDenied):
        services.update_observation(getattr(cast, who), obs, expected_version=obs.version, value="2")
    with pytest.raises(PermissionDenied):
        services.create_target(getattr(cast, who), indicator=gdp, region=cast.county, year=2025, value="1")
    assert Observation.objects.get().value == D("98.6") and Target.objects.count() == 0


def test_it_lets_an_administrator_of_the_region_write(cast, gdp):
    assert services.create_observation(cast.admin, indicator=gdp, region=cast.county, year=2023, value="1")


def test_it_refuses_a_stale_version_and_keeps_the_first_correction(cast, gdp):
    obs = _add(cast, gdp)
    mine = Observation.objects.get(pk=obs.pk)
    theirs = Observation.objects.get(pk=obs.pk)
    services.update_observation(cast.supervisor, theirs, expected_version=1, value="97")
    with pytest.raises(ConflictError):
        services.update_observation(cast.supervisor, mine, expected_version=1, value="96")
    stored = Observation.objects.get(pk=obs.pk)
    assert (stored.value, stored.version) == (D("97"), 2)
    assert stored.history.count() == 2


def test_it_soft_deletes_a_figure_and_keeps_its_history(cast, gdp):
    obs = _add(cast, gdp)
    services.delete_observation(cast.supervisor, obs, expected_version=1)
    assert not Observation.objects.filter(pk=obs.pk).exists()
    assert Observation.all_objects.get(pk=obs.pk).deleted_at is not None
    assert obs.history.count() == 2
    # The deleted figure no longer blocks a new one for the period.
    _add(cast, gdp, value="99")


def test_it_sets_and_corrects_a_target(cast, gdp):
    target = services.create_target(
        cast.supervisor, indicator=gdp, region=cast.county, year=2025, value="120"
    )
    assert (target.unit, target.qualifier, target.version) == ("亿元", "at_least", 1)
    with pytest.raises(ServiceError) as caught:
        services.create_target(cast.supervisor, indicator=gdp, region=cast.county, year=2025, value="130")
    assert caught.value.field == "year"
    with pytest.raises(ServiceError) as caught:
        services.update_target(cast.supervisor, target, expected_version=1, value="abc")
    assert caught.value.field == "value"
    target = Target.objects.get(pk=target.pk)
    services.update_target(cast.supervisor, target, expected_version=1, value="125")
    with pytest.raises(ConflictError):
        services.update_target(
            cast.supervisor, Target.objects.get(pk=target.pk), expected_version=1, value="1"
        )
    assert Target.objects.get(pk=target.pk).value == D("125")


def test_it_refuses_an_unknown_field(cast, gdp):
    with pytest.raises(ServiceError) as caught:
        _add(cast, gdp, growth="5")
    assert caught.value.field == "growth"


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("亿元", "万元", True),
        ("元", "亿元", True),
        ("万人次", "人次", True),
        ("亿元", "亿元", True),
        ("亿元", "人", False),
        ("万元", "项", False),
        ("", "", False),
        ("%", "倍", False),
    ],
)
def test_it_knows_which_units_differ_only_by_a_wan_or_yi_scale(first, second, same):
    assert services.same_measure(first, second) is same


def test_a_period_is_named_in_the_readers_language():
    from django.utils import translation

    from countyworks.indicators.models import Observation

    year, quarter, month = (
        Observation(year=2023),
        Observation(year=2023, quarter=3),
        Observation(year=2023, month=3),
    )
    with translation.override("zh-hans"):
        assert [o.period_label() for o in (year, quarter, month)] == ["2023", "2023年第3季度", "2023年3月"]
    with translation.override("en"):
        assert [o.period_label() for o in (year, quarter, month)] == ["2023", "2023 Q3", "2023-03"]
