"""Indicator reads, checks and writes: derived comparisons, target completion, consistency, and
the entry and correction of figures and targets.

Derived values are computed here from stored observations (via `maths`), never stored. Every
write of an observation or a target goes through the functions at the end of this module.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from difflib import SequenceMatcher
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from countyworks import wording
from countyworks.accounts import policy
from countyworks.core.services import PermissionDenied, ServiceError, save_versioned
from countyworks.indicators import figure_table, maths
from countyworks.indicators.models import Indicator, Observation, Qualifier, Target, ValueKind
from countyworks.sources.models import Citation
from countyworks.sources.services import check_citation


@dataclass(frozen=True)
class Comparison:
    """A comparison of an observation against a base period, stated or computed."""

    kind: str  # "growth" (percent) or "multiple"
    value: Decimal
    base_year: int
    base_label: str
    computed: bool
    base_value: Decimal | None = None


@dataclass
class ConsistencyIssue:
    kind: str  # "disagreement" or "comparison_mismatch"
    indicator: Indicator
    year: int
    message: str
    observations: list[Observation] = field(default_factory=list)
    citations: list[Citation | None] = field(default_factory=list)


def _same_subject(qs: QuerySet[Observation], obs: Observation) -> QuerySet[Observation]:
    return qs.filter(
        indicator_id=obs.indicator_id, region_id=obs.region_id, organisation_id=obs.organisation_id
    )


def level_for(obs: Observation, year: int) -> Observation | None:
    """The annual level observation of the same indicator and subject for `year`."""
    return (
        _same_subject(Observation.objects.all(), obs)
        .filter(year=year, value_kind=ValueKind.LEVEL, quarter__isnull=True, month__isnull=True)
        .order_by("-doubtful", "id")
        .last()
    )


def comparisons(obs: Observation) -> list[Comparison]:
    """Comparisons for a level observation: the ones sources stated, and year-on-year computed."""
    if obs.value_kind != ValueKind.LEVEL:
        return []
    result: list[Comparison] = []
    stated = (
        _same_subject(Observation.objects.all(), obs)
        .filter(year=obs.year)
        .exclude(value_kind=ValueKind.LEVEL)
    )
    for s in stated:
        result.append(
            Comparison(
                kind=s.value_kind,
                value=s.value,
                base_year=s.base_year or obs.year - 1,
                base_label=s.base_label or str(s.base_year or ""),
                computed=False,
            )
        )
    previous = level_for(obs, obs.year - 1)
    if previous is not None and previous.value != 0:
        result.append(
            Comparison(
                kind="growth",
                value=maths.growth_percent(obs.value, previous.value),
                base_year=obs.year - 1,
                base_label=str(obs.year - 1),
                computed=True,
                base_value=previous.value,
            )
        )
    return result


def implied_base(stated: Observation) -> Decimal | None:
    """The base value a stated multiple or growth implies, given the level it qualifies."""
    level = level_for(stated, stated.year)
    if level is None or stated.value_kind == ValueKind.LEVEL:
        return None
    try:
        if stated.value_kind == ValueKind.MULTIPLE:
            return maths.implied_base_from_multiple(level.value, stated.value)
        return maths.implied_base_from_growth(level.value, stated.value)
    except maths.MathsError:
        return None


def target_completion(target: Target) -> Decimal | None:
    """Share of the target reached by the year's level observation, in percent."""
    actual = (
        Observation.objects.filter(
            indicator_id=target.indicator_id,
            region_id=target.region_id,
            organisation_id=target.organisation_id,
            year=target.year,
            value_kind=ValueKind.LEVEL,
        )
        .order_by("id")
        .last()
    )
    if actual is None or target.value == 0:
        return None
    return maths.completion_percent(actual.value, target.value)


