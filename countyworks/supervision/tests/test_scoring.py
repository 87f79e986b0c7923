"""The pure scoring of units by an assessment scheme (考核细则), with properties checked by hypothesis."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from countyworks.supervision import rankings, scoring
from countyworks.supervision.scoring import BONUS, PER, RATE, Bonus, KindFacts, Rule, Scheme, UnitFacts

KINDS = ["key_project", "livelihood", "routine"]


@st.composite
def kind_facts(draw):
    items = draw(st.integers(0, 30))
    due = draw(st.integers(0, 60))
    counts = {
        name: draw(
            st.one_of(st.none(), st.integers(0, 20)) if name == scoring.LATE_SIGNOFFS else st.integers(0, 20)
        )
        for name in scoring.COUNT_FACTS
    }
    return KindFacts(
        items=items,
        completed=draw(st.integers(0, items)),
        reports_due=due,
        reports_on_time=draw(st.integers(0, due)),
        progress_sum=draw(st.floats(0, 100)) * items,
        counts=counts,
    )


@st.composite
def unit_facts(draw, unit_id=None):
    uid = unit_id if unit_id is not None else draw(st.integers(1, 10_000))
    kinds = draw(st.lists(st.sampled_from(KINDS), unique=True, max_size=3))
    bonuses = draw(
        st.lists(
            st.builds(Bonus, st.sampled_from(["praise", "promoted"]), st.floats(0, 10), st.just("批示肯定")),
            max_size=4,
        )
    )
    return UnitFacts(uid, f"单位{uid}", {kind: draw(kind_facts()) for kind in kinds}, tuple(bonuses))


caps = st.one_of(st.none(), st.floats(0, 30))
rules = st.one_of(
    st.builds(
        Rule,
        st.just("r"),
        st.just("比率"),
        st.just(RATE),
        st.floats(0, 50),
        st.sampled_from(scoring.RATE_FACTS),
    ),
    st.builds(
        Rule,
        st.just("r"),
        st.just("扣分"),
        st.just(PER),
        st.floats(-10, 0),
        st.sampled_from(scoring.COUNT_FACTS),
        caps,
    ),
    st.builds(Rule, st.just("r"), st.just("加分"), st.just(BONUS), st.just(0.0), st.just(""), caps),
)


@st.composite
def schemes(draw):
    drawn = draw(st.lists(rules, min_size=1, max_size=8))
    keyed = tuple(
        Rule(f"{rule.kind}{n}" if rule.kind != BONUS else ["praise", "promoted"][n % 2], *vars_of(rule))
        for n, rule in enumerate(drawn)
    )
    weights = draw(st.dictionaries(st.sampled_from(KINDS), st.floats(0, 5)))
    return Scheme(rules=keyed, kind_weights=weights, floor=draw(st.one_of(st.none(), st.just(0.0))))


def vars_of(rule: Rule) -> tuple:
    return (rule.label, rule.kind, rule.points, rule.fact, rule.cap)


@settings(max_examples=200, deadline=None)
@given(schemes(), unit_facts(unit_id=1), st.lists(unit_facts(), max_size=6))
def test_a_units_points_never_depend_on_other_units(scheme, mine, others):
    others = [facts for facts in others if facts.unit_id != 1]
    alone = scoring.score_unit(scheme, mine)
    among = next(s for s in scoring.score_units(scheme, [*others, mine]) if s.unit_id == 1)
    assert among == alone


@settings(max_examples=200, deadline=None)
@given(schemes(), unit_facts())
def test_a_rule_never_moves_the_total_beyond_its_cap(scheme, facts):
    for line in scoring.score_unit(scheme, facts).lines:
        if line.rule.cap is not None:
            assert abs(line.points) <= line.rule.cap + 1e-9
        if line.rule.kind == PER:
            assert line.points <= 0  # a deduction never adds


@settings(max_examples=100, deadline=None)
@given(schemes(), schemes(), unit_facts(), st.integers(1, 400))
def test_a_new_scheme_version_leaves_past_months_unchanged(old, new, facts, days_later):
    month_end = date(2023, 5, 31)
    versions = [(date(2023, 1, 1), old)]
    before = scoring.score_unit(scoring.scheme_in_force(versions, month_end), facts)
    versions.append((month_end + timedelta(days=days_later), new))
    after = scoring.score_unit(scoring.scheme_in_force(versions, month_end), facts)
    assert after == before
    assert scoring.scheme_in_force(versions, month_end + timedelta(days=days_later)) is new


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 30).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))),
    st.integers(0, 40).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))),
    st.floats(0, 100),
    st.integers(0, 10),
)
def test_the_default_scheme_is_the_ranking_formula(items_completed, due_on_time, progress, overdue):
    items, completed = items_completed
    due, on_time = due_on_time
    facts = UnitFacts(
        1,
        "单位",
        {
            "routine": KindFacts(
                items=items,
                completed=completed,
                reports_due=due,
                reports_on_time=on_time,
                progress_sum=progress * items,
                counts={scoring.OVERDUE_ITEMS: overdue},
            )
        },
    )
    on_time_rate = on_time / due if due else 1.0
    completion = completed / items if items else 0.0
    average = progress if items else 0.0
    expected = rankings.score(on_time_rate, completion, average, overdue)
    assert scoring.score_unit(scoring.DEFAULT_SCHEME, facts).total == pytest.approx(expected, abs=0.011)


def test_it_weighs_kinds_and_explains_each_rule():
    scheme = Scheme(
        rules=(
            Rule("completion", "完成率", RATE, 40, scoring.COMPLETION_RATE),
            Rule("overdue", "逾期未完成", PER, -5, scoring.OVERDUE_ITEMS, cap=12),
            Rule("signoff", "未按期签收", PER, -2, scoring.LATE_SIGNOFFS),
            Rule("praise", "领导批示肯定", BONUS, 0, cap=5),
        ),
        kind_weights={"key_project": 2},
    )
    facts = UnitFacts(
        7,
        "县发改局",
        {
            "key_project": KindFacts(items=2, completed=2, counts={scoring.OVERDUE_ITEMS: 1}),
            "routine": KindFacts(items=2, completed=0, counts={scoring.OVERDUE_ITEMS: 2}),
        },
        (Bonus("praise", 3, "县委书记批示肯定"), Bonus("praise", 4, "市领导批示")),
    )
    result = scoring.score_unit(scheme, facts)
    completion, overdue, signoff, praise = result.lines
    assert completion.value == pytest.approx(0.6667) and completion.points == pytest.approx(26.67)
    assert (overdue.value, overdue.uncapped, overdue.points, overdue.capped) == (4, -20, -12, True)
    assert signoff.missing and signoff.points == 0  # no provider yet (issue 13's sign-off step)
    assert (praise.points, praise.capped, praise.reasons) == (5, True, ("县委书记批示肯定", "市领导批示"))
    assert result.total == pytest.approx(26.67 - 12 + 5)


def test_red_and_black_lists_never_share_a_unit():
    scores = scoring.score_units(
        scoring.DEFAULT_SCHEME,
        [UnitFacts(n, f"单位{n}", {"routine": KindFacts(items=1, completed=n % 2)}) for n in range(5)],
    )
    red, black = scoring.red_black(scores, 3)
    assert len(red) == 3 and len(black) == 2
    assert not {s.unit_id for s in red} & {s.unit_id for s in black}
    assert black[0].total <= black[-1].total


def test_a_stored_scheme_is_checked():
    scheme = scoring.scheme_from_dict(
        {
            "rules": [
                {
                    "key": "overdue",
                    "label": "逾期",
                    "kind": "per",
                    "fact": "overdue_items",
                    "points": -5,
                    "cap": 20,
                }
            ]
        }
    )
    assert scheme.rules[0].cap == 20
    for bad in (
        {"rules": [{"key": "x", "kind": "per", "fact": "on_time_rate", "points": -1}]},
        {"rules": [{"key": "x", "kind": "odd"}]},
        {"rules": [{"key": "x", "kind": "bonus"}, {"key": "x", "kind": "bonus"}]},
        {"rules": [], "kind_weights": {"routine": -1}},
    ):
        with pytest.raises(ValueError):
            scoring.scheme_from_dict(bad)
