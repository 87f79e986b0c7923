"""Scoring units by an office's own assessment rules (考核细则): pure Python, no Django.

Facts per unit in, points per rule out, each with what it was computed from so a screen can
explain it line by line. The Django side (reading the facts through `supervision/status.py`, the
schemes the administrator edits, the ranking page, the bulletin's 红黑榜) builds on this module;
nothing here reads a database, a clock or another unit's facts, so a unit's points depend only on
its own facts and the scheme.

Facts are kept per item kind, so a scheme can weigh kinds (a key project counting twice a routine
task): a rate is the weighted share (Σ weight × on time / Σ weight × due), a count the weighted sum.

Rule kinds:
- RATE: `points` × a rate of 0–1 (on-time reports, completion) or progress / 100;
- PER: `points` for each counted fact (negative for a deduction: 逾期未完成 −5 each), with an
  optional `cap` on what the rule may take away (or give) in total;
- BONUS: points the office enters with a reason (领导批示肯定, 经验做法被推广), summed per rule and
  capped like PER.
A scheme's `floor` (0 by default) keeps a total from going below it.

The default scheme reproduces the fixed formula of `rankings.score` (40 × on-time rate + 40 ×
completion rate + 20 × average progress / 100 − 5 per overdue item, never below 0).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

RATE = "rate"
PER = "per"
BONUS = "bonus"

# Fact names a rule may use. LATE_SIGNOFFS (未按期签收) needs the sign-off step of issue 13: until a
# provider supplies it the fact is missing (None), and the rule scores 0 and says so.
ON_TIME_RATE = "on_time_rate"
COMPLETION_RATE = "completion_rate"
AVERAGE_PROGRESS = "average_progress"
OVERDUE_ITEMS = "overdue_items"
RETURNED_REPORTS = "returned_reports"
LATE_SIGNOFFS = "late_signoffs"
NOTICES_LATE = "notices_late"
RATE_FACTS = (ON_TIME_RATE, COMPLETION_RATE, AVERAGE_PROGRESS)
COUNT_FACTS = (OVERDUE_ITEMS, RETURNED_REPORTS, LATE_SIGNOFFS, NOTICES_LATE)


@dataclass(frozen=True)
class KindFacts:
    """One unit's facts about its items of one kind, for one month (or period)."""

    items: int = 0
    completed: int = 0
    reports_due: int = 0
    reports_on_time: int = 0
    progress_sum: float = 0.0  # Σ progress (0–100) over the items
    counts: Mapping[str, int | None] = field(default_factory=dict)  # COUNT_FACTS; None = no provider


@dataclass(frozen=True)
class Bonus:
    rule: str  # the key of a BONUS rule
    points: float
    reason: str


@dataclass(frozen=True)
class UnitFacts:
    unit_id: int
    unit_name: str
    by_kind: Mapping[str, KindFacts]
    bonuses: tuple[Bonus, ...] = ()


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    kind: str  # RATE, PER or BONUS
    points: float
    fact: str = ""  # RATE_FACTS for RATE, COUNT_FACTS for PER; unused for BONUS
    cap: float | None = None  # the most the rule may move the total, in absolute points


@dataclass(frozen=True)
class Scheme:
    rules: tuple[Rule, ...]
    kind_weights: Mapping[str, float] = field(default_factory=dict)  # a kind not named weighs 1
    floor: float | None = 0.0

    def weight(self, kind: str) -> float:
        return float(self.kind_weights.get(kind, 1.0))


@dataclass(frozen=True)
class ScoreLine:
    """What one rule gave: `value` is the fact (a rate 0–1, a progress 0–100, a weighted count or the
    sum of the bonuses), `uncapped` what the rule would have given without its cap, `reasons` the
    bonuses' reasons; `missing` when no provider supplies the fact yet."""

    rule: Rule
    value: float
    points: float
    uncapped: float
    capped: bool = False
    missing: bool = False
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnitScore:
    unit_id: int
    unit_name: str
    total: float
    lines: tuple[ScoreLine, ...]
    floored: bool = False


def rate_fact(scheme: Scheme, facts: UnitFacts, name: str) -> float:
    """A weighted rate: on-time reports (1 when nothing was due), completion (0 without items), or
    the weighted average progress 0–100."""
    weighted = [(scheme.weight(kind), kind_facts) for kind, kind_facts in facts.by_kind.items()]
    if name == ON_TIME_RATE:
        due = sum(w * f.reports_due for w, f in weighted)
        return sum(w * f.reports_on_time for w, f in weighted) / due if due else 1.0
    items = sum(w * f.items for w, f in weighted)
    if not items:
        return 0.0
    if name == COMPLETION_RATE:
        return sum(w * f.completed for w, f in weighted) / items
    if name == AVERAGE_PROGRESS:
        return sum(w * f.progress_sum for w, f in weighted) / items
    raise ValueError(f"unknown rate fact {name}")


def count_fact(scheme: Scheme, facts: UnitFacts, name: str) -> float | None:
    """A weighted count; None when no kind has a value for it (no provider yet)."""
    values = [(scheme.weight(kind), f.counts.get(name)) for kind, f in facts.by_kind.items()]
    known = [(w, v) for w, v in values if v is not None]
    if not known and values:
        return None
    if not values:
        return 0.0
    return sum(w * v for w, v in known)