def consistency_issues(region: Any, year: int) -> list[ConsistencyIssue]:
    """What a person should look at before the figures of a region-year are published.

    1. The same indicator, subject, period and kind stated with different values (two sources
       disagree, or one source says two things).
    2. Two indicators that name the same thing (a shared core term such as 民生实事) counted in the
       same unit for the same year with different values: perhaps one figure told two ways.
    3. A stated multiple or growth that does not fit the stored level and base values.
    """
    issues: list[ConsistencyIssue] = []
    observations = list(
        Observation.objects.filter(Q(region=region) | Q(organisation__region=region), year=year)
        .select_related("indicator", "citation__document")
        .order_by("indicator_id", "id")
    )
    groups: dict[tuple, list[Observation]] = {}
    for obs in observations:
        key = (
            obs.indicator_id,
            obs.region_id,
            obs.organisation_id,
            obs.quarter,
            obs.month,
            obs.value_kind,
            obs.base_year,
        )
        groups.setdefault(key, []).append(obs)
    for group in groups.values():
        if len({o.value for o in group}) > 1:
            first = group[0]
            values = "、".join(f"{o.value.normalize():f}{o.unit}" for o in group)
            issues.append(
                ConsistencyIssue(
                    kind="disagreement",
                    indicator=first.indicator,
                    year=year,
                    message=_("%(indicator)s is stated with different values: %(values)s")
                    % {"indicator": first.indicator.name, "values": values},
                    observations=group,
                    citations=[o.citation for o in group],
                )
            )
    issues.extend(_related_disagreements(observations, year))
    for stated in observations:
        if stated.value_kind == ValueKind.LEVEL or stated.base_year is None:
            continue
        level = level_for(stated, stated.year)
        base = level_for(stated, stated.base_year)
        if level is None or base is None or base.value == 0:
            continue
        if stated.value_kind == ValueKind.MULTIPLE:
            computed = maths.multiple(level.value, base.value)
        else:
            computed = maths.growth_percent(level.value, base.value)
        if not maths.fits(stated.value, computed, stated.qualifier):
            issues.append(
                ConsistencyIssue(
                    kind="comparison_mismatch",
                    indicator=stated.indicator,
                    year=year,
                    message=_("Stated %(stated)s against %(base)s, but the stored values give %(computed)s")
                    % {
                        "stated": f"{stated.value.normalize():f}{stated.unit}",
                        "base": stated.base_label or stated.base_year,
                        "computed": f"{computed:.2f}",
                    },
                    observations=[stated, level, base],
                    citations=[stated.citation, level.citation, base.citation],
                )
            )
    return issues


# Bracketed asides (推进中, 已兑现) say which state is counted; they are not part of the core term.
_ASIDE = re.compile(r"[（(][^）)]*[）)]")
RELATED_TERM_MIN_CHARS = 4


def shared_term(first: str, second: str) -> str:
    """The longest run of characters two indicator names share, asides removed."""
    a, b = _ASIDE.sub("", first), _ASIDE.sub("", second)
    match = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return a[match.a : match.a + match.size]


def _related_disagreements(observations: list[Observation], year: int) -> list[ConsistencyIssue]:
    levels = [o for o in observations if o.value_kind == ValueKind.LEVEL and o.region_id]
    issues = []
    for i, first in enumerate(levels):
        for second in levels[i + 1 :]:
            if (
                first.indicator_id == second.indicator_id
                or first.unit != second.unit
                or first.value == second.value
            ):
                continue
            term = shared_term(first.indicator.name, second.indicator.name)
            if len(term) < RELATED_TERM_MIN_CHARS:
                continue
            issues.append(
                ConsistencyIssue(
                    kind="related_disagreement",
                    indicator=first.indicator,
                    year=year,
                    message=_("“%(first)s” and “%(second)s” both count %(term)s but give %(a)s and %(b)s")
                    % {
                        "first": first.indicator.name,
                        "second": second.indicator.name,
                        "term": term,
                        "a": f"{first.value.normalize():f}{first.unit}",
                        "b": f"{second.value.normalize():f}{second.unit}",
                    },
                    observations=[first, second],
                    citations=[first.citation, second.citation],
                )
            )
    return issues


# Writes ---------------------------------------------------------------------------------------
#
# A clerk enters and corrects figures and targets here; the screens, the Excel import and the API
# all call these functions. Growth and multiples of stored levels stay computed (above): what a
# clerk types is a level, or a comparison a source *states* (value kind growth or multiple).

OBSERVATION_FIELDS: tuple[str, ...] = (
    "indicator",
    "region",
    "year",
    "quarter",
    "month",
    "value_kind",
    "value",
    "unit",
    "qualifier",
    "base_year",
    "base_label",
    "note",
    "citation",
    "published",
)
TARGET_FIELDS: tuple[str, ...] = ("indicator", "region", "year", "value", "unit", "qualifier", "citation")

EARLIEST_YEAR = 1949
LATEST_TARGET_YEAR = 2100
# The largest magnitude the value columns hold (24 digits, 6 of them decimals).
_MAX_VALUE = Decimal(10) ** 18
_PLACES = Decimal(10) ** -6
KIND_UNITS = {ValueKind.GROWTH: "%", ValueKind.MULTIPLE: "倍"}


