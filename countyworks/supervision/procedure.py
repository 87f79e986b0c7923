"""The supervision procedure's state transitions (督查督办工作制度), as plain rules without Django.

Each procedure is a table: state → action → next state. Services ask `next_state()` before any
write, so a refused transition is refused the same way on the screens, in the API and in tests.
docs/procedure.md draws the same tables as a state diagram.
"""

from __future__ import annotations

from datetime import date

# 延期申请: a unit applies; the office approves (with the new deadline) or refuses (with a comment).
EXTENSION = "extension"
EXTENSION_TRANSITIONS: dict[str, dict[str, str]] = {
    "pending": {"approve": "approved", "refuse": "refused"},
    "approved": {},
    "refused": {},
}

TRANSITIONS: dict[str, dict[str, dict[str, str]]] = {EXTENSION: EXTENSION_TRANSITIONS}


class InvalidTransition(ValueError):
    """The action is not allowed from the record's current state."""

    def __init__(self, procedure: str, state: str, action: str) -> None:
        super().__init__(f"{procedure}: cannot {action} from {state}")
        self.procedure, self.state, self.action = procedure, state, action


def next_state(procedure: str, state: str, action: str) -> str:
    """The state `action` leads to from `state`, or InvalidTransition."""
    try:
        return TRANSITIONS[procedure][state][action]
    except KeyError:
        raise InvalidTransition(procedure, state, action) from None


def allowed_actions(procedure: str, state: str) -> list[str]:
    return sorted(TRANSITIONS.get(procedure, {}).get(state, {}))


def extension_date_problem(current_due: date | None, requested: date | None, today: date) -> str | None:
    """Why a requested deadline cannot be granted (a code), or None when it can.

    An extension moves the deadline later: to a day after the current deadline (or, for an item
    without one, after today), never into the past.
    """
    if requested is None:
        return "missing"
    if requested < today:
        return "past"
    if current_due is not None and requested <= current_due:
        return "not_later"
    return None


def original_deadline(original_due: date | None, current_due: date | None) -> date | None:
    """The deadline to keep as 原定期限 when an extension is approved: the first one, set once."""
    return original_due if original_due is not None else current_due


# 签收: an assignment waits for the unit's signature; the engine chases it.
SIGNOFF = "signoff"
SIGNOFF_TRANSITIONS: dict[str, dict[str, str]] = {
    "unsigned": {"sign": "signed", "withdraw": "withdrawn"},
    "signed": {"withdraw": "withdrawn"},
    "withdrawn": {},
}
TRANSITIONS[SIGNOFF] = SIGNOFF_TRANSITIONS


def working_days_between(start: date, end: date) -> int:
    """Working days (Monday to Friday) after `start` up to and including `end`.

    Public holidays are not known to the system; a county that needs them sets a larger threshold.
    """
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (start.toordinal() + offset - 1) % 7 < 5:  # date.weekday() of start + offset
            count += 1
    return count


def add_working_days(start: date, days: int) -> date:
    """The day `days` working days (Monday to Friday) after `start`: the inverse of
    working_days_between, so working_days_between(start, add_working_days(start, n)) == n."""
    from datetime import timedelta

    day, left = start, days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def signoff_chase(waited_working_days: int, threshold: int, reminded: bool, noticed: bool) -> str | None:
    """What the engine does for an unsigned assignment: "remind" at the threshold, "notice" at twice it."""
    if threshold <= 0:
        return None
    if waited_working_days >= 2 * threshold and not noticed:
        return "notice"
    if waited_working_days >= threshold and not reminded:
        return "remind"
    return None


# 办结 / 销号: the lead unit applies to close; the office closes it or returns it for more; a closed
# item can be reopened (with a reason) by the office.
CLOSURE = "closure"
CLOSURE_TRANSITIONS: dict[str, dict[str, str]] = {
    "pending": {"approve": "closed", "return": "returned"},
    "closed": {"reopen": "reopened"},
    "returned": {},
    "reopened": {},
}
TRANSITIONS[CLOSURE] = CLOSURE_TRANSITIONS


# 问题协调: a unit raises a blocker; the leader (or the office) it is addressed to answers it.
BLOCKER = "blocker"
BLOCKER_TRANSITIONS: dict[str, dict[str, str]] = {"open": {"answer": "answered"}, "answered": {}}
TRANSITIONS[BLOCKER] = BLOCKER_TRANSITIONS


# 单位审签: a report of a unit with the rule waits for its head, who passes it to the office (the
# ordinary `submitted` state the office reviews) or returns it to the reporter.
HEAD_REVIEW = "head_review"
HEAD_REVIEW_TRANSITIONS: dict[str, dict[str, str]] = {
    "with_head": {"approve": "submitted", "return": "returned"},
    "submitted": {},
    "approved": {},
    "returned": {},
}
TRANSITIONS[HEAD_REVIEW] = HEAD_REVIEW_TRANSITIONS


# 批示 that assign work: each addressed unit gets a notice (督办单) and follows its states; the
# instruction as a whole is as far as its slowest unit.
INSTRUCTION_STATES = ("issued", "acknowledged", "answered", "closed")


def instruction_state(notice_states: list[str]) -> str:
    """The state of an instruction addressed to units, from its notices' states: the earliest of
    them (issued < acknowledged (signed) < answered < closed); "" for a plain comment."""
    known = [INSTRUCTION_STATES.index(state) for state in notice_states if state in INSTRUCTION_STATES]
    return INSTRUCTION_STATES[min(known)] if known else ""
