"""The condition language of edition files, evaluated with three values: true, false, unknown."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from intake.schema import Condition

Truth = bool | None  # None: unknown, because an answer it needs is not given


@dataclass(frozen=True)
class Facts:
    """What a condition can look at: the answers and, for rules, whether the deadline passed."""

    answers: Mapping[str, Any] = field(default_factory=dict)
    deadline_passed: bool | None = None


def holds(condition: Condition, facts: Facts) -> Truth:
    """Return whether `condition` holds, or None when it depends on a missing answer."""
    if condition.all_ is not None:
        return _all(holds(child, facts) for child in condition.all_)
    if condition.any_ is not None:
        return _any(holds(child, facts) for child in condition.any_)
    if condition.not_ is not None:
        inner = holds(condition.not_, facts)
        return None if inner is None else not inner
    if condition.before_deadline is not None:
        if facts.deadline_passed is None:
            return None
        return (not facts.deadline_passed) == condition.before_deadline
    return _compare(condition, facts.answers.get(condition.question or ""))


def referenced_questions(condition: Condition) -> set[str]:
    """Return the ids of every question a condition looks at."""
    found = {condition.question} if condition.question else set()
    for child in [*(condition.all_ or []), *(condition.any_ or [])]:
        found |= referenced_questions(child)
    if condition.not_ is not None:
        found |= referenced_questions(condition.not_)
    return found


def _all(values: Any) -> Truth:
    seen = list(values)
    if False in seen:
        return False
    return None if None in seen else True


def _any(values: Any) -> Truth:
    seen = list(values)
    if True in seen:
        return True
    return None if None in seen else False


def _compare(condition: Condition, answer: Any) -> Truth:
    operator = condition.operator
    if operator == "answered":
        return (answer is not None) == condition.answered
    if answer is None:
        return None
    if operator == "contains":
        return condition.contains in answer if isinstance(answer, list) else None
    if operator in ("equals", "not_equals"):
        same = _same(answer, getattr(condition, operator))
        return same if operator == "equals" else not same
    if operator == "in_":
        return any(_same(answer, value) for value in condition.in_ or [])
    return _order(operator, answer, getattr(condition, operator or "", None))


def _order(operator: str | None, answer: Any, bound: Any) -> Truth:
    if not _is_int(answer) or not _is_int(bound):
        return None
    comparisons = {
        "greater_than": answer > bound,
        "at_least": answer >= bound,
        "less_than": answer < bound,
        "at_most": answer <= bound,
    }
    return comparisons.get(operator or "")


def _same(answer: Any, expected: Any) -> bool:
    # True == 1 in Python; a yes/no answer must never equal a number.
    return isinstance(answer, bool) == isinstance(expected, bool) and answer == expected


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