def to_decimal(value: Any, field: str = "value") -> Decimal:
    """A figure as a Decimal, or a ServiceError naming `field`; floats go through their text."""
    if isinstance(value, bool) or value is None or value == "":
        raise ServiceError(_("Enter a number."), field=field)
    try:
        number = Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except (InvalidOperation, ValueError) as exc:
        raise ServiceError(
            _("“%(value)s” is not a number.") % {"value": str(value)[:40]}, field=field
        ) from exc
    if not number.is_finite():
        raise ServiceError(_("“%(value)s” is not a number.") % {"value": str(value)[:40]}, field=field)
    # Compare exponents first: abs() of 1e1000000 runs through the decimal context and overflows.
    if not number.is_zero() and number.adjusted() >= 18:
        raise ServiceError(_("The number is too large."), field=field)
    if abs(number) >= _MAX_VALUE:
        raise ServiceError(_("The number is too large."), field=field)
    return number


def _fit_places(number: Decimal, field: str = "value") -> Decimal:
    """`number` as the column stores it (six decimals), checked again after a change of scale."""
    if abs(number) >= _MAX_VALUE:
        raise ServiceError(_("The number is too large."), field=field)
    if number != number.quantize(_PLACES, rounding=ROUND_HALF_UP):
        raise ServiceError(_("Use at most 6 decimal places."), field=field)
    # The same text the API answers when the row is read back ("98.600000"), never "1E+2".
    return number.quantize(_PLACES)


def same_measure(first: str, second: str) -> bool:
    """True when the two units differ at most by a 万/亿 scale (元, 万元, 亿元): one converts to the other.

    The reader of documents asks this to keep a figure written in 万元 on the indicator counted in 亿元.
    """
    first_base = wording.base_unit(Decimal(1), first)[1]
    return bool(first_base) and first_base == wording.base_unit(Decimal(1), second)[1]


def indicator_choices(
    name: str, unit: str, *, limit: int = 5, candidates: list[Indicator] | None = None
) -> list[tuple[Indicator, str]]:
    """Existing indicators a figure named `name` in `unit` may belong to, each with how its name
    relates ("same": equal once normalised, 全县旅游收入 ~ 旅游收入; "synonym": in one group of
    indicators.names, 旅游收入 ~ 旅游营业收入), same names first. Only indicators whose unit is the
    figure's or a 万/亿 scale of it (or that have no unit yet) are offered. Nothing is merged here:
    the reading screens offer these as choices and a person decides. A screen deciding many figures
    passes the indicators read once as `candidates`.
    """
    from countyworks.indicators import names  # a data module: loaded when first needed

    wanted = names.synonyms(name)
    found: list[tuple[int, Indicator, str]] = []
    for indicator in candidates if candidates is not None else Indicator.objects.order_by("id"):
        if names.normal_name(indicator.name) not in wanted:
            continue
        if indicator.unit and unit and indicator.unit != unit and not same_measure(indicator.unit, unit):
            continue
        how = names.relation(name, indicator.name)
        found.append((0 if how == "same" else 1, indicator, how))
    found.sort(key=lambda row: (row[0], row[1].pk))
    return [(indicator, how) for _, indicator, how in found[:limit]]


def _in_indicator_unit(indicator: Indicator, number: Decimal, unit: str) -> tuple[Decimal, str]:
    """`number` in the indicator's own unit: 2.5 亿元 for an indicator counted in 万元 is 25000 万元.

    Only a 万/亿 scale of the same unit converts; anything else is refused naming the unit.
    """
    wanted = indicator.unit
    unit = (unit or "").strip()
    if not unit or unit == wanted or not wanted:
        return number, unit or wanted
    given_base, _given_unit = wording.base_unit(number, unit)
    one_wanted, _wanted_unit = wording.base_unit(Decimal(1), wanted)
    if not same_measure(unit, wanted):
        raise ServiceError(
            _("%(indicator)s is counted in %(unit)s; “%(given)s” is not that unit.")
            % {"indicator": indicator.name, "unit": wanted, "given": unit},
            field="unit",
        )
    return given_base / one_wanted, wanted