def _capped(points: float, cap: float | None) -> tuple[float, bool]:
    """`points` rounded to hundredths and held within `cap` — the cap itself cut down to hundredths,
    so rounding can never take a capped rule past its cap (−0.609 capped is −0.60, not −0.61)."""
    points = round(points, 2)
    if cap is None:
        return points, False
    limit = math.floor(cap * 100 + 1e-9) / 100
    if abs(points) <= limit:
        return points, False
    return (limit if points > 0 else -limit), True


def score_unit(scheme: Scheme, facts: UnitFacts) -> UnitScore:
    lines = []
    for rule in scheme.rules:
        missing = False
        reasons: tuple[str, ...] = ()
        if rule.kind == RATE:
            value = rate_fact(scheme, facts, rule.fact)
            raw = rule.points * (value / 100 if rule.fact == AVERAGE_PROGRESS else value)
        elif rule.kind == PER:
            counted = count_fact(scheme, facts, rule.fact)
            missing = counted is None
            value = counted or 0.0
            raw = rule.points * value
        elif rule.kind == BONUS:
            entered = [bonus for bonus in facts.bonuses if bonus.rule == rule.key]
            value = sum(bonus.points for bonus in entered)
            reasons = tuple(bonus.reason for bonus in entered)
            raw = value
        else:
            raise ValueError(f"unknown rule kind {rule.kind}")
        points, capped = _capped(raw, rule.cap)
        lines.append(
            ScoreLine(
                rule=rule,
                value=round(value, 4),
                points=points,
                uncapped=round(raw, 2),
                capped=capped,
                missing=missing,
                reasons=reasons,
            )
        )
    total = round(sum(line.points for line in lines), 2)
    floored = scheme.floor is not None and total < scheme.floor
    return UnitScore(
        unit_id=facts.unit_id,
        unit_name=facts.unit_name,
        total=scheme.floor if floored else total,
        lines=tuple(lines),
        floored=floored,
    )


def score_units(scheme: Scheme, units: Iterable[UnitFacts]) -> list[UnitScore]:
    """Every unit scored, best first (ties by name), as a ranking shows them."""
    return sorted((score_unit(scheme, facts) for facts in units), key=lambda s: (-s.total, s.unit_name))


def red_black(scores: list[UnitScore], n: int) -> tuple[list[UnitScore], list[UnitScore]]:
    """The 红榜 (the best `n`) and the 黑榜 (the worst `n`, worst first), never the same unit twice."""
    red = scores[:n]
    rest = scores[len(red) :]
    black = list(reversed(rest))[:n]
    return red, black


DEFAULT_RULES = (
    Rule("on_time", "按时报送", RATE, 40, ON_TIME_RATE),
    Rule("completion", "完成率", RATE, 40, COMPLETION_RATE),
    Rule("progress", "平均进度", RATE, 20, AVERAGE_PROGRESS),
    Rule("overdue", "逾期未完成", PER, -5, OVERDUE_ITEMS),
)
DEFAULT_SCHEME = Scheme(rules=DEFAULT_RULES)


def rule_from_dict(data: Mapping[str, object]) -> Rule:
    """A rule as a scheme stores it (JSON); ValueError naming what is wrong."""
    kind = str(data.get("kind", ""))
    if kind not in (RATE, PER, BONUS):
        raise ValueError(f"kind must be one of {RATE}, {PER}, {BONUS}")
    fact = str(data.get("fact", "") or "")
    if kind == RATE and fact not in RATE_FACTS:
        raise ValueError(f"a rate rule needs one of the facts {', '.join(RATE_FACTS)}")
    if kind == PER and fact not in COUNT_FACTS:
        raise ValueError(f"a per-count rule needs one of the facts {', '.join(COUNT_FACTS)}")
    key = str(data.get("key", "")).strip()
    if not key:
        raise ValueError("every rule needs a key")
    cap = data.get("cap")
    cap_value = None if cap in (None, "") else abs(float(cap))  # type: ignore[arg-type]
    return Rule(
        key=key,
        label=str(data.get("label", key)),
        kind=kind,
        points=float(data.get("points", 0)),  # type: ignore[arg-type]
        fact=fact,
        cap=cap_value,
    )


def scheme_from_dict(data: Mapping[str, object]) -> Scheme:
    rules = tuple(rule_from_dict(rule) for rule in data.get("rules", []))  # type: ignore[union-attr]
    keys = [rule.key for rule in rules]
    if len(set(keys)) != len(keys):
        raise ValueError("two rules have the same key")
    weights = {str(k): float(v) for k, v in dict(data.get("kind_weights", {}) or {}).items()}  # type: ignore[call-overload]
    if any(w < 0 for w in weights.values()):
        raise ValueError("a kind weight cannot be negative")
    floor = data.get("floor", 0.0)
    return Scheme(rules=rules, kind_weights=weights, floor=None if floor is None else float(floor))  # type: ignore[arg-type]


def scheme_in_force(versions: Iterable[tuple[object, Scheme]], month_end: object) -> Scheme | None:
    """The version in force for a month: the latest `valid_from` on or before the month's last day
    (a version made valid later never reaches back, so a published month keeps its ranking).
    `versions` are (valid_from date, scheme) pairs in any order."""
    chosen = None
    for valid_from, scheme in versions:
        if valid_from <= month_end and (chosen is None or valid_from > chosen[0]):  # type: ignore[operator]
            chosen = (valid_from, scheme)
    return chosen[1] if chosen else None
