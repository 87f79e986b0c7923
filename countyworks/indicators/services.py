"""Indicator reads and checks: derived comparisons, target completion, consistency.

Derived values are computed here from stored observations (via `maths`), never stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from countyworks.indicators import maths
from countyworks.indicators.models import Indicator, Observation, Target, ValueKind
from countyworks.sources.models import Citation


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