def _check_period(year: Any, quarter: Any, month: Any, latest: int) -> tuple[int, int | None, int | None]:
    def whole(value: Any, field: str) -> int | None:
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            raise ServiceError(_("Enter a whole number."), field=field)
        try:
            number = Decimal(str(value).strip())
        except (InvalidOperation, ValueError) as exc:
            raise ServiceError(_("Enter a whole number."), field=field) from exc
        if not number.is_finite() or number != number.to_integral_value():
            raise ServiceError(_("Enter a whole number."), field=field)
        return int(number)

    year_ = whole(year, "year")
    if year_ is None:
        raise ServiceError(_("Enter the year."), field="year")
    if not EARLIEST_YEAR <= year_ <= latest:
        raise ServiceError(
            _("The year must lie between %(first)s and %(last)s.") % {"first": EARLIEST_YEAR, "last": latest},
            field="year",
        )
    quarter_ = whole(quarter, "quarter")
    if quarter_ is not None and not 1 <= quarter_ <= 4:
        raise ServiceError(_("The quarter must be 1, 2, 3 or 4."), field="quarter")
    month_ = whole(month, "month")
    if month_ is not None and not 1 <= month_ <= 12:
        raise ServiceError(_("The month must lie between 1 and 12."), field="month")
    if quarter_ is not None and month_ is not None and (month_ - 1) // 3 + 1 != quarter_:
        raise ServiceError(_("The month does not lie in the quarter."), field="month")
    today = timezone.localdate()
    if (year_, month_ or 1) > (today.year, today.month) or (
        year_ == today.year and quarter_ is not None and (quarter_ - 1) * 3 + 1 > today.month
    ):
        raise ServiceError(_("A figure cannot be for a period that has not begun."), field="year")
    return year_, quarter_, month_


def _check_qualifier(value: Any) -> str:
    code = figure_table.qualifier_code(value)
    if code is None:
        raise ServiceError(
            _("Unknown qualifier “%(value)s” (use 精确, 约, 近, 超, 突破, 余, 以上 or 不足).")
            % {"value": str(value)[:20]},
            field="qualifier",
        )
    return code


def _validated(obj: Observation | Target) -> None:
    try:
        obj.full_clean(exclude=["version", "indicator", "region", "organisation", "citation"])
    except ValidationError as exc:
        field_name, messages = next(iter(exc.message_dict.items()))
        field_name = None if field_name == "__all__" else field_name
        raise ServiceError(" ".join(messages), field=field_name) from exc


def _save_unique(obj: Observation | Target, save: Any) -> None:
    """Run `save`; a unique-constraint violation (a concurrent writer inserted the same figure or
    target first) becomes the same clear error the service's own check gives."""
    try:
        with transaction.atomic():
            save()
    except IntegrityError as exc:
        if isinstance(obj, Target):
            message = _(
                "%(indicator)s already has a target for %(subject)s in %(year)s; correct that one instead."
            ) % {"indicator": obj.indicator.name, "subject": _subject_region(obj), "year": obj.year}
        else:
            message = _(
                "%(indicator)s already has a figure for %(subject)s in this period; correct that one instead."
            ) % {
                "indicator": obj.indicator.name,
                "subject": _subject_region(obj),
            }
        raise ServiceError(message, field="year") from exc


def _record_author(obj: Any, user: Any) -> None:
    # The API's token callers have no session user for simple_history's middleware to see.
    if getattr(user, "is_authenticated", False):
        obj._history_user = user


def _subject_region(obj: Observation | Target) -> Any:
    return obj.region if obj.region_id else (obj.organisation.region if obj.organisation_id else None)


def _unknown(fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise ServiceError(_("Unknown field: %(field)s") % {"field": unknown[0]}, field=unknown[0])


def _prepare_observation(user: Any, obs: Observation, *, allow_disagreement: bool = False) -> None:
    """Check and normalise every field of `obs` in place (a ServiceError names the first bad one).

    `allow_disagreement` skips only the refusal of a second figure for the same period (see
    `create_observation`); every other check still applies.
    """
    if obs.indicator_id is None:
        raise ServiceError(_("Choose an indicator."), field="indicator")
    if obs.region_id is None and obs.organisation_id is None:
        raise ServiceError(_("Choose a region."), field="region")
    if not policy.can_edit_indicators(user, _subject_region(obs)):
        raise PermissionDenied(_("Only the supervision office of the region enters indicator figures."))
    kind = obs.value_kind or ValueKind.LEVEL
    if kind not in ValueKind.values:
        raise ServiceError(
            _("Unknown value kind “%(value)s”.") % {"value": str(kind)[:20]}, field="value_kind"
        )
    obs.value_kind = kind
    obs.year, obs.quarter, obs.month = _check_period(
        obs.year, obs.quarter, obs.month, timezone.localdate().year
    )
    number = to_decimal(obs.value)
    if kind == ValueKind.LEVEL:
        number, obs.unit = _in_indicator_unit(obs.indicator, number, obs.unit)
        if not obs.unit:
            raise ServiceError(_("Enter the unit."), field="unit")
        if obs.base_year is not None or obs.base_label:
            raise ServiceError(_("Only a stated growth or multiple has a base period."), field="base_year")
    else:
        wanted = KIND_UNITS[kind]
        if (obs.unit or wanted) != wanted:
            raise ServiceError(
                _("A %(kind)s is written in %(unit)s.") % {"kind": ValueKind(kind).label, "unit": wanted},
                field="unit",
            )
        obs.unit = wanted
        if kind == ValueKind.MULTIPLE and number <= 0:
            raise ServiceError(_("A multiple is larger than 0."), field="value")
        if obs.base_year not in (None, ""):
            try:
                base = _check_period(obs.base_year, None, None, obs.year)[0]
            except ServiceError as exc:
                raise ServiceError(exc.message, field="base_year") from exc
            if base >= obs.year:
                raise ServiceError(_("The base year comes before the figure's year."), field="base_year")
            obs.base_year = base
        else:
            obs.base_year = None
    obs.value = _fit_places(number)
    obs.qualifier = _check_qualifier(obs.qualifier or Qualifier.EXACT)
    check_citation(user, obs.citation)
    if allow_disagreement:
        _validated(obs)
        return
    duplicate = (
        Observation.objects.filter(
            indicator_id=obs.indicator_id,
            region_id=obs.region_id,
            organisation_id=obs.organisation_id,
            year=obs.year,
            quarter=obs.quarter,
            month=obs.month,
            value_kind=obs.value_kind,
            base_year=obs.base_year,
        )
        .exclude(pk=obs.pk)
        .first()
    )
    if duplicate is not None:
        raise ServiceError(
            _(
                "%(indicator)s already has a %(kind)s figure for %(subject)s in this period "
                "(%(value)s%(unit)s); correct that one instead."
            )
            % {
                "indicator": obs.indicator.name,
                "kind": ValueKind(obs.value_kind).label,
                "subject": _subject_region(obs),
                "value": f"{duplicate.value.normalize():f}",
                "unit": duplicate.unit,
            },
            field="year",
        )
    _validated(obs)


@transaction.atomic
def create_observation(user: Any, *, allow_disagreement: bool = False, **fields: Any) -> Observation:
    """Add one figure. Duplicates of indicator, region, period and kind (and base year) are refused.

    `allow_disagreement=True` keeps a second figure for the same period instead of refusing it. Only
    the reading of documents passes it: two documents may state different figures for one year, each
    is recorded with its own citation, and the consistency check (`consistency_issues`) lists them
    side by side for a person to settle. A clerk typing, the Excel import and the API never pass it,
    so a figure entered by hand still has exactly one row to correct.
    """
    _unknown(fields, OBSERVATION_FIELDS)
    obs = Observation(**fields)
    _prepare_observation(user, obs, allow_disagreement=allow_disagreement)
    _record_author(obs, user)
    _save_unique(obs, obs.save)
    return obs


@transaction.atomic
def update_observation(
    user: Any, obs: Observation, *, expected_version: int | None, **fields: Any
) -> Observation:
    """Correct a figure; `expected_version` is the version the caller read (ConflictError when stale)."""
    _unknown(fields, OBSERVATION_FIELDS)
    if not policy.can_edit_indicators(user, _subject_region(obs)):
        raise PermissionDenied(_("Only the supervision office of the region corrects indicator figures."))
    for name, value in fields.items():
        setattr(obs, name, value)
    _prepare_observation(user, obs)
    _record_author(obs, user)
    _save_unique(obs, lambda: save_versioned(obs, expected_version, {}))
    return obs


@transaction.atomic
def delete_observation(user: Any, obs: Observation, *, expected_version: int | None) -> Observation:
    """Soft delete: the row and its history stay; lists, reports and the portal stop showing it."""
    if not policy.can_edit_indicators(user, _subject_region(obs)):
        raise PermissionDenied(_("Only the supervision office of the region deletes indicator figures."))
    _record_author(obs, user)
    save_versioned(obs, expected_version, {"deleted_at": timezone.now()})
    return obs


def _prepare_target(user: Any, target: Target) -> None:
    if target.indicator_id is None:
        raise ServiceError(_("Choose an indicator."), field="indicator")
    if target.region_id is None and target.organisation_id is None:
        raise ServiceError(_("Choose a region."), field="region")
    if not policy.can_edit_indicators(user, _subject_region(target)):
        raise PermissionDenied(_("Only the supervision office of the region sets indicator targets."))
    # A target may lie ahead (a five-year plan's goal), so only the calendar's far end bounds it.
    if isinstance(target.year, bool) or target.year in (None, ""):
        raise ServiceError(_("Enter the year."), field="year")
    try:
        year = int(Decimal(str(target.year).strip()))
    except (InvalidOperation, ValueError) as exc:
        raise ServiceError(_("Enter a whole number."), field="year") from exc
    if not EARLIEST_YEAR <= year <= LATEST_TARGET_YEAR:
        raise ServiceError(
            _("The year must lie between %(first)s and %(last)s.")
            % {"first": EARLIEST_YEAR, "last": LATEST_TARGET_YEAR},
            field="year",
        )
    target.year = year
    number, target.unit = _in_indicator_unit(target.indicator, to_decimal(target.value), target.unit)
    if not target.unit:
        raise ServiceError(_("Enter the unit."), field="unit")
    target.value = _fit_places(number)
    target.qualifier = _check_qualifier(target.qualifier or Qualifier.AT_LEAST)
    check_citation(user, target.citation)
    clash = Target.objects.filter(
        indicator_id=target.indicator_id,
        region_id=target.region_id,
        organisation_id=target.organisation_id,
        year=target.year,
    ).exclude(pk=target.pk)
    if clash.exists():
        raise ServiceError(
            _("%(indicator)s already has a target for %(subject)s in %(year)s; correct that one instead.")
            % {"indicator": target.indicator.name, "subject": _subject_region(target), "year": target.year},
            field="year",
        )
    _validated(target)


@transaction.atomic
def create_target(user: Any, **fields: Any) -> Target:
    _unknown(fields, TARGET_FIELDS)
    target = Target(**fields)
    _prepare_target(user, target)
    _record_author(target, user)
    _save_unique(target, target.save)
    return target


@transaction.atomic
def update_target(user: Any, target: Target, *, expected_version: int | None, **fields: Any) -> Target:
    _unknown(fields, TARGET_FIELDS)
    if not policy.can_edit_indicators(user, _subject_region(target)):
        raise PermissionDenied(_("Only the supervision office of the region sets indicator targets."))
    for name, value in fields.items():
        setattr(target, name, value)
    _prepare_target(user, target)
    _record_author(target, user)
    _save_unique(target, lambda: save_versioned(target, expected_version, {}))
    return target


def indicator_code(name: str, unit: str) -> str:
    """A stable code for an indicator created from text (names are Chinese, codes are slugs)."""
    return "read-" + hashlib.sha1(f"{name}|{unit}".encode()).hexdigest()[:16]


def find_or_create_indicator(name: str, unit: str, value_kind: str = ValueKind.LEVEL) -> Indicator:
    """The indicator called `name` measured in `unit` (or in a 万/亿 scale of it), created when there is none.

    A stated growth or multiple (unit % or 倍) belongs to the indicator of the level it compares,
    so it is found by name alone; an indicator first created by such a statement has no unit yet,
    and the first level read for it gives it one.
    """
    same_name = Indicator.objects.filter(name=name).order_by("id")
    if value_kind != ValueKind.LEVEL:
        found = same_name.exclude(unit="").first() or same_name.first()
        if found is not None:
            return found
        return Indicator.objects.create(code=indicator_code(name, ""), name=name, unit="")
    found = same_name.filter(unit=unit).first()
    if found is not None:
        return found
    # 9860万元 belongs to the indicator counted in 亿元: the indicators' service converts the figure.
    scaled = next((i for i in same_name.exclude(unit="") if same_measure(i.unit, unit)), None)
    if scaled is not None:
        return scaled
    unitless = same_name.filter(unit="").first()
    if unitless is not None:
        unitless.unit = unit
        unitless.save(update_fields=["unit", "updated_at"])
        return unitless
    code = indicator_code(name, unit)
    return Indicator.objects.filter(code=code).first() or Indicator.objects.create(
        code=code, name=name, unit=unit
    )
